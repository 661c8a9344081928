"""Speech edit routes: /speech/tts/reduce and /speech/tts/remove_padding (synchronous)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from castwright.auth.service import Principal
from castwright.faces.audiostack.envelope import envelope
from castwright.faces.audiostack.serializers import speech_object
from castwright.faces.audiostack.wire import WireModel
from castwright.faces.deps import authenticate, get_runtime
from castwright.runtime import Runtime
from castwright.speeches.editing import reduce_speech, remove_padding

__all__ = ["router"]

router = APIRouter(tags=["Speech"])


class ReduceRequest(WireModel):
    speechId: str = ""
    targetLength: float | None = None
    sectionId: str | None = None


class RemovePaddingRequest(WireModel):
    speechId: str = ""
    minSilenceDuration: float | None = None
    silenceThreshold: float | None = None
    position: str | None = None
    sectionId: str | None = None


@router.post("/speech/tts/reduce", summary="Shorten a speech to a target length")
async def reduce(
    body: ReduceRequest,
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    def run() -> tuple[dict[str, object], list[str]]:
        with runtime.unit_of_work() as session:
            edited = reduce_speech(
                runtime, session, principal.org_id, body.speechId, body.targetLength, body.sectionId
            )
            return speech_object(runtime, edited.speech), edited.warnings

    data, warnings = await run_in_threadpool(run)
    return envelope(request, data, "Speech reduced", warnings=warnings)


@router.post("/speech/tts/remove_padding", summary="Remove silence from a speech's edges")
async def remove_padding_route(
    body: RemovePaddingRequest,
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    def run() -> tuple[dict[str, object], list[str]]:
        with runtime.unit_of_work() as session:
            edited = remove_padding(
                runtime,
                session,
                principal.org_id,
                body.speechId,
                body.minSilenceDuration,
                body.silenceThreshold,
                body.position,
                body.sectionId,
            )
            return speech_object(runtime, edited.speech), edited.warnings

    data, warnings = await run_in_threadpool(run)
    return envelope(request, data, "Padding removed", warnings=warnings)
