"""A file's analysis: from the cache, or decoded, measured and cached on first request."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from castwright.analysis.compute import ANALYSIS_VERSION, analyse
from castwright.analysis.repository import AnalysisRepository
from castwright.audio.decode import decode
from castwright.errors import Conflict, Invalid
from castwright.files.service import FileService
from castwright.models.file import FileStatus
from castwright.runtime import Runtime

__all__ = ["AnalysisService"]


class AnalysisService:
    def __init__(self, runtime: Runtime, session: Session, org_id: str) -> None:
        self.runtime = runtime
        self.files = FileService(runtime, session, org_id)
        self.repo = AnalysisRepository(session)

    def analysis(self, file_id: str) -> dict[str, Any]:
        """Peaks and loudness of a ready audio (or video) file of the organisation.

        The first request decodes the file (seconds for an hour of audio) inside the
        request's transaction: a read that holds no lock on SQLite in WAL mode nor on
        PostgreSQL; the row written at the end is the only write.
        """
        file = self.files.refresh(self.files.get(file_id))
        if file.status in (FileStatus.PENDING, FileStatus.PROCESSING):
            raise Conflict(
                f"File {file_id} is still being uploaded or probed",
                errors=["fileId: the file is not ready yet; try again once it is uploaded"],
            )
        if file.status == FileStatus.FAILED or file.kind not in ("audio", "video"):
            raise Invalid("is not a playable audio file", field="fileId")
        cached = self.repo.find(file.id, file.blob_key, ANALYSIS_VERSION)
        if cached is not None:
            return {**cached.data, "fileId": file.id, "cached": True}
        with self.runtime.blobs.local_copy(file.blob_key) as path:
            data = analyse(decode(path))
        self.repo.store(file.id, file.blob_key, ANALYSIS_VERSION, data)
        return {**data, "fileId": file.id, "cached": False}
