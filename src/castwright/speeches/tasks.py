"""The speech render job: idempotent, one WAV per planned section, cached by content."""

from __future__ import annotations

import logging
import time
from dataclasses import replace

from sqlalchemy.orm import Session

from castwright import metrics
from castwright.db.base import new_id, utcnow
from castwright.dictionaries.lexicon import load_lexicon
from castwright.errors import NotFound
from castwright.files.service import FileService
from castwright.jobs.registry import job_handler
from castwright.models.render_cache import RenderCacheEntry
from castwright.models.speech import Speech, SpeechStatus
from castwright.runtime import Runtime
from castwright.speech.render import MarkerPoint, SectionPlan, render_section_wav
from castwright.speech.text.markup import parse_script
from castwright.speeches.planning import TtsOptions, plan_speech
from castwright.speeches.repository import SpeechRepository
from castwright.speeches.service import speech_blob_prefix
from castwright.voices.organisation import organisation_voices

__all__ = ["add_to_library", "render_speech"]

log = logging.getLogger("castwright.speeches")


def _mark_failed(runtime: Runtime, session: Session, speech_id: str, reason: str) -> None:
    speech = session.get(Speech, speech_id)
    if speech is not None:
        speech.status, speech.error, speech.finished_at = SpeechStatus.FAILED, reason, utcnow()


@job_handler("speech.render", on_failure=_mark_failed)
def render_speech(runtime: Runtime, session: Session, speech_id: str) -> None:
    repo = SpeechRepository(session)
    speech = repo.get_by_id(speech_id)
    if speech is None or speech.status == SpeechStatus.COMPLETED:
        return  # deleted meanwhile, or already done by an earlier attempt
    speech.status = SpeechStatus.IN_PROGRESS
    session.commit()  # let pollers see progress
    # The dictionaries as they are now: a word taught while the job waited is already used.
    options = replace(
        TtsOptions.from_json(speech.request), lexicon=load_lexicon(session, speech.org_id)
    )
    voices = organisation_voices(runtime, session, speech.org_id)
    plans = plan_speech(parse_script(speech.script_text), options, voices)
    use_cache = bool(speech.request.get("useCache", True))
    sections = [
        _render_section(runtime, repo, speech_blob_prefix(speech), index, plan, use_cache)
        for index, plan in enumerate(plans)
    ]
    speech.sections = sections
    add_to_library(runtime, session, speech)
    speech.status = SpeechStatus.COMPLETED
    speech.finished_at = utcnow()


def add_to_library(runtime: Runtime, session: Session, speech: Speech) -> None:
    """Every section file also appears in the library, under generated/speeches/."""
    files = FileService(runtime, session, speech.org_id)
    for section in speech.sections:
        suffix = "".join(f"~{k}={v}" for k, v in sorted(section["audience"].items()))
        files.register_generated(
            f"speeches/{speech.id}",
            f"{section['sectionName']}{suffix}.wav",
            section["blobKey"],
            size=runtime.blobs.size(section["blobKey"]),
            duration=section["duration"],
            sample_rate=section["sampleRate"],
            channels=1,
            fmt="wav",
            category="speech",
            owner_kind="speech",
            owner_id=speech.id,
        )


def _copy_cached(runtime: Runtime, cached: RenderCacheEntry, blob_key: str) -> bool:
    """Reuse cached audio; False when its blob has gone (its speech was deleted meanwhile)."""
    try:
        runtime.blobs.copy(cached.blob_key, blob_key)
    except NotFound:
        return False
    return True


def _render_section(
    runtime: Runtime,
    repo: SpeechRepository,
    prefix: str,
    index: int,
    plan: SectionPlan,
    use_cache: bool,
) -> dict[str, object]:
    settings = runtime.settings.speech
    engine = runtime.engines.get(plan.voice.engine)
    key = plan.cache_key(engine.version, settings.sample_rate)
    blob_key = f"{prefix}/{index:03d}.wav"
    # Sections with fx/media tags carry marker positions the cache does not keep.
    has_markers = any(isinstance(s, MarkerPoint) for s in plan.segments)
    cached = repo.cached(key) if use_cache and not has_markers else None
    markers: list[dict[str, object]] = []
    if cached is not None and _copy_cached(runtime, cached, blob_key):
        duration, sample_rate = cached.duration, cached.sample_rate
    else:
        started = time.perf_counter()
        rendered = render_section_wav(
            plan,
            runtime.engines,
            settings.sample_rate,
            settings.chunk_chars,
            settings.effective_render_processes,
        )
        metrics.observe_synthesis(
            plan.voice.engine, time.perf_counter() - started, rendered.duration
        )
        markers = rendered.markers
        runtime.blobs.put_bytes(blob_key, rendered.data)
        duration, sample_rate = rendered.duration, rendered.sample_rate
        repo.remember(key, blob_key, duration, sample_rate)
    return {
        "sectionId": new_id(),
        "sectionName": plan.section_name,
        "parentSectionName": plan.parent,
        "soundSegment": plan.sound_segment,
        "audience": plan.audience,
        "blobKey": blob_key,
        "format": "wav",
        "sampleRate": sample_rate,
        "duration": round(duration, 3),
        "voice": plan.voice.alias,
        "speed": plan.speed,
        "preview": plan.preview,
        "markers": markers,
    }
