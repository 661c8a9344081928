"""The embedded queue: a pool of worker processes fed with job ids.

Workers are separate processes so that synthesis uses every core and a crashing engine cannot
take the server down. Nothing lives only in memory: a job id is submitted after its row has
committed, and at start every job still queued or running is submitted again.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager

from castwright.config import Settings, dump_settings

__all__ = ["InlineJobQueue"]

log = logging.getLogger("castwright.jobs")

_worker_runtime = None


@contextmanager
def _sigint_blocked() -> Iterator[None]:
    """Block Ctrl-C in this thread while a worker process may be started.

    A blocked signal mask survives fork and exec, so a worker is born deaf to the Ctrl-C that
    reaches the whole process group, even while it is still importing, before its initialiser
    runs (the same technique as multiprocessing's resource tracker).
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _init_worker(settings_json: str) -> None:
    global _worker_runtime
    from castwright.runtime import build_runtime

    # Ctrl-C reaches the whole process group; the server decides when workers stop, so a
    # running job finishes instead of dying half-way.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # blocked at birth: see _sigint_blocked
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    settings = Settings.model_validate_json(settings_json)
    from castwright.logs import configure_logging

    configure_logging(settings.log_level, settings.log_format)  # spawned: nothing inherited
    _worker_runtime = build_runtime(settings, with_queue=False)
    _worker_runtime.warm_up()


def _run_in_worker(job_id: str) -> str:
    from castwright.jobs.runner import run_job

    assert _worker_runtime is not None, "worker initialiser did not run"
    return run_job(_worker_runtime, job_id)


class InlineJobQueue:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._workers = settings.jobs.workers or os.cpu_count() or 1
        self._executor: ProcessPoolExecutor | None = None
        self._futures: dict[str, Future[str]] = {}
        self._lock = threading.Lock()

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        self._executor = self._new_executor()
        self._resubmit_unfinished()

    def stop(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            # Running jobs finish; queued ones stay queued in the database for the next start.
            executor.shutdown(wait=True, cancel_futures=True)

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self._workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(dump_settings(self._settings),),
        )

    def _resubmit_unfinished(self) -> None:
        from castwright.jobs.repository import JobRepository
        from castwright.runtime import database_for

        db = database_for(self._settings)
        with db.session() as session:
            # This queue is the only runner (serve refuses several processes with it), so a
            # job found running was cut short by a crash.
            repo = JobRepository(session)
            repo.requeue_running()
            ids = repo.queued_ids()
        if ids:
            log.info("resuming %d unfinished job(s)", len(ids))
        for job_id in ids:
            self.enqueue(job_id)

    # -- queue -----------------------------------------------------------------------------

    def enqueue(self, job_id: str, kind: str = "") -> None:
        with self._lock:
            executor = self._executor
            if executor is None:
                return  # not started (e.g. stopping): the job stays queued and resumes at start
            if job_id in self._futures:
                return
            try:
                with _sigint_blocked():  # submit may start a worker process
                    future = executor.submit(_run_in_worker, job_id)
            except BrokenProcessPool as error:
                # The job row is committed: the replacement pool resubmits it with the rest.
                threading.Thread(target=self._restart, args=(executor, error), daemon=True).start()
                return
            self._futures[job_id] = future
        future.add_done_callback(functools.partial(self._finished, job_id, executor))

    def _finished(self, job_id: str, executor: ProcessPoolExecutor, future: Future[str]) -> None:
        with self._lock:
            if self._futures.get(job_id) is future:  # not a resubmission's newer future
                del self._futures[job_id]
        if future.cancelled():
            return
        error = future.exception()
        if isinstance(error, BrokenProcessPool):
            # A worker died (an engine crashed). Replace the pool; the job row is still
            # running, so resubmitting every unfinished job picks it up again.
            threading.Thread(target=self._restart, args=(executor, error), daemon=True).start()
        elif error is not None:
            log.error("job %s raised in the worker: %r", job_id, error)

    def _restart(self, broken: ProcessPoolExecutor, error: BaseException) -> None:
        # Every future of a broken pool fails at once: only the first replaces it, and never
        # once stop() has begun.
        with self._lock:
            if self._executor is not broken:
                return
            self._executor = self._new_executor()
        log.error("worker pool broke (%s); restarting it", error)
        broken.shutdown(wait=False, cancel_futures=True)
        self._resubmit_unfinished()

    def check(self) -> str:
        with self._lock:
            executor, running = self._executor, len(self._futures)
        if executor is None:
            raise RuntimeError("the inline worker pool is not running")
        return f"inline, {self._workers} worker process(es), {running} job(s) in hand"

    async def wait(self, job_id: str, timeout: float) -> bool:
        with self._lock:
            future = self._futures.get(job_id)
        if future is None:
            return True
        try:
            await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), timeout)
        except TimeoutError:
            return False
        except Exception:
            return True  # finished badly; the caller reads the outcome from the database
        return True
