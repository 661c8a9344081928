"""Independent pieces of DSP work on threads of their own.

scipy's filters and FFTs, numpy's large array operations, soxr and LAME all release the GIL,
so threads give a job the machine's other cores without the cost of processes (no copies,
no pickling). Each call makes its own short-lived threads: nested calls cannot deadlock on a
shared pool, and a forked worker inherits no pool.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

__all__ = ["on_threads"]

In = TypeVar("In")
Out = TypeVar("Out")


def on_threads(work: Callable[[In], Out], items: Sequence[In]) -> list[Out]:
    """``[work(item) for item in items]``, the first on the calling thread and each of the
    others on a thread of its own; the first exception raised is raised here."""
    if len(items) < 2:
        return [work(item) for item in items]
    with ThreadPoolExecutor(len(items) - 1, thread_name_prefix="castwright-dsp") as pool:
        others = [pool.submit(work, item) for item in items[1:]]
        first = work(items[0])
        return [first, *(future.result() for future in others)]
