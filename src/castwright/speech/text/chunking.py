"""Sentence splitting and chunking of long text for engines with an input limit.

Splitting errs on the side of not splitting: a missed boundary only makes a chunk longer,
while a false one ("Dr. | Smith") makes an engine drop its voice in mid-phrase. No text is ever
dropped: joining the chunks with spaces gives back the same words in the same order.
"""

from __future__ import annotations

import re

from castwright.speech.text.number_words import is_english

__all__ = [
    "FULL_WIDTH_CLAUSE_MARKS",
    "FULL_WIDTH_TERMINATORS",
    "SENTENCE_TERMINATORS",
    "chunk_text",
    "split_sentences",
]

_ELLIPSIS = "\N{HORIZONTAL ELLIPSIS}"
_SCRIPT_TERMINATORS = "\N{ARABIC QUESTION MARK}\N{DEVANAGARI DANDA}"
# CJK full stop, exclamation and question marks: they end a sentence without a following space.
FULL_WIDTH_TERMINATORS = (
    "\N{IDEOGRAPHIC FULL STOP}\N{FULLWIDTH EXCLAMATION MARK}\N{FULLWIDTH QUESTION MARK}"
)
FULL_WIDTH_CLAUSE_MARKS = (
    "\N{FULLWIDTH COMMA}\N{IDEOGRAPHIC COMMA}\N{FULLWIDTH SEMICOLON}\N{FULLWIDTH COLON}"
)
SENTENCE_TERMINATORS = ".!?" + _ELLIPSIS + _SCRIPT_TERMINATORS + FULL_WIDTH_TERMINATORS

_OPENING_MARKS = "\"'([{\N{LEFT DOUBLE QUOTATION MARK}\N{LEFT SINGLE QUOTATION MARK}"
_CLOSING_MARKS = (
    "\"')]}\N{RIGHT DOUBLE QUOTATION MARK}\N{RIGHT SINGLE QUOTATION MARK}"
    "\N{RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK}\N{RIGHT CORNER BRACKET}"
    "\N{RIGHT WHITE CORNER BRACKET}"
)
_FULL_WIDTH_PUNCTUATION = FULL_WIDTH_CLAUSE_MARKS + FULL_WIDTH_TERMINATORS


def _char_class(chars: str) -> str:
    return "[" + "".join(re.escape(char) for char in chars) + "]"


_BOUNDARY_RE = re.compile(
    rf"(?:{_char_class('.!?' + _ELLIPSIS + _SCRIPT_TERMINATORS)}+"
    rf"{_char_class(_CLOSING_MARKS)}*(?=\s|$))"
    rf"|(?:{_char_class(FULL_WIDTH_TERMINATORS)}+{_char_class(_CLOSING_MARKS)}*)"
)
_CLAUSE_RE = re.compile(rf"(?<=[;:,])\s+|(?<={_char_class(FULL_WIDTH_CLAUSE_MARKS)})")
_WHITESPACE_RE = re.compile(r"\s+")
_INITIAL_RE = re.compile(r"^[A-Za-z]$")
_DOTTED_RE = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")  # U.S, e.g, z.B, p.m

# Before a name: a full stop after these never ends the sentence.
_TITLES = frozenset(
    {
        *("mr", "mrs", "ms", "dr", "prof", "st", "mt", "rev", "capt", "lt", "sgt"),
        *("gen", "col", "gov", "sen", "rep", "fr", "messrs"),
    }
)
# Mid-phrase abbreviations: the sentence goes on after them.
_NEVER_FINAL = frozenset(
    {
        *("vs", "cf", "approx", "no", "nos", "fig", "figs", "vol", "vols"),
        *("ca", "al", "op", "ch", "pp", "p"),
    }
)
# Abbreviations that often end a sentence too: split only when a capital follows.
_OFTEN_FINAL = frozenset(
    {"etc", "inc", "ltd", "co", "corp", "jr", "sr", "ave", "rd", "blvd", "dept", "est"}
)


def _word_before(text: str, end: int) -> str:
    """The word that the full stop at ``end`` closes, without the stop and leading brackets."""
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end].lstrip(_OPENING_MARKS)


_NEXT_WORD_RE = re.compile(r"\s*(\S*)")


def _next_word(text: str, position: int) -> str:
    match = _NEXT_WORD_RE.match(text, position)
    return match.group(1) if match else ""


def _is_boundary(text: str, match: re.Match[str], english: bool) -> bool:
    following = _next_word(text, match.end()).lstrip(_OPENING_MARKS)
    if following[:1].islower():
        return False  # "Wait... what" or "“Hi!” she said" continue the sentence
    if match.group(0).rstrip(_CLOSING_MARKS) != ".":
        return True
    word = _word_before(text, match.start())
    if _INITIAL_RE.match(word) or _DOTTED_RE.match(word):
        return False
    lowered = word.lower()
    if english and (lowered in _TITLES or lowered in _NEVER_FINAL):
        return False
    if english and lowered in _OFTEN_FINAL:
        return following[:1].isupper()
    return True


def split_sentences(text: str, language: str = "en") -> list[str]:
    """The sentences of ``text``, stripped, in order; blank ones are dropped.

    Abbreviation handling (Mr., e.g., etc.) is English; initials, dotted acronyms (U.S.),
    decimals and a lower-case continuation are recognised in every language.
    """
    english = is_english(language)
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY_RE.finditer(text):
        if _is_boundary(text, match, english):
            sentences.append(text[start : match.end()].strip())
            start = match.end()
    sentences.append(text[start:].strip())
    return [sentence for sentence in sentences if sentence]


def _joiner(left: str) -> str:
    # Full-width punctuation is never followed by a space in the scripts that use it.
    return "" if left[-1:] in _FULL_WIDTH_PUNCTUATION else " "


def _pack(pieces: list[str], max_chars: int) -> list[str]:
    """Greedily join pieces while they fit; a piece longer than ``max_chars`` stands alone."""
    packed: list[str] = []
    current = ""
    for piece in pieces:
        joined = current + _joiner(current) + piece if current else piece
        if len(joined) <= max_chars or not current:
            current = joined
        else:
            packed.append(current)
            current = piece
    if current:
        packed.append(current)
    return packed


def _split_long_sentence(sentence: str, max_chars: int) -> list[str]:
    """Split at clause punctuation, then between words; a word is never cut."""
    if len(sentence) <= max_chars:
        return [sentence]
    pieces: list[str] = []
    for clause in _CLAUSE_RE.split(sentence):
        if len(clause) <= max_chars:
            pieces.append(clause)
        else:
            pieces.extend(_pack(clause.split(" "), max_chars))
    return _pack([piece for piece in pieces if piece], max_chars)


def chunk_text(text: str, max_chars: int = 400, language: str = "en") -> list[str]:
    """``text`` in chunks of at most ``max_chars`` characters, cut at sentence boundaries.

    Whole sentences are packed together while they fit. A longer sentence is cut at ``;``,
    ``:`` or ``,`` and then between words; only a single word longer than ``max_chars``
    produces a longer chunk. Whitespace inside chunks is collapsed to single spaces.
    """
    if max_chars < 1:
        raise ValueError("max_chars must be at least 1")
    pieces: list[str] = []
    for sentence in split_sentences(text, language):
        pieces.extend(_split_long_sentence(_WHITESPACE_RE.sub(" ", sentence), max_chars))
    return _pack(pieces, max_chars)
