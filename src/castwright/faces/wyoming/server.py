"""The Wyoming TCP server, run on the API's event loop so it shares the runtime (voices,
engines and the synthesis gate) with the HTTP faces."""

from __future__ import annotations

import asyncio
import logging

from wyoming.event import Event
from wyoming.info import Attribution, Info, TtsProgram, TtsVoice

from castwright import __version__
from castwright.faces.wyoming.handler import SpeechHandler
from castwright.runtime import Runtime

__all__ = ["describe", "start_wyoming"]

log = logging.getLogger("castwright.wyoming")

_URL = "https://github.com/castwright/castwright"


def describe(runtime: Runtime) -> Event:
    """info: one TTS program whose voices are the catalogue's, each with its language."""
    voices = [
        TtsVoice(
            name=voice.alias,
            description=f"{voice.display_name} ({voice.provider_full_name})",
            attribution=Attribution(name=voice.provider_full_name, url=_URL),
            installed=True,
            version=None,
            languages=[voice.language_code],
        )
        for voice in runtime.voices
    ]
    program = TtsProgram(
        name="castwright",
        description="Castwright speech",
        attribution=Attribution(name="Castwright", url=_URL),
        installed=True,
        version=__version__,
        voices=voices,
        supports_synthesize_streaming=True,
    )
    return Info(tts=[program]).event()


async def start_wyoming(runtime: Runtime, host: str, port: int) -> asyncio.Server:
    info = describe(runtime)

    async def connected(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        handler = SpeechHandler(runtime, info, reader, writer)
        try:
            await handler.run()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # the client went away; its stream was closed on the way out
        except Exception:
            log.exception("wyoming connection failed")

    server = await asyncio.start_server(connected, host, port)
    log.info("wyoming speech service on %s:%d", host, port)
    return server
