"""Sentence splitting and chunking: boundaries, abbreviations, and that no text is ever lost."""

from __future__ import annotations

import random

import pytest

from castwright.speech.text.chunking import chunk_text, split_sentences

IDEOGRAPHIC_FULL_STOP = "\N{IDEOGRAPHIC FULL STOP}"
FULLWIDTH_EXCLAMATION = "\N{FULLWIDTH EXCLAMATION MARK}"
FULLWIDTH_QUESTION = "\N{FULLWIDTH QUESTION MARK}"
FULLWIDTH_COMMA = "\N{FULLWIDTH COMMA}"
ARABIC_QUESTION = "\N{ARABIC QUESTION MARK}"
DEVANAGARI_DANDA = "\N{DEVANAGARI DANDA}"
ELLIPSIS = "\N{HORIZONTAL ELLIPSIS}"


def test_splits_at_sentence_punctuation() -> None:
    text = "Hello there. How are you? Great! Wait" + ELLIPSIS + " Really. Yes"
    assert split_sentences(text) == [
        "Hello there.",
        "How are you?",
        "Great!",
        "Wait" + ELLIPSIS,
        "Really.",
        "Yes",
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Mr. Smith met Dr. Jones and Mrs. Brown.",
        "Apples, e.g. red ones, i.e. the best, are approx. 5 dollars.",
        "He moved to the U.S. last year.",
        "It costs 3.50 dollars, or 2.5 euros.",
        "J. R. R. Tolkien wrote it.",
        "We met at 9 a.m. on the dot.",
        "Cats vs. dogs is no. 1 on the list.",
        "Prof. Plum and St. Paul agreed.",
    ],
)
def test_abbreviations_and_decimals_do_not_split(sentence: str) -> None:
    assert split_sentences(sentence) == [sentence]


def test_abbreviations_that_often_end_a_sentence_split_before_a_capital() -> None:
    assert split_sentences("Bring pens, paper etc. Then sit. Acme Inc. is big.") == [
        "Bring pens, paper etc.",
        "Then sit.",
        "Acme Inc. is big.",
    ]


def test_lower_case_continuation_is_not_a_new_sentence() -> None:
    assert split_sentences("\u201cHi!\u201d she said. Wait... what now?") == [
        "\u201cHi!\u201d she said.",
        "Wait... what now?",
    ]


def test_closing_quotes_stay_with_their_sentence() -> None:
    assert split_sentences('He said "Go." Then he left.') == ['He said "Go."', "Then he left."]


def test_other_scripts() -> None:
    chinese = (
        f"\u4f60\u597d{IDEOGRAPHIC_FULL_STOP}"
        f"\u4e16\u754c{FULLWIDTH_EXCLAMATION}"
        f"\u518d\u89c1{FULLWIDTH_QUESTION}"
    )
    assert split_sentences(chinese, "zh") == [
        f"\u4f60\u597d{IDEOGRAPHIC_FULL_STOP}",
        f"\u4e16\u754c{FULLWIDTH_EXCLAMATION}",
        f"\u518d\u89c1{FULLWIDTH_QUESTION}",
    ]
    arabic = f"\u0645\u0631\u062d\u0628\u0627{ARABIC_QUESTION} \u0634\u0643\u0631\u0627."
    assert split_sentences(arabic, "ar") == [
        f"\u0645\u0631\u062d\u0628\u0627{ARABIC_QUESTION}",
        "\u0634\u0643\u0631\u0627.",
    ]
    hindi = (
        f"\u0928\u092e\u0938\u094d\u0924\u0947{DEVANAGARI_DANDA} "
        f"\u0927\u0928\u094d\u092f\u0935\u093e\u0926{DEVANAGARI_DANDA}"
    )
    assert split_sentences(hindi, "hi") == [
        f"\u0928\u092e\u0938\u094d\u0924\u0947{DEVANAGARI_DANDA}",
        f"\u0927\u0928\u094d\u092f\u0935\u093e\u0926{DEVANAGARI_DANDA}",
    ]


def test_english_abbreviations_only_apply_to_english() -> None:
    assert split_sentences("Ask Dr. Who.", "en") == ["Ask Dr. Who."]
    assert split_sentences("Frag Dr. Who.", "de") == ["Frag Dr.", "Who."]
    # initials and dotted acronyms are recognised in every language
    assert split_sentences("Das ist z.B. gut.", "de") == ["Das ist z.B. gut."]


def test_blank_text_has_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences("  \n ") == []
    assert chunk_text("   ") == []


def test_short_sentences_are_packed_into_one_chunk() -> None:
    assert chunk_text("One. Two. Three.", max_chars=400) == ["One. Two. Three."]
    assert chunk_text("One. Two. Three.", max_chars=9) == ["One. Two.", "Three."]


def test_long_sentence_splits_at_clause_punctuation_first() -> None:
    text = "First part of it, second part of it; third part: the end."
    assert chunk_text(text, max_chars=20) == [
        "First part of it,",
        "second part of it;",
        "third part: the end.",  # exactly 20: clauses are packed while they fit
    ]


def test_long_clause_splits_between_words() -> None:
    text = "alpha beta gamma delta epsilon zeta eta theta iota kappa."
    chunks = chunk_text(text, max_chars=16)
    assert chunks == ["alpha beta gamma", "delta epsilon", "zeta eta theta", "iota kappa."]
    assert all(len(chunk) <= 16 for chunk in chunks)


def test_a_word_longer_than_the_limit_is_never_cut() -> None:
    word = "Supercalifragilisticexpialidocious"
    assert chunk_text(f"A {word} day.", max_chars=10) == ["A", word, "day."]


def test_full_width_clauses_rejoin_without_spaces() -> None:
    clause = "\u4f60\u597d\u4e16\u754c" + FULLWIDTH_COMMA
    text = clause * 6 + IDEOGRAPHIC_FULL_STOP
    chunks = chunk_text(text, max_chars=12, language="zh")
    assert all(len(chunk) <= 12 for chunk in chunks)
    assert "".join(chunks) == text


def test_whitespace_inside_chunks_collapses() -> None:
    assert chunk_text("One\n\ntwo   three.\tFour.") == ["One two three. Four."]


def test_max_chars_must_be_positive() -> None:
    with pytest.raises(ValueError):
        chunk_text("x", max_chars=0)


# -- no text is lost -------------------------------------------------------------------------

_WORDS = [
    "Mr.",
    "Dr.",
    "e.g.",
    "U.S.",
    "etc.",
    "3.14",
    "$5.99",
    "hello",
    "world,",
    "clause;",
    "note:",
    "end.",
    "Why?",
    "Wow!",
    "so" + ELLIPSIS,
    '"quoted."',
    "(aside)",
    "a",
    "I",
    "Supercalifragilisticexpialidocious",
    "x" * 60,
]


def _random_text(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(0, 120))]
    separators = [rng.choice([" ", " ", " ", "  ", "\n", "\t", " \n "]) for _ in words]
    return "".join(word + separator for word, separator in zip(words, separators, strict=True))


@pytest.mark.parametrize("seed", range(300))
def test_chunks_keep_every_word_in_order(seed: int) -> None:
    rng = random.Random(seed)
    text = _random_text(rng)
    max_chars = rng.choice([1, 5, 20, 50, 100, 400])
    chunks = chunk_text(text, max_chars=max_chars)
    assert " ".join(chunks).split() == text.split()
    assert all(chunk == chunk.strip() and chunk for chunk in chunks)
    for chunk in chunks:
        assert len(chunk) <= max_chars or " " not in chunk, chunk  # only a lone word is longer


@pytest.mark.parametrize("seed", range(100))
def test_sentences_keep_every_word_in_order(seed: int) -> None:
    text = _random_text(random.Random(seed))
    assert " ".join(split_sentences(text)).split() == text.split()


@pytest.mark.parametrize("seed", range(50))
def test_cjk_chunks_keep_every_character(seed: int) -> None:
    rng = random.Random(seed)
    pieces = ["\u4f60\u597d", "\u4e16\u754c", FULLWIDTH_COMMA, IDEOGRAPHIC_FULL_STOP]
    pieces += [FULLWIDTH_QUESTION, "\u8fd9\u662f\u4e00\u4e2a\u53e5\u5b50"]
    text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 200)))
    chunks = chunk_text(text, max_chars=rng.choice([3, 10, 40]), language="zh")
    assert "".join(chunks) == "".join(text.split())
