"""The timeline's arithmetic: where speech and music beds go, from durations alone.

``layout_timeline`` and the two property parsers are pure functions of seconds, so every rule
is checked here exactly, with no audio: the default intro/main/outro shape, sections over
named segments, sub-sections, alignment, padding, forced lengths with and without an outro,
and what strict and non-strict validation do with requests that do not fit.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from castwright.errors import Invalid
from castwright.production.timeline import (
    BED_CROSSFADE,
    DEFAULT_LEAD_IN,
    DEFAULT_TAIL,
    Bed,
    Layout,
    SectionProps,
    SpeechPiece,
    TimelineProps,
    layout_timeline,
    parse_section_properties,
    parse_timeline_properties,
)

TEMPLATE = {"intro": 4.0, "main": 8.0, "outro": 3.0}
HALF = BED_CROSSFADE / 2


def piece(name: str, seconds: float, segment: str = "", parent: str | None = None) -> SpeechPiece:
    return SpeechPiece(name, parent, seconds, segment)


TWO = [piece("intro", 1.0), piece("main", 2.0)]


def layout(
    pieces: list[SpeechPiece] = TWO,
    lengths: dict[str, float] | None = TEMPLATE,
    sections: dict[str, Any] | None = None,
    timeline: dict[str, Any] | None = None,
    strict: bool = True,
) -> Layout:
    return layout_timeline(
        pieces,
        lengths,
        parse_section_properties(sections or {}),
        parse_timeline_properties(timeline or {}),
        strict,
    )


def field_of(error: pytest.ExceptionInfo[Invalid]) -> str | None:
    field: str | None = error.value.field
    return field


def spans(result: Layout) -> list[tuple[str, float, float]]:
    return [(b.segment, round(b.start, 6), round(b.end, 6)) for b in result.beds]


# -- the default shape -------------------------------------------------------------------------


def test_default_shape_is_intro_then_main_under_the_speech_then_outro() -> None:
    result = layout()
    assert result.speech_at == [DEFAULT_LEAD_IN, DEFAULT_LEAD_IN + 1.0]
    speech_end = DEFAULT_LEAD_IN + 3.0
    main_end = speech_end + DEFAULT_TAIL
    assert result.beds == [
        # The intro plays as written, cut (with a fade) half a second into the speech ...
        Bed("intro", 0.0, DEFAULT_LEAD_IN + BED_CROSSFADE, 0.0, BED_CROSSFADE, loop=False),
        # ... under which the main bed comes in, looping under all the speech and the tail ...
        Bed("main", DEFAULT_LEAD_IN, main_end + BED_CROSSFADE, BED_CROSSFADE, BED_CROSSFADE),
        # ... and the outro plays out in full after the tail.
        Bed("outro", main_end, main_end + 3.0, BED_CROSSFADE, 0.0, loop=False),
    ]
    assert result.length == pytest.approx(main_end + 3.0)
    assert (result.fade_in, result.fade_out, result.padding, result.warnings) == (0, 0, 0, [])


def test_every_join_between_beds_overlaps_by_a_crossfade() -> None:
    beds = layout().beds
    for before, after in itertools.pairwise(beds):
        assert before.end - after.start == pytest.approx(BED_CROSSFADE)
        assert before.fade_out == after.fade_in == BED_CROSSFADE


def test_a_short_intro_sets_the_lead_in() -> None:
    result = layout(lengths={"intro": 1.2, "main": 8.0, "outro": 3.0})
    assert result.speech_at[0] == pytest.approx(1.2)
    assert spans(result)[:2] == [("intro", 0.0, 1.2), ("main", 0.7, 1.2 + 3.0 + DEFAULT_TAIL + 0.5)]


def test_without_an_intro_the_main_bed_starts_the_programme() -> None:
    result = layout(lengths={"main": 8.0, "outro": 3.0})
    assert result.speech_at[0] == DEFAULT_LEAD_IN
    assert result.beds[0] == Bed("main", 0.0, DEFAULT_LEAD_IN + 3.0 + DEFAULT_TAIL + 0.5, 0, 0.5)


def test_a_template_without_main_loops_its_first_segment() -> None:
    result = layout(lengths={"bed": 5.0})
    assert spans(result) == [("bed", 0.0, DEFAULT_LEAD_IN + 3.0 + DEFAULT_TAIL + BED_CROSSFADE)]
    assert result.beds[0].loop


def test_speech_only_has_no_lead_in_no_tail_and_no_beds() -> None:
    result = layout(lengths=None)
    assert result.speech_at == [0.0, 1.0]
    assert result.beds == []
    assert result.length == pytest.approx(3.0)


def test_speech_start_and_sound_tail_replace_the_defaults() -> None:
    result = layout(timeline={"speechStart": 5.0, "soundTail": 0.25})
    assert result.speech_at == [5.0, 6.0]
    # Past the intro's own length: the intro plays whole and the main bed takes over.
    assert spans(result) == [("intro", 0.0, 4.0), ("main", 3.5, 8.75), ("outro", 8.25, 11.25)]
    assert result.length == pytest.approx(8.25 + 3.0)


def test_speech_start_zero_skips_the_intro() -> None:
    result = layout(timeline={"speechStart": 0})
    assert result.speech_at[0] == 0.0
    assert [b.segment for b in result.beds] == ["main", "outro"]


def test_timeline_fades_and_padding() -> None:
    result = layout(timeline={"fadeIn": 1.5, "fadeOut": 2.0, "padding": 0.75})
    assert (result.fade_in, result.fade_out, result.padding) == (1.5, 2.0, 0.75)
    assert result.length == pytest.approx(layout().length + 0.75)
    assert max(b.end for b in result.beds) == pytest.approx(result.length - 0.75)


# -- sections ----------------------------------------------------------------------------------


def test_start_at_places_a_section_and_the_next_follows_it() -> None:
    result = layout(
        [piece("a", 1.0), piece("b", 2.0), piece("c", 1.0)], sections={"b": {"startAt": 10}}
    )
    assert result.speech_at == [DEFAULT_LEAD_IN, 10.0, 12.0]


@pytest.mark.parametrize(
    ("alignment", "offset"), [("left", 0.0), ("centre", 1.5), ("center", 1.5), ("right", 3.0)]
)
def test_alignment_places_the_speech_inside_its_region(alignment: str, offset: float) -> None:
    sections = {"main": {"startAt": 6.0, "endAt": 11.0, "alignment": alignment}}
    result = layout(sections=sections)
    assert result.speech_at[1] == pytest.approx(6.0 + offset)  # 5 s of room, 2 s of speech


def test_a_region_ending_at_end_at_pushes_the_next_section() -> None:
    result = layout(
        [piece("a", 1.0), piece("b", 1.0)], lengths=None, sections={"a": {"endAt": 4.0}}
    )
    assert result.speech_at == [0.0, 4.0]


def test_section_padding_is_silence_before_the_next_section() -> None:
    result = layout(sections={"intro": {"padding": 0.8}})
    assert result.speech_at == [DEFAULT_LEAD_IN, DEFAULT_LEAD_IN + 1.0 + 0.8]
    assert result.length == pytest.approx(layout().length + 0.8)


def test_end_at_too_early_for_the_speech() -> None:
    sections = {"main": {"startAt": 6.0, "endAt": 7.0}}
    with pytest.raises(Invalid) as error:
        layout(sections=sections)
    assert field_of(error) == "sectionProperties.main.endAt"
    assert "needs 2.00 s" in str(error.value)

    lenient = layout(sections=sections, strict=False)
    assert lenient.speech_at[1] == 6.0  # extended to fit, not cut
    assert len(lenient.warnings) == 1
    assert lenient.warnings[0].startswith("sectionProperties.main.endAt:")
    assert lenient.warnings[0].endswith("extended")


def test_properties_for_a_section_the_speech_lacks() -> None:
    with pytest.raises(Invalid) as error:
        layout(sections={"outro": {"padding": 1}})
    assert field_of(error) == "sectionProperties.outro"


# -- sections over named segments -------------------------------------------------------------


NAMED = [piece("a", 1.0, "intro"), piece("b", 2.0, "main"), piece("c", 1.5, "outro")]


def test_each_section_lies_over_the_segment_it_names() -> None:
    result = layout(NAMED)
    lead = DEFAULT_LEAD_IN
    assert result.speech_at == [lead, lead + 1.0, lead + 3.0]
    speech_end = lead + 4.5
    assert result.beds == [
        Bed("intro", 0.0, lead + 1.0 + HALF, 0.0, BED_CROSSFADE),  # from the very start
        Bed("main", lead + 1.0, lead + 3.0 + HALF, BED_CROSSFADE, BED_CROSSFADE),
        Bed("outro", lead + 3.0, speech_end + DEFAULT_TAIL + HALF, BED_CROSSFADE, BED_CROSSFADE),
    ]
    assert result.length == pytest.approx(speech_end + DEFAULT_TAIL + HALF)


def test_segment_names_match_in_any_case() -> None:
    assert [b.segment for b in layout([piece("a", 1.0, "MAIN")]).beds] == ["main"]


def test_a_section_naming_no_segment_has_no_music_under_it() -> None:
    pieces = [piece("a", 1.0, "intro"), piece("b", 2.0), piece("c", 1.0, "outro")]
    result = layout(pieces)
    assert [b.segment for b in result.beds] == ["intro", "outro"]
    assert result.beds[0].end == pytest.approx(result.speech_at[1] + HALF)
    assert result.beds[1].start == pytest.approx(result.speech_at[2])


def test_section_fades_shape_their_own_bed() -> None:
    result = layout(NAMED, sections={"b": {"fadeIn": 1.25, "fadeOut": 0}})
    assert (result.beds[1].fade_in, result.beds[1].fade_out) == (1.25, 0.0)
    assert (result.beds[0].fade_in, result.beds[0].fade_out) == (0.0, BED_CROSSFADE)


def test_an_unknown_segment_names_the_section() -> None:
    with pytest.raises(Invalid) as error:
        layout([piece("a", 1.0, "intro"), piece("b", 1.0, "bridge")])
    assert field_of(error) == "sections.b.soundSegment"
    assert "intro, main, outro" in str(error.value)


# -- sub-sections ------------------------------------------------------------------------------


SUBS = [piece("intro", 1.0), piece("ma", 1.0, "main", "main"), piece("mb", 2.0, "main", "main")]


def test_sub_sections_follow_each_other_over_one_bed() -> None:
    result = layout(SUBS)
    lead = DEFAULT_LEAD_IN
    assert result.speech_at == [lead, lead + 1.0, lead + 2.0]
    # One bed for the whole section: the music does not start again at each sub-section.
    assert result.beds == [
        Bed("main", lead + 1.0, lead + 4.0 + DEFAULT_TAIL + HALF, BED_CROSSFADE, BED_CROSSFADE)
    ]


def test_a_sections_properties_place_its_sub_sections_as_one_block() -> None:
    sections = {"main": {"startAt": 6.0, "endAt": 12.0, "alignment": "right", "fadeIn": 2.0}}
    result = layout(SUBS, sections=sections)
    assert result.speech_at == [DEFAULT_LEAD_IN, 9.0, 10.0]  # 3 s of speech ending at 12 s
    assert result.beds == [Bed("main", 6.0, 12.0 + DEFAULT_TAIL + HALF, 2.0, BED_CROSSFADE)]


def test_a_sub_sections_own_properties_apply_to_it_alone() -> None:
    result = layout(SUBS, sections={"ma": {"padding": 0.5}, "main": {"padding": 1.0}})
    lead = DEFAULT_LEAD_IN
    assert result.speech_at == [lead, lead + 1.0, lead + 2.5]
    assert result.length == pytest.approx(lead + 4.5 + DEFAULT_TAIL + HALF)


def test_a_section_with_sub_sections_too_long_for_its_end_at() -> None:
    with pytest.raises(Invalid) as error:
        layout(SUBS, sections={"main": {"startAt": 6.0, "endAt": 8.0}})
    assert field_of(error) == "sectionProperties.main.endAt"


# -- forced length -----------------------------------------------------------------------------


def test_force_length_with_an_outro_moves_the_outro_to_the_end() -> None:
    result = layout(timeline={"forceLength": 20.0})
    assert result.length == 20.0
    intro, main, outro = result.beds
    assert outro == Bed("outro", 17.0, 20.0, BED_CROSSFADE, 0.0, loop=False)  # whole, at the end
    assert (main.start, main.end) == (pytest.approx(DEFAULT_LEAD_IN), pytest.approx(17.5))
    assert main.loop  # the main bed loops to meet it
    assert intro.segment == "intro"


def test_force_length_shorter_than_the_natural_length_shrinks_the_main_bed() -> None:
    natural = layout().length  # 2 + 3 + 1.5 + 3 = 9.5 s
    result = layout(timeline={"forceLength": natural - 2.0})
    assert result.length == natural - 2.0
    assert spans(result)[-1] == ("outro", natural - 5.0, natural - 2.0)
    assert spans(result)[-2][2] == pytest.approx(natural - 5.0 + BED_CROSSFADE)


def test_force_length_without_an_outro_stretches_the_last_bed_and_fades_it() -> None:
    result = layout(lengths={"intro": 4.0, "main": 8.0}, timeline={"forceLength": 15.0})
    assert result.length == 15.0
    last = result.beds[-1]
    assert (last.segment, last.end, last.loop) == ("main", 15.0, True)
    assert last.fade_out >= BED_CROSSFADE


def test_force_length_without_music_pads_the_speech() -> None:
    result = layout(lengths=None, timeline={"forceLength": 7.0, "padding": 0.5})
    assert (result.beds, result.length) == ([], 7.5)


def test_force_length_over_named_segments_ends_the_last_bed_there() -> None:
    result = layout(NAMED, timeline={"forceLength": 12.0})
    assert result.length == 12.0
    assert (result.beds[-1].segment, result.beds[-1].end) == ("outro", 12.0)


def test_force_length_shorter_than_the_speech() -> None:
    with pytest.raises(Invalid) as error:
        layout(timeline={"forceLength": 4.0})  # the speech ends at 5 s
    assert field_of(error) == "timelineProperties.forceLength"
    assert "5.00 s" in str(error.value)

    lenient = layout(timeline={"forceLength": 4.0}, strict=False)
    assert lenient.length == layout().length  # the speech is kept, and all its music
    assert len(lenient.warnings) == 1
    assert lenient.warnings[0].startswith("timelineProperties.forceLength:")


# -- the parsers -------------------------------------------------------------------------------


def test_section_properties_are_parsed_with_defaults() -> None:
    parsed = parse_section_properties(
        {"a": {"startAt": "1.5", "endAt": 4, "alignment": "Center", "fadeIn": None}, "b": {}}
    )
    assert parsed["a"] == SectionProps(start_at=1.5, end_at=4.0, alignment="centre")
    assert parsed["b"] == SectionProps()


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"a": {"startAt": 5, "endAt": 4}}, "sectionProperties.a.endAt"),
        ({"a": {"startAt": 5, "endAt": 5}}, "sectionProperties.a.endAt"),
        ({"a": {"startAt": -1}}, "sectionProperties.a.startAt"),
        ({"a": {"fadeIn": "soon"}}, "sectionProperties.a.fadeIn"),
        ({"a": {"fadeOut": True}}, "sectionProperties.a.fadeOut"),
        ({"a": {"padding": float("nan")}}, "sectionProperties.a.padding"),
        ({"a": {"alignment": "middle"}}, "sectionProperties.a.alignment"),
        ({"a": {"volume": 3}}, "sectionProperties.a.volume"),
        ({"a": 3}, "sectionProperties.a"),
    ],
)
def test_bad_section_properties_name_their_field(raw: dict[str, Any], field: str) -> None:
    with pytest.raises(Invalid) as error:
        parse_section_properties(raw)
    assert field_of(error) == field
    assert str(error.value).startswith(field)


def test_timeline_properties_are_parsed_with_defaults() -> None:
    assert parse_timeline_properties({}) == TimelineProps()
    parsed = parse_timeline_properties(
        {"forceLength": 30, "speechStart": "0", "soundTail": 2, "fadeOut": 1, "padding": None}
    )
    assert parsed == TimelineProps(force_length=30, speech_start=0, sound_tail=2, fade_out=1)


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"forceLength": 0}, "timelineProperties.forceLength"),
        ({"forceLength": -5}, "timelineProperties.forceLength"),
        ({"forceLength": 86401}, "timelineProperties.forceLength"),
        ({"speechStart": -0.5}, "timelineProperties.speechStart"),
        ({"soundTail": float("inf")}, "timelineProperties.soundTail"),
        ({"fadeIn": [1]}, "timelineProperties.fadeIn"),
        ({"length": 3}, "timelineProperties.length"),
    ],
)
def test_bad_timeline_properties_name_their_field(raw: dict[str, Any], field: str) -> None:
    with pytest.raises(Invalid) as error:
        parse_timeline_properties(raw)
    assert field_of(error) == field
