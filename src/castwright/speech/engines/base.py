"""The Engine seam: what every speech engine offers the renderer.

An engine turns one run of plain, already-normalised text into audio. Markup, breaks,
placeholders and chunking are the renderer's job, so every engine gets them for free.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from castwright.audio import AudioBuffer
from castwright.errors import Invalid

__all__ = ["Engine", "EngineUnavailable", "EngineVoice", "SynthesisParams"]


class EngineUnavailable(RuntimeError):
    """The engine cannot run here; the message says exactly what to install."""


@dataclass(frozen=True)
class EngineVoice:
    """A voice as the engine knows it, before the catalogue gives it a persona."""

    engine: str  # engine name, e.g. "espeak-ng"
    voice_id: str  # the engine's own id, e.g. "en-us" or "cmu_us_slt_arctic_hts"
    language_code: str  # BCP-47, e.g. "en-US"
    language: str  # lower-case English name, e.g. "english"
    gender: str = "neutral"  # female | male | neutral
    accent: str = ""
    variants: tuple[str, ...] = ()  # engine-specific variants (espeak-ng: "f2", "m3", ...)
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SynthesisParams:
    """Per-call parameters. Neutral values leave the engine at its defaults.

    rate: speaking-rate multiplier (1.0 normal, 2.0 twice as fast; 0.25-4.0).
    pitch: pitch multiplier (1.0 = the voice's normal pitch; 0.5-2.0).
    volume: linear gain applied by the engine or afterwards (1.0 = unchanged).
    variant: engine-specific voice variant, "" for none.
    """

    rate: float = 1.0
    pitch: float = 1.0
    volume: float = 1.0
    variant: str = ""

    def check(self) -> None:
        """Reject values no engine can honour (non-positive rate or pitch, negative volume)."""
        for name in ("rate", "pitch"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                raise Invalid(f"must be a positive number, got {value!r}", field=name)
        if not (math.isfinite(self.volume) and self.volume >= 0):
            raise Invalid(f"must be zero or more, got {self.volume!r}", field="volume")


@runtime_checkable
class Engine(Protocol):
    """A speech engine. Implementations must be safe to call from several threads."""

    name: str  # registry key, e.g. "espeak-ng"
    version: str  # changes whenever the audio for the same input may change (cache key)

    def voices(self) -> list[EngineVoice]:
        """Every voice this engine can speak with."""
        ...

    def synthesize(self, text: str, voice_id: str, params: SynthesisParams) -> AudioBuffer:
        """Render plain text (one sentence or a few) as mono float32 audio."""
        ...
