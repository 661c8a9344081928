"""File jobs: fetch a transfer, probe what arrived. Both idempotent."""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy.orm import Session

from castwright.db.engine import after_commit
from castwright.files.fetch import fetch_to_file
from castwright.files.probe import ProbeFailed, probe_media
from castwright.files.service import PROBE_JOB, TRANSFER_JOB, FileService
from castwright.jobs.registry import job_handler
from castwright.models.file import File, FileStatus
from castwright.runtime import Runtime

__all__ = ["probe_file", "transfer_file"]

_MEDIA_KINDS = ("audio", "video")


def _mark_failed(runtime: Runtime, session: Session, file_id: str, reason: str) -> None:
    file = session.get(File, file_id)
    if file is not None:
        file.status, file.fail_reason = FileStatus.FAILED, reason


@job_handler(TRANSFER_JOB, on_failure=_mark_failed)
def transfer_file(runtime: Runtime, session: Session, file_id: str) -> None:
    file = session.get(File, file_id)
    if file is None or file.status != FileStatus.PENDING or not file.source_url:
        return
    with tempfile.TemporaryDirectory(prefix="castwright-fetch-") as tmp:
        target = Path(tmp) / "download"
        result = fetch_to_file(file.source_url, target, runtime.settings.fetch)
        FileService(runtime, session, file.org_id, file.created_by).check_quota(result.size)
        runtime.blobs.put_file(file.blob_key, target)
    if file.mime_type == "application/octet-stream" and result.content_type:
        file.mime_type = result.content_type.split(";")[0].strip()
    file.size = result.size
    file.status = FileStatus.PROCESSING
    _probe(runtime, session, file)


@job_handler(PROBE_JOB, on_failure=_mark_failed)
def probe_file(runtime: Runtime, session: Session, file_id: str) -> None:
    file = session.get(File, file_id)
    if file is None or file.status != FileStatus.PROCESSING:
        return
    _probe(runtime, session, file)


def _probe(runtime: Runtime, session: Session, file: File) -> None:
    limit = runtime.settings.storage.max_upload_bytes
    file.size = runtime.blobs.size(file.blob_key)
    if file.size > limit:
        _reject(runtime, session, file, f"the file is {file.size} bytes; at most {limit} allowed")
        return
    if file.kind not in _MEDIA_KINDS:
        file.status = FileStatus.READY
        return
    try:
        with runtime.blobs.local_copy(file.blob_key) as path:
            info = probe_media(path)
    except ProbeFailed as failure:
        # A file that claims to be audio and is not is never kept as audio.
        _reject(runtime, session, file, failure.message)
        return
    file.duration, file.sample_rate, file.channels = info.duration, info.sample_rate, info.channels
    file.format, file.codec = info.format, info.codec
    file.status = FileStatus.READY


def _reject(runtime: Runtime, session: Session, file: File, reason: str) -> None:
    file.status, file.fail_reason = FileStatus.FAILED, reason
    blobs, key = runtime.blobs, file.blob_key
    after_commit(session, lambda: blobs.delete(key))
