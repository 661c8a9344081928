"""Job handlers by kind. Domain packages register theirs in their tasks.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from castwright.runtime import Runtime

__all__ = ["FailureHandler", "JobHandler", "get_handler", "job_handler", "registered_kinds"]

# A handler gets the worker's runtime, an open session (committed by the runner) and the id of
# the row it works on. It must be idempotent: it may run again after a crash.
JobHandler = Callable[["Runtime", Session, str], None]
FailureHandler = Callable[["Runtime", Session, str, str], None]

_HANDLERS: dict[str, tuple[JobHandler, FailureHandler | None]] = {}


def job_handler(
    kind: str, *, on_failure: FailureHandler | None = None
) -> Callable[[JobHandler], JobHandler]:
    def register(handler: JobHandler) -> JobHandler:
        _HANDLERS[kind] = (handler, on_failure)
        return handler

    return register


def get_handler(kind: str) -> tuple[JobHandler, FailureHandler | None]:
    _import_task_modules()
    return _HANDLERS[kind]


def registered_kinds() -> list[str]:
    _import_task_modules()
    return sorted(_HANDLERS)


def _import_task_modules() -> None:
    # Imported lazily so that importing castwright.jobs does no work and has no cycles.
    import castwright.cloning.tasks
    import castwright.delivery.tasks
    import castwright.files.tasks
    import castwright.production.tasks
    import castwright.speeches.tasks  # noqa: F401
