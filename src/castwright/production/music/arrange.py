"""From a template's patterns to timed notes and hits, for each of the three segments.

Pattern notation: one character per sixteenth note, spaces and ``|`` ignored. A pattern of
one or more bars repeats from bar 0 of the main section (the intro borrows the main
section's last bars, so it is indexed as those bars are). ``.`` is a rest and ``-`` holds
the previous note. Onsets by role:

* drums: ``X`` accent, ``x`` normal, ``o`` ghost;
* chords: ``X``/``x``/``o`` strike the current chord (voiced with smooth voice leading);
* bass and pedal: ``R`` root, ``3`` third, ``5`` fifth, ``O`` octave, lower case softer
  (pedal parts take the key's tonic instead of the chord root, for drones);
* arp: ``1``-``9`` pick the chord's tones upwards from the part's lowest note;
* melody: ``x`` a melody note, its pitch made by :func:`_melody_pitches`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from castwright.production.music.templates import Arrangement, Part
from castwright.production.music.theory import (
    Chord,
    Key,
    bass_note,
    chord,
    nearest_pitch,
    voice_chord,
)

__all__ = ["Event", "Score", "Segment", "score"]

Segment = Literal["intro", "main", "outro"]
_VELOCITY = {"X": 1.0, "x": 0.75, "o": 0.45}
_BASS_INTERVAL = {"R": 0, "3": -1, "5": 7, "O": 12}  # -1: the chord's own third
_RANGE = 16  # semitones a chords/arp/melody part may span above its lowest note


@dataclass(frozen=True)
class Event:
    """A note (``midi`` >= 0) or a drum hit (``midi`` = -1), timed in beats."""

    start: float
    length: float
    midi: int
    velocity: float
    variant: int = 0


@dataclass(frozen=True)
class Score:
    beats: float  # where the music stops; an outro then rings on for ``ring`` seconds
    periodic: bool
    parts: tuple[tuple[Part, tuple[Event, ...]], ...]


def _steps(pattern: str) -> str:
    return pattern.replace(" ", "").replace("|", "")


def _timeline(arrangement: Arrangement, key: Key, segment: Segment) -> list[tuple[float, Chord]]:
    """(start beat, chord) for each chord change in the segment.

    The intro takes the main section's last bars; the outro is the cadence, its last entry
    the final tonic chord at the beat where the cadence ends.
    """
    if segment == "outro":
        changes, at = [], 0.0
        for numeral, beats in arrangement.cadence:
            changes.append((at, chord(numeral, key)))
            at += beats
        return [*changes, (at, chord(arrangement.final, key))]
    main_beats = arrangement.main_bars * 4
    changes = []
    for index, at in enumerate(range(0, main_beats, arrangement.chord_beats)):
        numeral = arrangement.progression[index % len(arrangement.progression)]
        changes.append((float(at), chord(numeral, key)))
    if segment == "main":
        return changes
    offset = float(main_beats - arrangement.intro_bars * 4)
    before = [c for at, c in changes if at <= offset][-1]
    return [(0.0, before)] + [(at - offset, c) for at, c in changes if at > offset]


def _chord_at(timeline: list[tuple[float, Chord]], beat: float) -> Chord:
    return [c for at, c in timeline if at <= beat + 1e-9][-1]


def _pattern_notes(
    steps: str, fill: str, total_steps: int, bar_offset: int, boundaries: set[int]
) -> list[tuple[int, int, str]]:
    """(first step, step count, token) for each onset.

    The last bar plays ``fill`` instead when there is one. A hold is cut at a chord change,
    where the same token strikes again, so a held chord or bass note follows the harmony.
    """
    notes: list[tuple[int, int, str]] = []
    fill_from = total_steps - 16 if fill else total_steps
    for local in range(total_steps):
        if local >= fill_from:
            token = fill[(local - fill_from) % len(fill)]
        else:
            token = steps[(bar_offset * 16 + local) % len(steps)]
        if token == "-" and notes and local in boundaries:
            token = notes[-1][2]
        if token == ".":
            continue
        if token == "-":
            if notes and notes[-1][0] + notes[-1][1] == local:
                first, count, held = notes[-1]
                notes[-1] = (first, count + 1, held)
            continue
        notes.append((local, 1, token))
    return notes


def _melody_pitches(
    onsets: list[tuple[int, Chord]], key: Key, low: int, seed: int, steps_per_cycle: int
) -> list[int]:
    """A motif that follows the harmony: one seeded contour, sung over each chord.

    The contour (moves along the scale, mostly steps, sometimes a third, now and then a
    repeated note) is drawn once per pattern position; every other pattern cycle sings its
    mirror image, a question and its answer. A move that would leave the part's range turns
    back instead, so the line never jumps an octave. Notes on beats 1 and 3 settle on the
    nearest chord tone, which keeps the tune consonant with the progression.
    """
    rng = np.random.default_rng(seed)
    moves = [int(rng.choice([-1, -1, 1, 1, -2, 2, 0])) for _ in range(steps_per_cycle)]
    high = low + _RANGE
    scale = [n for n in range(low, high + 1) if key.contains(n)]
    pitch = nearest_pitch(onsets[0][1].triad, low + 7, low, high) if onsets else low
    out = []
    for index, (step, harmony) in enumerate(onsets):
        cycle, position = divmod(step, steps_per_cycle)
        move = moves[position] * (-1 if cycle % 2 else 1)
        if index:
            at = min(range(len(scale)), key=lambda i: abs(scale[i] - pitch))
            if not 0 <= at + move < len(scale):
                move = -move
            pitch = scale[at + move]
        if position % 8 == 0 or index == 0:
            pitch = nearest_pitch(harmony.triad, pitch, low, high)
        out.append(pitch)
    return out


def _part_events(
    part: Part,
    arrangement: Arrangement,
    key: Key,
    timeline: list[tuple[float, Chord]],
    total_steps: int,
    bar_offset: int,
    with_fill: bool,
) -> list[Event]:
    steps = _steps(part.pattern)
    if not steps:
        return []
    boundaries = {round(at * 4) for at, _ in timeline}
    fill = _steps(part.fill) if with_fill else ""
    notes = _pattern_notes(steps, fill, total_steps, bar_offset, boundaries)
    swing = arrangement.swing

    def beat(step: int) -> float:
        return step / 4.0 + (swing / 4.0 if step % 2 else 0.0)

    events: list[Event] = []
    voicing: tuple[int, ...] | None = None
    melody = []
    if part.role == "melody":
        onsets = [(bar_offset * 16 + s, _chord_at(timeline, s / 4.0)) for s, _, _ in notes]
        melody = _melody_pitches(onsets, key, part.low, arrangement.seed, len(steps))
    for index, (first, count, token) in enumerate(notes):
        start, length = beat(first), beat(first + count) - beat(first)
        harmony = _chord_at(timeline, first / 4.0)
        velocity = _VELOCITY.get(token, 0.9 if token.isupper() or token.isdigit() else 0.55)
        if first % 4 == 0 and part.role != "drum":
            velocity = min(1.0, velocity + 0.1)  # the beat itself leans a little harder
        if part.role == "drum":
            events.append(Event(start, length, -1, velocity, first % 3))
        elif part.role == "chords":
            voicing = voice_chord(harmony, voicing, part.low, part.low + _RANGE)
            events.extend(  # a little softer per note: three or four of them sound at once
                Event(start + i * part.strum, length, n, velocity * 0.8)
                for i, n in enumerate(voicing)
            )
        elif part.role in ("bass", "pedal"):
            root = key.tonic if part.role == "pedal" else harmony.root
            interval = _BASS_INTERVAL[token.upper()]
            if interval < 0:
                interval = (harmony.pitch_classes[1] - harmony.root) % 12
            base = part.low + (root - part.low) % 12
            events.append(Event(start, length, base + interval, velocity))
        elif part.role == "arp":
            ladder = [n for n in range(part.low, part.low + 36) if n % 12 in harmony.pitch_classes]
            events.append(Event(start, length, ladder[int(token) - 1], velocity))
        elif part.role == "melody":
            events.append(Event(start, length, melody[index], velocity))
    return events


def _final_events(part: Part, key: Key, final: Chord, at: float, ring: float) -> list[Event]:
    """The last downbeat of an outro: every pitched part lands on the tonic chord.

    Notes are held for a third of the ring and then released, so that each voice's own
    release and the room have died away before the file ends.
    """
    hold = ring / 3.0
    if part.role == "drum":
        first = _steps(part.pattern)[:1]
        return [Event(at, hold, -1, 1.0)] if first in ("", "X", "x") else []
    if part.role == "chords":
        notes = voice_chord(final, None, part.low, part.low + _RANGE)
        return [Event(at + i * part.strum, hold, n, 0.8) for i, n in enumerate(notes)]
    if part.role in ("bass", "pedal"):
        return [Event(at, hold, bass_note(final, part.low), 0.9)]
    if part.role == "arp":  # a slow upward roll through the chord
        ladder = [n for n in range(part.low, part.low + 36) if n % 12 in final.pitch_classes]
        return [Event(at + i * 0.25, hold, n, 0.7) for i, n in enumerate(ladder[:4])]
    if part.role == "melody":
        tonic = nearest_pitch((key.tonic,), part.low + 7, part.low, part.low + _RANGE)
        return [Event(at, hold, tonic, 0.8)]
    return []


def score(arrangement: Arrangement, key_name: str, segment: Segment, ring_beats: float) -> Score:
    """The events of every part in ``segment``; ``ring_beats`` is the outro's final ring."""
    key = Key.parse(key_name)
    timeline = _timeline(arrangement, key, segment)
    if segment == "main":
        beats, bar_offset = float(arrangement.main_bars * 4), 0
    elif segment == "intro":
        beats = float(arrangement.intro_bars * 4)
        bar_offset = arrangement.main_bars - arrangement.intro_bars
    else:
        beats, bar_offset = timeline[-1][0], 0
    total_steps = round(beats * 4)
    parts = []
    for part in arrangement.parts:
        if part.role in ("riser", "texture"):
            events = _texture_events(part, segment, beats)
        elif segment == "outro" and not part.outro:
            events = []
        else:
            events = _part_events(
                part, arrangement, key, timeline, total_steps, bar_offset, segment != "outro"
            )
            if segment == "intro":
                events = [e for e in events if e.start >= part.intro_from * beats - 1e-9]
            if segment == "outro":
                if part.role == "melody":
                    events = []
                events += _final_events(part, key, timeline[-1][1], beats, ring_beats)
        parts.append((part, tuple(events)))
    return Score(beats, segment == "main", tuple(parts))


def _texture_events(part: Part, segment: Segment, beats: float) -> list[Event]:
    """A texture spans the whole segment; a riser fills the intro's last bars."""
    if part.role == "texture":
        return [Event(0.0, beats, -1, 1.0)]
    if segment != "intro":
        return []
    length = min(float(part.length_bars * 4), beats)
    return [Event(beats - length, length, -1, 1.0)]
