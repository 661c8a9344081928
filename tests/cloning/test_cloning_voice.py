"""The built-in cloner, in process: measurements, then clones of generated, synthesised and
recorded speech checked against the issue's figures (pitch and rate within 10 %, and closer
to the speaker than the voice the clone started from)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from speech_samples import REFERENCE_TEXT, TEST_TEXT, TOLERANCE, compare, render

from castwright.audio import AudioBuffer
from castwright.audio.decode import decode
from castwright.cloning.analysis import profile_of
from castwright.cloning.espeak_cloner import EspeakCloner
from castwright.errors import Invalid
from castwright.speech.engines.registry import EngineRegistry

ALSA = Path("/usr/share/sounds/alsa")
ALSA_WORDS = [
    "Front_Center",
    "Front_Left",
    "Front_Right",
    "Rear_Center",
    "Rear_Left",
    "Rear_Right",
    "Side_Left",
    "Side_Right",
]


@pytest.fixture(scope="module")
def engines() -> EngineRegistry:
    return EngineRegistry.load()


@pytest.fixture(scope="module")
def cloner(engines: EngineRegistry) -> EspeakCloner:
    return EspeakCloner(engines)


def test_pitch_follows_the_engine(engines: EngineRegistry) -> None:
    low = profile_of(render(engines, "espeak-ng", "en-us", TEST_TEXT, variant="m3"))
    high = profile_of(render(engines, "espeak-ng", "en-us", TEST_TEXT, variant="m3", pitch=1.3))
    assert 90 < low.pitch_median_hz < 125  # espeak-ng's m3 speaks at about 104 Hz
    assert abs(high.pitch_median_hz / low.pitch_median_hz - 1.3) < 0.05


def test_rate_follows_the_engine(engines: EngineRegistry) -> None:
    slow = profile_of(render(engines, "espeak-ng", "en-us", TEST_TEXT, rate=0.8))
    fast = profile_of(render(engines, "espeak-ng", "en-us", TEST_TEXT, rate=1.4))
    assert fast.speech_seconds < slow.speech_seconds * 0.7
    # The count misses more syllables when they run together: about 0.6-0.8 of the change.
    assert fast.syllables_per_second > slow.syllables_per_second * 1.25
    assert 3.0 < slow.syllables_per_second < 6.0


def test_only_speech_is_speech(engines: EngineRegistry) -> None:
    rate = 22050
    t = np.arange(rate * 3) / rate
    noise = np.random.default_rng(1).standard_normal(t.size) * 0.1
    assert profile_of(render(engines, "espeak-ng", "en-us", TEST_TEXT)).is_speech
    assert not profile_of(AudioBuffer.mono(np.zeros(t.size), rate)).is_speech
    assert not profile_of(AudioBuffer.mono(0.5 * np.sin(2 * np.pi * 220 * t), rate)).is_speech
    assert not profile_of(AudioBuffer.mono(noise, rate)).is_speech


@pytest.mark.parametrize(
    ("voice", "variant", "rate", "pitch"),
    [("en-gb", "m1", 1.3, 0.8), ("en-us", "f4", 0.8, 1.25), ("en-us", "m7", 1.15, 1.1)],
)
def test_clone_of_generated_speech(
    engines: EngineRegistry,
    cloner: EspeakCloner,
    voice: str,
    variant: str,
    rate: float,
    pitch: float,
) -> None:
    settings = {"variant": variant, "rate": rate, "pitch": pitch}
    recording = render(engines, "espeak-ng", voice, REFERENCE_TEXT, **settings)
    cloned = cloner.build([recording], None, None)
    assert cloned.gender == ("male" if variant.startswith("m") else "female")
    compare(
        engines, cloned, render(engines, "espeak-ng", voice, TEST_TEXT, **settings)
    ).assert_matches()


@pytest.mark.parametrize(
    ("engine", "voice", "rate"),
    [("flite", "rms", 0.8), ("flite", "awb", 1.3), ("festival", "cmu_us_slt_arctic_hts", 0.8)],
)
def test_clone_of_another_engines_speech(
    engines: EngineRegistry, cloner: EspeakCloner, engine: str, voice: str, rate: float
) -> None:
    """Flite's and Festival's voices were made from recordings of real speakers: a rhythm and
    spectrum espeak-ng does not have, read from text so the true rate is known. The rates
    put each reference at least 15 % from espeak-ng's own pace, so "closer than the base
    voice" has something to show."""
    if engine in engines.unavailable() or engine not in engines.available():
        pytest.skip(f"{engine} is not installed")
    recording = render(engines, engine, voice, REFERENCE_TEXT, rate=rate)
    cloned = cloner.build([recording], None, None)
    compare(engines, cloned, render(engines, engine, voice, TEST_TEXT, rate=rate)).assert_matches()


def test_clone_of_recorded_speech(cloner: EspeakCloner) -> None:
    """A person's voice: the ALSA channel-test recordings (alsa-utils), eight short phrases.

    They are isolated words read slowly, about two syllables a second, so the comparison is
    of the measured rate (syllables per second of speaking) rather than of a shared text,
    which espeak-ng cannot read in the same isolated way. espeak-ng cannot speak slower than
    80 words a minute, which is near this speaker's pace."""
    files = [ALSA / f"{name}.wav" for name in ALSA_WORDS]
    if not all(f.exists() for f in files):
        pytest.skip("alsa-utils' recordings are not installed")
    cloned = cloner.build([decode(f) for f in files], None, None)
    reference, achieved, base = cloned.reference, cloned.achieved, cloned.base
    assert cloned.gender == "female" and 150 < reference.pitch_median_hz < 250

    def error(value: float, wanted: float) -> float:
        return abs(math.log(value / wanted))

    within = math.log(1 + TOLERANCE)
    pitch = reference.pitch_median_hz
    assert error(achieved.pitch_median_hz, pitch) <= within
    assert error(achieved.pitch_median_hz, pitch) < error(base.pitch_median_hz, pitch)
    rate = reference.syllables_per_second
    assert error(achieved.syllables_per_second, rate) <= within, (achieved, reference)
    assert error(achieved.syllables_per_second, rate) < error(base.syllables_per_second, rate)


def test_silence_cannot_be_cloned(cloner: EspeakCloner) -> None:
    with pytest.raises(Invalid) as refused:
        cloner.build([AudioBuffer.silence(5.0, 16000)], None, None)
    assert refused.value.field == "fileIds"


def test_language_must_be_one_espeak_speaks(cloner: EspeakCloner) -> None:
    cloner.check("en-GB")
    cloner.check("de")
    with pytest.raises(Invalid) as refused:
        cloner.check("xx-YY")
    assert refused.value.field == "metadata.languageCode"
