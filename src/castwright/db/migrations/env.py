"""Alembic environment: the URL comes from Settings (or the caller's config)."""

from __future__ import annotations

from alembic import context

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


def run_migrations_online() -> None:
    engine = make_engine(url)
    with engine.connect() as connection:
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
