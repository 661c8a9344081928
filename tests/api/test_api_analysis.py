"""GET /files/{fileId}/analysis: peaks and loudness over time, computed once and cached.

A known signal (a 1 kHz tone, then silence) is uploaded through the SDK 4.0 flow and its
analysis compared with the signal itself and with pyloudnorm, the reference BS.1770 meter.
"""

from __future__ import annotations

import math
import time
from typing import Any

import httpx
import numpy as np
import pyloudnorm
import pytest
from sqlalchemy import select

from castwright.audio import AudioBuffer
from castwright.audio.wav import encode_wav
from castwright.models.file_analysis import FileAnalysis
from castwright.runtime import database_for
from support.api_checks import POLL_LIMIT_SECONDS, error_of, ok
from support.library import poll_v4, unique

RATE = 48_000
TONE_SECONDS, SILENCE_SECONDS = 4.0, 1.0
AMPLITUDE = 0.25


def tone_then_silence() -> np.ndarray:
    """Stereo: a 1 kHz sine at 0.25 for 4 s, then 1 s of digital silence."""
    t = np.arange(int(TONE_SECONDS * RATE)) / RATE
    tone = (AMPLITUDE * np.sin(2 * np.pi * 1000 * t)).astype(np.float32)
    mono = np.concatenate([tone, np.zeros(int(SILENCE_SECONDS * RATE), np.float32)])
    return np.stack([mono, mono])


def upload(client: httpx.Client, name: str, content: bytes) -> dict[str, Any]:
    created = client.post("/files", json={"file_name": name})
    assert created.status_code == 200, created.text
    ticket = created.json()
    put = httpx.put(
        ticket["uploadUrl"], content=content, headers={"Content-Type": ticket["mimeType"]}
    )
    assert put.status_code == 200, put.text
    return poll_v4(client, ticket["fileId"])


@pytest.fixture(scope="module")
def tone_file(api: httpx.Client) -> dict[str, Any]:
    file = upload(api, f"{unique('tone')}.wav", encode_wav(AudioBuffer(tone_then_silence(), RATE)))
    assert file["status"] == "uploaded", file
    return file


def analysis_of(client: httpx.Client, file_id: str) -> dict[str, Any]:
    response = client.get(f"/files/{file_id}/analysis")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "meta" not in body, "bare JSON, as the other /files routes"
    return body


def test_peaks_follow_the_signal(client: httpx.Client, tone_file: dict[str, Any]) -> None:
    analysis = analysis_of(client, tone_file["fileId"])
    assert analysis["fileId"] == tone_file["fileId"]
    assert analysis["duration"] == pytest.approx(TONE_SECONDS + SILENCE_SECONDS, abs=0.001)
    assert (analysis["sampleRate"], analysis["channels"]) == (RATE, 2)
    peaks = analysis["peaks"]
    assert peaks["columns"] == len(peaks["min"]) == len(peaks["max"]) == 1000
    assert peaks["secondsPerColumn"] == pytest.approx(0.005, abs=1e-6)
    tone_columns = int(TONE_SECONDS / 0.005)
    # Each 5 ms column holds five periods of the tone: its crest and trough (16-bit WAV).
    assert all(v == pytest.approx(AMPLITUDE, abs=0.001) for v in peaks["max"][:tone_columns])
    assert all(v == pytest.approx(-AMPLITUDE, abs=0.001) for v in peaks["min"][:tone_columns])
    assert peaks["max"][tone_columns:] == [0.0] * (1000 - tone_columns)
    assert peaks["min"][tone_columns:] == [0.0] * (1000 - tone_columns)


def test_loudness_matches_the_reference_meter(
    client: httpx.Client, tone_file: dict[str, Any]
) -> None:
    loudness = analysis_of(client, tone_file["fileId"])["loudness"]
    samples = tone_then_silence()
    meter = pyloudnorm.Meter(RATE)
    reference = meter.integrated_loudness(samples.T.astype(np.float64))
    assert loudness["integrated"] == pytest.approx(reference, abs=0.1)
    # A window wholly inside the tone measures the tone alone.
    tone = meter.integrated_loudness(samples[:, : int(TONE_SECONDS * RATE)].T.astype(np.float64))
    # A sine's true peak is its amplitude (oversampling finds nothing between the samples).
    assert loudness["truePeak"] == pytest.approx(20 * math.log10(AMPLITUDE), abs=0.1)

    short_term = loudness["shortTerm"]
    assert (short_term["windowSeconds"], short_term["hopSeconds"]) == (3.0, 0.1)
    # 3 s windows every 100 ms over 5 s: starts 0.0 ... 2.0 s.
    assert len(short_term["values"]) == 21
    whole_tone = short_term["values"][:11]  # windows that end by 4.0 s hold only the tone
    assert all(v == pytest.approx(tone, abs=0.1) for v in whole_tone)
    assert short_term["values"][-1] < tone - 1.0  # a third of the last window is silence

    momentary = loudness["momentary"]
    assert (momentary["windowSeconds"], momentary["hopSeconds"]) == (0.4, 0.1)
    assert len(momentary["values"]) == 47  # starts 0.0 ... 4.6 s
    assert all(v == pytest.approx(tone, abs=0.1) for v in momentary["values"][:37])
    # Windows wholly in the silence: what is left of the K-weighting's tail is far below
    # the -70 LUFS gate (or nothing at all).
    assert all(v is None or v < -70 for v in momentary["values"][-3:])


def test_computed_once_then_served_from_the_cache(
    deployment: Any, client: httpx.Client, api: httpx.Client
) -> None:
    file = upload(
        api, f"{unique('cached')}.wav", encode_wav(AudioBuffer(tone_then_silence(), RATE))
    )
    first = analysis_of(client, file["fileId"])
    second = analysis_of(client, file["fileId"])
    assert (first["cached"], second["cached"]) == (False, True)
    assert {**first, "cached": None} == {**second, "cached": None}
    with database_for(deployment.server.settings).session() as session:
        stored = session.scalars(
            select(FileAnalysis).where(FileAnalysis.file_id == file["fileId"])
        ).all()
        assert len(stored) == 1
        assert stored[0].data["peaks"] == first["peaks"]

    # Deleting the file deletes its analysis with it (ON DELETE CASCADE, both databases).
    assert client.delete(f"/files/{file['fileId']}").status_code == 200
    error_of(client.get(f"/files/{file['fileId']}/analysis"), 404)
    with database_for(deployment.server.settings).session() as session:
        assert session.get(FileAnalysis, file["fileId"]) is None


def test_a_mix_is_measured_against_its_preset_target(
    client: httpx.Client, greeting_speech: dict[str, Any]
) -> None:
    presets = ok(client.get("/production/mix/presets"))["presets"]
    balanced = next(p for p in presets if p["name"] == "balanced")
    assert (balanced["loudnessTarget"], balanced["truePeak"]) == (-16.0, -1.5)
    assert next(p for p in presets if p["name"] == "none")["loudnessTarget"] is None

    body = {"speechId": greeting_speech["speechId"], "masteringPreset": "balanced"}
    response = client.post("/production/mix", json=body)
    if response.status_code == 202:
        mix = poll_mix(client, ok(response, 202)["productionId"])
    else:
        mix = ok(response)
    file = mix["files"][0]
    analysis = analysis_of(client, file["fileId"])
    assert analysis["duration"] == pytest.approx(file["duration"], abs=0.01)
    assert (analysis["sampleRate"], analysis["channels"]) == (48_000, 2)
    # The page plots this against the target: the master reached it.
    assert analysis["loudness"]["integrated"] == pytest.approx(-16.0, abs=0.5)
    assert analysis["loudness"]["integrated"] == pytest.approx(
        mix["loudness"]["integrated"], abs=0.1
    )
    assert analysis["loudness"]["truePeak"] <= -1.0
    assert max(analysis["peaks"]["max"]) > 0.1


def poll_mix(client: httpx.Client, production_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + POLL_LIMIT_SECONDS
    while True:
        response = client.get(f"/production/mix/{production_id}")
        if response.status_code != 202:
            mix: dict[str, Any] = ok(response)
            return mix
        assert time.monotonic() < deadline, "mix still rendering after the poll limit"
        time.sleep(0.1)


def test_files_that_cannot_be_measured_are_4xx_naming_the_file(
    client: httpx.Client, anon: httpx.Client, tone_file: dict[str, Any]
) -> None:
    missing = error_of(client.get("/files/00000000-0000-4000-8000-000000000000/analysis"), 404)
    assert "fileId" in missing["errors"][0]

    text = upload(client, f"{unique('notes')}.txt", b"not audio at all\n")
    assert text["fileType"]["name"] == "document"
    refused = error_of(client.get(f"/files/{text['fileId']}/analysis"), 422)
    assert refused["errors"][0].startswith("fileId:")

    pending = client.post("/files", json={"file_name": f"{unique('later')}.wav"}).json()
    waiting = error_of(client.get(f"/files/{pending['fileId']}/analysis"), 409)
    assert "not ready" in waiting["errors"][0]

    error_of(anon.get(f"/files/{tone_file['fileId']}/analysis"), 401)
    # The LowCodeAPI mount serves it too, with the gateway's api_token.
    key = client.headers["x-api-key"]
    gateway = anon.get(
        f"/audiostack/files/{tone_file['fileId']}/analysis", params={"api_token": key}
    )
    assert gateway.status_code == 200 and gateway.json()["cached"] is True
