"""The page itself: how it is served (policy, caching, compression), and that everyone can use it
(keyboard, labels, a laptop screen). First paint and page weight are measured and recorded in
tests/artifacts/studio/metrics.json; the weight has a budget, the time is only reported."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest

from support.studio import ARTIFACTS, StudioPage, wait_until

WEIGHT_BUDGET_BYTES = 60_000  # everything the first visit transfers, compressed


class _Markup(HTMLParser):
    """What index.html asks the browser to load, and anything inline it should not have."""

    def __init__(self) -> None:
        super().__init__()
        self.references: list[str] = []
        self.inline: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name in ("src", "href"):
            value = found.get(name) or ""
            if value.startswith("/studio/"):
                self.references.append(value)
        self.inline += [f"<{tag} {name}>" for name, _ in attrs if name == "style"]
        self.inline += [f"<{tag} {name}>" for name, _ in attrs if name.startswith("on")]
        if tag == "script" and not found.get("src"):
            self.inline.append("<script> without src")
        self._in_script = tag == "script"

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline.append(f"inline script: {data.strip()[:40]}")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False


def test_the_page_is_served_with_a_strict_policy(studio_server: Any) -> None:
    page = httpx.get(studio_server.url + "/")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in page.headers["content-security-policy"].split(";")
    )
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["base-uri"] == "'none'"
    assert "unsafe" not in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "no-referrer"

    markup = _Markup()
    markup.feed(page.text)
    assert markup.inline == []
    assert (
        "/studio/js/main.js" in markup.references and "/studio/css/studio.css" in markup.references
    )


def test_every_file_the_page_needs_is_there(studio_server: Any) -> None:
    markup = _Markup()
    markup.feed(httpx.get(studio_server.url + "/").text)
    wanted = set(markup.references)
    seen: set[str] = set()
    while wanted - seen:
        path = sorted(wanted - seen)[0]
        seen.add(path)
        response = httpx.get(studio_server.url + path)
        assert response.status_code == 200, path
        assert "content-security-policy" in response.headers
        if path.endswith(".js"):
            assert response.headers["content-type"] == "text/javascript; charset=utf-8"
            # Module imports are relative: follow them, so a missing module fails here.
            for module in re.findall(r'from "\./([\w-]+\.js)"', response.text):
                wanted.add(path.rsplit("/", 1)[0] + "/" + module)
            # Server strings go in as text: no markup sinks anywhere in the scripts.
            assert not re.search(
                r"\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write", response.text
            ), path
    assert len([p for p in seen if p.endswith(".js")]) >= 10


def test_files_are_compressed_and_revalidated(studio_server: Any) -> None:
    url = studio_server.url + "/studio/js/editor.js"
    plain = httpx.get(url, headers={"accept-encoding": "identity"})
    packed = httpx.get(url, headers={"accept-encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip"
    assert int(packed.headers["content-length"]) < len(plain.content) / 2
    assert packed.content == plain.content  # httpx undid the gzip: the same file
    assert plain.headers["cache-control"] == "no-cache"
    again = httpx.get(url, headers={"if-none-match": plain.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


@pytest.mark.parametrize("path", ["/studio/nothing.js", "/studio/%2e%2e/app.py", "/studio/"])
def test_only_the_studio_files_are_served(studio_server: Any, path: str) -> None:
    response = httpx.get(studio_server.url + path)
    assert response.status_code == 404
    body = response.json()
    assert body["message"] and body["errors"]


# -- in the browser ------------------------------------------------------------------------


def test_first_paint_and_page_weight(studio: StudioPage) -> None:
    page = studio.page
    page.goto(studio.url + "/", wait_until="load")
    wait_until(page, "() => performance.getEntriesByName('first-contentful-paint').length > 0")
    figures = page.evaluate(
        """() => {
            const paint = performance.getEntriesByName('first-contentful-paint')[0];
            const nav = performance.getEntriesByType('navigation')[0];
            const resources = performance.getEntriesByType('resource');
            const all = [nav, ...resources];
            return {
                firstContentfulPaintMs: Math.round(paint.startTime),
                domContentLoadedMs: Math.round(nav.domContentLoadedEventEnd),
                requests: all.length,
                transferredBytes: all.reduce((sum, e) => sum + e.transferSize, 0),
                decodedBytes: all.reduce((sum, e) => sum + e.decodedBodySize, 0),
            };
        }"""
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "metrics.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(f"studio page: {figures}")  # shown with -s; the file keeps it
    assert figures["requests"] >= 14  # the page, its styles, icon and every module
    assert 0 < figures["transferredBytes"] < WEIGHT_BUDGET_BYTES
    assert figures["decodedBytes"] > figures["transferredBytes"]  # compressed on the wire


def test_keyboard_only(studio: StudioPage, studio_server: Any) -> None:
    page = studio.page
    studio.open()
    # Signed out, the key field has the focus: type and press Enter.
    assert page.evaluate("document.activeElement.id") == "api-key"
    page.keyboard.type(studio_server.api_key)
    page.keyboard.press("Enter")
    page.wait_for_selector("#voice-list li.is-chosen")
    chosen = page.get_attribute("#voice-list li.is-chosen", "data-alias")
    page.focus("#voice-list input:checked")
    page.keyboard.press("ArrowDown")
    wait_until(
        page, "a => document.querySelector('#voice-list li.is-chosen').dataset.alias !== a", chosen
    )
    # The focused control shows it: a visible ring, not the browser's default nothing.
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert ring == "solid"
    # Tab reaches the sample button of the same voice.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith(
        "Play a sample of"
    )
    studio.shot("keyboard")


def test_every_control_has_a_name(studio: StudioPage, studio_server: Any) -> None:
    studio.sign_in(studio_server.api_key)
    for view in ("studio", "library"):
        studio.page.click(f"button[data-view='{view}']")
        nameless = studio.page.evaluate(
            """() => [...document.querySelectorAll('input, select, textarea, button, a[href]')]
                .filter(c => c.offsetParent !== null || c.type === 'file')
                .filter(c => {
                    const label = c.labels && [...c.labels].some(l => l.textContent.trim());
                    const named = (c.getAttribute('aria-label') || '').trim();
                    const text = ['BUTTON', 'A'].includes(c.tagName) && c.textContent.trim();
                    return !(label || named || text);
                })
                .map(c => c.outerHTML.slice(0, 80))"""
        )
        assert nameless == [], f"{view}: {nameless}"


@pytest.mark.parametrize("width,height", [(1280, 720), (1024, 640)])
def test_fits_a_laptop_screen(
    studio: StudioPage, studio_server: Any, width: int, height: int
) -> None:
    studio.page.set_viewport_size({"width": width, "height": height})
    studio.sign_in(studio_server.api_key)
    assert studio.horizontal_overflow() == 0
    studio.shot(f"studio-{width}")
    studio.page.click("button[data-view='library']")
    assert studio.horizontal_overflow() == 0
    studio.shot(f"library-{width}")
