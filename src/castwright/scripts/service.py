"""Script rules: markup is validated on every write; versions are kept and named."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from castwright.db.base import utcnow
from castwright.errors import Invalid, NotFound
from castwright.models.script import Script, ScriptVersion
from castwright.scripts.repository import ScriptFilters, ScriptRepository
from castwright.speech.text.document import ScriptDocument
from castwright.speech.text.markup import parse_script

__all__ = ["ScriptFields", "ScriptService", "markup_warnings"]

_VERSION_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_DEFAULT_NAME = "default"
MAX_SCRIPT_CHARS = 1_000_000
MAX_NAME_CHARS = 200  # projectName, moduleName, scriptName: the size of their columns
_NUL = "\x00"  # no stored or looked-up text may hold it (PostgreSQL rejects it outright)


@dataclass(frozen=True)
class ScriptFields:
    """Descriptive fields; None means "not given" (keep the current value, or the default)."""

    project_name: str | None = None
    module_name: str | None = None
    script_name: str | None = None
    metadata: dict[str, Any] | None = None


def validate_script_text(text: str) -> ScriptDocument:
    if not text or not text.strip():
        raise Invalid("is required and may not be empty", field="scriptText")
    if len(text) > MAX_SCRIPT_CHARS:
        raise Invalid(f"is longer than {MAX_SCRIPT_CHARS} characters", field="scriptText")
    if _NUL in text:
        raise Invalid("may not contain NUL characters", field="scriptText")
    return parse_script(text)


def markup_warnings(text: str) -> list[str]:
    """What the markup parser accepted but changed (dropped tags, clamped pauses...)."""
    return [f"scriptText: {warning}" for warning in parse_script(text).warnings]


def _validate_fields(fields: ScriptFields) -> None:
    names = {
        "projectName": fields.project_name,
        "moduleName": fields.module_name,
        "scriptName": fields.script_name,
    }
    for field, value in names.items():
        if value is not None and len(value) > MAX_NAME_CHARS:
            raise Invalid(f"may be at most {MAX_NAME_CHARS} characters", field=field)
        if value is not None and _NUL in value:
            raise Invalid("may not contain NUL characters", field=field)


def _validate_version_name(name: str) -> str:
    if not _VERSION_NAME.match(name):
        raise Invalid("must be 1-64 letters, digits, '_', '.' or '-'", field="version")
    return name


class ScriptService:
    def __init__(self, session: Session, org_id: str) -> None:
        self.repo = ScriptRepository(session)
        self.org_id = org_id

    def create(self, text: str, fields: ScriptFields) -> tuple[Script, ScriptVersion]:
        validate_script_text(text)
        _validate_fields(fields)
        script = Script(
            org_id=self.org_id,
            project_name=fields.project_name or _DEFAULT_NAME,
            module_name=fields.module_name or _DEFAULT_NAME,
            script_name=fields.script_name or _DEFAULT_NAME,
            metadata_=fields.metadata or {},
        )
        version = ScriptVersion(name="v1", ordinal=1, text=text)
        script.versions.append(version)
        self.repo.add(script)
        return script, version

    def update(
        self, script_id: str, text: str, version_name: str | None, fields: ScriptFields
    ) -> tuple[Script, ScriptVersion]:
        script = self.get_script(script_id)
        validate_script_text(text)
        _validate_fields(fields)
        now = utcnow()
        existing = None
        if version_name is not None:
            existing = _find_version(script, _validate_version_name(version_name))
        if existing is not None:
            existing.text = text
            existing.updated_at = now
            version = existing
        else:
            ordinal = max(v.ordinal for v in script.versions) + 1
            version = ScriptVersion(
                name=version_name or self._next_name(script), ordinal=ordinal, text=text
            )
            script.versions.append(version)
        if fields.project_name:
            script.project_name = fields.project_name
        if fields.module_name:
            script.module_name = fields.module_name
        if fields.script_name:
            script.script_name = fields.script_name
        if fields.metadata is not None:
            script.metadata_ = fields.metadata
        script.updated_at = now
        self.repo.session.flush()
        return script, version

    @staticmethod
    def _next_name(script: Script) -> str:
        taken = {v.name for v in script.versions}
        number = len(script.versions) + 1
        while f"v{number}" in taken:
            number += 1
        return f"v{number}"

    def get_script(self, script_id: str) -> Script:
        script = None if _NUL in script_id else self.repo.get(self.org_id, script_id)
        if script is None:
            raise NotFound(
                f"Script {script_id} not found", errors=[f"scriptId: {script_id} does not exist"]
            )
        return script

    def get(self, script_id: str, version_name: str | None = None) -> tuple[Script, ScriptVersion]:
        script = self.get_script(script_id)
        if version_name is None:
            return script, script.latest
        version = _find_version(script, version_name)
        if version is None:
            raise NotFound(
                f"Version {version_name} of script {script_id} not found",
                errors=[f"version: {version_name} does not exist"],
            )
        return script, version

    def delete(self, script_id: str, version_name: str | None = None) -> None:
        script, version = self.get(script_id, version_name)
        if version_name is None or len(script.versions) == 1:
            self.repo.delete(script)
        else:
            self.repo.delete_version(version)

    def find(self, filters: ScriptFilters) -> list[Script]:
        return list(self.repo.matching(self.org_id, {k: v for k, v in filters.items() if v}))

    def project_names(self) -> list[str]:
        return self.repo.project_names(self.org_id)

    def module_names(self, project_name: str) -> list[str]:
        return self.repo.module_names(self.org_id, project_name)


def _find_version(script: Script, name: str) -> ScriptVersion | None:
    return next((v for v in script.versions if v.name == name), None)
