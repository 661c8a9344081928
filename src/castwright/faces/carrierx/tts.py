"""/core/v2/tts: create TTS text (a stream, or a File in a container) and list voices."""

from __future__ import annotations

import shutil
from typing import Literal

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from castwright.carrierx.errors import ItemNotFound
from castwright.carrierx.identity import TTS_CREATE, TTS_READ, CarrierXPrincipal
from castwright.carrierx.listing import Page, read_list_request
from castwright.carrierx.tts import (
    open_tts_stream,
    read_response_mode,
    read_tts_text,
    store_tts_file,
    voices_of,
)
from castwright.carrierx.voices import filter_voices, order_voices
from castwright.errors import BadRequest
from castwright.faces.carrierx.auth import requires
from castwright.faces.carrierx.bodies import read_json, scratch_directory
from castwright.faces.carrierx.envelope import list_response, object_response
from castwright.faces.carrierx.errors import PREFIX
from castwright.faces.carrierx.objects import file_object, voice_object
from castwright.faces.deps import get_runtime
from castwright.faces.streaming import SpeechResponse
from castwright.runtime import Runtime

__all__ = ["router"]

router = APIRouter(prefix=PREFIX + "/tts", tags=["CarrierX TTS"])


@router.post("/texts", summary="Create TTS text: an audio stream, or a File in a container")
async def create_tts_text(
    request: Request,
    response_format: Literal["audio", "file"] = "audio",
    response_container_sid: str | None = None,
    principal: CarrierXPrincipal = Depends(requires(*TTS_CREATE)),
    runtime: Runtime = Depends(get_runtime),
) -> Response:
    mode = read_response_mode(
        {"response_format": response_format, "response_container_sid": response_container_sid or ""}
    )
    body = await read_json(request, runtime.settings.max_body_bytes, empty_is_object=True)
    tts = read_tts_text(body, runtime)
    if not mode.file:
        stream = open_tts_stream(runtime, principal.org_id, principal.key_id, tts)
        disposition = f'attachment; filename="{tts.file_name()}"'
        return SpeechResponse(stream, headers={"Content-Disposition": disposition})
    assert mode.container_sid is not None
    scratch = scratch_directory(runtime.settings.data_dir / "tmp")
    try:
        row = await run_in_threadpool(
            store_tts_file,
            runtime,
            principal.org_id,
            principal.key_id,
            tts,
            mode.container_sid,
            scratch,
        )
        return JSONResponse(file_object(row))  # 200, not 201: the documented status
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@router.get("/voices", summary="List TTS voices")
def list_voices(
    request: Request,
    principal: CarrierXPrincipal = Depends(requires(*TTS_READ)),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    wanted = read_list_request(request.query_params)
    if wanted.after or wanted.before:
        raise BadRequest("Invalid paging", errors=["after: voices are paged with offset"])
    voices = order_voices(filter_voices(voices_of(runtime), wanted.conditions), wanted.order_text)
    chosen = voices[wanted.offset : wanted.offset + wanted.limit]
    page = Page(chosen, len(voices), wanted.limit, wanted.offset)
    return list_response(request, page, voice_object, "voice_sid")


@router.get("/voices/{voice_sid}", summary="Get a TTS voice")
def get_voice(
    request: Request,
    voice_sid: str,
    principal: CarrierXPrincipal = Depends(requires(*TTS_READ)),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    for voice in voices_of(runtime):
        if voice.voice_sid.lower() == voice_sid.lower():
            return object_response(request, voice_object(voice))
    raise ItemNotFound("voice_sid", voice_sid)
