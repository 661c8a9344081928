"""Script markup (spec 8.3): tags, whitespace, section naming, errors with their offsets."""

from __future__ import annotations

import contextlib
import math
import time

import pytest

from castwright.errors import Invalid
from castwright.speech.text.document import (
    NEUTRAL,
    Break,
    Marker,
    Placeholder,
    Prosody,
    ScriptDocument,
    Section,
    Text,
)
from castwright.speech.text.markup import document_plain_text, parse_script, section_plain_text
from castwright.speech.text.normalise import normalise
from castwright.speech.text.ssml_values import (
    clamp_prosody,
    parse_break_strength,
    parse_pitch,
    parse_rate,
    parse_time,
    parse_volume,
)

AUDIOSTACK_EXAMPLE = (
    "<as:section name='intro'>Hello <as:placeholder id='name'>friend</as:placeholder>!"
    "</as:section><as:section name='main'>Our store opens at 9:30 on May 3rd. "
    "Prices from $5.99.</as:section>"
)


def errors_of(script: str) -> list[str]:
    with pytest.raises(Invalid) as caught:
        parse_script(script)
    assert caught.value.field == "scriptText"
    assert caught.value.message == "scriptText: Script markup is invalid"
    assert all(error.startswith("scriptText: ") for error in caught.value.errors)
    return caught.value.errors


def only_section(document: ScriptDocument) -> Section:
    assert len(document.sections) == 1
    return document.sections[0]


def texts(section: Section) -> list[str]:
    return [item.text for item in section.items if isinstance(item, Text)]


def assert_prosody(
    actual: Prosody, rate: float = 1.0, pitch: float = 1.0, volume: float = 1.0
) -> None:
    assert math.isclose(actual.rate, rate, rel_tol=1e-3), actual
    assert math.isclose(actual.pitch, pitch, rel_tol=1e-3), actual
    assert math.isclose(actual.volume, volume, rel_tol=1e-3), actual


# -- the AudioStack example ----------------------------------------------------------------


def test_audiostack_example_parses_into_two_sections() -> None:
    document = parse_script(AUDIOSTACK_EXAMPLE)
    assert document.uses_markup
    assert document.warnings == []
    intro, main = document.sections
    assert intro == Section(
        "intro", "", None, [Text("Hello "), Placeholder("name", "friend"), Text("!")]
    )
    assert main.name == "main"
    assert main.items == [Text("Our store opens at 9:30 on May 3rd. Prices from $5.99.")]
    assert intro.placeholders == ["name"]


def test_audiostack_example_renders_and_normalises() -> None:
    document = parse_script(AUDIOSTACK_EXAMPLE)
    intro = document.section("intro")
    main = document.section("main")
    assert intro is not None and main is not None
    assert section_plain_text(intro, {}) == "Hello friend!"
    assert section_plain_text(intro, {"name": "Sam"}) == "Hello Sam!"
    assert normalise(section_plain_text(main, {})) == (
        "Our store opens at nine thirty on May third. "
        "Prices from five dollars and ninety-nine cents."
    )


# -- sections and naming -------------------------------------------------------------------


def test_plain_text_is_one_default_section_without_markup() -> None:
    document = parse_script("  Just   some\n\ttext.  ")
    assert only_section(document) == Section("default", items=[Text("Just some text.")])
    assert not document.uses_markup


def test_empty_script_has_no_sections() -> None:
    assert parse_script("").sections == []
    assert parse_script("   \n ").sections == []


def test_text_outside_sections_gets_numbered_sections() -> None:
    document = parse_script(
        "Welcome. <as:section name='a'>A</as:section>\n  \n<as:section>B</as:section> Bye."
    )
    assert [s.name for s in document.sections] == ["section_1", "a", "section_3", "section_4"]
    assert [texts(s) for s in document.sections] == [["Welcome."], ["A"], ["B"], ["Bye."]]


def test_generated_names_step_around_names_the_user_took() -> None:
    document = parse_script("intro <as:section name='section_1'>x</as:section>")
    assert [s.name for s in document.sections] == ["section_1_2", "section_1"]


def test_sound_segment_attribute_any_case() -> None:
    document = parse_script(
        '<as:section name="a" soundsegment="intro">x</as:section>'
        '<as:section name="b" soundSegment="main">y</as:section>'
        '<as:section name="c">z</as:section>'
    )
    assert [s.sound_segment for s in document.sections] == ["intro", "main", ""]


def test_tag_and_attribute_names_are_case_insensitive() -> None:
    document = parse_script("<AS:Section NAME=\"Intro\" SoundSegment='Main'>Hi</As:SECTION>")
    assert only_section(document) == Section("Intro", "Main", None, [Text("Hi")])


def test_empty_explicit_section_is_kept_with_a_warning() -> None:
    document = parse_script("<as:section name='gap'/><as:section name='b'>x</as:section>")
    assert [s.name for s in document.sections] == ["gap", "b"]
    assert document.sections[0].items == []
    assert document.warnings == ["<as:section name='gap'> at offset 0 is empty"]


# -- sub-sections --------------------------------------------------------------------------


def test_sub_sections_flatten_after_the_sections_own_text() -> None:
    document = parse_script(
        '<as:section name="intro" soundsegment="intro">Hello <as:sub name="introa">first</as:sub>'
        ' middle <as:sub name="introb">second</as:sub> end</as:section>'
    )
    assert document.sections == [
        Section("intro", "intro", None, [Text("Hello middle end")]),
        Section("introa", "intro", "intro", [Text("first")]),
        Section("introb", "intro", "intro", [Text("second")]),
    ]


def test_section_made_only_of_subs_has_no_unit_of_its_own() -> None:
    document = parse_script(
        "<as:section name='s' soundsegment='main'>\n"
        "  <as:sub name='a'>A</as:sub>\n  <as:sub name='b'>B</as:sub>\n</as:section>"
    )
    assert [(s.name, s.parent, s.sound_segment) for s in document.sections] == [
        ("a", "s", "main"),
        ("b", "s", "main"),
    ]


def test_unnamed_section_with_subs_is_their_generated_parent() -> None:
    document = parse_script("<as:section><as:sub name='a'>A</as:sub></as:section>")
    assert [(s.name, s.parent) for s in document.sections] == [("a", "section_1")]


def test_sub_errors() -> None:
    assert errors_of("<as:sub name='a'>x</as:sub>") == [
        "scriptText: <as:sub name='a'> at offset 0 is outside any <as:section>; "
        "sub-sections must be inside one"
    ]
    assert errors_of("<as:section name='s'><as:sub>x</as:sub></as:section>") == [
        "scriptText: <as:sub> at offset 21 has no name; sub-sections need a unique name"
    ]
    assert errors_of(
        "<as:section name='s'><as:sub name='a'>x<as:sub name='b'>y</as:sub></as:sub></as:section>"
    ) == [
        "scriptText: <as:sub name='b'> at offset 39 is nested inside <as:sub name='a'> "
        "(offset 21); sub-sections cannot be nested"
    ]
    assert errors_of(
        "<as:section name='s'><as:prosody rate='slow'><as:sub name='a'>x</as:sub>"
        "</as:prosody></as:section>"
    ) == [
        "scriptText: <as:sub name='a'> at offset 45 is inside <as:prosody> (offset 21); "
        "sub-sections cannot be placed inside other tags"
    ]


# -- structural errors ---------------------------------------------------------------------


def test_nested_section_error_names_both_tags_and_offsets() -> None:
    script = "<as:section name='intro'>" + "x" * 32 + "<as:section>y</as:section></as:section>"
    assert errors_of(script) == [
        "scriptText: <as:section> at offset 57 is nested inside <as:section name='intro'> "
        "(offset 0); sections cannot be nested"
    ]


def test_section_inside_prosody_is_an_error() -> None:
    assert errors_of("<prosody rate='slow'><as:section name='a'>x</as:section></prosody>") == [
        "scriptText: <as:section name='a'> at offset 21 is inside <prosody> (offset 0); "
        "sections cannot be placed inside other tags"
    ]


def test_sections_may_sit_inside_speak() -> None:
    document = parse_script("<speak><as:section name='a'>x</as:section></speak>")
    assert only_section(document).name == "a"


def test_duplicate_names_across_sections_and_subs() -> None:
    script = (
        "<as:section name='a'>x</as:section><as:section name='a'>y</as:section>"
        "<as:section name='s'><as:sub name='a'>z</as:sub><as:sub name='s'>w</as:sub></as:section>"
    )
    assert errors_of(script) == [
        "scriptText: <as:section name='a'> at offset 35 reuses the name 'a' of "
        "<as:section name='a'> (offset 0); names must be unique",
        "scriptText: <as:sub name='a'> at offset 91 reuses the name 'a' of "
        "<as:section name='a'> (offset 0); names must be unique",
        "scriptText: <as:sub name='s'> at offset 118 reuses the name 's' of "
        "<as:section name='s'> (offset 70); names must be unique",
    ]


def test_unclosed_stray_and_crossed_tags() -> None:
    assert errors_of("<as:section name='a'>x") == [
        "scriptText: <as:section name='a'> at offset 0 is never closed"
    ]
    assert errors_of("x</as:section>") == [
        "scriptText: </as:section> at offset 1 has no matching opening tag"
    ]
    assert errors_of("<as:section name='a'><prosody rate='slow'>x</as:section></prosody>") == [
        "scriptText: <prosody> at offset 21 is not closed before </as:section> at offset 43",
        "scriptText: </prosody> at offset 56 has no matching opening tag",
    ]


def test_malformed_as_tag_is_reported_not_spoken() -> None:
    assert errors_of('Hi <as:break time="1s" there') == [
        "scriptText: '<as:break time=\"1s\" there' at offset 3 is not a well-formed tag"
    ]


def test_all_errors_are_collected_in_one_invalid() -> None:
    script = (
        "<as:break/> <as:prosody>x</as:prosody> <as:placeholder>d</as:placeholder> "
        "<as:fx/> <as:break time='soon'/> <as:prosody pitch='shrill'>y</as:prosody>"
    )
    assert errors_of(script) == [
        "scriptText: <as:break> at offset 0 needs a time or a strength",
        "scriptText: <as:prosody> at offset 12 needs at least one of rate, pitch or volume",
        "scriptText: <as:placeholder> at offset 39 has no id",
        "scriptText: <as:fx> at offset 74 needs a name or an id",
        "scriptText: <as:break> at offset 83: time 'soon' is not a duration like '0.5s' or '500ms'",
        "scriptText: <as:prosody> at offset 107: pitch 'shrill' is not a percentage, semitones, "
        "Hz or one of x-low, low, medium, default, high, x-high",
    ]


# -- placeholders --------------------------------------------------------------------------


def test_placeholder_forms() -> None:
    section = only_section(
        parse_script(
            "<as:placeholder id='a'>  the   friend </as:placeholder> "
            '<as:placeholder id="b"/> <as:placeholder id="c"></as:placeholder>'
            "<as:placeholder id='d' />"
        )
    )
    assert [item for item in section.items if isinstance(item, Placeholder)] == [
        Placeholder("a", "the friend"),
        Placeholder("b", None),
        Placeholder("c", None),
        Placeholder("d", None),
    ]
    assert section.placeholders == ["a", "b", "c", "d"]


def test_placeholder_holds_only_text() -> None:
    assert errors_of("<as:placeholder id='p'>a<break time='1s'/>b</as:placeholder>") == [
        "scriptText: <break> at offset 24 is inside <as:placeholder id='p'> (offset 0); "
        "a placeholder holds only its default text"
    ]


def test_placeholder_inside_prosody_keeps_the_prosody() -> None:
    section = only_section(
        parse_script(
            "<as:prosody rate='slow'><as:placeholder id='n'>x</as:placeholder></as:prosody>"
        )
    )
    assert section.items == [Placeholder("n", "x", Prosody(rate=0.75))]


def test_legacy_placeholders() -> None:
    document = parse_script("Hi {{name|friend}}, {{ city }} {{empty|}}!")
    assert document.uses_markup
    assert only_section(document).items == [
        Text("Hi "),
        Placeholder("name", "friend"),
        Text(", "),
        Placeholder("city", None),
        Text(" "),
        Placeholder("empty", None),
        Text("!"),
    ]


def test_legacy_directives() -> None:
    document = parse_script(
        "<<soundSegment::intro>>Hi <<soundEffect::bang>> there <<media::jingle>>"
    )
    assert only_section(document) == Section(
        "default",
        "intro",
        None,
        [
            Text("Hi"),
            Marker("fx", "bang", "bang"),
            Text("there"),
            Marker("media", "jingle", "jingle"),
        ],
    )
    warned = parse_script("<<sectionName::x>>text").warnings
    assert warned == ["<<sectionname::x>> at offset 0 is not supported and was dropped"]


def test_plain_text_fills_placeholders_and_shows_pauses_as_spaces() -> None:
    section = only_section(
        parse_script(
            "Hi <as:placeholder id='name'>friend</as:placeholder>,<as:break time='1s'/>"
            "meet <as:placeholder id='other'/><as:fx name='bang'/>now."
        )
    )
    assert section_plain_text(section, {"other": "Jo"}) == "Hi friend, meet Jo now."
    assert section_plain_text(section, {"name": "Sam", "other": "Jo"}) == "Hi Sam, meet Jo now."
    # a blank audience value falls back to the default
    assert section_plain_text(section, {"name": " ", "other": "Jo"}) == "Hi friend, meet Jo now."


def test_placeholder_without_value_or_default_is_invalid_on_its_audience_field() -> None:
    section = only_section(parse_script("Hi <as:placeholder id='name'/> and {{other}}"))
    with pytest.raises(Invalid) as caught:
        section_plain_text(section, {})
    assert caught.value.field == "audience.name"
    assert caught.value.errors == [
        "audience.name: placeholder 'name' in section 'default' has no audience value and "
        "no default",
        "audience.other: placeholder 'other' in section 'default' has no audience value and "
        "no default",
    ]


def test_plain_text_can_be_spoken_for_a_language() -> None:
    section = only_section(
        parse_script(
            "Hi <as:placeholder id='n'/>, call <say-as interpret-as='telephone'>555-1234</say-as>"
            " at 9:30."
        )
    )
    assert section_plain_text(section, {"n": "Dr. No"}, language="en") == (
        "Hi Doctor No, call five five five, one two three four at nine thirty."
    )
    assert section_plain_text(section, {"n": "Ann"}) == "Hi Ann, call 555-1234 at 9:30."


def test_document_plain_text_joins_sections() -> None:
    document = parse_script(AUDIOSTACK_EXAMPLE)
    assert document_plain_text(document, {"name": "Al"}) == (
        "Hello Al! Our store opens at 9:30 on May 3rd. Prices from $5.99."
    )


# -- breaks --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "seconds"),
    [
        ('<as:break time="0.5s"/>', 0.5),
        ('<as:break time="500ms"/>', 0.5),
        ('<as:break time="250"/>', 0.25),
        ("<as:break time='1.5S'/>", 1.5),
        ('<break time="2s"/>', 2.0),
        ('<break time="2s">', 2.0),
        ('<break time="2s"></break>', 2.0),
        ('<as:break strength="x-weak"/>', 0.12),
        ('<as:break strength="weak"/>', 0.3),
        ('<as:break strength="medium"/>', 0.5),
        ('<break strength="strong"/>', 0.7),
        ('<as:break strength="x-strong"/>', 0.9),
        ('<as:break time="100ms" strength="x-strong"/>', 0.1),
        ("<as:break time=1s/>", 1.0),
    ],
)
def test_break_lengths(tag: str, seconds: float) -> None:
    section = only_section(parse_script(f"before {tag} after"))
    assert section.items == [Text("before"), Break(seconds), Text("after")]


def test_strength_none_is_no_pause() -> None:
    assert only_section(parse_script('a <break strength="none"/> b')).items == [Text("a b")]


def test_long_break_is_clamped_with_a_warning() -> None:
    document = parse_script('a<as:break time="15s"/>b')
    assert only_section(document).items == [Text("a"), Break(10.0), Text("b")]
    assert document.warnings == ["<as:break> at offset 1: pause of 15 s clamped to 10 s"]


def test_consecutive_breaks_add_up_and_edge_breaks_stay() -> None:
    section = only_section(
        parse_script(
            "<break time='1s'/> a <break time='1s'/> <break time='500ms'/> b<break time='2s'/>"
        )
    )
    assert section.items == [Break(1.0), Text("a"), Break(1.5), Text("b"), Break(2.0)]


def test_break_errors() -> None:
    assert errors_of("<break/>") == ["scriptText: <break> at offset 0 needs a time or a strength"]
    assert errors_of("<as:break strength='huge'/>") == [
        "scriptText: <as:break> at offset 0: strength 'huge' is not one of none, x-weak, weak, "
        "medium, strong, x-strong"
    ]
    assert errors_of("<as:break time='-1s'/>") == [
        "scriptText: <as:break> at offset 0: time '-1s' is negative"
    ]


# -- prosody, emphasis -----------------------------------------------------------------------


def test_prosody_attributes_become_multipliers() -> None:
    section = only_section(
        parse_script(
            "<as:prosody rate='fast' pitch='+2st' volume='+6dB'>x</as:prosody>"
            "<prosody rate='80%'>y</prosody><prosody pitch='180Hz'>z</prosody>"
        )
    )
    first, second, third = (item.prosody for item in section.items if isinstance(item, Text))
    assert_prosody(first, rate=1.25, pitch=2 ** (2 / 12), volume=10 ** (6 / 20))
    assert_prosody(second, rate=0.8)
    assert_prosody(third, pitch=1.5)


def test_nested_prosody_multiplies() -> None:
    section = only_section(
        parse_script(
            "<as:prosody rate='150%' volume='-6dB'>a "
            "<as:prosody rate='+20%' pitch='-10%'>b</as:prosody> c</as:prosody>"
        )
    )
    outer, inner, outer_again = (item.prosody for item in section.items if isinstance(item, Text))
    assert_prosody(outer, rate=1.5, volume=10 ** (-6 / 20))
    assert_prosody(inner, rate=1.8, pitch=0.9, volume=10 ** (-6 / 20))
    assert outer_again == outer


def test_combined_prosody_is_clamped_with_a_warning() -> None:
    document = parse_script(
        "<prosody rate='4'><prosody rate='300%' pitch='x-high'>x</prosody></prosody>"
    )
    assert_prosody(only_section(document).items[0].prosody, rate=4.0, pitch=1.3)  # type: ignore[union-attr]
    assert document.warnings == [
        "<prosody> at offset 18: rate 12, pitch 1.3, volume 1 clamped to rate 4, pitch 1.3, "
        "volume 1"
    ]


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("strong", Prosody(rate=0.9, volume=10 ** (2 / 20))),
        ("moderate", Prosody(rate=0.95)),
        ("reduced", Prosody(rate=1.05, volume=0.8)),
        ("none", NEUTRAL),
    ],
)
def test_emphasis_levels(level: str, expected: Prosody) -> None:
    section = only_section(parse_script(f"<emphasis level='{level}'>word</emphasis>"))
    assert section.items == [Text("word", expected)]


def test_emphasis_defaults_to_moderate() -> None:
    section = only_section(parse_script("<emphasis>word</emphasis>"))
    assert section.items == [Text("word", Prosody(rate=0.95))]


# -- markers -------------------------------------------------------------------------------


def test_fx_and_media_markers_split_the_text() -> None:
    section = only_section(
        parse_script(
            "Bang <as:fx name='bang' id='fx1'/> then <as:media name=\"jingle\" id=\"m\" /> end"
            "<as:fx id='only-id'/>"
        )
    )
    assert section.items == [
        Text("Bang"),
        Marker("fx", "bang", "fx1"),
        Text("then"),
        Marker("media", "jingle", "m"),
        Text("end"),
        Marker("fx", "", "only-id"),
    ]
    assert section.markers == [item for item in section.items if isinstance(item, Marker)]


def test_text_with_only_a_marker_is_a_section() -> None:
    document = parse_script("<as:section name='a'>x</as:section><as:fx name='bang'/>")
    assert [s.name for s in document.sections] == ["a", "section_2"]
    assert document.sections[1].items == [Marker("fx", "bang", "")]


# -- SSML ----------------------------------------------------------------------------------


def test_speak_is_transparent() -> None:
    document = parse_script("<speak>Hello <speak>there</speak></speak>")
    assert only_section(document).items == [Text("Hello there")]
    assert document.warnings == []


def test_sentences_are_separated_and_closed() -> None:
    section = only_section(parse_script("<s>Hello there</s><s>How are you?</s><s>Fine,</s>"))
    assert section.items == [Text("Hello there. How are you? Fine,")]


def test_paragraphs_are_separated_by_a_pause() -> None:
    section = only_section(parse_script("<p>One</p>\n<p><s>Two</s></p>\n<p>Three</p>"))
    assert section.items == [
        Text("One."),
        Break(0.4),
        Text("Two."),
        Break(0.4),
        Text("Three."),
    ]


def test_paragraph_pause_does_not_add_to_an_explicit_break() -> None:
    section = only_section(parse_script("<p>One</p><break time='1s'/><p>Two</p>"))
    assert section.items == [Text("One."), Break(1.0), Text("Two.")]


def test_sub_alias_replaces_its_text() -> None:
    section = only_section(parse_script('The <sub alias="World Wide Web">WWW</sub> rocks'))
    assert section.items == [Text("The World Wide Web rocks")]


def test_sub_without_alias_keeps_its_text_with_a_warning() -> None:
    document = parse_script("The <sub>WWW</sub> rocks")
    assert only_section(document).items == [Text("The WWW rocks")]
    assert document.warnings == ["<sub> at offset 4 has no alias; its text is read as written"]


@pytest.mark.parametrize(
    ("interpret_as", "expected"),
    [
        ("cardinal", "cardinal"),
        ("number", "cardinal"),
        ("ordinal", "ordinal"),
        ("characters", "characters"),
        ("spell-out", "characters"),
        ("digits", "digits"),
        ("date", "date"),
        ("time", "time"),
        ("currency", "currency"),
        ("telephone", "telephone"),
    ],
)
def test_say_as_kinds(interpret_as: str, expected: str) -> None:
    section = only_section(parse_script(f'Say <say-as interpret-as="{interpret_as}">12</say-as>.'))
    assert section.items == [Text("Say "), Text("12", interpret_as=expected), Text(".")]  # type: ignore[arg-type]


def test_say_as_format_and_neighbours_do_not_merge() -> None:
    section = only_section(
        parse_script(
            "<say-as interpret-as='date' format='dmy'>05/03/2024</say-as>"
            "<say-as interpret-as='cardinal'>1</say-as><say-as interpret-as='cardinal'>2</say-as>"
        )
    )
    assert section.items == [
        Text("05/03/2024", interpret_as="date", format="dmy"),
        Text("1", interpret_as="cardinal"),
        Text("2", interpret_as="cardinal"),
    ]


def test_unknown_say_as_kind_reads_text_with_a_warning() -> None:
    document = parse_script("<say-as interpret-as='unit'>5kg</say-as>")
    assert only_section(document).items == [Text("5kg")]
    assert document.warnings == [
        "<say-as> at offset 0: interpret-as 'unit' is not supported; text read as written"
    ]


def test_phoneme_keeps_its_text_silently() -> None:
    document = parse_script(
        'a <phoneme alphabet="ipa" ph="t\u0259\u02c8m\u0251\u02d0to\u028a">tomato</phoneme>'
    )
    assert only_section(document).items == [Text("a tomato")]
    assert document.warnings == []


def test_unknown_tags_are_dropped_once_with_a_warning() -> None:
    document = parse_script("<voice name='x'>Hi <b>there</b> <b>you</b></voice>")
    assert only_section(document).items == [Text("Hi there you")]
    assert document.warnings == [
        "<voice> at offset 0 is not supported; the tag was dropped and its text kept",
        "<b> at offset 19 is not supported; the tag was dropped and its text kept",
    ]


# -- lexical rules -------------------------------------------------------------------------


def test_entities_are_decoded_and_bare_ampersands_kept() -> None:
    section = only_section(
        parse_script("AT&T &amp; &lt;b&gt; &quot;q&quot; &apos;s&apos; &#65; &x;")
    )
    assert section.items == [Text("AT&T & <b> \"q\" 's' A &x;")]


def test_entities_in_attribute_values() -> None:
    section = only_section(parse_script("<sub alias='Smith &amp; Jones'>S&amp;J</sub>"))
    assert section.items == [Text("Smith & Jones")]


def test_stray_angle_brackets_are_text() -> None:
    document = parse_script("if a < b and c > d then <3")
    assert only_section(document).items == [Text("if a < b and c > d then <3")]
    assert not document.uses_markup


def test_cdata_is_literal_text() -> None:
    document = parse_script("<![CDATA[a <as:break/> & b]]> c")
    assert only_section(document).items == [Text("a <as:break/> & b c")]


def test_comments_and_declarations_are_silent() -> None:
    document = parse_script('<?xml version="1.0"?><!-- note -->Hello<!-- <as:break/> -->')
    assert only_section(document).items == [Text("Hello")]


def test_whitespace_collapses_and_is_trimmed_at_edges_and_pauses() -> None:
    section = only_section(
        parse_script(
            "<as:section name='a'>\n   Hello \n\n  big   <prosody rate='slow'> wide </prosody>"
            "  world   <break time='1s'/>   next  \n</as:section>"
        )
    )
    assert section.items == [
        Text("Hello big "),
        Text("wide ", Prosody(rate=0.75)),
        Text("world"),
        Break(1.0),
        Text("next"),
    ]


def test_adjacent_text_with_the_same_delivery_merges() -> None:
    section = only_section(parse_script("a <prosody rate='1'>b</prosody> c<unknown> d</unknown>"))
    assert section.items == [Text("a b c d")]


# -- attribute values ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("0.5s", 0.5), ("500ms", 0.5), ("500", 0.5), (" 2 s ", 2.0), (".25s", 0.25), ("0", 0.0)],
)
def test_parse_time(value: str, seconds: float) -> None:
    assert parse_time(value) == pytest.approx(seconds)


@pytest.mark.parametrize("value", ["", "s", "1min", "-5ms", "fast"])
def test_parse_time_rejects(value: str) -> None:
    with pytest.raises(ValueError):
        parse_time(value)


def test_parse_break_strength_is_case_insensitive() -> None:
    assert parse_break_strength("X-Strong") == 0.9


@pytest.mark.parametrize(
    ("value", "rate"),
    [
        ("x-slow", 0.5),
        ("slow", 0.75),
        ("medium", 1.0),
        ("default", 1.0),
        ("fast", 1.25),
        ("x-fast", 1.5),
        ("120%", 1.2),
        ("+20%", 1.2),
        ("-20%", 0.8),
        ("1.5", 1.5),
    ],
)
def test_parse_rate(value: str, rate: float) -> None:
    assert parse_rate(value) == pytest.approx(rate)


@pytest.mark.parametrize(
    ("value", "pitch"),
    [
        ("x-low", 0.75),
        ("high", 1.13),
        ("+10%", 1.1),
        ("-10%", 0.9),
        ("+12st", 2.0),
        ("-12st", 0.5),
        ("240Hz", 2.0),
        ("+60Hz", 1.5),
        ("-60hz", 0.5),
    ],
)
def test_parse_pitch(value: str, pitch: float) -> None:
    assert parse_pitch(value) == pytest.approx(pitch)


@pytest.mark.parametrize(
    ("value", "volume"),
    [
        ("silent", 0.0),
        ("x-soft", 10 ** (-12 / 20)),
        ("soft", 10 ** (-6 / 20)),
        ("medium", 1.0),
        ("loud", 10 ** (4 / 20)),
        ("x-loud", 10 ** (8 / 20)),
        ("+6dB", 10 ** (6 / 20)),
        ("-3.5db", 10 ** (-3.5 / 20)),
        ("0dB", 1.0),
    ],
)
def test_parse_volume(value: str, volume: float) -> None:
    assert parse_volume(value) == pytest.approx(volume)


@pytest.mark.parametrize(
    ("parser", "value"),
    [
        (parse_rate, "-100%"),
        (parse_rate, "0"),
        (parse_rate, "zippy"),
        (parse_pitch, "-200Hz"),
        (parse_pitch, "2st3"),
        (parse_volume, "50%"),
        (parse_volume, "loudest"),
    ],
)
def test_prosody_values_reject(parser: object, value: str) -> None:
    with pytest.raises(ValueError):
        parser(value)  # type: ignore[operator]


def test_clamp_prosody_limits() -> None:
    assert clamp_prosody(Prosody(10, 10, 10)) == Prosody(4.0, 2.0, 4.0)
    assert clamp_prosody(Prosody(0.01, 0.01, 0.0)) == Prosody(0.25, 0.5, 0.0)
    inside = Prosody(1.2, 0.9, 1.1)
    assert clamp_prosody(inside) == inside


@pytest.mark.parametrize(
    "script",
    ["<b>" * 20000, "<as:" * 20000, "{{a|" * 20000, "<" * 50000, "x" * 200000],
    ids=["deep-unknown-tags", "broken-as-tags", "legacy-openers", "angle-brackets", "one-word"],
)
def test_hostile_input_is_handled_quickly(script: str) -> None:
    started = time.perf_counter()
    with contextlib.suppress(Invalid):
        parse_script(script)
    assert time.perf_counter() - started < 5.0
