"""Speech engines and their registry, checked on the audio itself (level, duration, pitch)."""

from __future__ import annotations

import re
import shutil
import threading
from importlib.metadata import EntryPoint

import numpy as np
import pytest

from castwright.audio import AudioBuffer
from castwright.errors import Invalid
from castwright.speech.engines import (
    Engine,
    EngineNotAvailable,
    EngineRegistry,
    EngineUnavailable,
    EspeakEngine,
    FakeEngine,
    FestivalEngine,
    FliteEngine,
    SynthesisParams,
)
from castwright.speech.engines import registry as registry_module
from castwright.speech.engines.espeak_binding import (
    EspeakVoiceNotFound,
    VoiceProperties,
    espeak_library,
)
from castwright.speech.engines.flite_library import FliteLibraryError, flite_library

SENTENCE = "The quick brown fox jumps over the lazy dog."
PASSAGE = (
    "It was a bright cold day in April, and the clocks were striking thirteen. "
    "Winston Smith, his chin nuzzled into his breast in an effort to escape the vile wind, "
    "slipped quickly through the glass doors of Victory Mansions."
)
PASSAGE_WORDS = len(PASSAGE.split())

FESTIVAL_MISSING = "festival not installed: apt-get install festival festvox-us-slt-hts"
FLITE_MISSING = "flite not installed: apt-get install flite"
needs_festival = pytest.mark.skipif(
    shutil.which("text2wave") is None or shutil.which("festival") is None,
    reason=FESTIVAL_MISSING,
)
needs_flite = pytest.mark.skipif(shutil.which("flite") is None, reason=FLITE_MISSING)


# -- numeric helpers --------------------------------------------------------------------------


def rms(audio: AudioBuffer) -> float:
    return float(np.sqrt(np.mean(np.square(audio.samples)))) if audio.frames else 0.0


def median_f0(audio: AudioBuffer, fmin: float = 60.0, fmax: float = 500.0) -> float:
    """Median fundamental frequency over voiced 40 ms frames, by autocorrelation."""
    samples = audio.samples[0].astype(np.float64)
    rate = audio.sample_rate
    frame = int(0.04 * rate)
    shortest, longest = int(rate / fmax), int(rate / fmin)
    found: list[float] = []
    for start in range(0, samples.size - frame, frame // 2):
        chunk = samples[start : start + frame] - samples[start : start + frame].mean()
        if np.sqrt(np.mean(chunk**2)) < 0.02:
            continue  # silence or a weak consonant
        correlation = np.correlate(chunk, chunk, "full")[frame - 1 :]
        lag = shortest + int(np.argmax(correlation[shortest:longest]))
        if correlation[lag] > 0.6 * correlation[0]:  # clearly periodic: voiced
            found.append(rate / lag)
    assert len(found) >= 5, "too few voiced frames to estimate f0"
    return float(np.median(found))


def assert_ratio(actual: float, expected: float, tolerance: float = 0.20) -> None:
    assert abs(actual / expected - 1.0) <= tolerance, f"ratio {actual:.3f}, wanted {expected:.3f}"


# -- espeak-ng ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def espeak() -> EspeakEngine:
    return EspeakEngine()


@pytest.fixture(scope="module")
def passage_at_normal_rate(espeak: EspeakEngine) -> AudioBuffer:
    return espeak.synthesize(PASSAGE, "en-us", SynthesisParams())


def test_espeak_implements_the_engine_protocol(espeak: EspeakEngine) -> None:
    assert isinstance(espeak, Engine)
    assert espeak.name == "espeak-ng"
    library_version = espeak_library().version
    assert re.match(r"^\d+\.\d+", library_version)
    assert library_version in espeak.version  # the render cache notices an upgrade


def test_espeak_english_is_audible_mono_float32_at_22050(
    passage_at_normal_rate: AudioBuffer,
) -> None:
    audio = passage_at_normal_rate
    assert audio.sample_rate == 22050
    assert audio.channels == 1
    assert audio.samples.dtype == np.float32
    assert rms(audio) > 0.03
    assert float(np.abs(audio.samples).max()) <= 1.0


def test_espeak_duration_fits_175_words_per_minute(passage_at_normal_rate: AudioBuffer) -> None:
    expected = PASSAGE_WORDS / 175 * 60
    assert 0.6 * expected < passage_at_normal_rate.duration < 1.4 * expected


@pytest.mark.parametrize("rate", [0.5, 0.75, 1.5, 2.0, 3.0, 4.0])
def test_espeak_rate_scales_duration(
    espeak: EspeakEngine, passage_at_normal_rate: AudioBuffer, rate: float
) -> None:
    audio = espeak.synthesize(PASSAGE, "en-us", SynthesisParams(rate=rate))
    assert_ratio(audio.duration, passage_at_normal_rate.duration / rate)
    assert rms(audio) > 0.03


def test_espeak_cannot_go_below_its_80_wpm_floor(espeak: EspeakEngine) -> None:
    floor = espeak.synthesize(SENTENCE, "en-us", SynthesisParams(rate=80 / 175))
    slower = espeak.synthesize(SENTENCE, "en-us", SynthesisParams(rate=0.25))
    assert_ratio(slower.duration, floor.duration, tolerance=0.02)


@pytest.mark.parametrize("multiplier", [0.7, 0.85, 1.25, 1.5])
def test_espeak_pitch_multiplies_f0(
    espeak: EspeakEngine, passage_at_normal_rate: AudioBuffer, multiplier: float
) -> None:
    audio = espeak.synthesize(PASSAGE, "en-us", SynthesisParams(pitch=multiplier))
    assert_ratio(median_f0(audio) / median_f0(passage_at_normal_rate), multiplier, 0.08)


def test_espeak_pitch_beyond_the_library_is_clamped(
    espeak: EspeakEngine, passage_at_normal_rate: AudioBuffer
) -> None:
    base = median_f0(passage_at_normal_rate)
    highest = median_f0(espeak.synthesize(PASSAGE, "en-us", SynthesisParams(pitch=2.0)))
    lowest = median_f0(espeak.synthesize(PASSAGE, "en-us", SynthesisParams(pitch=0.5)))
    assert 1.55 < highest / base < 1.95
    assert 0.55 < lowest / base < 0.68


def test_espeak_variant_changes_the_voice(
    espeak: EspeakEngine, passage_at_normal_rate: AudioBuffer
) -> None:
    female = espeak.synthesize(PASSAGE, "en-us+f2", SynthesisParams())
    assert median_f0(female) > 1.4 * median_f0(passage_at_normal_rate)
    by_param = espeak.synthesize(PASSAGE, "en-us", SynthesisParams(variant="f2"))
    assert_ratio(median_f0(by_param), median_f0(female), 0.03)
    assert_ratio(by_param.duration, female.duration, 0.02)


def test_espeak_variant_names_resolve(espeak: EspeakEngine) -> None:
    assert espeak.resolve("en-us+f2") == "gmw/en-US+f2"
    assert espeak.resolve("en-us", "F2") == "gmw/en-US+f2"  # the library itself is case-strict
    assert espeak.resolve("en-us", "female2") == "gmw/en-US+f2"  # display name
    assert espeak.resolve("en-us+f2", "m3") == "gmw/en-US+m3"  # the parameter wins
    assert espeak.resolve("en-gb", "Mr serious") == "gmw/en+Mr serious"


@pytest.mark.parametrize("voice_id", ["en-us", "en-gb", "en-gb-scotland", "en-us+m3"])
def test_espeak_english_voices_speak(espeak: EspeakEngine, voice_id: str) -> None:
    audio = espeak.synthesize(SENTENCE, voice_id, SynthesisParams())
    assert rms(audio) > 0.03
    assert 1.5 < audio.duration < 5.0


@pytest.mark.parametrize(
    ("voice_id", "text"),
    [
        ("de", "Der schnelle braune Fuchs springt über den faulen Hund."),
        ("fr-fr", "Le vif renard brun saute par-dessus le chien paresseux."),
        ("es", "El veloz zorro marrón salta sobre el perro perezoso."),
    ],
)
def test_espeak_other_languages_speak(espeak: EspeakEngine, voice_id: str, text: str) -> None:
    audio = espeak.synthesize(text, voice_id, SynthesisParams())
    assert rms(audio) > 0.03
    assert 1.5 < audio.duration < 6.0


def test_espeak_lists_every_language_with_bcp47_codes(espeak: EspeakEngine) -> None:
    voices = {voice.voice_id: voice for voice in espeak.voices()}
    assert len(voices) == len(espeak.voices()) > 100  # ids are unique
    expected = {
        "en-us": ("en-US", "english", "american"),
        "en-gb": ("en-GB", "english", "british"),
        "en-gb-scotland": ("en-GB-scotland", "english", "scottish"),
        "de": ("de", "german", ""),
        "fr-fr": ("fr-FR", "french", "french"),
        "es": ("es", "spanish", "castilian"),
        "cmn-latn-pinyin": ("cmn-Latn-pinyin", "chinese", "mandarin"),
    }
    for voice_id, (code, language, accent) in expected.items():
        voice = voices[voice_id]
        assert (voice.language_code, voice.language, voice.accent) == (code, language, accent)
        assert voice.engine == "espeak-ng"
    assert {"f2", "m3", "klatt", "whisper"} <= set(voices["en-us"].variants)
    assert "f2" in voices["en-us"].extra["female_variants"].split(",")


def test_espeak_every_listed_voice_resolves(espeak: EspeakEngine) -> None:
    identifiers = [espeak.resolve(voice.voice_id) for voice in espeak.voices()]
    assert len(set(identifiers)) == len(identifiers)


def test_espeak_accepts_aliases_for_a_voice(espeak: EspeakEngine) -> None:
    assert espeak.resolve("en-US") == espeak.resolve("gmw/en-US") == "gmw/en-US"
    assert espeak.resolve("en") == espeak.resolve("en-gb") == "gmw/en"
    assert espeak.resolve("fr") == espeak.resolve("fr-fr") == "roa/fr"


@pytest.mark.parametrize(
    ("voice_id", "variant", "field"),
    [("xx-nowhere", "", "voice_id"), ("en-us", "nonexistent", "variant")],
)
def test_espeak_rejects_unknown_voices_and_variants(
    espeak: EspeakEngine, voice_id: str, variant: str, field: str
) -> None:
    with pytest.raises(Invalid) as caught:
        espeak.synthesize(SENTENCE, voice_id, SynthesisParams(variant=variant))
    assert caught.value.field == field


@pytest.mark.parametrize("params", [SynthesisParams(rate=0), SynthesisParams(volume=-1)])
def test_espeak_rejects_impossible_parameters(
    espeak: EspeakEngine, params: SynthesisParams
) -> None:
    with pytest.raises(Invalid):
        espeak.synthesize(SENTENCE, "en-us", params)


def test_espeak_volume_is_a_linear_gain(espeak: EspeakEngine) -> None:
    full = espeak.synthesize(PASSAGE, "en-us", SynthesisParams())
    half = espeak.synthesize(PASSAGE, "en-us", SynthesisParams(volume=0.5))
    assert_ratio(rms(half), 0.5 * rms(full), 0.05)
    assert rms(espeak.synthesize(SENTENCE, "en-us", SynthesisParams(volume=0.0))) == 0.0


def test_espeak_blank_text_is_empty_audio(espeak: EspeakEngine) -> None:
    audio = espeak.synthesize("  \n ", "en-us", SynthesisParams())
    assert audio.frames == 0
    assert audio.sample_rate == 22050


def test_espeak_text_with_nul_and_markup_is_spoken_as_text(espeak: EspeakEngine) -> None:
    audio = espeak.synthesize("Before\x00after <b>bold</b>", "en-us", SynthesisParams())
    assert audio.duration > 1.0  # both halves spoken, tags did not break anything


def test_espeak_concurrent_calls_match_single_threaded(espeak: EspeakEngine) -> None:
    german = "Der schnelle braune Fuchs springt über den faulen Hund, und alle sehen zu."
    jobs = [
        (PASSAGE, "en-us", SynthesisParams()),
        (PASSAGE, "en-gb", SynthesisParams(rate=1.5)),
        (german, "de", SynthesisParams()),
        (PASSAGE, "en-us+f2", SynthesisParams(pitch=1.2)),
    ] * 2
    reference = [espeak.synthesize(*job) for job in jobs]
    results: list[AudioBuffer | None] = [None] * len(jobs)
    failures: list[BaseException] = []
    start = threading.Barrier(len(jobs))

    def work(index: int) -> None:
        try:
            start.wait()
            results[index] = espeak.synthesize(*jobs[index])
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(index,)) for index in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures
    for expected, got in zip(reference, results, strict=True):
        assert got is not None
        # The library carries a little waveform state from call to call, so the same input
        # can differ by a few samples depending on what was spoken before it.
        assert abs(got.frames - expected.frames) < 0.01 * expected.frames
        assert_ratio(rms(got), rms(expected), 0.05)
        assert_ratio(median_f0(got), median_f0(expected), 0.08)


def test_binding_lists_languages_in_priority_order() -> None:
    british = next(v for v in espeak_library().list_voices() if v.identifier == "gmw/en")
    assert british.name == "English (Great Britain)"
    assert british.languages == ((2, "en-gb"), (2, "en"))
    variants = {v.identifier for v in espeak_library().list_voices("variant")}
    assert {"!v/f2", "!v/m3"} <= variants


def test_binding_selects_voices_by_properties() -> None:
    library = espeak_library()
    assert library.synthesize("Hello there.", VoiceProperties(language="en-gb")).size > 0
    with pytest.raises(EspeakVoiceNotFound):
        library.synthesize("Hello there.", VoiceProperties(language="xx-nowhere"))


def test_binding_speaks_ssml_when_asked() -> None:
    library = espeak_library()
    without_break = library.synthesize("<speak>Hello world.</speak>", "gmw/en-US", ssml=True)
    ssml = '<speak>Hello <break time="1000ms"/> world.</speak>'
    with_break = library.synthesize(ssml, "gmw/en-US", ssml=True)
    extra_seconds = (with_break.size - without_break.size) / library.sample_rate
    assert 0.8 < extra_seconds < 1.2
    read_aloud = library.synthesize(ssml, "gmw/en-US")  # tags spelt out as plain text
    assert read_aloud.size > 2 * with_break.size


# -- fake -----------------------------------------------------------------------------------


def test_fake_engine_duration_follows_text_length_and_rate() -> None:
    fake = FakeEngine()
    audio = fake.synthesize("x" * 50, "fake", SynthesisParams())
    assert audio.sample_rate == 22050
    assert audio.duration == pytest.approx(3.0, abs=1e-3)
    fast = fake.synthesize("x" * 50, "fake", SynthesisParams(rate=2.0))
    assert fast.duration == pytest.approx(1.5, abs=1e-3)
    assert fake.duration_for("x" * 50, 2.0) == fast.duration


def test_fake_engine_is_deterministic_and_honours_volume_and_pitch() -> None:
    fake = FakeEngine()
    first = fake.synthesize(SENTENCE, "fake", SynthesisParams())
    again = FakeEngine().synthesize(SENTENCE, "fake", SynthesisParams())
    assert np.array_equal(first.samples, again.samples)
    assert rms(first) > 0.1
    quiet = fake.synthesize(SENTENCE, "fake", SynthesisParams(volume=0.5))
    assert_ratio(rms(quiet), 0.5 * rms(first), 0.01)
    high = fake.synthesize(SENTENCE, "fake", SynthesisParams(pitch=1.5))
    assert_ratio(median_f0(high) / median_f0(first), 1.5, 0.03)
    assert fake.voices()[0].language_code == "en-US"
    with pytest.raises(Invalid):
        fake.synthesize(SENTENCE, "en-us", SynthesisParams())


# -- festival -------------------------------------------------------------------------------

SLT_HTS = "cmu_us_slt_arctic_hts"


@pytest.fixture(scope="module")
def festival() -> FestivalEngine:
    return FestivalEngine()


@needs_festival
def test_festival_lists_the_slt_voice(festival: FestivalEngine) -> None:
    voices = {voice.voice_id: voice for voice in festival.voices()}
    slt = voices[SLT_HTS]
    assert (slt.language_code, slt.gender, slt.accent) == ("en-US", "female", "american")
    assert festival.version.startswith("festival-2.")


@needs_festival
def test_festival_speaks_and_honours_rate_and_volume(festival: FestivalEngine) -> None:
    normal = festival.synthesize(PASSAGE, SLT_HTS, SynthesisParams())
    assert normal.sample_rate == 32000
    assert rms(normal) > 0.02
    assert 0.6 * PASSAGE_WORDS / 175 * 60 < normal.duration < 1.6 * PASSAGE_WORDS / 175 * 60
    fast = festival.synthesize(PASSAGE, SLT_HTS, SynthesisParams(rate=2.0))
    assert_ratio(fast.duration, normal.duration / 2)
    slow = festival.synthesize(PASSAGE, SLT_HTS, SynthesisParams(rate=0.5))
    assert_ratio(slow.duration, normal.duration * 2)
    quiet = festival.synthesize(PASSAGE, SLT_HTS, SynthesisParams(volume=0.5))
    assert_ratio(rms(quiet), 0.5 * rms(normal), 0.01)


@needs_festival
def test_festival_rejects_unknown_voices(festival: FestivalEngine) -> None:
    with pytest.raises(Invalid):
        festival.synthesize(SENTENCE, "voice_nonexistent) (quit", SynthesisParams())


def test_festival_missing_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(EngineUnavailable, match=re.escape(FESTIVAL_MISSING)):
        FestivalEngine()


# -- flite ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def flite() -> FliteEngine:
    return FliteEngine()


@needs_flite
def test_flite_lists_its_voices(flite: FliteEngine) -> None:
    voices = {voice.voice_id: voice for voice in flite.voices()}
    assert {"kal", "awb", "rms", "slt"} <= set(voices)
    assert "awb_time" not in voices  # a talking clock, not a general voice
    assert voices["slt"].gender == "female"
    assert voices["rms"].extra["pitch"] == "unsupported"


@needs_flite
@pytest.mark.parametrize("voice_id", ["slt", "kal", "awb", "rms"])
def test_flite_speaks_and_honours_rate(flite: FliteEngine, voice_id: str) -> None:
    normal = flite.synthesize(PASSAGE, voice_id, SynthesisParams())
    assert rms(normal) > 0.02
    for rate in (0.5, 2.0):
        changed = flite.synthesize(PASSAGE, voice_id, SynthesisParams(rate=rate))
        assert_ratio(changed.duration, normal.duration / rate)


@needs_flite
@pytest.mark.parametrize("multiplier", [0.75, 1.4])
def test_flite_pitch_multiplies_f0(flite: FliteEngine, multiplier: float) -> None:
    normal = flite.synthesize(PASSAGE, "slt", SynthesisParams())
    shifted = flite.synthesize(PASSAGE, "slt", SynthesisParams(pitch=multiplier))
    assert_ratio(median_f0(shifted) / median_f0(normal), multiplier, 0.1)


@needs_flite
def test_flite_rejects_unknown_voices(flite: FliteEngine) -> None:
    with pytest.raises(Invalid):
        flite.synthesize(SENTENCE, "awb_time", SynthesisParams())


def test_flite_missing_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(EngineUnavailable, match=re.escape(FLITE_MISSING)):
        FliteEngine(use_library=False)  # neither the library nor the command


@needs_flite
def test_flite_runs_in_process_when_libflite_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    in_process = FliteEngine()
    assert in_process.in_process  # Debian's flite brings libflite1
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    assert FliteEngine().in_process  # the library needs no binary on the PATH


@needs_flite
@pytest.mark.parametrize("voice_id", ["slt", "kal16", "awb"])
def test_flite_library_renders_what_the_command_line_renders(voice_id: str) -> None:
    # One sentence: the command line reads a file utterance by utterance, the library speaks
    # a run of text as one utterance. Clustergen's excitation noise differs from run to run,
    # so the samples are compared by length, level and pitch.
    params = SynthesisParams(rate=1.25, pitch=1.1)
    library = FliteEngine().synthesize(SENTENCE, voice_id, params)
    command = FliteEngine(use_library=False).synthesize(SENTENCE, voice_id, params)
    assert library.sample_rate == command.sample_rate == 16000
    assert library.frames == command.frames
    assert_ratio(rms(library), rms(command), 0.05)
    assert_ratio(median_f0(library), median_f0(command), 0.03)


@needs_flite
def test_flite_kal_speaks_at_its_native_8000_hz() -> None:
    audio = FliteEngine().synthesize(SENTENCE, "kal", SynthesisParams())
    assert audio.sample_rate == 8000 and rms(audio) > 0.02


@needs_flite
def test_flite_library_runs_the_front_end_alone() -> None:
    library = flite_library()
    hello = library.segments("Hello, world.", "kal")
    phones = [s.name for s in hello]
    assert phones == ["pau", "hh", "ax", "l", "ow", "pau", "w", "er", "l", "d", "pau"]
    assert all(s.seconds > 0 for s in hello)  # kal's front end runs its duration model
    assert [s.boundary for s in hello if s.name == "ow"] == [3]  # the comma ends a phrase
    assert [s.boundary for s in hello if s.name == "d"] == [4]  # the utterance's end
    assert [s.stressed for s in hello if s.name in ("ax", "ow")] == [False, True]
    # Digits are read as words: "twelve" is in there.
    twelve = [s.name for s in library.segments("12", "kal")]
    assert twelve == ["pau", "t", "w", "eh", "l", "v", "pau"]
    assert library.segments("  ", "kal") == ()
    with pytest.raises(FliteLibraryError):
        library.segments(SENTENCE, "awb_time")


@needs_flite
@pytest.mark.parametrize("voice_id", ["slt", "awb"])
def test_flite_clustergen_segments_add_up_to_the_audio(voice_id: str) -> None:
    # A clustergen voice times its speech by HMM states in the waveform step; segments runs
    # that duration step alone, so the sum is the audio's length to a frame or so.
    library = flite_library()
    assert library.exact_durations(voice_id) and not library.exact_durations("kal")
    segments = library.segments(PASSAGE, voice_id)
    assert all(s.seconds > 0 for s in segments)
    audio = FliteEngine().synthesize(PASSAGE, voice_id, SynthesisParams())
    assert sum(s.seconds for s in segments) == pytest.approx(audio.duration, rel=0.005)


# -- registry -------------------------------------------------------------------------------


def test_registry_loads_every_installed_engine() -> None:
    registry = EngineRegistry.load()
    for name in ("espeak-ng", "festival", "flite"):
        assert (name in registry.available()) != (name in registry.unavailable())
    assert isinstance(registry.get("espeak-ng"), EspeakEngine)
    assert "fake" not in registry
    if shutil.which("flite"):
        assert isinstance(registry.get("flite"), FliteEngine)


def test_registry_loads_only_what_is_enabled() -> None:
    registry = EngineRegistry.load(["espeak-ng", "fake"])
    assert sorted(registry.available()) == ["espeak-ng", "fake"]
    assert registry.unavailable() == {}
    with pytest.raises(EngineNotAvailable, match="not enabled"):
        registry.get("flite")


def test_registry_adds_the_fake_engine_on_request() -> None:
    registry = EngineRegistry.load(include_fake=True)
    assert isinstance(registry.get("fake"), FakeEngine)


def test_registry_records_unknown_names() -> None:
    registry = EngineRegistry.load(["polly"])
    known = "known engines: espeak-ng, fake, festival, flite, kokoro, piper"
    assert known in registry.unavailable()["polly"]
    with pytest.raises(KeyError) as caught:
        registry.get("polly")
    assert "polly" in str(caught.value) and "known engines" in str(caught.value)


def test_registry_records_an_engine_whose_tools_are_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    registry = EngineRegistry.load()
    assert "espeak-ng" in registry.available()  # in process: needs no binary
    assert FESTIVAL_MISSING in registry.unavailable()["festival"]
    # Flite runs in process through libflite where that loads; otherwise it needs the binary.
    assert "flite" in registry.available() or FLITE_MISSING in registry.unavailable()["flite"]
    with pytest.raises(EngineNotAvailable) as caught:
        registry.get("festival")
    assert isinstance(caught.value, KeyError)
    assert "apt-get install festival festvox-us-slt-hts" in str(caught.value)


def test_registry_records_an_engine_that_cannot_be_imported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broken = EntryPoint("broken", "castwright.no_such_module:Engine", "castwright.engines")

    def only_broken(**_selection: str) -> list[EntryPoint]:
        return [broken]

    monkeypatch.setattr(registry_module, "entry_points", only_broken)
    registry = EngineRegistry.load()
    assert registry.available() == {}
    assert "cannot import castwright.no_such_module:Engine" in registry.unavailable()["broken"]
