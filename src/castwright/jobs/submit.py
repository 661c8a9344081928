"""Creating a job inside a unit of work; it is handed to the queue only after commit."""

from __future__ import annotations

from sqlalchemy.orm import Session

from castwright.logs import current_request_id
from castwright.models.job import Job

__all__ = ["PENDING_JOBS", "submit_job"]

PENDING_JOBS = "castwright.pending_jobs"


def submit_job(session: Session, kind: str, target_id: str) -> Job:
    # The request id goes with the job, so the worker's log lines name the request that
    # asked for it, on whichever host it runs.
    job = Job(kind=kind, target_id=target_id, request_id=current_request_id())
    session.add(job)
    session.flush()
    session.info.setdefault(PENDING_JOBS, []).append((job.id, kind))
    return job
