"""TTS routes: create (both single-section flows), poll, list, delete, preview."""

from __future__ import annotations

import base64
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from castwright.audio.wav import encode_wav
from castwright.auth.service import Principal
from castwright.errors import Invalid
from castwright.faces.audiostack.envelope import envelope
from castwright.faces.audiostack.serializers import speech_object, speech_pending
from castwright.faces.audiostack.wire import WireModel, parse_bool
from castwright.faces.deps import authenticate, get_runtime
from castwright.faces.jobs import create_then_answer
from castwright.models.speech import SpeechStatus
from castwright.runtime import Runtime
from castwright.speeches.planning import SectionOverride, TtsOptions
from castwright.speeches.preview import render_preview
from castwright.speeches.service import SpeechService

__all__ = ["router"]

router = APIRouter(tags=["Speech"])


class SectionSettings(WireModel):
    voice: str | None = None
    speed: float | None = None
    silencePadding: str | float | None = None


class TtsCreate(WireModel):
    scriptId: str = ""
    version: str | None = None
    voice: str | None = None
    speed: float = 1.0
    silencePadding: str | float | None = None
    audience: dict[str, Any] = {}
    sections: dict[str, SectionSettings] = {}
    sectionToProduce: str | None = None
    voiceIntelligence: bool = False
    public: bool = False
    sync: bool = True
    useCache: bool = True
    useDenoiser: bool = False
    useAutofix: bool = False

    def options(self) -> TtsOptions:
        return TtsOptions(
            voice=self.voice,
            speed=self.speed,
            silence_padding=None if self.silencePadding is None else str(self.silencePadding),
            audience=self.audience,
            sections={
                name: SectionOverride(
                    s.voice, s.speed, None if s.silencePadding is None else str(s.silencePadding)
                )
                for name, s in self.sections.items()
            },
            section_to_produce=self.sectionToProduce,
            voice_intelligence=self.voiceIntelligence,
        )

    def warnings(self) -> list[str]:
        ignored = [name for name in ("useDenoiser", "useAutofix") if getattr(self, name)]
        return [f"{name}: not available on this server; ignored" for name in ignored]


class PreviewRequest(WireModel):
    text: str = ""
    voice: str = ""


def _speech_response(
    request: Request,
    runtime: Runtime,
    org_id: str,
    speech_id: str,
    public: bool,
    warnings: list[str] | None = None,
) -> JSONResponse:
    """200 with the finished speech, 202 while it renders, 422 if it failed."""
    with runtime.db.session() as session:
        speech = SpeechService(runtime, session, org_id).get(speech_id)
        if speech.status == SpeechStatus.FAILED:
            raise Invalid("TTS failed", errors=[speech.error or "rendering failed"])
        if speech.status != SpeechStatus.COMPLETED:
            return envelope(
                request,
                speech_pending(speech),
                "Speech is being rendered",
                status_code=202,
                warnings=warnings,
            )
        data = speech_object(runtime, speech, public=public)
    return envelope(request, data, "Speech created", warnings=warnings)


async def _create(
    request: Request, body: TtsCreate, principal: Principal, runtime: Runtime
) -> JSONResponse:
    if not body.scriptId:
        raise Invalid("is required", field="scriptId")

    def create() -> tuple[str, str | None]:
        with runtime.unit_of_work() as session:
            speech = SpeechService(runtime, session, principal.org_id).create(
                body.scriptId,
                body.version,
                body.options(),
                public=body.public,
                use_cache=body.useCache,
            )
            return speech.id, speech.job_id

    def answer(speech_id: str) -> JSONResponse:
        return _speech_response(
            request, runtime, principal.org_id, speech_id, body.public, body.warnings()
        )

    return await create_then_answer(runtime, create, answer, wait=body.sync)


@router.post("/speech/tts", summary="Create a text-to-speech resource")
async def create_tts(
    body: TtsCreate,
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    return await _create(request, body, principal, runtime)


@router.post("/speech/tts/section", summary="Create a single section of a TTS resource")
async def create_tts_section(
    body: TtsCreate,
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    if not body.sectionToProduce:
        raise Invalid("is required on this route", field="sectionToProduce")
    return await _create(request, body, principal, runtime)


@router.post(
    "/speech/tts/preview", summary="Create a fast preview of a given voice", response_model=None
)
async def preview_tts(
    body: PreviewRequest,
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> Response:
    audio = await run_in_threadpool(
        render_preview, runtime, body.text, body.voice, principal.org_id, principal.key_id
    )
    wav = encode_wav(audio)
    if request.headers.get("x-python-sdk-version"):
        # The Python SDK reads a top-level "bytes" key from a JSON body.
        data = {"voice": body.voice, "format": "wav", "duration": round(audio.duration, 3)}
        return envelope(
            request, data, "Preview created", extra={"bytes": base64.b64encode(wav).decode()}
        )
    return Response(wav, media_type="audio/wav")


@router.get("/speech/tts", summary="Lists multiple text-to-speech resources")
def list_tts(
    request: Request,
    projectName: str | None = None,
    moduleName: str | None = None,
    scriptName: str | None = None,
    scriptId: str | None = None,
    paginationToken: str | None = None,
    verbose: str | None = None,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    filters = {
        "projectName": projectName,
        "moduleName": moduleName,
        "scriptName": scriptName,
        "scriptId": scriptId,
    }
    show_preview = parse_bool(verbose, True, "verbose")
    with runtime.db.session() as session:
        found = SpeechService(runtime, session, principal.org_id).page(
            {k: v for k, v in filters.items() if v}, paginationToken
        )
        speeches = [
            speech_object(runtime, s, verbose=show_preview)
            if s.status == SpeechStatus.COMPLETED
            else speech_pending(s)
            for s in found.speeches
        ]
    return envelope(
        request,
        {"speechIds": speeches, "paginationToken": found.next_token},
        f"{len(speeches)} speeches",
    )


@router.get("/speech/tts/section/{speechId}", summary="Poll a single-section TTS resource")
@router.get("/speech/tts/{speechId}", summary="Retrieve a TTS resource")
def get_tts(
    request: Request,
    speechId: str,
    public: str | None = None,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    return _speech_response(
        request, runtime, principal.org_id, speechId, parse_bool(public, False, "public")
    )


@router.delete("/speech/tts/{speechId}", summary="Deletes a TTS resource")
def delete_tts(
    request: Request,
    speechId: str,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.unit_of_work() as session:
        SpeechService(runtime, session, principal.org_id).delete(speechId)
    return envelope(request, {}, "Speech deleted")
