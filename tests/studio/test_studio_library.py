"""The library view in a browser: drop files in, watch them upload, browse, search, play, delete."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import numpy as np
import pytest

from castwright.audio import AudioBuffer
from castwright.audio.wav import encode_wav
from support.studio import JOB_SECONDS, StudioPage

pytestmark = pytest.mark.e2e


def tone_wav(seconds: float, rate: int = 22_050) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    return encode_wav(
        AudioBuffer((0.3 * np.sin(2 * np.pi * 440 * t))[np.newaxis, :].astype(np.float32), rate)
    )


def upload_state(studio: StudioPage, name: str) -> str:
    """The upload's final line: Ready (with its length) or Failed (with the reason)."""
    selector = f"#uploads li[data-upload='{name}'] .upload-state:is(.is-ok, .is-error)"
    studio.page.wait_for_selector(selector, timeout=JOB_SECONDS * 1000)
    return str(studio.page.locator(selector).inner_text())


def test_upload_browse_search_play_and_delete(studio: StudioPage, studio_server: Any) -> None:
    page = studio.page
    tag = uuid.uuid4().hex[:8]
    bed, broken, picked = f"bed-{tag}.wav", f"broken-{tag}.mp3", f"picked-{tag}.wav"
    studio.sign_in(studio_server.api_key)
    page.click("button[data-view='library']")
    page.wait_for_selector("#library-crumbs [aria-current]")

    # Dropped from the desktop: one good file, one that only pretends to be an MP3.
    studio.drop_files(
        "#dropzone",
        [(bed, "audio/wav", tone_wav(2.0)), (broken, "audio/mpeg", b"ID3 but no audio" * 64)],
    )
    assert upload_state(studio, bed) == "Ready · 2.0 s"
    assert page.get_attribute(f"#uploads li[data-upload='{bed}'] progress", "value") == "100"
    failed = upload_state(studio, broken)
    assert failed.startswith("Failed: ") and len(failed) > len("Failed: ") + 5
    # And through the file picker, as a keyboard user would.
    page.set_input_files(
        "#upload-input", files=[{"name": picked, "mimeType": "audio/wav", "buffer": tone_wav(1.0)}]
    )
    assert upload_state(studio, picked) == "Ready · 1.0 s"
    studio.shot("uploaded")

    row = page.locator(f"#library-rows tr[data-file='{bed}']")
    assert row.locator("td").nth(2).inner_text() == "2.0 s"
    broken_row = page.locator(f"#library-rows tr[data-file='{broken}']")
    assert broken_row.locator(".failed").inner_text().startswith("failed: ")

    # Search finds by name across the whole library.
    page.fill("#library-query", f"bed-{tag}")
    page.click("#library-search button[type=submit]")
    page.wait_for_selector("#library-status:has-text('1 file matches')")
    assert page.locator("#library-rows tr").count() == 1

    # Play: the player and the file's waveform, measured by the server.
    page.click(f"#library-rows tr[data-file='{bed}'] button:has-text('Play')")
    page.wait_for_selector("#file-summary:has-text('Hz')", timeout=JOB_SECONDS * 1000)
    summary = page.locator("#file-summary").inner_text()
    assert summary.startswith("2.0 s · 22050 Hz · 1 ch")
    assert studio.inked_fraction("#file-waveform") > 0.2  # a steady tone fills the plot
    studio.shot("playing")

    # Delete, confirming the browser's question.
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(f"#library-rows tr[data-file='{bed}'] button:has-text('Delete')")
    page.wait_for_selector(f"#library-status:has-text('Deleted {bed}')")
    assert page.locator(f"#library-rows tr[data-file='{bed}']").count() == 0
    found = httpx.get(
        f"{studio_server.url}/content/file/search",
        params={"name": bed},
        headers={"x-api-key": studio_server.api_key},
    ).json()["data"]["items"]
    assert found == []


def test_folders_are_browsed_with_breadcrumbs(studio: StudioPage, studio_server: Any) -> None:
    name = f"ads-{uuid.uuid4().hex[:8]}"
    with httpx.Client(
        base_url=studio_server.url, headers={"x-api-key": studio_server.api_key}
    ) as client:
        folder = client.post("/folders", json={"folder_name": name}).json()
        inside = client.post(
            "/files", json={"file_name": "spot.wav", "folder_id": folder["folderId"]}
        ).json()
        assert httpx.put(inside["uploadUrl"], content=tone_wav(0.5)).status_code == 200

    page = studio.page
    studio.sign_in(studio_server.api_key)
    page.click("button[data-view='library']")
    page.click(f"#library-rows tr[data-folder='{name}'] button")
    page.wait_for_selector(f"#library-crumbs [aria-current]:has-text('{name}')")
    page.wait_for_selector("#library-rows tr[data-file='spot.wav']")
    studio.shot("folder")
    page.click("#library-crumbs button:has-text('Library')")
    page.wait_for_selector(f"#library-rows tr[data-folder='{name}']")
