"""Speech to clone from, made with the installed engines, and the checks every clone must pass."""

from __future__ import annotations

import math
from dataclasses import dataclass

from castwright.audio import AudioBuffer
from castwright.cloning.analysis import VoiceProfile, profile_of
from castwright.cloning.cloners import ClonedVoice
from castwright.speech.engines.base import SynthesisParams
from castwright.speech.engines.registry import EngineRegistry

__all__ = [
    "REFERENCE_TEXT",
    "TEST_TEXT",
    "Comparison",
    "compare",
    "render",
]

# What the speaker "recorded" (about 20 s), and a different text both voices then read.
REFERENCE_TEXT = (
    "Good evening and welcome to the late news. Heavy rain is expected across the north "
    "tonight, with strong winds on the coast. In sport, the home team won their third match "
    "in a row, and the captain says the season is only getting started. We will be back after "
    "the break with the weather for the weekend."
)
TEST_TEXT = (
    "Please remember to bring your ticket, your passport and a bottle of water. The gates "
    "open at seven and the show begins at eight. Tickets are still available at the box office."
)
TOLERANCE = 0.10  # the figure for pitch and for speaking rate


def render(
    engines: EngineRegistry, engine: str, voice: str, text: str, **params: float | str
) -> AudioBuffer:
    return engines.get(engine).synthesize(text, voice, SynthesisParams(**params))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Comparison:
    reference: VoiceProfile
    clone: VoiceProfile
    base: VoiceProfile

    def pitch_error(self, profile: VoiceProfile) -> float:
        return abs(math.log(profile.pitch_median_hz / self.reference.pitch_median_hz))

    def time_error(self, profile: VoiceProfile) -> float:
        """Speaking time of the same text: the speaking rate, with no estimate in between."""
        return abs(math.log(profile.speech_seconds / self.reference.speech_seconds))

    def assert_matches(self) -> None:
        within = math.log(1 + TOLERANCE)
        assert self.pitch_error(self.clone) <= within, self
        assert self.time_error(self.clone) <= within, self
        assert self.pitch_error(self.clone) < self.pitch_error(self.base), self
        assert self.time_error(self.clone) < self.time_error(self.base), self


def compare(
    engines: EngineRegistry, voice: ClonedVoice, reference_on_test_text: AudioBuffer
) -> Comparison:
    """The reference speaker, the clone and its base voice, all reading TEST_TEXT."""
    clone = render(
        engines,
        voice.engine,
        voice.engine_voice_id,
        TEST_TEXT,
        rate=voice.rate,
        pitch=voice.pitch,
        variant=voice.variant,
    )
    base = render(engines, voice.engine, voice.engine_voice_id, TEST_TEXT, variant=voice.variant)
    return Comparison(profile_of(reference_on_test_text), profile_of(clone), profile_of(base))
