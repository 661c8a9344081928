"""Voices over HTTP: the catalogue, every filter, sort and paging, one voice, samples."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from support.api_checks import error_of, fetch_wav, ok

STRING_FIELDS = (
    "alias",
    "voiceId",
    "provider",
    "gender",
    "ageBracket",
    "type",
    "language",
    "languageCode",
    "accent",
    "timePerformance",
    "charsPerSecond",
    "audioSample",
    "name",
    "displayName",
)
LIST_FIELDS = ("tags", "industryExamples")


def voices(client: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = ok(client.get("/speech/voice", params=params))["voices"]
    return found


def aliases(client: httpx.Client, **params: Any) -> list[str]:
    return [v["alias"] for v in voices(client, **params)]


@pytest.fixture
def catalogue(client: httpx.Client) -> list[dict[str, Any]]:
    return voices(client)


def test_every_voice_has_the_audiostack_fields(
    client: httpx.Client, catalogue: list[dict[str, Any]], deployment: Any
) -> None:
    data = ok(client.get("/speech/voice"))
    assert data["total"] == len(catalogue) == len(data["voices"])
    assert (data["page"], data["pageLimit"]) == (1, 1000)
    for voice in catalogue:
        for field in STRING_FIELDS:
            assert isinstance(voice[field], str), (voice["alias"], field)
        for field in LIST_FIELDS:
            assert isinstance(voice[field], list), (voice["alias"], field)
        assert isinstance(voice["sectionCharacterLimit"], int)
        assert float(voice["charsPerSecond"]) > 0
        assert voice["name"] == voice["alias"] and voice["displayName"]
        assert voice["audioSample"].startswith(deployment.url + "/")
    assert len({v["alias"].lower() for v in catalogue}) == len(catalogue), "aliases are unique"
    isaac = next(v for v in catalogue if v["alias"] == "isaac")
    assert (isaac["provider"], isaac["gender"], isaac["languageCode"]) == (
        "espeak-ng",
        "male",
        "en-US",
    )
    assert isaac["voiceId"] and isaac["language"] == "english"


SCALAR_FILTERS = [
    ("languageCode", "en-US"),
    ("language", "english"),
    ("gender", "female"),
    ("accent", "british"),
    ("ageBracket", "senior"),
    ("provider", "espeak-ng"),
    ("timePerformance", "fast"),
    ("type", "standard"),
]


@pytest.mark.parametrize(("field", "value"), SCALAR_FILTERS)
def test_scalar_filters_match_case_insensitively(
    client: httpx.Client, catalogue: list[dict[str, Any]], field: str, value: str
) -> None:
    found = voices(client, **{field: value})
    assert found, f"no voice with {field}={value}"
    assert all(v[field].lower() == value.lower() for v in found)
    expected = [v["alias"] for v in catalogue if v[field].lower() == value.lower()]
    assert [v["alias"] for v in found] == expected
    assert aliases(client, **{field: value.upper()}) == expected


def test_filters_combine(client: httpx.Client) -> None:
    found = voices(client, gender="male", accent="british", ageBracket="senior")
    assert "oliver" in [v["alias"] for v in found]
    assert all(
        (v["gender"], v["accent"], v["ageBracket"]) == ("male", "british", "senior") for v in found
    )
    assert voices(client, gender="female", ageBracket="no-such-bracket") == []


def test_list_filters_take_commas_and_repeats(client: httpx.Client) -> None:
    comma = aliases(client, tags="warm,professional")
    assert "joanna" in comma
    assert aliases(client, tags=["warm", "professional"]) == comma
    assert aliases(client, tags=["warm", "professional,warm"]) == comma
    for voice in voices(client, tags="warm,professional"):
        assert {"warm", "professional"} <= set(voice["tags"])
    assert len(aliases(client, tags="warm")) > len(comma)

    industries = voices(client, industryExamples="advertising,retail")
    assert "isaac" in [v["alias"] for v in industries]
    assert all({"advertising", "retail"} <= set(v["industryExamples"]) for v in industries)
    assert aliases(client, industryExamples=["advertising", "retail"]) == [
        v["alias"] for v in industries
    ]


def test_sort(client: httpx.Client, catalogue: list[dict[str, Any]]) -> None:
    ascending = [v["alias"] for v in catalogue]
    assert ascending == sorted(ascending, key=str.lower)
    assert aliases(client, sort="alias") == ascending
    assert aliases(client, sort="-alias") == ascending[::-1]
    speeds = [float(v["charsPerSecond"]) for v in voices(client, sort="charsPerSecond")]
    assert speeds == sorted(speeds)
    names = [v["displayName"].lower() for v in voices(client, sort="-displayName")]
    assert names == sorted(names, reverse=True)
    assert error_of(client.get("/speech/voice", params={"sort": "colour"}), 422)["errors"][
        0
    ].startswith("sort")


def test_paging(client: httpx.Client, catalogue: list[dict[str, Any]]) -> None:
    everyone = [v["alias"] for v in catalogue]
    page = ok(client.get("/speech/voice", params={"page": 2, "pageLimit": 5}))
    assert [v["alias"] for v in page["voices"]] == everyone[5:10]
    assert (page["total"], page["page"], page["pageLimit"]) == (len(everyone), 2, 5)
    assert aliases(client, page=1000, pageLimit=5) == []
    assert aliases(client, limit=3, offset=4) == everyone[4:7]
    assert aliases(client, limit=3) == everyone[:3]
    assert (
        aliases(client, gender="female", page=2, pageLimit=2)
        == [v["alias"] for v in catalogue if v["gender"] == "female"][2:4]
    )
    for params in [{"page": "two"}, {"pageLimit": 0}, {"offset": -1}, {"limit": "x"}]:
        (name,) = params
        assert error_of(client.get("/speech/voice", params=params), 422)["errors"][0].startswith(
            name
        )


@pytest.mark.parametrize("name", ["isaac", "ISAAC", "Isaac", "en-us+m3"])
def test_one_voice_by_alias_any_case_or_voice_id(client: httpx.Client, name: str) -> None:
    voice = ok(client.get(f"/speech/voice/{name}"))
    assert voice["alias"] == "isaac"
    assert voice["voiceId"] == "en-us+m3"


def test_engine_voices_and_unknown_voices(client: httpx.Client) -> None:
    german = ok(client.get("/speech/voice/espeak-ng-de"))
    assert (german["provider"], german["language"]) == ("espeak-ng", "german")
    missing = error_of(client.get("/speech/voice/nobody-at-all"), 404)
    assert "nobody-at-all" in missing["errors"][0]


def test_voice_parameters_list_the_values_present(
    client: httpx.Client, catalogue: list[dict[str, Any]]
) -> None:
    params = ok(client.get("/speech/voice/parameter"))
    expected_keys = {
        "language",
        "languageCode",
        "gender",
        "accent",
        "ageBracket",
        "provider",
        "tags",
        "industryExamples",
        "timePerformance",
        "type",
        "purpose",
    }
    assert expected_keys <= set(params)
    for key in expected_keys:
        assert params[key] == sorted(set(params[key])), key
    for field in ("gender", "provider", "languageCode", "ageBracket", "type"):
        assert {v[field] for v in catalogue if v[field]} == set(params[field]), field
    assert {t for v in catalogue for t in v["tags"]} == set(params["tags"])


def test_voice_sample_is_real_speech(anon: httpx.Client, client: httpx.Client) -> None:
    isaac = ok(client.get("/speech/voice/isaac"))
    _, info = fetch_wav(isaac["audioSample"])  # no API key: samples are public
    assert info.sample_rate == 22050  # espeak-ng delivers at its own rate
    assert 1.5 < info.duration < 15
    assert info.rms_dbfs > -35, "speech, not silence"
    assert info.peak > 0.05
    error_of(anon.get(isaac["audioSample"].replace("/isaac/", "/nobody/")), 404)
