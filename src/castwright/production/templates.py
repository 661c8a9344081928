"""Sound templates: the built-in library and the organisation's own, and their segment audio."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from castwright.audio import AudioBuffer
from castwright.audio.decode import decode
from castwright.errors import Conflict, Forbidden, Invalid, NotFound
from castwright.files.service import FileService
from castwright.models.file import FileStatus
from castwright.models.sound_template import BUILTIN_ORG, SoundTemplate, TemplateSegment
from castwright.production.builtin_templates import builtin_segment_file
from castwright.production.templates_repository import TemplateRepository
from castwright.runtime import Runtime

__all__ = ["LABEL_KINDS", "TemplateFilters", "TemplateService"]

LABEL_KINDS = ("genres", "moods", "instruments", "collections")
TemplateFilters = dict[str, list[str]]


class TemplateService:
    def __init__(self, runtime: Runtime, session: Session, org_id: str) -> None:
        self.runtime = runtime
        self.session = session
        self.org_id = org_id
        self.repo = TemplateRepository(session)

    def find(self, filters: TemplateFilters, access_type: str | None = None) -> list[SoundTemplate]:
        if access_type not in (None, "public", "private"):
            raise Invalid("must be 'public' or 'private'", field="access_type")
        found = []
        for template in self.repo.visible(self.org_id):
            if access_type == "public" and not template.builtin:
                continue
            if access_type == "private" and template.builtin:
                continue
            if all(_has_labels(template, kind, wanted) for kind, wanted in filters.items()):
                found.append(template)
        return found

    def get(self, ident: str, field: str = "soundTemplate") -> SoundTemplate:
        template = self.repo.find(self.org_id, ident)
        if template is None:
            raise NotFound(
                f"Sound template {ident!r} not found",
                errors=[f"{field}: unknown sound template {ident!r}"],
            )
        return template

    def create(self, name: str, description: str, is_elastic: bool) -> SoundTemplate:
        if not name.strip():
            raise Invalid("is required", field="templateName")
        if len(name) > 200:
            raise Invalid("must be at most 200 characters", field="templateName")
        if self.repo.find(self.org_id, name) is not None:
            raise Conflict(
                f"A sound template named {name!r} exists already",
                errors=[f"templateName: {name!r} is taken"],
            )
        template = SoundTemplate(
            org_id=self.org_id,
            name=name.strip(),
            description=description,
            is_elastic=is_elastic,
            labels={"collections": ["custom"]},
        )
        self.repo.add(template)
        return template

    def delete(self, name: str) -> None:
        template = self.get(name, "templateName")
        if template.builtin:
            raise Forbidden(
                "Built-in templates cannot be deleted",
                errors=[f"templateName: {name!r} is built in"],
            )
        self.repo.delete(template)

    def add_segment(self, template_name: str, segment_name: str, file_id: str) -> SoundTemplate:
        template = self.get(template_name, "templateName")
        if template.builtin:
            raise Forbidden(
                "Built-in templates cannot be changed",
                errors=[f"templateName: {template_name!r} is built in"],
            )
        if not segment_name.strip():
            raise Invalid("is required", field="segmentName")
        file = FileService(self.runtime, self.session, self.org_id).get(file_id)
        if file.status != FileStatus.READY:
            raise Invalid(f"file is {file.status}, not ready", field="fileId")
        if file.format not in ("wav",) and file.extension != "wav":
            raise Invalid("must be a WAV file", field="fileId")
        existing = template.segment(segment_name)
        if existing is None:
            existing = TemplateSegment(name=segment_name.strip(), position=len(template.segments))
            template.segments.append(existing)
        existing.file_id, existing.duration = file.id, file.duration or 0.0
        self.session.flush()
        return template

    def parameters(self) -> dict[str, list[str]]:
        values: dict[str, set[str]] = {kind: set() for kind in LABEL_KINDS}
        for template in self.repo.visible(self.org_id):
            for kind in LABEL_KINDS:
                values[kind].update(template.labels.get(kind, []))
        return {kind: sorted(found) for kind, found in values.items()}

    def segment_audio(self, template: SoundTemplate, name: str) -> AudioBuffer:
        """The audio of one segment; a built-in one is rendered and stored on first use."""
        segment = template.segment(name)
        if segment is None:
            raise Invalid(
                f"template {template.name!r} has no segment {name!r}; it has "
                f"{', '.join(s.name for s in template.segments) or 'none'}",
                field="soundSegment",
            )
        if segment.file_id is None:
            segment.file_id = builtin_segment_file(self.runtime, self.session, template, segment)
        owner = BUILTIN_ORG if template.builtin else self.org_id
        file = FileService(self.runtime, self.session, owner).get(segment.file_id)
        with self.runtime.blobs.local_copy(file.blob_key) as path:
            return decode(path)


def _has_labels(template: SoundTemplate, kind: str, wanted: Sequence[str]) -> bool:
    have = {value.lower() for value in template.labels.get(kind, [])}
    return all(value.lower() in have for value in wanted)


def template_labels(template: SoundTemplate) -> dict[str, Any]:
    return {kind: list(template.labels.get(kind, [])) for kind in LABEL_KINDS}
