"""Operator actions on jobs: list what is stuck or dead-lettered, run a dead one again."""

from __future__ import annotations

from collections.abc import Sequence

from castwright.db.base import utcnow
from castwright.errors import Conflict, NotFound
from castwright.jobs.repository import JobRepository
from castwright.models.job import Job, JobStatus
from castwright.runtime import Runtime

__all__ = ["list_jobs", "retry_job"]


def list_jobs(runtime: Runtime, statuses: Sequence[str], limit: int = 100) -> list[Job]:
    with runtime.db.session() as session:
        return JobRepository(session).listing(statuses, limit)


def retry_job(runtime: Runtime, job_id: str) -> Job:
    """A dead-lettered or failed job queued again with fresh attempts, and handed to the
    queue after commit (an inline queue picks it up when `castwright serve` next starts)."""
    with runtime.unit_of_work() as session:
        repo = JobRepository(session)
        job = repo.lock(job_id)
        if job is None:
            raise NotFound(f"no job {job_id}")
        if job.status not in (JobStatus.DEAD, JobStatus.FAILED):
            raise Conflict(f"job {job_id} is {job.status}; only dead or failed jobs are retried")
        repo.requeue(job, utcnow())
        session.flush()
        kind = job.kind
    if runtime.queue is not None:
        runtime.queue.enqueue(job.id, kind)
    return job
