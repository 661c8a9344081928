"""A bounded hand-over from one producer thread to one consumer, sync or asyncio.

The producer waits while ``depth`` items are unread (that is the back-pressure that keeps a
slow client from making synthesis run ahead without limit). An asyncio consumer waits without
holding a thread: the producer wakes its loop with ``call_soon_threadsafe``, so a hundred open
streams cost no worker threads while they wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import threading
from collections import deque
from collections.abc import Callable

__all__ = ["Handoff"]


class Handoff:
    END = object()  # what get() returns once the producer has finished or the consumer closed

    def __init__(self, depth: int) -> None:
        self._depth = depth
        self._items: deque[object] = deque()
        self._cond = threading.Condition()
        self._finished = False
        self._closed = False
        self._wake: Callable[[], None] | None = None

    def put(self, item: object) -> bool:
        """Hand ``item`` over once there is room; False (item dropped) once the consumer closed."""
        with self._cond:
            while len(self._items) >= self._depth and not self._closed:
                self._cond.wait()
            if self._closed:
                return False
            self._items.append(item)
        self._notify()
        return True

    def put_final(self, item: object) -> None:
        """Hand ``item`` over without waiting for room (an error, at the end)."""
        with self._cond:
            if self._closed:
                return
            self._items.append(item)
        self._notify()

    def finish(self) -> None:
        with self._cond:
            self._finished = True
        self._notify()

    def close(self) -> None:
        """The consumer is gone: unread items are dropped and the producer stops waiting."""
        with self._cond:
            self._closed = True
            self._items.clear()
        self._notify()

    def _notify(self) -> None:
        with self._cond:
            self._cond.notify_all()
            wake, self._wake = self._wake, None
        if wake is not None:
            wake()

    def _take(self) -> object | None:
        """The next item, END, or None when the consumer must wait. Call holding the lock."""
        if self._closed:
            return self.END
        if self._items:
            item = self._items.popleft()
            self._cond.notify_all()
            return item
        return self.END if self._finished else None

    def get(self) -> object:
        with self._cond:
            while (item := self._take()) is None:
                self._cond.wait()
            return item

    async def aget(self) -> object:
        loop = asyncio.get_running_loop()
        while True:
            ready = asyncio.Event()
            with self._cond:
                item = self._take()
                if item is not None:
                    return item
                self._wake = functools.partial(_call_soon, loop, ready.set)
            await ready.wait()


def _call_soon(loop: asyncio.AbstractEventLoop, callback: Callable[[], None]) -> None:
    with contextlib.suppress(RuntimeError):  # a closed loop: nobody is waiting any more
        loop.call_soon_threadsafe(callback)
