"""Edits of a finished speech: fit it to a length (reduce), trim its silences (remove_padding).

Both make a new speech (a new speechId, its own section files) and keep the original; only the
sections asked for (all, or ``sectionId``) change, the others are copied. Synchronous: the
work is DSP on WAVs already rendered, no synthesis.

Reduce first shortens pauses (every silence of 0.15 s or more, keeping at least 0.1 s of
each, the edges of the speech included); if that is not enough it also speeds the speech up,
pitch unchanged (WSOLA), but never beyond 1.5 times the original overall: past that the result
is as short as allowed and a warning says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from castwright.audio import AudioBuffer
from castwright.audio.wav import decode_wav, encode_wav
from castwright.db.base import new_id, utcnow
from castwright.dsp.tempo import SilentRun, resize_runs, silent_runs, time_stretch
from castwright.errors import Conflict, Invalid
from castwright.models.speech import Speech, SpeechStatus
from castwright.runtime import Runtime
from castwright.speeches.repository import SpeechRepository
from castwright.speeches.service import SpeechService, speech_blob_prefix
from castwright.speeches.tasks import add_to_library

__all__ = [
    "MAX_REDUCTION",
    "PADDING_POSITIONS",
    "EditedSpeech",
    "reduce_speech",
    "remove_padding",
]

MAX_REDUCTION = 1.5  # the result is never shorter than the original / 1.5
_PAUSE_SECONDS = 0.15  # a silence at least this long counts as a pause
_KEEP_SECONDS = 0.1  # what reduce leaves of every pause
_PAUSE_THRESHOLD = 0.01  # linear amplitude under which speech counts as silent (-40 dBFS)
PADDING_POSITIONS = ("start", "end", "both")


@dataclass(frozen=True)
class EditedSpeech:
    speech: Speech
    warnings: list[str]


@dataclass
class _Section:
    record: dict[str, Any]
    audio: AudioBuffer | None  # None: not edited, copied as it is


def _finished(runtime: Runtime, session: Session, org_id: str, speech_id: str) -> Speech:
    if not speech_id:
        raise Invalid("is required", field="speechId")
    speech = SpeechService(runtime, session, org_id).get(speech_id)
    if speech.status != SpeechStatus.COMPLETED:
        raise Conflict(
            f"Speech {speech_id} is {speech.status}; it can be edited once it has completed",
            errors=[f"speechId: the speech is {speech.status}, not completed"],
        )
    return speech


def _load(runtime: Runtime, speech: Speech, section_id: str | None) -> list[_Section]:
    ids = [s["sectionId"] for s in speech.sections]
    if section_id and section_id not in ids:
        raise Invalid(f"the speech has no section {section_id!r}", field="sectionId")
    return [
        _Section(
            dict(s),
            decode_wav(runtime.blobs.read_bytes(s["blobKey"]))
            if not section_id or s["sectionId"] == section_id
            else None,
        )
        for s in speech.sections
    ]


def _store(
    runtime: Runtime,
    session: Session,
    original: Speech,
    sections: list[_Section],
    edit: dict[str, Any],
) -> Speech:
    speech = Speech(
        id=new_id(),
        org_id=original.org_id,
        script_id=original.script_id,
        version=original.version,
        project_name=original.project_name,
        module_name=original.module_name,
        script_name=original.script_name,
        script_metadata=original.script_metadata,
        script_text=original.script_text,
        voice=original.voice,
        speed=original.speed,
        public=original.public,
        section_to_produce=original.section_to_produce,
        request={**original.request, "derivedFrom": original.id, "edit": edit},
        dedupe_key=new_id().replace("-", ""),
        status=SpeechStatus.COMPLETED,
        finished_at=utcnow(),
    )
    prefix = speech_blob_prefix(speech)
    records: list[dict[str, Any]] = []
    for index, section in enumerate(sections):
        record = {**section.record, "sectionId": new_id(), "blobKey": f"{prefix}/{index:03d}.wav"}
        if section.audio is None:
            runtime.blobs.copy(section.record["blobKey"], record["blobKey"])
        else:
            runtime.blobs.put_bytes(record["blobKey"], encode_wav(section.audio))
            record["duration"] = round(section.audio.duration, 3)
            record["markers"] = []  # positions inside an edited file no longer hold
        records.append(record)
    speech.sections = records
    SpeechRepository(session).add(speech)
    add_to_library(runtime, session, speech)
    return speech


def _target(value: float | str | None) -> float:
    try:
        target = float(value) if value is not None and value != "" else float("nan")
    except (TypeError, ValueError):
        raise Invalid("must be a number of seconds", field="targetLength") from None
    if not target > 0 or target == float("inf"):
        raise Invalid("is required and must be more than 0 seconds", field="targetLength")
    return target


def _shorten_pauses(audio: AudioBuffer, fraction: float) -> AudioBuffer:
    """Each pause loses ``fraction`` (0-1) of what it has beyond the part always kept."""
    runs = _pauses(audio)
    keep = round(_KEEP_SECONDS * audio.sample_rate)
    new = [run.frames - round(max(0, run.frames - keep) * fraction) for run in runs]
    return resize_runs(audio, runs, new)


def _pauses(audio: AudioBuffer) -> list[SilentRun]:
    return silent_runs(audio, _PAUSE_THRESHOLD, _PAUSE_SECONDS)


def _removable(audio: AudioBuffer) -> float:
    keep = _KEEP_SECONDS * audio.sample_rate
    return sum(max(0.0, run.frames - keep) for run in _pauses(audio)) / audio.sample_rate


def reduce_speech(
    runtime: Runtime,
    session: Session,
    org_id: str,
    speech_id: str,
    target_length: float | str | None,
    section_id: str | None = None,
) -> EditedSpeech:
    target = _target(target_length)
    original = _finished(runtime, session, org_id, speech_id)
    sections = _load(runtime, original, section_id)
    edited = [s for s in sections if s.audio is not None]
    audios = [s.audio for s in edited if s.audio is not None]
    total = sum(a.duration for a in audios)
    warnings: list[str] = []
    if total <= target:
        warnings.append(
            f"targetLength: the speech already lasts {total:.2f} s, within {target:g} s; "
            "nothing was shortened"
        )
        for section in edited:
            section.audio = None
        return EditedSpeech(_store(runtime, session, original, sections, _edit(target)), warnings)
    shortest = total / MAX_REDUCTION
    goal = max(target, shortest)
    if goal > target:
        warnings.append(
            f"targetLength: {target:g} s would need more than {MAX_REDUCTION:g} times the "
            f"speed; the speech was shortened to {goal:.2f} s instead"
        )
    removable = sum(_removable(a) for a in audios)
    need = total - goal
    fraction = min(1.0, need / removable) if removable > 0 else 0.0
    shortened = [_shorten_pauses(a, fraction) for a in audios]
    after_pauses = sum(a.duration for a in shortened)
    if after_pauses > goal + 1e-3:
        rate = after_pauses / goal
        shortened = [time_stretch(a, rate) for a in shortened]
    for section, audio in zip(edited, shortened, strict=True):
        section.audio = audio
    return EditedSpeech(_store(runtime, session, original, sections, _edit(target)), warnings)


def _edit(target: float) -> dict[str, Any]:
    return {"operation": "reduce", "targetLength": target}


def _trim(audio: AudioBuffer, threshold: float, min_seconds: float, position: str) -> AudioBuffer:
    runs = silent_runs(audio, threshold, min_seconds)
    start, end = 0, audio.frames
    if runs and position in ("start", "both") and runs[0].start == 0:
        start = runs[0].end
    if runs and position in ("end", "both") and runs[-1].end == audio.frames:
        end = max(start, runs[-1].start)
    return AudioBuffer(audio.samples[:, start:end], audio.sample_rate)


def remove_padding(
    runtime: Runtime,
    session: Session,
    org_id: str,
    speech_id: str,
    min_silence: float | None = None,
    threshold: float | None = None,
    position: str | None = None,
    section_id: str | None = None,
) -> EditedSpeech:
    """Cut silence longer than ``min_silence`` seconds from the start and/or end of sections."""
    min_seconds = 1.5 if min_silence is None else float(min_silence)
    if not 0 <= min_seconds <= 600:
        raise Invalid("must be between 0 and 600 seconds", field="minSilenceDuration")
    level = 0.001 if threshold is None else float(threshold)
    if not 0 <= level < 1:
        raise Invalid("must be a linear amplitude from 0 to 1", field="silenceThreshold")
    where = (position or "end").strip().lower()
    if where not in PADDING_POSITIONS:
        raise Invalid(f"must be one of {', '.join(PADDING_POSITIONS)}", field="position")
    original = _finished(runtime, session, org_id, speech_id)
    sections = _load(runtime, original, section_id)
    for section in sections:
        if section.audio is not None:
            section.audio = _trim(section.audio, level, min_seconds, where)
    edit = {
        "operation": "remove_padding",
        "minSilenceDuration": min_seconds,
        "silenceThreshold": level,
        "position": where,
    }
    return EditedSpeech(_store(runtime, session, original, sections, edit), [])
