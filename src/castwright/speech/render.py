"""Script section -> AudioBuffer: placeholders, normalisation, chunking, synthesis, joining.

Breaks and prosody are rendered here, engine-neutrally, so they work the same on every engine:
speech is synthesised run by run and silences are inserted between runs.
"""

from __future__ import annotations

import hashlib
import json
import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from castwright.audio import AudioBuffer, AudioChunk
from castwright.audio.wav import pcm16, wav_from_pcm16
from castwright.dsp import concatenate, fade_edges, pad, resample, to_mono
from castwright.errors import Invalid
from castwright.speech.engines.base import Engine, SynthesisParams
from castwright.speech.engines.registry import EngineRegistry
from castwright.speech.fanout import spread
from castwright.speech.text.chunking import chunk_text
from castwright.speech.text.document import Break, Marker, Placeholder, Prosody, Section, Text
from castwright.speech.text.normalise import interpret, normalise
from castwright.voices.catalogue import Voice

if TYPE_CHECKING:
    from castwright.dictionaries.lexicon import VoiceLexicon

__all__ = [
    "RENDER_VERSION",
    "Pause",
    "PreparedSection",
    "RenderedSection",
    "RenderedWav",
    "SectionPlan",
    "SpeechPiece",
    "SpeechRun",
    "WorkItem",
    "prepare_section",
    "prepare_segments",
    "render_plan",
    "render_plans",
    "render_section",
    "render_section_wav",
    "synthesis_work",
    "synthesize_chunks",
    "synthesize_work",
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


@dataclass(frozen=True)
class PreparedSection:
    """A section's segments, and what pronunciation dictionaries did to its text."""

    segments: list[Segment]
    lexicon_key: str = ""  # digest of the pronunciations applied; "" when none applied
    notes: tuple[str, ...] = ()  # e.g. an IPA pronunciation an engine could only respell


def prepare_section(
    section: Section,
    audience: dict[str, str],
    language: str,
    voice_intelligence: bool,
    lexicon: VoiceLexicon | None = None,
) -> PreparedSection:
    """The text the engine will receive, run by run, with pauses between runs.

    Prose (text and placeholder values; not say-as text, which is read as asked) goes through
    the voice's pronunciation dictionaries, with normalisation in between when asked for.
    """
    lang = language.split("-")[0].lower()
    used: list[str] = []
    notes: list[str] = []

    def prose(text: str) -> str:
        normaliser = (lambda t: normalise(t, lang)) if voice_intelligence else None
        if lexicon is None:
            return normaliser(text) if normaliser else text
        spoken = lexicon.speak(text, normaliser)
        used.extend(spoken.used)
        notes.extend(spoken.notes)
        return spoken.text

    segments: list[Segment] = []
    for item in section.items:
        if isinstance(item, Text):
            if item.interpret_as == "text":
                spoken = prose(item.text)
            else:  # read as the markup asks, never through a dictionary
                spoken = interpret(item.text, item.interpret_as, item.format, lang)
                spoken = lexicon.escape(spoken) if lexicon is not None else spoken
            _append_speech(segments, spoken, item.prosody)
        elif isinstance(item, Placeholder):
            _append_speech(segments, prose(_placeholder_value(item, audience)), item.prosody)
        elif isinstance(item, Break):
            segments.append(Pause(item.seconds))
        elif isinstance(item, Marker):
            segments.append(MarkerPoint(item.kind, item.name, item.id))
    kept = [s for s in segments if not isinstance(s, SpeechRun) or s.text.strip()]
    digest = hashlib.sha256("\n".join(sorted(set(used))).encode()).hexdigest() if used else ""
    return PreparedSection(kept, digest, tuple(dict.fromkeys(notes)))


def prepare_segments(
    section: Section,
    audience: dict[str, str],
    language: str,
    voice_intelligence: bool,
    lexicon: VoiceLexicon | None = None,
) -> list[Segment]:
    """The text the engine will receive, run by run (see prepare_section)."""
    return prepare_section(section, audience, language, voice_intelligence, lexicon).segments


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
    # Which dictionary pronunciations shaped the text (part of the cache key), and the notes
    # they left (an IPA pronunciation respelled for an engine without phoneme input).
    lexicon_key: str = ""
    notes: tuple[str, ...] = ()

    @property
    def preview(self) -> str:
        return preview_text(list(self.segments))

    def cache_key(self, engine_version: str, sample_rate: int | None) -> str:
        described: dict[str, Any] = {
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
        if self.lexicon_key:  # absent when no dictionary applied: earlier keys stay valid
            described["lexicon"] = self.lexicon_key
        return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class SpeechPiece:
    """One engine call: a sentence-sized piece of a speech run, with its parameters."""

    text: str
    params: SynthesisParams


WorkItem = SpeechPiece | Pause | MarkerPoint


def synthesis_work(plan: SectionPlan, chunk_chars: int) -> list[WorkItem]:
    """The engine calls and pauses a section takes, in order. Cheap: no synthesis."""
    work: list[WorkItem] = []
    for segment in plan.segments:
        if not isinstance(segment, SpeechRun):
            work.append(segment)
            continue
        params = plan.voice.params(
            speed=plan.speed,
            prosody_rate=segment.prosody.rate,
            pitch=segment.prosody.pitch,
            volume=segment.prosody.volume,
        )
        work.extend(SpeechPiece(p, params) for p in chunk_text(segment.text, chunk_chars))
    return work


def synthesize_work(
    work: Iterable[WorkItem], engine: Engine, voice_id: str
) -> Iterator[AudioChunk]:
    """Audio piece by piece (a sentence or a pause), in order, at the engine's rate."""
    rate = _FALLBACK_RATE  # pauses take the rate of the speech before them
    for item in work:
        if isinstance(item, MarkerPoint):
            marker = {"kind": item.kind, "name": item.name, "id": item.id}
            yield AudioChunk(AudioBuffer.silence(0.0, rate), meta={"marker": marker})
        elif isinstance(item, Pause):
            if item.seconds > 0:
                yield AudioChunk(AudioBuffer.silence(item.seconds, rate))
        else:
            audio = engine.synthesize(item.text, voice_id, item.params)
            rate = audio.sample_rate
            yield AudioChunk(fade_edges(to_mono(audio)), text=item.text)


def synthesize_chunks(
    plan: SectionPlan, engines: EngineRegistry, chunk_chars: int
) -> Iterator[AudioChunk]:
    """Audio piece by piece (a sentence or a pause), in order, at the engine's rate."""
    engine = engines.get(plan.voice.engine)
    return synthesize_work(synthesis_work(plan, chunk_chars), engine, plan.voice.engine_voice_id)


_FALLBACK_RATE = 22050


def _chars(item: WorkItem) -> int:
    return len(item.text) if isinstance(item, SpeechPiece) else 0


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
    markers: list[dict[str, object]] = []
    chunks = list(_timed(synthesize_chunks(plan, engines, chunk_chars), half, markers, on_chunk))
    native = next((c.audio.sample_rate for c in chunks if c.text), _FALLBACK_RATE)
    audio = concatenate([c.audio for c in chunks], sample_rate or native)
    return RenderedSection(pad(audio, half, half), markers)


def _timed(
    chunks: Iterable[AudioChunk],
    start: float,
    markers: list[dict[str, object]],
    on_chunk: Callable[[AudioChunk], None] | None,
) -> Iterator[AudioChunk]:
    """The chunks, recording where each fx/media marker falls (seconds from the file start)."""
    elapsed = start
    for chunk in chunks:
        marker = chunk.meta.get("marker")
        if isinstance(marker, dict):
            markers.append({**marker, "offset": round(elapsed, 4)})
        elapsed += chunk.audio.duration
        if on_chunk is not None:
            on_chunk(chunk)
        yield chunk


@dataclass(frozen=True)
class RenderedWav:
    data: bytes
    duration: float
    sample_rate: int
    markers: list[dict[str, object]]


def render_section_wav(
    plan: SectionPlan,
    engines: EngineRegistry,
    sample_rate: int | None,
    chunk_chars: int = 400,
    processes: int = 1,
) -> RenderedWav:
    """The section as 16-bit WAV bytes, converted chunk by chunk while the next is synthesised.

    Synthesis runs ahead in its own thread (espeak-ng and the subprocess engines release the
    GIL) so joining and 16-bit conversion overlap it instead of following it: make bench had
    them at a fifth of the render when done afterwards. A long section's synthesis is spread
    over up to ``processes`` processes (see fanout.py); call this on a thread that may fork.
    """
    half = plan.padding_seconds / 2
    markers: list[dict[str, object]] = []
    engine = engines.get(plan.voice.engine)
    voice_id = plan.voice.engine_voice_id

    def synthesise(work: Sequence[WorkItem]) -> Iterator[AudioChunk]:
        return synthesize_work(work, engine, voice_id)

    work = synthesis_work(plan, chunk_chars)
    synthesised = _run_ahead(spread(work, _chars, synthesise, processes))
    frames: list[npt.NDArray[np.int16]] = []
    waiting: list[AudioBuffer] = []  # pauses before the first speech fixes the native rate
    rate = sample_rate
    for chunk in _timed(synthesised, half, markers, None):
        if rate is None and not chunk.text:
            waiting.append(chunk.audio)
            continue
        rate = rate or chunk.audio.sample_rate
        for piece in [*waiting, chunk.audio]:
            if piece.frames:
                frames.append(pcm16(resample(piece, rate)))
        waiting.clear()
    rate = rate or _FALLBACK_RATE
    frames.extend(pcm16(resample(p, rate)) for p in waiting if p.frames)
    silence = np.zeros((round(half * rate), 1), dtype=np.int16)
    joined = (
        np.concatenate([silence, *frames, silence])
        if frames
        else np.concatenate([silence, silence])
    )
    return RenderedWav(wav_from_pcm16(joined, rate), joined.shape[0] / rate, rate, markers)


_DONE = object()


def _run_ahead(chunks: Iterator[AudioChunk], depth: int = 8) -> Iterator[AudioChunk]:
    """Iterate ``chunks`` in a background thread, a few items ahead of the consumer."""
    handoff: queue.Queue[object] = queue.Queue(maxsize=depth)

    def produce() -> None:
        try:
            for chunk in chunks:
                handoff.put(chunk)
        except BaseException as error:  # delivered to the consumer, which re-raises it
            handoff.put(error)
        handoff.put(_DONE)

    threading.Thread(target=produce, name="castwright-synthesis", daemon=True).start()
    while (item := handoff.get()) is not _DONE:
        if isinstance(item, BaseException):
            raise item
        yield item  # type: ignore[misc]


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
