"""What `castwright serve` and `castwright worker` share: logging, the metrics directory."""

from __future__ import annotations

import atexit
import logging
import shutil
import tempfile
from pathlib import Path

from castwright.config import (
    Settings,
    export_prometheus_multiprocess_dir,
    prometheus_multiprocess_dir,
)
from castwright.logs import configure_logging

__all__ = ["prepare_metrics_dir", "sharing_warnings", "start_logging"]

log = logging.getLogger("castwright")


def start_logging(settings: Settings) -> None:
    configure_logging(settings.log_level, settings.log_format)


def prepare_metrics_dir(role: str) -> Path:
    """Put this process and its children in prometheus_client's multi-process mode.

    PROMETHEUS_MULTIPROC_DIR set (docs/deploy.md: one directory per service, e.g. systemd's
    RuntimeDirectory): emptied, as figures of an earlier run must not be added to this one's.
    Unset: a fresh temporary directory, removed at exit. Must run before anything imports
    prometheus_client.
    """
    configured = prometheus_multiprocess_dir()
    if configured is not None:
        configured.mkdir(parents=True, exist_ok=True)
        for stale in configured.glob("*.db"):
            stale.unlink(missing_ok=True)
        return configured
    directory = Path(tempfile.mkdtemp(prefix=f"castwright-{role}-metrics-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    export_prometheus_multiprocess_dir(directory)
    return directory


def sharing_warnings(settings: Settings) -> list[str]:
    """What several hosts must share and, in these settings, might not (docs/deploy.md)."""
    if settings.jobs.backend != "celery":
        return []
    warnings = []
    if not settings.secret_key:
        warnings.append(
            "CASTWRIGHT_SECRET_KEY is not set, so the key generated in the data directory signs "
            "URLs: give every API host and worker the same CASTWRIGHT_SECRET_KEY"
        )
    if settings.storage.backend == "local":
        warnings.append(
            f"blobs are files under {settings.blob_root}: every API host and worker needs that "
            "same directory (a shared volume), or use S3 (CASTWRIGHT_STORAGE__BACKEND=s3)"
        )
    for warning in warnings:
        log.warning(warning)
    return warnings
