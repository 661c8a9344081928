"""Driving the Studio page as a person would: what to click, what to wait for, what it shows."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

__all__ = ["ARTIFACTS", "JOB_SECONDS", "StudioPage", "wait_until"]

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "studio"
# A guard against a hung job, not a performance expectation: nothing asserts how long it took.
JOB_SECONDS = 180


class StudioPage:
    def __init__(self, page: Any, url: str, test_name: str) -> None:
        self.page = page
        self.url = url
        self.name = re.sub(r"[^\w.-]+", "_", test_name)
        self.page_errors: list[str] = []
        self.csp_violations: list[str] = []
        self.shots = 0
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)

    def shot(self, label: str) -> Path:
        """A full-page screenshot, numbered in the order taken: tests/artifacts/studio/."""
        self.shots += 1
        path = ARTIFACTS / f"{self.name}-{self.shots:02d}-{label}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    # -- signing in -----------------------------------------------------------------------

    def open(self) -> None:
        self.page.goto(self.url + "/")
        self.page.wait_for_selector("#sign-in-form")

    def sign_in(self, key: str) -> None:
        self.open()
        self.page.fill("#api-key", key)
        self.page.click("#sign-in-form button[type=submit]")
        self.page.wait_for_selector("#studio-view:not([hidden])")
        self.page.wait_for_selector("#voice-list li.is-chosen")

    # -- the studio -----------------------------------------------------------------------

    def write_script(self, text: str) -> None:
        self.page.fill("#script-text", text)

    def choose_voice(self, alias: str) -> None:
        self.page.fill("#voice-search", alias)
        self.page.check(f"#voice-{alias}")
        self.page.wait_for_selector(f"#voice-list li.is-chosen[data-alias='{alias}']")

    def wait_for_job(self, box: str) -> Any:
        """The job box once it shows an outcome: a finished line, or a failure."""
        self.page.wait_for_selector(
            f"{box} .job-error, {box} p.job-text", timeout=JOB_SECONDS * 1000
        )
        return self.page.locator(box)

    def job_error(self, box: str) -> str | None:
        errors = self.page.locator(f"{box} .job-error")
        return errors.inner_text() if errors.count() else None

    def audio_duration(self, selector: str) -> float:
        """Let an <audio> load its metadata and answer its duration in seconds."""
        self.page.eval_on_selector(
            selector,
            # Only an element that has not started loading: load() would cut a playing one.
            "a => { if (a.readyState === 0 && a.paused) { a.preload = 'metadata'; a.load(); } }",
        )
        wait_until(
            self.page,
            "s => { const a = document.querySelector(s); return a && a.readyState >= 1 && "
            "Number.isFinite(a.duration) }",
            selector,
            JOB_SECONDS * 1000,
        )
        return float(self.page.eval_on_selector(selector, "audio => audio.duration"))

    def inked_fraction(self, canvas: str) -> float:
        """The share of a canvas's pixels something was drawn on."""
        return float(
            self.page.eval_on_selector(
                canvas,
                """c => {
                    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                    let inked = 0;
                    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) inked += 1;
                    return inked / (data.length / 4);
                }""",
            )
        )

    def horizontal_overflow(self) -> int:
        """How many CSS pixels the page is wider than the window (0: no sideways scrolling)."""
        return int(self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))

    def drop_files(self, selector: str, files: list[tuple[str, str, bytes]]) -> None:
        """Drop files on an element as a drag from the desktop would (a DataTransfer)."""
        payload = [{"name": n, "type": t, "data": list(b)} for n, t, b in files]
        transfer = self.page.evaluate_handle(
            """files => {
                const transfer = new DataTransfer();
                for (const f of files) {
                    transfer.items.add(new File([new Uint8Array(f.data)], f.name, {type: f.type}));
                }
                return transfer;
            }""",
            payload,
        )
        for event in ("dragenter", "dragover", "drop"):
            self.page.dispatch_event(selector, event, {"dataTransfer": transfer})


def wait_until(page: Any, predicate: str, arg: Any = None, timeout: float = 30_000) -> None:
    """Poll ``predicate`` (a JS function of ``arg``) until it is truthy, ``timeout`` in ms.

    Not Playwright's wait_for_function: when it has to poll, its injected script compiles the
    predicate with eval, which the Studio's Content-Security-Policy (rightly) refuses.
    page.evaluate goes through the DevTools protocol, which the policy does not govern.
    """
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(predicate, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout / 1000:.0f} s: {predicate}")
        page.wait_for_timeout(50)
