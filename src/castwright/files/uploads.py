"""Accepting the bytes of a pending upload: once, atomically, then on to probing."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from castwright.errors import Conflict, NotFound
from castwright.files.service import FileService
from castwright.models.file import File, FileStatus
from castwright.runtime import Runtime

__all__ = ["accept_upload"]


def accept_upload(runtime: Runtime, blob_key: str, spooled: Path) -> None:
    with runtime.unit_of_work() as session:
        file = session.scalars(
            select(File).where(File.blob_key == blob_key).with_for_update()
        ).first()
        if file is None:
            raise NotFound("No upload is waiting at this URL", errors=["url: unknown upload"])
        if file.status != FileStatus.PENDING or file.source_url is not None:
            raise Conflict(
                "This file has already been uploaded",
                errors=["url: an upload URL accepts one successful PUT"],
            )
        # put_file moves the finished file into place: a reader never sees half an upload.
        runtime.blobs.put_file(blob_key, spooled)
        FileService(runtime, session, file.org_id, file.created_by).mark_uploaded(file)
