"""Speech engines: the Engine seam, the engines Castwright ships and their registry."""

from castwright.speech.engines.base import (
    Engine,
    EngineUnavailable,
    EngineVoice,
    SynthesisParams,
)
from castwright.speech.engines.espeak import EspeakEngine
from castwright.speech.engines.fake import FakeEngine
from castwright.speech.engines.festival import FestivalEngine
from castwright.speech.engines.flite import FliteEngine
from castwright.speech.engines.registry import EngineNotAvailable, EngineRegistry

__all__ = [
    "Engine",
    "EngineNotAvailable",
    "EngineRegistry",
    "EngineUnavailable",
    "EngineVoice",
    "EspeakEngine",
    "FakeEngine",
    "FestivalEngine",
    "FliteEngine",
    "SynthesisParams",
]
