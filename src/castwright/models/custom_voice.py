from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from castwright.db.base import Base, new_id, utcnow

__all__ = ["CustomVoice"]


class CustomVoice(Base):
    """An organisation's own voice: an engine voice with the settings a clone chose.

    Only this organisation lists it, speaks with it and can delete it; its alias is unique
    within the organisation (in any case) and never shadows a built-in voice.
    """

    __tablename__ = "custom_voice"
    __table_args__ = (UniqueConstraint("org_id", "alias_key", name="uq_custom_voice_org_alias"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(String(64))
    alias: Mapped[str] = mapped_column(String(100))
    alias_key: Mapped[str] = mapped_column(String(100))
    clone_id: Mapped[str | None] = mapped_column(String(36), default=None, index=True)
    engine: Mapped[str] = mapped_column(String(64))
    engine_voice_id: Mapped[str] = mapped_column(String(100))
    variant: Mapped[str] = mapped_column(String(64), default="")
    rate: Mapped[float] = mapped_column(default=1.0)
    pitch: Mapped[float] = mapped_column(default=1.0)
    gender: Mapped[str] = mapped_column(String(16), default="neutral")
    language_code: Mapped[str] = mapped_column(String(35), default="en-US")
    display_name: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
