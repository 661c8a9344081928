"""Alembic environment: the URL comes from Settings (or the caller's config)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import context
from sqlalchemy import Engine, text

import castwright.models  # noqa: F401  (registers every table)
from castwright.config import Settings
from castwright.db.base import Base
from castwright.db.engine import make_engine

config = context.config
url = config.get_main_option("sqlalchemy.url") or Settings().effective_database_url


def run_migrations_offline() -> None:
    context.configure(
        url=url, target_metadata=Base.metadata, render_as_batch=True, literal_binds=True
    )
    with context.begin_transaction():
        context.run_migrations()


# Any fixed number: PostgreSQL advisory locks are named by integers.
_MIGRATION_LOCK = 0x43415354


@contextmanager
def _one_migrator_at_a_time(engine: Engine) -> Iterator[None]:
    """Several API hosts and workers may start together on one PostgreSQL database: the
    first migrates, the others wait and then find nothing to do. (SQLite serialises writers
    itself.) The lock is held on a connection of its own, outside the migration's
    transaction."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as holder:
        holder.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _MIGRATION_LOCK})
        holder.commit()
        try:
            yield
        finally:
            holder.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _MIGRATION_LOCK})
            holder.commit()


def run_migrations_online() -> None:
    engine = make_engine(url)
    with _one_migrator_at_a_time(engine), engine.connect() as connection:
        # render_as_batch: SQLite can only alter tables by copying them.
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=True,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
