"""Piper and Kokoro on onnxruntime, with tiny models of the real signatures: what the models
are fed (ids, styles, batches), model loading and idle unloading, and no network at run time.

The tiny models turn each input id into 40 ms of tone (divided by the rate), pitched by the
mean id (Piper) or the style (Kokoro), so durations and pitch say exactly what went in.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

import numpy as np
import pytest

from castwright.errors import Invalid
from castwright.speech.engines import EngineUnavailable, SynthesisParams
from castwright.speech.engines.kokoro import KokoroEngine
from castwright.speech.engines.neural_text import sentences
from castwright.speech.engines.onnx_models import ModelCache
from castwright.speech.engines.piper import PiperEngine
from support.tiny_voices import (
    SECONDS_PER_ID,
    kokoro_model,
    write_kokoro_voice,
    write_piper_voice,
)

LESSAC = "en_US-lessac-medium"
TEXT = "Hello, world! How are you today? Fine, thanks."


@pytest.fixture
def voices(tmp_path: Path) -> Path:
    write_piper_voice(tmp_path / "piper" / LESSAC, LESSAC, "lessac")
    write_piper_voice(
        tmp_path / "piper" / "en_GB-alan-medium", "en_GB-alan-medium", "alan", "en_GB"
    )
    write_kokoro_voice(tmp_path, {"af_heart": 0.1, "bm_george": -0.1})
    return tmp_path


def median_f0(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples[: rate // 2] * np.hanning(rate // 2)))
    return float(np.fft.rfftfreq(rate // 2, 1 / rate)[int(np.argmax(spectrum))])


# -- phonemes -----------------------------------------------------------------------------------


def test_phonemes_keep_clause_punctuation_and_split_sentences() -> None:
    said = sentences(TEXT, "en-us", decompose=False)
    assert len(said) == 3  # "!", "?" and "." end sentences; "," does not
    assert said[0].phonemes.startswith("həlˈoʊ,")  # noqa: RUF001
    assert said[0].phonemes.endswith("!")
    assert said[1].phonemes.endswith("?") and said[2].phonemes.endswith(".")
    assert sentences("   ", "en-us") == []


def test_phonemes_for_other_languages() -> None:
    (german,) = sentences("Guten Tag.", "de", decompose=False)
    assert german.phonemes.startswith("ɡˈuːtən")  # noqa: RUF001


# -- piper --------------------------------------------------------------------------------------


def test_piper_lists_installed_voices_with_their_config(voices: Path) -> None:
    engine = PiperEngine(voices)
    found = {voice.voice_id: voice for voice in engine.voices()}
    assert set(found) == {LESSAC, "en_GB-alan-medium"}
    lessac, alan = found[LESSAC], found["en_GB-alan-medium"]
    assert (lessac.language_code, lessac.gender, lessac.accent) == ("en-US", "female", "american")
    assert (alan.language_code, alan.gender, alan.accent) == ("en-GB", "male", "british")
    assert lessac.extra["quality"] == "medium" and lessac.extra["sample_rate"] == "22050"


def test_piper_feeds_the_model_piper_phoneme_ids(voices: Path) -> None:
    engine = PiperEngine(voices)
    audio = engine.synthesize(TEXT, LESSAC, SynthesisParams())
    _, config = engine._voice_table()[LESSAC]
    ids = [engine._ids(s.phonemes, config) for s in sentences(TEXT, "en-us")]
    for sentence_ids in ids:  # ^ _ p _ p _ ... $ as piper-phonemize writes them
        assert sentence_ids[:2] == [1, 0] and sentence_ids[-1] == 2
        assert all(pad == 0 for pad in sentence_ids[3:-1:2])
    # One model call per sentence, each id 40 ms: the duration says what the model was fed.
    expected = sum(int(len(s) * SECONDS_PER_ID * 22050) for s in ids) / 22050
    assert audio.duration == pytest.approx(expected, abs=1e-3)
    faster = engine.synthesize(TEXT, LESSAC, SynthesisParams(rate=2.0))
    assert faster.duration == pytest.approx(expected / 2, abs=2e-3)


def test_piper_rejects_unknown_voices_and_speakers(voices: Path) -> None:
    engine = PiperEngine(voices)
    with pytest.raises(Invalid) as caught:
        engine.synthesize(TEXT, "en_US-nobody-low", SynthesisParams())
    assert caught.value.field == "voice_id"
    with pytest.raises(Invalid) as caught:
        engine.synthesize(TEXT, LESSAC, SynthesisParams(variant="speaker_7"))
    assert caught.value.field == "variant"


def test_piper_multi_speaker_voices_take_the_speaker_as_the_variant(tmp_path: Path) -> None:
    key = "en_US-libritts-high"
    write_piper_voice(tmp_path / "piper" / key, key, "libritts", speakers=("p3922", "p8699"))
    engine = PiperEngine(tmp_path)
    (voice,) = engine.voices()
    assert voice.variants == ("p3922", "p8699") and voice.extra["speakers"] == "2"
    first = engine.synthesize("Hello there.", key, SynthesisParams())  # speaker 0
    second = engine.synthesize("Hello there.", key, SynthesisParams(variant="p8699"))
    # The tiny model adds 40 Hz per speaker id: the sid input reached it.
    shift = median_f0(second.samples[0], 22050) - median_f0(first.samples[0], 22050)
    assert shift == pytest.approx(40, abs=4)
    named = engine.synthesize("Hello there.", key, SynthesisParams(variant="p3922"))
    assert median_f0(named.samples[0], 22050) == pytest.approx(median_f0(first.samples[0], 22050))


def test_piper_without_voices_says_how_to_install_one(tmp_path: Path) -> None:
    with pytest.raises(EngineUnavailable, match="castwright voices install piper:"):
        PiperEngine(tmp_path)
    (tmp_path / "piper" / "broken").mkdir(parents=True)
    (tmp_path / "piper" / "broken" / "broken.onnx").write_bytes(b"half a download")
    with pytest.raises(EngineUnavailable):  # a model without its config is not a voice
        PiperEngine(tmp_path)


# -- kokoro -------------------------------------------------------------------------------------


def test_kokoro_lists_voices_by_their_names(voices: Path) -> None:
    engine = KokoroEngine(voices)
    found = {voice.voice_id: voice for voice in engine.voices()}
    heart, george = found["af_heart"], found["bm_george"]
    assert (heart.language_code, heart.gender, heart.extra["name"]) == ("en-US", "female", "Heart")
    assert (george.language_code, george.gender, george.accent) == ("en-GB", "male", "british")


def test_kokoro_speaks_with_the_voice_style(voices: Path) -> None:
    engine = KokoroEngine(voices)
    heart = engine.synthesize(TEXT, "af_heart", SynthesisParams())
    george = engine.synthesize(TEXT, "bm_george", SynthesisParams())
    # The tiny model's pitch is 160 Hz + 400 x the style's mean: 200 Hz and 120 Hz.
    assert median_f0(heart.samples[0], 24000) == pytest.approx(200, abs=4)
    assert median_f0(george.samples[0], 24000) == pytest.approx(120, abs=4)


def test_kokoro_batches_stay_within_the_context(voices: Path) -> None:
    engine = KokoroEngine(voices)
    long_text = " ".join(["The committee will reconvene after a short break."] * 30)
    batches = engine._batches(long_text, engine._voices["af_heart"])
    assert len(batches) > 1 and all(len(batch) <= 510 for batch in batches)
    audio = engine.synthesize(long_text, "af_heart", SynthesisParams())
    expected = sum(int((len(b) + 2) * SECONDS_PER_ID * 24000) for b in batches) / 24000
    assert audio.duration == pytest.approx(expected, abs=1e-3)


def test_kokoro_accepts_the_older_tokens_input(voices: Path) -> None:
    (voices / "kokoro" / "model.onnx").write_bytes(kokoro_model(input_name="tokens"))
    audio = KokoroEngine(voices).synthesize("Hello there.", "af_heart", SynthesisParams())
    assert audio.duration > 0.3


def test_kokoro_without_a_model_says_how_to_install_one(tmp_path: Path) -> None:
    with pytest.raises(EngineUnavailable, match="castwright voices install kokoro:"):
        KokoroEngine(tmp_path)


# -- loading, unloading, no network -------------------------------------------------------------


def test_models_load_on_first_use_and_unload_when_idle(voices: Path) -> None:
    now = [0.0]
    engine = PiperEngine(voices, idle_seconds=60)
    engine.models = ModelCache(60, clock=lambda: now[0])
    assert engine.models.loaded() == []  # listing voices loads no model
    engine.synthesize("Hello.", LESSAC, SynthesisParams())
    engine.synthesize("Hello again.", LESSAC, SynthesisParams())
    assert (engine.models.loaded(), engine.models.loads) == ([LESSAC], 1)
    now[0] = 59.0
    assert engine.models.unload_idle() == []
    now[0] = 61.0
    assert engine.models.unload_idle() == [LESSAC]
    assert engine.models.loaded() == []
    engine.synthesize("Back again.", LESSAC, SynthesisParams())
    assert engine.models.loads == 2


def test_a_model_in_use_is_never_unloaded() -> None:
    now = [0.0]
    cache: ModelCache[object] = ModelCache(1, clock=lambda: now[0])
    with cache.use("m", object):
        now[0] = 100.0
        assert cache.unload_idle() == []
    assert cache.unload_idle() == []  # just used: idle time starts when the caller is done
    now[0] = 102.0
    assert cache.unload_idle() == ["m"]


def test_the_background_reaper_unloads_idle_models(voices: Path) -> None:
    engine = KokoroEngine(voices, idle_seconds=0.2)
    engine.synthesize("Hello.", "af_heart", SynthesisParams())
    assert engine.models.loaded() == ["model"]
    deadline = time.monotonic() + 20
    while engine.models.loaded() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert engine.models.loaded() == []


def test_no_network_is_used_at_run_time(voices: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> None:
        raise AssertionError("an engine tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert PiperEngine(voices).synthesize(TEXT, LESSAC, SynthesisParams()).frames
    assert KokoroEngine(voices).synthesize(TEXT, "af_heart", SynthesisParams()).frames
