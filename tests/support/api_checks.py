"""Checks every HTTP API test makes: the AudioStack envelope, error bodies, polling, WAVs."""

from __future__ import annotations

import time
from typing import Any

import httpx

from support.audio import WavInfo, analyse_wav

__all__ = [
    "POLL_LIMIT_SECONDS",
    "error_of",
    "fetch_wav",
    "ok",
    "poll",
    "render",
]

# A guard against a hung job, not a performance expectation: nothing asserts how long it took.
POLL_LIMIT_SECONDS = 120.0

_META_KEYS = {"version", "requestId", "creditsUsed", "creditsRemaining"}


def ok(response: httpx.Response, status: int = 200) -> Any:
    """The ``data`` of a success envelope, after checking the envelope and its headers."""
    assert response.status_code == status, (
        f"{response.request.method} {response.request.url.path}: expected {status}, "
        f"got {response.status_code}: {response.text[:500]}"
    )
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert {"message", "warnings", "errors", "meta", "data"} <= set(body), body
    assert isinstance(body["message"], str)
    assert isinstance(body["warnings"], list)
    assert body["errors"] == []
    meta = body["meta"]
    assert set(meta) >= _META_KEYS, meta
    assert isinstance(meta["version"], str) and meta["version"]
    assert isinstance(meta["creditsUsed"], int | float)
    assert isinstance(meta["creditsRemaining"], int | float)
    assert meta["requestId"] and response.headers["x-request-id"] == meta["requestId"]
    return body["data"]


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    """The AudioStack error body {message, errors[str]} of a 4xx, checked."""
    assert response.status_code == status, (
        f"{response.request.method} {response.request.url.path}: expected {status}, "
        f"got {response.status_code}: {response.text[:500]}"
    )
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert isinstance(body.get("message"), str) and body["message"], body
    errors = body.get("errors")
    assert isinstance(errors, list) and errors, body
    assert all(isinstance(e, str) and e for e in errors), body
    assert response.headers.get("x-request-id"), "every response carries x-request-id"
    return body


def poll(client: httpx.Client, path: str, **params: Any) -> Any:
    """GET ``path`` while it answers 202 (each 202 must carry the id and a status)."""
    deadline = time.monotonic() + POLL_LIMIT_SECONDS
    while True:
        response = client.get(path, params=params)
        if response.status_code != 202:
            return ok(response)
        pending = ok(response, 202)
        assert pending["speechId"] and pending["status"] in ("queued", "in_progress"), pending
        assert time.monotonic() < deadline, f"{path} still rendering after the poll limit"
        time.sleep(0.05)


def render(client: httpx.Client, body: dict[str, Any], route: str = "/speech/tts") -> Any:
    """POST a TTS request and return the finished speech (polling when the server says 202)."""
    response = client.post(route, json=body)
    if response.status_code == 202:
        speech_id = ok(response, 202)["speechId"]
        poll_path = "/speech/tts/section" if body.get("sectionToProduce") else "/speech/tts"
        return poll(client, f"{poll_path}/{speech_id}")
    return ok(response)


def fetch_wav(url: str, headers: dict[str, str] | None = None) -> tuple[bytes, WavInfo]:
    """Download a WAV by URL (no API key unless given) and measure it."""
    response = httpx.get(url, headers=headers, timeout=60)
    assert response.status_code == 200, f"GET {url}: {response.status_code} {response.text[:300]}"
    assert response.headers["content-type"] == "audio/wav"
    return response.content, analyse_wav(response.content)
