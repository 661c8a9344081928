"""The telephony flow end to end, as a call-flow application plays it: a scoped token from
the token endpoint (form-encoded, as the Ruby gem sends it), a container, TTS into it, then
the call fetches publish_uri without credentials and plays it to the end."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from support.carrierx import cx_ok, decode_clean


def test_token_tts_to_file_publish_uri_and_playback(deployment: Any) -> None:
    base = f"{deployment.url}/core/v2"
    token = cx_ok(
        httpx.post(
            f"{base}/oauth/token",
            data={
                "grant_type": "password",
                "client_id": "call-flow",
                "username": "partner",
                "password": deployment.api_key,
                "scope": "tts.create storage.manage",
            },
            headers={"Accept": "application/json"},
        )
    )
    headers = {
        "Authorization": f"Bearer {token['access_token']}",
        "Accept": "application/json",  # the Ruby gem sends it even for audio; ignored
        "Content-Type": "application/json",
    }
    with httpx.Client(base_url=base, headers=headers, timeout=120) as api:
        container = cx_ok(
            api.post("/storage/containers", json={"name": "prompts", "unique": "false"})
        )
        text = "Thank you for calling. Press one for sales, or two for support."
        file = cx_ok(
            api.post(
                "/tts/texts",
                params={
                    "response_format": "file",
                    "response_container_sid": container["container_sid"],
                },
                json={"text": text, "format": None, "voice_sid": None},
            )
        )
        played = httpx.get(file["publish_uri"])  # what the call flow does: no credentials
        assert played.status_code == 200 and played.headers["content-type"] == "audio/mpeg"
        seconds, rate, channels = decode_clean(played.content, "mp3")
        assert (rate, channels) == (16_000, 1)
        assert seconds == pytest.approx(file["content_duration"], abs=0.03)
        assert 3.0 < seconds < 9.0  # twelve words
        # A player seeking inside the prompt.
        tail = httpx.get(file["publish_uri"], headers={"Range": "bytes=100-"})
        assert tail.status_code == 206 and tail.content == played.content[100:]
        api.delete(f"/storage/files/{file['file_sid']}")
        api.delete(f"/storage/containers/{container['container_sid']}")
