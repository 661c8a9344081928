from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from castwright.db.base import Base, new_id, utcnow

__all__ = ["File", "FileReference", "FileStatus", "FileTag"]


class FileStatus:
    PENDING = "pending"  # waiting for the upload (or the transfer)
    PROCESSING = "processing"  # bytes are in storage, being probed
    READY = "ready"
    FAILED = "failed"


class File(Base):
    """A file of the library: uploads, transfers, and what the server produced."""

    __tablename__ = "file"
    __table_args__ = (
        Index("ix_file_org_path", "org_id", "folder_path"),
        Index("ix_file_org_created", "org_id", "created_at"),
        Index("ix_file_org_category", "org_id", "category"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(String(64))
    folder_id: Mapped[str] = mapped_column(ForeignKey("folder.id"), index=True)
    folder_path: Mapped[str] = mapped_column(String(1024))  # the folder's path, denormalised
    name: Mapped[str] = mapped_column(String(255))
    extension: Mapped[str] = mapped_column(String(32), default="")
    kind: Mapped[str] = mapped_column(String(16), default="other")  # audio, video, image, ...
    mime_type: Mapped[str] = mapped_column(String(128), default="application/octet-stream")
    category: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(64), default="api")
    tags: Mapped[list[Any]] = mapped_column(default=list)
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    status: Mapped[str] = mapped_column(String(16), default=FileStatus.PENDING)
    fail_reason: Mapped[str | None] = mapped_column(Text, default=None)
    size: Mapped[int] = mapped_column(default=0)
    duration: Mapped[float | None] = mapped_column(default=None)
    sample_rate: Mapped[int | None] = mapped_column(default=None)
    channels: Mapped[int | None] = mapped_column(default=None)
    format: Mapped[str | None] = mapped_column(String(64), default=None)
    codec: Mapped[str | None] = mapped_column(String(64), default=None)
    blob_key: Mapped[str] = mapped_column(String(300))
    source_url: Mapped[str | None] = mapped_column(Text, default=None)  # transfers only
    access_control: Mapped[str] = mapped_column(String(16), default="private")
    generated: Mapped[bool] = mapped_column(default=False)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_by: Mapped[str | None] = mapped_column(String(64), default=None)

    @property
    def path(self) -> str:
        return f"{self.folder_path}/{self.name}" if self.folder_path else self.name


class FileTag(Base):
    """One row per tag, so 'carries all these tags' is an indexed query on every backend."""

    __tablename__ = "file_tag"
    # (tag, file_id), not (tag) alone: the files carrying a tag come from the index without
    # touching the table, which the tag filter of search needs (on PostgreSQL an index-only
    # merge join of two tags instead of two bitmap heap scans; docs/benchmarks.md, section 6).
    __table_args__ = (Index("ix_file_tag_tag_file", "tag", "file_id"),)

    file_id: Mapped[str] = mapped_column(
        ForeignKey("file.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(200), primary_key=True)


class FileReference(Base):
    """Something that still uses a file (a speech, a mix, a sound template, a voice clone)."""

    __tablename__ = "file_reference"
    __table_args__ = (
        UniqueConstraint("file_id", "owner_kind", "owner_id", name="uq_file_reference"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    file_id: Mapped[str] = mapped_column(ForeignKey("file.id", ondelete="CASCADE"), index=True)
    owner_kind: Mapped[str] = mapped_column(String(32))
    owner_id: Mapped[str] = mapped_column(String(36), index=True)
