"""The JobQueue protocol. Queues carry job ids only; the job row is the truth."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

__all__ = ["JobQueue"]


@runtime_checkable
class JobQueue(Protocol):
    def start(self) -> None:
        """Start workers and re-enqueue every job left queued or running by a crash."""
        ...

    def stop(self) -> None:
        """Finish running jobs, leave queued ones queued (they resume at the next start)."""
        ...

    def enqueue(self, job_id: str, kind: str) -> None:
        """Called only after the transaction that created the job has committed. Never
        raises for a queue that is down: the job stays queued and is sent again later."""
        ...

    async def wait(self, job_id: str, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds; True if the job is known to have finished."""
        ...

    def check(self) -> str:
        """Raise when the queue cannot take jobs now; else a short description (readiness)."""
        ...
