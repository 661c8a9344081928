"""Home Assistant's Wyoming protocol, driven by the `wyoming` package's own client."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Coroutine
from typing import Any, TypeVar

import numpy as np
import pytest
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.client import AsyncTcpClient
from wyoming.error import Error
from wyoming.event import Event
from wyoming.info import Describe, Info
from wyoming.tts import (
    Synthesize,
    SynthesizeChunk,
    SynthesizeStart,
    SynthesizeStop,
    SynthesizeStopped,
    SynthesizeVoice,
)

from support.live_server import LiveServer, free_port
from support.streaming import NarrowServer, decode_stream

pytestmark = pytest.mark.e2e

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(asyncio.wait_for(coroutine, 90))


async def _next(client: AsyncTcpClient) -> Event:
    event = await client.read_event()
    assert event is not None, "the server closed the connection"
    return event


async def _utterance(client: AsyncTcpClient) -> tuple[np.ndarray, int]:
    """audio-start, audio-chunk..., audio-stop: the samples and their rate."""
    start = await _next(client)
    assert AudioStart.is_type(start.type), start
    begun = AudioStart.from_event(start)
    assert (begun.width, begun.channels) == (2, 1)
    pcm = bytearray()
    while not AudioStop.is_type((event := await _next(client)).type):
        chunk = AudioChunk.from_event(event)
        assert (chunk.rate, chunk.width, chunk.channels) == (begun.rate, 2, 1)
        pcm += chunk.audio
    return np.frombuffer(bytes(pcm), "<i2").astype(np.float32) / 32768, begun.rate


def test_describe_lists_voices_and_languages(narrow: NarrowServer) -> None:
    async def describe() -> Info:
        async with AsyncTcpClient("127.0.0.1", narrow.wyoming_port) as client:
            await client.write_event(Describe().event())
            return Info.from_event(await _next(client))

    info = run(describe())
    (program,) = info.tts
    assert program.supports_synthesize_streaming and program.installed
    voices = {voice.name: voice for voice in program.voices}
    assert voices["isaac"].languages == ["en-US"]
    assert "de" in {language for v in program.voices for language in v.languages}


def test_synthesize_streams_back_a_sentence(narrow: NarrowServer) -> None:
    text = "The kitchen light is now on."

    async def synthesize() -> tuple[np.ndarray, int]:
        async with AsyncTcpClient("127.0.0.1", narrow.wyoming_port) as client:
            voice = SynthesizeVoice(name="isaac")
            await client.write_event(Synthesize(text=text, voice=voice).event())
            return await _utterance(client)

    samples, rate = run(synthesize())
    reference = narrow.client().audio.speech.create(
        model="tts-1", voice="isaac", input=text, response_format="wav"
    )
    expected, expected_rate = decode_stream(reference.content, "wav")
    assert rate == expected_rate
    assert samples.size / rate == pytest.approx(
        expected.size / rate, abs=0.03
    )  # espeak-ng varies by a few hundred samples
    assert float(np.abs(samples).max()) > 0.05


def test_a_language_picks_a_voice_that_speaks_it(narrow: NarrowServer) -> None:
    async def synthesize() -> tuple[np.ndarray, int]:
        async with AsyncTcpClient("127.0.0.1", narrow.wyoming_port) as client:
            voice = SynthesizeVoice(language="de_DE")
            await client.write_event(Synthesize(text="Guten Morgen.", voice=voice).event())
            return await _utterance(client)

    samples, rate = run(synthesize())
    assert samples.size / rate > 0.3


def test_streamed_text_is_spoken_sentence_by_sentence(narrow: NarrowServer) -> None:
    async def converse() -> list[tuple[np.ndarray, int]]:
        spoken = []
        async with AsyncTcpClient("127.0.0.1", narrow.wyoming_port) as client:
            await client.write_event(SynthesizeStart(voice=SynthesizeVoice(name="sara")).event())
            for piece in ("The wea", "ther today is ", "sunny. Tomor"):
                await client.write_event(SynthesizeChunk(text=piece).event())
            # The first sentence is complete, so it is spoken now, before any more text.
            spoken.append(await _utterance(client))
            for piece in ("row brings rain. And ", "then snow"):
                await client.write_event(SynthesizeChunk(text=piece).event())
            spoken.append(await _utterance(client))
            # Home Assistant repeats the whole text in a synthesize; inside a stream it is ignored.
            await client.write_event(Synthesize(text="Ignored entirely.").event())
            await client.write_event(SynthesizeStop().event())
            spoken.append(await _utterance(client))
            assert SynthesizeStopped.is_type((await _next(client)).type)
        return spoken

    spoken = run(converse())
    durations = [samples.size / rate for samples, rate in spoken]
    assert len(durations) == 3
    # "The weather today is sunny." > "Tomorrow brings rain." > "And then snow."
    assert durations[0] > durations[1] > durations[2] > 0.5


def test_an_unknown_voice_is_an_error_event(narrow: NarrowServer) -> None:
    async def synthesize() -> Event:
        async with AsyncTcpClient("127.0.0.1", narrow.wyoming_port) as client:
            voice = SynthesizeVoice(name="nobody-at-all")
            await client.write_event(Synthesize(text="Hello.", voice=voice).event())
            return await _next(client)

    event = run(synthesize())
    assert Error.is_type(event.type)
    assert "nobody-at-all" in Error.from_event(event).text


def test_serve_with_the_wyoming_flag_answers_describe(tmp_path: Any) -> None:
    """`castwright serve --wyoming PORT`, as the README says to run it."""
    server = LiveServer(tmp_path / "flag")
    port = free_port()
    server.create_key()
    server.data_dir.mkdir(parents=True, exist_ok=True)
    with (server.data_dir / "server.log").open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "castwright.cli.main", "serve", "--wyoming", str(port)],
            env=server.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server.process = process
    try:

        async def describe() -> Info:
            for _ in range(600):  # until the server listens (a hang guard, not a timing check)
                try:
                    async with AsyncTcpClient("127.0.0.1", port) as client:
                        await client.write_event(Describe().event())
                        return Info.from_event(await _next(client))
                except OSError:
                    await asyncio.sleep(0.1)
            raise AssertionError(f"no Wyoming service on {port}:\n{server.log()}")

        info = run(describe())
        assert info.tts[0].name == "castwright" and info.tts[0].voices
    finally:
        server.stop()
