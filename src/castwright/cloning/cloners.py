"""The cloning seam: a VoiceCloner turns a speaker's recordings into a voice an engine speaks.

The built-in cloner (``espeak-ng``, cloning/espeak_cloner.py) matches the speaker's pitch,
pitch range, speaking rate and spectral envelope with espeak-ng's voices and settings. An
operator with a neural engine that really copies timbre adds a cloner through the entry-point
group ``castwright.voice_cloners`` and maps AudioStack's engine names to it in
``voice_cloning.cloners`` (e.g. {"voice_engine_2": "my-neural-cloner"}).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any, Protocol, runtime_checkable

from castwright.audio import AudioBuffer
from castwright.cloning.analysis import VoiceProfile
from castwright.errors import ServiceUnavailable
from castwright.speech.engines.registry import EngineRegistry

__all__ = ["BUILT_IN", "ENTRY_POINT_GROUP", "ClonedVoice", "VoiceCloner", "cloner_named"]

ENTRY_POINT_GROUP = "castwright.voice_cloners"
BUILT_IN = "espeak-ng"


@dataclass(frozen=True)
class ClonedVoice:
    """How to speak with the new voice, and the measurements that justify it."""

    engine: str
    engine_voice_id: str
    variant: str
    rate: float
    pitch: float
    gender: str
    language_code: str
    reference: VoiceProfile  # the speaker's recordings
    achieved: VoiceProfile  # the new voice, on the calibration text
    base: VoiceProfile  # the engine voice it started from, at neutral settings
    details: dict[str, Any] = field(default_factory=dict)


@runtime_checkable
class VoiceCloner(Protocol):
    name: str

    def check(self, language_code: str | None) -> None:
        """Raise Invalid (field metadata.languageCode) if it cannot speak this language."""
        ...

    def build(
        self, samples: list[AudioBuffer], gender: str | None, language_code: str | None
    ) -> ClonedVoice:
        """A voice matching ``samples``; raises Invalid (with the field) for unusable input."""
        ...


def cloner_named(name: str, engines: EngineRegistry) -> VoiceCloner:
    """The cloner registered as ``name``; the built-in one needs espeak-ng."""
    if name == BUILT_IN:
        from castwright.cloning.espeak_cloner import EspeakCloner

        return EspeakCloner(engines)
    found = {point.name: point for point in entry_points(group=ENTRY_POINT_GROUP)}
    if name not in found:
        known = ", ".join(sorted([BUILT_IN, *found]))
        raise ServiceUnavailable(
            f"No voice cloner named {name!r} is installed",
            errors=[f"voiceEngine: cloner {name!r} is not installed (installed: {known})"],
        )
    factory: Callable[[EngineRegistry], VoiceCloner] = found[name].load()
    return factory(engines)
