"""Accepting the bytes of a pending upload: once, atomically, then on to probing."""

from __future__ import annotations

from pathlib import Path

from castwright.errors import Conflict, NotFound
from castwright.files.repository import FileRepository
from castwright.files.service import FileService
from castwright.runtime import Runtime

__all__ = ["accept_upload"]


def accept_upload(runtime: Runtime, blob_key: str, spooled: Path) -> None:
    with runtime.unit_of_work() as session:
        repo = FileRepository(session)
        claimed = repo.claim_upload(blob_key)  # the claim holds until commit
        file = repo.file_by_blob(blob_key)
        if file is None:
            raise NotFound("No upload is waiting at this URL", errors=["url: unknown upload"])
        if not claimed:
            raise Conflict(
                "This file has already been uploaded",
                errors=["url: an upload URL accepts one successful PUT"],
            )
        service = FileService(runtime, session, file.org_id, file.created_by)
        service.check_quota(spooled.stat().st_size)  # 413; the claim rolls back with it
        # put_file moves the finished file into place: a reader never sees half an upload.
        runtime.blobs.put_file(blob_key, spooled)
        service.mark_uploaded(file)
