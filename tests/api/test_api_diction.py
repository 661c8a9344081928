# ruff: noqa: RUF001  (IPA in the dictionary entries)
"""Pronunciation dictionaries over HTTP: words in, words out, and every later render, preview and
prediction uses them, per organisation. Each test works in an organisation of its own."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from support.api_checks import error_of, fetch_wav, ok, render
from support.orgs import fresh_org_client
from support.streaming import decode_stream

BRAND = "Welcome to AFLR. AFLR's new studio opens today."


@pytest.fixture
def org(deployment: Any) -> Iterator[httpx.Client]:
    with fresh_org_client(deployment) as http:
        yield http


def put(client: httpx.Client, **body: Any) -> dict[str, Any]:
    data: dict[str, Any] = ok(client.put("/speech/diction/custom/item", json=body))
    return data


def test_a_word_is_stored_listed_and_deleted(org: httpx.Client) -> None:
    entry = put(org, word="AFLR", replacement="aflorithmic")
    assert entry == {
        "lang": "global",
        "word": "AFLR",
        "inputs": ["AFLR", "AFLR's"],
        "replacements": [
            {"specialization": "default", "replacement": "aflorithmic", "contentType": "basic"}
        ],
    }
    # Same word in another case and another specialization: one entry, two replacements.
    entry = put(org, word="aflr", replacement="ˈæflɚ", specialization="isaac", contentType="ipa")
    assert [r["specialization"] for r in entry["replacements"]] == ["default", "isaac"]
    # An upsert replaces.
    entry = put(org, word="AFLR", replacement="a flow")
    assert entry["replacements"][0]["replacement"] == "a flow"
    put(org, word="colour", replacement="color", lang="en-GB")

    dictionaries = ok(org.get("/speech/diction/custom"))["dictionaries"]
    assert {d["lang"]: d["words"] for d in dictionaries} == {
        "en-gb": ["colour"],
        "global": ["AFLR"],
    }
    words = ok(org.get("/speech/diction/custom/items", params={"lang": "global"}))["words"]
    assert [w["word"] for w in words] == ["AFLR"]
    assert len(words[0]["replacements"]) == 2

    ok(
        org.delete(
            "/speech/diction/custom/item",
            params={"lang": "global", "word": "aflr", "specialization": "isaac"},
        )
    )
    words = ok(org.get("/speech/diction/custom/items", params={"lang": "global"}))["words"]
    assert [r["specialization"] for r in words[0]["replacements"]] == ["default"]
    ok(org.delete("/speech/diction/custom/item", params={"lang": "global", "word": "AFLR"}))
    assert ok(org.get("/speech/diction/custom/items", params={"lang": "global"}))["words"] == []
    error_of(
        org.delete("/speech/diction/custom/item", params={"lang": "global", "word": "AFLR"}), 404
    )


def test_builtin_dictionaries_are_listed(org: httpx.Client) -> None:
    dictionaries = ok(org.get("/speech/diction"))["dictionaries"]
    by_category = {(d["lang"], d["wordCategory"]): d for d in dictionaries}
    assert "asap" in by_category[("en", "abbreviations")]["words"]
    assert "mph" in by_category[("en", "units")]["words"]
    assert all(isinstance(w, str) for d in dictionaries for w in d["words"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"replacement": "x"}, "word"),
        ({"word": "AFLR"}, "replacement"),
        ({"word": "x" * 101, "replacement": "x"}, "word"),
        ({"word": "AFLR", "replacement": "x", "lang": "not a language"}, "lang"),
        ({"word": "AFLR", "replacement": "x", "contentType": "ssml"}, "contentType"),
        ({"word": "AFLR", "replacement": "ˈæfQɚ", "contentType": "ipa"}, "replacement"),
        ({"word": "AFLR", "replacement": "x", "specialization": "two words"}, "specialization"),
        ({"word": "AFLR", "replacement": "[[h@l'oU]]"}, "replacement"),
    ],
)
def test_bad_words_are_422_naming_the_field(
    org: httpx.Client, body: dict[str, Any], field: str
) -> None:
    body = error_of(org.put("/speech/diction/custom/item", json=body), 422)
    assert body["errors"][0].startswith(f"{field}:"), body


def test_list_and_delete_need_a_language(org: httpx.Client) -> None:
    assert error_of(org.get("/speech/diction/custom/items"), 422)["errors"][0].startswith("lang:")
    error_of(org.delete("/speech/diction/custom/item", params={"word": "x"}), 422)


def test_a_specialization_nothing_answers_to_gets_a_warning(org: httpx.Client) -> None:
    response = org.put(
        "/speech/diction/custom/item",
        json={"word": "AFLR", "replacement": "x", "specialization": "nobody"},
    )
    ok(response)
    assert any("nobody" in w for w in response.json()["warnings"])


def test_renders_previews_and_predictions_use_the_dictionary(org: httpx.Client) -> None:
    script = ok(org.post("/content/script", json={"scriptText": BRAND}))
    before = render(org, {"scriptId": script["scriptId"], "voice": "isaac"})
    (section,) = before["sections"]
    assert "AFLR" in section["preview"]
    predicted_before = ok(org.post("/speech/predict", json={"text": BRAND, "voice": "isaac"}))

    put(org, word="AFLR", replacement="the Aflorithmic audio company")
    after = render(org, {"scriptId": script["scriptId"], "voice": "isaac"})
    (changed,) = after["sections"]
    assert changed["preview"] == (
        "Welcome to the Aflorithmic audio company. "
        "the Aflorithmic audio company's new studio opens today."
    )
    # A changed dictionary is new audio, not the cached render of the old text.
    _, old_audio = fetch_wav(section["url"])
    _, new_audio = fetch_wav(changed["url"])
    assert new_audio.duration > old_audio.duration + 1.0

    preview = ok(
        org.get(
            f"/content/script/{script['scriptId']}", params={"preview": "True", "voice": "isaac"}
        )
    )
    assert preview["sections"][0]["preview"] == changed["preview"]
    assert preview["preview"] == changed["preview"]

    predicted = ok(org.post("/speech/predict", json={"text": BRAND, "voice": "isaac"}))
    assert predicted["length"] > predicted_before["length"] + 1.0


def test_streaming_faces_use_the_dictionary(org: httpx.Client) -> None:
    """OpenAI speech, CarrierX TTS and the AudioStack preview plan through the streaming core,
    which loads the organisation's dictionaries as /speech/tts does."""

    def spoken() -> dict[str, float]:
        bearer = {"Authorization": f"Bearer {org.headers['x-api-key']}"}
        openai = org.post(
            "/v1/audio/speech",
            json={"model": "tts-1", "voice": "isaac", "input": BRAND, "response_format": "wav"},
            headers=bearer,
        )
        carrierx = org.post(
            "/core/v2/tts/texts", json={"text": BRAND, "format": "wav"}, headers=bearer
        )
        preview = org.post("/speech/tts/preview", json={"text": BRAND, "voice": "isaac"})
        lengths = {}
        for face, response in (("openai", openai), ("carrierx", carrierx), ("preview", preview)):
            assert response.status_code == 200, (face, response.text[:300])
            samples, rate = decode_stream(response.content, "wav")
            lengths[face] = samples.size / rate
        return lengths

    before = spoken()
    put(org, word="AFLR", replacement="the Aflorithmic audio company")
    after = spoken()
    for face, seconds in after.items():
        assert seconds > before[face] + 1.0, (face, before, after)


def test_voice_specific_entries_apply_to_that_voice_only(org: httpx.Client) -> None:
    put(org, word="AFLR", replacement="aflorithmic")
    put(org, word="AFLR", replacement="the company", specialization="joanna")
    script = ok(org.post("/content/script", json={"scriptText": "We are AFLR."}))

    def preview(voice: str) -> str:
        data = ok(
            org.get(
                f"/content/script/{script['scriptId']}", params={"preview": True, "voice": voice}
            )
        )
        return str(data["sections"][0]["preview"])

    assert preview("isaac") == "We are aflorithmic."
    assert preview("joanna") == "We are the company."


def test_ipa_reaches_espeak_as_phonemes_and_other_engines_as_a_respelling(
    org: httpx.Client,
) -> None:
    put(org, word="AFLR", replacement="ˈæflɔːɹɪθmɪk", contentType="ipa")
    script = ok(org.post("/content/script", json={"scriptText": "Meet AFLR."}))
    path = f"/content/script/{script['scriptId']}"
    espeak = org.get(path, params={"preview": True, "voice": "isaac"})
    assert ok(espeak)["preview"] == "Meet [['aflO:rITmIk]]."
    assert espeak.json()["warnings"] == []
    voices = {v["alias"] for v in ok(org.get("/speech/voice"))["voices"]}
    if "maya" in voices:
        flite = org.get(path, params={"preview": True, "voice": "maya"})
        assert "[[" not in ok(flite)["preview"]
        assert any("cannot take phonemes" in w for w in flite.json()["warnings"])


def test_preview_needs_a_voice(org: httpx.Client) -> None:
    script = ok(org.post("/content/script", json={"scriptText": "Hi."}))
    body = error_of(org.get(f"/content/script/{script['scriptId']}", params={"preview": True}), 422)
    assert body["errors"][0].startswith("voice:")
    body = error_of(
        org.get(
            f"/content/script/{script['scriptId']}", params={"preview": True, "voice": "nobody"}
        ),
        422,
    )
    assert body["errors"][0].startswith("voice:")


def test_dictionaries_belong_to_one_organisation(deployment: Any) -> None:
    with fresh_org_client(deployment) as first, fresh_org_client(deployment) as second:
        put(first, word="AFLR", replacement="aflorithmic")
        assert ok(second.get("/speech/diction/custom"))["dictionaries"] == []
        script = ok(second.post("/content/script", json={"scriptText": "AFLR"}))
        preview = ok(
            second.get(
                f"/content/script/{script['scriptId']}", params={"preview": True, "voice": "isaac"}
            )
        )
        assert preview["preview"] == "AFLR"
        error_of(
            second.delete("/speech/diction/custom/item", params={"lang": "global", "word": "AFLR"}),
            404,
        )


def test_the_lowcodeapi_face_serves_the_same_routes(deployment: Any) -> None:
    with fresh_org_client(deployment) as org:
        key = org.headers["x-api-key"]
        with httpx.Client(base_url=deployment.url, timeout=60) as gateway:
            token = {"api_token": key}
            saved = gateway.put(
                "/audiostack/speech/diction/custom/item",
                params=token,
                json={"word": "AFLR", "replacement": "aflorithmic"},
            )
            assert ok(saved)["word"] == "AFLR"
            words = ok(
                gateway.get(
                    "/audiostack/speech/diction/custom/items", params={**token, "lang": "global"}
                )
            )["words"]
            assert [w["word"] for w in words] == ["AFLR"]
            voices = ok(gateway.get("/audiostack/speech/predict/voices", params=token))["voices"]
            assert "isaac" in voices
