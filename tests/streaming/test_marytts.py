"""The MaryTTS HTTP API as Home Assistant's marytts integration calls it."""

from __future__ import annotations

import io
import wave
from typing import Any

import httpx
import numpy as np
import pytest

from support.streaming import NarrowServer, decode_stream

pytestmark = pytest.mark.e2e

TEXT = "The front door is unlocked."


def _wav_seconds(data: bytes) -> tuple[float, int]:
    """Read with the standard library, which trusts the header's sizes."""
    with wave.open(io.BytesIO(data)) as reader:
        assert (reader.getnchannels(), reader.getsampwidth()) == (1, 2)
        frames = reader.getnframes()
        assert len(reader.readframes(frames)) == frames * 2  # the header's size is the truth
        return frames / reader.getframerate(), reader.getframerate()


def test_process_posts_a_form_without_content_type_like_home_assistant(
    narrow: NarrowServer,
) -> None:
    # speak2mary builds the form body itself and sends it with no Content-Type header.
    body = "INPUT_TEXT=The+front+door+is+unlocked.&INPUT_TYPE=TEXT&OUTPUT_TYPE=AUDIO"
    body += "&LOCALE=en_US&AUDIO=WAVE_FILE&VOICE=isaac"
    response = httpx.post(f"{narrow.url}/process", content=body.encode(), headers={})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "audio/x-wav"
    seconds, rate = _wav_seconds(response.content)
    reference = narrow.client().audio.speech.create(
        model="tts-1", voice="isaac", input=TEXT, response_format="wav"
    )
    expected, expected_rate = decode_stream(reference.content, "wav")
    assert rate == expected_rate
    assert seconds == pytest.approx(
        expected.size / expected_rate, abs=0.03
    )  # espeak-ng varies by a few hundred samples


def test_process_by_get_with_a_locale_only(narrow: NarrowServer) -> None:
    params = {"INPUT_TEXT": "Guten Abend.", "LOCALE": "de", "AUDIO": "WAVE_FILE"}
    response = httpx.get(f"{narrow.url}/process", params=params)
    assert response.status_code == 200, response.text
    seconds, _ = _wav_seconds(response.content)
    assert seconds > 0.4


def test_text_input_is_said_not_parsed(narrow: NarrowServer) -> None:
    """INPUT_TYPE=TEXT speaks '<' as text; SSML's <break> becomes a pause."""
    plain = httpx.get(
        f"{narrow.url}/process", params={"INPUT_TEXT": "Hello <break time='5s'/> there"}
    )
    ssml = httpx.get(
        f"{narrow.url}/process",
        params={
            "INPUT_TEXT": "<speak>Hello <break time='5s'/> there</speak>",
            "INPUT_TYPE": "SSML",
        },
    )
    assert plain.status_code == ssml.status_code == 200
    (plain_seconds, _), (ssml_seconds, _) = _wav_seconds(plain.content), _wav_seconds(ssml.content)
    assert ssml_seconds > 5.0
    assert _longest_silence(ssml.content) > 4.5
    # The tag read out (the default voice's pace decides how long that takes), no pause.
    assert plain_seconds > 1.0 and _longest_silence(plain.content) < 1.0


def _longest_silence(data: bytes) -> float:
    """The longest run of near-silent 10 ms frames, in seconds."""
    with wave.open(io.BytesIO(data)) as reader:
        rate = reader.getframerate()
        samples = np.frombuffer(reader.readframes(reader.getnframes()), "<i2")
    frame = rate // 100
    frames = samples[: samples.size // frame * frame].reshape(-1, frame).astype(np.float64)
    quiet = np.sqrt((frames**2).mean(axis=1)) < 30  # about -60 dBFS
    longest = run = 0
    for is_quiet in quiet:
        run = run + 1 if is_quiet else 0
        longest = max(longest, run)
    return longest / 100


def test_voices_and_locales_are_plain_text(narrow: NarrowServer) -> None:
    voices = httpx.get(f"{narrow.url}/voices")
    assert voices.headers["content-type"].startswith("text/plain")
    lines = voices.text.strip().splitlines()
    assert "isaac en_US male espeak-ng" in lines
    assert all(len(line.split()) == 4 for line in lines)
    locales = httpx.get(f"{narrow.url}/locales").text.split()
    assert "en_US" in locales and "de" in locales
    assert httpx.get(f"{narrow.url}/version").text.startswith("Mary TTS server")


def test_errors_are_plain_text_4xx(narrow: NarrowServer) -> None:
    missing = httpx.get(f"{narrow.url}/process", params={"LOCALE": "en_US"})
    assert missing.status_code == 400 and "INPUT_TEXT" in missing.text
    assert missing.headers["content-type"].startswith("text/plain")
    unknown = httpx.get(f"{narrow.url}/process", params={"INPUT_TEXT": "Hi.", "VOICE": "nobody"})
    assert unknown.status_code == 400 and "VOICE" in unknown.text
    aiff = httpx.get(f"{narrow.url}/process", params={"INPUT_TEXT": "Hi.", "AUDIO": "AIFF_FILE"})
    assert aiff.status_code == 400 and "AUDIO" in aiff.text


def test_a_server_not_opened_for_marytts_wants_a_key(deployment: Any) -> None:
    params = {"INPUT_TEXT": "Hello."}
    refused = httpx.get(f"{deployment.url}/process", params=params)
    assert refused.status_code == 401 and refused.headers["content-type"].startswith("text/plain")
    keyed = httpx.get(
        f"{deployment.url}/process", params={**params, "api_token": deployment.api_key}
    )
    assert keyed.status_code == 200
    assert _wav_seconds(keyed.content)[0] > 0.3
