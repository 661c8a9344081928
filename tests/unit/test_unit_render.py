"""speech/render.py on the FakeEngine: pauses, padding, rate, joins and long text, measured.

The fake engine hums a 220 Hz tone for exactly 60 ms per character / rate, so every duration
here has an exact expected value, and its sine makes any discontinuity at a join visible.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from castwright.audio import AudioBuffer, AudioChunk
from castwright.config import SpeechSettings, VoiceAlias
from castwright.speech.engines.fake import FakeEngine
from castwright.speech.engines.registry import EngineRegistry
from castwright.speech.render import SectionPlan, SpeechRun, render_plan
from castwright.speech.text.markup import parse_script
from castwright.speeches.planning import TtsOptions, plan_speech
from castwright.voices.catalogue import VoiceCatalogue

ENGINE = FakeEngine()
RATE = 24000
FRAME = 1 / RATE


@pytest.fixture(scope="module")
def engines() -> EngineRegistry:
    registry = EngineRegistry.load(include_fake=True)
    assert "fake" in registry
    return registry


@pytest.fixture(scope="module")
def catalogue(engines: EngineRegistry) -> VoiceCatalogue:
    settings = SpeechSettings(
        default_voice="hum",
        voice_aliases=[VoiceAlias(alias="hum", engine="fake", voice_id="fake")],
    )
    return VoiceCatalogue.build(engines, settings)


def plan_of(catalogue: VoiceCatalogue, text: str, **options: Any) -> SectionPlan:
    (only,) = plan_speech(parse_script(text), TtsOptions(**options), catalogue)
    return only


def render(
    catalogue: VoiceCatalogue,
    engines: EngineRegistry,
    text: str,
    sample_rate: int = RATE,
    chunk_chars: int = 400,
    chunks: list[AudioChunk] | None = None,
    **options: Any,
) -> AudioBuffer:
    plan = plan_of(catalogue, text, **options)
    on_chunk = chunks.append if chunks is not None else None
    return render_plan(plan, engines, sample_rate, chunk_chars, on_chunk=on_chunk)


def silent_runs(audio: AudioBuffer, threshold: float = 1e-3) -> list[float]:
    """Lengths in seconds of every run of samples below the threshold."""
    quiet = np.abs(audio.samples[0]) < threshold
    edges = np.flatnonzero(np.diff(np.concatenate([[0], quiet.astype(np.int8), [0]])))
    return [
        (end - start) / audio.sample_rate
        for start, end in zip(edges[::2], edges[1::2], strict=True)
    ]


def leading(audio: AudioBuffer, threshold: float = 1e-3) -> float:
    loud = np.flatnonzero(np.abs(audio.samples[0]) >= threshold)
    return float(loud[0]) / audio.sample_rate


def trailing(audio: AudioBuffer, threshold: float = 1e-3) -> float:
    loud = np.flatnonzero(np.abs(audio.samples[0]) >= threshold)
    return float(audio.frames - 1 - loud[-1]) / audio.sample_rate


def rms(audio: AudioBuffer) -> float:
    return float(np.sqrt(np.mean(np.square(audio.samples))))


def dominant_hz(audio: AudioBuffer) -> float:
    spectrum = np.abs(np.fft.rfft(audio.samples[0]))
    return float(np.fft.rfftfreq(audio.frames, 1 / audio.sample_rate)[np.argmax(spectrum)])


# -- the basics ---------------------------------------------------------------------------------


@pytest.mark.parametrize("sample_rate", [16000, 24000, 44100])
def test_output_is_mono_at_the_delivery_rate(
    catalogue: VoiceCatalogue, engines: EngineRegistry, sample_rate: int
) -> None:
    text = "Hello there, this is a test."
    audio = render(catalogue, engines, text, sample_rate=sample_rate)
    assert (audio.channels, audio.sample_rate) == (1, sample_rate)
    assert audio.duration == pytest.approx(ENGINE.duration_for(text), abs=2 / sample_rate)
    assert float(np.abs(audio.samples).max()) <= 1.0
    assert rms(audio) > 0.1


# -- breaks -------------------------------------------------------------------------------------

BREAK_TEXT = "First part of the sentence. {tag} Second part of it."
# A zero-length break would merge the two runs into one, so the baseline is a short pause.
BASELINE_BREAK, BASELINE_SECONDS = "<as:break time='100ms'/>", 0.1


@pytest.mark.parametrize(
    ("tag", "seconds"),
    [
        ("<as:break time='1s'/>", 1.0),
        ("<as:break time='250ms'/>", 0.25),
        ("<as:break time='1500'/>", 1.5),  # a bare number is milliseconds
        ("<as:break strength='strong'/>", 0.7),
        ("<as:break strength='x-weak'/>", 0.12),
        ("<break time='500ms'/>", 0.5),  # plain SSML
        ("<as:break time='0.75s' strength='weak'/>", 0.75),  # time wins
    ],
)
def test_breaks_insert_exactly_that_much_silence(
    catalogue: VoiceCatalogue, engines: EngineRegistry, tag: str, seconds: float
) -> None:
    baseline = render(catalogue, engines, BREAK_TEXT.format(tag=BASELINE_BREAK))
    with_break = render(catalogue, engines, BREAK_TEXT.format(tag=tag))
    added = with_break.duration - baseline.duration
    assert added == pytest.approx(seconds - BASELINE_SECONDS, abs=3 * FRAME)
    # ... as one silent gap between the two runs of speech (plus the fades either side).
    gap = max(silent_runs(with_break))
    assert seconds <= gap <= seconds + 0.03


def test_long_breaks_are_clamped(catalogue: VoiceCatalogue, engines: EngineRegistry) -> None:
    base = render(catalogue, engines, BREAK_TEXT.format(tag=BASELINE_BREAK))
    clamped = render(catalogue, engines, BREAK_TEXT.format(tag="<as:break time='60s'/>"))
    added = clamped.duration - base.duration
    assert added == pytest.approx(10.0 - BASELINE_SECONDS, abs=3 * FRAME)


def test_a_zero_break_adds_nothing(catalogue: VoiceCatalogue, engines: EngineRegistry) -> None:
    plain = render(catalogue, engines, BREAK_TEXT.format(tag=""))
    zero = render(catalogue, engines, BREAK_TEXT.format(tag="<as:break time='0ms'/>"))
    assert zero.duration == plain.duration


# -- padding ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("padding", "seconds"), [("2000000", 2.0), ("500ms", 0.5), ("1s", 1.0)])
def test_padding_is_split_over_both_ends(
    catalogue: VoiceCatalogue, engines: EngineRegistry, padding: str, seconds: float
) -> None:
    text = "Padded speech sounds like this."
    plain = render(catalogue, engines, text)
    padded = render(catalogue, engines, text, silence_padding=padding)
    assert padded.duration - plain.duration == pytest.approx(seconds, abs=2 * FRAME)
    for measured in (leading(padded), trailing(padded)):
        assert seconds / 2 <= measured <= seconds / 2 + 0.02
    assert leading(plain) < 0.02 and trailing(plain) < 0.02


# -- rate ---------------------------------------------------------------------------------------

PROSODY_TEXT = "<as:prosody rate='{rate}'>These words are spoken at a chosen pace.</as:prosody>"


@pytest.mark.parametrize(
    ("rate", "factor"),
    [("50%", 2.0), ("200%", 0.5), ("+25%", 0.8), ("-20%", 1.25), ("x-slow", None)],
)
def test_prosody_rate_changes_the_duration(
    catalogue: VoiceCatalogue, engines: EngineRegistry, rate: str, factor: float | None
) -> None:
    normal = render(catalogue, engines, PROSODY_TEXT.format(rate="100%"))
    changed = render(catalogue, engines, PROSODY_TEXT.format(rate=rate))
    if factor is None:
        assert changed.duration > normal.duration * 1.2
    else:
        assert changed.duration / normal.duration == pytest.approx(factor, rel=0.01)


@pytest.mark.parametrize("speed", [0.5, 1.5, 2.0, 3.0])
def test_speed_scales_the_duration(
    catalogue: VoiceCatalogue, engines: EngineRegistry, speed: float
) -> None:
    text = "Speed changes how long this sentence lasts."
    normal = render(catalogue, engines, text)
    faster = render(catalogue, engines, text, speed=speed)
    assert faster.duration / normal.duration == pytest.approx(1 / speed, rel=0.01)


def test_prosody_inside_a_sentence_changes_only_its_words(
    catalogue: VoiceCatalogue, engines: EngineRegistry
) -> None:
    plan = plan_of(
        catalogue, "Normal words, <as:prosody rate='50%'>slow words</as:prosody>, normal again."
    )
    rates = [s.prosody.rate for s in plan.segments if isinstance(s, SpeechRun)]
    assert rates == [1.0, 0.5, 1.0]
    audio = render_plan(plan, engines, RATE)
    runs = [s for s in plan.segments if isinstance(s, SpeechRun)]
    # The engine gets each run without its edge spaces.
    expected = sum(ENGINE.duration_for(s.text.strip(), s.prosody.rate) for s in runs)
    assert audio.duration == pytest.approx(expected, abs=5 * FRAME)


def test_volume_and_pitch_prosody(catalogue: VoiceCatalogue, engines: EngineRegistry) -> None:
    text = "<as:prosody {attr}>A steady tone for measuring level and pitch.</as:prosody>"
    base = render(catalogue, engines, text.format(attr="volume='+0dB'"))
    quieter = render(catalogue, engines, text.format(attr="volume='-6dB'"))
    assert rms(quieter) / rms(base) == pytest.approx(10 ** (-6 / 20), rel=0.02)
    higher = render(catalogue, engines, text.format(attr="pitch='x-high'"))
    assert dominant_hz(base) == pytest.approx(220.0, abs=2.0)
    assert dominant_hz(higher) / dominant_hz(base) == pytest.approx(1.3, rel=0.02)


# -- joins --------------------------------------------------------------------------------------

NUMBERS = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
MANY_SENTENCES = " ".join(
    f"Sentence {word} carries the story a little further along the road."
    for word in [*NUMBERS.split(), "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
)


def test_joins_have_no_clicks_at_chunk_boundaries(
    catalogue: VoiceCatalogue, engines: EngineRegistry
) -> None:
    chunks: list[AudioChunk] = []
    # Rendered at the engine's own rate, the chunk boundaries are known exactly.
    audio = render(
        catalogue,
        engines,
        MANY_SENTENCES,
        sample_rate=ENGINE.sample_rate,
        chunk_chars=80,
        chunks=chunks,
    )
    assert len(chunks) >= 10
    boundaries = np.cumsum([chunk.audio.frames for chunk in chunks])[:-1]
    samples = audio.samples[0]
    jumps = np.abs(samples[boundaries] - samples[boundaries - 1])
    assert float(jumps.max()) < 0.01, "a click where two chunks meet"
    # Inside chunks the tone moves at most 0.3 * 2 * pi * 220 / 22050 per sample, plus noise.
    assert float(np.abs(np.diff(samples)).max()) < 0.2


def test_joins_stay_smooth_after_resampling(
    catalogue: VoiceCatalogue, engines: EngineRegistry
) -> None:
    audio = render(catalogue, engines, MANY_SENTENCES, sample_rate=RATE, chunk_chars=80)
    assert float(np.abs(np.diff(audio.samples[0])).max()) < 0.2
    assert float(np.abs(audio.samples).max()) <= 1.0


# -- long text ----------------------------------------------------------------------------------


def test_long_text_renders_completely(catalogue: VoiceCatalogue, engines: EngineRegistry) -> None:
    text = " ".join([MANY_SENTENCES] * 8)  # 160 sentences, about 10,000 characters
    chunks: list[AudioChunk] = []
    plan = plan_of(catalogue, text)
    audio = render_plan(plan, engines, RATE, 400, on_chunk=chunks.append)
    spoken = " ".join(chunk.text for chunk in chunks)
    assert spoken.split() == plan.preview.split() == text.split()  # every word, in order
    assert len(chunks) > 20
    assert max(len(chunk.text) for chunk in chunks) <= 400
    expected = sum(ENGINE.duration_for(chunk.text) for chunk in chunks)
    assert audio.duration == pytest.approx(expected, abs=len(chunks) * 2 * FRAME)
    assert audio.duration > len(text) * ENGINE.seconds_per_character * 0.95
    # No silent hole anywhere: speech runs straight through the whole section.
    assert max(silent_runs(audio)) < 0.05
