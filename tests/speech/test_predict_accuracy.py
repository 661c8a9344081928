"""Length prediction against real renders, per voice family: at least 200 varied texts each
(tests/support/predict_corpus.py), planned and rendered exactly as /speech/tts renders them.

The issue's bar, for every family: median absolute error under 3 % and 95th percentile under
8 %. Measured: espeak-ng median 2.0 %, p95 6.7 %; Flite 0.03 %, 0.09 % (its clustergen
voices' own duration model gives their length to a frame or so); Festival 2.4 %, 7.3 %
(Festival's own front end reads the text, Flite's slt times the words it reads; what is left
is the HTS voice's own timing, ±10 % on a one-word reply or a percentage).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from castwright.config import Settings
from castwright.predict.calibration import calibration_texts
from castwright.predict.service import LengthPredictor
from castwright.speech.engines.registry import EngineRegistry
from castwright.speech.render import render_section_wav
from castwright.speech.text.markup import parse_script
from castwright.speeches.planning import TtsOptions, plan_speech
from castwright.voices.catalogue import VoiceCatalogue
from castwright.voices.local import local_catalogue, local_engines
from support.predict_corpus import corpus

# Family -> (voice alias, corpus language, texts); at least 200 texts per family.
FAMILIES: dict[str, list[tuple[str, str, int]]] = {
    "espeak-ng": [
        ("isaac", "en", 80),
        ("espeak-ng-de", "de", 40),
        ("espeak-ng-fr-fr", "fr", 40),
        ("espeak-ng-es", "es", 40),
    ],
    "flite": [("maya", "en", 200)],  # English only: Flite speaks nothing else
    "festival": [("sloane", "en", 200)],
}
MEDIAN_BAR, P95_BAR = 0.03, 0.08


@dataclass(frozen=True)
class Accuracy:
    errors: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.errors)

    @property
    def p95(self) -> float:
        return float(np.percentile(self.errors, 95))

    def __str__(self) -> str:
        return f"{len(self.errors)} texts, median {self.median:.2%}, p95 {self.p95:.2%}"


@pytest.fixture(scope="module")
def engines() -> EngineRegistry:
    return local_engines(Settings(_env_file=None))


@pytest.fixture(scope="module")
def catalogue(engines: EngineRegistry) -> VoiceCatalogue:
    return local_catalogue(Settings(_env_file=None), engines)


@pytest.fixture(scope="module")
def predictor(
    engines: EngineRegistry, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LengthPredictor]:
    yield LengthPredictor(engines, Path(tmp_path_factory.mktemp("predict")), 400)


_measured: dict[str, Accuracy] = {}


def accuracy(
    family: str, catalogue: VoiceCatalogue, engines: EngineRegistry, predictor: LengthPredictor
) -> Accuracy:
    if family in _measured:
        return _measured[family]
    errors: list[float] = []
    for alias, language, count in FAMILIES[family]:
        if catalogue.find(alias) is None:
            pytest.skip(f"{family} is not installed here (no voice {alias})")
        texts = corpus(language, count)

        def real(text: str, alias: str = alias) -> float:
            plans = plan_speech(parse_script(text), TtsOptions(voice=alias), catalogue)
            return sum(render_section_wav(p, engines, None).duration for p in plans)

        workers = 1 if family == "espeak-ng" else 3  # subprocess engines render in parallel
        with ThreadPoolExecutor(workers) as pool:
            lengths = list(pool.map(real, texts))
        for text, length in zip(texts, lengths, strict=True):
            plans = plan_speech(parse_script(text), TtsOptions(voice=alias), catalogue)
            predicted = predictor.predict(plans).seconds
            errors.append(abs(predicted - length) / length)
    _measured[family] = Accuracy(errors)
    print(f"\n{family}: {_measured[family]}")
    return _measured[family]


def test_the_corpus_is_large_varied_and_unlike_the_calibration() -> None:
    for family, voices in FAMILIES.items():
        texts = [t for _, language, count in voices for t in corpus(language, count)]
        assert len(texts) >= 200, family
        assert len(set(texts)) == len(texts)
        assert corpus("en", 50) == corpus("en", 50)  # deterministic
    english = corpus("en", 200)
    lengths = sorted(len(t) for t in english)
    assert lengths[0] < 15 and lengths[-1] > 300  # one-word replies to paragraphs
    assert any(ch.isdigit() for t in english for ch in t)
    assert any("<as:break" in t for t in english)
    assert any(", " in t and " and " in t for t in english)  # lists
    for language in ("en", "de", "fr", "es"):
        calibration = set(calibration_texts(language, 400))
        assert not calibration & set(corpus(language, 200)), language


def test_espeak_predictions_are_within_the_bar(
    catalogue: VoiceCatalogue, engines: EngineRegistry, predictor: LengthPredictor
) -> None:
    found = accuracy("espeak-ng", catalogue, engines, predictor)
    assert found.median < MEDIAN_BAR and found.p95 < P95_BAR, str(found)


@pytest.mark.parametrize("family", ["flite", "festival"])
def test_subprocess_engine_predictions_are_within_the_bar(
    family: str,
    catalogue: VoiceCatalogue,
    engines: EngineRegistry,
    predictor: LengthPredictor,
) -> None:
    found = accuracy(family, catalogue, engines, predictor)
    assert found.median < MEDIAN_BAR and found.p95 < P95_BAR, str(found)


def test_models_are_kept_on_disk_and_reused(
    catalogue: VoiceCatalogue, engines: EngineRegistry, tmp_path: Path
) -> None:
    voice = catalogue.resolve("isaac")
    first = LengthPredictor(engines, tmp_path, 400)
    model = first.model_for(voice)
    (saved,) = tmp_path.glob("espeak-ng-*.json")
    assert model.r2 > 0.99 and model.samples >= 300
    # A new process (a new predictor) loads the file instead of calibrating again.
    second = LengthPredictor(engines, tmp_path, 400)
    assert second.model_for(voice) == model
    saved.write_text("{not json")
    third = LengthPredictor(engines, tmp_path, 400)
    assert third.model_for(voice).r2 == pytest.approx(model.r2, abs=1e-3)  # refitted


def test_a_script_predicted_again_reads_only_its_new_pieces(
    catalogue: VoiceCatalogue,
    engines: EngineRegistry,
    predictor: LengthPredictor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "The first sentence is here. " * 30 + "And the last one is there."
    plans = plan_speech(parse_script(text), TtsOptions(voice="isaac"), catalogue)
    first = predictor.predict(plans)
    read: list[str] = []
    voice = catalogue.resolve("isaac")
    featurize = predictor.featurizer(voice)

    def counting(voice_: object) -> object:
        return lambda piece: read.append(piece) or featurize(piece)

    # A fresh cache, then the same script twice: each piece is read once, and an edit
    # reads only the piece it changes.
    monkeypatch.setattr(predictor, "_featurizers", {})
    monkeypatch.setattr(predictor, "featurizer", counting)
    assert predictor.predict(plans) == first
    pieces = len(read)
    assert pieces > 1
    assert predictor.predict(plans) == first
    assert len(read) == pieces
    edited = plan_speech(parse_script(text + " One more."), TtsOptions(voice="isaac"), catalogue)
    assert predictor.predict(edited).seconds > first.seconds
    assert len(read) == pieces + 1
