"""Creating a job-backed resource over HTTP: create, wait briefly, answer."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from castwright.runtime import Runtime

__all__ = ["create_then_answer"]


async def create_then_answer(
    runtime: Runtime,
    create: Callable[[], tuple[str, str | None]],
    answer: Callable[[str], JSONResponse],
    wait: bool = True,
) -> JSONResponse:
    """``create`` returns (resource id, job id). A small job usually finishes within the wait,
    so plain HTTP clients get the finished object (200) in one call; otherwise ``answer``
    gives the 202 the client polls."""
    resource_id, job_id = await run_in_threadpool(create)
    if wait and job_id and runtime.queue is not None:
        await runtime.queue.wait(job_id, runtime.settings.jobs.sync_wait_seconds)
    return await run_in_threadpool(answer, resource_id)
