"""What the streaming core checks before any byte is sent, and how it plans text as it goes:
plain text in blocks of sentences, normalised exactly as the batch path normalises it whole."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from castwright.config import SpeechSettings
from castwright.errors import Invalid
from castwright.speech.engines.registry import EngineRegistry
from castwright.speech.render import SpeechRun
from castwright.speech.streaming.request import StreamRequest, prepare
from castwright.speech.text.markup import parse_script
from castwright.speeches.planning import TtsOptions, plan_speech
from castwright.voices.catalogue import VoiceCatalogue

TEXT = (
    "Dr. Smith paid $3.50 on 14 March 2024 at 9:30. The U.S. team won 3-2! "
    "Call 555-0100, or e-mail us. It was 21°C; we walked 2.5 km. " * 30
)


@pytest.fixture(scope="module")
def catalogue() -> Iterator[VoiceCatalogue]:
    settings = SpeechSettings()
    yield VoiceCatalogue.build(EngineRegistry.load(settings.engines), settings)


def _spoken(plans: Any) -> str:
    return " ".join(
        segment.text
        for plan in plans
        for segment in plan.segments
        if isinstance(segment, SpeechRun)
    )


def test_plain_text_is_planned_in_blocks_like_the_batch_path(catalogue: VoiceCatalogue) -> None:
    prepared = prepare(StreamRequest(text=TEXT, voice="isaac", org_id="o"), catalogue)
    blocks = prepared.plans.blocks
    assert len(blocks) > 3 and blocks[0] == "Dr. Smith paid $3.50 on 14 March 2024 at 9:30."
    whole = plan_speech(
        parse_script(TEXT), TtsOptions(voice="isaac", voice_intelligence=True), catalogue
    )
    streamed = _spoken(prepared.plans)
    assert "three dollars" in streamed.lower() and "$" not in streamed
    assert streamed.split() == _spoken(whole).split()


def test_markup_is_planned_whole_and_plain_text_option_escapes_it(
    catalogue: VoiceCatalogue,
) -> None:
    markup = "<speak>One. <break time='1s'/> Two.</speak>"
    parsed = prepare(StreamRequest(text=markup, voice="isaac", org_id="o"), catalogue)
    assert parsed.plans.blocks == () and len(parsed.plans.planned) == 1
    said = prepare(StreamRequest(text=markup, voice="isaac", org_id="o", markup=False), catalogue)
    assert "break" in _spoken(said.plans)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"text": "  "}, "text"),
        ({"voice": "nobody"}, "voice"),
        ({"speed": 0.2}, "speed"),
        ({"speed": float("nan")}, "speed"),
        ({"format": "midi"}, "format"),
        ({"bitrate": 999}, "bitrate"),
        ({"format": "opus", "bitrate": 300}, "bitrate"),
        ({"format": "opus", "sample_rate": 44_100}, "sample_rate"),
        ({"sample_rate": 4_000, "format": "wav"}, "sample_rate"),
        ({"language": "de"}, "language"),
        ({"text": "<as:section name='a'>unclosed"}, "text"),
    ],
)
def test_bad_requests_name_the_field(
    catalogue: VoiceCatalogue, change: dict[str, Any], field: str
) -> None:
    request = StreamRequest(**{"text": "Hello.", "voice": "isaac", "org_id": "o", **change})
    with pytest.raises(Invalid) as caught:
        prepare(request, catalogue)
    assert caught.value.field == field


def test_format_rules_fix_the_rate(catalogue: VoiceCatalogue) -> None:
    def rate(fmt: str, default: int | None = None) -> int | None:
        request = StreamRequest(text="Hi.", voice="isaac", org_id="o", format=fmt)
        return prepare(request, catalogue, default).sample_rate

    assert (rate("opus"), rate("pcm"), rate("wav"), rate("mp3")) == (48_000, 24_000, None, None)
    assert rate("wav", 44_100) == 44_100 and rate("opus", 44_100) == 48_000
