"""`castwright worker`: a Celery worker that runs Castwright's jobs with the shared runner.

Process layout (prefork pool): the main process consumes from the broker, hands each message
to a child process and runs the sweep thread; each child builds its own Runtime (engines,
database pool) once, after the fork, and runs one job at a time with heartbeats.

Delivery: acks_late + prefetch 1 + reject_on_worker_lost. A child killed mid-job has its message
returned to the queue at once; a whole host lost has its messages returned by the broker after
the visibility timeout; either way, and even if the broker itself lost the message, the sweep
finds the job by its silent heartbeat. The runner's claim makes every such duplicate harmless.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any

from castwright.config import Settings
from castwright.jobs.celery_queue import TASK_NAME, celery_app, publish
from castwright.jobs.sweep import Sweeper

if TYPE_CHECKING:
    from celery import Celery

    from castwright.runtime import Runtime

__all__ = ["build_worker_app", "run_worker"]

log = logging.getLogger("castwright.jobs")

_state: dict[str, Any] = {}  # this process's runtime (a child's) and sweeper (the main's)


def _runtime(settings: Settings) -> Runtime:
    runtime: Runtime | None = _state.get("runtime")
    if runtime is None:
        from castwright.runtime import build_runtime

        runtime = build_runtime(settings, with_queue=False)
        runtime.warm_up()
        _state["runtime"] = runtime
    return runtime


def build_worker_app(settings: Settings) -> Celery:
    """The Celery app with Castwright's one task registered."""
    from castwright.jobs.notify import announce_finished
    from castwright.jobs.runner import RETRY, run_job_once
    from castwright.models.job import JobStatus

    app = celery_app(settings)

    def run_castwright_job(task: Any, job_id: str) -> str:
        runtime = _runtime(settings)
        worker = f"{task.request.hostname}:{os.getpid()}"
        outcome = run_job_once(runtime, job_id, worker=worker, heartbeat=True)
        if outcome.status == RETRY:
            _retry_later(app, runtime, job_id, outcome.retry_in)
        elif outcome.status in JobStatus.FINISHED and settings.effective_redis_url:
            announce_finished(settings.effective_redis_url, job_id)  # wakes a waiting POST
        return outcome.status

    app.task(name=TASK_NAME, bind=True, acks_late=True, reject_on_worker_lost=True)(
        run_castwright_job
    )
    return app


def _retry_later(app: Celery, runtime: Runtime, job_id: str, delay: float) -> None:
    """Publish the job again to run after ``delay`` (the row says when it is due)."""
    from castwright.jobs.repository import JobRepository

    with runtime.db.session() as session:
        kind = JobRepository(session).kinds_of([job_id]).get(job_id)
    if kind is None:
        return
    try:
        publish(app, runtime.settings.jobs, job_id, kind, countdown=delay)
    except Exception as error:  # left queued: the sweep sends it once it is overdue
        log.warning("job %s: could not schedule its retry: %r", job_id, error)


def _connect_signals(app: Celery, settings: Settings) -> None:
    from celery import signals

    from castwright.logs import configure_logging
    from castwright.runtime import database_for

    def setup_logging(**_: Any) -> None:  # ours, not Celery's: JSON and request ids
        configure_logging(settings.log_level, settings.log_format)

    def child_started(**_: Any) -> None:
        # Connections opened before the fork belong to the parent: never share them.
        database_for(settings).engine.dispose(close=False)
        _runtime(settings)

    def worker_ready(**_: Any) -> None:
        jobs = settings.jobs
        sweeper = Sweeper(
            database_for(settings), jobs, lambda job_id, kind: publish(app, jobs, job_id, kind)
        )
        sweeper.start()
        _state["sweeper"] = sweeper

    def worker_shutdown(**_: Any) -> None:
        sweeper: Sweeper | None = _state.pop("sweeper", None)
        if sweeper is not None:
            sweeper.stop()

    signals.setup_logging.connect(setup_logging, weak=False)
    signals.worker_process_init.connect(child_started, weak=False)
    signals.worker_ready.connect(worker_ready, weak=False)
    signals.worker_shutdown.connect(worker_shutdown, weak=False)


def run_worker(
    settings: Settings, queues: list[str], concurrency: int, name: str, pool: str = "prefork"
) -> None:
    """Run a Celery worker in this process until it is told to stop (SIGTERM, Ctrl-C)."""
    app = build_worker_app(settings)
    _connect_signals(app, settings)
    argv = [
        "worker",
        f"--queues={','.join(queues)}",
        f"--concurrency={concurrency}",
        f"--pool={pool}",
        f"--hostname={name}",
        f"--loglevel={settings.log_level.upper()}",
        "--without-gossip",  # workers need not know each other: the job table coordinates
        "--without-mingle",
    ]
    if settings.log_format == "json":
        argv.insert(0, "--quiet")  # Celery's global option: no banner between the JSON lines
    app.worker_main(argv)
