"""POST /tts/texts and the TTS voices: streams that decode cleanly, file mode, every 422, and
a stream whose first bytes arrive while the rest of a long text is still being synthesised."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from support.carrierx import cx_error, cx_ok, decode_clean, new_container

SAMPLE = "This is my text for text-to-speech."
HASH_NAME = re.compile(r"^[0-9a-f]{64}\.(mp3|wav|ogg|flac)$")


def sentences(count: int) -> str:
    return " ".join(
        f"Line {n} of the message continues with a few more words." for n in range(count)
    )


def speak(cx: httpx.Client, status: int = 200, **body: Any) -> httpx.Response:
    response = cx.post("/tts/texts", json=body)
    assert response.status_code == status, response.text[:500]
    return response


def stream_stats(url: str) -> dict[str, Any]:
    stats: dict[str, Any] = httpx.get(f"{url}/healthz", timeout=30).json()["streams"]
    return stats


def wait_for(check: Callable[[], bool], what: str, limit: float = 120.0) -> None:
    """A hang guard, not a timing assertion: the limit is far above what a server needs."""
    deadline = time.monotonic() + limit
    while not check():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


def test_the_documented_sample_streams_a_16_kbit_mp3(cx: httpx.Client) -> None:
    response = speak(cx, text=SAMPLE)
    assert response.headers["content-type"] == "audio/mpeg"
    assert "content-length" not in response.headers  # streamed, not buffered whole
    disposition = response.headers["content-disposition"]
    assert HASH_NAME.match(disposition.split('filename="')[1].rstrip('"'))
    seconds, rate, channels = decode_clean(response.content, "mp3")
    assert (rate, channels) == (16_000, 1)
    assert 1.2 < seconds < 4.0  # seven words
    kbps = len(response.content) * 8 / seconds / 1000
    assert kbps == pytest.approx(16, rel=0.2)


def test_every_format_decodes_to_the_same_speech(cx: httpx.Client) -> None:
    reference, rate, _ = decode_clean(speak(cx, text=SAMPLE, format="wav").content, "wav")
    assert rate == 16_000
    for fmt, tolerance in (("mp3", 0.15), ("ogg", 0.05), ("flac", 0.01)):
        response = speak(cx, text=SAMPLE, format=fmt)
        assert (
            response.headers["content-type"]
            == {"mp3": "audio/mpeg", "ogg": "audio/ogg", "flac": "audio/flac"}[fmt]
        )
        seconds, _, channels = decode_clean(response.content, fmt)
        # mp3 streams carry no gapless tag (a stream cannot seek back to write it), so
        # decoders keep LAME's delay and padding: at most about 0.1 s at 16 kHz.
        assert seconds == pytest.approx(reference, abs=tolerance) and channels == 1, fmt


def test_a_long_mp3_stream_decodes_cleanly_to_its_last_sentence(cx: httpx.Client) -> None:
    text = sentences(12)
    mp3 = speak(cx, text=text).content
    wav = speak(cx, text=text, format="wav").content
    mp3_seconds, _, _ = decode_clean(mp3, "mp3")
    wav_seconds, _, _ = decode_clean(wav, "wav")
    assert wav_seconds > 25  # twelve sentences
    assert mp3_seconds == pytest.approx(wav_seconds, abs=0.15)


def test_bitrates_are_honoured_not_clamped(cx: httpx.Client) -> None:
    loud = speak(cx, text=SAMPLE, bitrate=64).content
    seconds, rate, _ = decode_clean(loud, "mp3")
    assert rate == 16_000 and len(loud) * 8 / seconds / 1000 == pytest.approx(64, rel=0.15)
    high = speak(cx, text=SAMPLE, bitrate="320").content  # an integer as a string
    seconds, rate, _ = decode_clean(high, "mp3")
    assert rate == 32_000 and len(high) * 8 / seconds / 1000 == pytest.approx(320, rel=0.15)
    cx_error(speak(cx, 422, text=SAMPLE, format="ogg", bitrate=320), 422, "bitrate")
    wav = speak(cx, text=SAMPLE, format="wav", bitrate=8)  # ignored for lossless formats
    assert decode_clean(wav.content, "wav")[1] == 16_000


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"text": SAMPLE, "voice_sid": "Polly.Nobody"}, "voice_sid", "not found"),
        ({"text": SAMPLE, "language": "xx-YY"}, "language", "not supported"),
        (
            {"text": SAMPLE, "voice_sid": "woman", "language": "de"},
            "language",
            "not supported by voice",
        ),
        ({"text": SAMPLE, "format": "aiff"}, "format", "not supported"),
        ({"text": SAMPLE, "bitrate": 100}, "bitrate", "not supported"),
        ({"text": SAMPLE, "bitrate": "fast"}, "bitrate", None),
        ({"voice_sid": "man"}, "text", "required"),
        ({"text": "   "}, "text", "required"),
        ({"text": "x" * 100_001}, "text", "too long"),
        ({"text": SAMPLE, "engine": "espeak-ng"}, "engine", None),
        ({"text": 42}, "text", None),
    ],
)
def test_invalid_requests_are_422_before_any_audio(
    cx: httpx.Client, body: dict[str, Any], field: str, message: str | None
) -> None:
    error = cx_error(speak(cx, 422, **body), 422, field)
    if message is not None:
        assert error["errors"] == [{"field": field, "message": message, "reference_sid": None}]


def test_query_and_body_errors_keep_carrierx_shape(cx: httpx.Client) -> None:
    # response_format is checked by FastAPI: its validation error comes out in CarrierX's shape.
    cx_error(
        cx.post("/tts/texts", params={"response_format": "xml"}, json={"text": SAMPLE}),
        422,
        "response_format",
    )
    not_json = cx.post(
        "/tts/texts", content=b"text=hello", headers={"Content-Type": "application/json"}
    )
    assert cx_error(not_json, 400)["message"] == "No JSON object could be decoded"
    missing = "00000000-0000-4000-8000-000000000000"
    cx_error(
        cx.post(
            "/tts/texts",
            params={"response_format": "file", "response_container_sid": missing},
            json={"text": SAMPLE},
        ),
        422,
        "response_container_sid",
    )


def test_nulls_mean_defaults_and_languages_pick_the_voice(cx: httpx.Client) -> None:
    # The Ruby gem sends every field, unset ones as null.
    plain = speak(cx, text=SAMPLE, format=None, voice_sid=None, language=None, bitrate=None)
    assert plain.headers["content-type"] == "audio/mpeg"
    german = speak(cx, text="Guten Tag, wie geht es Ihnen?", voice_sid="man", language="de")
    assert decode_clean(german.content, "mp3")[0] > 1.0
    joanna = speak(cx, text=SAMPLE, voice_sid="Polly.Joanna", format="wav").content
    woman = speak(cx, text=SAMPLE, voice_sid="woman", format="wav").content
    # Both are the joanna persona in US English: the same speech, give or take a few samples
    # at the resampler's edges.
    assert decode_clean(joanna, "wav")[0] == pytest.approx(decode_clean(woman, "wav")[0], abs=0.01)
    isaac = speak(cx, text=SAMPLE, voice_sid="Polly.Matthew", format="wav").content
    assert isaac[44:] != joanna[44:]


def test_normalisation_applies_as_in_every_face(cx: httpx.Client) -> None:
    written = decode_clean(speak(cx, text="It costs $25 today.", format="wav").content, "wav")[0]
    spoken = decode_clean(
        speak(cx, text="It costs twenty five dollars today.", format="wav").content, "wav"
    )[0]
    assert written == pytest.approx(spoken, rel=0.08)


def test_only_text_that_starts_with_speak_is_ssml(cx: httpx.Client) -> None:
    plain = decode_clean(speak(cx, text="Press one.", format="wav").content, "wav")[0]
    paused = decode_clean(
        speak(cx, text='<speak>Press one.<break time="2s"/></speak>', format="wav").content, "wav"
    )[0]
    assert paused - plain == pytest.approx(2.0, abs=0.3)
    literal = speak(cx, text="If a < b then press one.", format="wav")
    assert decode_clean(literal.content, "wav")[0] > plain


def test_file_mode_stores_a_file_in_the_container(
    cx: httpx.Client, anon: httpx.Client, container: dict[str, Any]
) -> None:
    sid = container["container_sid"]
    params = {"response_format": "file", "response_container_sid": sid}
    response = cx.post("/tts/texts", params=params, json={"text": SAMPLE})
    file = cx_ok(response, 200)  # 200, not 201: documented
    assert HASH_NAME.match(file["name"]) and file["file_access_name"] == file["name"]
    assert file["name"].endswith(".mp3")
    assert (file["type"], file["content_classification"], file["content_format"]) == (
        "audio",
        "media",
        "mp3",
    )
    assert (file["mime_type"], file["container_sid"], file["desired_format"]) == (
        "audio/mpeg",
        sid,
        None,
    )
    assert file["publish_uri"] == f"{container['publish_domain']}/f/{file['file_sid']}"
    audio = anon.get(file["publish_uri"]).content
    assert len(audio) == file["file_bytes"]
    seconds, _, _ = decode_clean(audio, "mp3")
    assert file["content_duration"] == pytest.approx(seconds, abs=0.03)
    again = cx_ok(cx.post("/tts/texts", params=params, json={"text": SAMPLE}))
    assert again["name"] == file["name"] and again["file_sid"] != file["file_sid"]
    other = cx_ok(cx.post("/tts/texts", params=params, json={"text": SAMPLE + " Twice."}))
    assert other["name"] != file["name"]
    assert cx_ok(cx.get(f"/storage/containers/{sid}"))["total_files"] == 3


def test_the_stream_is_chosen_unless_both_file_and_a_container_are_given(
    cx: httpx.Client, container: dict[str, Any]
) -> None:
    sid = container["container_sid"]
    for params in ({"response_format": "file"}, {"response_container_sid": sid}):
        response = cx.post("/tts/texts", params=params, json={"text": SAMPLE})
        assert response.status_code == 200 and response.headers["content-type"] == "audio/mpeg"
    assert cx_ok(cx.get(f"/storage/containers/{sid}"))["total_files"] == 0


def test_file_mode_refuses_a_full_container_before_synthesis(
    cx: httpx.Client, deployment: Any
) -> None:
    full = new_container(cx, quota_files=0)
    before = stream_stats(deployment.url)["opened"]
    response = cx.post(
        "/tts/texts",
        params={"response_format": "file", "response_container_sid": full["container_sid"]},
        json={"text": SAMPLE},
    )
    error = cx_error(response, 422, "response_container_sid")
    assert "quota_files" in error["errors"][0]["message"]
    assert stream_stats(deployment.url)["opened"] == before  # nothing was synthesised
    cx.delete(f"/storage/containers/{full['container_sid']}")


def test_first_bytes_arrive_while_a_long_text_is_still_being_synthesised(
    cx: httpx.Client, deployment: Any
) -> None:
    """Ordering, not timing: once the first bytes are here the stream still holds its slot and
    has synthesised only part of the text. The client then reads nothing more, so back-pressure
    (a few sentences of hand-over, the sockets' buffers) keeps synthesis from finishing; 120
    sentences of 16 kHz WAV are far more than those buffers hold. Closing the response stops
    synthesis and frees the slot."""
    total = 120
    wait_for(lambda: stream_stats(deployment.url)["active"] == 0, "idle synthesis")
    before = stream_stats(deployment.url)["sentences"]
    with cx.stream(
        "POST", "/tts/texts", json={"text": sentences(total), "format": "wav"}
    ) as response:
        assert response.status_code == 200
        chunks = response.iter_raw()  # kept: dropping the iterator would close the response
        first = next(chunks)
        assert first[:4] == b"RIFF"
        during = stream_stats(deployment.url)
        assert during["active"] == 1
        assert during["sentences"] - before < total
    wait_for(lambda: stream_stats(deployment.url)["active"] == 0, "the stream to close")
    assert stream_stats(deployment.url)["sentences"] - before < total


def test_voices_list_filter_and_get(cx: httpx.Client) -> None:
    listed = cx_ok(cx.get("/tts/voices"))
    voices = {v["voice_sid"]: v["languages"] for v in listed["items"]}
    assert listed["total"] == len(voices) == listed["count"]
    assert voices["man"]["en-US"] == 0 and voices["woman"]["en-US"] == 0
    assert voices["Polly.Joanna"] == {"en-US": 0}
    assert all(set(v) == {"voice_sid", "languages"} for v in listed["items"])
    german = cx_ok(cx.get("/tts/voices", params={"filter": "languages.de ge 0"}))
    german_sids = [v["voice_sid"] for v in german["items"]]
    assert "man" in german_sids and "woman" not in german_sids
    polly = cx_ok(cx.get("/tts/voices", params={"filter": 'voice_sid like "Polly.%"'}))
    assert polly["items"] and all(v["voice_sid"].startswith("Polly.") for v in polly["items"])
    ordered = cx_ok(cx.get("/tts/voices", params={"order": "voice_sid desc", "limit": 3}))
    assert [v["voice_sid"] for v in ordered["items"]] == sorted(voices, reverse=True)[:3]
    assert ordered["has_more"] is True and "next" in ordered["pagination"]
    one = cx_ok(cx.get("/tts/voices/woman"))
    assert one == {"languages": voices["woman"], "voice_sid": "woman"}
    cx_error(cx.get("/tts/voices/nobody"), 404, "voice_sid")


def test_a_full_synthesis_queue_is_429_with_retry_after(tight: Any) -> None:
    """The tight server has one synthesis slot: while a stream holds it, the next is refused
    at once in CarrierX's shape, and file mode creates nothing."""
    with tight.client() as client:
        container = new_container(client)
        body = {"text": sentences(120), "format": "wav"}
        with client.stream("POST", "/tts/texts", json=body) as holding:
            chunks = holding.iter_raw()  # kept open: the stream keeps its slot
            assert next(chunks)[:4] == b"RIFF"
            refused = client.post("/tts/texts", json={"text": SAMPLE})
            assert cx_error(refused, 429)["message"] == "Too Many Requests"
            assert refused.headers["retry-after"] == "3"
            params = {
                "response_format": "file",
                "response_container_sid": container["container_sid"],
            }
            cx_error(client.post("/tts/texts", params=params, json={"text": SAMPLE}), 429)
        wait_for(lambda: stream_stats(tight.url)["active"] == 0, "the slot to be freed")
        assert (
            cx_ok(client.get(f"/storage/containers/{container['container_sid']}"))["total_files"]
            == 0
        )
        speak(client, text=SAMPLE)
        client.delete(f"/storage/containers/{container['container_sid']}")
