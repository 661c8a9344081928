"""The catalogue without a server: engines and voices straight from Settings."""

from __future__ import annotations

from castwright.config import Settings
from castwright.speech.engines.registry import EngineRegistry
from castwright.voices.catalogue import VoiceCatalogue

__all__ = ["local_catalogue", "local_engines"]


def local_engines(settings: Settings) -> EngineRegistry:
    return EngineRegistry.load(
        settings.speech.engines, include_fake=settings.speech.enable_fake_engine, settings=settings
    )


def local_catalogue(settings: Settings, engines: EngineRegistry | None = None) -> VoiceCatalogue:
    return VoiceCatalogue.build(engines or local_engines(settings), settings.speech)
