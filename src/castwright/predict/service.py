"""Speech length prediction: how long a plan will sound, without synthesising it.

Each voice gets a length model the first time it is asked about: its calibration texts are
rendered once (seconds for espeak-ng, a minute or two for Festival), the model is fitted and
kept under ``data_dir/predict``, so later processes and restarts reuse it. After that a
prediction is the planner's work plus a front end's reading of each piece (espeak-ng's,
Flite's or Festival's own, see ``_front``), cached piece by piece: milliseconds for a page of
text once read, tens of milliseconds for each piece read afresh.

A plan's length is the sum over its engine calls (the same pieces the renderer synthesises)
of the model's seconds, scaled by the voice's measured speed curve, plus its pauses (breaks)
and padding, which are silence of exactly the length asked.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from castwright.errors import Invalid
from castwright.predict.calibration import CALIBRATION_VERSION, calibration_texts
from castwright.predict.features import (
    FEATURE_VERSION,
    Phonemizer,
    segment_features,
    text_features,
)
from castwright.predict.festival_front import FestivalReading, festival_front
from castwright.predict.flite_front import flite_front
from castwright.predict.model import LengthModel, fit_length_model
from castwright.speech.engines.base import Engine, SynthesisParams
from castwright.speech.engines.espeak import EspeakEngine
from castwright.speech.engines.espeak_binding import espeak_library
from castwright.speech.engines.registry import EngineRegistry
from castwright.speech.render import Pause, SectionPlan, SpeechPiece, synthesis_work
from castwright.speech.text.chunking import chunk_text
from castwright.speech.text.normalise import normalise
from castwright.speeches.planning import MAX_SPEED, MIN_SPEED
from castwright.voices.catalogue import Voice

__all__ = ["Featurizer", "LengthPredictor", "Prediction", "SpeedFit"]

# A piece's text to its features, as one voice's model sees them.
Featurizer = Callable[[str], dict[str, float]]

log = logging.getLogger("castwright.predict")

MODEL_VERSION = "2"
# How many calibration texts a voice renders: espeak-ng renders hundreds of times faster than
# real time, the subprocess engines tens of times, so they get fewer.
_CALIBRATION_COUNT = {"espeak-ng": 320, "flite": 400, "festival": 300}
_DEFAULT_CALIBRATION_COUNT = 200
_SPEEDS = (0.5, 0.7, 1.0, 1.4, 2.0, 2.6, 3.0)
_SPEED_SAMPLE = 10  # calibration pieces rendered at each speed for the speed curve
_CACHED_PIECES = 4096  # pieces whose features each voice remembers


@dataclass(frozen=True)
class Prediction:
    seconds: float  # the whole plan: speech, pauses and padding
    speech_seconds: float  # the part that changes with the speed
    r2: float  # the weakest fit among the voices used (out of sample)


@dataclass(frozen=True)
class SpeedFit:
    speed: float  # what to render at, within 0.5-3.0
    seconds: float  # predicted length at that speed
    fits: bool  # False: the target needs a speed outside 0.5-3.0 and ``speed`` is the bound


@dataclass(frozen=True)
class _Piece:
    seconds: float  # at the voice's normal speed, before speed and prosody
    prosody: float  # the markup's rate multiplier (the speed multiplies it)
    speed: float  # the speed the plan asked for
    model: LengthModel


class LengthPredictor:
    """Per-voice length models, calibrated on first use and cached on disk. Thread-safe."""

    def __init__(self, engines: EngineRegistry, cache_dir: Path | None, chunk_chars: int) -> None:
        self.engines = engines
        self.cache_dir = cache_dir
        self.chunk_chars = chunk_chars
        self._models: dict[str, LengthModel] = {}
        self._featurizers: dict[str, Featurizer] = {}  # per model key, cached
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._espeak: EspeakEngine | None = None

    # -- voices ---------------------------------------------------------------------------

    def _espeak_engine(self) -> EspeakEngine:
        if self._espeak is None:
            found = self.engines.available().get("espeak-ng")
            self._espeak = found if isinstance(found, EspeakEngine) else EspeakEngine()
        return self._espeak

    def _phonemizer_voice(self, voice: Voice) -> str:
        """The espeak-ng voice whose front end reads text as ``voice`` will."""
        espeak = self._espeak_engine()
        code = voice.language_code.lower()
        names = [voice.engine_voice_id] if voice.engine == "espeak-ng" else []
        for name in [*names, code, code.split("-")[0], "en"]:
            try:
                return espeak.resolve(name)
            except Invalid:
                continue
        raise Invalid(f"cannot predict for voice {voice.alias!r}", field="voice")

    def phonemizer(self, voice: Voice) -> Phonemizer:
        """Text to phonemes as ``voice`` reads it. espeak-ng voices read digits and symbols
        with espeak-ng's own rules, which its front end knows; the other engines' rules are
        closer to Castwright's normaliser (digit by digit phone numbers, years in pairs), so
        their text is normalised first."""
        identifier = self._phonemizer_voice(voice)
        library = espeak_library()
        if voice.engine == "espeak-ng":
            return lambda text: library.text_to_phonemes(text, identifier)
        language = voice.language_code
        return lambda text: library.text_to_phonemes(normalise(text, language), identifier)

    def _front(self, voice: Voice) -> str:
        """Which front end describes ``voice``'s text: Festival's own for Festival (with
        Flite's timing of the words it reads, where libflite loads); Flite's own for Flite
        where libflite loads; else espeak-ng's. (A Festival voice exists only where the
        ``festival`` binary does, and that binary is all Festival's front end needs.)"""
        if voice.engine == "festival" and festival_front() is not None:
            return "festival+flite" if flite_front() is not None else "festival"
        if voice.engine == "flite" and flite_front() is not None:
            return "flite"
        return "espeak"

    def featurizer(self, voice: Voice) -> Featurizer:
        """Text to the features ``voice``'s model takes. A Flite voice with a clustergen
        duration model needs only one: the seconds that model gives the text, which are its
        length at normal speed, so the fit has only the voice's rate and silence to learn."""
        front = self._front(voice)
        flite = flite_front()
        if front == "flite" and flite is not None:
            own = flite.duration_voice(voice.engine_voice_id)
            if flite.exact(own):  # its segments are its timing: their sum is the length
                return lambda text: {
                    "constant": 1.0,
                    "seconds": sum(s.seconds for s in flite.segments(text, own)),
                }
            return lambda text: {"constant": 1.0, **segment_features(flite.segments(text, own))}
        festival = festival_front()
        if front.startswith("festival") and festival is not None:
            return self._festival_featurizer(voice, festival.read)
        phonemize = self.phonemizer(voice)
        return lambda text: text_features(text, phonemize, voice.engine == "espeak-ng")

    @staticmethod
    def _festival_featurizer(
        voice: Voice, read: Callable[[str, str], FestivalReading]
    ) -> Featurizer:
        """Festival's voices: Festival's own reading (its segments and utterances), and the
        words it reads timed by Flite's voice of the same speaker where there is one."""
        flite = flite_front()
        timing = flite.duration_voice(voice.engine_voice_id) if flite is not None else ""

        def features(text: str) -> dict[str, float]:
            reading = read(text, voice.engine_voice_id)
            found = {"constant": 1.0, **segment_features(reading.segments, False, "festival_")}
            found["utterances"] = len(reading.utterances)
            if flite is not None:
                found["flite_seconds"] = sum(
                    s.seconds
                    for words in reading.words
                    if words
                    for s in flite.segments(words + ".", timing)
                )
            return found

        return features

    def _cached_featurizer(self, voice: Voice) -> Featurizer:
        """``featurizer(voice)`` remembering its last pieces: an editor predicts the same
        script on every keystroke, and only the piece being edited has new features."""
        key = self._model_key(voice, self.engines.get(voice.engine))
        with self._guard:
            if key not in self._featurizers:
                cached = functools.lru_cache(maxsize=_CACHED_PIECES)(self.featurizer(voice))
                self._featurizers[key] = cached
            return self._featurizers[key]

    def supports(self, voice: Voice) -> bool:
        if voice.engine not in self.engines.available():
            return False
        try:
            self._phonemizer_voice(voice)
        except Exception:  # espeak-ng missing entirely: nothing can be predicted
            return False
        return True

    # -- models ---------------------------------------------------------------------------

    def _model_key(self, voice: Voice, engine: Engine) -> str:
        described = [
            MODEL_VERSION,
            FEATURE_VERSION,
            CALIBRATION_VERSION,
            espeak_library().version,
            voice.engine,
            engine.version,
            voice.engine_voice_id,
            voice.variant,
            voice.rate,
            voice.language_code,
            self.chunk_chars,
            self._front(voice),
        ]
        digest = hashlib.sha256(json.dumps(described).encode()).hexdigest()[:24]
        return f"{voice.engine}-{digest}"

    def model_for(self, voice: Voice) -> LengthModel:
        """The voice's model: from memory, else from disk, else calibrated now."""
        if not self.supports(voice):
            raise Invalid(
                f"length prediction is not available for voice {voice.alias!r}", field="voice"
            )
        engine = self.engines.get(voice.engine)
        key = self._model_key(voice, engine)
        if key in self._models:
            return self._models[key]
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:  # one calibration per voice, however many requests wait for it
            if key not in self._models:
                self._models[key] = self._load(key) or self._calibrate(voice, engine, key)
            return self._models[key]

    def _path(self, key: str) -> Path | None:
        return self.cache_dir / f"{key}.json" if self.cache_dir is not None else None

    def _load(self, key: str) -> LengthModel | None:
        path = self._path(key)
        if path is None or not path.is_file():
            return None
        try:
            return LengthModel.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError) as error:
            log.warning("ignoring unreadable length model %s: %s", path, error)
            return None

    def _save(self, key: str, model: LengthModel) -> None:
        path = self._path(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            scratch = path.with_suffix(f".{os.getpid()}.tmp")
            scratch.write_text(json.dumps(model.as_json()), encoding="utf-8")
            scratch.replace(path)  # atomic: a reader never sees half a model
        except OSError as error:
            log.warning("could not keep the length model in %s: %s", path, error)

    def _render_lengths(
        self, engine: Engine, voice: Voice, pieces: list[str], params: SynthesisParams
    ) -> list[float]:
        def length(text: str) -> float:
            return engine.synthesize(text, voice.engine_voice_id, params).duration

        if voice.engine == "espeak-ng":  # one library per process: threads would only queue
            return [length(p) for p in pieces]
        with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
            return list(pool.map(length, pieces))

    def _calibrate(self, voice: Voice, engine: Engine, key: str) -> LengthModel:
        count = _CALIBRATION_COUNT.get(voice.engine, _DEFAULT_CALIBRATION_COUNT)
        texts = calibration_texts(voice.language_code, count)
        pieces = [p for t in texts for p in chunk_text(t, self.chunk_chars) if p.strip()]
        log.info("calibrating length prediction for %s on %d texts", voice.alias, len(pieces))
        lengths = self._render_lengths(engine, voice, pieces, voice.params())
        featurize = self.featurizer(voice)
        rows = [featurize(p) for p in pieces]
        model = fit_length_model(rows, lengths)
        step = max(1, len(pieces) // _SPEED_SAMPLE)
        sample = pieces[::step][:_SPEED_SAMPLE]
        at_one = sum(lengths[::step][:_SPEED_SAMPLE])
        factors = [
            sum(self._render_lengths(engine, voice, sample, voice.params(speed=s))) / at_one
            if s != 1.0
            else 1.0
            for s in _SPEEDS
        ]
        model = replace(model, speeds=_SPEEDS, factors=tuple(round(f, 5) for f in factors))
        log.info("length model for %s: r2 %.4f on %d pieces", voice.alias, model.r2, len(pieces))
        self._save(key, model)
        return model

    # -- predictions ----------------------------------------------------------------------

    def _pieces(self, plans: list[SectionPlan]) -> tuple[list[_Piece], float, float]:
        """The plans' engine calls (with their models), their pauses, and the weakest r2."""
        pieces: list[_Piece] = []
        silence = 0.0
        r2 = 1.0
        for plan in plans:
            model = self.model_for(plan.voice)
            r2 = min(r2, model.r2)
            featurize = self._cached_featurizer(plan.voice)
            normal = plan.voice.rate * plan.speed
            for item in synthesis_work(plan, self.chunk_chars):
                if isinstance(item, SpeechPiece):
                    seconds = model.seconds(featurize(item.text))
                    prosody = item.params.rate / normal
                    pieces.append(_Piece(seconds, prosody, plan.speed, model))
                elif isinstance(item, Pause):
                    silence += item.seconds
            silence += plan.padding_seconds
        return pieces, silence, r2

    @staticmethod
    def _length(pieces: list[_Piece], silence: float, speed: float | None) -> float:
        return silence + sum(
            p.seconds * p.model.speed_factor((p.speed if speed is None else speed) * p.prosody)
            for p in pieces
        )

    def predict(self, plans: list[SectionPlan], speed: float | None = None) -> Prediction:
        """The plans' length at ``speed``, or at the speed each plan asks for when None."""
        pieces, silence, r2 = self._pieces(plans)
        total = self._length(pieces, silence, speed)
        return Prediction(round(total, 3), round(total - silence, 3), r2)

    def speed_to_fit(self, plans: list[SectionPlan], target_seconds: float) -> SpeedFit:
        """The speed at which the plans last ``target_seconds``, within 0.5-3.0."""
        pieces, silence, _ = self._pieces(plans)

        def length(speed: float) -> float:
            return self._length(pieces, silence, speed)

        if length(MIN_SPEED) < target_seconds:
            return SpeedFit(MIN_SPEED, round(length(MIN_SPEED), 3), False)
        if length(MAX_SPEED) > target_seconds:
            return SpeedFit(MAX_SPEED, round(length(MAX_SPEED), 3), False)
        return _bisect(length, target_seconds)


def _bisect(length: Callable[[float], float], target: float) -> SpeedFit:
    """Length falls as speed rises: halve [0.5, 3.0] until the speed is known to 0.001."""
    low, high = MIN_SPEED, MAX_SPEED
    while high - low > 0.0005:
        middle = (low + high) / 2
        if length(middle) > target:
            low = middle
        else:
            high = middle
    speed = round((low + high) / 2, 3)
    return SpeedFit(speed, round(length(speed), 3), True)
