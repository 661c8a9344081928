"""Synchronous previews: a short text in a voice, rendered in the request, nothing stored.

Rendered by the streaming core, so a preview takes a slot in the same bounded synthesis
queue as every live stream (429 with Retry-After when it is full) and is planned the same way.
"""

from __future__ import annotations

from castwright.audio import AudioBuffer
from castwright.auth.service import DEFAULT_ORG
from castwright.dsp import concatenate
from castwright.errors import Invalid
from castwright.runtime import Runtime
from castwright.speech.streaming import StreamRequest, open_speech_stream

__all__ = ["render_preview"]


def render_preview(
    runtime: Runtime,
    text: str,
    voice: str,
    org_id: str = DEFAULT_ORG,
    key_id: str | None = None,
) -> AudioBuffer:
    limit = runtime.settings.speech.preview_max_chars
    if not text.strip():
        raise Invalid("is required", field="text")
    if len(text) > limit:
        raise Invalid(f"must be at most {limit} characters (got {len(text)})", field="text")
    if not voice:
        raise Invalid("is required", field="voice")
    # Normalised only when the text uses markup, as a /speech/tts render without
    # voiceIntelligence is; "wav" leaves the rate to the engine (or speech.sample_rate).
    request = StreamRequest(text=text, voice=voice, org_id=org_id, format="wav", normalise=False)
    stream = open_speech_stream(runtime, request, key_id=key_id)
    pieces = [chunk.audio for chunk in stream.iter_audio()]
    rate = stream.sample_rate or (pieces[0].sample_rate if pieces else 22_050)
    return concatenate(pieces, rate)
