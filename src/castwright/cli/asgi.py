"""The application factory of `castwright serve --workers N`: each uvicorn worker process
builds its app from the settings the serving command exported (overrides included)."""

from __future__ import annotations

from fastapi import FastAPI

from castwright.config import settings_from_parent

__all__ = ["worker_app"]


def worker_app() -> FastAPI:
    from castwright.app import create_app
    from castwright.cli.processes import start_logging

    settings = settings_from_parent()
    start_logging(settings)  # spawned: the parent's logging is not inherited
    return create_app(settings)
