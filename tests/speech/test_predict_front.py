"""The predict side of Flite's and Festival's front ends: cached, each Flite voice timed by
its own duration model, Festival read by Festival."""

from __future__ import annotations

import shutil

import pytest

from castwright.errors import ServiceUnavailable
from castwright.predict.features import segment_features
from castwright.predict.festival_front import FestivalFront, FestivalReading, _parse, festival_front
from castwright.predict.flite_front import DEFAULT_VOICE, flite_front
from castwright.speech.engines.festival_pool import FestivalError
from castwright.speech.engines.flite_library import flite_library

needs_flite = pytest.mark.skipif(shutil.which("flite") is None, reason="flite not installed")

TEXT = "A box of olive oil costs $12.05, or so I hear."


@needs_flite
def test_the_front_end_is_cached_and_kal_s_by_default() -> None:
    front = flite_front()
    assert front is not None and flite_front() is front
    segments = front.segments(TEXT)
    assert segments == flite_library().segments(TEXT, DEFAULT_VOICE) == front.segments(TEXT, "kal")
    assert front.segments(TEXT) is segments  # the second call comes from the cache
    features = segment_features(segments)
    assert features["pause"] == 1  # the comma; the utterance's own pauses are not counted
    assert features["vowel_seconds"] > 0 and features["consonant_seconds"] > 0
    assert "short" not in features


@needs_flite
def test_flite_voices_are_timed_by_their_own_model() -> None:
    front = flite_front()
    assert front is not None
    assert front.duration_voice("slt") == "slt"
    # Festival's slt and Flite's learnt from the same speaker; others get the US English model.
    assert front.duration_voice("cmu_us_slt_arctic_hts") == "slt"
    assert front.duration_voice("kal_diphone") == "kal"
    assert front.duration_voice("ked_diphone") == DEFAULT_VOICE
    assert front.exact("slt") and not front.exact("kal")
    slt = front.segments(TEXT, "slt")
    kal = front.segments(TEXT, "kal")
    assert all(s.seconds > 0 for s in slt + kal)
    assert [s.seconds for s in slt] != [s.seconds for s in kal]


needs_festival = pytest.mark.skipif(
    shutil.which("festival") is None, reason="festival not installed"
)
HTS_VOICE = "cmu_us_slt_arctic_hts"


@needs_festival
def test_festival_reads_as_festival_speaks() -> None:
    front = festival_front()
    assert front is not None and festival_front() is front
    text = "Save 5% on strawberries. Is it open? Call 050 8238."
    try:
        reading = front.read(text, HTS_VOICE)
    except FestivalError:
        pytest.skip(f"festival's {HTS_VOICE} voice is not installed")
    # One utterance per sentence, numbers and symbols in Festival's words.
    assert reading.words == (
        "Save five percent on strawberries",
        "Is it open",
        "Call zero five zero eight two three eight",
    )
    assert len(reading.utterances) == 3
    assert all(u[0].name == "pau" and u[-1].name == "pau" for u in reading.utterances)
    assert [s.name for s in reading.utterances[1][1:-1]] == [
        "ih",
        "z",
        "ih",
        "t",
        "ow",
        "p",
        "ax",
        "n",
    ]
    assert reading.segments == tuple(s for u in reading.utterances for s in u)
    assert front.read(text, HTS_VOICE) is reading  # cached
    assert front.read("  ", HTS_VOICE) == FestivalReading((), ())
    with pytest.raises(ValueError):
        front.read(text, 'slt) (system "true")')


def test_festival_s_report_is_parsed() -> None:
    reading = _parse(
        [
            "CWSEG pau:0:0:0.2 hh:1:1:0.28 ay:1:1:0.45 pau:0:0:0.65",
            "CWWORD hi",
            "some diagnostic line",
        ]
    )
    assert reading.words == ("hi",)
    (utterance,) = reading.utterances
    assert [s.name for s in utterance] == ["pau", "hh", "ay", "pau"]
    assert [round(s.seconds, 3) for s in utterance] == [0.2, 0.08, 0.17, 0.2]
    assert utterance[1].stressed and utterance[1].boundary == 1


def test_a_festival_that_keeps_failing_is_a_clear_unavailable_error() -> None:
    front = FestivalFront("/bin/false")  # exits at once: every request fails
    try:
        with pytest.raises(ServiceUnavailable, match="Festival's front end failed twice"):
            front.read("Hello there.", HTS_VOICE)
    finally:
        front.close()
