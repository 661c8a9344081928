"""Runs one job by id: the same code under the inline queue and under Celery.

A delivery first claims the job's row under a lock. A job already finished, or running on a
worker that is still beating, is left alone, so a message delivered twice (a redelivery after
a lost acknowledgement, a sweep's resend) does nothing the second time. The claim carries an
attempt number; finishing is conditional on it, so of two runs only the one that still holds
the claim completes, and its outcome commits together with the handler's work.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import traceback
from dataclasses import dataclass
from datetime import timedelta

from castwright import metrics
from castwright.db.base import utcnow
from castwright.errors import CastwrightError
from castwright.jobs.registry import FailureHandler, get_handler
from castwright.jobs.repository import JobRepository
from castwright.logs import bind_context
from castwright.models.job import JobStatus
from castwright.runtime import Runtime

__all__ = ["RETRY", "Outcome", "backoff_seconds", "run_job", "run_job_once", "worker_name"]

log = logging.getLogger("castwright.jobs")

RETRY = "retry"  # a transient fault; run it again after Outcome.retry_in seconds
BUSY = "busy"  # another worker is running it and alive
SUPERSEDED = "superseded"  # this run lost its claim to another worker meanwhile
MISSING = "missing"


@dataclass(frozen=True)
class Outcome:
    status: str  # a JobStatus, or RETRY, BUSY, SUPERSEDED, MISSING
    retry_in: float = 0.0


@dataclass(frozen=True)
class _Claim:
    kind: str
    target_id: str
    attempt: int
    request_id: str | None
    waited: float  # seconds between being handed to the queue and starting


class _ClaimLost(Exception):
    pass


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def backoff_seconds(runtime: Runtime, attempt: int) -> float:
    """Exponential: base, 2 x base, 4 x base... capped."""
    jobs = runtime.settings.jobs
    return float(
        min(jobs.retry_backoff_max_seconds, jobs.retry_backoff_seconds * 2 ** (attempt - 1))
    )


def _claim(runtime: Runtime, job_id: str, worker: str) -> _Claim | Outcome:
    jobs = runtime.settings.jobs
    with runtime.db.session() as session:
        job = JobRepository(session).lock(job_id)
        if job is None:
            return Outcome(MISSING)
        if job.status in JobStatus.FINISHED:
            return Outcome(job.status)
        now = utcnow()
        if job.status == JobStatus.RUNNING:
            last_sign = job.heartbeat_at or job.started_at
            if last_sign is not None and now - last_sign < timedelta(
                seconds=jobs.stale_after_seconds
            ):
                return Outcome(BUSY)
            log.warning("job %s: its worker %s went silent; running it again", job_id, job.worker)
        if job.attempts >= jobs.max_attempts:
            # Only a run that never recorded its end gets here: its worker died (an engine
            # that crashes the process, the OOM killer) on every attempt.
            reason = (
                f"gave up after {job.attempts} attempts: the worker running it was lost "
                f"(last: {job.worker or 'unknown'})"
            )
            job.status, job.error, job.finished_at = JobStatus.DEAD, reason, now
            _, on_failure = get_handler(job.kind)
            if on_failure is not None:
                on_failure(runtime, session, job.target_id, reason)
            log.error("job %s (%s) dead-lettered: %s", job_id, job.kind, reason)
            return Outcome(JobStatus.DEAD)
        handed_over = job.enqueued_at or job.created_at
        job.status, job.worker = JobStatus.RUNNING, worker
        job.attempts += 1
        job.started_at = job.heartbeat_at = now
        job.finished_at = None
        return _Claim(
            job.kind,
            job.target_id,
            job.attempts,
            job.request_id,
            max(0.0, (now - handed_over).total_seconds()),
        )


class _Heartbeat:
    """A thread that tells the database this worker is still running the job."""

    def __init__(self, runtime: Runtime, job_id: str, attempt: int, enabled: bool) -> None:
        self._runtime, self._job_id, self._attempt = runtime, job_id, attempt
        self._stop = threading.Event()
        self._finishing = threading.Event()
        self._thread = (
            threading.Thread(target=self._run, name=f"heartbeat-{job_id}", daemon=True)
            if enabled
            else None
        )

    def __enter__(self) -> _Heartbeat:
        if self._thread is not None:
            self._thread.start()
        return self

    def finishing(self) -> None:
        """The run is recording its end: a beat that finds the job no longer running is
        expected from here on, not a takeover."""
        self._finishing.set()

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        interval = self._runtime.settings.jobs.heartbeat_seconds
        while not self._stop.wait(interval):
            try:
                with self._runtime.db.session() as session:
                    owned = JobRepository(session).beat(self._job_id, self._attempt, utcnow())
                if not owned:
                    if not self._finishing.is_set():
                        log.warning("job %s was taken over by another worker", self._job_id)
                    return
            except Exception as error:  # the next beat tries again; a silent worker is retried
                log.warning("job %s: heartbeat failed: %r", self._job_id, error)


def run_job_once(
    runtime: Runtime, job_id: str, *, worker: str | None = None, heartbeat: bool = False
) -> Outcome:
    """One attempt at the job. ``heartbeat``: beat while running (queues where another
    process may take a silent job over)."""
    claim = _claim(runtime, job_id, worker or worker_name())
    if isinstance(claim, Outcome):
        if claim.status == BUSY:
            log.info("job %s is running on a live worker; this delivery is a duplicate", job_id)
        return claim
    with bind_context(request_id=claim.request_id, job_id=job_id):
        return _run_claimed(runtime, job_id, claim, heartbeat)


def _run_claimed(runtime: Runtime, job_id: str, claim: _Claim, heartbeat: bool) -> Outcome:
    kind, attempt = claim.kind, claim.attempt
    metrics.observe_queue_wait(kind, claim.waited)
    log.info(
        "job %s (%s) attempt %d started after %.3fs in the queue",
        job_id,
        kind,
        attempt,
        claim.waited,
    )
    handler, on_failure = get_handler(kind)
    started = time.perf_counter()
    try:
        # The session commits before the heartbeat stops: stopping it first could wait on a
        # beat blocked behind this very transaction (SQLite's one writer).
        with (
            _Heartbeat(runtime, job_id, attempt, heartbeat) as beat,
            runtime.db.session() as session,
        ):
            handler(runtime, session, claim.target_id)
            beat.finishing()
            if not JobRepository(session).finish(job_id, attempt, utcnow()):
                raise _ClaimLost
    except _ClaimLost:
        log.warning("job %s (%s): another worker took it over; this run is discarded", job_id, kind)
        return Outcome(SUPERSEDED)
    except Exception as error:  # a job must record its failure, whatever it was
        return _failed(runtime, job_id, claim, error, time.perf_counter() - started, on_failure)
    elapsed = time.perf_counter() - started
    metrics.observe_job(kind, JobStatus.DONE, elapsed)
    log.info("job %s (%s) done in %.3fs", job_id, kind, elapsed)
    return Outcome(JobStatus.DONE)


def _failed(
    runtime: Runtime,
    job_id: str,
    claim: _Claim,
    error: Exception,
    elapsed: float,
    on_failure: FailureHandler | None,
) -> Outcome:
    kind, attempt = claim.kind, claim.attempt
    permanent = isinstance(error, CastwrightError)
    reason = error.message if isinstance(error, CastwrightError) else repr(error)
    if permanent:
        status, retry_in = JobStatus.FAILED, 0.0
        log.info("job %s (%s) failed: %s", job_id, kind, reason)
    else:
        log.error(
            "job %s (%s) attempt %d failed:\n%s", job_id, kind, attempt, traceback.format_exc()
        )
        if attempt >= runtime.settings.jobs.max_attempts:
            status, retry_in = JobStatus.DEAD, 0.0
            reason = f"gave up after {attempt} attempts: {reason}"
            log.error("job %s (%s) dead-lettered: %s", job_id, kind, reason)
        else:
            status, retry_in = JobStatus.QUEUED, backoff_seconds(runtime, attempt)
    now = utcnow()
    with runtime.db.session() as session:
        recorded = JobRepository(session).record_failure(
            job_id, attempt, status, reason, now, now + timedelta(seconds=retry_in)
        )
        if recorded and status != JobStatus.QUEUED and on_failure is not None:
            on_failure(runtime, session, claim.target_id, reason)
    metrics.observe_job(kind, status if status != JobStatus.QUEUED else RETRY, elapsed)
    if not recorded:
        return Outcome(SUPERSEDED)
    return Outcome(RETRY, retry_in) if status == JobStatus.QUEUED else Outcome(status)


def run_job(runtime: Runtime, job_id: str, *, worker: str | None = None) -> str:
    """Run a job to its end in this process, retrying transient faults after their backoff;
    returns its final status (the inline queue's way)."""
    while True:
        outcome = run_job_once(runtime, job_id, worker=worker)
        if outcome.status != RETRY:
            return outcome.status
        time.sleep(outcome.retry_in)
