from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from castwright.db.base import Base, new_id, utcnow

__all__ = ["VoiceClone", "VoiceCloneStatus"]


class VoiceCloneStatus:
    PREPARING = "preparing"  # accepted, waiting for a worker
    IN_PROGRESS = "in_progress"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    UNFINISHED = (PREPARING, IN_PROGRESS)


class VoiceClone(Base):
    """A request to build a voice from recordings (POST /speech/voice-builder), and its fate."""

    __tablename__ = "voice_clone"
    __table_args__ = (Index("ix_voice_clone_org_alias", "org_id", "alias_key"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(String(64))
    alias: Mapped[str] = mapped_column(String(100))
    alias_key: Mapped[str] = mapped_column(String(100))  # lower case: aliases match any case
    voice_engine: Mapped[str] = mapped_column(String(64))
    cloner: Mapped[str] = mapped_column(String(64))
    file_ids: Mapped[list[Any]] = mapped_column(default=list)  # the samples used
    discarded_files: Mapped[dict[str, Any]] = mapped_column(default=dict)  # fileId -> reason
    consent_file_id: Mapped[str | None] = mapped_column(String(36), default=None)
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    status: Mapped[str] = mapped_column(String(16), default=VoiceCloneStatus.PREPARING)
    fail_reason: Mapped[str | None] = mapped_column(Text, default=None)
    job_id: Mapped[str | None] = mapped_column(String(36), default=None)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    # What was measured and chosen: reference, achieved and base profiles, settings.
    analysis: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
