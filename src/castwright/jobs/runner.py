"""Runs one job by id: the same code under the inline queue and under Celery."""

from __future__ import annotations

import logging
import traceback

from sqlalchemy import select

from castwright.db.base import utcnow
from castwright.errors import CastwrightError
from castwright.jobs.registry import get_handler
from castwright.models.job import Job, JobStatus
from castwright.runtime import Runtime

__all__ = ["run_job"]

log = logging.getLogger("castwright.jobs")


def run_job(runtime: Runtime, job_id: str) -> str:
    """Run a job if it still needs running; returns its final status."""
    db = runtime.db
    with db.session() as session:
        job = session.scalars(select(Job).where(Job.id == job_id).with_for_update()).first()
        if job is None or job.status in (JobStatus.DONE, JobStatus.FAILED):
            return job.status if job else "missing"
        job.status = JobStatus.RUNNING
        job.attempts += 1
        job.started_at = utcnow()
        kind, target_id, attempts = job.kind, job.target_id, job.attempts
    handler, on_failure = get_handler(kind)
    try:
        with db.session() as session:
            handler(runtime, session, target_id)
            finished = session.get(Job, job_id)
            if finished is not None:
                finished.status = JobStatus.DONE
                finished.finished_at = utcnow()
                finished.error = None
        return JobStatus.DONE
    except Exception as error:  # a job must record its failure, whatever it was
        permanent = isinstance(error, CastwrightError)
        reason = error.message if isinstance(error, CastwrightError) else repr(error)
        if not permanent:
            log.error(
                "job %s (%s) attempt %d failed:\n%s", job_id, kind, attempts, traceback.format_exc()
            )
        give_up = permanent or attempts >= runtime.settings.jobs.max_attempts
        with db.session() as session:
            job = session.get(Job, job_id)
            if job is not None:
                job.status = JobStatus.FAILED if give_up else JobStatus.QUEUED
                job.error = reason
                job.finished_at = utcnow() if give_up else None
            if give_up and on_failure is not None:
                on_failure(runtime, session, target_id, reason)
        if give_up:
            return JobStatus.FAILED
        return run_job(runtime, job_id)
