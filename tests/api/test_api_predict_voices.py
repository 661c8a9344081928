"""Predict, voice selection and voice query over HTTP. The speed a selection returns is put to
the test by rendering the script at that speed and measuring the WAV."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from support.api_checks import error_of, fetch_wav, ok, render
from support.orgs import fresh_org_client

AD = (
    "Spring is here at Greenleaf Garden Centre. This weekend only, every rose bush is half "
    "price, and our café serves fresh lemonade on the terrace. Bring the whole family, "
    "enjoy the sunshine, and take home something beautiful. Greenleaf: open every day from "
    "nine until six."
)


@pytest.fixture
def org(deployment: Any) -> Iterator[httpx.Client]:
    with fresh_org_client(deployment) as http:
        yield http


def total_duration(speech: dict[str, Any]) -> float:
    return sum(fetch_wav(s["url"])[1].duration for s in speech["sections"])


def test_predict_matches_the_render(org: httpx.Client) -> None:
    data = ok(org.post("/speech/predict", json={"text": AD, "voice": "isaac"}))
    assert set(data) >= {"length", "r2", "voice"}
    assert data["voice"] == "isaac" and 0.9 < data["r2"] <= 1.0
    script = ok(org.post("/content/script", json={"scriptText": AD}))
    speech = render(org, {"scriptId": script["scriptId"], "voice": "isaac"})
    real = total_duration(speech)
    assert abs(data["length"] / real - 1) < 0.08, (data["length"], real)


def test_predict_counts_markup_pauses_exactly(org: httpx.Client) -> None:
    def predicted(pause: str) -> float:
        text = f"One. <as:break time='{pause}'/> Two."
        data = ok(org.post("/speech/predict", json={"text": text, "voice": "isaac"}))
        return float(data["length"])

    # The same engine calls either side of a pause: only the silence differs.
    assert predicted("2s") - predicted("500ms") == pytest.approx(1.5, abs=0.002)


def test_predict_voices_is_a_list_of_strings(org: httpx.Client) -> None:
    voices = ok(org.get("/speech/predict/voices"))["voices"]
    assert "isaac" in voices and all(isinstance(v, str) for v in voices)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"voice": "isaac"}, "text"),
        ({"text": "Hello"}, "voice"),
        ({"text": "Hello", "voice": "nobody"}, "voice"),
    ],
)
def test_predict_rejects(org: httpx.Client, body: dict[str, Any], field: str) -> None:
    assert error_of(org.post("/speech/predict", json=body), 422)["errors"][0].startswith(field)


def test_select_returns_a_speed_that_really_fits(org: httpx.Client) -> None:
    script = ok(org.post("/content/script", json={"scriptText": AD}))
    body = {
        "scriptId": script["scriptId"],
        "tone": "confident",
        "targetLength": 11.0,
        "numVoices": 2,
        "filters": {"provider": ["espeak-ng"]},
    }
    response = org.post("/speech/voice/select", json=body)
    data = ok(response)
    assert len(data["voices"]) == 2
    best = data["voices"][0]
    assert best["alias"] == "isaac"  # tagged "confident"
    assert all(0.5 <= v["speed"] <= 3.0 and v["fitsTargetLength"] for v in data["voices"])
    for chosen in data["voices"]:
        speech = render(
            org,
            {"scriptId": script["scriptId"], "voice": chosen["alias"], "speed": chosen["speed"]},
        )
        real = total_duration(speech)
        assert abs(real / 11.0 - 1) < 0.05, (chosen["alias"], chosen["speed"], real)


def test_select_for_content_without_a_target_keeps_speed_one(org: httpx.Client) -> None:
    data = ok(
        org.post(
            "/speech/voice/select",
            json={"content": "Hello there, friend.", "filters": {"provider": ["espeak-ng"]}},
        )
    )
    assert data["voices"] and all(v["speed"] == 1.0 for v in data["voices"])
    assert all(v["predictedLength"] > 0.5 for v in data["voices"])


def test_select_says_when_no_speed_can_fit(org: httpx.Client) -> None:
    response = org.post(
        "/speech/voice/select",
        json={
            "content": AD,
            "targetLength": 2,
            "numVoices": 1,
            "filters": {"provider": ["espeak-ng"]},
        },
    )
    (voice,) = ok(response)["voices"]
    assert voice["speed"] == 3.0 and voice["fitsTargetLength"] is False
    assert any("cannot fit" in w for w in response.json()["warnings"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "scriptId"),
        ({"content": "Hi", "numVoices": 0}, "numVoices"),
        ({"content": "Hi", "targetLength": -3}, "targetLength"),
        ({"content": "Hi", "filters": {"colour": ["red"]}}, "filters.colour"),
        ({"content": "Hi", "filters": {"provider": ["nobody"]}}, "filters"),
    ],
)
def test_select_rejects(org: httpx.Client, body: dict[str, Any], field: str) -> None:
    body = error_of(org.post("/speech/voice/select", json=body), 422)
    assert body["errors"][0].startswith(field), body


def test_select_unknown_script_is_404(org: httpx.Client) -> None:
    error_of(org.post("/speech/voice/select", json={"scriptId": "no-such-script"}), 404)


def query(client: httpx.Client, **body: Any) -> httpx.Response:
    return client.post("/speech/voice/query", json=body)


def test_query_filter_language(org: httpx.Client) -> None:
    dutch = ok(query(org, filters=[{"in": {"language": ["dutch"]}}]))
    assert dutch["voices"] and all(v["language"] == "dutch" for v in dutch["voices"])
    two = ok(query(org, filters=[{"in": {"languageCode": ["de", "FR-fr"]}}]))
    assert {v["languageCode"] for v in two["voices"]} >= {"de", "fr-FR"}
    male_english = ok(
        query(
            org,
            filters=[
                {"equals": {"language": "English"}},
                {"notIn": {"gender": ["female", "neutral"]}},
                {"in": {"tags": ["confident"]}},
            ],
        )
    )
    assert [v["alias"] for v in male_english["voices"]] == ["isaac"]
    fast = ok(query(org, filters=[{"greaterThanOrEquals": {"charsPerSecond": 16}}]))
    assert fast["voices"] and all(float(v["charsPerSecond"]) >= 16 for v in fast["voices"])
    slow = ok(query(org, filters=[{"lessThan": {"charsPerSecond": 16}}]))
    assert not {v["alias"] for v in fast["voices"]} & {v["alias"] for v in slow["voices"]}


def test_query_minimum_results_and_forcing(org: httpx.Client) -> None:
    filters = [{"in": {"language": ["english"]}}, {"in": {"alias": ["isaac"]}}]
    forced = ok(query(org, filters=filters, minimumNumberOfResults=3))
    assert [v["alias"] for v in forced["voices"]] == ["isaac"]
    relaxed = query(org, filters=filters, minimumNumberOfResults=3, forceApplyFilters=False)
    data = ok(relaxed)
    assert data["total"] >= 3 and data["appliedFilters"] == 1
    assert all(v["language"] == "english" for v in data["voices"])
    assert any("dropped" in w for w in relaxed.json()["warnings"])


def test_query_pages(org: httpx.Client) -> None:
    everything = ok(query(org))
    first = ok(query(org, page=1, pageLimit=2))
    second = ok(query(org, page=2, pageLimit=2))
    assert first["total"] == everything["total"] > 4
    aliases = [v["alias"] for v in everything["voices"]]
    assert [v["alias"] for v in first["voices"] + second["voices"]] == aliases[:4]


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ("dutch", "filters"),
        ([{"in": {"language": ["dutch"]}, "notIn": {"gender": ["male"]}}], "filters.0"),
        ([{"like": {"language": ["dutch"]}}], "filters.0"),
        ([{"in": {"colour": ["red"]}}], "filters.0.in"),
        ([{"in": {"language": [], "gender": []}}], "filters.0"),
    ],
)
def test_query_rejects_malformed_filters(org: httpx.Client, filters: Any, field: str) -> None:
    body = error_of(query(org, filters=filters), 422)
    assert body["errors"][0].startswith(field), body


def test_voice_parameters_list_the_tones_selection_ranks_by(org: httpx.Client) -> None:
    tones = ok(org.get("/speech/voice/parameter"))["tone"]
    assert "confident" in tones and "warm" in tones
