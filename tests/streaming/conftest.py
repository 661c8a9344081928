"""Fixtures for the streaming faces: OpenAI clients on the shared deployment, and a narrow
server (one synthesis slot, a per-key limit, Wyoming on, MaryTTS open) for back-pressure."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import openai
import pytest

from support.databases import postgres_available, postgres_schema_url
from support.live_server import LiveServer, free_port
from support.streaming import KEY_STREAMS_PER_MINUTE, NarrowServer


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def narrow(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[NarrowServer]:
    with ExitStack() as stack:
        database_url = ""
        if request.param == "postgresql":
            reason = postgres_available()
            if reason:
                pytest.skip(reason)
            database_url = stack.enter_context(postgres_schema_url())
        data_dir: Path = tmp_path_factory.mktemp(f"narrow-{request.param}")
        wyoming_port = free_port()
        server = LiveServer(
            data_dir,
            database_url,
            workers=1,
            extra_env={
                "CASTWRIGHT_STREAMING__MAX_STREAMS": "1",
                "CASTWRIGHT_STREAMING__RETRY_AFTER_SECONDS": "3",
                "CASTWRIGHT_STREAMING__REQUESTS_PER_MINUTE_PER_KEY": str(KEY_STREAMS_PER_MINUTE),
                "CASTWRIGHT_WYOMING__PORT": str(wyoming_port),
                "CASTWRIGHT_MARYTTS__OPEN": "true",
            },
        )
        server.create_key()
        server.start()
        stack.callback(server.stop)
        yield NarrowServer(server, wyoming_port, request.param)


@pytest.fixture(scope="session")
def speech_client(deployment: Any) -> openai.OpenAI:
    """The official SDK pointed at the shared deployment's OpenAI face."""
    return openai.OpenAI(
        base_url=f"{deployment.url}/v1", api_key=deployment.api_key, max_retries=0, timeout=120
    )
