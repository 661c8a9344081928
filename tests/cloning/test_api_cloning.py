"""Voice cloning over HTTP: upload a speaker's recordings, build a voice, list it, speak with
it, delete it; and every unusable request refused with the field it is about."""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import numpy as np
import pytest
from speech_samples import REFERENCE_TEXT, TEST_TEXT, TOLERANCE, render

from castwright.audio import AudioBuffer
from castwright.audio.wav import decode_wav, encode_wav
from castwright.auth.service import create_key
from castwright.cloning.analysis import profile_of
from castwright.runtime import database_for
from castwright.speech.engines.registry import EngineRegistry
from support.api_checks import POLL_LIMIT_SECONDS, error_of, fetch_wav, ok
from support.library import upload_legacy

SPEAKER = {"variant": "m1", "rate": 1.3, "pitch": 0.8}  # en-gb: low, quick, British
CONSENT = "I, Alex Morgan, agree to have my voice cloned by this service."


@pytest.fixture(scope="module")
def engines() -> EngineRegistry:
    return EngineRegistry.load(["espeak-ng"])


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def upload(client: httpx.Client, name: str, content: bytes) -> str:
    created, final = upload_legacy(client, f"voice-samples/{unique('s')}/{name}", content)
    assert final.status_code == 200, final.text
    file_id: str = created["fileId"]
    return file_id


def speech_wav(engines: EngineRegistry, text: str) -> bytes:
    return encode_wav(render(engines, "espeak-ng", "en-gb", text, **SPEAKER))


def poll_clone(client: httpx.Client, alias: str, route: str = "/speech/voice-builder") -> Any:
    """GET ?alias= until the newest clone has finished (the JS SDK's loop)."""
    deadline = time.monotonic() + POLL_LIMIT_SECONDS
    while True:
        clones = ok(client.get(route, params={"alias": alias}))
        assert clones and clones[0]["alias"] == alias, clones
        if clones[0]["status"] in ("succeeded", "failed"):
            return clones[0]
        assert clones[0]["status"] in ("preparing", "in_progress")
        assert time.monotonic() < deadline, f"clone {alias} unfinished after the poll limit"
        time.sleep(0.2)


@pytest.fixture(scope="module")
def samples(deployment: Any, engines: EngineRegistry) -> dict[str, str]:
    """File ids: two recordings of the speaker, the consent, silence, a tone, a text file."""
    rate = 22050
    t = np.arange(rate * 4) / rate
    with httpx.Client(
        base_url=deployment.url, headers={"x-api-key": deployment.api_key}, timeout=60
    ) as client:
        half = len(REFERENCE_TEXT) // 2
        cut = REFERENCE_TEXT.index(". ", half) + 1
        return {
            "first": upload(client, "first.wav", speech_wav(engines, REFERENCE_TEXT[:cut])),
            "second": upload(client, "second.wav", speech_wav(engines, REFERENCE_TEXT[cut:])),
            "consent": upload(client, "consent.wav", speech_wav(engines, CONSENT)),
            "short": upload(client, "short.wav", speech_wav(engines, "Hello there.")),
            "silence": upload(client, "silence.wav", encode_wav(AudioBuffer.silence(4.0, rate))),
            "tone": upload(
                client,
                "tone.wav",
                encode_wav(AudioBuffer.mono(0.4 * np.sin(2 * np.pi * 220 * t), rate)),
            ),
            "text": upload(
                client, "notes.txt", b"These are not the recordings you are looking for."
            ),
        }


@pytest.fixture(scope="module")
def cloned(deployment: Any, samples: dict[str, str]) -> Iterator[dict[str, Any]]:
    """One voice built through the gateway's documented body, finished."""
    alias = unique("alex")
    with httpx.Client(
        base_url=deployment.url, headers={"x-api-key": deployment.api_key}, timeout=120
    ) as client:
        body = {
            "alias": alias,
            "fileIds": [samples["first"], samples["second"]],
            "voiceEngine": "voice_engine_1",
            "consentFileId": samples["consent"],
            "metadata": {"name": "Alex Morgan", "gender": "male", "languageCode": "en-GB"},
        }
        started = ok(client.post("/speech/voice-builder", json=body))
        assert started["alias"] == alias and started["cloneId"] == started["jobId"]
        assert started["status"] in ("preparing", "in_progress", "succeeded")
        assert started["filesUsed"] == [samples["first"], samples["second"]]
        assert isinstance(started["startedAt"], int) and started["discardedFiles"] == {}
        finished = poll_clone(client, alias)
        assert finished["status"] == "succeeded", finished["failReason"]
        assert finished["failReason"] is None and isinstance(finished["finishedAt"], int)
        yield finished


def test_voice_is_listed_for_its_organisation_only(
    client: httpx.Client, deployment: Any, cloned: dict[str, Any]
) -> None:
    alias = cloned["alias"]
    voices = ok(client.get("/speech/voice", params={"type": "cloned"}))["voices"]
    mine = next(v for v in voices if v["alias"] == alias)
    assert mine["gender"] == "male" and mine["languageCode"] == "en-GB"
    assert ok(client.get(f"/speech/voice/{alias.upper()}"))["alias"] == alias
    gateway = httpx.get(
        f"{deployment.url}/audiostack/speech/voice-builder",
        params={"alias": alias, "api_token": deployment.api_key},
        timeout=60,
    )
    assert ok(gateway)[0]["jobId"] == cloned["cloneId"]  # the LowCodeAPI form (seed Example 2)
    sample = client.get(f"/speech/voice/{alias}/sample.wav")
    assert sample.status_code == 200 and sample.headers["content-type"] == "audio/wav"
    with database_for(deployment.server.settings).session() as session:
        _, other_key = create_key(session, name="other", org_id=unique("org"))
    with httpx.Client(
        base_url=deployment.url, headers={"x-api-key": other_key}, timeout=60
    ) as other:
        assert all(v["alias"] != alias for v in ok(other.get("/speech/voice"))["voices"])
        error_of(other.get(f"/speech/voice/{alias}"), 404)
        assert ok(other.get("/speech/voice-builder", params={"alias": alias})) == []


def test_voice_speaks_like_the_speaker(
    client: httpx.Client, engines: EngineRegistry, cloned: dict[str, Any]
) -> None:
    """TTS with the new voice against the speaker reading the same text: median pitch and
    speaking time within 10 %, and nearer than the voice the clone started from."""
    script = ok(client.post("/content/script", json={"scriptText": TEST_TEXT}))
    speech = ok(
        client.post("/speech/tts", json={"scriptId": script["scriptId"], "voice": cloned["alias"]})
    )
    data, _ = fetch_wav(speech["sections"][0]["url"])
    clone = profile_of(decode_wav(data))
    speaker = profile_of(render(engines, "espeak-ng", "en-gb", TEST_TEXT, **SPEAKER))
    analysis = cloned["analysis"]
    base = profile_of(
        render(
            engines, "espeak-ng", analysis["engineVoice"], TEST_TEXT, variant=analysis["variant"]
        )
    )

    def error(value: float, wanted: float) -> float:
        return abs(math.log(value / wanted))

    within = math.log(1 + TOLERANCE)
    pitch, seconds = speaker.pitch_median_hz, speaker.speech_seconds
    assert error(clone.pitch_median_hz, pitch) <= within, (clone, speaker)
    assert error(clone.speech_seconds, seconds) <= within, (clone, speaker)
    assert error(clone.pitch_median_hz, pitch) < error(base.pitch_median_hz, pitch)
    assert error(clone.speech_seconds, seconds) < error(base.speech_seconds, seconds)
    # What the job reported measuring agrees with what was heard here.
    assert error(analysis["voicePitchHz"], analysis["referencePitchHz"]) <= within


def test_voice_cloning_route_and_engine_field(
    client: httpx.Client, samples: dict[str, str]
) -> None:
    """The docs' route and field name; a silent file among good ones is set aside."""
    alias = unique("docs")
    body = {
        "alias": alias,
        "fileIds": [samples["first"], samples["silence"], samples["second"]],
        "engine": "voice_engine_3",
    }
    started = ok(client.post("/speech/voice-cloning", json=body))
    assert started["voiceEngine"] == "voice_engine_3"
    assert started["discardedFiles"] == {samples["silence"]: "is silent"}
    assert poll_clone(client, alias, "/speech/voice-cloning")["status"] == "succeeded"
    ok(client.delete(f"/speech/voice/{alias}"))


def test_samples_in_use_are_kept(client: httpx.Client, cloned: dict[str, Any]) -> None:
    error = error_of(client.delete(f"/content/file/id/{cloned['filesUsed'][0]}"), 409)
    assert "voice_clone" in " ".join(error["errors"])


def test_delete_voice(client: httpx.Client, samples: dict[str, str]) -> None:
    alias = unique("gone")
    ok(
        client.post(
            "/speech/voice-builder",
            json={
                "alias": alias,
                "fileIds": [samples["first"], samples["second"]],
                "voiceEngine": "voice_engine_1",
            },
        )
    )
    assert poll_clone(client, alias)["status"] == "succeeded"
    script = ok(client.post("/content/script", json={"scriptText": "Short and sweet."}))
    ok(client.delete(f"/speech/voice/{alias}"))
    error_of(client.get(f"/speech/voice/{alias}"), 404)
    error = error_of(
        client.post("/speech/tts", json={"scriptId": script["scriptId"], "voice": alias}), 422
    )
    assert error["errors"][0].startswith("voice")
    assert ok(client.get("/speech/voice-builder", params={"alias": alias})) == []
    error_of(client.delete(f"/speech/voice/{alias}"), 404)
    error_of(client.delete("/speech/voice/isaac"), 403)


def _body(samples: dict[str, str], **changes: Any) -> dict[str, Any]:
    body = {
        "alias": unique("bad"),
        "fileIds": [samples["first"], samples["second"]],
        "voiceEngine": "voice_engine_1",
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"alias": None}, 422, "alias"),
        ({"alias": "not/allowed"}, 422, "alias"),
        ({"alias": "Isaac"}, 409, "alias"),
        ({"fileIds": None}, 422, "fileIds"),
        ({"fileIds": ["0d3c2f4e-0000-4000-8000-000000000000"]}, 422, "fileIds[0]"),
        ({"fileIds": ["@silence"]}, 422, "fileIds"),
        ({"fileIds": ["@tone"]}, 422, "fileIds"),
        ({"fileIds": ["@text"]}, 422, "fileIds"),
        ({"fileIds": ["@short"]}, 422, "fileIds"),
        ({"voiceEngine": None}, 422, "voiceEngine"),
        ({"voiceEngine": "voice_engine_9"}, 422, "voiceEngine"),
        ({"voiceEngine": "voice_engine_2"}, 422, "consentFileId"),
        ({"consentFileId": "@silence"}, 422, "consentFileId"),
        ({"consentFileId": "@tone"}, 422, "consentFileId"),
        ({"metadata": {"gender": "robot"}}, 422, "metadata.gender"),
        ({"metadata": {"languageCode": "xx-YY"}}, 422, "metadata.languageCode"),
    ],
)
def test_bad_requests_name_the_field(
    client: httpx.Client, samples: dict[str, str], changes: dict[str, Any], status: int, field: str
) -> None:
    def resolve(value: Any) -> Any:
        if isinstance(value, str) and value.startswith("@"):
            return samples[value[1:]]
        if isinstance(value, list):
            return [resolve(v) for v in value]
        return value

    body = _body(samples, **{k: resolve(v) for k, v in changes.items()})
    error = error_of(client.post("/speech/voice-builder", json=body), status)
    assert any(e.startswith(field) for e in error["errors"]), error


def test_alias_taken(client: httpx.Client, samples: dict[str, str], cloned: dict[str, Any]) -> None:
    for alias in (cloned["alias"], cloned["alias"].upper()):
        error = error_of(
            client.post("/speech/voice-builder", json=_body(samples, alias=alias)), 409
        )
        assert error["errors"][0].startswith("alias")
