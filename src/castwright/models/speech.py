from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from castwright.db.base import Base, new_id, utcnow

__all__ = ["Speech", "SpeechStatus"]


class SpeechStatus:
    QUEUED = "queued"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    FAILED = "failed"
    UNFINISHED = (QUEUED, IN_PROGRESS)


class Speech(Base):
    """A TTS render of one script version. Script fields are copied: speeches outlive scripts."""

    __tablename__ = "speech"
    __table_args__ = (
        Index("ix_speech_dedupe", "org_id", "dedupe_key", "status"),
        # The list (newest first, keyset pages) and the per-organisation count of unfinished
        # renders every POST makes.
        Index("ix_speech_org_created", "org_id", "created_at"),
        Index("ix_speech_org_status", "org_id", "status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    script_id: Mapped[str] = mapped_column(String(36), index=True)
    version: Mapped[str] = mapped_column(String(64))
    project_name: Mapped[str] = mapped_column(String(200))
    module_name: Mapped[str] = mapped_column(String(200))
    script_name: Mapped[str] = mapped_column(String(200))
    script_metadata: Mapped[dict[str, Any]] = mapped_column(default=dict)
    script_text: Mapped[str] = mapped_column(Text)
    voice: Mapped[str] = mapped_column(String(200))
    speed: Mapped[float] = mapped_column(default=1.0)
    public: Mapped[bool] = mapped_column(default=False)
    section_to_produce: Mapped[str | None] = mapped_column(String(200), default=None)
    # The normalised request (audience, sections, padding, flags): what the job renders.
    request: Mapped[dict[str, Any]] = mapped_column(default=dict)
    dedupe_key: Mapped[str] = mapped_column(String(64))
    job_id: Mapped[str | None] = mapped_column(String(36), default=None)
    status: Mapped[str] = mapped_column(String(16), default=SpeechStatus.QUEUED)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    # Rendered sections: [{sectionId, sectionName, ..., blobKey, duration}] in script order.
    sections: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
