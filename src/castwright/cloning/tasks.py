"""The clone job: measure the recordings in full, build the voice, add it to the organisation.

Idempotent: a finished clone is left alone, and a voice already made for it is not made
twice. A recording deleted meanwhile, or too little speech once every recording is heard in
full, fails the clone with the reason (``failReason``).
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from castwright.cloning.cloners import ClonedVoice, cloner_named
from castwright.cloning.repository import CloneRepository
from castwright.cloning.samples import NotAudio, read_speech
from castwright.cloning.service import CLONE_JOB, OWNER_KIND
from castwright.db.base import utcnow
from castwright.errors import Invalid
from castwright.files.repository import FileRepository
from castwright.jobs.registry import job_handler
from castwright.models.custom_voice import CustomVoice
from castwright.models.voice_clone import VoiceClone, VoiceCloneStatus
from castwright.runtime import Runtime

__all__ = ["build_voice"]

log = logging.getLogger("castwright.cloning")


def _mark_failed(runtime: Runtime, session: Session, clone_id: str, reason: str) -> None:
    clone = CloneRepository(session).clone(clone_id)
    if clone is not None:
        clone.status, clone.fail_reason, clone.finished_at = (
            VoiceCloneStatus.FAILED,
            reason,
            utcnow(),
        )
        # Nothing uses the recordings now; they stay in the library, free to delete.
        FileRepository(session).remove_references(OWNER_KIND, clone.id)


def _analysis(voice: ClonedVoice) -> dict[str, object]:
    return {
        "cloner": voice.engine,
        "engineVoice": voice.engine_voice_id,
        "variant": voice.variant,
        "rate": voice.rate,
        "pitch": voice.pitch,
        "reference": voice.reference.as_json(),
        "achieved": voice.achieved.as_json(),
        "base": voice.base.as_json(),
        **voice.details,
    }


def _describe(voice: ClonedVoice, files: int) -> str:
    return (
        f"Cloned from {files} recording{'s' if files != 1 else ''}: median pitch "
        f"{voice.reference.pitch_median_hz:.0f} Hz, "
        f"{voice.reference.syllables_per_second:.1f} syllables a second "
        f"(espeak-ng {voice.engine_voice_id}+{voice.variant})."
    )


@job_handler(CLONE_JOB, on_failure=_mark_failed)
def build_voice(runtime: Runtime, session: Session, clone_id: str) -> None:
    repo = CloneRepository(session)
    clone = repo.clone(clone_id)
    if clone is None or clone.status not in VoiceCloneStatus.UNFINISHED:
        return
    clone.status = VoiceCloneStatus.IN_PROGRESS
    session.commit()  # pollers see the work begin
    voice = _build(runtime, session, clone)
    if repo.voice(clone.org_id, clone.alias_key) is not None:
        raise Invalid("was taken by another voice while this one was built", field="alias")
    metadata = clone.metadata_
    repo.add(
        CustomVoice(
            org_id=clone.org_id,
            alias=clone.alias,
            alias_key=clone.alias_key,
            clone_id=clone.id,
            engine=voice.engine,
            engine_voice_id=voice.engine_voice_id,
            variant=voice.variant,
            rate=voice.rate,
            pitch=voice.pitch,
            gender=voice.gender,
            language_code=voice.language_code,
            display_name=metadata.get("name", ""),
            description=_describe(voice, len(clone.file_ids)),
            metadata_=metadata,
        )
    )
    clone.analysis = _analysis(voice)
    clone.status, clone.finished_at = VoiceCloneStatus.SUCCEEDED, utcnow()


def _build(runtime: Runtime, session: Session, clone: VoiceClone) -> ClonedVoice:
    files = FileRepository(session)
    samples = []
    for index, file_id in enumerate(clone.file_ids):
        file = files.file(clone.org_id, file_id)
        if file is None:
            raise Invalid(
                f"file {file_id!r} was deleted before it was used", field=f"fileIds[{index}]"
            )
        try:
            samples.append(read_speech(runtime.blobs, file))
        except NotAudio as error:
            raise Invalid(
                f"file {file_id!r} cannot be decoded ({error})", field=f"fileIds[{index}]"
            ) from None
    cloner = cloner_named(clone.cloner, runtime.engines)
    metadata = clone.metadata_
    voice = cloner.build(
        samples, metadata.get("gender", "").lower() or None, metadata.get("languageCode")
    )
    needed = runtime.settings.voice_cloning.min_speech_seconds.get(clone.voice_engine, 0.0)
    if voice.reference.speech_seconds < needed:
        raise Invalid(
            f"hold {voice.reference.speech_seconds:.1f} s of speech in full; "
            f"{clone.voice_engine} needs at least {needed:g} s",
            field="fileIds",
        )
    log.info(
        "voice %s built: %s+%s rate %.3f pitch %.3f",
        clone.alias,
        voice.engine_voice_id,
        voice.variant,
        voice.rate,
        voice.pitch,
    )
    return voice
