"""The whole Studio flow in a browser: script to downloaded MP3, and what goes wrong on the way.

Each step is what a person does on the page; each check is what they would see or hear:
the sections play for as long as the server says, the plots are drawn from the mix's own
analysis, and the MP3 that lands on disk decodes to the mix's length.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest

from castwright.audio.decode import decode
from support.media import probe
from support.studio import ARTIFACTS, JOB_SECONDS, StudioPage, wait_until

pytestmark = pytest.mark.e2e

SCRIPT = (
    '<as:section name="intro" soundsegment="intro">Hello <as:placeholder id="name">friend'
    "</as:placeholder>, this is Castwright.</as:section>\n"
    '<as:section name="main" soundsegment="main">Our studio opens at nine.'
    '<as:break time="300ms"/> See you there.</as:section>'
)


def route_exists(server: Any, method: str, path: str, body: dict[str, Any]) -> bool:
    """Whether this server has a route (the Studio degrades without predict and diction)."""
    response = httpx.request(
        method, server.url + path, json=body, headers={"x-api-key": server.api_key}, timeout=120
    )
    return not (response.status_code == 404 and response.json()["message"].startswith("No route"))


def test_script_to_downloaded_mp3(studio: StudioPage, studio_server: Any) -> None:
    page = studio.page
    studio.sign_in(studio_server.api_key)
    studio.shot("signed-in")

    # 1. The script, highlighted as typed.
    studio.write_script(SCRIPT)
    assert page.locator("#script-highlight .tok-section").count() >= 4  # open and close x2
    assert page.locator("#script-highlight .tok-placeholder-text").inner_text() == "friend"

    # 2. A voice from the filtered list, and its sample.
    studio.choose_voice("sara")
    assert page.locator("#voice-count").inner_text().startswith("1 of ")
    page.click("#voice-list li[data-alias='sara'] button")
    assert studio.audio_duration("#voice-sample-player") > 1.0

    # The predicted length follows the text (or the page says prediction is not there).
    if route_exists(studio_server, "POST", "/speech/predict", {"text": "Hi.", "voice": "sara"}):
        page.wait_for_selector("#predicted strong", timeout=JOB_SECONDS * 1000)
        before = page.locator("#predicted strong").inner_text()
        page.type("#script-text", " And one more sentence to make it longer.")
        wait_until(
            page,
            "b => { const s = document.querySelector('#predicted strong'); "
            "return s && s.textContent !== b }",
            before,
            JOB_SECONDS * 1000,
        )
    else:
        page.wait_for_selector("#predicted:has-text('not available')")

    # 3. A pronunciation, heard through the preview (when the server has dictionaries).
    if route_exists(studio_server, "GET", "/speech/diction/custom", {}):
        page.fill("#diction-word", "Castwright")
        page.fill("#diction-replacement", "cast right")
        page.click("#diction-form button[type=submit]")
        page.wait_for_selector("#diction-words li:has-text('Castwright')")
        page.wait_for_selector("#diction-status:has-text('Playing')", timeout=60_000)
    else:
        page.wait_for_selector("#diction-status:has-text('not available')")
    studio.shot("voice-and-pronunciation")

    # 4. Speech: the placeholder gets a value; each section plays.
    page.fill("#audience-name", "Ada")
    page.click("#render-speech")
    studio.wait_for_job("#speech-job")
    assert studio.job_error("#speech-job") is None
    sections = page.locator("#speech-sections li")
    assert [sections.nth(i).get_attribute("data-section") for i in range(2)] == ["intro", "main"]
    assert page.locator("#saved-state").inner_text().startswith("Saved")
    for i in range(2):
        shown = sections.nth(i).locator(".meta").inner_text()
        listed = float(re.match(r"([\d.]+) s", shown).group(1))
        played = studio.audio_duration(f"#speech-sections li:nth-child({i + 1}) audio")
        assert played == pytest.approx(listed, abs=0.06)
        assert "sara" in shown
    studio.shot("speech")

    # 5. Mix over the first sound template, mastered to the balanced preset (-16 LUFS).
    template = page.locator("#mix-template option").nth(1).get_attribute("value")
    page.select_option("#mix-template", template)
    page.select_option("#mix-preset", "balanced")
    page.click("#render-mix")
    studio.wait_for_job("#mix-job")
    assert studio.job_error("#mix-job") is None
    page.wait_for_selector("#loudness-summary:has-text('LUFS')", timeout=JOB_SECONDS * 1000)
    summary = page.locator("#loudness-summary").inner_text()
    integrated = float(re.search(r"Integrated (-?[\d.]+) LUFS", summary).group(1))
    assert integrated == pytest.approx(-16.0, abs=1.0) and "on target" in summary
    assert studio.inked_fraction("#waveform") > 0.05
    assert studio.inked_fraction("#loudness") > 0.02
    assert "target is -16 LUFS" in page.get_attribute("#loudness", "aria-label")
    mix_seconds = studio.audio_duration("#mix-player")
    assert mix_seconds > 3.0
    studio.shot("mix")

    # 6. Encode as MP3 and download it.
    page.select_option("#encode-preset", "mp3")
    page.click("#encode")
    studio.wait_for_job("#encode-job")
    assert studio.job_error("#encode-job") is None
    with page.expect_download(timeout=JOB_SECONDS * 1000) as info:
        page.click("#downloads a")
    target = ARTIFACTS / f"{studio.name}-{info.value.suggested_filename}"
    info.value.save_as(target)
    studio.shot("delivered")

    found = probe(target)
    assert (found.codec, found.sample_rate, found.channels) == ("mp3", 44_100, 2)
    audio = decode(target)
    assert audio.duration == pytest.approx(mix_seconds, abs=0.1)
    assert float(abs(audio.samples).max()) > 0.1  # the speech and the music are in it


def test_a_bad_key_is_refused_with_the_reason(studio: StudioPage) -> None:
    studio.open()
    studio.page.fill("#api-key", "cw_not-a-real-key")
    studio.page.keyboard.press("Enter")
    studio.page.wait_for_selector("#sign-in-error:has-text('not accepted')")
    message = studio.page.locator("#sign-in-error").inner_text()
    assert "key" in message.lower()
    assert studio.page.get_attribute("#api-key", "aria-invalid") == "true"
    assert studio.page.locator("#studio-view").is_hidden()
    assert studio.page.evaluate("sessionStorage.getItem('castwright.apiKey')") is None
    studio.shot("refused")


def test_a_malformed_script_is_marked_where_the_parser_says(
    studio: StudioPage, studio_server: Any
) -> None:
    page = studio.page
    studio.sign_in(studio_server.api_key)
    nested = '<as:section name="a">Hi <as:section name="b">there</as:section></as:section>'
    studio.write_script(nested)
    if route_exists(studio_server, "POST", "/speech/predict", {"text": "Hi.", "voice": "isaac"}):
        # While typing: the length prediction parses the markup and says where it is wrong.
        page.wait_for_selector("#predicted:has-text('fix the script')", timeout=JOB_SECONDS * 1000)
        assert "offset 24" in page.locator("#script-errors li").first.inner_text()
    page.click("#save-script")
    page.wait_for_selector("#saved-state:has-text('errors')")
    error = page.locator("#script-errors li").first.inner_text()
    assert "Line 1, column 25" in error and "nested" in error
    # The offending tag is underlined in place...
    assert page.locator("#script-highlight .tok-error").first.inner_text().startswith("<as:section")
    marked = "".join(page.locator("#script-highlight .tok-error").all_inner_texts())
    assert marked == '<as:section name="b">'
    assert page.get_attribute("#script-text", "aria-invalid") == "true"
    assert "errors" in page.locator("#saved-state").inner_text()
    # ...and "Show" puts the caret on it.
    page.click("#script-errors li button")
    selection = page.eval_on_selector("#script-text", "t => [t.selectionStart, t.selectionEnd]")
    assert selection == [24, 24 + len('<as:section name="b">')]
    studio.shot("marked")

    # Fixing it clears the marks, and the script saves.
    studio.write_script('<as:section name="a">Hi there.</as:section>')
    page.click("#save-script")
    page.wait_for_selector("#saved-state:has-text('Saved')")
    assert page.locator("#script-errors li").count() == 0


def test_failed_renders_show_their_reason(studio: StudioPage, studio_server: Any) -> None:
    page = studio.page
    studio.sign_in(studio_server.api_key)

    # A placeholder with no default and no value: refused before any job, with the reason.
    studio.write_script(
        '<as:section name="a">Hello <as:placeholder id="who"></as:placeholder>.</as:section>'
    )
    page.click("#render-speech")
    studio.wait_for_job("#speech-job")
    failure = studio.job_error("#speech-job")
    assert failure and "Rendering speech failed" in failure and "who" in failure
    studio.shot("speech-refused")

    # A mix job that fails while running: its media tag points at a text file.
    notes = f"notes-{uuid.uuid4().hex[:8]}.txt"
    page.click("button[data-view='library']")
    studio.drop_files("#dropzone", [(notes, "text/plain", b"these are notes, not audio\n")])
    page.wait_for_selector(f"#uploads li[data-upload='{notes}'] .is-ok")
    page.click("button[data-view='studio']")
    studio.write_script(
        '<as:section name="a">Here is the jingle <as:media id="jingle" name="jingle"/> '
        "and that was it.</as:section>"
    )
    option = page.locator("#media-jingle option", has_text=notes)
    option.wait_for(state="attached")
    page.select_option("#media-jingle", option.get_attribute("value"))
    page.click("#render-mix")
    studio.wait_for_job("#mix-job")
    failure = studio.job_error("#mix-job")
    assert failure and "Mixing failed" in failure and "not a readable media file" in failure
    assert page.locator("#mix-result").is_hidden()
    studio.shot("mix-failed")
