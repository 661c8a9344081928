from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from castwright.db.base import Base, new_id, utcnow

__all__ = ["CarrierXContainer"]


class CarrierXContainer(Base):
    """A CarrierX storage container: a library folder plus the quotas and defaults of the face.

    The files themselves are library files (``file``) in ``folder_id``; totals are never
    stored here but counted from them, so they stay exact whichever face changes a file.
    """

    __tablename__ = "carrierx_container"
    __table_args__ = (Index("ix_carrierx_container_org_created", "org_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(String(64))
    folder_id: Mapped[str] = mapped_column(ForeignKey("folder.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255), default="N/A")
    unique: Mapped[bool] = mapped_column(default=False)
    allow_publish: Mapped[bool] = mapped_column(default=True)
    publish_domain: Mapped[str] = mapped_column(String(255), default="")
    quota_bytes: Mapped[int] = mapped_column(default=1073741824)
    quota_files: Mapped[int] = mapped_column(default=100)
    allowed_classifications: Mapped[list[Any]] = mapped_column(default=list)
    blocked_classifications: Mapped[list[Any]] = mapped_column(default=list)
    default_file_lifecycle_action: Mapped[str] = mapped_column(String(32), default="no_action")
    default_file_lifecycle_ttl: Mapped[int] = mapped_column(default=-1)
    default_file_publish: Mapped[str] = mapped_column(String(32), default="file_sid")
    default_file_threshold_include: Mapped[bool] = mapped_column(default=True)
    default_file_unique: Mapped[bool] = mapped_column(default=False)
    parent_container_sid: Mapped[str | None] = mapped_column(String(36), default=None)
    integer_key_1: Mapped[int | None] = mapped_column(default=None)
    integer_key_2: Mapped[int | None] = mapped_column(default=None)
    string_key_1: Mapped[str | None] = mapped_column(String(255), default=None)
    string_key_2: Mapped[str | None] = mapped_column(String(255), default=None)
    string_key_3: Mapped[str | None] = mapped_column(String(255), default=None)
    string_key_4: Mapped[str | None] = mapped_column(String(255), default=None)
    # Stored and echoed; the contract defines no automatic action for them.
    threshold_action: Mapped[str | None] = mapped_column(String(64), default=None)
    threshold_available_bytes_percent: Mapped[int | None] = mapped_column(default=None)
    threshold_available_files_percent: Mapped[int | None] = mapped_column(default=None)
    threshold_bytes: Mapped[int | None] = mapped_column(default=None)
    threshold_bytes_target: Mapped[int | None] = mapped_column(default=None)
    threshold_files: Mapped[int | None] = mapped_column(default=None)
    threshold_files_target: Mapped[int | None] = mapped_column(default=None)
    threshold_grace_period: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
