from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from castwright.db.base import Base, new_id, utcnow

__all__ = ["Encoding", "JobState", "Production"]


class JobState:
    """Status values shared by productions and encodings (the wire uses the same words)."""

    QUEUED = "queued"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    FAILED = "failed"
    UNFINISHED = (QUEUED, IN_PROGRESS)


class Production(Base):
    """A mix: speech laid over a sound template, mastered. Also a validation-only run."""

    __tablename__ = "production"
    __table_args__ = (
        Index("ix_production_dedupe", "org_id", "dedupe_key", "status"),
        Index("ix_production_org_created", "org_id", "created_at"),  # the list, newest first
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    speech_id: Mapped[str | None] = mapped_column(String(36), default=None, index=True)
    script_id: Mapped[str] = mapped_column(String(36), default="")
    project_name: Mapped[str] = mapped_column(String(200), default="default")
    module_name: Mapped[str] = mapped_column(String(200), default="default")
    script_name: Mapped[str] = mapped_column(String(200), default="default")
    script_metadata: Mapped[dict[str, Any]] = mapped_column(default=dict)
    sound_template: Mapped[str] = mapped_column(String(200), default="")
    mastering_preset: Mapped[str] = mapped_column(String(64), default="balanced")
    validate_only: Mapped[bool] = mapped_column(default=False)
    public: Mapped[bool] = mapped_column(default=False)
    request: Mapped[dict[str, Any]] = mapped_column(default=dict)
    dedupe_key: Mapped[str] = mapped_column(String(64))
    job_id: Mapped[str | None] = mapped_column(String(36), default=None)
    status: Mapped[str] = mapped_column(String(16), default=JobState.QUEUED)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    # [{filename, format, kind, blobKey, fileId, duration, sampleRate, channels}]
    files: Mapped[list[Any]] = mapped_column(default=list)
    warnings: Mapped[list[Any]] = mapped_column(default=list)
    timeline: Mapped[list[Any]] = mapped_column(default=list)  # what was placed where
    loudness: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)


class Encoding(Base):
    """A delivery encode of a production's mix."""

    __tablename__ = "encoding"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    production_id: Mapped[str] = mapped_column(String(36), index=True)
    preset: Mapped[str] = mapped_column(String(64))
    public: Mapped[bool] = mapped_column(default=False)
    request: Mapped[dict[str, Any]] = mapped_column(default=dict)
    job_id: Mapped[str | None] = mapped_column(String(36), default=None)
    status: Mapped[str] = mapped_column(String(16), default=JobState.QUEUED)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    format: Mapped[str] = mapped_column(String(16), default="")
    blob_key: Mapped[str | None] = mapped_column(String(300), default=None)
    file_id: Mapped[str | None] = mapped_column(String(36), default=None)
    duration: Mapped[float | None] = mapped_column(default=None)
    loudness: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
