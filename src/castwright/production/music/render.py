"""Rendering: a template's score through its instruments, reverb and master to audio.

Every template is levelled by one gain, measured on its main section (to ``TARGET_LUFS``),
so its intro, main and outro keep their musical balance: the intro really builds in and the
outro really fades. A soft ceiling then keeps every peak under ``CEILING_DBFS``.

The main section is rendered on a circular buffer: a note, filter ring or reverb tail that
runs past the end continues at the start. That is what the loop sounds like from its second
pass on, so the file joins end to start with no seam at all.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from castwright.audio.buffer import AudioBuffer
from castwright.audio.wav import encode_wav
from castwright.production.music.arrange import Event, Segment, score
from castwright.production.music.drums import DRUMS, crackle, riser
from castwright.production.music.effects import master, pump, reverb_impulse, soft_ceiling
from castwright.production.music.instruments import INSTRUMENTS
from castwright.production.music.meter import integrated_loudness
from castwright.production.music.synth import Response, Signal, biquad, pan
from castwright.production.music.templates import LIBRARY, Part, Template, find
from castwright.production.music.theory import midi_to_hz

__all__ = [
    "CEILING_DBFS",
    "GENERATOR_VERSION",
    "SEGMENTS",
    "TARGET_LUFS",
    "render_all",
    "render_template",
]

# Bump when any change alters the rendered audio, so stored renders are known to be stale.
GENERATOR_VERSION = "castwright-music-2"  # 2: the library is kept at 48 kHz
SEGMENTS: tuple[Segment, ...] = ("intro", "main", "outro")
TARGET_LUFS = -15.0
CEILING_DBFS = -1.2
_KNEE = 0.7  # linear level where the soft ceiling starts to bend

_gains: dict[tuple[str, int], float] = {}
_gains_lock = threading.Lock()


def _place(buffer: Signal, start: int, x: Signal, periodic: bool) -> None:
    """Add [2, m] ``x`` into ``buffer`` at ``start``: wrapping round if periodic, else cut."""
    frames = buffer.shape[1]
    if periodic:
        start %= frames
        while x.shape[1]:
            take = min(x.shape[1], frames - start)
            buffer[:, start : start + take] += x[:, :take]
            x, start = x[:, take:], 0
    elif start < frames:
        take = min(x.shape[1], frames - start)
        buffer[:, start : start + take] += x[:, :take]


def _stereo(x: Signal, position: float) -> Signal:
    """Mono is panned (constant power); a stereo voice keeps its width and is balanced."""
    if x.ndim == 1:
        return pan(x, position)
    angle = (position + 1.0) * np.pi / 4.0
    gains = np.minimum(np.sqrt(2.0) * np.array([np.cos(angle), np.sin(angle)]), 1.0)
    balanced: Signal = x * gains[:, None]
    return balanced


class _Renderer:
    """Renders one segment. ``passes`` > 1 plays it that many times straight through on a
    plain (not circular) buffer: the continuous performance a seamless loop must equal."""

    def __init__(self, template: Template, segment: Segment, sr: int, passes: int = 1) -> None:
        self.arrangement = template.arrangement
        self.segment = segment
        self.sr = sr
        self.beat_frames = 60.0 / template.spec.tempo_bpm * sr
        ring_beats = self.arrangement.ring_seconds * template.spec.tempo_bpm / 60.0
        self.score = score(self.arrangement, template.spec.key, segment, ring_beats)
        self.passes = passes
        self.periodic = self.score.periodic and passes == 1
        self.pass_frames = round(self.score.beats * self.beat_frames)
        if segment == "outro":
            self.pass_frames += round(self.arrangement.ring_seconds * sr)
        self.frames = self.pass_frames * passes
        # One note or hit is rendered once and reused wherever the pattern repeats it.
        self.cache: dict[tuple[str, int, int], Signal] = {}

    def _sound(self, part: Part, index: int, event: Event) -> Signal:
        if part.role == "drum":
            key = (part.sound, index, event.variant)
            if key not in self.cache:
                rng = np.random.default_rng([self.arrangement.seed, index, event.variant])
                self.cache[key] = DRUMS[part.sound](rng, self.sr)
            return self.cache[key]
        gate = max(1, round(event.length * self.beat_frames))
        key = (part.sound, event.midi, gate)
        if key not in self.cache:
            voice = INSTRUMENTS[part.sound]
            self.cache[key] = voice(midi_to_hz(event.midi), gate / self.sr, self.sr)
        return self.cache[key]

    def _part(self, part: Part, index: int, events: tuple[Event, ...]) -> Signal:
        buffer = np.zeros((2, self.frames))
        rng = np.random.default_rng([self.arrangement.seed, index])
        for event in events:
            start = round(event.start * self.beat_frames)
            if part.role == "texture":
                x = crackle(self.pass_frames, self.sr, rng)
            elif part.role == "riser":
                x = riser(round(event.length * self.beat_frames), self.sr, rng)
            else:
                x = self._sound(part, index, event)
            placed = _stereo(x, part.pan) * event.velocity
            for repeat in range(self.passes):
                _place(buffer, start + repeat * self.pass_frames, placed, self.periodic)
        t = np.arange(self.frames)
        if part.fade_in and self.segment == "intro":
            # From -8 dB to full over most of the intro: a swell, not a fade from nothing.
            buffer *= 0.4 + 0.6 * np.minimum(t / (0.85 * self.frames), 1.0) ** 2
        if part.pump:
            buffer *= pump(self.frames, self.sr, self.beat_frames, part.pump)
        level: Signal = buffer * 10.0 ** (part.gain_db / 20.0)
        return level

    def mix(self) -> Signal:
        """The segment before levelling: parts, reverb, master filters, outro fade."""
        dry = np.zeros((2, self.frames))
        send = np.zeros((2, self.frames))
        for index, (part, events) in enumerate(self.score.parts):
            if events:
                rendered = self._part(part, index, events)
                dry += rendered
                send += rendered * part.send
        room = reverb_impulse(self.arrangement.reverb_seconds, self.sr, self.arrangement.seed)
        # Sub-sonic energy only eats headroom; the worn styles also lose their top end.
        filters: list[Response] = [biquad("highpass", 25.0, self.sr)]
        if self.arrangement.lowpass_hz:
            filters.append(biquad("lowpass", self.arrangement.lowpass_hz, self.sr))
        out = master(dry, send, room, filters, self.periodic)
        if self.segment == "outro":
            # The final chord and the room have mostly decayed by now; this last fade makes
            # the file end in true silence instead of a -70 dB hiss of reverb.
            fade = round(min(1.5, 0.45 * self.arrangement.ring_seconds) * self.sr)
            out[:, -fade:] *= 0.5 + 0.5 * np.cos(np.linspace(0.0, np.pi, fade))
        return out


def _gain(template: Template, sr: int, main_mix: Signal | None) -> float:
    """The template's levelling gain, from its main section (rendered here if not given)."""
    key = (template.spec.name, sr)
    with _gains_lock:
        if key in _gains:
            return _gains[key]
    mix = main_mix if main_mix is not None else _Renderer(template, "main", sr).mix()
    gain = float(10.0 ** ((TARGET_LUFS - integrated_loudness(mix, sr)) / 20.0))
    with _gains_lock:
        _gains[key] = gain
    return gain


def render_template(name: str, segment: Segment, sample_rate: int = 44100) -> AudioBuffer:
    """One segment (``intro``, ``main`` or ``outro``) of a built-in template, as stereo audio.

    Deterministic: the same arguments give bit-identical samples on every call and run.
    """
    if segment not in SEGMENTS:
        raise ValueError(f"segment must be one of {', '.join(SEGMENTS)}, not {segment!r}")
    template = find(name)
    mix = _Renderer(template, segment, sample_rate).mix()
    gain = _gain(template, sample_rate, mix if segment == "main" else None)
    ceiling = 10.0 ** (CEILING_DBFS / 20.0)
    levelled = soft_ceiling(mix * gain, _KNEE, ceiling)
    return AudioBuffer(levelled.astype(np.float32), sample_rate)


def render_all(target_dir: Path, sample_rate: int = 44100) -> dict[str, dict[str, Path]]:
    """Render every segment of every built-in template to ``<name>-<segment>.wav`` files.

    16-bit PCM WAV; returns ``{template name: {segment: path}}``. Each file is written under
    a temporary name and renamed into place, so an interrupted first start never leaves a
    truncated segment behind under the final name.
    """
    target_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, dict[str, Path]] = {}
    for template in LIBRARY:
        name = template.spec.name
        written[name] = {}
        for segment in ("main", "intro", "outro"):  # main first: it sets the level
            path = target_dir / f"{name}-{segment}.wav"
            partial = path.with_name(path.name + ".partial")
            partial.write_bytes(encode_wav(render_template(name, segment, sample_rate)))
            partial.replace(path)
            written[name][segment] = path
        written[name] = {segment: written[name][segment] for segment in SEGMENTS}
    return written
