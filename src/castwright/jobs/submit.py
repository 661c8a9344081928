"""Creating a job inside a unit of work; it is handed to the queue only after commit."""

from __future__ import annotations

from sqlalchemy.orm import Session

from castwright.models.job import Job

__all__ = ["PENDING_JOBS", "submit_job"]

PENDING_JOBS = "castwright.pending_jobs"


def submit_job(session: Session, kind: str, target_id: str) -> Job:
    job = Job(kind=kind, target_id=target_id)
    session.add(job)
    session.flush()
    session.info.setdefault(PENDING_JOBS, []).append(job.id)
    return job
