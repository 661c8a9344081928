from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from castwright.db.base import Base, new_id, utcnow

__all__ = ["PronunciationEntry"]


class PronunciationEntry(Base):
    """One replacement of one word, in one organisation's dictionary for one language.

    A word has one row per specialization (``default``, a voice alias, a dialect such as
    ``en-gb`` or a provider such as ``espeak-ng``); ``word_key`` is the word as it is matched
    (case-folded, inner whitespace collapsed), so "AFLR" and "aflr" are the same word.
    """

    __tablename__ = "pronunciation_entry"
    __table_args__ = (
        UniqueConstraint(
            "org_id", "lang", "word_key", "specialization", name="uq_pronunciation_entry_word"
        ),
        Index("ix_pronunciation_entry_org_lang", "org_id", "lang"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(String(64))
    lang: Mapped[str] = mapped_column(String(35))  # "global" or a lower-case language tag
    word: Mapped[str] = mapped_column(String(100))  # as first registered
    word_key: Mapped[str] = mapped_column(String(100))
    specialization: Mapped[str] = mapped_column(String(100), default="default")
    replacement: Mapped[str] = mapped_column(Text)
    content_type: Mapped[str] = mapped_column(String(8), default="basic")  # basic | ipa
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
