"""OpenAI's model and voice names on Castwright's engines and voices (settings.openai).

OpenAI voices (alloy, echo, ...) map to catalogue aliases by a table operators can change;
a Castwright alias or engine voice id is accepted as the voice too. A model maps to the engine
it must use ("" leaves the voice's own engine); every installed engine's name is a model too.
"""

from __future__ import annotations

from dataclasses import dataclass

from castwright.config import OpenAISettings
from castwright.errors import Invalid, NotFound
from castwright.speech.engines.registry import EngineRegistry
from castwright.voices.catalogue import Voice, VoiceCatalogue

__all__ = ["OpenAIVoice", "UnknownModel", "model_ids", "openai_voices", "resolve_openai_voice"]


class UnknownModel(NotFound):
    code = "model_not_found"


@dataclass(frozen=True)
class OpenAIVoice:
    name: str  # what an OpenAI client sends
    voice: Voice  # what speaks


def model_ids(settings: OpenAISettings, engines: EngineRegistry) -> list[str]:
    return [*settings.models, *(e for e in engines.available() if e not in settings.models)]


def _model_engine(settings: OpenAISettings, engines: EngineRegistry, model: str) -> str:
    if model in settings.models:
        return settings.models[model]
    if model in engines.available():
        return model
    raise UnknownModel(
        f"The model {model!r} does not exist on this server; "
        f"use one of {', '.join(model_ids(settings, engines))}"
    )


def resolve_openai_voice(
    settings: OpenAISettings,
    engines: EngineRegistry,
    catalogue: VoiceCatalogue,
    model: str,
    voice: str,
) -> Voice:
    """The catalogue voice for an OpenAI request: UnknownModel, or Invalid naming ``voice``."""
    engine = _model_engine(settings, engines, model)
    name = voice.strip()
    if not name:
        raise Invalid("is required", field="voice")
    found = catalogue.find(settings.voices.get(name.lower(), name))
    if found is None:
        raise Invalid(
            f"unknown voice {name!r}; list voices with GET /v1/audio/voices", field="voice"
        )
    if engine and found.engine != engine:
        raise Invalid(
            f"voice {name!r} is a {found.engine} voice; model {model!r} speaks with {engine}",
            field="voice",
        )
    return found


def openai_voices(settings: OpenAISettings, catalogue: VoiceCatalogue) -> list[OpenAIVoice]:
    """The OpenAI names whose voice is installed, then every catalogue alias."""
    mapped = [
        OpenAIVoice(name, voice)
        for name, alias in settings.voices.items()
        if (voice := catalogue.find(alias)) is not None
    ]
    return [*mapped, *(OpenAIVoice(v.alias, v) for v in catalogue)]
