"""The Celery backend of the JobQueue seam, as the API process sees it: publish job ids.

Messages carry only a job id; the job row is the truth. Each id is published after the
transaction that created its row has committed (Runtime.unit_of_work), to the heavy queue
(renders, mixes, encodes) or the light one (probes, transfers) so that a host can be given
one kind of work. A publish that fails (the broker is down) leaves the job queued with no
publish time, and the next sweep of any worker sends it: an accepted job is never lost.

The worker side (the task, the sweep, the process signals) is in celery_worker.py.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from castwright.config import JobSettings, Settings
from castwright.jobs.notify import FinishedJobs

if TYPE_CHECKING:
    from celery import Celery

__all__ = ["TASK_NAME", "CeleryJobQueue", "celery_app", "publish", "queue_for_kind"]

log = logging.getLogger("castwright.jobs")

TASK_NAME = "castwright.run_job"


def celery_app(settings: Settings) -> Celery:
    """A Celery application for Castwright's settings: reliable delivery over speed."""
    from celery import Celery

    jobs = settings.jobs
    app = Celery("castwright", broker=jobs.broker_url, set_as_current=False)
    app.conf.update(
        # A message is acknowledged only once its job has run, and a worker fetches one
        # message at a time: a worker that dies loses nothing, and none hoards work.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,  # outcomes live in the job table
        task_serializer="json",
        accept_content=["json"],
        task_default_queue=jobs.light_queue,
        broker_transport_options={
            # Unacknowledged messages go back to the queue after this (a dead worker host).
            "visibility_timeout": jobs.visibility_timeout_seconds,
            "socket_connect_timeout": jobs.publish_timeout_seconds,
        },
        broker_connection_timeout=jobs.publish_timeout_seconds,
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,  # a worker waits out a broker restart
        # A publish that cannot reach the broker fails within seconds; the sweep resends.
        task_publish_retry_policy={
            "max_retries": 2,
            "interval_start": 0,
            "interval_step": 0.5,
            "interval_max": 1,
        },
        worker_hijack_root_logger=False,
        worker_redirect_stdouts=False,
        worker_cancel_long_running_tasks_on_connection_loss=False,
        worker_send_task_events=False,
        task_send_sent_event=False,
    )
    return app


def queue_for_kind(jobs: JobSettings, kind: str) -> str:
    return jobs.heavy_queue if kind in jobs.heavy_kinds else jobs.light_queue


def publish(app: Celery, jobs: JobSettings, job_id: str, kind: str, countdown: float = 0) -> None:
    """Send a job id to its queue; raises when the broker cannot be reached."""
    app.send_task(
        TASK_NAME,
        args=[job_id],
        queue=queue_for_kind(jobs, kind),
        countdown=countdown or None,
    )


def redacted(url: str) -> str:
    """A broker URL without its password, for logs and readiness."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


class CeleryJobQueue:
    """API side: publishes; ``castwright worker`` processes run the jobs."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._app: Celery | None = None
        self._lock = threading.Lock()
        redis_url = settings.effective_redis_url
        self._notices = FinishedJobs(redis_url) if redis_url else None

    @property
    def app(self) -> Celery:
        with self._lock:
            if self._app is None:
                self._app = celery_app(self._settings)
            return self._app

    def start(self) -> None:
        log.info("jobs go to Celery via %s", redacted(self._settings.jobs.broker_url))
        if self._notices is not None:
            self._notices.start()

    def stop(self) -> None:
        if self._notices is not None:
            self._notices.stop()
        with self._lock:
            app, self._app = self._app, None
        if app is not None:
            app.close()

    def enqueue(self, job_id: str, kind: str) -> None:
        try:
            publish(self.app, self._settings.jobs, job_id, kind)
        except Exception as error:  # the row is committed: the sweep sends it later
            log.warning("job %s (%s) not handed to the broker yet: %r", job_id, kind, error)
            self._mark_unsent(job_id)

    def _mark_unsent(self, job_id: str) -> None:
        from castwright.jobs.repository import JobRepository
        from castwright.runtime import database_for

        try:
            with database_for(self._settings).session() as session:
                JobRepository(session).mark_unsent(job_id)
        except Exception as error:  # still found by the sweep, once requeue_after has passed
            log.warning("job %s: could not mark it unsent: %r", job_id, error)

    async def wait(self, job_id: str, timeout: float) -> bool:
        """Until the worker's notice arrives (Redis pub/sub) or the job row, polled as the
        fallback, says it finished; any worker on any host may run it."""
        from castwright.jobs.repository import JobRepository
        from castwright.models.job import JobStatus
        from castwright.runtime import database_for

        db = database_for(self._settings)

        def finished() -> bool:
            with db.session() as session:
                status = JobRepository(session).status_of(job_id)
            return status is None or status in JobStatus.FINISHED

        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        notices = self._notices
        notice = notices.expect(job_id) if notices is not None else None
        pause = 0.05 if notice is None else 0.25  # polling is only the fallback with notices
        try:
            while True:
                if await asyncio.to_thread(finished):  # after subscribing: no notice is missed
                    return True
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return False
                if notice is None:
                    await asyncio.sleep(min(pause, remaining))
                else:
                    done, _ = await asyncio.wait({notice}, timeout=min(pause, remaining))
                    if done:
                        return True
                pause = min(pause * 1.5, 0.5)
        finally:
            if notices is not None and notice is not None:
                notices.forget(job_id, notice)

    def check(self) -> str:
        with self.app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
        return f"celery via {redacted(self._settings.jobs.broker_url)}"
