"""The one streaming core: every face that streams speech (OpenAI, CarrierX, Wyoming, MaryTTS)
opens a SpeechStream here, so validation, normalisation, back-pressure and encoding are the
same everywhere. See docs/architecture.md, "Streaming speech"."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from castwright.dictionaries.lexicon import Lexicon, load_lexicon
from castwright.errors import Invalid
from castwright.speech.streaming.encoders import MEDIA_TYPES, STREAM_FORMATS
from castwright.speech.streaming.gate import GateStats, SynthesisGate, SynthesisSlot
from castwright.speech.streaming.request import (
    MAX_SPEED,
    MIN_SPEED,
    PreparedStream,
    StreamRequest,
    prepare,
)
from castwright.speech.streaming.stream import SpeechStream

if TYPE_CHECKING:
    from castwright.runtime import Runtime

__all__ = [
    "MAX_SPEED",
    "MEDIA_TYPES",
    "MIN_SPEED",
    "STREAM_FORMATS",
    "GateStats",
    "PreparedStream",
    "SpeechStream",
    "StreamRequest",
    "SynthesisGate",
    "SynthesisSlot",
    "open_speech_stream",
]


def open_speech_stream(
    runtime: Runtime,
    request: StreamRequest,
    *,
    key_id: str | None = None,
    field_names: Mapping[str, str] | None = None,
) -> SpeechStream:
    """Validate everything up front (Invalid(field=...) before any byte is sent), take a slot
    in the runtime's bounded synthesis gate (RateLimited with retry_after when it is full, or
    when ``key_id`` has used its streams per minute) and return the stream; synthesis starts
    when the stream is first iterated.

    ``field_names`` renames StreamRequest fields in errors to the face's wire names, e.g.
    ``{"text": "input", "format": "response_format"}``.
    """
    try:
        prepared = prepare(
            request, runtime.voices, runtime.settings.speech.sample_rate, _lexicon(runtime, request)
        )
    except Invalid as error:
        names = field_names or {}
        if error.field is None or error.field not in names:
            raise
        raise Invalid(_bare_message(error), field=names[error.field]) from None
    slot = runtime.streams.admit(key_id)
    return SpeechStream(
        prepared,
        runtime.engines,
        slot,
        chunk_chars=runtime.settings.speech.chunk_chars,
        buffered_chunks=runtime.settings.streaming.buffered_chunks,
    )


def _lexicon(runtime: Runtime, request: StreamRequest) -> Lexicon:
    """The organisation's pronunciation dictionaries, as /speech/tts applies them."""
    with runtime.db.session() as session:
        return load_lexicon(session, request.org_id)


def _bare_message(error: Invalid) -> str:
    prefix = f"{error.field}: "
    return error.message[len(prefix) :] if error.message.startswith(prefix) else error.message
