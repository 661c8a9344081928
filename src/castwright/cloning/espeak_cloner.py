"""The built-in cloner: an espeak-ng voice, variant and settings that match a speaker.

1. Measure the speaker (cloning/analysis.py) over all usable samples.
2. Measure every candidate espeak-ng variant of the speaker's gender on a calibration text
   at neutral settings (kept per process: the same for every request).
3. Take the three variants whose spectral envelope and pitch range are nearest the speaker's,
   and for each, find pitch and rate settings by measuring and correcting: render, measure,
   scale the setting by the ratio still missing, until both are within 2 %.
4. Keep the variant that ends nearest the speaker's envelope.

The measurement is the same on both sides, so the settings match what a listener would
compare: the median pitch, and syllables per second of speaking.
"""

from __future__ import annotations

import math
import threading

import numpy as np

from castwright.audio import AudioBuffer
from castwright.cloning.analysis import VoiceProfile, profile_of
from castwright.cloning.cloners import ClonedVoice
from castwright.errors import Invalid, ServiceUnavailable
from castwright.speech.engines.base import SynthesisParams
from castwright.speech.engines.espeak import (
    MAX_PITCH_MULTIPLIER,
    MIN_PITCH_MULTIPLIER,
    EspeakEngine,
)
from castwright.speech.engines.espeak_binding import DEFAULT_RATE_WPM, MIN_RATE_WPM
from castwright.speech.engines.registry import EngineNotAvailable, EngineRegistry

__all__ = ["CALIBRATION_TEXT", "EspeakCloner", "combine_profiles"]

# About twenty seconds of mixed prose (news, advert, story, figures, a question): how many
# syllables the analysis finds per syllable spoken depends a little on the text, and a mix
# keeps the calibration near the middle of that spread.
CALIBRATION_TEXT = (
    "Good morning, and thank you for joining us. Traffic is heavy on the ring road this "
    "morning, and there are delays of about twenty minutes near the bridge. "
    "Looking for a gift that lasts? Our new range of garden tools is built to be handed down. "
    "Once upon a time, a baker in a quiet town left a loaf on every doorstep before dawn. "
    "The package weighs three kilograms and measures forty by thirty centimetres. "
    "Would you like to hear the options again, or speak to somebody now?"
)
# Variants that sound like a person (espeak also ships robots, whispers and croaks).
_MALE = (
    "m1", "m2", "m3", "m4", "m5", "m6", "m7", "adam", "Alex", "Andy", "benjamin", "david",
    "ed", "edward", "john", "max", "Michael", "paul", "robert", "victor",
)  # fmt: skip
_FEMALE = ("f1", "f2", "f3", "f4", "f5", "Alicia", "Andrea", "Annie", "belinda", "linda", "steph")
_MALE_BELOW_HZ = 160.0  # a median pitch below this reads as a male speaker
# espeak-ng speaks no slower than 80 words a minute; faster than 3x stops sounding human.
_MIN_RATE, _MAX_RATE = MIN_RATE_WPM / DEFAULT_RATE_WPM, 3.0
_RATE_ELASTICITY = 0.8  # measured syllable rate moves ~0.8x as fast as the engine's rate
_CLOSE_ENOUGH = 0.02
_ROUNDS = 6
_SHORTLIST = 3

_base_profiles: dict[tuple[str, str, str], VoiceProfile] = {}
_base_lock = threading.Lock()


def combine_profiles(profiles: list[VoiceProfile]) -> VoiceProfile:
    """One profile for several recordings, each weighted by how much of it is voiced."""
    usable = [p for p in profiles if p.voiced_seconds > 0]
    if not usable:
        raise Invalid("no recording holds any voiced speech", field="fileIds")
    weights = np.array([p.voiced_seconds for p in usable])
    weights = weights / weights.sum()
    speech = sum(p.speech_seconds for p in usable)
    syllables = sum(p.syllables_per_second * p.speech_seconds for p in usable)
    envelope = np.average(np.array([p.envelope_db for p in usable]), axis=0, weights=weights)
    log_pitch = np.average([math.log(p.pitch_median_hz) for p in usable], weights=weights)
    return VoiceProfile(
        seconds=sum(p.seconds for p in usable),
        speech_seconds=speech,
        voiced_seconds=sum(p.voiced_seconds for p in usable),
        pitch_median_hz=float(math.exp(log_pitch)),
        pitch_range_semitones=float(
            np.average([p.pitch_range_semitones for p in usable], weights=weights)
        ),
        syllables_per_second=syllables / speech if speech else 0.0,
        envelope_db=tuple(float(v) for v in envelope),
    )


def _envelope_distance(a: VoiceProfile, b: VoiceProfile) -> float:
    return float(np.sqrt(np.mean((np.array(a.envelope_db) - np.array(b.envelope_db)) ** 2)))


def _likeness(reference: VoiceProfile, candidate: VoiceProfile) -> float:
    """Smaller is nearer: envelope in dB, plus half a dB per semitone of range difference."""
    return _envelope_distance(reference, candidate) + 0.5 * abs(
        reference.pitch_range_semitones - candidate.pitch_range_semitones
    )


class EspeakCloner:
    name = "espeak-ng"

    def __init__(self, engines: EngineRegistry) -> None:
        try:
            engine = engines.get("espeak-ng")
        except EngineNotAvailable as error:
            raise ServiceUnavailable(
                "The built-in voice cloner needs espeak-ng", errors=[f"voiceEngine: {error}"]
            ) from None
        if not isinstance(engine, EspeakEngine):
            raise ServiceUnavailable("espeak-ng is not the built-in engine here")
        self.engine = engine

    def _render(self, voice_id: str, variant: str, rate: float, pitch: float) -> AudioBuffer:
        params = SynthesisParams(rate=rate, pitch=pitch, variant=variant)
        return self.engine.synthesize(CALIBRATION_TEXT, voice_id, params)

    def _base(self, voice_id: str, variant: str) -> VoiceProfile:
        key = (self.engine.version, voice_id, variant)
        with _base_lock:
            cached = _base_profiles.get(key)
        if cached is None:
            cached = profile_of(self._render(voice_id, variant, 1.0, 1.0))
            with _base_lock:
                _base_profiles[key] = cached
        return cached

    def _voice_id(self, language_code: str | None) -> str:
        wanted = (language_code or "en-US").strip().lower()
        for candidate in (wanted, wanted.split("-")[0]):
            try:
                self.engine.resolve(candidate)
                return candidate
            except Invalid:
                continue
        raise Invalid(
            f"espeak-ng has no voice for language {language_code!r}", field="metadata.languageCode"
        )

    def check(self, language_code: str | None) -> None:
        self._voice_id(language_code)

    def _fit(
        self, reference: VoiceProfile, voice_id: str, variant: str
    ) -> tuple[float, float, VoiceProfile]:
        """(rate, pitch, achieved profile) that bring this variant to the reference."""
        base = self._base(voice_id, variant)
        pitch = reference.pitch_median_hz / base.pitch_median_hz
        rate = (reference.syllables_per_second / base.syllables_per_second) ** (
            1 / _RATE_ELASTICITY
        )
        best: tuple[float, float, float, VoiceProfile] | None = None
        for _ in range(_ROUNDS):
            pitch = min(MAX_PITCH_MULTIPLIER, max(MIN_PITCH_MULTIPLIER, pitch))
            rate = min(_MAX_RATE, max(_MIN_RATE, rate))
            achieved = profile_of(self._render(voice_id, variant, rate, pitch))
            pitch_ratio = reference.pitch_median_hz / achieved.pitch_median_hz
            rate_ratio = reference.syllables_per_second / max(achieved.syllables_per_second, 1e-6)
            error = abs(math.log(pitch_ratio)) + abs(math.log(rate_ratio))
            if best is None or error < best[0]:
                best = (error, rate, pitch, achieved)
            if abs(pitch_ratio - 1) <= _CLOSE_ENOUGH and abs(rate_ratio - 1) <= _CLOSE_ENOUGH:
                break
            pitch *= pitch_ratio
            rate *= rate_ratio ** (1 / _RATE_ELASTICITY)
        assert best is not None
        return best[1], best[2], best[3]

    def build(
        self, samples: list[AudioBuffer], gender: str | None, language_code: str | None
    ) -> ClonedVoice:
        reference = combine_profiles([profile_of(sample) for sample in samples])
        voice_id = self._voice_id(language_code)
        if gender not in ("male", "female"):
            gender = "male" if reference.pitch_median_hz < _MALE_BELOW_HZ else "female"
        variants = _MALE if gender == "male" else _FEMALE
        bases = {v: self._base(voice_id, v) for v in variants}
        shortlist = sorted(variants, key=lambda v: _likeness(reference, bases[v]))[:_SHORTLIST]
        fitted = {v: self._fit(reference, voice_id, v) for v in shortlist}
        chosen = min(shortlist, key=lambda v: _likeness(reference, fitted[v][2]))
        rate, pitch, achieved = fitted[chosen]
        return ClonedVoice(
            engine=self.engine.name,
            engine_voice_id=voice_id,
            variant=chosen,
            rate=round(rate, 4),
            pitch=round(pitch, 4),
            gender=gender,
            language_code=language_code or "en-US",
            reference=reference,
            achieved=achieved,
            base=bases[chosen],
            details={
                "shortlist": {v: round(_likeness(reference, fitted[v][2]), 3) for v in shortlist},
                "calibrationText": CALIBRATION_TEXT,
            },
        )
