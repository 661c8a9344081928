from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from castwright.db.base import Base, new_id, utcnow

__all__ = ["Script", "ScriptVersion"]


class Script(Base):
    __tablename__ = "script"
    __table_args__ = (Index("ix_script_org_created", "org_id", "created_at"),)  # the list

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    project_name: Mapped[str] = mapped_column(String(200), default="default", index=True)
    module_name: Mapped[str] = mapped_column(String(200), default="default")
    script_name: Mapped[str] = mapped_column(String(200), default="default")
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    versions: Mapped[list[ScriptVersion]] = relationship(
        back_populates="script",
        order_by="ScriptVersion.ordinal",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="selectin",
    )

    @property
    def latest(self) -> ScriptVersion:
        return self.versions[-1]


class ScriptVersion(Base):
    __tablename__ = "script_version"
    __table_args__ = (UniqueConstraint("script_id", "name", name="uq_script_version_name"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    script_id: Mapped[str] = mapped_column(ForeignKey("script.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    ordinal: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    script: Mapped[Script] = relationship(back_populates="versions")
