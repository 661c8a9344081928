from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from castwright.db.base import Base, new_id, utcnow

__all__ = ["Folder"]


class Folder(Base):
    """A folder of an organisation's library. The root has no parent and the path ""."""

    __tablename__ = "folder"
    __table_args__ = (UniqueConstraint("org_id", "path", name="uq_folder_org_path"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    parent_id: Mapped[str | None] = mapped_column(
        ForeignKey("folder.id", ondelete="CASCADE"), index=True, default=None
    )
    name: Mapped[str] = mapped_column(String(255))
    # Full path from the root ("music/beds"): kept so prefix search needs no recursion.
    path: Mapped[str] = mapped_column(String(1024))
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_by: Mapped[str | None] = mapped_column(String(64), default=None)
