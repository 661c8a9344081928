"""All SQL for cached file analyses."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from castwright.models.file_analysis import FileAnalysis

__all__ = ["AnalysisRepository"]


class AnalysisRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def find(self, file_id: str, blob_key: str, version: int) -> FileAnalysis | None:
        """The cached analysis of exactly these bytes in this format, if there is one."""
        return self.session.scalars(
            select(FileAnalysis).where(
                FileAnalysis.file_id == file_id,
                FileAnalysis.blob_key == blob_key,
                FileAnalysis.version == version,
            )
        ).first()

    def store(self, file_id: str, blob_key: str, version: int, data: dict[str, Any]) -> None:
        """Keep (or replace) the file's analysis. Two requests may compute the same analysis
        at once; the second insert then finds the first one's row and keeps it (same bytes,
        same numbers), inside a savepoint so the request's transaction carries on."""
        existing = self.session.get(FileAnalysis, file_id)
        if existing is not None:
            existing.blob_key, existing.version, existing.data = blob_key, version, data
            self.session.flush()
            return
        try:
            with self.session.begin_nested():
                self.session.add(
                    FileAnalysis(file_id=file_id, blob_key=blob_key, version=version, data=data)
                )
        except IntegrityError:
            pass  # stored meanwhile by a concurrent request
