"""The runtime: every seam built once from Settings and shared by faces, CLI and workers."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy.orm import Session

from castwright.config import Settings
from castwright.db import Database
from castwright.jobs.base import JobQueue
from castwright.jobs.submit import PENDING_JOBS
from castwright.speech.engines.registry import EngineRegistry
from castwright.storage import BlobStore, UrlSigner, blob_store_for
from castwright.voices.catalogue import VoiceCatalogue
from castwright.voices.local import local_catalogue, local_engines

__all__ = ["Runtime", "build_runtime", "database_for"]

log = logging.getLogger("castwright")

_databases: dict[str, Database] = {}


def database_for(settings: Settings) -> Database:
    """One Database (engine and pool) per URL per process."""
    url = settings.effective_database_url
    if url not in _databases:
        if url.startswith("sqlite"):
            settings.data_dir.mkdir(parents=True, exist_ok=True)
        _databases[url] = Database(url)
    return _databases[url]


@dataclass
class Runtime:
    settings: Settings
    db: Database
    blobs: BlobStore
    signer: UrlSigner
    queue: JobQueue | None = None
    _extras: dict[str, object] = field(default_factory=dict)

    @cached_property
    def engines(self) -> EngineRegistry:
        registry = local_engines(self.settings)
        for name, reason in registry.unavailable().items():
            log.info("engine %s unavailable: %s", name, reason)
        return registry

    @cached_property
    def voices(self) -> VoiceCatalogue:
        return local_catalogue(self.settings, self.engines)

    def warm_up(self) -> None:
        """Load engines and the catalogue now rather than on the first request."""
        _ = self.voices

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A transaction; jobs submitted inside it are enqueued only once it has committed."""
        with self.db.session() as session:
            yield session
            pending: list[str] = session.info.pop(PENDING_JOBS, [])
        if self.queue is not None:
            for job_id in pending:
                self.queue.enqueue(job_id)

    def close(self) -> None:
        if self.queue is not None:
            self.queue.stop()


def build_runtime(settings: Settings, *, with_queue: bool = True) -> Runtime:
    signer = UrlSigner(settings.effective_secret_key(), settings.effective_public_url)
    runtime = Runtime(
        settings=settings,
        db=database_for(settings),
        blobs=blob_store_for(settings),
        signer=signer,
    )
    if with_queue:
        from castwright.jobs.inline import InlineJobQueue

        runtime.queue = InlineJobQueue(settings)
    return runtime
