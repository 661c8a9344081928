"""Fixtures for the HTTP API tests: one client per backend, and what is worth rendering once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from support.api_checks import ok, render

GREETING = (
    "<as:section name='intro'>Hello <as:placeholder id='name'>friend</as:placeholder>!"
    "</as:section><as:section name='main'>Our store opens at nine.</as:section>"
)


@pytest.fixture(scope="session")
def api(deployment: Any) -> Iterator[httpx.Client]:
    """A keyed client shared by the session-wide fixtures of one backend."""
    with httpx.Client(
        base_url=deployment.url, headers={"x-api-key": deployment.api_key}, timeout=60
    ) as http:
        yield http


@pytest.fixture(scope="session")
def greeting(api: httpx.Client) -> dict[str, Any]:
    """Two sections, one placeholder with a default: the script most tests render."""
    data: dict[str, Any] = ok(api.post("/content/script", json={"scriptText": GREETING}))
    return data


@pytest.fixture(scope="session")
def greeting_speech(api: httpx.Client, greeting: dict[str, Any]) -> dict[str, Any]:
    """The greeting rendered once with isaac, as the SDK sends it."""
    body = {"scriptId": greeting["scriptId"], "voice": "isaac", "speed": 1.0, "sync": True}
    data: dict[str, Any] = render(api, body)
    return data


@pytest.fixture
def anon(deployment: Any) -> Iterator[httpx.Client]:
    """No credentials at all; absolute URLs (asset links, samples) work with it too."""
    with httpx.Client(base_url=deployment.url, timeout=60) as http:
        yield http
