"""Programmatic Alembic: migrations ship inside the package so an installed wheel can migrate."""

from __future__ import annotations

import threading
from pathlib import Path

from alembic import command
from alembic.config import Config

from castwright.config import Settings

__all__ = ["alembic_config", "upgrade"]

_MIGRATIONS = Path(__file__).parent / "migrations"
_lock = threading.Lock()


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(settings: Settings, revision: str = "head") -> None:
    if settings.effective_database_url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    with _lock:
        command.upgrade(alembic_config(settings.effective_database_url), revision)
