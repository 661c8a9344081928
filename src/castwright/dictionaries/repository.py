"""All SQL for pronunciation dictionaries."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from castwright.models.pronunciation_entry import PronunciationEntry

__all__ = ["DictionaryRepository"]


class DictionaryRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def all_for_org(self, org_id: str) -> Sequence[PronunciationEntry]:
        """Every entry of the organisation, in a stable order (language, word, specialization)."""
        query = (
            select(PronunciationEntry)
            .where(PronunciationEntry.org_id == org_id)
            .order_by(
                PronunciationEntry.lang,
                PronunciationEntry.word_key,
                PronunciationEntry.specialization,
            )
        )
        return self.session.scalars(query).all()

    def in_language(self, org_id: str, lang: str) -> Sequence[PronunciationEntry]:
        query = (
            select(PronunciationEntry)
            .where(PronunciationEntry.org_id == org_id, PronunciationEntry.lang == lang)
            .order_by(PronunciationEntry.word_key, PronunciationEntry.specialization)
        )
        return self.session.scalars(query).all()

    def word(self, org_id: str, lang: str, word_key: str) -> Sequence[PronunciationEntry]:
        query = (
            select(PronunciationEntry)
            .where(
                PronunciationEntry.org_id == org_id,
                PronunciationEntry.lang == lang,
                PronunciationEntry.word_key == word_key,
            )
            .order_by(PronunciationEntry.specialization)
        )
        return self.session.scalars(query).all()

    def count(self, org_id: str) -> int:
        query = select(func.count()).where(PronunciationEntry.org_id == org_id)
        return self.session.scalar(query) or 0

    def add(self, entry: PronunciationEntry) -> PronunciationEntry:
        self.session.add(entry)
        self.session.flush()
        return entry

    def delete(self, org_id: str, lang: str, word_key: str, specialization: str | None) -> int:
        """Remove one specialization of a word, or all of them; how many rows went."""
        statement = delete(PronunciationEntry).where(
            PronunciationEntry.org_id == org_id,
            PronunciationEntry.lang == lang,
            PronunciationEntry.word_key == word_key,
        )
        if specialization is not None:
            statement = statement.where(PronunciationEntry.specialization == specialization)
        result = self.session.execute(statement.execution_options(synchronize_session=False))
        self.session.flush()
        return int(getattr(result, "rowcount", 0) or 0)
