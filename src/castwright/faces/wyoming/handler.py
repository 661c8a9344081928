"""One Wyoming connection: describe, synthesize, and streamed text (synthesize-start/chunk/stop).

Audio goes back as 16-bit mono PCM, a sentence at a time as the streaming core makes it. In a
text stream each completed sentence is spoken as soon as it is complete, as its own
audio-start ... audio-stop, and the stream ends with synthesize-stopped.
"""

from __future__ import annotations

import asyncio
import logging

from fastapi.concurrency import run_in_threadpool
from wyoming.audio import AudioChunk as WyomingChunk
from wyoming.audio import AudioStart, AudioStop
from wyoming.error import Error
from wyoming.event import Event
from wyoming.info import Describe
from wyoming.server import AsyncEventHandler
from wyoming.tts import (
    Synthesize,
    SynthesizeChunk,
    SynthesizeStart,
    SynthesizeStop,
    SynthesizeStopped,
    SynthesizeVoice,
)

from castwright.audio.wav import pcm16
from castwright.errors import CastwrightError
from castwright.runtime import Runtime
from castwright.speech.streaming import SpeechStream, StreamRequest, open_speech_stream
from castwright.speech.streaming.sentences import SentenceBuffer
from castwright.speech.streaming.voices import pick_voice
from castwright.voices.catalogue import Voice

__all__ = ["SpeechHandler"]

log = logging.getLogger("castwright.wyoming")

_WIDTH, _CHANNELS = 2, 1
_SAMPLES_PER_CHUNK = 2048


class SpeechHandler(AsyncEventHandler):
    def __init__(
        self,
        runtime: Runtime,
        info: Event,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        super().__init__(reader, writer)
        self.runtime = runtime
        self.info = info
        self._text_stream: SentenceBuffer | None = None
        self._stream_voice: SynthesizeVoice | None = None

    async def handle_event(self, event: Event) -> bool:
        try:
            if Describe.is_type(event.type):
                await self.write_event(self.info)
            elif Synthesize.is_type(event.type):
                if self._text_stream is None:  # inside a text stream it repeats the chunks
                    synthesize = Synthesize.from_event(event)
                    await self._speak(synthesize.text, synthesize.voice)
            elif SynthesizeStart.is_type(event.type):
                start = SynthesizeStart.from_event(event)
                self._stream_voice = start.voice
                voice = await self._voice(start.voice)
                self._text_stream = SentenceBuffer(voice.language_code.split("-")[0])
            elif SynthesizeChunk.is_type(event.type) and self._text_stream is not None:
                for sentence in self._text_stream.add(SynthesizeChunk.from_event(event).text):
                    await self._speak(sentence, self._stream_voice)
            elif SynthesizeStop.is_type(event.type) and self._text_stream is not None:
                for sentence in self._text_stream.finish():
                    await self._speak(sentence, self._stream_voice)
                self._text_stream = None
                await self.write_event(SynthesizeStopped().event())
        except CastwrightError as error:
            self._text_stream = None
            await self.write_event(Error(text=error.message, code=error.code).event())
        return True

    async def _voice(self, voice: SynthesizeVoice | None) -> Voice:
        name = voice.name if voice is not None else None
        language = voice.language if voice is not None else None
        return pick_voice(self.runtime.voices, name, language)

    async def _speak(self, text: str, voice: SynthesizeVoice | None) -> None:
        if not text.strip():
            return
        stream = await run_in_threadpool(self._open, text, voice)
        try:
            await self._send(stream)
        finally:
            stream.close()

    def _open(self, text: str, voice: SynthesizeVoice | None) -> SpeechStream:
        chosen = pick_voice(
            self.runtime.voices,
            voice.name if voice is not None else None,
            voice.language if voice is not None else None,
        )
        request = StreamRequest(
            text=text,
            voice=chosen.alias,
            org_id=self.runtime.settings.wyoming.org_id,
            format="wav",  # only its rate rule applies (the engine's own): audio() is raw PCM
        )
        return open_speech_stream(self.runtime, request)

    async def _send(self, stream: SpeechStream) -> None:
        started = False
        async for chunk in stream.audio():
            rate = chunk.audio.sample_rate
            if not started:
                start = AudioStart(rate=rate, width=_WIDTH, channels=_CHANNELS)
                await self.write_event(start.event())
                started = True
            pcm = pcm16(chunk.audio).tobytes()
            step = _SAMPLES_PER_CHUNK * _WIDTH
            for offset in range(0, len(pcm), step):
                piece = WyomingChunk(
                    rate=rate, width=_WIDTH, channels=_CHANNELS, audio=pcm[offset : offset + step]
                )
                await self.write_event(piece.event())
        if started:
            await self.write_event(AudioStop().event())
