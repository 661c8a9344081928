"""Migration 0006 builds what PronunciationEntry declares, on SQLite and PostgreSQL; the word
uniqueness rule holds in the database; the revision downgrades and comes back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import castwright.models  # noqa: F401  (every table)
from castwright.config import Settings
from castwright.db.base import Base
from castwright.db.engine import make_engine
from castwright.db.migrate import alembic_config, upgrade
from castwright.dictionaries.lexicon import load_lexicon
from castwright.dictionaries.service import DictionaryService
from castwright.models.pronunciation_entry import PronunciationEntry
from support.databases import postgres_available, postgres_schema_url

TABLE = "pronunciation_entry"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with ExitStack() as stack:
        if request.param == "sqlite":
            yield f"sqlite:///{tmp_path / 'schema.db'}"
            return
        if reason := postgres_available():
            pytest.skip(reason)
        yield stack.enter_context(postgres_schema_url())


def _about_my_table(diff: object) -> bool:
    parts = diff if isinstance(diff, list) else [diff]
    return any(TABLE in repr(part) for part in parts)


def test_migration_matches_the_model(database_url: str, tmp_path: Path) -> None:
    upgrade(Settings(_env_file=None, data_dir=tmp_path, database_url=database_url))
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
            indexes = {i["name"] for i in sa.inspect(connection).get_indexes(TABLE)}
    finally:
        engine.dispose()
    assert [d for d in diffs if _about_my_table(d)] == []
    assert "ix_pronunciation_entry_org_lang" in indexes


def test_one_row_per_word_language_and_specialization(database_url: str, tmp_path: Path) -> None:
    upgrade(Settings(_env_file=None, data_dir=tmp_path, database_url=database_url))
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            service = DictionaryService(session, "org-a")
            service.put_word("AFLR", "aflorithmic")
            service.put_word("aflr", "a flow")  # the same word: an update, not a second row
            service.put_word("AFLR", "ˈæflɚ", specialization="Isaac", content_type="IPA")  # noqa: RUF001
            DictionaryService(session, "org-b").put_word("AFLR", "other")
            session.commit()
            rows = session.scalars(sa.select(PronunciationEntry)).all()
            assert sorted((r.org_id, r.specialization, r.replacement) for r in rows) == [
                ("org-a", "default", "a flow"),
                ("org-a", "isaac", "ˈæflɚ"),  # noqa: RUF001
                ("org-b", "default", "other"),
            ]
            lexicon = load_lexicon(session, "org-a")
            assert len(lexicon) == 1 and len(lexicon.words[0].pronunciations) == 2
            session.add(
                PronunciationEntry(
                    org_id="org-a",
                    lang="global",
                    word="Aflr",
                    word_key="aflr",
                    specialization="default",
                    replacement="duplicate",
                    content_type="basic",
                )
            )
            with pytest.raises(IntegrityError):
                session.flush()
    finally:
        engine.dispose()


def test_the_revision_downgrades_and_upgrades(database_url: str, tmp_path: Path) -> None:
    upgrade(Settings(_env_file=None, data_dir=tmp_path, database_url=database_url))
    command.downgrade(alembic_config(database_url), "0005")
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            assert TABLE not in sa.inspect(connection).get_table_names()
    finally:
        engine.dispose()
    command.upgrade(alembic_config(database_url), "head")
