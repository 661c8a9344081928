"""The OpenAI face through the official `openai` SDK: every format, SSE, speed, long input,
the voice and model tables, and OpenAI's error shape."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import numpy as np
import openai
import pytest

from support.streaming import decode_stream, long_text

pytestmark = pytest.mark.e2e

TEXT = "The quick brown fox jumps over the lazy dog. It was 3 degrees at 9:30 this morning."
CONTENT_TYPES = {
    "mp3": "audio/mpeg",
    "opus": "audio/opus",
    "aac": "audio/aac",
    "flac": "audio/flac",
    "wav": "audio/wav",
    "pcm": "audio/pcm",
}
# Each format is a render of its own, and espeak-ng's voice variants draw random numbers (a
# sentence's length varies by up to a few hundred samples); encoders that prime or pad (LAME,
# AAC) without a container to say so add up to about 0.1 s. A lost block would be 0.74 s.
TOLERANCE = {"mp3": 0.15, "aac": 0.15, "opus": 0.05, "flac": 0.03, "wav": 0.03, "pcm": 0.03}


@pytest.fixture(scope="module")
def reference(speech_client: openai.OpenAI) -> tuple[np.ndarray, int]:
    """TEXT as WAV: the duration every other format must reproduce."""
    response = speech_client.audio.speech.create(
        model="tts-1", voice="alloy", input=TEXT, response_format="wav"
    )
    return decode_stream(response.content, "wav")


@pytest.mark.parametrize("fmt", list(CONTENT_TYPES))
def test_every_format_decodes_with_the_expected_duration(
    speech_client: openai.OpenAI, reference: tuple[np.ndarray, int], fmt: str
) -> None:
    response = speech_client.audio.speech.create(
        model="tts-1", voice="alloy", input=TEXT, response_format=fmt
    )
    assert response.response.headers["content-type"] == CONTENT_TYPES[fmt]
    samples, rate = decode_stream(response.content, fmt)
    expected = reference[0].size / reference[1]
    assert expected > 3.0
    assert abs(samples.size / rate - expected) <= TOLERANCE[fmt], (fmt, samples.size / rate)
    assert {"opus": 48_000, "pcm": 24_000}.get(fmt, reference[1]) == rate
    assert 0.05 < float(np.abs(samples).max()) <= 1.0  # speech, not silence or clipping
    assert np.isfinite(samples).all()


def test_wav_stream_carries_the_unknown_length_header(speech_client: openai.OpenAI) -> None:
    data = speech_client.audio.speech.create(
        model="tts-1", voice="alloy", input="Hello.", response_format="wav"
    ).content
    assert data[:4] == b"RIFF" and data[8:16] == b"WAVEfmt "
    assert data[4:8] == b"\xff\xff\xff\xff" and data[36:44] == b"data\xff\xff\xff\xff"


def test_mp3_is_the_default_format(speech_client: openai.OpenAI) -> None:
    response = speech_client.audio.speech.create(model="tts-1", voice="echo", input="Hello.")
    assert response.response.headers["content-type"] == "audio/mpeg"
    samples, rate = decode_stream(response.content, "mp3")
    assert 0.3 < samples.size / rate < 3


def test_speed_scales_the_duration(speech_client: openai.OpenAI) -> None:
    def duration(speed: float) -> float:
        data = speech_client.audio.speech.create(
            model="tts-1", voice="nova", input=TEXT, response_format="wav", speed=speed
        ).content
        samples, rate = decode_stream(data, "wav")
        return samples.size / rate

    normal, fast = duration(1.0), duration(2.0)
    assert fast / normal == pytest.approx(0.5, rel=0.1)
    assert duration(4.0) < fast
    assert duration(0.25) > normal  # accepted; espeak-ng's floor is about 0.49x


def test_input_longer_than_openais_limit_arrives_whole(speech_client: openai.OpenAI) -> None:
    text = long_text(80)  # about 5,300 characters; OpenAI stops at 4,096
    assert len(text) > 4096
    with speech_client.audio.speech.with_streaming_response.create(
        model="tts-1", voice="alloy", input=text, response_format="wav"
    ) as response:
        pieces = list(response.iter_bytes())
    samples, rate = decode_stream(b"".join(pieces), "wav")
    # espeak-ng speaks about 15 characters a second at speed 1.
    assert len(text) / 25 < samples.size / rate < len(text) / 8
    assert len(pieces) > 1


def test_sse_events_parse_and_carry_the_audio(
    deployment: Any, reference: tuple[np.ndarray, int]
) -> None:
    body = {
        "model": "gpt-4o-mini-tts",
        "voice": {"id": "alloy"},
        "input": TEXT,
        "response_format": "wav",
        "stream_format": "sse",
        "instructions": "Speak cheerfully.",
    }
    headers = {"Authorization": f"Bearer {deployment.api_key}"}
    with httpx.stream(
        "POST", f"{deployment.url}/v1/audio/speech", json=body, headers=headers, timeout=60
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = [
            json.loads(line.removeprefix("data: "))
            for line in response.iter_lines()
            if line.startswith("data: ")
        ]
    deltas = [e for e in events if e["type"] == "speech.audio.delta"]
    assert len(deltas) >= 2 and events[-1]["type"] == "speech.audio.done"
    assert len(deltas) == len(events) - 1
    usage = events[-1]["usage"]
    assert usage["input_tokens"] > 0 and usage["output_tokens"] > 0
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]
    samples, rate = decode_stream(b"".join(base64.b64decode(e["audio"]) for e in deltas), "wav")
    # espeak-ng's voices add a little randomness (aspiration noise), so lengths can differ by
    # a few samples between two renders of the same text.
    assert rate == reference[1]
    assert abs(samples.size - reference[0].size) / rate < 0.03


def test_voice_names_map_through_the_table(speech_client: openai.OpenAI) -> None:
    """alloy is joanna by default: the same audio either way; a Castwright alias works too."""
    by_openai_name = speech_client.audio.speech.create(
        model="tts-1", voice="alloy", input="Same voice.", response_format="wav"
    ).content
    by_alias = speech_client.audio.speech.create(
        model="tts-1", voice="joanna", input="Same voice.", response_format="wav"
    ).content
    other = speech_client.audio.speech.create(
        model="tts-1", voice="onyx", input="Same voice.", response_format="wav"
    ).content

    def seconds(data: bytes) -> float:
        samples, rate = decode_stream(data, "wav")
        return samples.size / rate

    assert seconds(by_openai_name) == pytest.approx(seconds(by_alias), abs=0.03)
    assert abs(seconds(by_openai_name) - seconds(other)) > 0.05


def test_voices_and_models_are_listed(speech_client: openai.OpenAI, deployment: Any) -> None:
    models = [m.id for m in speech_client.models.list()]
    assert {"tts-1", "tts-1-hd", "gpt-4o-mini-tts", "espeak-ng"} <= set(models)
    assert speech_client.models.retrieve("tts-1").owned_by == "castwright"
    voices = httpx.get(
        f"{deployment.url}/v1/audio/voices",
        headers={"Authorization": f"Bearer {deployment.api_key}"},
    ).json()["voices"]
    by_id = {v["id"]: v for v in voices}
    assert by_id["alloy"]["voice"] == "joanna" and by_id["isaac"]["engine"] == "espeak-ng"
    assert {"alloy", "ash", "ballad", "coral", "echo", "fable", "onyx", "nova"} <= set(by_id)


def _error(exc: openai.APIStatusError) -> dict[str, Any]:
    body = exc.response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"message", "type", "param", "code"}
    error: dict[str, Any] = body["error"]
    return error


@pytest.mark.parametrize(
    ("change", "param"),
    [
        ({"voice": "nobody"}, "voice"),
        ({"response_format": "midi"}, "response_format"),
        ({"speed": 5.0}, "speed"),
        ({"input": "   "}, "input"),
        ({"stream_format": "carrier-pigeon"}, "stream_format"),
    ],
)
def test_bad_values_are_400_naming_the_param(
    speech_client: openai.OpenAI, change: dict[str, Any], param: str
) -> None:
    arguments: dict[str, Any] = {"model": "tts-1", "voice": "alloy", "input": "Hi.", **change}
    with pytest.raises(openai.BadRequestError) as caught:
        speech_client.audio.speech.create(**arguments)
    error = _error(caught.value)
    assert error["param"] == param and error["type"] == "invalid_request_error"
    assert param in error["message"]


def test_missing_fields_are_400_in_openais_shape(deployment: Any) -> None:
    response = httpx.post(
        f"{deployment.url}/v1/audio/speech",
        json={"model": "tts-1"},
        headers={"Authorization": f"Bearer {deployment.api_key}"},
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["param"] == "input" and "voice" in error["message"]


def test_unknown_model_is_404(speech_client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as caught:
        speech_client.audio.speech.create(model="whisper-9", voice="alloy", input="Hi.")
    assert _error(caught.value)["code"] == "model_not_found"


def test_wrong_key_is_401(deployment: Any) -> None:
    client = openai.OpenAI(base_url=f"{deployment.url}/v1", api_key="cw_nope", max_retries=0)
    with pytest.raises(openai.AuthenticationError) as caught:
        client.audio.speech.create(model="tts-1", voice="alloy", input="Hi.")
    assert _error(caught.value)["code"] == "invalid_api_key"


def test_unknown_route_under_v1_is_404_in_openais_shape(deployment: Any) -> None:
    response = httpx.get(
        f"{deployment.url}/v1/audio/nothing",
        headers={"Authorization": f"Bearer {deployment.api_key}"},
    )
    assert response.status_code == 404
    assert response.json()["error"]["type"] == "invalid_request_error"
