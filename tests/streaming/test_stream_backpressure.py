"""Streaming under pressure, on a server with one synthesis slot: audio starts before
synthesis ends, a client that leaves stops synthesis, a full queue answers 429 with
Retry-After, and each API key has its streams per minute.

The server's /healthz reports its streams (active, sentences synthesised); the tests read it
to see, by order of events rather than by timing, what synthesis was doing.
"""

from __future__ import annotations

import httpx
import openai
import pytest

from support.streaming import (
    KEY_STREAMS_PER_MINUTE,
    NarrowServer,
    decode_stream,
    long_text,
    stream_stats,
    wait_for,
)

pytestmark = pytest.mark.e2e

# Minutes of speech: far more than the stream's buffer (8 pieces) and the sockets hold, so a
# reader that stops reading holds synthesis back long before the end.
SENTENCES = 100
LONGER = 200  # for streams that are left unread


def _idle(narrow: NarrowServer) -> dict[str, int]:
    wait_for(lambda: stream_stats(narrow.url)["active"] == 0, "the server to be idle")
    return stream_stats(narrow.url)


def test_first_chunk_arrives_while_synthesis_is_still_running(narrow: NarrowServer) -> None:
    client = narrow.client()
    before = _idle(narrow)
    with client.audio.speech.with_streaming_response.create(
        model="tts-1", voice="alloy", input=long_text(SENTENCES), response_format="wav"
    ) as response:
        pieces = response.iter_bytes()
        first = next(pieces)
        during = stream_stats(narrow.url)
        rest = b"".join(pieces)
    # The first bytes were in our hands while the server was still synthesising this stream.
    assert during["active"] == 1
    assert 0 < during["sentences"] - before["sentences"] < SENTENCES
    after = _idle(narrow)
    assert after["sentences"] - before["sentences"] == SENTENCES  # then all of it came
    samples, rate = decode_stream(first + rest, "wav")
    assert len(first) < len(first + rest) / 10
    assert samples.size / rate > SENTENCES * 2.0  # every sentence is there (about 4 s each)


def test_a_client_that_leaves_stops_synthesis(narrow: NarrowServer) -> None:
    client = narrow.client()
    before = _idle(narrow)
    with client.audio.speech.with_streaming_response.create(
        model="tts-1", voice="alloy", input=long_text(LONGER), response_format="wav"
    ) as response:
        pieces = response.iter_bytes()
        next(pieces)
        assert stream_stats(narrow.url)["active"] == 1
    # Leaving the block closes the connection with most of the audio unread.
    stopped = _idle(narrow)
    spoken = stopped["sentences"] - before["sentences"]
    assert 0 < spoken < LONGER / 2, spoken
    # Synthesis has ended, not paused: the slot is free and nothing more is synthesised.
    short = client.audio.speech.create(model="tts-1", voice="alloy", input="One. Two.")
    assert short.content
    assert _idle(narrow)["sentences"] - stopped["sentences"] == 2


def test_a_full_queue_answers_429_with_retry_after(narrow: NarrowServer) -> None:
    holder, other = narrow.client(), narrow.client()
    _idle(narrow)
    with holder.audio.speech.with_streaming_response.create(
        model="tts-1", voice="alloy", input=long_text(LONGER), response_format="wav"
    ) as holding:
        pieces = holding.iter_bytes()
        next(pieces)  # the server's one slot is taken
        with pytest.raises(openai.RateLimitError) as caught:
            other.audio.speech.create(model="tts-1", voice="echo", input="Am I next?")
        response = caught.value.response
        assert response.status_code == 429 and response.headers["retry-after"] == "3"
        error = response.json()["error"]
        assert error["code"] == "rate_limit_exceeded" and error["type"] == "rate_limit_error"
        # The queue is shared by every face: MaryTTS is turned away too, in its own shape.
        mary = httpx.get(f"{narrow.url}/process", params={"INPUT_TEXT": "Hello."})
        assert mary.status_code == 429 and mary.headers["retry-after"] == "3"
        assert mary.headers["content-type"].startswith("text/plain")
    _idle(narrow)
    answer = other.audio.speech.create(
        model="tts-1", voice="echo", input="Am I next?", response_format="wav"
    )
    samples, rate = decode_stream(answer.content, "wav")
    assert samples.size / rate > 0.5


def test_each_key_has_its_streams_per_minute(narrow: NarrowServer) -> None:
    limited, fresh = narrow.client(), narrow.client()
    for _ in range(KEY_STREAMS_PER_MINUTE):
        assert limited.audio.speech.create(model="tts-1", voice="alloy", input="Hi.").content
    with pytest.raises(openai.RateLimitError) as caught:
        limited.audio.speech.create(model="tts-1", voice="alloy", input="Hi.")
    assert 1 <= int(caught.value.response.headers["retry-after"]) <= 60
    assert fresh.audio.speech.create(model="tts-1", voice="alloy", input="Hi.").content
