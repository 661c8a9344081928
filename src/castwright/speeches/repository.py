"""All SQL for speeches and the render cache."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from castwright.models.render_cache import RenderCacheEntry
from castwright.models.speech import Speech, SpeechStatus

__all__ = ["SpeechRepository"]

_FILTER_COLUMNS = {
    "projectName": Speech.project_name,
    "moduleName": Speech.module_name,
    "scriptName": Speech.script_name,
    "scriptId": Speech.script_id,
}


class SpeechRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, speech: Speech) -> Speech:
        self.session.add(speech)
        self.session.flush()
        return speech

    def get(self, org_id: str, speech_id: str) -> Speech | None:
        return self.session.scalars(
            select(Speech).where(Speech.id == speech_id, Speech.org_id == org_id)
        ).first()

    def get_by_id(self, speech_id: str) -> Speech | None:
        return self.session.get(Speech, speech_id)

    def unfinished_with_key(self, org_id: str, dedupe_key: str) -> Speech | None:
        return self.session.scalars(
            select(Speech).where(
                Speech.org_id == org_id,
                Speech.dedupe_key == dedupe_key,
                Speech.status.in_(SpeechStatus.UNFINISHED),
            )
        ).first()

    def count_unfinished(self, org_id: str) -> int:
        query = select(func.count()).where(
            Speech.org_id == org_id, Speech.status.in_(SpeechStatus.UNFINISHED)
        )
        return self.session.scalar(query) or 0

    def page(
        self, org_id: str, filters: dict[str, str], after: Speech | None, limit: int
    ) -> Sequence[Speech]:
        """Newest first; ``after`` is the last speech of the previous page (keyset paging)."""
        query = select(Speech).where(Speech.org_id == org_id)
        for name, value in filters.items():
            query = query.where(_FILTER_COLUMNS[name] == value)
        if after is not None:
            query = query.where(
                or_(
                    Speech.created_at < after.created_at,
                    and_(Speech.created_at == after.created_at, Speech.id < after.id),
                )
            )
        ordered = query.order_by(Speech.created_at.desc(), Speech.id.desc()).limit(limit)
        return self.session.scalars(ordered).all()

    def delete(self, speech: Speech) -> None:
        self.session.delete(speech)
        self.session.flush()

    def cached(self, key: str) -> RenderCacheEntry | None:
        return self.session.get(RenderCacheEntry, key)

    def remember(self, key: str, blob_key: str, duration: float, sample_rate: int) -> None:
        entry = self.session.get(RenderCacheEntry, key)
        if entry is None:
            entry = RenderCacheEntry(
                key=key, blob_key=blob_key, duration=duration, sample_rate=sample_rate
            )
            self.session.add(entry)
        else:
            entry.blob_key, entry.duration = blob_key, duration
            entry.sample_rate = sample_rate
        self.session.flush()

    def forget(self, key: str) -> None:
        entry = self.session.get(RenderCacheEntry, key)
        if entry is not None:
            self.session.delete(entry)
            self.session.flush()
