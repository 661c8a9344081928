"""Logging for every process (API, inline workers, Celery workers): text or one JSON object per
line, each record carrying the request id it serves and, in a worker, the job it runs.

The request id is made by faces/middleware.py, stored on every job the request submits, and
bound again by the job runner, so one id follows the work from the HTTP request into the worker
that did it, on whichever host that was.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

__all__ = [
    "JsonFormatter",
    "bind_context",
    "configure_logging",
    "current_request_id",
    "job_id_var",
    "request_id_var",
]

request_id_var: ContextVar[str | None] = ContextVar("castwright_request_id", default=None)
job_id_var: ContextVar[str | None] = ContextVar("castwright_job_id", default=None)

_TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s%(context)s: %(message)s"
# Attributes every LogRecord has; anything else was passed with extra= and is kept in JSON.
_STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "context"}


def current_request_id() -> str | None:
    return request_id_var.get()


@contextmanager
def bind_context(*, request_id: str | None = None, job_id: str | None = None) -> Iterator[None]:
    """Log records made inside (on this thread or task, and threads it starts with a copied
    context) carry these ids."""
    request_token = request_id_var.set(request_id)
    job_token = job_id_var.set(job_id)
    try:
        yield
    finally:
        job_id_var.reset(job_token)
        request_id_var.reset(request_token)


class _ContextFilter(logging.Filter):
    """Copies the bound ids onto each record, whoever logged it (Celery and uvicorn too)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        if not hasattr(record, "job_id"):
            record.job_id = job_id_var.get()
        parts = [f"{n}={v}" for n in ("request_id", "job_id") if (v := getattr(record, n))]
        record.context = f" [{' '.join(parts)}]" if parts else ""
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: what log shippers (Loki, Elasticsearch, CloudWatch) index."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        for name in ("request_id", "job_id"):
            if value := getattr(record, name, None):
                entry[name] = value
        for name, value in vars(record).items():
            if name not in _STANDARD and name not in entry and name not in ("request_id", "job_id"):
                entry[name] = value if isinstance(value, str | int | float | bool) else repr(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str = "info", fmt: str = "text") -> None:
    """Replace the root logger's handlers with one on stderr in the chosen format."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_ContextFilter())
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(_TEXT_FORMAT))
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level.upper())
