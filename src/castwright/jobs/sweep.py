"""The sweep: nothing accepted is lost, whatever happened to a worker or to the broker.

Every Celery worker runs it when it starts and then every ``jobs.sweep_interval_seconds``:

- a running job whose worker stopped beating (killed, host gone) goes back to queued;
- a queued job never handed to the broker (it was down), or handed over longer ago than
  ``jobs.requeue_after_seconds`` and still waiting (the broker lost its data), is sent again.

Several workers may sweep at once: rows are taken with SKIP LOCKED on PostgreSQL, and a
duplicate message is harmless anyway, as the runner's claim lets only one run complete.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from castwright.config import JobSettings
from castwright.db import Database
from castwright.db.base import utcnow
from castwright.jobs.repository import JobRepository
from castwright.models.job import JobStatus

__all__ = ["SweepResult", "Sweeper", "sweep_once"]

log = logging.getLogger("castwright.jobs")

BATCH = 500  # rows per sweep; a larger backlog is sent over the next sweeps

Publish = Callable[[str, str], None]  # (job id, kind); raises when the broker is unreachable


@dataclass(frozen=True)
class SweepResult:
    revived: int  # running jobs whose worker went silent, back to queued
    sent: int  # queued jobs handed to the broker
    unsent: int  # queued jobs still waiting to be sent (the broker refused)


def sweep_once(db: Database, jobs: JobSettings, publish: Publish) -> SweepResult:
    now = utcnow()
    with db.session() as session:
        repo = JobRepository(session)
        stale = repo.lock_stale_running(now - timedelta(seconds=jobs.stale_after_seconds), BATCH)
        for job in stale:
            log.warning(
                "job %s (%s): worker %s silent since %s; queued again",
                job.id,
                job.kind,
                job.worker,
                job.heartbeat_at,
            )
            job.status, job.heartbeat_at, job.enqueued_at = JobStatus.QUEUED, None, None
        session.flush()
        due = repo.lock_unsent(now - timedelta(seconds=jobs.requeue_after_seconds), BATCH)
        sent: list[str] = []
        for job in due:
            try:
                publish(job.id, job.kind)
            except Exception as error:  # the broker is down: every later one would fail too
                log.warning(
                    "sweep: broker unreachable, %d job(s) wait: %r", len(due) - len(sent), error
                )
                break
            sent.append(job.id)
        repo.mark_sent(sent, now)
    if stale or sent:
        log.info("sweep: %d silent job(s) revived, %d job(s) sent", len(stale), len(sent))
    return SweepResult(len(stale), len(sent), len(due) - len(sent))


class Sweeper:
    """A thread that sweeps at start and then every interval, until stopped."""

    def __init__(self, db: Database, jobs: JobSettings, publish: Publish) -> None:
        self._db, self._jobs, self._publish = db, jobs, publish
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="castwright-sweep", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None

    def _run(self) -> None:
        while True:
            try:
                sweep_once(self._db, self._jobs, self._publish)
            except Exception as error:  # the database may be down; the next sweep tries again
                log.warning("sweep failed: %r", error)
            if self._stop.wait(self._jobs.sweep_interval_seconds):
                return
