from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from castwright.db.base import Base, new_id, utcnow

__all__ = ["Job", "JobStatus"]


class JobStatus:
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"  # a permanent fault (CastwrightError): bad input, missing source...
    DEAD = "dead"  # dead-lettered: transient faults or lost workers, max_attempts times
    UNFINISHED = (QUEUED, RUNNING)
    FINISHED = (DONE, FAILED, DEAD)


class Job(Base):
    """A unit of background work. The row is the truth; queues only carry its id."""

    __tablename__ = "job"
    __table_args__ = (Index("ix_job_status_created", "status", "created_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(64))
    target_id: Mapped[str] = mapped_column(String(36), index=True)
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    # When its id was last handed to the queue; None: handing it over failed (the broker was
    # down), so the next sweep sends it.
    enqueued_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    # Written by the running worker every jobs.heartbeat_seconds: a silent one has died.
    heartbeat_at: Mapped[datetime | None] = mapped_column(default=None)
    worker: Mapped[str | None] = mapped_column(String(255), default=None)  # host:pid of the run
    request_id: Mapped[str | None] = mapped_column(String(64), default=None)  # who asked
