# ruff: noqa: RUF001  (IPA and typographic apostrophes are what these tests are about)
"""Pronunciation dictionaries applied by the planner: precedence, whole words, punctuation,
normalisation order, IPA for engines with and without phoneme input, and the cache key."""

from __future__ import annotations

from dataclasses import replace

import pytest

from castwright.config import Settings
from castwright.dictionaries.ipa import espeak_phonemes, ipa_respelling, unknown_ipa_symbols
from castwright.dictionaries.lexicon import Lexicon, LexiconWord, Pronunciation
from castwright.speech.render import SectionPlan
from castwright.speech.text.markup import parse_script
from castwright.speeches.planning import TtsOptions, plan_speech
from castwright.voices.catalogue import Voice, VoiceCatalogue
from castwright.voices.local import local_catalogue


@pytest.fixture(scope="module")
def catalogue() -> VoiceCatalogue:
    return local_catalogue(Settings(_env_file=None))


def voice(catalogue: VoiceCatalogue, alias: str) -> Voice:
    found = catalogue.find(alias)
    if found is None:
        pytest.skip(f"voice {alias} is not installed here")
    return found


def word(
    lang: str, text: str, *pronunciations: tuple[str, str] | tuple[str, str, str]
) -> LexiconWord:
    return LexiconWord(lang, text, tuple(Pronunciation(*p) for p in pronunciations))


def plan(
    catalogue: VoiceCatalogue, text: str, alias: str, lexicon: Lexicon, **options: object
) -> SectionPlan:
    (only,) = plan_speech(
        parse_script(text), TtsOptions(voice=alias, lexicon=lexicon, **options), catalogue
    )
    return only


# Every entry names the specialization in its replacement, so the table reads off which won.
ALL_LEVELS = Lexicon(
    [
        word(
            "global",
            "AFLR",
            ("default", "global-default"),
            ("espeak-ng", "global-provider"),
            ("en-us", "global-dialect"),
            ("isaac", "global-voice"),
        ),
        word("en", "AFLR", ("default", "en-default"), ("espeak-ng", "en-provider")),
        word("en-us", "AFLR", ("default", "en-us-default")),
        word("en-gb", "AFLR", ("default", "en-gb-default"), ("isaac", "en-gb-voice")),
        word("fr", "AFLR", ("default", "fr-default")),
    ]
)


@pytest.mark.parametrize(
    ("alias", "expected"),
    [
        # isaac: espeak-ng, en-US. The voice's own specialization beats every other.
        ("isaac", "global-voice"),
        # joanna: espeak-ng, en-US, no entry of her own: the dialect (en-US) is next.
        ("joanna", "global-dialect"),
        # espeak-ng-en-gb: the provider beats default; en before global at equal level.
        ("espeak-ng-en-gb", "en-provider"),
        # espeak-ng-fr-fr: French; the provider entry of the global dictionary wins.
        ("espeak-ng-fr-fr", "global-provider"),
        # maya (flite, en-US): the dialect entry.
        ("maya", "global-dialect"),
    ],
)
def test_precedence_voice_then_dialect_then_provider_then_default(
    catalogue: VoiceCatalogue, alias: str, expected: str
) -> None:
    voice(catalogue, alias)
    assert plan(catalogue, "AFLR", alias, ALL_LEVELS).preview == expected


@pytest.mark.parametrize(
    ("entries", "alias", "expected"),
    [
        # Same specialization in several dictionaries: language code, then primary, then global.
        (
            [("en-us", "default", "A"), ("en", "default", "B"), ("global", "default", "C")],
            "isaac",
            "A",
        ),
        ([("en", "default", "B"), ("global", "default", "C")], "isaac", "B"),
        ([("global", "default", "C")], "isaac", "C"),
        # A dictionary of another language never applies.
        ([("fr", "default", "F"), ("global", "default", "C")], "isaac", "C"),
        ([("fr", "default", "F")], "isaac", "AFLR"),
        # A specialization for another voice does not apply; default does.
        ([("global", "joanna", "J"), ("global", "default", "D")], "isaac", "D"),
        # Only other voices' entries: the word is left as written.
        ([("global", "joanna", "J")], "isaac", "AFLR"),
        # A provider entry of the global dictionary beats the default of the language's own.
        ([("en-us", "default", "L"), ("global", "espeak-ng", "P")], "isaac", "P"),
        # The provider name must be the voice's engine.
        ([("global", "flite", "F"), ("global", "default", "D")], "isaac", "D"),
        ([("global", "flite", "F"), ("global", "default", "D")], "maya", "F"),
    ],
)
def test_precedence_table(
    catalogue: VoiceCatalogue,
    entries: list[tuple[str, str, str]],
    alias: str,
    expected: str,
) -> None:
    voice(catalogue, alias)
    lexicon = Lexicon([word(lang, "AFLR", (spec, text)) for lang, spec, text in entries])
    assert plan(catalogue, "AFLR", alias, lexicon).preview == expected


BRAND = Lexicon(
    [
        word("global", "AFLR", ("default", "aflorithmic")),
        word("global", "New York", ("default", "the big apple")),
        word("global", "C++", ("default", "C plus plus")),
    ]
)


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("AFLR", "aflorithmic"),
        ("aflr", "aflorithmic"),
        ("Aflr rocks.", "aflorithmic rocks."),
        ("AFLR's voice", "aflorithmic's voice"),
        ("AFLR’s voice", "aflorithmic’s voice"),
        ("(AFLR)", "(aflorithmic)"),
        ("Ask AFLR, then AFLR.", "Ask aflorithmic, then aflorithmic."),
        ('"AFLR"!', '"aflorithmic"!'),
        ("AFLR-based", "aflorithmic-based"),
        # Never inside another word.
        ("AFLRX", "AFLRX"),
        ("XAFLR", "XAFLR"),
        ("AFLR2", "AFLR2"),
        ("AFLR_beta", "AFLR_beta"),
        ("AFLRs", "AFLRs"),
        # Phrases match across any whitespace, longest first, without case.
        ("I love new   york.", "I love the big apple."),
        ("Learn C++ today", "Learn C plus plus today"),
    ],
)
def test_whole_words_punctuation_and_possessives(
    catalogue: VoiceCatalogue, text: str, spoken: str
) -> None:
    assert plan(catalogue, text, "isaac", BRAND).preview == spoken


def test_custom_entries_apply_before_and_after_normalisation(catalogue: VoiceCatalogue) -> None:
    lexicon = Lexicon(
        [
            word("global", "percent", ("default", "per cent")),
            word("global", "5G", ("default", "five gee")),
        ]
    )
    normalised = plan(
        catalogue, "5G covers 10% of towns.", "isaac", lexicon, voice_intelligence=True
    )
    # "5G" is replaced before the normaliser could read "5" as a number; "percent" is what
    # the normaliser made of "%", and the entry still catches it.
    assert normalised.preview == "five gee covers ten per cent of towns."
    plain = plan(catalogue, "5G covers 10% of towns.", "isaac", lexicon)
    assert plain.preview == "five gee covers 10% of towns."


def test_builtin_dictionaries_apply_with_normalisation_and_lose_to_custom(
    catalogue: VoiceCatalogue,
) -> None:
    builtin_only = Lexicon()
    assert plan(
        catalogue, "Reply asap.", "isaac", builtin_only, voice_intelligence=True
    ).preview == ("Reply as soon as possible.")
    assert plan(catalogue, "Reply asap.", "isaac", builtin_only).preview == "Reply asap."
    custom = Lexicon([word("en", "ASAP", ("default", "right now"))])
    assert plan(catalogue, "Reply asap.", "isaac", custom, voice_intelligence=True).preview == (
        "Reply right now."
    )


def test_an_abbreviation_ending_a_sentence_keeps_its_full_stop(catalogue: VoiceCatalogue) -> None:
    german = voice(catalogue, "espeak-ng-de")
    spoken = plan(catalogue, "Äpfel, Birnen usw.", german.alias, Lexicon(), voice_intelligence=True)
    assert spoken.preview == "Äpfel, Birnen und so weiter."
    spoken = plan(catalogue, "Obst, z.B. Äpfel.", german.alias, Lexicon(), voice_intelligence=True)
    assert spoken.preview == "Obst, zum Beispiel Äpfel."


IPA = Lexicon([word("global", "AFLR", ("default", "ˈæflɔːɹɪθmɪk", "ipa"))])


def test_ipa_reaches_espeak_as_phonemes(catalogue: VoiceCatalogue) -> None:
    spoken = plan(catalogue, "Meet AFLR and AFLR's team.", "isaac", IPA)
    phonemes = espeak_phonemes("ˈæflɔːɹɪθmɪk", "en-US")
    assert phonemes == "'aflO:rITmIk"
    # The possessive is a phoneme too: /s/ after the voiceless /k/.
    assert spoken.preview == f"Meet [[{phonemes}]] and [[{phonemes}s]] team."
    assert spoken.notes == ()


def test_ipa_falls_back_to_a_respelling_on_engines_without_phoneme_input(
    catalogue: VoiceCatalogue,
) -> None:
    flite = voice(catalogue, "maya")
    spoken = plan(catalogue, "Meet AFLR.", flite.alias, IPA)
    assert spoken.preview == f"Meet {ipa_respelling('ˈæflɔːɹɪθmɪk')}."
    assert "[[" not in spoken.preview
    assert len(spoken.notes) == 1 and "cannot take phonemes" in spoken.notes[0]


def test_text_that_merely_contains_brackets_is_not_read_as_phonemes(
    catalogue: VoiceCatalogue,
) -> None:
    assert plan(catalogue, "Array [[1, 2]] done", "isaac", Lexicon()).preview == (
        "Array [ [1, 2]] done"
    )


def test_the_cache_key_follows_the_dictionary(catalogue: VoiceCatalogue) -> None:
    text = "Welcome to AFLR."
    plain = plan(catalogue, text, "isaac", Lexicon())
    first = plan(catalogue, text, "isaac", Lexicon([word("global", "AFLR", ("default", "a flow"))]))
    second = plan(catalogue, text, "isaac", Lexicon([word("global", "AFLR", ("default", "a flo"))]))
    unrelated = plan(catalogue, text, "isaac", Lexicon([word("global", "Zed", ("default", "zee"))]))
    keys = {p.cache_key("v", None) for p in (plain, first, second)}
    assert len(keys) == 3
    # An entry the text does not use leaves the key (and the cached audio) alone.
    assert unrelated.cache_key("v", None) == plain.cache_key("v", None)
    # Same text after substitution, different entry (basic vs ipa): still a different key.
    ipa = plan(
        catalogue, text, "isaac", Lexicon([word("global", "AFLR", ("default", "a flow", "basic"))])
    )
    assert replace(ipa, lexicon_key="x").cache_key("v", None) != ipa.cache_key("v", None)


@pytest.mark.parametrize(
    ("ipa", "language", "expected"),
    [
        ("həˈloʊ", "en-US", "h@l'oU"),
        ("ˈθɪŋk", "en-US", "T'INk"),
        ("ˈbʌtɚ", "en-US", "b'Vt3"),
        ("ʃøːn", "de", "SY:n"),
        ("bɔ̃ʒuʁ", "fr", "bO~Zur"),
        # IPA r is the trill (espeak-ng's R2 in Spanish); the tap ɾ is its r.
        ("ˈpero", "es", "p'eR2o"),
        ("ˈpeɾo", "es", "p'ero"),
        ("ˈpero", "en-US", "p'eIroU"),
        # A mark with no vowel after it stays where it was put.
        ("ˈbʌtˌ", "en-US", "b'Vt,"),
    ],
)
def test_ipa_to_espeak_mnemonics(ipa: str, language: str, expected: str) -> None:
    assert espeak_phonemes(ipa, language) == expected


def test_ipa_validation_names_the_unknown_symbol() -> None:
    assert unknown_ipa_symbols("ˈæflɚ") == []
    (problem,) = unknown_ipa_symbols("ˈæfQɚ")
    assert "'Q'" in problem
    assert unknown_ipa_symbols("ˈˌ") == ["has no sounds, only marks"]
