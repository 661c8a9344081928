# ruff: noqa: RUF001  (IPA in a dictionary entry)
"""The official `audiostack` SDK, unchanged, for dictionaries, prediction and voice choice:
Diction, Predict, Voice.query, Voice.select_for_script / select_for_content, TTS.reduce and
TTS.remove_padding against a live Castwright on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import wave
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import audiostack
import httpx
import pytest

from support.orgs import fresh_org_key

pytestmark = pytest.mark.e2e

SCRIPT = (
    "Welcome to AFLR. This spring, every AFLR studio opens its doors for a free tour, "
    "with coffee, music and a chance to hear your own voice on the radio."
)


@contextmanager
def sdk_pointed_at(url: str, key: str) -> Iterator[None]:
    saved = audiostack.api_base, audiostack.api_key
    audiostack.api_base, audiostack.api_key = url, key
    try:
        yield
    finally:
        audiostack.api_base, audiostack.api_key = saved


@pytest.fixture
def sdk(deployment: Any) -> Iterator[str]:
    """The SDK pointed at the server with a key of a new organisation; yields the key."""
    _, key = fresh_org_key(deployment)
    with sdk_pointed_at(deployment.url, key):
        yield key


def wav_seconds(url: str, key: str) -> float:
    data = httpx.get(url, headers={"x-api-key": key}, timeout=60).content
    with wave.open(io.BytesIO(data)) as reader:
        return reader.getnframes() / reader.getframerate()


def test_diction_round_trip(sdk: str) -> None:
    word = audiostack.Speech.Diction.Custom.create_word(word="AFLR", replacement="aflorithmic")
    assert word.inputs[0] == "AFLR"
    assert word.replacements == [
        {"specialization": "default", "replacement": "aflorithmic", "contentType": "basic"}
    ]
    audiostack.Speech.Diction.Custom.create_word(
        word="AFLR", replacement="ˈæflɚ", specialization="isaac", contentType="ipa"
    )
    words = list(audiostack.Speech.Diction.Custom.list_words(lang="global"))
    assert [w.inputs[0] for w in words] == ["AFLR"]
    assert {r["specialization"] for r in words[0].replacements} == {"default", "isaac"}
    custom = list(audiostack.Speech.Diction.Custom.list())
    assert [(d.lang, d.words) for d in custom] == [("global", ["AFLR"])]
    builtin = list(audiostack.Speech.Diction.list())
    assert any(d.lang == "en" and "asap" in d.words for d in builtin)
    # The SDK sends specialization="" when none is given: the whole word goes.
    deleted = audiostack.Speech.Diction.Custom.delete_word(lang="global", word="AFLR")
    assert deleted.status_code == 200
    assert list(audiostack.Speech.Diction.Custom.list_words(lang="global")) == []
    with pytest.raises(Exception, match="word"):
        audiostack.Speech.Diction.Custom.delete_word(lang="global", word="AFLR")


def test_a_dictionary_word_is_heard_in_tts_and_seen_in_the_script_preview(sdk: str) -> None:
    audiostack.Speech.Diction.Custom.create_word(
        word="AFLR", replacement="the audio company", lang="en"
    )
    script = audiostack.Content.Script.create(scriptText=SCRIPT)
    previewed = audiostack.Content.Script.get(script.scriptId, previewWithVoice="isaac")
    assert "the audio company" in previewed.data["sections"][0]["preview"]
    assert "AFLR" not in previewed.data["preview"]
    speech = audiostack.Speech.TTS.create(scriptItem=script, voice="isaac")
    assert "the audio company" in speech.data["sections"][0]["preview"]


def test_predict(sdk: str) -> None:
    voices = list(audiostack.Speech.Predict.list())
    assert "isaac" in voices and all(isinstance(v, str) for v in voices)
    predicted = audiostack.Speech.Predict.predict(text=SCRIPT, voice="isaac")
    script = audiostack.Content.Script.create(scriptText=SCRIPT)
    speech = audiostack.Speech.TTS.create(scriptItem=script, voice="isaac")
    real = sum(wav_seconds(s["url"], sdk) for s in speech.data["sections"])
    assert abs(predicted.length / real - 1) < 0.08, (predicted.length, real)


def test_voice_query(sdk: str) -> None:
    dutch = audiostack.Speech.Voice.query(filters=[{"in": {"language": ["dutch"]}}])
    assert dutch.items and all(v["language"] == "dutch" for v in dutch.items)
    assert all(isinstance(v.alias, str) and v.provider for v in dutch)
    paged = audiostack.Speech.Voice.query(page=2, pageLimit=3)
    assert len(paged.items) == 3
    relaxed = audiostack.Speech.Voice.query(
        filters=[{"in": {"language": ["english"]}}, {"in": {"alias": ["isaac"]}}],
        minimumNumberOfResults=5,
        forceApplyFilters=False,
    )
    assert len(relaxed.items) >= 5


def test_select_for_script_and_content(sdk: str) -> None:
    script = audiostack.Content.Script.create(scriptText=SCRIPT)
    chosen = audiostack.Speech.Voice.select_for_script(
        scriptItem=script, tone="confident", targetLength=10
    )
    voices = chosen.data["voices"]
    assert voices and voices[0]["alias"] == "isaac"
    speed = voices[0]["speed"]
    assert 0.5 <= speed <= 3.0
    speech = audiostack.Speech.TTS.create(scriptItem=script, voice="isaac", speed=speed)
    real = sum(wav_seconds(s["url"], sdk) for s in speech.data["sections"])
    assert abs(real / 10 - 1) < 0.05, (speed, real)
    for_content = audiostack.Speech.Voice.select_for_content(content=SCRIPT, tone="warm")
    assert for_content.data["voices"]


def test_reduce_and_remove_padding(sdk: str) -> None:
    script = audiostack.Content.Script.create(scriptText=SCRIPT)
    speech = audiostack.Speech.TTS.create(
        scriptItem=script, voice="isaac", silencePadding="3000000"
    )
    before = sum(wav_seconds(s["url"], sdk) for s in speech.data["sections"])
    reduced = audiostack.Speech.TTS.reduce(speechId=speech.speechId, targetLength=str(before - 1))
    assert reduced.speechId != speech.speechId
    after = sum(wav_seconds(s["url"], sdk) for s in reduced.data["sections"])
    assert after == pytest.approx(before - 1, abs=0.05)
    trimmed = audiostack.Speech.TTS.remove_padding(
        speechId=speech.speechId, minSilenceDuration=1.0, position="both"
    )
    trimmed_length = sum(wav_seconds(s["url"], sdk) for s in trimmed.data["sections"])
    assert trimmed_length < before - 2.8  # 1.5 s of padding at each end, gone
