from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from castwright.db.base import Base, utcnow

__all__ = ["RenderCacheEntry"]


class RenderCacheEntry(Base):
    """Rendered section audio keyed on everything that changes it (see speeches.cache)."""

    __tablename__ = "render_cache"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    blob_key: Mapped[str] = mapped_column(String(300))
    duration: Mapped[float]
    sample_rate: Mapped[int] = mapped_column(default=22050)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
