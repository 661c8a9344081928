"""Rate-limit counters: a sliding window of events per key, in this process or in Redis.

Several API processes behind a load balancer must count one API key's requests together, so
the store is a seam: ``MemoryRateLimitStore`` for one process (the default), and
``RedisRateLimitStore`` when Castwright has Redis (``redis_url``, or a Redis broker). Redis
keeps one sorted set per key and checks and records in one Lua script, so concurrent processes
cannot both take the last place; it uses Redis's clock, so hosts' clocks need not agree. While
Redis cannot be reached the Redis store lets requests through (and says so in the log).

    wait = runtime.rate_limits.hit(f"streams:{key_id}", limit=60, window_seconds=60)
    if wait is not None:
        raise RateLimited("...", retry_after=wait)
"""

from __future__ import annotations

import logging
import math
import threading
import time
import uuid
from collections import deque
from typing import Any, Protocol, runtime_checkable

from castwright.config import Settings

__all__ = [
    "MemoryRateLimitStore",
    "RateLimitStore",
    "RedisRateLimitStore",
    "rate_limit_store_for",
]

log = logging.getLogger("castwright.ratelimit")


@runtime_checkable
class RateLimitStore(Protocol):
    def hit(self, key: str, limit: int, window_seconds: float) -> int | None:
        """Record one event for ``key`` if fewer than ``limit`` happened in the last
        ``window_seconds``, and return None; otherwise record nothing and return the whole
        seconds until one more would be allowed (at least 1)."""
        ...

    def reset(self, key: str) -> None:
        """Forget every event of ``key``."""
        ...


def _wait(window: float, oldest_age: float) -> int:
    return max(1, math.ceil(window - oldest_age))


class MemoryRateLimitStore:
    """One process's counters (thread-safe). Right for a single `castwright serve`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._events: dict[str, deque[float]] = {}

    def hit(self, key: str, limit: int, window_seconds: float) -> int | None:
        now = time.monotonic()
        with self._lock:
            events = self._events.setdefault(key, deque())
            while events and now - events[0] >= window_seconds:
                events.popleft()
            if len(events) >= limit:
                return _wait(window_seconds, now - events[0])
            events.append(now)
            return None

    def reset(self, key: str) -> None:
        with self._lock:
            self._events.pop(key, None)


# KEYS[1]: the sorted set; ARGV: limit, window in microseconds, a unique member.
# Scores are Redis's own time in microseconds. Returns -1 when recorded, else the oldest
# event's age in microseconds.
_HIT_SCRIPT = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000000 + tonumber(now_parts[2])
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return now - tonumber(oldest[2])
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000))
return -1
"""


class RedisRateLimitStore:
    """Counters every API process shares, in Redis (``redis`` comes with the celery extra)."""

    def __init__(self, url: str, prefix: str = "castwright:ratelimit:") -> None:
        import redis

        self._client: Any = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._script: Any = self._client.register_script(_HIT_SCRIPT)
        self._prefix = prefix
        self._unreachable = (redis.ConnectionError, redis.TimeoutError)
        self._last_warning = -math.inf

    def hit(self, key: str, limit: int, window_seconds: float) -> int | None:
        window_us = int(window_seconds * 1_000_000)
        member = uuid.uuid4().hex  # two events in the same microsecond are two events
        try:
            result = int(self._script(keys=[self._prefix + key], args=[limit, window_us, member]))
        except self._unreachable as error:
            # Fail open: Redis restarting must not turn every request into an error; the
            # limit is back as soon as Redis is.
            now = time.monotonic()
            if now - self._last_warning > 60:
                self._last_warning = now
                log.warning("rate limits not counted, Redis unreachable: %r", error)
            return None
        if result < 0:
            return None
        return _wait(window_seconds, result / 1_000_000)

    def reset(self, key: str) -> None:
        self._client.delete(self._prefix + key)


def rate_limit_store_for(settings: Settings) -> RateLimitStore:
    """Redis when Castwright has one (``redis_url``, or a Redis broker), else this process."""
    url = settings.effective_redis_url
    if url:
        return RedisRateLimitStore(url)
    return MemoryRateLimitStore()
