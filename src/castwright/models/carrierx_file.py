from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from castwright.db.base import Base, utcnow

__all__ = ["CarrierXFile"]


class CarrierXFile(Base):
    """The CarrierX fields of a library file held in a container.

    ``file_sid`` is the library file's id, so the same file has one id in every face; bytes,
    size, duration and MIME type live on the library row and are never copied here.
    """

    __tablename__ = "carrierx_file"
    __table_args__ = (
        Index("ix_carrierx_file_container_created", "container_sid", "created_at"),
        Index("ix_carrierx_file_container_access_name", "container_sid", "file_access_name"),
        Index("ix_carrierx_file_org_created", "org_id", "created_at"),
    )

    file_sid: Mapped[str] = mapped_column(
        ForeignKey("file.id", ondelete="CASCADE"), primary_key=True
    )
    container_sid: Mapped[str] = mapped_column(
        ForeignKey("carrierx_container.id", ondelete="CASCADE")
    )
    org_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(1024))
    file_access_name: Mapped[str] = mapped_column(String(1024))
    type: Mapped[str] = mapped_column(String(32), default="file")
    content_classification: Mapped[str] = mapped_column(String(32), default="unknown")
    content_format: Mapped[str] = mapped_column(String(32), default="")
    desired_bitrate: Mapped[int | None] = mapped_column(default=None)
    desired_format: Mapped[str | None] = mapped_column(String(16), default=None)
    lifecycle_action: Mapped[str] = mapped_column(String(32), default="no_action")
    lifecycle_ttl: Mapped[int] = mapped_column(default=-1)
    # When the file's TTL runs out (null: never); the lifecycle job reads only this column.
    expires_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    publish: Mapped[str] = mapped_column(String(32), default="file_sid")
    threshold_include: Mapped[bool] = mapped_column(default=True)
    unique: Mapped[bool] = mapped_column(default=False)
    parent_file_sid: Mapped[str | None] = mapped_column(String(36), default=None)
    integer_key_1: Mapped[int | None] = mapped_column(default=None)
    integer_key_2: Mapped[int | None] = mapped_column(default=None)
    string_key_1: Mapped[str | None] = mapped_column(String(255), default=None)
    string_key_2: Mapped[str | None] = mapped_column(String(255), default=None)
    string_key_3: Mapped[str | None] = mapped_column(String(255), default=None)
    string_key_4: Mapped[str | None] = mapped_column(String(255), default=None)
    date_last_accessed: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    date_modified: Mapped[datetime] = mapped_column(default=utcnow)
