"""Helpers for the streaming tests: decoding any stream format, and waiting on server state."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import av
import httpx
import numpy as np
import openai

from support.live_server import LiveServer

__all__ = [
    "KEY_STREAMS_PER_MINUTE",
    "NarrowServer",
    "decode_stream",
    "long_text",
    "stream_stats",
    "wait_for",
]

KEY_STREAMS_PER_MINUTE = 4  # the narrow server's per-key limit


@dataclass
class NarrowServer:
    """A live server with one synthesis slot, a per-key limit, Wyoming on and MaryTTS open."""

    server: LiveServer
    wyoming_port: int
    backend: str

    @property
    def url(self) -> str:
        return self.server.url

    def client(self, key: str | None = None) -> openai.OpenAI:
        """An SDK client with a key of its own (the per-key limit is per test), no retries."""
        return openai.OpenAI(
            base_url=f"{self.url}/v1",
            api_key=key or self.server.create_key("narrow"),
            max_retries=0,
            timeout=120,
        )


def decode_stream(data: bytes, fmt: str, pcm_rate: int = 24_000) -> tuple[np.ndarray, int]:
    """Mono float samples and their rate, from any /v1/audio/speech format (pcm has no header)."""
    if fmt == "pcm":
        return np.frombuffer(data, "<i2").astype(np.float32) / 32768, pcm_rate
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.audio[0]
        pieces = [_first_channel(frame.to_ndarray()) for frame in container.decode(stream)]
        rate = int(stream.rate)
    return (np.concatenate(pieces) if pieces else np.zeros(0, np.float32)), rate


def _first_channel(block: np.ndarray) -> np.ndarray:
    """The first channel of a decoded frame, planar ([channels, n]) or packed ([1, n*ch])."""
    scale = 32768.0 if block.dtype == np.int16 else 2147483648.0 if block.dtype == np.int32 else 1
    return (block[0] if block.shape[0] >= 1 else block.reshape(-1)).astype(np.float32) / scale


def long_text(sentences: int) -> str:
    """Distinct numbered sentences, so each request's audio is its own."""
    return " ".join(
        f"Sentence {i + 1} of this long passage goes on for a few more words."
        for i in range(sentences)
    )


def stream_stats(url: str) -> dict[str, Any]:
    streams: dict[str, Any] = httpx.get(f"{url}/healthz", timeout=10).json()["streams"]
    return streams


def wait_for(check: Callable[[], bool], what: str, limit: float = 60.0) -> None:
    """Poll ``check`` until it holds; fail naming ``what`` if it never does (a hang guard, not
    a timing assertion: the limit is far above what a working server needs)."""
    deadline = time.monotonic() + limit
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)
