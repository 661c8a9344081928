"""Mixes and encodes over HTTP: create, wait when the server answers 202, upload source audio."""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from support.api_checks import POLL_LIMIT_SECONDS, ok
from support.library import poll_v4

__all__ = ["download", "encode", "finish", "mp3_tone", "produce", "tone", "upload"]


def finish(client: httpx.Client, response: httpx.Response, path: str, key: str) -> Any:
    """The finished object of a create that answered 200, or 202 and then (polled) 200."""
    if response.status_code != 202:
        return ok(response)
    pending = ok(response, 202)
    ident = pending[key]
    deadline = time.monotonic() + POLL_LIMIT_SECONDS
    while True:
        assert pending[key] == ident and pending["status"] in ("queued", "in_progress"), pending
        assert time.monotonic() < deadline, f"{path}/{ident} still running after the poll limit"
        time.sleep(0.05)
        polled = client.get(f"{path}/{ident}")
        if polled.status_code != 202:
            return ok(polled)
        pending = ok(polled, 202)


def produce(
    client: httpx.Client,
    body: dict[str, Any],
    route: str = "/production/mix",
    poll_path: str = "/production/mix",
) -> dict[str, Any]:
    """POST a mix and return the finished production."""
    data: dict[str, Any] = finish(client, client.post(route, json=body), poll_path, "productionId")
    assert data["status"] == "completed", data
    return data


def encode(client: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    """POST an encode and return the finished encoding."""
    response = client.post("/delivery/encoder", json=body)
    data: dict[str, Any] = finish(client, response, "/delivery/encoder", "encoderId")
    assert data["status"] == "completed", data
    return data


def tone(frequency: float, seconds: float, channels: int = 2, rate: int = 44100) -> bytes:
    """A sine tone at half scale as a 16-bit WAV, made by sox."""
    with tempfile.TemporaryDirectory(prefix="tone-") as folder:
        path = Path(folder) / "tone.wav"
        command = ["sox", "-n", "-r", str(rate), "-c", str(channels), "-b", "16", str(path)]
        command += ["synth", f"{seconds}", "sine", f"{frequency}", "vol", "0.5"]
        subprocess.run(command, check=True, capture_output=True)
        return path.read_bytes()


def mp3_tone(frequency: float, seconds: float) -> bytes:
    with tempfile.TemporaryDirectory(prefix="tone-") as folder:
        path = Path(folder) / "tone.mp3"
        source = f"sine=frequency={frequency}:duration={seconds}:sample_rate=44100"
        command = ["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", source, str(path)]
        subprocess.run(command, check=True, capture_output=True)
        return path.read_bytes()


def upload(client: httpx.Client, name: str, content: bytes) -> str:
    """POST /files and PUT the bytes, as the SDK does; the ready file's id."""
    response = client.post("/files", json={"file_name": name})
    assert response.status_code == 200, response.text
    created = response.json()
    put = httpx.put(
        created["uploadUrl"], content=content, headers={"Content-Type": created["mimeType"]}
    )
    assert put.status_code == 200, put.text
    file = poll_v4(client, created["fileId"])
    assert file["status"] == "uploaded", file
    return str(created["fileId"])


def download(url: str, path: Path) -> Path:
    """Fetch a signed URL with no credentials."""
    response = httpx.get(url, timeout=60)
    assert response.status_code == 200, f"GET {url}: {response.status_code}"
    path.write_bytes(response.content)
    return path
