"""Delivery over HTTP: encoding a production with presets, custom settings and loudness.

Every delivered file is fetched by its signed URL (no credentials) and judged by ffprobe
and ffmpeg alone: container, codec, sample rate, channels, bit depth or bit rate, integrated
loudness within 0.5 LU of the target and true peak at or below the ceiling (plus 0.1 dB for
the meters' oversampling and ffmpeg's one-decimal summary). One production is mixed for the
module; each encode takes about a second.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.api_checks import error_of, ok
from support.media import Probe, loudness, probe
from support.production import download, encode, produce

LOUDNESS_TOLERANCE = 0.5
PEAK_TOLERANCE = 0.1

# Spec 13.2: (format, bitRateType, bitRate, sampleRate, bitDepth, channels).
PRESETS = {
    "mp3": ("mp3", "constant", 320, 44100, None, 2),
    "wav": ("wav", None, None, 48000, 16, 2),
    "ogg": ("ogg", "constant", 320, 48000, None, 2),
    "flac": ("flac", None, None, 48000, 16, 2),
    "mp3_very_low": ("mp3", "variable", 9, 44100, None, 2),
    "mp3_low": ("mp3", "variable", 6, 44100, None, 2),
    "mp3_medium": ("mp3", "variable", 4, 44100, None, 2),
    "mp3_high": ("mp3", "variable", 2, 44100, None, 2),
    "mp3_very_high": ("mp3", "variable", 0, 44100, None, 2),
    "mp3_alexa": ("mp3", "constant", 48, 24000, None, 1),
}
# Spec 13.3: (loudnessTarget, truePeak, dynamicRange).
LOUDNESS = {
    "podcast": (-16, -1, 11),
    "streaming": (-14, -1, 11),
    "spotify": (-14, -1, 11),
    "apple": (-16, -1, 11),
    "broadcast": (-23, -1, 15),
    "radio": (-23, -1, 8),
    "atsc_a85": (-24, -2, 15),
}


@pytest.fixture(scope="module")
def production(api: httpx.Client, greeting_speech: dict[str, Any]) -> dict[str, Any]:
    """The greeting over a built-in template (the one the SDK tests use), balanced."""
    body = {"speechId": greeting_speech["speechId"], "soundTemplate": "acoustic"}
    return produce(api, body)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("delivered")


def delivered(
    client: httpx.Client, production: dict[str, Any], folder: Path, **body: Any
) -> tuple[dict[str, Any], Path, Probe]:
    """Encode, check the encoding object, fetch the file and probe it."""
    data = encode(client, {"productionId": production["productionId"], **body})
    assert data["encoderId"] and data["productionId"] == production["productionId"]
    assert data["preset"] == body["preset"].lower()
    assert data["url"] and data["fileId"]
    assert set(data["loudness"]) == {"integrated", "truePeak", "range"}
    path = download(data["url"], folder / f"{data['encoderId']}.{data['format']}")
    found = probe(path)
    assert found.container == data["format"], (found, data["format"])
    mix_seconds = production["files"][0]["duration"]
    assert data["duration"] == pytest.approx(mix_seconds, abs=0.05)
    return data, path, found


def assert_meets(path: Path, target: float, ceiling: float) -> None:
    measured = loudness(path)
    assert abs(measured.integrated - target) <= LOUDNESS_TOLERANCE, (measured, target)
    assert measured.true_peak <= ceiling + PEAK_TOLERANCE, (measured, ceiling)


def test_presets_list_the_documented_encoders_and_loudness_targets(client: httpx.Client) -> None:
    listed = ok(client.get("/delivery/encoder/presets"))
    found = {
        p["name"]: (
            p["format"],
            p["bitRateType"],
            p["bitRate"],
            p["sampleRate"],
            p["bitDepth"],
            p["channels"],
        )
        for p in listed["presets"]
    }
    assert found == PRESETS
    assert all(p["description"] for p in listed["presets"])
    targets = {
        p["name"]: (p["loudnessTarget"], p["truePeak"], p["dynamicRange"])
        for p in listed["loudnessPresets"]
    }
    assert targets == LOUDNESS
    aliases = {p["name"]: p.get("aliases", []) for p in listed["loudnessPresets"]}
    assert "apple_podcasts" in aliases["apple"] and "ebu_r128" in aliases["broadcast"]


def test_encode_with_a_preset_and_a_loudness_preset(
    client: httpx.Client, production: dict[str, Any], folder: Path
) -> None:
    data, path, found = delivered(
        client, production, folder, preset="mp3_high", loudnessPreset="podcast"
    )
    assert (found.codec, found.sample_rate, found.channels) == ("mp3", 44100, 2)
    assert_meets(path, -16, -1)
    assert data["loudness"]["integrated"] == pytest.approx(loudness(path).integrated, abs=0.3)
    assert data["loudness"]["truePeak"] <= -1.0

    fetched = ok(client.get(f"/delivery/encoder/{data['encoderId']}"))
    assert fetched == data | {"url": fetched["url"]}  # the URL is signed afresh
    assert httpx.get(fetched["url"], timeout=60).content == path.read_bytes()


def test_custom_settings(client: httpx.Client, production: dict[str, Any], folder: Path) -> None:
    _, _, found = delivered(
        client,
        production,
        folder,
        preset="custom",
        format="wav",
        sampleRate=96000,
        bitDepth=24,
        channels=1,
    )
    assert (found.codec, found.sample_rate, found.channels, found.bit_depth) == (
        "pcm_s24le",
        96000,
        1,
        24,
    )
    _, _, found = delivered(
        client,
        production,
        folder,
        preset="custom",
        format="mp3",
        bitRateType="constant",
        bitRate=128,
        sampleRate=32000,
        channels=1,
    )
    assert (found.codec, found.sample_rate, found.channels) == ("mp3", 32000, 1)
    assert found.bit_rate is not None and abs(found.bit_rate / 1000 - 128) <= 6
    # "44.1" is read as kHz.
    _, _, found = delivered(
        client, production, folder, preset="custom", format="flac", sampleRate=44.1, bitDepth=24
    )
    assert (found.codec, found.sample_rate, found.channels, found.bit_depth) == (
        "flac",
        44100,
        2,
        24,
    )


def test_custom_fields_override_a_preset_field_by_field(
    client: httpx.Client, production: dict[str, Any], folder: Path
) -> None:
    _, _, found = delivered(
        client, production, folder, preset="mp3_high", sampleRate=48000, channels=1
    )
    assert (found.codec, found.sample_rate, found.channels) == ("mp3", 48000, 1)
    _, _, found = delivered(client, production, folder, preset="wav", bitDepth=24)
    assert (found.codec, found.sample_rate, found.channels) == ("pcm_s24le", 48000, 2)
    _, _, found = delivered(client, production, folder, preset="MP3", bitRate="192")
    assert (found.codec, found.sample_rate, found.channels) == ("mp3", 44100, 2)
    assert found.bit_rate is not None and abs(found.bit_rate / 1000 - 192) <= 6


def test_custom_loudness_target_and_true_peak(
    client: httpx.Client, production: dict[str, Any], folder: Path
) -> None:
    # Over a preset: the custom values replace its own, field by field.
    _, path, _ = delivered(
        client,
        production,
        folder,
        preset="mp3",
        loudnessPreset="podcast",
        loudnessTarget=-18,
        truePeak=-2,
    )
    assert_meets(path, -18, -2)
    # Alone, as the Python SDK sends them.
    _, path, _ = delivered(
        client,
        production,
        folder,
        preset="wav",
        loudnessSettings="custom",
        loudnessTarget=-20,
        truePeak=-3,
    )
    assert_meets(path, -20, -3)


REFUSALS: list[tuple[str, dict[str, Any], str]] = [
    ("unknown preset", {"preset": "mp3_ultra"}, "preset"),
    ("no preset", {}, "preset"),
    ("custom without a format", {"preset": "custom"}, "format"),
    ("unknown format", {"preset": "custom", "format": "wma"}, "format"),
    ("mp3 bit rate not a layer III rate", {"preset": "mp3", "bitRate": 100}, "bitRate"),
    ("variable quality above 9", {"preset": "mp3_high", "bitRate": 12}, "bitRate"),
    ("sample rate too low", {"preset": "mp3", "sampleRate": 8000}, "sampleRate"),
    ("sample rate too high", {"preset": "wav", "sampleRate": 192000}, "sampleRate"),
    ("bit depth for mp3", {"preset": "mp3", "bitDepth": 24}, "bitDepth"),
    ("bit depth wav cannot hold", {"preset": "wav", "bitDepth": 20}, "bitDepth"),
    ("three channels", {"preset": "wav", "channels": 3}, "channels"),
    ("unknown bit rate type", {"preset": "mp3", "bitRateType": "average"}, "bitRateType"),
    ("loudness target too low", {"preset": "mp3", "loudnessTarget": -80}, "loudnessTarget"),
    ("loudness target too high", {"preset": "mp3", "loudnessTarget": -3}, "loudnessTarget"),
    ("true peak above 0", {"preset": "mp3", "loudnessTarget": -16, "truePeak": 1}, "truePeak"),
    ("unknown loudness preset", {"preset": "mp3", "loudnessPreset": "loud"}, "loudnessPreset"),
]


@pytest.mark.parametrize(
    ("body", "field"),
    [(body, field) for _, body, field in REFUSALS],
    ids=[case for case, *_ in REFUSALS],
)
def test_bad_settings_are_refused_naming_the_field(
    client: httpx.Client, production: dict[str, Any], body: dict[str, Any], field: str
) -> None:
    response = client.post(
        "/delivery/encoder", json={"productionId": production["productionId"], **body}
    )
    refused = error_of(response, 422)
    assert refused["message"].startswith(f"{field}:"), refused
    assert refused["errors"][0].startswith(f"{field}:"), refused


def test_an_unknown_preset_names_the_valid_ones(
    client: httpx.Client, production: dict[str, Any]
) -> None:
    body = {"productionId": production["productionId"], "preset": "mp3_ultra"}
    message = error_of(client.post("/delivery/encoder", json=body), 422)["message"]
    assert all(name in message for name in [*PRESETS, "custom"])


def test_what_cannot_be_encoded(
    client: httpx.Client, greeting_speech: dict[str, Any], production: dict[str, Any]
) -> None:
    unknown = {"productionId": str(uuid.uuid4()), "preset": "mp3"}
    refused = error_of(client.post("/delivery/encoder", json=unknown), 404)
    assert refused["errors"][0].startswith("productionId")
    assert error_of(client.post("/delivery/encoder", json={"preset": "mp3"}), 422)["errors"][
        0
    ].startswith("productionId")

    validation = ok(
        client.post("/production/validate", json={"speechId": greeting_speech["speechId"]})
    )
    body = {"productionId": validation["productionId"], "preset": "mp3"}
    refused = error_of(client.post("/delivery/encoder", json=body), 422)
    assert refused["errors"][0].startswith("productionId")

    missing = error_of(client.get(f"/delivery/encoder/{uuid.uuid4()}"), 404)
    assert missing["errors"][0].startswith("encoderId")
