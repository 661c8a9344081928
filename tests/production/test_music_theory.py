"""The built-in music's theory, arrangement and catalogue: no audio rendered here."""

from __future__ import annotations

import pytest

from castwright.production.music import BUILTIN_TEMPLATES, render_template
from castwright.production.music.arrange import score
from castwright.production.music.templates import LIBRARY, Template, find
from castwright.production.music.theory import Key, bass_note, chord, midi_to_hz, voice_chord

PITCHED = ("chords", "bass", "pedal", "arp", "melody")


def test_keys_and_scales() -> None:
    assert Key.parse("D major").scale == (2, 4, 6, 7, 9, 11, 1)
    assert Key.parse("A minor").scale == (9, 11, 0, 2, 4, 5, 7)
    with pytest.raises(ValueError, match="not a key"):
        Key.parse("H dorian")
    assert midi_to_hz(69) == pytest.approx(440.0)
    assert midi_to_hz(60) == pytest.approx(261.6256, rel=1e-6)


@pytest.mark.parametrize(
    ("numeral", "key", "pitch_classes"),
    [
        ("I", "D major", (2, 6, 9)),  # D F# A
        ("V", "D major", (9, 1, 4)),  # A C# E
        ("vi7", "D major", (11, 2, 6, 9)),  # Bm7
        ("IVmaj7", "F major", (10, 2, 5, 9)),  # Bbmaj7
        ("Vsus4", "F major", (0, 5, 7)),  # Csus4
        ("V7", "Eb major", (10, 2, 5, 8)),  # Bb7
        ("VI", "A minor", (5, 9, 0)),  # natural-minor sixth degree: F major
        ("V", "A minor", (4, 8, 11)),  # the case sets the quality: E major, not E minor
        ("bVII", "C major", (10, 2, 5)),  # borrowed Bb major
        ("vii°", "C major", (11, 2, 5)),
    ],
)
def test_roman_numerals(numeral: str, key: str, pitch_classes: tuple[int, ...]) -> None:
    assert chord(numeral, Key.parse(key)).pitch_classes == pitch_classes


def test_bad_numeral() -> None:
    with pytest.raises(ValueError, match="roman-numeral"):
        chord("VIII", Key.parse("C major"))


def test_voice_leading_moves_little() -> None:
    key = Key.parse("C major")
    first = voice_chord(chord("I", key), None, 55, 71)
    assert sorted(n % 12 for n in first) == [0, 4, 7]
    second = voice_chord(chord("IV", key), first, 55, 71)
    assert sorted(n % 12 for n in second) == [0, 5, 9]
    # C E G -> C F A (or an inversion of it) keeps the common tone and steps the others.
    assert sum(min(abs(a - b) for b in first) for a in second) <= 3
    assert all(55 <= n <= 71 for n in first + second)


def test_bass_note_lies_in_its_octave() -> None:
    key = Key.parse("E major")
    assert bass_note(chord("I", key), 28) == 28  # E1
    assert bass_note(chord("IV", key), 28) == 33  # A1
    assert bass_note(chord("V", key), 28) == 35  # B1


def test_catalogue() -> None:
    names = [spec.name for spec in BUILTIN_TEMPLATES]
    assert len(names) >= 8
    assert len(set(names)) == len(names)
    for wanted in ("corporate", "upbeat", "calm", "cinematic", "news", "lofi", "acoustic",
                   "electronic"):  # fmt: skip
        assert wanted in names
    assert len({spec.tempo_bpm for spec in BUILTIN_TEMPLATES}) >= 7
    for spec in BUILTIN_TEMPLATES:
        assert spec.display_name and spec.description and spec.moods and spec.tags
        assert 60 <= spec.tempo_bpm <= 140
        key = Key.parse(spec.key)
        assert all(chord(numeral, key) for numeral in spec.progression)
        assert spec.instruments


def test_unknown_template_and_segment() -> None:
    with pytest.raises(KeyError, match="corporate"):
        find("polka")
    with pytest.raises(ValueError, match="segment"):
        render_template("calm", "bridge")  # type: ignore[arg-type]


@pytest.mark.parametrize("template", LIBRARY, ids=lambda t: t.spec.name)
def test_arrangement_structure(template: Template) -> None:
    arrangement, spec = template.arrangement, template.spec
    assert arrangement.main_bars in (8, 16)
    assert (arrangement.main_bars * 4) % (
        arrangement.chord_beats * len(arrangement.progression)
    ) == 0
    main = score(arrangement, spec.key, "main", 8.0)
    assert main.periodic and main.beats == arrangement.main_bars * 4
    pitched = [e for part, events in main.parts if part.role in PITCHED for e in events]
    assert pitched and all(0 < e.midi < 110 for e in pitched)
    assert all(0 <= e.start < main.beats for _, events in main.parts for e in events)
    # The outro lands every pitched part on the tonic chord at its last downbeat.
    outro = score(arrangement, spec.key, "outro", 8.0)
    final = chord(arrangement.final, Key.parse(spec.key))
    landing = [e.midi for part, events in outro.parts if part.role in PITCHED for e in events
               if e.start >= outro.beats]  # fmt: skip
    assert landing and all(n % 12 in final.pitch_classes for n in landing)
    bass = [e.midi for part, events in outro.parts if part.role in ("bass", "pedal")
            for e in events if e.start >= outro.beats]  # fmt: skip
    assert all(n % 12 == final.root for n in bass)


def test_intro_borrows_the_main_sections_last_bars() -> None:
    template = find("corporate")
    arrangement, key = template.arrangement, template.spec.key
    main = dict(score(arrangement, key, "main", 8.0).parts)
    intro = dict(score(arrangement, key, "intro", 8.0).parts)
    offset = (arrangement.main_bars - arrangement.intro_bars) * 4
    pad = next(p for p in main if p.sound == "pad_bright")
    tail = [(e.start - offset, e.midi) for e in main[pad] if e.start >= offset]
    assert [(e.start, e.midi) for e in intro[pad]] == tail


def test_swing_delays_offbeat_sixteenths() -> None:
    template = find("lofi")
    parts = dict(score(template.arrangement, template.spec.key, "main", 8.0).parts)
    hat = next(p for p in parts if p.sound == "hat")
    swing = template.arrangement.swing
    starts = sorted({round(e.start % 1.0, 4) for e in parts[hat]})
    assert starts == sorted({0.0, round(0.5, 4), round(0.75 + swing / 4, 4)})
