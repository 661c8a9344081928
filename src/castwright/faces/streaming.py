"""The HTTP side of the streaming core, for every face: a response that closes its stream.

Starlette stops iterating a streaming body when the client goes away, but does not promise
to close the iterator; closing the SpeechStream here (whatever way the response ends) is what
stops synthesis and frees the stream's slot at once.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Mapping

from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from castwright.speech.streaming import SpeechStream

__all__ = ["SpeechResponse"]


class SpeechResponse(StreamingResponse):
    """``StreamingResponse(stream)``, or of ``content`` made from it (SSE events)."""

    def __init__(
        self,
        stream: SpeechStream,
        content: AsyncIterable[bytes] | AsyncIterable[str] | None = None,
        *,
        media_type: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(
            content if content is not None else stream,
            media_type=media_type or stream.media_type,
            headers=headers,
        )
        self.stream = stream

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.stream.close()
