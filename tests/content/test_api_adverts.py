"""POST /content/generate/advert and /content/edit/advert: written, fitted, stored, rendered."""

from __future__ import annotations

import itertools
import re
from typing import Any

import httpx
import pytest
from audiostack.content import Script

from support.api_checks import error_of, fetch_wav, ok, render

LAMP = ("Lumina", "A smart desk lamp that adjusts its colour to the time of day.")
PRODUCTS = [
    LAMP,
    ("Brew Buddy", "A pocket coffee grinder for campers."),
    ("Harbour Clinic", "Physiotherapy and sports injury care in the heart of the city."),
    ("Velvet Hour", "Handmade dark chocolate truffles, crafted in small batches."),
    ("CodeCamp", "An online bootcamp that teaches web development from scratch."),
]
LENGTH_TOLERANCE = 0.10  # the promise: within 10 % of adLength when rendered
_SECTION = re.compile(r'<as:section name="(\w+)">(.*?)</as:section>')


def generate(client: httpx.Client, **fields: Any) -> dict[str, Any]:
    name, description = fields.pop("product", LAMP)
    body = {"productName": name, "productDescription": description, **fields}
    response = client.post("/content/generate/advert", json=body)
    assert response.json().get("message") == "advert created", response.text
    data: dict[str, Any] = ok(response)
    return data


def rendered_seconds(client: httpx.Client, script_id: str, voice: str) -> float:
    """The advert's real length: every section rendered by TTS and measured."""
    speech = render(client, {"scriptId": script_id, "voice": voice, "sync": True})
    total = 0.0
    for section in speech["sections"]:
        _, info = fetch_wav(section["url"])
        total += info.duration
    return total


def sentences(data: dict[str, Any]) -> list[str]:
    text = " ".join(data["sections"].values())
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s]


@pytest.mark.parametrize("seconds", [15, 30, 60])
def test_rendered_length_is_within_ten_percent(client: httpx.Client, seconds: int) -> None:
    data = generate(client, adLength=seconds, mood="happy", tone="friendly")
    assert abs(data["length"] - seconds) <= seconds * LENGTH_TOLERANCE, data["length"]
    real = rendered_seconds(client, data["scriptId"], data["voice"])
    assert abs(real - seconds) <= seconds * LENGTH_TOLERANCE, (real, seconds)
    assert abs(real - data["length"]) <= 0.05 * seconds  # the prediction is what renders


def test_sections_call_to_action_and_stored_script(client: httpx.Client) -> None:
    data = generate(client, adLength=30, mood="calm", tone="warm", thirdPerson=False)
    assert [m.group(1) for m in _SECTION.finditer(data["adText"])] == ["intro", "main", "outro"]
    assert data["sections"]["outro"].startswith(data["callToAction"])
    assert "Lumina" in data["callToAction"]
    assert data["mood"] == "calm" and data["tone"] == "warm"
    assert data["gender"] in ("male", "female") and data["adType"]
    assert "calm" in data["tags"] and "warm" in data["tags"] and len(data["tags"]) >= 3
    assert re.search(r"\b(we|our|us)\b", data["adText"], re.IGNORECASE)  # first person
    script = ok(client.get(f"/content/script/{data['scriptId']}"))
    assert script["scriptText"] == data["adText"] and script["projectName"] == "adverts"
    assert [s["name"] for s in script["sections"]] == ["intro", "main", "outro"]


def test_same_brief_same_advert(client: httpx.Client) -> None:
    first = generate(client, adLength=20, mood="happy", tone="energetic")
    second = generate(client, adLength=20, mood="happy", tone="energetic")
    assert first["adText"] == second["adText"] and first["scriptId"] != second["scriptId"]


def test_five_products_do_not_read_alike(client: httpx.Client) -> None:
    """Same tone, mood and length: the adverts share few sentences (product names masked)."""
    ads = []
    for name, description in PRODUCTS:
        data = generate(
            client, product=(name, description), adLength=30, mood="happy", tone="professional"
        )
        ads.append({s.replace(name, "X") for s in sentences(data)})
    overlaps = [len(a & b) / len(a | b) for a, b in itertools.combinations(ads, 2)]
    assert max(overlaps) < 0.3 and sum(overlaps) / len(overlaps) < 0.15, overlaps


def test_mood_and_tone_chosen_when_not_given(client: httpx.Client) -> None:
    data = generate(
        client,
        product=(
            "Sunburst Festival",
            "Three days of live music and dancing in the park, with fireworks every night!",
        ),
    )
    assert data["mood"] and data["tone"]
    assert abs(data["length"] - 30) <= 3  # adLength defaults to 30 seconds


def edit(
    client: httpx.Client, advert: dict[str, Any], instruction: str, **extra: Any
) -> dict[str, Any]:
    body = {
        "adText": advert["adText"],
        "productName": LAMP[0],
        "productDescription": LAMP[1],
        "instruction": instruction,
        **extra,
    }
    response = client.post("/content/edit/advert", json=body)
    assert response.json().get("message") == "advert edited", response.text
    data: dict[str, Any] = ok(response)
    return data


@pytest.fixture
def advert(client: httpx.Client) -> dict[str, Any]:
    return generate(client, adLength=30, mood="happy", tone="energetic")


def test_edit_shorter_and_longer(client: httpx.Client, advert: dict[str, Any]) -> None:
    shorter = edit(client, advert, "make it shorter")
    longer = edit(client, advert, "make it longer")
    assert shorter["length"] < advert["length"] * 0.8 < advert["length"] * 1.2 < longer["length"]
    assert shorter["scriptId"] != advert["scriptId"]
    exact = edit(client, advert, "cut it down", adLength=12)
    real = rendered_seconds(client, exact["scriptId"], exact["voice"])
    assert abs(real - 12) <= 1.2, real


def test_edit_more_formal(client: httpx.Client, advert: dict[str, Any]) -> None:
    assert "!" in advert["adText"]  # the energetic style exclaims
    formal = edit(client, advert, "make it more formal")
    assert "!" not in formal["adText"]
    assert set(sentences(formal)) != set(sentences(advert))
    assert abs(formal["length"] - advert["length"]) <= 0.1 * advert["length"]


def test_edit_add_discount_and_call_to_action(client: httpx.Client, advert: dict[str, Any]) -> None:
    discounted = edit(client, advert, "add a 20% discount with code SAVE20")
    assert "Save 20 percent" in discounted["adText"] and "SAVE20" in discounted["adText"]
    assert "percent" not in advert["adText"]
    changed = edit(client, discounted, "change the call to action to 'Visit lumina dot com today'")
    assert changed["callToAction"] == "Visit lumina dot com today."
    assert "SAVE20" in changed["adText"]  # the caller's own line survives the next edit
    assert abs(changed["length"] - advert["length"]) <= 0.1 * advert["length"]


def test_edit_mention_and_remove(client: httpx.Client, advert: dict[str, Any]) -> None:
    mentioned = edit(client, advert, "mention that delivery is free")
    assert "Delivery is free." in mentioned["adText"]
    removed = edit(client, mentioned, "remove the line about delivery")
    assert "elivery" not in removed["adText"]


def test_official_sdk_generate_advert(sdk: None) -> None:
    item = Script.generate_advert(
        product_name="Brew Buddy",
        product_description="A pocket coffee grinder for campers.",
        mood="playful",
        tone="humorous",
        thirdPerson=True,
        adLength=15,
    )
    assert item.message == "advert created"
    data = item.data
    assert data["scriptId"] and "Brew Buddy" in data["adText"]
    assert abs(data["length"] - 15) <= 1.5
    script = Script.get(data["scriptId"])
    assert script.scriptText == data["adText"]


@pytest.mark.parametrize(
    ("route", "body", "field"),
    [
        ("generate", {"productDescription": "A lamp."}, "productName"),
        ("generate", {"productName": "Lumina", "productDescription": "  "}, "productDescription"),
        (
            "generate",
            {"productName": "L", "productDescription": "A lamp.", "mood": "angry"},
            "mood",
        ),
        (
            "generate",
            {"productName": "L", "productDescription": "A lamp.", "tone": "shouty"},
            "tone",
        ),
        (
            "generate",
            {"productName": "L", "productDescription": "A lamp.", "adLength": 2},
            "adLength",
        ),
        (
            "generate",
            {"productName": "L", "productDescription": "A lamp.", "adLength": 600},
            "adLength",
        ),
        (
            "generate",
            {"productName": "L", "productDescription": "A lamp.", "adLength": "long"},
            "adLength",
        ),
        (
            "edit",
            {"productName": "L", "productDescription": "A lamp.", "instruction": "shorter"},
            "adText",
        ),
        (
            "edit",
            {"adText": "Buy it.", "productName": "L", "productDescription": "A lamp."},
            "instruction",
        ),
        (
            "edit",
            {
                "adText": "Buy it now. It is great.",
                "productName": "L",
                "productDescription": "A lamp.",
                "instruction": "sing it in French",
            },
            "instruction",
        ),
    ],
)
def test_bad_input_names_the_field(
    client: httpx.Client, route: str, body: dict[str, Any], field: str
) -> None:
    error = error_of(client.post(f"/content/{route}/advert", json=body), 422)
    assert any(e.startswith(field) for e in error["errors"]), error
