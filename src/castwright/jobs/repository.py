"""All SQL on the job table: claiming, heartbeats, outcomes, the sweep and the queue's figures.

Transitions that a second worker could race (finishing, failing, beating) are conditional
updates on (status running, this attempt), so a worker that lost its claim changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.orm import Session

from castwright.models.job import Job, JobStatus

__all__ = ["JobRepository", "QueueFigures"]


@dataclass(frozen=True)
class QueueFigures:
    """One (kind, status) group of unfinished or dead jobs."""

    kind: str
    status: str
    count: int
    oldest: datetime | None  # created_at of the oldest job in the group


class JobRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- one job ----------------------------------------------------------------------------

    def get(self, job_id: str) -> Job | None:
        return self.session.get(Job, job_id)

    def lock(self, job_id: str) -> Job | None:
        """The row, locked until this transaction ends (PostgreSQL: FOR UPDATE)."""
        return self.session.scalars(select(Job).where(Job.id == job_id).with_for_update()).first()

    def status_of(self, job_id: str) -> str | None:
        return self.session.scalar(select(Job.status).where(Job.id == job_id))

    def kinds_of(self, job_ids: Sequence[str]) -> dict[str, str]:
        rows = self.session.execute(select(Job.id, Job.kind).where(Job.id.in_(job_ids)))
        return {job_id: kind for job_id, kind in rows}

    def _owned(self, job_id: str, attempt: int) -> list[ColumnElement[bool]]:
        return [Job.id == job_id, Job.status == JobStatus.RUNNING, Job.attempts == attempt]

    def beat(self, job_id: str, attempt: int, now: datetime) -> bool:
        """The running worker is alive; False when the job is no longer its to run."""
        result = self.session.execute(
            update(Job).where(*self._owned(job_id, attempt)).values(heartbeat_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def finish(self, job_id: str, attempt: int, now: datetime) -> bool:
        """Done, in the handler's own transaction; False (change nothing) when the claim was
        lost to another worker meanwhile."""
        result = self.session.execute(
            update(Job)
            .where(*self._owned(job_id, attempt))
            .values(status=JobStatus.DONE, finished_at=now, error=None, heartbeat_at=None)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def record_failure(
        self,
        job_id: str,
        attempt: int,
        status: str,
        reason: str,
        now: datetime,
        retry_at: datetime | None = None,
    ) -> bool:
        """FAILED or DEAD (finished), or QUEUED again to be retried at ``retry_at``."""
        values: dict[str, object] = {"status": status, "error": reason, "heartbeat_at": None}
        if status == JobStatus.QUEUED:
            values["enqueued_at"] = retry_at or now
        else:
            values["finished_at"] = now
        result = self.session.execute(
            update(Job).where(*self._owned(job_id, attempt)).values(**values)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def requeue(self, job: Job, now: datetime) -> None:
        """A finished job to be run again from scratch (an operator's retry)."""
        job.status, job.attempts, job.error = JobStatus.QUEUED, 0, None
        job.finished_at = job.heartbeat_at = None
        job.enqueued_at = now

    # -- handing over to the queue ---------------------------------------------------------

    def mark_sent(self, job_ids: Sequence[str], now: datetime) -> None:
        if job_ids:
            self.session.execute(
                update(Job)
                .where(Job.id.in_(job_ids), Job.status == JobStatus.QUEUED)
                .values(enqueued_at=now)
            )

    def mark_unsent(self, job_id: str) -> None:
        """Publishing failed: the next sweep sends it."""
        self.session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == JobStatus.QUEUED)
            .values(enqueued_at=None)
        )

    # -- the inline queue's restart ---------------------------------------------------------

    def requeue_running(self) -> int:
        """Every running job back to queued: only for a queue that is the sole runner."""
        result = self.session.execute(
            update(Job).where(Job.status == JobStatus.RUNNING).values(status=JobStatus.QUEUED)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def queued_ids(self) -> list[str]:
        ids = self.session.scalars(
            select(Job.id).where(Job.status == JobStatus.QUEUED).order_by(Job.created_at)
        )
        return list(ids)

    # -- the sweep (several workers may sweep at once) --------------------------------------

    def lock_stale_running(self, silent_since: datetime, limit: int) -> list[Job]:
        """Running jobs whose worker has not beaten since ``silent_since``: presumed dead."""
        last_sign = func.coalesce(Job.heartbeat_at, Job.started_at, Job.created_at)
        query = (
            select(Job)
            .where(Job.status == JobStatus.RUNNING, last_sign < silent_since)
            .order_by(Job.created_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return list(self.session.scalars(query))

    def lock_unsent(self, sent_before: datetime, limit: int) -> list[Job]:
        """Queued jobs never handed over, or handed over before ``sent_before`` and still
        waiting (their message may have been lost with the broker's data)."""
        query = (
            select(Job)
            .where(
                Job.status == JobStatus.QUEUED,
                or_(Job.enqueued_at.is_(None), Job.enqueued_at < sent_before),
            )
            .order_by(Job.created_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return list(self.session.scalars(query))

    # -- figures and listings ---------------------------------------------------------------

    def figures(self) -> list[QueueFigures]:
        """Count and oldest creation time per kind, for queued, running and dead jobs."""
        rows = self.session.execute(
            select(Job.kind, Job.status, func.count(), func.min(Job.created_at))
            .where(Job.status.in_((*JobStatus.UNFINISHED, JobStatus.DEAD)))
            .group_by(Job.kind, Job.status)
        )
        return [QueueFigures(kind, status, count, oldest) for kind, status, count, oldest in rows]

    def listing(self, statuses: Sequence[str], limit: int) -> list[Job]:
        query = (
            select(Job).where(Job.status.in_(statuses)).order_by(Job.created_at.desc()).limit(limit)
        )
        return list(self.session.scalars(query))
