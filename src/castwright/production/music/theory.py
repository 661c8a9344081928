"""Music theory for the generator: keys, scales, roman-numeral chords and voice leading.

Roman numerals are read against the key's own scale (natural minor in a minor key), the way
pop and film harmony is usually written: in A minor ``VI`` is F major and ``VII`` is G major.
The case of the numeral gives the triad's quality; ``V`` in a minor key is therefore the
harmonic-minor dominant (E major in A minor).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "Chord",
    "Key",
    "bass_note",
    "chord",
    "midi_to_hz",
    "nearest_pitch",
    "voice_chord",
]

_PITCH_CLASS = {
    "C": 0, "C#": 1, "Db": 1, "D": 2, "D#": 3, "Eb": 3, "E": 4, "F": 5, "F#": 6, "Gb": 6,
    "G": 7, "G#": 8, "Ab": 8, "A": 9, "A#": 10, "Bb": 10, "B": 11,
}  # fmt: skip
_SCALES = {"major": (0, 2, 4, 5, 7, 9, 11), "minor": (0, 2, 3, 5, 7, 8, 10)}
_NUMERALS = ("i", "ii", "iii", "iv", "v", "vi", "vii")
_NUMERAL_RE = re.compile(
    r"^(?P<accidental>b|#)?(?P<numeral>VII|VI|V|IV|III|II|I|vii|vi|v|iv|iii|ii|i)"
    r"(?P<dim>°|o)?(?P<suffix>maj7|7|sus2|sus4|add9|6)?$"
)


def midi_to_hz(midi: float) -> float:
    return float(440.0 * 2.0 ** ((midi - 69.0) / 12.0))


@dataclass(frozen=True)
class Key:
    """A tonic pitch class and a mode; ``Key.parse("D major")``."""

    tonic: int
    mode: Literal["major", "minor"]
    name: str

    @classmethod
    def parse(cls, text: str) -> Key:
        note, _, mode = text.partition(" ")
        if note not in _PITCH_CLASS or mode not in ("major", "minor"):
            raise ValueError(f"not a key: {text!r} (expected e.g. 'D major' or 'A minor')")
        return cls(_PITCH_CLASS[note], "major" if mode == "major" else "minor", text)

    @property
    def scale(self) -> tuple[int, ...]:
        """The seven pitch classes of the key, tonic first."""
        return tuple((self.tonic + step) % 12 for step in _SCALES[self.mode])

    def contains(self, midi: int) -> bool:
        return midi % 12 in self.scale


@dataclass(frozen=True)
class Chord:
    """A chord as a root pitch class and its intervals above the root (root first)."""

    numeral: str
    root: int
    intervals: tuple[int, ...]

    @property
    def pitch_classes(self) -> tuple[int, ...]:
        return tuple((self.root + step) % 12 for step in self.intervals)

    @property
    def triad(self) -> tuple[int, ...]:
        """Root, third (or suspension) and fifth: the tones a melody leans on."""
        return self.pitch_classes[:3]


def chord(numeral: str, key: Key) -> Chord:
    """Parse ``I``, ``vi7``, ``IVmaj7``, ``Vsus4``, ``bVII``, ``vii°`` ... in ``key``."""
    match = _NUMERAL_RE.match(numeral)
    if match is None:
        raise ValueError(f"not a roman-numeral chord: {numeral!r}")
    roman = match["numeral"]
    degree = _NUMERALS.index(roman.lower())
    root = key.scale[degree] + {"b": -1, "#": 1, None: 0}[match["accidental"]]
    if match["dim"]:
        intervals = [0, 3, 6]
    elif roman.isupper():
        intervals = [0, 4, 7]
    else:
        intervals = [0, 3, 7]
    suffix = match["suffix"]
    if suffix == "7":
        intervals.append(10)
    elif suffix == "maj7":
        intervals.append(11)
    elif suffix == "6":
        intervals.append(9)
    elif suffix == "add9":
        intervals.append(14)
    elif suffix in ("sus2", "sus4"):
        intervals[1] = 2 if suffix == "sus2" else 5
    return Chord(numeral, root % 12, tuple(intervals))


def _close_voicings(pitch_classes: tuple[int, ...], low: int, high: int) -> list[tuple[int, ...]]:
    """Every close-position inversion of the chord whose notes all lie in [low, high]."""
    found = []
    for rotation in range(len(pitch_classes)):
        order = pitch_classes[rotation:] + pitch_classes[:rotation]
        for base in range(low, low + 12):
            if base % 12 != order[0]:
                continue
            for octave in (0, 12):
                notes = [base + octave]
                for pc in order[1:]:
                    notes.append(notes[-1] + (pc - notes[-1]) % 12 or 12)
                if notes[-1] <= high:
                    found.append(tuple(notes))
    return found


def voice_chord(
    target: Chord, previous: tuple[int, ...] | None, low: int, high: int
) -> tuple[int, ...]:
    """Voice ``target`` in close position between ``low`` and ``high`` MIDI notes.

    With a previous voicing, the inversion that moves the voices least wins (smooth voice
    leading, as a keyboard player would play it); without one, the voicing nearest the middle
    of the range. Ties go to the lower voicing so the choice is deterministic.
    """
    candidates = _close_voicings(target.pitch_classes, low, high)
    if not candidates:
        raise ValueError(f"range {low}-{high} cannot hold {target.numeral}")
    centre = (low + high) / 2.0

    def cost(voicing: tuple[int, ...]) -> tuple[float, int]:
        if previous is None:
            return abs(sum(voicing) / len(voicing) - centre), voicing[0]
        movement = sum(min(abs(note - old) for old in previous) for note in voicing) + sum(
            min(abs(old - note) for note in voicing) for old in previous
        )
        return float(movement), voicing[0]

    return min(candidates, key=cost)


def bass_note(target: Chord, low: int, interval: int = 0) -> int:
    """The chord's root (plus ``interval`` semitones) in the octave starting at ``low``."""
    return low + (target.root + interval - low) % 12


def nearest_pitch(pitch_classes: tuple[int, ...], near: int, low: int, high: int) -> int:
    """The MIDI note nearest ``near`` whose pitch class is in ``pitch_classes``, in range."""
    pool = [n for n in range(low, high + 1) if n % 12 in pitch_classes]
    if not pool:
        raise ValueError("no pitch of the wanted classes in range")
    return min(pool, key=lambda n: (abs(n - near), n))
