"""Reduce and remove_padding over HTTP: new speeches whose WAVs are measured."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from support.api_checks import error_of, fetch_wav, ok, render
from support.audio import leading_silence, trailing_silence
from support.orgs import fresh_org_client

SCRIPT = (
    "<as:section name='intro'>Good morning. <as:break time='1.5s'/> Here is the news.</as:section>"
    "<as:section name='main'>The library reopens on Monday, <as:break time='1s'/> with longer "
    "hours and a new reading room.</as:section>"
)


@pytest.fixture
def org(deployment: Any) -> Iterator[httpx.Client]:
    with fresh_org_client(deployment) as http:
        yield http


@pytest.fixture
def speech(org: httpx.Client) -> dict[str, Any]:
    script = ok(org.post("/content/script", json={"scriptText": SCRIPT}))
    data: dict[str, Any] = render(
        org, {"scriptId": script["scriptId"], "voice": "isaac", "silencePadding": "2s"}
    )
    return data


def durations(speech: dict[str, Any]) -> list[float]:
    return [fetch_wav(s["url"])[1].duration for s in speech["sections"]]


def test_reduce_by_shortening_pauses(org: httpx.Client, speech: dict[str, Any]) -> None:
    before = sum(durations(speech))
    target = before - 2.0  # the breaks and padding hold more than that
    response = org.post(
        "/speech/tts/reduce", json={"speechId": speech["speechId"], "targetLength": str(target)}
    )
    reduced = ok(response)
    assert reduced["speechId"] != speech["speechId"]
    assert sum(durations(reduced)) == pytest.approx(target, abs=0.05)
    assert response.json()["warnings"] == []
    # The original is kept as it was.
    original = ok(org.get(f"/speech/tts/{speech['speechId']}"))
    assert sum(durations(original)) == pytest.approx(before, abs=0.01)


def test_reduce_speeds_up_when_pauses_are_not_enough(
    org: httpx.Client, speech: dict[str, Any]
) -> None:
    before = sum(durations(speech))
    target = before / 1.4
    reduced = ok(
        org.post(
            "/speech/tts/reduce", json={"speechId": speech["speechId"], "targetLength": target}
        )
    )
    info = [fetch_wav(s["url"])[1] for s in reduced["sections"]]
    assert sum(i.duration for i in info) == pytest.approx(target, rel=0.01)
    assert all(i.rms_dbfs > -35 and i.peak <= 1.0 for i in info)


def test_reduce_never_goes_past_one_and_a_half_times(
    org: httpx.Client, speech: dict[str, Any]
) -> None:
    before = sum(durations(speech))
    response = org.post(
        "/speech/tts/reduce", json={"speechId": speech["speechId"], "targetLength": before / 3}
    )
    reduced = ok(response)
    assert sum(durations(reduced)) == pytest.approx(before / 1.5, rel=0.01)
    assert any("1.5" in w for w in response.json()["warnings"])


def test_reduce_one_section(org: httpx.Client, speech: dict[str, Any]) -> None:
    intro, _ = speech["sections"]
    intro_length, main_length = durations(speech)
    reduced = ok(
        org.post(
            "/speech/tts/reduce",
            json={
                "speechId": speech["speechId"],
                "targetLength": intro_length - 1.0,
                "sectionId": intro["sectionId"],
            },
        )
    )
    new_intro, new_main = durations(reduced)
    assert new_intro == pytest.approx(intro_length - 1.0, abs=0.05)
    assert new_main == pytest.approx(main_length, abs=0.001)


def test_remove_padding(org: httpx.Client, speech: dict[str, Any]) -> None:
    (first_before, _) = [fetch_wav(s["url"])[1] for s in speech["sections"]]
    assert leading_silence(first_before) > 0.9 and trailing_silence(first_before) > 0.9
    both = ok(
        org.post(
            "/speech/tts/remove_padding",
            json={"speechId": speech["speechId"], "minSilenceDuration": 0.5, "position": "both"},
        )
    )
    for section in both["sections"]:
        _, info = fetch_wav(section["url"])
        assert leading_silence(info) < 0.05 and trailing_silence(info) < 0.05
    # The breaks inside the speech are not padding: the section is still longer than 1.5 s.
    assert durations(both)[0] > 2.0
    end_only = ok(
        org.post(
            "/speech/tts/remove_padding",
            json={"speechId": speech["speechId"], "minSilenceDuration": 0.5},
        )
    )
    _, info = fetch_wav(end_only["sections"][0]["url"])
    assert leading_silence(info) > 0.9 and trailing_silence(info) < 0.05
    # Silence shorter than minSilenceDuration is kept.
    kept = ok(
        org.post(
            "/speech/tts/remove_padding",
            json={"speechId": speech["speechId"], "minSilenceDuration": 3, "position": "both"},
        )
    )
    assert durations(kept) == pytest.approx(durations(speech), abs=0.001)


@pytest.mark.parametrize(
    ("route", "body", "field"),
    [
        ("reduce", {"targetLength": 3}, "speechId"),
        ("reduce", {"speechId": "SPEECH"}, "targetLength"),
        ("reduce", {"speechId": "SPEECH", "targetLength": "soon"}, "targetLength"),
        ("reduce", {"speechId": "SPEECH", "targetLength": 0}, "targetLength"),
        ("reduce", {"speechId": "SPEECH", "targetLength": 3, "sectionId": "nope"}, "sectionId"),
        ("remove_padding", {"speechId": "SPEECH", "position": "middle"}, "position"),
        ("remove_padding", {"speechId": "SPEECH", "silenceThreshold": 2}, "silenceThreshold"),
        ("remove_padding", {"speechId": "SPEECH", "minSilenceDuration": -1}, "minSilenceDuration"),
    ],
)
def test_edits_reject(
    org: httpx.Client, speech: dict[str, Any], route: str, body: dict[str, Any], field: str
) -> None:
    body = {k: speech["speechId"] if v == "SPEECH" else v for k, v in body.items()}
    response = org.post(f"/speech/tts/{route}", json=body)
    assert error_of(response, 422)["errors"][0].startswith(field)


def test_edits_of_unknown_speeches_are_404(org: httpx.Client) -> None:
    error_of(org.post("/speech/tts/reduce", json={"speechId": "nope", "targetLength": 3}), 404)
    error_of(org.post("/speech/tts/remove_padding", json={"speechId": "nope"}), 404)
