"""Script section -> AudioBuffer: placeholders, normalisation, chunking, synthesis, joining.

Breaks and prosody are rendered here, engine-neutrally, so they work the same on every engine:
speech is synthesised run by run and silences are inserted between runs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from castwright.audio import AudioBuffer, AudioChunk
from castwright.dsp import concatenate, fade_edges, pad, to_mono
from castwright.errors import Invalid
from castwright.speech.engines.registry import EngineRegistry
from castwright.speech.text.chunking import chunk_text
from castwright.speech.text.document import Break, Marker, Placeholder, Prosody, Section, Text
from castwright.speech.text.normalise import interpret, normalise
from castwright.voices.catalogue import Voice

__all__ = [
    "RENDER_VERSION",
    "Pause",
    "RenderedSection",
    "SectionPlan",
    "SpeechRun",
    "prepare_segments",
    "render_plan",
    "render_plans",
    "render_section",
    "synthesize_chunks",
]

# Bump when the renderer changes in a way that changes audio: it is part of every cache key.
RENDER_VERSION = "1"


@dataclass(frozen=True)
class SpeechRun:
    text: str
    prosody: Prosody


@dataclass(frozen=True)
class Pause:
    seconds: float


@dataclass(frozen=True)
class MarkerPoint:
    """Where an <as:fx> or <as:media> tag sits in the speech; the mixer inserts audio there."""

    kind: str
    name: str
    id: str


Segment = SpeechRun | Pause | MarkerPoint


def _placeholder_value(item: Placeholder, audience: dict[str, str]) -> str:
    if item.id in audience:
        return audience[item.id]
    if item.default is not None and item.default.strip():
        return item.default
    raise Invalid(
        f"placeholder {item.id!r} has no default and no value was given",
        field=f"audience.{item.id}",
    )


def prepare_segments(
    section: Section, audience: dict[str, str], language: str, voice_intelligence: bool
) -> list[Segment]:
    """The text the engine will receive, run by run, with pauses between runs."""
    lang = language.split("-")[0].lower()

    def prose(text: str) -> str:
        return normalise(text, lang) if voice_intelligence else text

    segments: list[Segment] = []
    for item in section.items:
        if isinstance(item, Text):
            spoken = (
                prose(item.text)
                if item.interpret_as == "text"
                else interpret(item.text, item.interpret_as, item.format, lang)
            )
            _append_speech(segments, spoken, item.prosody)
        elif isinstance(item, Placeholder):
            _append_speech(segments, prose(_placeholder_value(item, audience)), item.prosody)
        elif isinstance(item, Break):
            segments.append(Pause(item.seconds))
        elif isinstance(item, Marker):
            segments.append(MarkerPoint(item.kind, item.name, item.id))
    return [s for s in segments if not isinstance(s, SpeechRun) or s.text.strip()]


def _append_speech(segments: list[Segment], text: str, prosody: Prosody) -> None:
    last = segments[-1] if segments else None
    if isinstance(last, SpeechRun) and last.prosody == prosody:
        segments[-1] = SpeechRun(_join(last.text, text), prosody)
    else:
        segments.append(SpeechRun(text, prosody))


def _join(left: str, right: str) -> str:
    if not left or not right or left[-1].isspace() or right[0].isspace():
        return left + right
    if right[0] in ",.;:!?)'\"" or left[-1] in "('\"":
        return left + right
    return f"{left} {right}"


def preview_text(segments: list[Segment]) -> str:
    return " ".join(s.text.strip() for s in segments if isinstance(s, SpeechRun)).strip()


@dataclass(frozen=True)
class SectionPlan:
    """Everything that decides one section file's audio."""

    section_name: str
    parent: str | None
    sound_segment: str
    audience: dict[str, str]
    voice: Voice
    speed: float
    padding_seconds: float
    segments: tuple[Segment, ...]

    @property
    def preview(self) -> str:
        return preview_text(list(self.segments))

    def cache_key(self, engine_version: str, sample_rate: int | None) -> str:
        described = {
            "render": RENDER_VERSION,
            "engine": [self.voice.engine, engine_version, self.voice.engine_voice_id],
            "voice": [self.voice.variant, self.voice.rate, self.voice.pitch],
            "speed": self.speed,
            "padding": self.padding_seconds,
            "rate": sample_rate,
            "segments": [
                [s.text, s.prosody.rate, s.prosody.pitch, s.prosody.volume]
                if isinstance(s, SpeechRun)
                else s.seconds
                if isinstance(s, Pause)
                else [s.kind, s.name, s.id]
                for s in self.segments
            ],
        }
        return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()


def synthesize_chunks(
    plan: SectionPlan, engines: EngineRegistry, chunk_chars: int
) -> Iterator[AudioChunk]:
    """Audio piece by piece (a sentence or a pause), in order, at the engine's rate."""
    engine = engines.get(plan.voice.engine)
    rate = _FALLBACK_RATE  # pauses take the rate of the speech before them
    for segment in plan.segments:
        if isinstance(segment, MarkerPoint):
            marker = {"kind": segment.kind, "name": segment.name, "id": segment.id}
            yield AudioChunk(AudioBuffer.silence(0.0, rate), meta={"marker": marker})
            continue
        if isinstance(segment, Pause):
            if segment.seconds > 0:
                yield AudioChunk(AudioBuffer.silence(segment.seconds, rate))
            continue
        params = plan.voice.params(
            speed=plan.speed,
            prosody_rate=segment.prosody.rate,
            pitch=segment.prosody.pitch,
            volume=segment.prosody.volume,
        )
        for piece in chunk_text(segment.text, max_chars=chunk_chars):
            audio = engine.synthesize(piece, plan.voice.engine_voice_id, params)
            rate = audio.sample_rate
            yield AudioChunk(fade_edges(to_mono(audio)), text=piece)


_FALLBACK_RATE = 22050


@dataclass(frozen=True)
class RenderedSection:
    audio: AudioBuffer
    # Each <as:fx>/<as:media> tag and where it falls, in seconds from the start of the file.
    markers: list[dict[str, object]]


def render_section(
    plan: SectionPlan,
    engines: EngineRegistry,
    sample_rate: int | None,
    chunk_chars: int = 400,
    on_chunk: Callable[[AudioChunk], None] | None = None,
) -> RenderedSection:
    """The finished section: speech and pauses joined and padded.

    ``sample_rate`` None keeps the engine's own rate: resampling costs as much CPU as a fast
    engine's synthesis and adds nothing when nobody asked for another rate.
    """
    half = plan.padding_seconds / 2
    pieces: list[AudioBuffer] = []
    markers: list[dict[str, object]] = []
    elapsed = half
    native: int | None = None  # the rate of the first speech (pauses alone: the fallback)
    for chunk in synthesize_chunks(plan, engines, chunk_chars):
        if "marker" in chunk.meta:
            markers.append({**chunk.meta["marker"], "offset": round(elapsed, 4)})  # type: ignore[dict-item]
        pieces.append(chunk.audio)
        elapsed += chunk.audio.duration
        if chunk.text and native is None:
            native = chunk.audio.sample_rate
        if on_chunk is not None:
            on_chunk(chunk)
    audio = concatenate(pieces, sample_rate or native or _FALLBACK_RATE)
    return RenderedSection(pad(audio, half, half), markers)


def render_plan(
    plan: SectionPlan,
    engines: EngineRegistry,
    sample_rate: int | None,
    chunk_chars: int = 400,
    on_chunk: Callable[[AudioChunk], None] | None = None,
) -> AudioBuffer:
    """The section's audio alone (see render_section)."""
    return render_section(plan, engines, sample_rate, chunk_chars, on_chunk).audio


def render_plans(
    plans: list[SectionPlan],
    engines: EngineRegistry,
    sample_rate: int | None,
    chunk_chars: int = 400,
    on_chunk: Callable[[AudioChunk], None] | None = None,
) -> AudioBuffer:
    """Several sections one after another, as one buffer (previews and `castwright say`)."""
    pieces = [render_plan(p, engines, sample_rate, chunk_chars, on_chunk) for p in plans]
    rate = sample_rate or (pieces[0].sample_rate if pieces else _FALLBACK_RATE)
    return concatenate(pieces, rate)
