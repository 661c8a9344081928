"""The Studio in headless Chromium: Debian's `chromium` driven by Playwright, no browser download.

One live server on SQLite serves every browser test (the page is a client of the same API the
API tests cover on both databases). Screenshots and downloads land in tests/artifacts/studio/.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from support.live_server import LiveServer
from support.studio import ARTIFACTS, StudioPage

CHROMIUM = Path("/usr/bin/chromium")


def _missing_browser() -> str | None:
    if not CHROMIUM.exists():
        return "Debian's chromium is not installed (as root: apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (.venv/bin/pip install -e '.[dev]')"
    return None


@dataclass
class StudioServer:
    server: LiveServer
    api_key: str

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture(scope="session")
def studio_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StudioServer]:
    server = LiveServer(tmp_path_factory.mktemp("studio-server"))
    key = server.create_key("studio")
    server.start()
    try:
        yield StudioServer(server, key)
    finally:
        server.stop()


# Per module, not per session: while sync_playwright is open, the main thread has a running
# event loop, and any later test that calls asyncio.run would fail.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    reason = _missing_browser()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def studio(
    browser: Any, studio_server: StudioServer, request: pytest.FixtureRequest
) -> Iterator[StudioPage]:
    """A fresh browser context (empty session storage) on a laptop-sized window."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page = context.new_page()
    studio = StudioPage(page, studio_server.url, request.node.name)
    try:
        yield studio
        studio.shot("end")
        # Nothing the page did may throw, and the policy must never have had to block anything.
        assert studio.page_errors == [], studio.page_errors
        assert studio.csp_violations == [], studio.csp_violations
    finally:
        context.close()
