"""The mix job: speech (rendered first when a script was given), beds, mastering, storage."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from castwright.audio import AudioBuffer
from castwright.audio.decode import decode
from castwright.audio.wav import decode_wav, encode_wav
from castwright.db.base import utcnow
from castwright.dsp import concatenate
from castwright.errors import Invalid
from castwright.files.service import FileService
from castwright.jobs.registry import job_handler
from castwright.models.production import JobState, Production
from castwright.models.speech import Speech, SpeechStatus
from castwright.production.effects import EFFECTS, effect_audio
from castwright.production.mastering import mastering_preset
from castwright.production.mixer import MIX_CHANNELS, MIX_RATE, prepared, render_mix
from castwright.production.service import (
    MIX_JOB,
    MixRequest,
    marker_choice,
    missing_marker,
    production_blob_prefix,
    speech_pieces,
)
from castwright.production.templates import TemplateService
from castwright.production.timeline import (
    SpeechPiece,
    layout_timeline,
    parse_section_properties,
    parse_timeline_properties,
)
from castwright.runtime import Runtime
from castwright.speeches.planning import TtsOptions
from castwright.speeches.service import SpeechService
from castwright.speeches.tasks import render_speech

__all__ = ["produce_mix"]


def _mark_failed(runtime: Runtime, session: Session, production_id: str, reason: str) -> None:
    production = session.get(Production, production_id)
    if production is not None:
        production.status, production.error = JobState.FAILED, reason
        production.finished_at = utcnow()


def _speech(runtime: Runtime, session: Session, production: Production) -> Speech:
    speeches = SpeechService(runtime, session, production.org_id)
    if production.speech_id:
        return speeches.get(production.speech_id)
    # A script was given: render it with default settings, inline, as this job's first step.
    speech = speeches.create(production.script_id, None, TtsOptions(), submit=False)
    if speech.status != SpeechStatus.COMPLETED:
        render_speech(runtime, session, speech.id)
    production.speech_id = speech.id
    if speech.status == SpeechStatus.FAILED:
        raise Invalid(f"the script could not be rendered: {speech.error}", field="scriptId")
    return speech


def _insert_at_markers(
    runtime: Runtime,
    session: Session,
    org_id: str,
    audio: AudioBuffer,
    markers: list[dict[str, Any]],
    request: MixRequest,
    warnings: list[str],
) -> AudioBuffer:
    """Speech before the tag, then the effect or media, then the rest of the speech."""
    pieces, cursor = [], 0
    files = FileService(runtime, session, org_id)
    for marker in markers:
        chosen = marker_choice(marker, request)
        insert: AudioBuffer
        if chosen and chosen.lower() in EFFECTS:
            insert = effect_audio(chosen)
        elif chosen:
            with runtime.blobs.local_copy(files.get(chosen).blob_key) as path:
                insert = decode(path)
        else:
            where, message = missing_marker(marker)
            if request.strict_validation:
                raise Invalid(message, field=where)
            warnings.append(f"{where}: {message}; skipped")
            continue
        frame = round(float(marker["offset"]) * audio.sample_rate)
        pieces.append(AudioBuffer(audio.samples[:, cursor:frame], audio.sample_rate))
        pieces.append(insert)
        cursor = frame
    pieces.append(AudioBuffer(audio.samples[:, cursor:], audio.sample_rate))
    if len(pieces) == 1:
        return audio
    # Mono speech and a stereo insert (or different rates) meet in the mix's own format.
    return concatenate([prepared(p) for p in pieces], MIX_RATE, MIX_CHANNELS)


def _store(
    runtime: Runtime,
    session: Session,
    production: Production,
    audio: AudioBuffer,
    filename: str,
    kind: str,
) -> dict[str, Any]:
    blob_key = f"{production_blob_prefix(production)}/{filename}.wav"
    data = encode_wav(audio)
    runtime.blobs.put_bytes(blob_key, data)
    file = FileService(runtime, session, production.org_id).register_generated(
        f"mixes/{production.id}",
        f"{filename}.wav",
        blob_key,
        size=len(data),
        duration=audio.duration,
        sample_rate=audio.sample_rate,
        channels=audio.channels,
        fmt="wav",
        category="mix",
        owner_kind="production",
        owner_id=production.id,
    )
    return {
        "filename": filename,
        "format": "wav",
        "kind": kind,
        "blobKey": blob_key,
        "fileId": file.id,
        "duration": round(audio.duration, 3),
        "sampleRate": audio.sample_rate,
        "channels": audio.channels,
    }


@job_handler(MIX_JOB, on_failure=_mark_failed)
def produce_mix(runtime: Runtime, session: Session, production_id: str) -> None:
    production = session.get(Production, production_id)
    if production is None or production.status == JobState.COMPLETED:
        return
    production.status = JobState.IN_PROGRESS
    session.commit()
    request = MixRequest(**production.request)
    speech = _speech(runtime, session, production)
    # The request-time warnings came from the speech's recorded durations; the timeline and
    # tags are checked again below on the real audio, so keeping them would say it all twice.
    warnings: list[str] = []
    audio_by_section: dict[str, AudioBuffer] = {}
    for section in speech.sections:
        name = section["sectionName"]
        if name in audio_by_section:
            continue  # the first audience combination is the one mixed
        audio = decode_wav(runtime.blobs.read_bytes(section["blobKey"]))
        audio_by_section[name] = _insert_at_markers(
            runtime,
            session,
            production.org_id,
            audio,
            section.get("markers") or [],
            request,
            warnings,
        )
    pieces = [
        SpeechPiece(p.name, p.parent, audio_by_section[p.name].duration, p.sound_segment)
        for p in speech_pieces(speech, request.sections)
    ]
    templates = TemplateService(runtime, session, production.org_id)
    template = templates.get(request.sound_template) if request.sound_template else None
    # The real audio decides the lengths (a built-in's are estimates until first rendered).
    segments = (
        {s.name: templates.segment_audio(template, s.name) for s in template.segments}
        if template
        else {}
    )
    lengths = {name: audio.duration for name, audio in segments.items()} if template else None
    layout = layout_timeline(
        pieces,
        lengths,
        parse_section_properties(request.section_properties),
        parse_timeline_properties(request.timeline_properties),
        request.strict_validation,
    )
    result = render_mix(
        [(audio_by_section[p.name], at) for p, at in zip(pieces, layout.speech_at, strict=True)],
        segments,
        layout,
        mastering_preset(request.mastering_preset),
    )
    files = [_store(runtime, session, production, result.mix, "mix", "mix")]
    if (request.export_settings or {}).get("ttsTrack"):
        files.append(
            _store(runtime, session, production, result.speech_track, "tts_track", "ttsTrack")
        )
    production.files = files
    production.warnings = list(dict.fromkeys(warnings + layout.warnings))
    production.loudness = result.loudness
    production.timeline = [
        {"kind": "speech", "name": p.name, "start": round(at, 3), "end": round(at + p.duration, 3)}
        for p, at in zip(pieces, layout.speech_at, strict=True)
    ] + [
        {"kind": "music", "segment": b.segment, "start": round(b.start, 3), "end": round(b.end, 3)}
        for b in layout.beds
    ]
    production.status, production.finished_at = JobState.COMPLETED, utcnow()
