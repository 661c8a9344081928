"""POST /v1/audio/speech: OpenAI's speech endpoint on the streaming core."""

from __future__ import annotations

import base64
import json
import math
from collections.abc import AsyncIterator

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict

from castwright.auth.service import Principal
from castwright.errors import Invalid
from castwright.faces.deps import authenticate, get_runtime
from castwright.faces.openai.errors import PREFIX
from castwright.faces.streaming import SpeechResponse
from castwright.runtime import Runtime
from castwright.speech.streaming import SpeechStream, StreamRequest, open_speech_stream
from castwright.voices.openai_names import resolve_openai_voice

__all__ = ["router"]

router = APIRouter(prefix=PREFIX, tags=["OpenAI"])

# StreamRequest's fields by their OpenAI names, for error messages and `param`.
_FIELD_NAMES = {"text": "input", "format": "response_format", "speed": "speed", "voice": "voice"}
_STREAM_FORMATS = ("audio", "sse")


class VoiceRef(BaseModel):
    id: str


class SpeechBody(BaseModel):
    """openai-python's SpeechCreateParams. Unknown fields are ignored, not refused (peers'
    routes that refused them broke clients sending newer optional fields)."""

    model_config = ConfigDict(extra="ignore")

    input: str
    model: str
    voice: str | VoiceRef
    instructions: str | None = None  # accepted; no installed engine takes style instructions
    response_format: str = "mp3"
    speed: float = 1.0
    stream_format: str = "audio"

    @property
    def voice_name(self) -> str:
        return self.voice if isinstance(self.voice, str) else self.voice.id


def _open(runtime: Runtime, body: SpeechBody, principal: Principal) -> SpeechStream:
    if body.stream_format not in _STREAM_FORMATS:
        raise Invalid(f"must be one of {', '.join(_STREAM_FORMATS)}", field="stream_format")
    voice = resolve_openai_voice(
        runtime.settings.openai, runtime.engines, runtime.voices, body.model, body.voice_name
    )
    request = StreamRequest(
        text=body.input,
        voice=voice.alias,
        org_id=principal.org_id,
        speed=body.speed,
        format=body.response_format,
    )
    return open_speech_stream(runtime, request, key_id=principal.key_id, field_names=_FIELD_NAMES)


def _event(payload: dict[str, object]) -> str:
    return f"data: {json.dumps(payload)}\n\n"


async def _events(stream: SpeechStream, text: str) -> AsyncIterator[str]:
    """speech.audio.delta per encoded piece, then speech.audio.done with usage."""
    async for data in stream:
        yield _event({"type": "speech.audio.delta", "audio": base64.b64encode(data).decode()})
    # Token counts are estimates (no tokenizer here): OpenAI's rule of thumb of four
    # characters a token for the input, and one audio token per 100 ms of speech.
    input_tokens = math.ceil(len(text) / 4)
    output_tokens = math.ceil(stream.audio_seconds * 10)
    usage = {
        "input_tokens": input_tokens,
        "output_tokens": output_tokens,
        "total_tokens": input_tokens + output_tokens,
    }
    yield _event({"type": "speech.audio.done", "usage": usage})


@router.post("/audio/speech", summary="Generate audio from the input text", response_model=None)
async def create_speech(
    body: SpeechBody,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> SpeechResponse:
    # Planning reads the whole input (normalising numbers and dates), which for a book
    # chapter is worth keeping off the event loop.
    stream = await run_in_threadpool(_open, runtime, body, principal)
    if body.stream_format == "sse":
        return SpeechResponse(
            stream,
            _events(stream, body.input),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache"},
        )
    return SpeechResponse(stream)
