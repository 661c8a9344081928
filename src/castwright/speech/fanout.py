"""Long sections synthesised on every core: the tail of the work goes to forked helpers.

espeak-ng is one library instance per process and serialises every call, so one long section
(a chapter, a ten-minute read) would use one core however many the machine has. Here the
section's engine calls are split into contiguous parts by text length; the first part is
synthesised in this process and each other part in a child forked for it, which streams its
results back through a pipe. They come out in the original order, so the caller cannot tell
the difference, except that the section is ready sooner.

Forking (not spawning) is what makes this cheap: the child starts with the engine already
loaded. It happens on the calling thread before any thread of ours exists, and the child only
synthesises, pickles and writes, then leaves with ``os._exit`` so it never runs the parent's
clean-up. Where ``fork`` does not exist the work simply runs here.
"""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import BinaryIO, Generic, TypeVar

__all__ = ["MIN_CHARS_PER_PART", "split_work", "spread"]

Item = TypeVar("Item")
Result = TypeVar("Result")
Run = Callable[[Sequence[Item]], Iterator[Result]]

# Below this much text per part a fork costs more than it saves (espeak-ng speaks about
# 2,000 characters in 10 ms of CPU; a fork of a worker takes a few ms).
MIN_CHARS_PER_PART = 4000
_FAILED = "castwright-fanout-failed"


def split_work(work: Sequence[Item], chars: Callable[[Item], int], parts: int) -> list[list[Item]]:
    """At most ``parts`` contiguous runs of ``work`` with about equal text in each."""
    sizes = [chars(item) for item in work]
    total = sum(sizes)
    parts = max(1, min(parts, total // MIN_CHARS_PER_PART))
    groups: list[list[Item]] = [[]]
    done = 0
    for item, size in zip(work, sizes, strict=True):
        # A new part starts once this one holds its share; never an empty one.
        if groups[-1] and len(groups) < parts and done >= total * len(groups) / parts:
            groups.append([])
        groups[-1].append(item)
        done += size
    return groups


def spread(
    work: Sequence[Item], chars: Callable[[Item], int], run: Run[Item, Result], parts: int
) -> Iterator[Result]:
    """``run(work)``'s results, in order, produced by up to ``parts`` processes, each running
    ``run`` over a contiguous part of ``work``. Results must pickle. The children are forked
    now, on the caller's thread; the iterator may be read on any thread."""
    groups = split_work(work, chars, parts) if hasattr(os, "fork") else [list(work)]
    children = [_Child[Result].fork(functools.partial(run, group)) for group in groups[1:]]
    return _in_order(run(groups[0]), children)


def _in_order(mine: Iterator[Result], children: list[_Child[Result]]) -> Iterator[Result]:
    try:
        yield from mine
        for child in children:
            yield from child.results()
    finally:
        for child in children:
            child.reap()


class _Child(Generic[Result]):
    """One forked helper and the thread that drains its pipe (so it never blocks writing)."""

    def __init__(self, pid: int, pipe: BinaryIO) -> None:
        self.pid = pid
        self._received: queue.Queue[object] = queue.Queue()
        self._reader = threading.Thread(
            target=self._drain, args=(pipe,), name="castwright-fanout", daemon=True
        )
        self._reader.start()

    @classmethod
    def fork(cls, produce: Callable[[], Iterator[Result]]) -> _Child[Result]:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: synthesise, send, leave
            os.close(read_fd)
            status = 1
            try:
                with os.fdopen(write_fd, "wb", buffering=1 << 20) as out:
                    try:
                        for result in produce():
                            pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
                        status = 0
                    except BaseException as error:  # reported to the parent, which raises
                        pickle.dump((_FAILED, repr(error)), out)
            finally:
                os._exit(status)
        os.close(write_fd)
        return cls(pid, os.fdopen(read_fd, "rb", buffering=1 << 20))

    def _drain(self, pipe: BinaryIO) -> None:
        with pipe:
            while True:
                try:
                    self._received.put(pickle.load(pipe))
                except EOFError:
                    break
                except Exception as error:  # a torn pickle: the child died mid-write
                    self._received.put((_FAILED, repr(error)))
                    break
        self._received.put(None)

    def results(self) -> Iterator[Result]:
        while (item := self._received.get()) is not None:
            if isinstance(item, tuple) and item and item[0] == _FAILED:
                raise RuntimeError(f"synthesis helper {self.pid} failed: {item[1]}")
            yield item  # type: ignore[misc]
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if status != 0:
            raise RuntimeError(f"synthesis helper exited with status {status}")

    def reap(self) -> None:
        """Stop and collect a child whose chunks were not all read (the render failed)."""
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, 9)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = 0
