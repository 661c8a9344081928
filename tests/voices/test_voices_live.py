"""Installed neural voices on a live server: in every face's voice list, the default voice,
and speaking through the AudioStack and OpenAI faces; on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from castwright.config import Settings, VoiceLibrarySettings
from castwright.voices.library.store import VoiceLibrary
from support.api_checks import ok, render
from support.audio import analyse_wav
from support.databases import postgres_available, postgres_schema_url
from support.live_server import LiveServer
from support.tiny_voices import CatalogueServer

LESSAC = "en_US-lessac-medium"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, str]]:
    with ExitStack() as stack:
        url = ""
        if request.param == "postgresql":
            reason = postgres_available()
            if reason:
                pytest.skip(reason)
            url = stack.enter_context(postgres_schema_url())
        data_dir: Path = tmp_path_factory.mktemp(f"neural-{request.param}")
        catalogue = CatalogueServer()
        catalogue.add_piper_voice(LESSAC, "lessac")
        catalogue.add_kokoro({"af_heart": 0.1})
        catalogue.start()
        stack.callback(catalogue.stop)
        settings = Settings(
            data_dir=data_dir,
            voice_library=VoiceLibrarySettings(
                piper_url=catalogue.piper_url, kokoro_url=catalogue.kokoro_url
            ),
        )
        library = VoiceLibrary(settings)
        library.install(f"piper:{LESSAC}")
        library.install("kokoro:af_heart")
        live = LiveServer(data_dir, url, workers=1)
        key = live.create_key()
        live.start()
        stack.callback(live.stop)
        yield live, key


@pytest.fixture
def client(server: tuple[LiveServer, str]) -> Iterator[httpx.Client]:
    live, key = server
    with httpx.Client(base_url=live.url, headers={"x-api-key": key}, timeout=120) as http:
        yield http


def test_installed_voices_are_in_every_voice_list(client: httpx.Client) -> None:
    listed: list[dict[str, Any]] = ok(client.get("/speech/voice"))["voices"]
    by_alias = {voice["alias"]: voice for voice in listed}
    harper, leslie = by_alias["harper"], by_alias["leslie"]
    assert (harper["provider"], harper["quality"], harper["gender"]) == (
        "kokoro",
        "neural",
        "female",
    )
    assert (leslie["provider"], leslie["languageCode"]) == ("piper", "en-US")
    assert "piper-en_us-lessac-medium" in by_alias  # the plain engine voice too
    neural = ok(client.get("/speech/voice", params={"quality": "neural"}))["voices"]
    assert {v["provider"] for v in neural} == {"kokoro", "piper"}
    assert "bella" not in by_alias  # a persona whose voice is not installed is not offered
    ranked = ok(client.get("/speech/voice", params={"sort": "-quality"}))["voices"]
    assert ranked[0]["quality"] == "neural" and ranked[-1]["quality"] == "robotic"

    openai = client.get("/v1/audio/voices").json()["voices"]
    engines = {v["id"]: v["engine"] for v in openai}
    assert (engines["harper"], engines["leslie"]) == ("kokoro", "piper")
    models = {m["id"] for m in client.get("/v1/models").json()["data"]}
    assert {"kokoro", "piper"} <= models


def test_the_default_voice_is_the_installed_neural_one(
    client: httpx.Client, server: tuple[LiveServer, str]
) -> None:
    ready = httpx.get(f"{server[0].url}/readyz", timeout=60)
    assert ready.status_code == 200, ready.text
    assert "kokoro" in ready.text and "piper" in ready.text
    script = ok(client.post("/content/script", json={"scriptText": "Hello from the default."}))
    speech = render(client, {"scriptId": script["scriptId"]})
    assert {section["voice"] for section in speech["sections"]} == {"harper"}


def test_neural_voices_speak_through_the_faces(client: httpx.Client) -> None:
    preview = client.post("/speech/tts/preview", json={"text": "Good morning.", "voice": "harper"})
    assert preview.status_code == 200, preview.text
    info = analyse_wav(preview.content)
    assert info.sample_rate == 24000 and info.duration > 0.3 and info.peak > 0.05

    body = {"model": "tts-1", "voice": "leslie", "input": "Good evening.", "response_format": "wav"}
    spoken = client.post("/v1/audio/speech", json=body)
    assert spoken.status_code == 200, spoken.text
    info = analyse_wav(spoken.content)
    assert info.sample_rate == 22050 and info.duration > 0.3
