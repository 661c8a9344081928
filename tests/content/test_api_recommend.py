"""POST /content/recommend/{tag,tone,mood,iab_category} over HTTP, the SDK and the gateway."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from audiostack.content import RecommendMood, RecommendTag, RecommendTone

from support.api_checks import error_of, ok

SAD = "This is a sad story about loss and redemption."
EXCITED = "Welcome to our exciting adventure! Get ready for an amazing journey."
IPHONE = "Learn about the latest iPhone features and specifications."


def test_tone_in_both_shapes(client: httpx.Client) -> None:
    data = ok(
        client.post("/content/recommend/tone", json={"text": EXCITED, "number_of_results": 3})
    )
    assert [t["tag"] for t in data["tags"]] == data["tones"] and len(data["tones"]) == 3
    assert all(t["category"] == "tone" and 0 <= t["score"] <= 1 for t in data["tags"])
    assert {"energetic", "upbeat"} & set(data["tones"])
    assert [t["score"] for t in data["tags"]] == sorted(
        (t["score"] for t in data["tags"]), reverse=True
    )


def test_mood_through_the_gateway(deployment: Any) -> None:
    """The LowCodeAPI form: /audiostack prefix, api_token, data.moods (seed Example 3)."""
    response = httpx.post(
        f"{deployment.url}/audiostack/content/recommend/mood",
        params={"api_token": deployment.api_key},
        json={"text": SAD, "number_of_results": 3},
        timeout=60,
    )
    data = ok(response)
    assert data["moods"][0] == "melancholic" and len(data["moods"]) == 3
    assert data["tags"][0] == {
        "category": "mood",
        "tag": "melancholic",
        "score": data["tags"][0]["score"],
    }


def test_iab_category(client: httpx.Client) -> None:
    data = ok(
        client.post(
            "/content/recommend/iab_category",
            json={"text": IPHONE, "language": "en", "num_tags": 5},
        )
    )
    assert len(data["tags"]) == 5
    best = data["tags"][0]
    assert best["category"] == "iab" and best["tier1"] == "Technology & Computing"
    assert best["tag"] == "Smartphones" and best["tier2"] == "Consumer Electronics"
    assert best["tier3"] == "Smartphones"
    assert "3.1" in data["taxonomy"]


def test_iab_other_language_warns(client: httpx.Client) -> None:
    body = client.post(
        "/content/recommend/iab_category",
        json={"text": "Fußball heute Abend live", "language": "de"},
    ).json()
    assert body["warnings"] and body["warnings"][0].startswith("language:")
    assert len(body["data"]["tags"]) == 3  # num_tags defaults to 3


def test_tags_from_the_callers_list(client: httpx.Client) -> None:
    tags = ["football", "cooking", "banking", "gardening"]
    body = {
        "text": "The striker scored twice in the derby.",
        "tags": tags,
        "category": "topic",
        "number_of_results": 2,
    }
    data = ok(client.post("/content/recommend/tag", json=body))
    assert data["tags"][0]["tag"] == "football" and len(data["tags"]) == 2
    assert all(t["category"] == "topic" and t["tag"] in tags for t in data["tags"])


def test_official_sdk(sdk: None) -> None:
    tones = RecommendTone.create(text=EXCITED, number_of_results=2)
    assert len(tones.tones) == 2 and tones.tones[0]["category"] == "tone"
    moods = RecommendMood.create(text=SAD, number_of_results=1)
    assert moods.moods[0]["tag"] == "melancholic"
    tags = RecommendTag.create(
        text="Grill the salmon with lemon and dill.",
        category="kitchen",
        tags=["recipes", "sport", "politics"],
        number_of_results=1,
    )
    assert tags.tags == [{"category": "kitchen", "tag": "recipes", "score": tags.tags[0]["score"]}]


@pytest.mark.parametrize(
    ("route", "body", "field"),
    [
        ("tone", {"text": ""}, "text"),
        ("mood", {"text": "   "}, "text"),
        ("iab_category", {}, "text"),
        ("tone", {"text": "Hello there.", "number_of_results": 0}, "number_of_results"),
        ("mood", {"text": "Hello there.", "number_of_results": 11}, "number_of_results"),
        ("mood", {"text": "Hello there.", "number_of_results": "many"}, "number_of_results"),
        ("iab_category", {"text": "Hello there.", "num_tags": 50}, "num_tags"),
        ("iab_category", {"text": "Hello there.", "language": "english!"}, "language"),
        ("tag", {"text": "Hello there.", "tags": ["only one"]}, "tags"),
        ("tag", {"text": "Hello there."}, "tags"),
        (
            "tag",
            {"text": "Hello.", "tags": ["a", "b"], "number_of_results": 3},
            "number_of_results",
        ),
    ],
)
def test_bad_input_names_the_field(
    client: httpx.Client, route: str, body: dict[str, Any], field: str
) -> None:
    error = error_of(client.post(f"/content/recommend/{route}", json=body), 422)
    assert any(e.startswith(f"{field}") for e in error["errors"]), error


def test_needs_a_key(deployment: Any) -> None:
    response = httpx.post(
        f"{deployment.url}/content/recommend/tone", json={"text": SAD}, timeout=30
    )
    error_of(response, 401)
