"""Suite-wide fixtures: a live server per database backend, and clients for it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from support.databases import postgres_available, postgres_schema_url
from support.live_server import LiveServer


@dataclass
class Deployment:
    server: LiveServer
    api_key: str
    backend: str

    @property
    def url(self) -> str:
        return self.server.url


def _database_url(stack: ExitStack, backend: str) -> str:
    if backend == "sqlite":
        return ""
    reason = postgres_available()
    if reason:
        pytest.skip(reason)
    return stack.enter_context(postgres_schema_url())


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def deployment(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    """One running server per backend, shared by the API and end-to-end tests."""
    with ExitStack() as stack:
        url = _database_url(stack, request.param)
        data_dir: Path = tmp_path_factory.mktemp(f"server-{request.param}")
        server = LiveServer(data_dir, url)
        key = server.create_key()
        server.start()
        stack.callback(server.stop)
        yield Deployment(server, key, request.param)


@pytest.fixture
def client(deployment: Deployment) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=deployment.url, headers={"x-api-key": deployment.api_key}, timeout=60
    ) as http:
        yield http
