from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from castwright.db.base import Base, new_id, utcnow

__all__ = ["BUILTIN_ORG", "SoundTemplate", "TemplateSegment"]

# Built-in templates belong to no customer organisation and are visible to every one.
BUILTIN_ORG = "castwright"


class SoundTemplate(Base):
    __tablename__ = "sound_template"
    __table_args__ = (UniqueConstraint("org_id", "name", name="uq_sound_template_org_name"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[Any]] = mapped_column(default=list)
    # {"genres": [...], "moods": [...], "instruments": [...], "collections": [...]}
    labels: Mapped[dict[str, Any]] = mapped_column(default=dict)
    tempo: Mapped[float | None] = mapped_column(default=None)
    is_elastic: Mapped[bool] = mapped_column(default=False)
    generator_version: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    segments: Mapped[list[TemplateSegment]] = relationship(
        back_populates="template",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="selectin",
        order_by="TemplateSegment.position",
    )

    @property
    def builtin(self) -> bool:
        return self.org_id == BUILTIN_ORG

    def segment(self, name: str) -> TemplateSegment | None:
        return next((s for s in self.segments if s.name.lower() == name.lower()), None)


class TemplateSegment(Base):
    __tablename__ = "template_segment"
    __table_args__ = (UniqueConstraint("template_id", "name", name="uq_template_segment_name"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    template_id: Mapped[str] = mapped_column(
        ForeignKey("sound_template.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)
    # None for a built-in segment not rendered yet: its audio is made on first use.
    file_id: Mapped[str | None] = mapped_column(String(36), default=None)
    duration: Mapped[float] = mapped_column(default=0.0)

    template: Mapped[SoundTemplate] = relationship(back_populates="segments")
