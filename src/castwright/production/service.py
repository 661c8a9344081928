"""Production rules: what a mix request may ask for, checked before any job exists."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from castwright.db.base import utcnow
from castwright.db.engine import after_commit
from castwright.errors import Conflict, Invalid, NotFound
from castwright.files.service import FileService
from castwright.jobs.submit import submit_job
from castwright.models.production import JobState, Production
from castwright.models.speech import Speech, SpeechStatus
from castwright.production.effects import EFFECTS, effect_audio
from castwright.production.mastering import mastering_preset
from castwright.production.repository import ProductionRepository
from castwright.production.templates import TemplateService
from castwright.production.timeline import (
    SpeechPiece,
    layout_timeline,
    parse_section_properties,
    parse_timeline_properties,
)
from castwright.runtime import Runtime
from castwright.scripts.service import ScriptService
from castwright.speeches.service import SpeechService

__all__ = [
    "MIX_JOB",
    "MixRequest",
    "ProductionService",
    "marker_choice",
    "missing_marker",
    "production_blob_prefix",
]

MIX_JOB = "production.mix"


@dataclass(frozen=True)
class MixRequest:
    speech_id: str | None = None
    script_id: str | None = None
    sound_template: str | None = None
    sound_layer: str = "default"
    sections: dict[str, Any] = field(default_factory=dict)
    media_files: dict[str, str] = field(default_factory=dict)
    fx_files: dict[str, str] = field(default_factory=dict)
    section_properties: dict[str, Any] = field(default_factory=dict)
    timeline_properties: dict[str, Any] = field(default_factory=dict)
    mastering_preset: str | None = None
    export_settings: dict[str, Any] = field(default_factory=dict)
    strict_validation: bool = True
    public: bool = False

    def as_json(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items()}


def production_blob_prefix(production: Production) -> str:
    return f"orgs/{production.org_id}/productions/{production.id}"


def marker_choice(marker: dict[str, Any], request: MixRequest) -> str | None:
    """What an <as:media> or <as:fx> tag gets: an effect name or a fileId; None if nothing."""
    table = request.media_files if marker["kind"] == "media" else request.fx_files
    chosen: str | None = table.get(marker["id"]) or table.get(marker["name"])
    if chosen:
        return chosen
    if marker["kind"] == "fx" and str(marker["name"]).lower() in EFFECTS:
        return str(marker["name"])  # <as:fx name='ding'/> names a built-in effect itself
    return None


def missing_marker(marker: dict[str, Any]) -> tuple[str, str]:
    """The field and the message for a tag the request gives no audio for."""
    table = "mediaFiles" if marker["kind"] == "media" else "fxFiles"
    message = f"no file given for <as:{marker['kind']} id='{marker['id']}'>"
    return f"{table}.{marker['id'] or marker['name']}", message


def _first_combination(speech: Speech) -> list[dict[str, Any]]:
    """Each section once: later audience combinations are alternatives, not more timeline."""
    sections, seen = [], set()
    for section in speech.sections:
        if section["sectionName"] not in seen:
            seen.add(section["sectionName"])
            sections.append(section)
    return sections


def speech_pieces(
    speech: Speech, overrides: dict[str, Any], inserted: dict[str, float] | None = None
) -> list[SpeechPiece]:
    """The speech's sections as the timeline sees them (first audience combination), each
    lengthened by the seconds of media and effects ``inserted`` at its tags."""
    pieces, seen = [], set()
    for section in speech.sections:
        if section["sectionName"] in seen:
            continue  # later audience combinations are alternatives, not more timeline
        seen.add(section["sectionName"])
        segment = section.get("soundSegment") or ""
        override = overrides.get(section["sectionName"]) or {}
        if isinstance(override, dict) and override.get("soundSegment"):
            segment = str(override["soundSegment"])
        pieces.append(
            SpeechPiece(
                section["sectionName"],
                section.get("parentSectionName"),
                float(section["duration"]) + (inserted or {}).get(section["sectionName"], 0.0),
                segment,
            )
        )
    return pieces


def _preset_name(name: str | None) -> str:
    """The preset's own name; a validation of a request naming an unknown one keeps it as sent."""
    try:
        return mastering_preset(name).name
    except Invalid:
        return name or ""


class ProductionService:
    def __init__(self, runtime: Runtime, session: Session, org_id: str) -> None:
        self.runtime = runtime
        self.session = session
        self.org_id = org_id
        self.templates = TemplateService(runtime, session, org_id)
        self.repo = ProductionRepository(session)

    def check(self, request: MixRequest) -> tuple[list[str], Speech | None]:
        """Every check that needs no audio; returns warnings and the speech when given."""
        if bool(request.speech_id) == bool(request.script_id):
            raise Invalid("give exactly one of speechId or scriptId", field="speechId")
        mastering_preset(request.mastering_preset)
        sections = parse_section_properties(request.section_properties)
        timeline = parse_timeline_properties(request.timeline_properties)
        lengths = None
        if request.sound_template:
            template = self.templates.get(request.sound_template)
            lengths = {s.name: s.duration for s in template.segments}
            if not lengths:
                raise Invalid(
                    f"template {template.name!r} has no segments yet", field="soundTemplate"
                )
        self._check_media(request)
        speech = None
        if request.speech_id:
            speech = SpeechService(self.runtime, self.session, self.org_id).get(request.speech_id)
            if speech.status == SpeechStatus.FAILED:
                raise Invalid("the speech failed to render", field="speechId")
            if speech.status != SpeechStatus.COMPLETED:
                raise Conflict(
                    "The speech is still rendering; mix it once it is ready",
                    errors=["speechId: speech is not finished"],
                )
            warnings = self._check_markers(speech, request)
            layout = layout_timeline(
                speech_pieces(speech, request.sections, self._inserted_seconds(speech, request)),
                lengths,
                sections,
                timeline,
                request.strict_validation,
            )
            return warnings + layout.warnings, speech
        ScriptService(self.session, self.org_id).get(str(request.script_id))
        return [], None

    def _check_markers(self, speech: Speech, request: MixRequest) -> list[str]:
        """Every media and fx tag of the speech must get audio (strict) or is skipped (warned)."""
        warnings = []
        for section in _first_combination(speech):
            for marker in section.get("markers") or []:
                if marker_choice(marker, request) is None:
                    where, message = missing_marker(marker)
                    if request.strict_validation:
                        raise Invalid(message, field=where)
                    warnings.append(f"{where}: {message}; skipped")
        return warnings

    def _inserted_seconds(self, speech: Speech, request: MixRequest) -> dict[str, float]:
        """Per section, how much audio its media and fx tags add (the mix inserts it in the
        speech, so the timeline check must count it). A file not yet probed counts as 0 s;
        the mix job checks the timeline again on the real audio."""
        files = FileService(self.runtime, self.session, self.org_id)
        added: dict[str, float] = {}
        for section in _first_combination(speech):
            for marker in section.get("markers") or []:
                chosen = marker_choice(marker, request)
                if not chosen:
                    continue
                if chosen.lower() in EFFECTS:
                    seconds = effect_audio(chosen).duration
                else:
                    seconds = files.get(chosen).duration or 0.0
                name = section["sectionName"]
                added[name] = added.get(name, 0.0) + seconds
        return added

    def _check_media(self, request: MixRequest) -> None:
        files = FileService(self.runtime, self.session, self.org_id)

        def exists(file_id: str, where: str) -> None:
            try:
                files.get(file_id)
            except NotFound:
                raise NotFound(
                    f"File {file_id} not found", errors=[f"{where}: no file {file_id}"]
                ) from None

        for name, value in request.media_files.items():
            if not isinstance(value, str) or not value:
                raise Invalid("must be a fileId", field=f"mediaFiles.{name}")
            exists(value, f"mediaFiles.{name}")
        for name, value in request.fx_files.items():
            if not isinstance(value, str) or not value:
                raise Invalid("must be an effect name or a fileId", field=f"fxFiles.{name}")
            if value.lower() not in EFFECTS:
                exists(value, f"fxFiles.{name}")

    def create(self, request: MixRequest) -> Production:
        warnings, speech = self.check(request)
        dedupe_key = hashlib.sha256(
            json.dumps(request.as_json(), sort_keys=True, default=str).encode()
        ).hexdigest()
        existing = self.repo.unfinished_with_key(self.org_id, dedupe_key)
        if existing is not None:
            return existing
        production = self._new(request, dedupe_key, speech, warnings)
        production.job_id = submit_job(self.session, MIX_JOB, production.id).id
        return production

    def validate(self, request: MixRequest) -> Production:
        """A finished production with no audio: the outcome of every check."""
        errors: list[str] = []
        warnings: list[str] = []
        speech = None
        try:
            warnings, speech = self.check(request)
        except (Invalid, NotFound, Conflict) as error:
            errors = error.errors
        production = self._new(request, "", speech, warnings)
        production.validate_only = True
        production.status, production.finished_at = JobState.COMPLETED, utcnow()
        production.timeline = [{"valid": not errors, "errors": errors, "warnings": warnings}]
        return production

    def _new(
        self, request: MixRequest, dedupe_key: str, speech: Speech | None, warnings: list[str]
    ) -> Production:
        script_id = speech.script_id if speech else (request.script_id or "")
        if speech is not None:
            names = (
                speech.project_name,
                speech.module_name,
                speech.script_name,
                speech.script_metadata,
            )
        else:
            names = self._script_names(script_id)
        production = Production(
            org_id=self.org_id,
            speech_id=speech.id if speech else None,
            script_id=script_id,
            project_name=names[0],
            module_name=names[1],
            script_name=names[2],
            script_metadata=names[3],
            sound_template=request.sound_template or "",
            mastering_preset=_preset_name(request.mastering_preset),
            public=request.public,
            request=request.as_json(),
            dedupe_key=dedupe_key,
            warnings=warnings,
        )
        self.session.add(production)
        self.session.flush()
        return production

    def _script_names(self, script_id: str) -> tuple[str, str, str, dict[str, Any]]:
        try:
            script, _ = ScriptService(self.session, self.org_id).get(script_id)
        except NotFound:
            return "default", "default", "default", {}
        return script.project_name, script.module_name, script.script_name, script.metadata_

    def get(self, production_id: str) -> Production:
        production = self.repo.get(self.org_id, production_id)
        if production is None:
            raise NotFound(
                f"Production {production_id} not found",
                errors=[f"productionId: {production_id} does not exist"],
            )
        return production

    def find(self, filters: dict[str, str]) -> list[Production]:
        return list(self.repo.matching(self.org_id, filters))

    def delete(self, production_id: str) -> None:
        production = self.get(production_id)
        FileService(self.runtime, self.session, self.org_id).delete_owned(
            "production", production.id
        )
        self.session.delete(production)
        blobs, prefix = self.runtime.blobs, production_blob_prefix(production)
        after_commit(self.session, lambda: blobs.delete_prefix(prefix))
