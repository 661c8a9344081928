"""Back-pressure for live streams: one bounded set of synthesis slots shared by every face,
and a per-API-key limit on how many streams a key may open per minute.

A full gate answers at once (RateLimited, which faces render as 429 with Retry-After) rather
than letting requests pile up behind each other until they all time out.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Protocol

from castwright.config import StreamingSettings
from castwright.errors import RateLimited

__all__ = ["GateStats", "KeyLimiter", "SynthesisGate", "SynthesisSlot"]

_WINDOW_SECONDS = 60.0


@dataclass(frozen=True)
class GateStats:
    """What the gate has seen since the process started (for /healthz and the benchmarks)."""

    active: int  # streams holding a slot now
    capacity: int
    opened: int  # streams ever admitted
    refused: int  # requests answered 429
    sentences: int  # sentences synthesised by every stream together


class SynthesisSlot:
    """One admitted stream's place in the gate; released exactly once."""

    def __init__(self, gate: SynthesisGate) -> None:
        self._gate = gate
        self._released = False
        self._lock = threading.Lock()

    def sentence_done(self) -> None:
        self._gate._count_sentence()

    def release(self) -> None:
        with self._lock:
            if self._released:
                return
            self._released = True
        self._gate._release()

    @property
    def released(self) -> bool:
        return self._released


class KeyLimiter(Protocol):
    """Sliding-window counters per key (castwright.ratelimit's stores: memory or Redis, so
    that several API processes count one key together)."""

    def hit(self, key: str, limit: int, window_seconds: float) -> int | None: ...


class _MemoryLimiter:
    """The fallback when no shared limiter is given: this process's own counts."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._recent: dict[str, deque[float]] = {}

    def hit(self, key: str, limit: int, window_seconds: float) -> int | None:
        now = time.monotonic()
        with self._lock:
            recent = self._recent.setdefault(key, deque())
            while recent and now - recent[0] >= window_seconds:
                recent.popleft()
            if len(recent) >= limit:
                return max(1, math.ceil(window_seconds - (now - recent[0])))
            recent.append(now)
            return None


class SynthesisGate:
    """Thread-safe: streams are admitted from the event loop and released from their threads."""

    def __init__(self, settings: StreamingSettings, limiter: KeyLimiter | None = None) -> None:
        self.settings = settings
        self._limiter = limiter or _MemoryLimiter()
        self._lock = threading.Lock()
        self._active = 0
        self._opened = 0
        self._refused = 0
        self._sentences = 0

    def admit(self, key_id: str | None = None) -> SynthesisSlot:
        """A slot for one stream, or RateLimited when the gate or the key's quota is full."""
        with self._lock:
            if self._active >= self.settings.max_streams:
                self._refused += 1
                raise RateLimited(
                    f"the server is synthesising {self._active} streams, its limit; "
                    "try again shortly",
                    retry_after=self.settings.retry_after_seconds,
                )
            self._active += 1  # held while the key's count is checked, so none slips past
        per_minute = self.settings.requests_per_minute_per_key
        if key_id is not None and per_minute:
            # Counted only for streams the gate admits: a 429 for a full server is no use.
            wait = self._limiter.hit(f"streams:{key_id}", per_minute, _WINDOW_SECONDS)
            if wait is not None:
                with self._lock:
                    self._active -= 1
                    self._refused += 1
                raise RateLimited(
                    f"this API key may open {per_minute} speech streams per minute; "
                    "try again later",
                    retry_after=wait,
                )
        with self._lock:
            self._opened += 1
        return SynthesisSlot(self)

    def _release(self) -> None:
        with self._lock:
            self._active -= 1

    def _count_sentence(self) -> None:
        with self._lock:
            self._sentences += 1

    def stats(self) -> GateStats:
        with self._lock:
            return GateStats(
                self._active,
                self.settings.max_streams,
                self._opened,
                self._refused,
                self._sentences,
            )
