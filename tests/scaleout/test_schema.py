"""The migrations build what the models declare for the job table and the list indexes, on
SQLite and PostgreSQL, and downgrade cleanly."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import castwright.models  # noqa: F401  (every table)
from castwright.config import Settings
from castwright.db.base import Base
from castwright.db.engine import make_engine
from castwright.db.migrate import alembic_config, upgrade
from support.databases import postgres_available, postgres_schema_url

MINE = {"job", "speech", "production", "script"}
LIST_INDEXES = {
    "speech": {"ix_speech_org_created", "ix_speech_org_status"},
    "production": {"ix_production_org_created"},
    "script": {"ix_script_org_created"},
    "job": {"ix_job_status_created"},
}


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with ExitStack() as stack:
        if request.param == "sqlite":
            yield f"sqlite:///{tmp_path / 'schema.db'}"
            return
        if reason := postgres_available():
            pytest.skip(reason)
        yield stack.enter_context(postgres_schema_url())


def _table_of(diff: tuple[object, ...]) -> str | None:
    """The table an autogenerate difference is about."""
    if str(diff[0]).startswith("modify_"):  # (op, schema, table name, column name, ...)
        return str(diff[2])
    for part in diff[1:]:
        table = part if isinstance(part, sa.Table) else getattr(part, "table", None)
        if isinstance(table, sa.Table):
            return str(table.name)
    return None


def test_migrations_match_the_models(database_url: str, tmp_path: Path) -> None:
    upgrade(Settings(_env_file=None, data_dir=tmp_path, database_url=database_url))
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
            inspector = sa.inspect(connection)
            for table, wanted in LIST_INDEXES.items():
                names = {index["name"] for index in inspector.get_indexes(table)}
                assert wanted <= names, (table, names)
            columns = {c["name"] for c in inspector.get_columns("job")}
            assert {"enqueued_at", "heartbeat_at", "worker", "request_id"} <= columns
    finally:
        engine.dispose()
    flat = [d for diff in diffs for d in (diff if isinstance(diff, list) else [diff])]
    assert [d for d in flat if _table_of(d) in MINE] == []


def test_the_scale_out_revision_downgrades(database_url: str, tmp_path: Path) -> None:
    upgrade(Settings(_env_file=None, data_dir=tmp_path, database_url=database_url))
    command.downgrade(alembic_config(database_url), "0008")
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            columns = {c["name"] for c in sa.inspect(connection).get_columns("job")}
    finally:
        engine.dispose()
    assert "heartbeat_at" not in columns
    command.upgrade(alembic_config(database_url), "head")
