"""All SQL for productions and encodings."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from castwright.models.production import Encoding, JobState, Production

__all__ = ["ProductionRepository"]

_FILTER_COLUMNS = {
    "projectName": Production.project_name,
    "moduleName": Production.module_name,
    "scriptName": Production.script_name,
    "scriptId": Production.script_id,
}


class ProductionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, org_id: str, production_id: str) -> Production | None:
        return self.session.scalars(
            select(Production).where(Production.id == production_id, Production.org_id == org_id)
        ).first()

    def unfinished_with_key(self, org_id: str, dedupe_key: str) -> Production | None:
        return self.session.scalars(
            select(Production).where(
                Production.org_id == org_id,
                Production.dedupe_key == dedupe_key,
                Production.status.in_(JobState.UNFINISHED),
            )
        ).first()

    def matching(self, org_id: str, filters: dict[str, str]) -> Sequence[Production]:
        """The organisation's mixes; validation-only runs are not mixes and are left out."""
        query = select(Production).where(
            Production.org_id == org_id, Production.validate_only.is_(False)
        )
        for name, value in filters.items():
            if value:
                query = query.where(_FILTER_COLUMNS[name] == value)
        return self.session.scalars(query.order_by(Production.created_at.desc())).all()

    def encoding(self, org_id: str, encoder_id: str) -> Encoding | None:
        return self.session.scalars(
            select(Encoding).where(Encoding.id == encoder_id, Encoding.org_id == org_id)
        ).first()
