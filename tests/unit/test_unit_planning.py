"""speeches/planning.py: from a script and a TTS request to the section files to render."""

from __future__ import annotations

from typing import Any

import pytest

from castwright.config import SpeechSettings, VoiceAlias
from castwright.errors import Invalid
from castwright.speech.engines.fake import FakeEngine
from castwright.speech.engines.registry import EngineRegistry
from castwright.speech.render import Pause, SectionPlan, SpeechRun
from castwright.speech.text.markup import parse_script
from castwright.speeches.planning import (
    MAX_AUDIENCE_COMBINATIONS,
    SectionOverride,
    TtsOptions,
    check_speed,
    parse_padding,
    plan_speech,
)
from castwright.voices.catalogue import VoiceCatalogue

SCRIPT = (
    "<as:section name='intro'>Hello <as:placeholder id='name'>friend</as:placeholder>!"
    "<as:sub name='introcity'>Welcome to <as:placeholder id='city'>town</as:placeholder>."
    "</as:sub></as:section>"
    "<as:section name='main'>Our store opens at 9:30 on May 3rd. Prices from $5.99.</as:section>"
    "<as:section name='outro'>Goodbye, <as:placeholder id='name'>friend</as:placeholder>."
    "</as:section>"
)


@pytest.fixture(scope="module")
def catalogue() -> VoiceCatalogue:
    settings = SpeechSettings(
        default_voice="hum",
        voice_aliases=[
            VoiceAlias(alias="hum", engine="fake", voice_id="fake"),
            VoiceAlias(alias="drone", engine="fake", voice_id="fake", variant="low", rate=0.8),
        ],
    )
    return VoiceCatalogue.build(EngineRegistry([FakeEngine()]), settings)


def plan(catalogue: VoiceCatalogue, script: str = SCRIPT, **options: Any) -> list[SectionPlan]:
    return plan_speech(parse_script(script), TtsOptions(**options), catalogue)


def invalid_field(error: pytest.ExceptionInfo[Invalid]) -> str | None:
    return error.value.field


# -- padding ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (None, 0.0),
        ("", 0.0),
        ("0", 0.0),
        ("500000", 0.5),  # documented: microseconds
        ("1000000", 1.0),
        (1000000, 1.0),
        (250000.0, 0.25),
        ("1500us", 0.0015),
        ("500ms", 0.5),
        ("500MS", 0.5),
        (" 250 ms ", 0.25),
        ("1.5s", 1.5),
        ("2S", 2.0),
        ("30s", 30.0),
        ("30000000", 30.0),
    ],
)
def test_parse_padding_forms(value: str | float | None, seconds: float) -> None:
    assert parse_padding(value) == pytest.approx(seconds)


@pytest.mark.parametrize("value", ["-1", "abc", "1 minute", "1.5.2s", "1h", "ms", "5 s s"])
def test_parse_padding_rejects_nonsense_naming_the_field(value: str) -> None:
    with pytest.raises(Invalid) as caught:
        parse_padding(value)
    assert invalid_field(caught) == "silencePadding"
    with pytest.raises(Invalid) as caught:
        parse_padding(value, "sections.intro.silencePadding")
    assert invalid_field(caught) == "sections.intro.silencePadding"


@pytest.mark.parametrize("value", ["31s", "30001ms", "30000001"])
def test_parse_padding_has_a_ceiling(value: str) -> None:
    with pytest.raises(Invalid, match="30 seconds"):
        parse_padding(value)


# -- speed --------------------------------------------------------------------------------------


@pytest.mark.parametrize("speed", [0.5, 1.0, 2.75, 3.0])
def test_speed_within_bounds(speed: float) -> None:
    assert check_speed(speed) == speed


@pytest.mark.parametrize("speed", [0.0, 0.49, 3.01, -1.0, 10.0])
def test_speed_out_of_bounds(catalogue: VoiceCatalogue, speed: float) -> None:
    with pytest.raises(Invalid) as caught:
        plan(catalogue, speed=speed)
    assert invalid_field(caught) == "speed"
    with pytest.raises(Invalid) as caught:
        plan(catalogue, sections={"main": SectionOverride(speed=speed)})
    assert invalid_field(caught) == "sections.main.speed"


# -- voices and defaults ------------------------------------------------------------------------


def test_defaults(catalogue: VoiceCatalogue) -> None:
    plans = plan(catalogue)
    assert [p.section_name for p in plans] == ["intro", "introcity", "main", "outro"]
    assert [p.parent for p in plans] == [None, "intro", None, None]
    assert {p.voice.alias for p in plans} == {"hum"}
    assert {p.speed for p in plans} == {1.0}
    assert {p.padding_seconds for p in plans} == {0.0}
    assert plans[0].audience == {}
    assert plans[0].preview == "Hello friend!"  # placeholder defaults
    assert plans[1].preview == "Welcome to town."


def test_voice_by_alias_any_case(catalogue: VoiceCatalogue) -> None:
    assert {p.voice.alias for p in plan(catalogue, voice="  DRONE ")} == {"drone"}


def test_unknown_voice_names_the_field(catalogue: VoiceCatalogue) -> None:
    with pytest.raises(Invalid, match="nobody") as caught:
        plan(catalogue, voice="nobody")
    assert invalid_field(caught) == "voice"
    with pytest.raises(Invalid) as caught:
        plan(catalogue, sections={"outro": SectionOverride(voice="nobody")})
    assert invalid_field(caught) == "sections.outro.voice"


# -- audience -----------------------------------------------------------------------------------


def test_audience_values_fill_placeholders(catalogue: VoiceCatalogue) -> None:
    plans = plan(catalogue, audience={"name": "Ada", "city": "Paris"})
    by_name = {p.section_name: p for p in plans}
    assert by_name["intro"].audience == {"name": "Ada"}  # only the keys the section uses
    assert by_name["intro"].preview == "Hello Ada!"
    assert by_name["introcity"].audience == {"city": "Paris"}
    assert by_name["main"].audience == {}
    assert by_name["outro"].preview == "Goodbye, Ada."


def test_audience_arrays_expand_per_section(catalogue: VoiceCatalogue) -> None:
    plans = plan(catalogue, audience={"name": ["Ada", "Bob"], "city": ["Paris", "Rome", "Oslo"]})
    names = [p.section_name for p in plans]
    # 2 names x 3 cities = 6 combinations, but each section renders only its distinct ones.
    assert names == ["intro"] * 2 + ["introcity"] * 3 + ["main"] + ["outro"] * 2
    assert [p.audience for p in plans if p.section_name == "intro"] == [
        {"name": "Ada"},
        {"name": "Bob"},
    ]
    assert [p.preview for p in plans if p.section_name == "introcity"] == [
        "Welcome to Paris.",
        "Welcome to Rome.",
        "Welcome to Oslo.",
    ]


def test_audience_for_one_section_uses_the_full_product(catalogue: VoiceCatalogue) -> None:
    script = (
        "<as:section name='s'><as:placeholder id='a'>x</as:placeholder> "
        "<as:placeholder id='b'>y</as:placeholder></as:section>"
    )
    plans = plan(catalogue, script, audience={"a": ["1", "2"], "b": ["3", "4"], "unused": "z"})
    assert sorted(p.preview for p in plans) == ["one four", "one three", "two four", "two three"]
    assert all(set(p.audience) == {"a", "b"} for p in plans)


def test_numbers_in_the_audience_are_text(catalogue: VoiceCatalogue) -> None:
    plans = plan(catalogue, audience={"name": 7})
    assert plans[0].audience == {"name": "7"}


@pytest.mark.parametrize("value", [[], {"first": "Ada"}, [["nested"]], None, [{"x": 1}]])
def test_bad_audience_values_name_the_key(catalogue: VoiceCatalogue, value: object) -> None:
    with pytest.raises(Invalid) as caught:
        plan(catalogue, audience={"name": value})
    assert invalid_field(caught) == "audience.name"


def test_too_many_combinations(catalogue: VoiceCatalogue) -> None:
    values = [str(n) for n in range(11)]
    assert len(values) ** 2 > MAX_AUDIENCE_COMBINATIONS
    with pytest.raises(Invalid, match="121 combinations") as caught:
        plan(catalogue, audience={"name": values, "city": values})
    assert invalid_field(caught) == "audience"


def test_placeholder_without_default_or_value(catalogue: VoiceCatalogue) -> None:
    script = "<as:section name='s'>Hi <as:placeholder id='who'/>.</as:section>"
    with pytest.raises(Invalid, match="who") as caught:
        plan(catalogue, script)
    assert invalid_field(caught) == "audience.who"
    assert plan(catalogue, script, audience={"who": "Ada"})[0].preview == "Hi Ada."


# -- per-section overrides ----------------------------------------------------------------------


def test_section_overrides(catalogue: VoiceCatalogue) -> None:
    plans = plan(
        catalogue,
        speed=1.5,
        silence_padding="1s",
        sections={
            "main": SectionOverride(voice="drone", speed=0.75, silence_padding="200ms"),
            "outro": SectionOverride(speed=2.0),
        },
    )
    by_name = {p.section_name: p for p in plans}
    assert (by_name["intro"].voice.alias, by_name["intro"].speed) == ("hum", 1.5)
    assert by_name["intro"].padding_seconds == 1.0
    main = by_name["main"]
    assert (main.voice.alias, main.speed, main.padding_seconds) == ("drone", 0.75, 0.2)
    outro = by_name["outro"]
    assert (outro.voice.alias, outro.speed, outro.padding_seconds) == ("hum", 2.0, 1.0)


def test_sub_sections_inherit_their_parents_override(catalogue: VoiceCatalogue) -> None:
    plans = plan(catalogue, sections={"intro": SectionOverride(voice="drone", speed=1.2)})
    by_name = {p.section_name: p for p in plans}
    assert (by_name["introcity"].voice.alias, by_name["introcity"].speed) == ("drone", 1.2)
    own = plan(
        catalogue,
        sections={
            "intro": SectionOverride(voice="drone"),
            "introcity": SectionOverride(speed=2.5),
        },
    )
    sub = {p.section_name: p for p in own}["introcity"]
    assert (sub.voice.alias, sub.speed) == ("hum", 2.5)  # its own override wins outright


def test_override_for_an_unknown_section(catalogue: VoiceCatalogue) -> None:
    with pytest.raises(Invalid) as caught:
        plan(catalogue, sections={"middle": SectionOverride(speed=1.2)})
    assert invalid_field(caught) == "sections.middle"


def test_bad_padding_override_names_the_section(catalogue: VoiceCatalogue) -> None:
    with pytest.raises(Invalid) as caught:
        plan(catalogue, sections={"main": SectionOverride(silence_padding="loud")})
    assert invalid_field(caught) == "sections.main.silencePadding"


# -- sectionToProduce ---------------------------------------------------------------------------


def test_section_to_produce(catalogue: VoiceCatalogue) -> None:
    assert [p.section_name for p in plan(catalogue, section_to_produce="main")] == ["main"]
    # A section brings its sub-sections; a sub-section can be asked for alone.
    assert [p.section_name for p in plan(catalogue, section_to_produce="intro")] == [
        "intro",
        "introcity",
    ]
    assert [p.section_name for p in plan(catalogue, section_to_produce="introcity")] == [
        "introcity"
    ]
    many = plan(catalogue, section_to_produce="outro", audience={"name": ["Ada", "Bob"]})
    assert [p.preview for p in many] == ["Goodbye, Ada.", "Goodbye, Bob."]


def test_unknown_section_to_produce_lists_the_sections(catalogue: VoiceCatalogue) -> None:
    with pytest.raises(Invalid, match="intro, introcity, main, outro") as caught:
        plan(catalogue, section_to_produce="finale")
    assert invalid_field(caught) == "sectionToProduce"


# -- voice intelligence -------------------------------------------------------------------------


def test_markup_switches_normalisation_on(catalogue: VoiceCatalogue) -> None:
    main = plan(catalogue, section_to_produce="main")[0]
    assert main.preview == (
        "Our store opens at nine thirty on May third. "
        "Prices from five dollars and ninety-nine cents."
    )


def test_plain_text_is_normalised_only_when_asked(catalogue: VoiceCatalogue) -> None:
    plain = "It costs $5 on May 3rd."
    assert plan(catalogue, plain)[0].preview == plain
    assert plan(catalogue, plain, voice_intelligence=True)[0].preview == (
        "It costs five dollars on May third."
    )


def test_breaks_become_pauses(catalogue: VoiceCatalogue) -> None:
    (only,) = plan(catalogue, "One. <as:break time='750ms'/> Two.")
    kinds = [type(s) for s in only.segments]
    assert kinds == [SpeechRun, Pause, SpeechRun]
    assert only.segments[1] == Pause(0.75)


# -- the stored form of a request ---------------------------------------------------------------


def test_options_round_trip_through_json() -> None:
    options = TtsOptions(
        voice="drone",
        speed=1.25,
        silence_padding="500000",
        audience={"name": ["Ada", "Bob"]},
        sections={"main": SectionOverride(voice="hum", speed=2.0, silence_padding="1s")},
        section_to_produce="main",
        voice_intelligence=True,
    )
    assert TtsOptions.from_json(options.as_json()) == options
    assert TtsOptions.from_json({}) == TtsOptions()
