"""A synthetic library for the search benchmark: 100,000 files in about 1,000 folders, with
categories and tags, inserted straight into the server's database through SQLAlchemy.

The rows are what the server itself would have written (the same models, the same derived
columns: kind, MIME type, blob key, the denormalised folder path), generated from a fixed seed
so every run searches the same library. Bulk inserts in batches (`session.execute(insert(...),
rows)`), one transaction, before the server starts.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

from castwright.auth.service import DEFAULT_ORG
from castwright.config import Settings
from castwright.db.engine import Database
from castwright.db.migrate import upgrade
from castwright.files.media_types import kind_from_name, mime_type_for
from castwright.models.file import File, FileStatus, FileTag
from castwright.models.folder import Folder

__all__ = [
    "CATEGORIES",
    "TAGS",
    "TOP_FOLDERS",
    "LibraryStats",
    "populate",
]

SEED = 3
BATCH = 5_000

# Three levels: 10 areas x 10 kinds of material x 10 years = 1,000 leaf folders (1,111 with
# their parents and the root); every file sits in a leaf, "music/beds/2021/storm-loop-....wav".
# fmt: off
TOP_FOLDERS = (
    "music", "voiceovers", "sfx", "podcasts", "ads", "jingles", "interviews", "archive",
    "clients", "drafts",
)
MID_FOLDERS = (
    "beds", "stings", "intros", "outros", "loops", "takes", "edits", "masters", "stems", "promos",
)
# fmt: on
LEAF_FOLDERS = tuple(str(year) for year in range(2017, 2027))

# (category, weight): "" is a file nobody categorised.
CATEGORIES = (("music", 30), ("voice", 25), ("sfx", 20), ("ambience", 10), ("ads", 5), ("", 10))
# fmt: off
TAGS = (
    "calm", "upbeat", "dark", "bright", "loop", "one-shot", "short", "long", "male", "female",
    "approved", "draft", "client-a", "client-b", "archived", "licensed", "royalty-free",
    "stereo", "mono", "intro",
)
_WORDS = (
    "storm", "rain", "city", "night", "morning", "river", "forest", "engine", "crowd", "ocean",
    "wind", "bell", "piano", "guitar", "drum", "voice", "choir", "street", "harbour", "train",
    "market", "office", "garden", "fire", "ice", "desert", "canyon", "echo", "pulse", "glow",
    "drift", "horizon", "meadow", "thunder", "signal", "static", "velvet", "copper", "silver",
    "amber", "coral", "ember", "frost", "lunar", "solar",
)
# fmt: on
# (extension, weight): mostly audio, as a production library is.
_EXTENSIONS = (("wav", 45), ("mp3", 35), ("flac", 5), ("m4a", 5), ("png", 5), ("pdf", 5))


@dataclass(frozen=True)
class LibraryStats:
    files: int
    folders: int
    tags: int  # file_tag rows
    seconds: float  # generating and inserting, migrations excluded
    analyze_seconds: float | None  # PostgreSQL: VACUUM ANALYZE after, as autovacuum would


def _folders(org_id: str, now: datetime) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """Folder rows (parents first) and the (id, path) of every leaf."""
    rows: list[dict[str, Any]] = []
    leaves: list[tuple[str, str]] = []

    def add(parent: str | None, name: str, path: str) -> str:
        folder_id = str(uuid.uuid4())
        rows.append(
            {
                "id": folder_id,
                "org_id": org_id,
                "parent_id": parent,
                "name": name,
                "path": path,
                "created_by": "",
                "created_at": now,
                "updated_at": None,
                "updated_by": None,
            }
        )
        return folder_id

    root = add(None, "", "")
    for top in TOP_FOLDERS:
        top_id = add(root, top, top)
        for mid in MID_FOLDERS:
            mid_id = add(top_id, mid, f"{top}/{mid}")
            for leaf in LEAF_FOLDERS:
                path = f"{top}/{mid}/{leaf}"
                leaves.append((add(mid_id, leaf, path), path))
    return rows, leaves


def _files(
    org_id: str, count: int, leaves: list[tuple[str, str]], rng: random.Random
) -> Iterator[tuple[dict[str, Any], list[str]]]:
    """File rows with their tags, oldest first, a few minutes apart over about a year."""
    categories = [c for c, _ in CATEGORIES]
    category_weights = [w for _, w in CATEGORIES]
    extensions = [e for e, _ in _EXTENSIONS]
    extension_weights = [w for _, w in _EXTENSIONS]
    kinds = {e: kind_from_name(f"x.{e}") for e in extensions}
    mime_types = {e: mime_type_for(f"x.{e}") for e in extensions}
    created = datetime(2025, 1, 1, tzinfo=UTC)
    for index in range(count):
        folder_id, folder_path = leaves[rng.randrange(len(leaves))]
        extension = rng.choices(extensions, extension_weights)[0]
        name = f"{rng.choice(_WORDS)}-{rng.choice(_WORDS)}-{index:06d}.{extension}"
        kind = kinds[extension]
        tags = rng.sample(TAGS, rng.choice((0, 1, 1, 2, 2, 3)))
        created += timedelta(seconds=rng.randint(30, 600))
        file_id = str(uuid.uuid4())
        audio = kind == "audio"
        yield (
            {
                "id": file_id,
                "org_id": org_id,
                "folder_id": folder_id,
                "folder_path": folder_path,
                "name": name,
                "extension": extension,
                "kind": kind,
                "mime_type": mime_types[extension],
                "category": rng.choices(categories, category_weights)[0],
                "source": rng.choice(("api", "api", "api", "upload", "transfer")),
                "tags": tags,
                "metadata": {"project": f"p{index % 97}"} if index % 5 == 0 else {},
                "status": FileStatus.READY,
                "fail_reason": None,
                "size": rng.randint(20_000, 40_000_000),
                "duration": round(rng.uniform(0.5, 600.0), 3) if audio else None,
                "sample_rate": 48_000 if audio else None,
                "channels": 2 if audio else None,
                "format": extension if audio else None,
                "codec": ("pcm_s16le" if extension == "wav" else extension) if audio else None,
                "blob_key": f"orgs/{org_id}/files/{file_id}.{extension}",
                "source_url": None,
                "access_control": "private",
                "generated": False,
                "created_by": "",
                "created_at": created,
                "updated_at": None,
                "updated_by": None,
            },
            tags,
        )


def populate(
    database_url: str,
    data_dir: Path,
    *,
    files: int = 100_000,
    org_id: str = DEFAULT_ORG,
    log: Callable[[str], None] = print,
) -> LibraryStats:
    """Migrate the database to head and fill one organisation's library."""
    settings = Settings(_env_file=None, data_dir=data_dir, database_url=database_url)
    upgrade(settings)
    rng = random.Random(SEED)
    started = time.perf_counter()
    database = Database(settings.effective_database_url)
    tag_rows = 0
    try:
        with database.session() as session:
            if database.engine.dialect.name == "sqlite":
                # Index pages for random UUID keys do not fit SQLite's default 2 MiB cache.
                session.execute(text("PRAGMA cache_size = -262144"))
            folder_rows, leaves = _folders(org_id, datetime.now(UTC))
            # Core inserts on the tables: one executemany per batch. The ORM's bulk insert
            # splits a batch wherever the set of NULL columns changes (thousands of statements).
            session.execute(insert(Folder.__table__), folder_rows)
            batch: list[dict[str, Any]] = []
            tag_batch: list[dict[str, Any]] = []
            for row, tags in _files(org_id, files, leaves, rng):
                batch.append(row)
                tag_batch.extend({"file_id": row["id"], "tag": tag} for tag in tags)
                if len(batch) >= BATCH:
                    session.execute(insert(File.__table__), batch)
                    session.execute(insert(FileTag.__table__), tag_batch)
                    tag_rows += len(tag_batch)
                    batch, tag_batch = [], []
            if batch:
                session.execute(insert(File.__table__), batch)
            if tag_batch:
                session.execute(insert(FileTag.__table__), tag_batch)
                tag_rows += len(tag_batch)
        seconds = time.perf_counter() - started
        analyze_seconds = None
        if database.engine.dialect.name == "postgresql":
            # A library this size has long been vacuumed and analysed by autovacuum; SQLite
            # has no such thing, and Castwright never runs ANALYZE there, so neither do we.
            with database.engine.connect().execution_options(
                isolation_level="AUTOCOMMIT"
            ) as connection:
                for table in ("folder", "file", "file_tag"):
                    connection.execute(text(f"VACUUM ANALYZE {table}"))
            analyze_seconds = time.perf_counter() - started - seconds
    finally:
        database.dispose()
    vacuum = f", VACUUM ANALYZE {analyze_seconds:.1f} s" if analyze_seconds is not None else ""
    log(
        f"  inserted {files:,} files, {len(folder_rows):,} folders and {tag_rows:,} tags "
        f"in {seconds:.1f} s{vacuum}"
    )
    return LibraryStats(files, len(folder_rows), tag_rows, seconds, analyze_seconds)
