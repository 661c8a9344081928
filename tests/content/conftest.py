"""Fixtures for content tests: the official SDK pointed at the live server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import audiostack
import pytest


@pytest.fixture
def sdk(deployment: Any) -> Iterator[None]:
    saved = audiostack.api_base, audiostack.api_key
    audiostack.api_base, audiostack.api_key = deployment.url, deployment.api_key
    try:
        yield
    finally:
        audiostack.api_base, audiostack.api_key = saved
