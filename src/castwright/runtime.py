"""The runtime: every seam built once from Settings and shared by faces, CLI and workers."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from castwright.config import Settings
from castwright.db import Database
from castwright.jobs.base import JobQueue
from castwright.jobs.submit import PENDING_JOBS
from castwright.ratelimit import RateLimitStore, rate_limit_store_for
from castwright.speech.engines.registry import EngineRegistry
from castwright.speech.streaming.gate import SynthesisGate
from castwright.storage import BlobStore, UrlSigner, blob_store_for
from castwright.voices.catalogue import VoiceCatalogue
from castwright.voices.local import local_catalogue, local_engines

if TYPE_CHECKING:
    from castwright.predict.service import LengthPredictor

__all__ = ["Runtime", "build_runtime", "database_for", "queue_for"]

log = logging.getLogger("castwright")

_databases: dict[str, Database] = {}


def database_for(settings: Settings) -> Database:
    """One Database (engine and pool) per URL per process."""
    url = settings.effective_database_url
    if url not in _databases:
        if url.startswith("sqlite"):
            settings.data_dir.mkdir(parents=True, exist_ok=True)
        _databases[url] = Database(url, settings.database)
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

    @cached_property
    def streams(self) -> SynthesisGate:
        """The bounded synthesis queue every streaming face shares (settings.streaming)."""
        return SynthesisGate(self.settings.streaming, self.rate_limits)

    @cached_property
    def rate_limits(self) -> RateLimitStore:
        """Per-key request counts every API process shares (Redis when configured)."""
        return rate_limit_store_for(self.settings)

    @cached_property
    def predictor(self) -> LengthPredictor:
        """Speech length prediction: a model per voice, fitted on first use, kept in data_dir."""
        from castwright.predict.service import LengthPredictor

        return LengthPredictor(
            self.engines, self.settings.data_dir / "predict", self.settings.speech.chunk_chars
        )

    def warm_up(self) -> None:
        """Load engines and the catalogue now rather than on the first request."""
        _ = self.voices

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A transaction; jobs submitted inside it are enqueued only once it has committed."""
        with self.db.session() as session:
            yield session
            pending: list[tuple[str, str]] = session.info.pop(PENDING_JOBS, [])
        if self.queue is not None:
            for job_id, kind in pending:
                self.queue.enqueue(job_id, kind)

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
        runtime.queue = queue_for(settings)
    return runtime


def queue_for(settings: Settings) -> JobQueue:
    """The queue settings.jobs.backend names: worker processes of this one, or Celery."""
    if settings.jobs.backend == "celery":
        from castwright.jobs.celery_queue import CeleryJobQueue

        return CeleryJobQueue(settings)
    from castwright.jobs.inline import InlineJobQueue

    return InlineJobQueue(settings)
