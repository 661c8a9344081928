"""Database URLs for the suite: SQLite always, PostgreSQL when it is reachable."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

__all__ = ["PG_URL", "postgres_available", "postgres_schema_url"]

PG_URL = os.environ.get(
    "CASTWRIGHT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def postgres_available() -> str | None:
    """None when usable, else the reason it is not."""
    try:
        engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(sa.text("select 1"))
        engine.dispose()
        return None
    except Exception as error:  # any failure means: skip, and say why
        return f"PostgreSQL not reachable at {PG_URL}: {error.__class__.__name__}"


@contextmanager
def postgres_schema_url() -> Iterator[str]:
    """A fresh schema for one test run, dropped afterwards; the URL selects it."""
    schema = f"cw_test_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(PG_URL)
    with engine.begin() as connection:
        connection.execute(sa.text(f'create schema "{schema}"'))
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text(f'drop schema "{schema}" cascade'))
        engine.dispose()
