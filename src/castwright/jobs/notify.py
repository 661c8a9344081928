"""Finished-job notices over Redis pub/sub, so that an API process waiting on a job a worker
on another host runs (a synchronous POST) answers as soon as it is done, not at its next poll.

Workers publish the id of every job that reaches its end; each API process has one listener
thread that wakes the requests waiting for it. A notice is only a hint: the job row stays the
truth, and waiting falls back to polling it, so a lost notice (Redis restarting) costs time,
never correctness.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

__all__ = ["CHANNEL", "FinishedJobs", "announce_finished"]

log = logging.getLogger("castwright.jobs")

CHANNEL = "castwright:jobs:finished"

_publishers: dict[str, Any] = {}  # one client per Redis URL per process
_publishers_lock = threading.Lock()


def announce_finished(redis_url: str, job_id: str) -> None:
    """Tell every waiting API process (never raises: the row already says it)."""
    try:
        with _publishers_lock:
            client = _publishers.get(redis_url)
            if client is None:
                import redis

                client = redis.Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2)
                _publishers[redis_url] = client
        client.publish(CHANNEL, job_id)
    except Exception as error:  # the waiting side polls the job row as well
        log.debug("could not announce job %s: %r", job_id, error)


class FinishedJobs:
    """One subscription per API process; ``expect`` gives a future a notice resolves."""

    def __init__(self, redis_url: str) -> None:
        self._url = redis_url
        self._lock = threading.Lock()
        self._waiters: dict[str, list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]]] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pubsub: Any = None
        self.subscribed = threading.Event()

    def start(self, wait_seconds: float = 2.0) -> None:
        """Start listening; waits a little for the subscription (Redis may be down)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._listen, name="job-notices", daemon=True)
            self._thread.start()
        self.subscribed.wait(wait_seconds)

    def stop(self) -> None:
        self._stop.set()
        pubsub = self._pubsub
        if pubsub is not None:
            try:
                pubsub.close()
            except Exception as error:  # closing a broken connection may fail; we are leaving
                log.debug("closing the job notice subscription: %r", error)
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def expect(self, job_id: str) -> asyncio.Future[None]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        with self._lock:
            self._waiters.setdefault(job_id, []).append((loop, future))
        return future

    def forget(self, job_id: str, future: asyncio.Future[None]) -> None:
        with self._lock:
            waiters = [w for w in self._waiters.get(job_id, []) if w[1] is not future]
            if waiters:
                self._waiters[job_id] = waiters
            else:
                self._waiters.pop(job_id, None)

    def _wake(self, job_id: str) -> None:
        with self._lock:
            waiters = self._waiters.pop(job_id, [])
        for loop, future in waiters:
            loop.call_soon_threadsafe(_resolve, future)

    def _listen(self) -> None:
        import redis

        while not self._stop.is_set():
            try:
                client: Any = redis.Redis.from_url(self._url, socket_connect_timeout=2)
                self._pubsub = client.pubsub(ignore_subscribe_messages=True)
                self._pubsub.subscribe(CHANNEL)
                self._pubsub.get_message(timeout=1.0)  # the subscription's confirmation
                self.subscribed.set()
                while not self._stop.is_set():
                    message = self._pubsub.get_message(timeout=1.0)
                    if message and message.get("type") == "message":
                        data = message["data"]
                        self._wake(data.decode() if isinstance(data, bytes) else str(data))
            except Exception as error:  # Redis restarting: waiters poll meanwhile; reconnect
                self.subscribed.clear()
                if not self._stop.is_set():
                    log.debug("job notices: %r; reconnecting", error)
                    self._stop.wait(1.0)


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
