"""All SQL for sound templates and their segments."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from castwright.models.sound_template import BUILTIN_ORG, SoundTemplate

__all__ = ["TemplateRepository"]


class TemplateRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def owned_by(self, org_id: str) -> Sequence[SoundTemplate]:
        return self.session.scalars(
            select(SoundTemplate).where(SoundTemplate.org_id == org_id)
        ).all()

    def visible(self, org_id: str) -> Sequence[SoundTemplate]:
        query = select(SoundTemplate).where(SoundTemplate.org_id.in_([org_id, BUILTIN_ORG]))
        return self.session.scalars(query.order_by(SoundTemplate.name)).all()

    def find(self, org_id: str, ident: str) -> SoundTemplate | None:
        """By id, or by name in any case; the organisation's own before the built-ins."""
        query = select(SoundTemplate).where(
            SoundTemplate.org_id.in_([org_id, BUILTIN_ORG]),
            or_(SoundTemplate.id == ident, func.lower(SoundTemplate.name) == ident.lower()),
        )
        found = self.session.scalars(query).all()
        return min(found, key=lambda t: t.org_id == BUILTIN_ORG) if found else None

    def by_name(self, org_id: str, name: str) -> SoundTemplate | None:
        return self.session.scalars(
            select(SoundTemplate).where(
                SoundTemplate.org_id == org_id, func.lower(SoundTemplate.name) == name.lower()
            )
        ).first()

    def add(self, template: SoundTemplate) -> None:
        self.session.add(template)
        self.session.flush()

    def delete(self, template: SoundTemplate) -> None:
        self.session.delete(template)
        self.session.flush()
