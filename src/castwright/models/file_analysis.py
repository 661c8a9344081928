from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from castwright.db.base import Base, utcnow

__all__ = ["FileAnalysis"]


class FileAnalysis(Base):
    """A file's waveform peaks and loudness over time, computed once (castwright.analysis).

    Keyed by the file and remembering the blob and the analysis version it was computed from,
    so a newer analysis format is recomputed rather than served stale; it goes with its file.
    """

    __tablename__ = "file_analysis"

    file_id: Mapped[str] = mapped_column(
        ForeignKey("file.id", ondelete="CASCADE"), primary_key=True
    )
    blob_key: Mapped[str] = mapped_column(String(300))
    version: Mapped[int]
    data: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
