"""MaryTTS's HTTP API (/process, /voices, /locales, /version), as Home Assistant calls it.

Home Assistant's client POSTs a form without a Content-Type, so the body is read as a form
whatever it says it is; GET takes the same parameters in the query. Errors are plain text.
The routes want an API key unless settings.marytts.open is set (trusted networks only).
"""

from __future__ import annotations

import struct
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse, Response

from castwright import __version__
from castwright.auth.service import verify_key
from castwright.errors import CastwrightError, Invalid, RateLimited
from castwright.faces.deps import api_key_from, get_runtime
from castwright.faces.streaming import SpeechResponse
from castwright.runtime import Runtime
from castwright.speech.streaming import SpeechStream, StreamRequest, open_speech_stream
from castwright.speech.streaming.voices import language_tag, pick_voice

__all__ = ["PATHS", "marytts_error_response", "router"]

router = APIRouter(tags=["MaryTTS"])
PATHS = ("/process", "/voices", "/locales", "/version")

# AUDIO value -> (stream format, whole file or stream)
_AUDIO = {
    "WAVE_FILE": ("wav", False),
    "WAVE": ("wav", False),
    "WAVE_STREAM": ("wav", True),
    "MP3": ("mp3", True),
    "MP3_FILE": ("mp3", True),
    "MP3_STREAM": ("mp3", True),
}
_INPUT_TYPES = {"TEXT": False, "SSML": True}  # -> parse as markup


def marytts_error_response(request: Request, error: CastwrightError) -> PlainTextResponse:
    status = 400 if error.status == 422 else error.status
    text = "; ".join(error.errors) if error.errors else error.message
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, RateLimited) else None
    return PlainTextResponse(text + "\n", status_code=status, headers=headers)


def _org(request: Request, runtime: Runtime) -> str:
    """The caller's organisation: the key's, or the configured one in open mode."""
    secret = api_key_from(request)
    if runtime.settings.marytts.open and not secret:
        return runtime.settings.marytts.org_id
    with runtime.db.session() as session:
        return verify_key(session, secret).org_id


def _locale(code: str) -> str:
    return language_tag(code).replace("-", "_")


async def _parameters(request: Request) -> dict[str, str]:
    params = dict(request.query_params)
    if request.method == "POST":
        body = (await request.body()).decode("utf-8", errors="replace")
        params.update(parse_qsl(body, keep_blank_values=True))
    return params


def _open(runtime: Runtime, org_id: str, params: dict[str, str]) -> tuple[SpeechStream, bool]:
    text = params.get("INPUT_TEXT", "")
    if not text.strip():
        raise Invalid("is required", field="INPUT_TEXT")
    input_type = params.get("INPUT_TYPE", "TEXT").upper()
    if input_type not in _INPUT_TYPES:
        raise Invalid(f"must be one of {', '.join(_INPUT_TYPES)}", field="INPUT_TYPE")
    if params.get("OUTPUT_TYPE", "AUDIO").upper() != "AUDIO":
        raise Invalid("only AUDIO is produced", field="OUTPUT_TYPE")
    audio = params.get("AUDIO", "WAVE_FILE").upper()
    if audio not in _AUDIO:
        raise Invalid(f"must be one of {', '.join(_AUDIO)}", field="AUDIO")
    fmt, streamed = _AUDIO[audio]
    voice = pick_voice(
        runtime.voices,
        params.get("VOICE") or None,
        params.get("LOCALE") or None,
        voice_field="VOICE",
        language_field="LOCALE",
    )
    request = StreamRequest(
        text=text, voice=voice.alias, org_id=org_id, format=fmt, markup=_INPUT_TYPES[input_type]
    )
    names = {"text": "INPUT_TEXT", "voice": "VOICE", "language": "LOCALE"}
    return open_speech_stream(runtime, request, field_names=names), streamed


def _sized_wav(data: bytes) -> bytes:
    """A streamed WAV (sizes 0xFFFFFFFF) with its real sizes: the form WAVE_FILE promises."""
    return (
        data[:4]
        + struct.pack("<I", len(data) - 8)
        + data[8:40]
        + struct.pack("<I", len(data) - 44)
        + data[44:]
    )


@router.api_route("/process", methods=["GET", "POST"], response_model=None)
async def process(request: Request, runtime: Runtime = Depends(get_runtime)) -> Response:
    params = await _parameters(request)
    org_id = await run_in_threadpool(_org, request, runtime)
    stream, streamed = await run_in_threadpool(_open, runtime, org_id, params)
    if streamed:
        return SpeechResponse(stream)
    try:
        data = b"".join([piece async for piece in stream])
    finally:
        stream.close()
    return Response(_sized_wav(data), media_type="audio/x-wav")


@router.get("/voices", response_class=PlainTextResponse)
async def voices(request: Request, runtime: Runtime = Depends(get_runtime)) -> str:
    await run_in_threadpool(_org, request, runtime)
    lines = [f"{v.alias} {_locale(v.language_code)} {v.gender} {v.engine}" for v in runtime.voices]
    return "\n".join(lines) + "\n"


@router.get("/locales", response_class=PlainTextResponse)
async def locales(request: Request, runtime: Runtime = Depends(get_runtime)) -> str:
    await run_in_threadpool(_org, request, runtime)
    found = dict.fromkeys(_locale(v.language_code) for v in runtime.voices)
    return "\n".join(found) + "\n"


@router.get("/version", response_class=PlainTextResponse)
def version() -> str:
    return f"Mary TTS server (Castwright {__version__})\n"
