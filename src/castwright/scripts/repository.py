"""All SQL for scripts and their versions."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from castwright.models.script import Script, ScriptVersion

__all__ = ["ScriptFilters", "ScriptRepository"]

ScriptFilters = dict[str, str]

_FILTER_COLUMNS = {
    "projectName": Script.project_name,
    "moduleName": Script.module_name,
    "scriptName": Script.script_name,
    "scriptId": Script.id,
}


class ScriptRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, script: Script) -> Script:
        self.session.add(script)
        self.session.flush()
        return script

    def get(self, org_id: str, script_id: str) -> Script | None:
        return self.session.scalars(
            select(Script).where(Script.id == script_id, Script.org_id == org_id)
        ).first()

    def matching(self, org_id: str, filters: ScriptFilters) -> Sequence[Script]:
        query = select(Script).where(Script.org_id == org_id)
        for name, value in filters.items():
            query = query.where(_FILTER_COLUMNS[name] == value)
        return self.session.scalars(query.order_by(Script.created_at.desc())).all()

    def project_names(self, org_id: str) -> list[str]:
        query = (
            select(Script.project_name)
            .where(Script.org_id == org_id)
            .distinct()
            .order_by(Script.project_name)
        )
        return list(self.session.scalars(query))

    def module_names(self, org_id: str, project_name: str) -> list[str]:
        query = (
            select(Script.module_name)
            .where(Script.org_id == org_id, Script.project_name == project_name)
            .distinct()
            .order_by(Script.module_name)
        )
        return list(self.session.scalars(query))

    def delete(self, script: Script) -> None:
        # Explicit delete of versions first: SQLite without ON DELETE support in old files and
        # PostgreSQL behave the same way then.
        self.session.execute(delete(ScriptVersion).where(ScriptVersion.script_id == script.id))
        self.session.delete(script)
        self.session.flush()

    def delete_version(self, version: ScriptVersion) -> None:
        version.script.versions.remove(version)
        self.session.flush()
