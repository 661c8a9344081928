"""The voice catalogue (personas, operator aliases, resolution) and voice search."""

from __future__ import annotations

from typing import Any

import pytest

from castwright.config import SpeechSettings, VoiceAlias
from castwright.errors import Invalid
from castwright.speech.engines.fake import FakeEngine
from castwright.speech.engines.registry import EngineRegistry
from castwright.voices.catalogue import VoiceCatalogue
from castwright.voices.personas import PERSONAS
from castwright.voices.service import FILTERABLE, VoiceQuery, parameter_values, search_voices


@pytest.fixture(scope="module")
def engines() -> EngineRegistry:
    return EngineRegistry.load()


@pytest.fixture(scope="module")
def real(engines: EngineRegistry) -> VoiceCatalogue:
    return VoiceCatalogue.build(engines, SpeechSettings())


def fake_catalogue(*aliases: VoiceAlias, default: str = "hum") -> VoiceCatalogue:
    return VoiceCatalogue.build(
        EngineRegistry([FakeEngine()]),
        SpeechSettings(default_voice=default, voice_aliases=list(aliases)),
    )


@pytest.fixture(scope="module")
def small() -> VoiceCatalogue:
    """Five voices with known fields, over the fake engine."""
    return fake_catalogue(
        VoiceAlias(
            alias="hum", engine="fake", voice_id="fake", gender="male", tags=["calm", "deep"]
        ),
        VoiceAlias(
            alias="Bea",
            engine="fake",
            voice_id="fake",
            variant="b",
            gender="female",
            age_bracket="young",
            accent="british",
            tags=["bright", "calm"],
            rate=1.2,
        ),
        VoiceAlias(
            alias="cleo",
            engine="fake",
            voice_id="fake",
            variant="c",
            gender="female",
            tags=["deep"],
            rate=0.8,
        ),
        VoiceAlias(alias="dax", engine="fake", voice_id="fake", variant="d", gender="male"),
    )


def query(**fields: Any) -> VoiceQuery:
    """Filters by their wire names (string or list values), VoiceQuery's own fields as they are."""
    scalars = {k: v for k, v in fields.items() if k in FILTERABLE and isinstance(v, str)}
    lists = {k: v for k, v in fields.items() if k in FILTERABLE and isinstance(v, list)}
    rest = {k: v for k, v in fields.items() if k not in FILTERABLE}
    return VoiceQuery(scalars=scalars, lists=lists, **rest)


def aliases(catalogue: VoiceCatalogue, **fields: Any) -> list[str]:
    return [v.alias for v in search_voices(catalogue, query(**fields)).voices]


# -- the catalogue ------------------------------------------------------------------------------


def test_personas_are_listed_exactly_when_their_engine_is_here(
    real: VoiceCatalogue, engines: EngineRegistry
) -> None:
    engine_voices = {
        (engine.name, voice.voice_id.lower()) for engine in engines for voice in engine.voices()
    }
    for persona in PERSONAS:
        present = (persona.engine, persona.voice_id.lower()) in engine_voices
        assert (real.find(persona.alias) is not None) == present, persona.alias
    # espeak-ng ships in a wheel, so its personas are always there.
    for alias in ("isaac", "joanna", "sara", "oliver", "nora", "wren", "marcus", "priya"):
        voice = real.find(alias)
        assert voice is not None and voice.engine == "espeak-ng"


def test_persona_fields(real: VoiceCatalogue) -> None:
    isaac = real.resolve("isaac")
    assert (isaac.gender, isaac.language_code, isaac.accent) == ("male", "en-US", "american")
    assert isaac.voice_id == "en-us+m3"
    assert isaac.display_name == "Isaac"
    sara = real.resolve("sara")
    assert (sara.gender, sara.accent, sara.language_code) == ("female", "british", "en-GB")


def test_every_engine_voice_is_listed_and_aliases_are_unique(
    real: VoiceCatalogue, engines: EngineRegistry
) -> None:
    listed = [v.alias.lower() for v in real]
    assert len(listed) == len(set(listed))
    plain = {f"{v.engine}-{v.voice_id}".lower() for engine in engines for v in engine.voices()}
    assert plain <= set(listed)
    assert "espeak-ng-de" in listed


def test_resolve_by_alias_in_any_case_or_by_voice_id(real: VoiceCatalogue) -> None:
    for name in ("isaac", "ISAAC", "Isaac", "  isaac "):
        assert real.resolve(name).alias == "isaac"
    assert real.resolve("en-us+m3").alias == "isaac"  # the provider's own voiceId
    assert real.resolve("EN-GB+F2").alias == "sara"
    # No default configured: the most natural installed English voice (test_unit_default_voice).
    assert real.resolve(None).alias == real.default_alias == real.default_for("en").alias  # type: ignore[union-attr]
    assert real.resolve("").alias == real.default_alias
    pinned = VoiceCatalogue.build(EngineRegistry.load(), SpeechSettings(default_voice="isaac"))
    assert pinned.resolve(None).alias == "isaac"


def test_unknown_voice_is_invalid_naming_the_field(real: VoiceCatalogue) -> None:
    with pytest.raises(Invalid, match="'no-such-voice'") as caught:
        real.resolve("no-such-voice")
    assert caught.value.field == "voice"
    assert caught.value.errors[0].startswith("voice: ")
    with pytest.raises(Invalid) as caught:
        real.resolve("nobody", "sections.intro.voice")
    assert caught.value.field == "sections.intro.voice"
    assert real.find("nobody") is None


def test_operator_aliases_add_and_override(engines: EngineRegistry) -> None:
    settings = SpeechSettings(
        voice_aliases=[
            VoiceAlias(
                alias="isaac",  # overrides the persona of the same name
                engine="espeak-ng",
                voice_id="en-gb",
                variant="f2",
                gender="female",
                display_name="Isaac the Second",
            ),
            VoiceAlias(alias="Newsreader", engine="espeak-ng", voice_id="en-us", rate=1.1),
            VoiceAlias(alias="ghost", engine="piper", voice_id="en_US-lessac"),  # not installed
        ]
    )
    catalogue = VoiceCatalogue.build(engines, settings)
    isaac = catalogue.resolve("isaac")
    assert (isaac.engine_voice_id, isaac.variant, isaac.gender) == ("en-gb", "f2", "female")
    assert isaac.display_name == "Isaac the Second"
    assert [v.alias for v in catalogue].count("isaac") == 1
    reader = catalogue.resolve("newsreader")
    assert (reader.alias, reader.rate) == ("Newsreader", 1.1)
    assert catalogue.find("ghost") is None


def test_default_falls_back_when_the_configured_one_is_missing() -> None:
    catalogue = fake_catalogue(default="not-here")
    assert catalogue.resolve(None).engine == "fake"


def test_catalogue_built_from_settings_via_the_fake_switch() -> None:
    registry = EngineRegistry.load(["fake"])
    assert "fake" in registry
    catalogue = VoiceCatalogue.build(registry, SpeechSettings())
    assert [v.alias for v in catalogue] == ["fake-fake"]


# -- search: filters ----------------------------------------------------------------------------


def test_no_filters_lists_everything_sorted_by_alias(small: VoiceCatalogue) -> None:
    page = search_voices(small, query())
    assert [v.alias for v in page.voices] == ["Bea", "cleo", "dax", "fake-fake", "hum"]
    assert (page.total, page.page, page.page_limit) == (5, 1, 1000)


def test_scalar_filters_are_case_insensitive(small: VoiceCatalogue) -> None:
    assert aliases(small, gender="FEMALE") == ["Bea", "cleo"]
    assert aliases(small, gender="female", accent="British") == ["Bea"]
    assert aliases(small, ageBracket="young") == ["Bea"]
    assert aliases(small, provider="fake", languageCode="en-us") == [
        "Bea",
        "cleo",
        "dax",
        "fake-fake",
        "hum",
    ]
    assert aliases(small, gender="robot") == []


def test_list_filters_need_every_value(small: VoiceCatalogue) -> None:
    assert aliases(small, tags=["calm"]) == ["Bea", "hum"]
    assert aliases(small, tags=["CALM", "deep"]) == ["hum"]
    assert aliases(small, tags=["deep"], gender="female") == ["cleo"]
    assert len(aliases(small, supportedLanguages=["en-US"])) == 5
    assert aliases(small, supportedLanguages=["en-US", "de-DE"]) == []


def test_multilingual_filter(small: VoiceCatalogue) -> None:
    assert aliases(small, is_multilingual=True) == []
    assert len(aliases(small, is_multilingual=False)) == 5


def test_real_catalogue_filters(real: VoiceCatalogue) -> None:
    english_women = search_voices(real, query(gender="female", language="english")).voices
    assert english_women
    assert all(v.gender == "female" and v.language == "english" for v in english_women)
    assert {"joanna", "sara"} <= {v.alias for v in english_women}
    assert "isaac" not in {v.alias for v in english_women}


# -- search: sort and paging --------------------------------------------------------------------


def test_sorting(small: VoiceCatalogue) -> None:
    assert aliases(small, sort="-alias") == ["hum", "fake-fake", "dax", "cleo", "Bea"]
    assert aliases(small, sort="+alias") == ["Bea", "cleo", "dax", "fake-fake", "hum"]
    by_speed = aliases(small, sort="charsPerSecond")
    assert by_speed[0] == "cleo" and by_speed[-1] == "Bea"  # rate 0.8 ... rate 1.2
    assert aliases(small, sort="-charsPerSecond")[0] == "Bea"
    assert aliases(small, sort="gender")[:2] == ["Bea", "cleo"]  # female < male < neutral


def test_unknown_sort_field(small: VoiceCatalogue) -> None:
    with pytest.raises(Invalid) as caught:
        search_voices(small, query(sort="loudness"))
    assert caught.value.field == "sort"


def test_paging(small: VoiceCatalogue) -> None:
    pages = [search_voices(small, query(page=n, page_limit=2)) for n in (1, 2, 3, 4)]
    assert [[v.alias for v in p.voices] for p in pages] == [
        ["Bea", "cleo"],
        ["dax", "fake-fake"],
        ["hum"],
        [],
    ]
    assert {p.total for p in pages} == {5}
    assert aliases(small, offset=3, page_limit=10) == ["fake-fake", "hum"]
    assert aliases(small, offset=1, page_limit=2, sort="-alias") == ["fake-fake", "dax"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"page": 0}, "page"), ({"page_limit": 0}, "pageLimit"), ({"page_limit": 10001}, "pageLimit")],
)
def test_bad_paging(small: VoiceCatalogue, fields: dict[str, int], field: str) -> None:
    with pytest.raises(Invalid) as caught:
        search_voices(small, query(**fields))
    assert caught.value.field == field


# -- parameter values ---------------------------------------------------------------------------


def test_parameter_values(small: VoiceCatalogue) -> None:
    values = parameter_values(small)
    assert set(values) == set(FILTERABLE)
    assert values["gender"] == ["female", "male", "neutral"]
    assert values["tags"] == ["bright", "calm", "deep", "multilingual-catalogue"]
    assert values["accent"] == ["american", "british"]
    assert values["provider"] == ["fake"]
    assert all(found == sorted(found) for found in values.values())


def test_parameter_values_describe_every_real_voice(real: VoiceCatalogue) -> None:
    values = parameter_values(real)
    assert {"espeak-ng"} <= set(values["provider"])
    for voice in real:
        assert voice.gender in values["gender"]
        assert voice.language_code in values["languageCode"]
        assert set(voice.tags) <= set(values["tags"])
