"""GET /v1/models, /v1/models/{id}, /v1/audio/voices and /v1/audio/models."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from castwright.auth.service import Principal
from castwright.faces.deps import authenticate, get_runtime
from castwright.faces.openai.errors import PREFIX
from castwright.runtime import Runtime
from castwright.voices.openai_names import UnknownModel, model_ids, openai_voices

__all__ = ["router"]

router = APIRouter(prefix=PREFIX, tags=["OpenAI"])

_CREATED = 1735689600  # 2025-01-01: a fixed date, so listings do not change between calls


def _model(model_id: str) -> dict[str, Any]:
    return {"id": model_id, "object": "model", "created": _CREATED, "owned_by": "castwright"}


@router.get("/models", summary="List models")
def list_models(
    principal: Principal = Depends(authenticate), runtime: Runtime = Depends(get_runtime)
) -> dict[str, Any]:
    ids = model_ids(runtime.settings.openai, runtime.engines)
    return {"object": "list", "data": [_model(i) for i in ids]}


@router.get("/models/{model_id}", summary="Retrieve a model")
def get_model(
    model_id: str,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> dict[str, Any]:
    if model_id not in model_ids(runtime.settings.openai, runtime.engines):
        raise UnknownModel(f"The model {model_id!r} does not exist on this server")
    return _model(model_id)


@router.get("/audio/models", summary="Speech models (the form Open WebUI asks for)")
def list_audio_models(
    principal: Principal = Depends(authenticate), runtime: Runtime = Depends(get_runtime)
) -> dict[str, Any]:
    ids = model_ids(runtime.settings.openai, runtime.engines)
    return {"models": [{"id": i} for i in ids]}


@router.get("/audio/voices", summary="Voices: OpenAI's names, then every Castwright alias")
def list_voices(
    principal: Principal = Depends(authenticate), runtime: Runtime = Depends(get_runtime)
) -> dict[str, Any]:
    voices = openai_voices(runtime.settings.openai, runtime.voices)
    return {
        "voices": [
            {
                "id": v.name,
                "name": v.name if v.name == v.voice.alias else f"{v.name} ({v.voice.alias})",
                "voice": v.voice.alias,
                "engine": v.voice.engine,
                "language": v.voice.language_code,
                "gender": v.voice.gender,
            }
            for v in voices
        ]
    }
