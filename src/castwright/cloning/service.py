"""Voice cloning rules: what a request must hold, checked before any job exists.

Every mistake a caller can fix is a 4xx naming the field: the alias (taken, built-in,
malformed), the engine, each file (unknown, not ready, not audio, silent, not speech), the
consent recording (missing where the engine needs one, or not speech), and too little speech
in all. Files that are audio but unusable are set aside in ``discardedFiles`` when others
remain. The job then measures the recordings in full and builds the voice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from castwright.cloning.cloners import BUILT_IN, cloner_named
from castwright.cloning.repository import CloneRepository
from castwright.cloning.samples import check_sample
from castwright.errors import Conflict, Forbidden, Invalid, NotFound
from castwright.files.repository import FileRepository
from castwright.jobs.submit import submit_job
from castwright.models.file import File, FileStatus
from castwright.models.voice_clone import VoiceClone
from castwright.runtime import Runtime

__all__ = ["CLONE_JOB", "ENGINES", "OWNER_KIND", "CloneRequest", "CloneService"]

CLONE_JOB = "voice.clone"
OWNER_KIND = "voice_clone"  # file references: samples and consent stay while the voice exists
ENGINES = ("voice_engine_1", "voice_engine_2", "voice_engine_3")
MAX_FILES = 50
_ALIAS = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.\-]{0,99}$")
_METADATA_KEYS = 50


@dataclass(frozen=True)
class CloneRequest:
    alias: str | None
    file_ids: list[str] | None
    voice_engine: str | None
    engine_field: str = "voiceEngine"
    consent_file_id: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


def _metadata(value: dict[str, Any]) -> dict[str, str]:
    if len(value) > _METADATA_KEYS:
        raise Invalid(f"may hold at most {_METADATA_KEYS} keys", field="metadata")
    out: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(item, str | int | float | bool) or "\x00" in str(item):
            raise Invalid("must be a string", field=f"metadata.{key}")
        out[str(key)] = str(item)
    gender = out.get("gender", "").lower()
    if gender and gender not in ("male", "female", "neutral"):
        raise Invalid("must be male, female or neutral", field="metadata.gender")
    return out


class CloneService:
    def __init__(self, runtime: Runtime, session: Session, org_id: str, user_id: str = "") -> None:
        self.runtime = runtime
        self.session = session
        self.org_id = org_id
        self.user_id = user_id
        self.repo = CloneRepository(session)
        self.files = FileRepository(session)

    # -- checks ----------------------------------------------------------------------------

    def _alias(self, alias: str | None) -> str:
        if alias is None or not alias.strip():
            raise Invalid("is required", field="alias")
        alias = alias.strip()
        if not _ALIAS.match(alias):
            raise Invalid(
                "must be 1-100 letters, digits, spaces, '.', '_' or '-', starting with a letter "
                "or digit",
                field="alias",
            )
        if self.runtime.voices.find(alias) is not None:
            raise Conflict(
                f"{alias!r} is a built-in voice", errors=[f"alias: {alias!r} is a built-in voice"]
            )
        if self.repo.alias_in_use(self.org_id, alias.lower()):
            raise Conflict(
                f"The alias {alias!r} is already taken",
                errors=[f"alias: {alias!r} is already used by a voice of this organisation"],
            )
        return alias

    def _engine(self, engine: str | None, field_name: str) -> str:
        if engine is None or not engine.strip():
            raise Invalid(f"is required ({', '.join(ENGINES)})", field=field_name)
        engine = engine.strip()
        if engine not in ENGINES:
            raise Invalid(f"must be one of {', '.join(ENGINES)}", field=field_name)
        return engine

    def _file(self, file_id: str, field_name: str) -> File:
        file = self.files.file(self.org_id, file_id) if "\x00" not in file_id else None
        if file is None:
            raise Invalid(f"no file {file_id!r} in the library", field=field_name)
        if file.status != FileStatus.READY:
            raise Invalid(f"file {file_id!r} is {file.status}, not ready", field=field_name)
        return file

    def _samples(self, file_ids: list[str] | None, engine: str) -> tuple[list[str], dict[str, str]]:
        ids = list(dict.fromkeys(i.strip() for i in file_ids or [] if i and i.strip()))
        if not ids:
            raise Invalid("must list at least one recording of the speaker", field="fileIds")
        if len(ids) > MAX_FILES:
            raise Invalid(f"may list at most {MAX_FILES} files", field="fileIds")
        settings = self.runtime.settings.voice_cloning
        used: list[str] = []
        discarded: dict[str, str] = {}
        speech = duration = 0.0
        for index, file_id in enumerate(ids):
            file = self._file(file_id, f"fileIds[{index}]")
            duration += file.duration or 0.0
            checked = check_sample(self.runtime.blobs, file)
            if checked.problem is not None:
                discarded[file_id] = checked.problem
            else:
                used.append(file_id)
                speech += checked.estimated_speech_seconds
        if not used:
            reasons = "; ".join(f"fileIds[{ids.index(i)}] {why}" for i, why in discarded.items())
            raise Invalid(f"no recording holds usable speech: {reasons}", field="fileIds")
        if duration > settings.max_sample_seconds:
            raise Invalid(
                f"hold {duration:.0f} s of audio; at most {settings.max_sample_seconds:.0f} s "
                "are accepted",
                field="fileIds",
            )
        needed = settings.min_speech_seconds.get(engine, 0.0)
        if speech < needed:
            raise Invalid(
                f"hold about {speech:.1f} s of speech; {engine} needs at least {needed:g} s",
                field="fileIds",
            )
        return used, discarded

    def _consent(self, consent_file_id: str | None, engine: str) -> str | None:
        required = engine in self.runtime.settings.voice_cloning.consent_required
        if not consent_file_id:
            if required:
                raise Invalid(
                    f"is required for {engine}: a recording of the speaker agreeing to be cloned",
                    field="consentFileId",
                )
            return None
        checked = check_sample(self.runtime.blobs, self._file(consent_file_id, "consentFileId"))
        if checked.problem is not None:
            raise Invalid(
                f"must be a recording of the speaker giving consent; it {checked.problem}",
                field="consentFileId",
            )
        return consent_file_id

    # -- actions ---------------------------------------------------------------------------

    def create(self, request: CloneRequest) -> VoiceClone:
        engine = self._engine(request.voice_engine, request.engine_field)
        alias = self._alias(request.alias)
        metadata = _metadata(request.metadata)
        cloner_name = self.runtime.settings.voice_cloning.cloners.get(engine, BUILT_IN)
        cloner_named(cloner_name, self.runtime.engines).check(metadata.get("languageCode"))
        limit = self.runtime.settings.voice_cloning.max_voices_per_org
        if self.repo.voice_count(self.org_id) >= limit:
            raise Conflict(
                f"This organisation already has {limit} voices",
                errors=[f"alias: the limit of {limit} voices is reached; delete one first"],
            )
        consent = self._consent(request.consent_file_id, engine)
        used, discarded = self._samples(request.file_ids, engine)
        clone = VoiceClone(
            org_id=self.org_id,
            alias=alias,
            alias_key=alias.lower(),
            voice_engine=engine,
            cloner=cloner_name,
            file_ids=used,
            discarded_files=discarded,
            consent_file_id=consent,
            metadata_=metadata,
            created_by=self.user_id,
        )
        self.repo.add(clone)
        for file_id in dict.fromkeys([*used, *([consent] if consent else [])]):
            self.files.add_reference(file_id, OWNER_KIND, clone.id)
        clone.job_id = submit_job(self.session, CLONE_JOB, clone.id).id
        return clone

    def clones(self, alias: str | None) -> list[VoiceClone]:
        key = alias.strip().lower() if alias and alias.strip() else None
        return list(self.repo.clones(self.org_id, key))

    def delete_voice(self, alias: str) -> None:
        voice = self.repo.voice(self.org_id, alias.strip().lower())
        if voice is None:
            if self.runtime.voices.find(alias) is not None:
                raise Forbidden(
                    "Built-in voices cannot be deleted",
                    errors=[f"name: {alias!r} is a built-in voice"],
                )
            raise NotFound(f"Voice {alias} not found", errors=[f"name: unknown voice {alias!r}"])
        for clone in self.repo.clones(self.org_id, voice.alias_key):
            self.files.remove_references(OWNER_KIND, clone.id)
        self.repo.delete_voice(voice)
