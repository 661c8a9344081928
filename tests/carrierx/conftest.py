"""Fixtures for the CarrierX face: clients on the shared deployment, containers that clean up
after themselves, and a second server with tight settings (lifecycle every 0.2 s, three
containers per partner, small uploads, its own publish domain, one synthesis slot)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.carrierx import (
    TIGHT_CONTAINERS,
    TIGHT_DOMAIN,
    TIGHT_MAX_UPLOAD,
    delete_container,
    new_container,
)
from support.databases import postgres_available, postgres_schema_url
from support.live_server import LiveServer


@pytest.fixture(scope="session")
def cx(deployment: Any) -> Iterator[httpx.Client]:
    """A client of /core/v2 with the deployment's API key as a Bearer token (every scope)."""
    with httpx.Client(
        base_url=f"{deployment.url}/core/v2",
        headers={"Authorization": f"Bearer {deployment.api_key}"},
        timeout=120,
    ) as http:
        yield http


@pytest.fixture
def anon(deployment: Any) -> Iterator[httpx.Client]:
    """No credentials at all (published files, OAuth)."""
    with httpx.Client(base_url=deployment.url, timeout=120) as http:
        yield http


@pytest.fixture
def container(cx: httpx.Client) -> Iterator[dict[str, Any]]:
    made = new_container(cx)
    yield made
    delete_container(cx, made["container_sid"])


@dataclass
class TightServer:
    server: LiveServer
    api_key: str
    backend: str

    @property
    def url(self) -> str:
        return self.server.url

    def client(self) -> httpx.Client:
        return httpx.Client(
            base_url=f"{self.url}/core/v2",
            headers={"Authorization": f"Bearer {self.api_key}"},
            timeout=120,
        )


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def tight(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TightServer]:
    with ExitStack() as stack:
        database_url = ""
        if request.param == "postgresql":
            reason = postgres_available()
            if reason:
                pytest.skip(reason)
            database_url = stack.enter_context(postgres_schema_url())
        data_dir: Path = tmp_path_factory.mktemp(f"carrierx-tight-{request.param}")
        server = LiveServer(
            data_dir,
            database_url,
            workers=1,
            extra_env={
                "CASTWRIGHT_CARRIERX__LIFECYCLE_INTERVAL_SECONDS": "0.2",
                "CASTWRIGHT_CARRIERX__MAX_CONTAINERS_PER_PARTNER": str(TIGHT_CONTAINERS),
                "CASTWRIGHT_CARRIERX__PUBLISH_DOMAIN": TIGHT_DOMAIN,
                "CASTWRIGHT_STORAGE__MAX_UPLOAD_BYTES": str(TIGHT_MAX_UPLOAD),
                "CASTWRIGHT_STREAMING__MAX_STREAMS": "1",
                "CASTWRIGHT_STREAMING__RETRY_AFTER_SECONDS": "3",
            },
        )
        key = server.create_key("tight")
        server.start()
        stack.callback(server.stop)
        yield TightServer(server, key, request.param)
