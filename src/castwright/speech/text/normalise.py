"""Text normalisation before the engine: numbers, dates, money and abbreviations as words.

English gets the full rule set (:mod:`normalise_english`). Other languages get their plain
integers spelled out by num2words when it knows the language, and are otherwise left alone:
engines for those languages read digits better than a wrong rule would.
"""

from __future__ import annotations

import re

from castwright.speech.text.document import Interpretation
from castwright.speech.text.normalise_english import normalise_english
from castwright.speech.text.normalise_tables import DAY_FIRST_REGIONS
from castwright.speech.text.number_words import (
    cardinal,
    is_english,
    language_region,
    num2words_language,
)
from castwright.speech.text.say_as import read_say_as

__all__ = ["interpret", "normalise"]

_INTEGER_RE = re.compile(r"(?<![\w.,])\d{1,15}(?![\w]|[.,]\d)")


def _day_first(language: str) -> bool:
    return language_region(language) in DAY_FIRST_REGIONS


# Nobody says a 100-digit number as a number, and int() refuses past 4300 digits: such runs are
# spaced out first so every rule after this sees them as single digits.
_HUGE_NUMBER = re.compile(r"\d{101,}")


def _split_huge_numbers(text: str) -> str:
    return _HUGE_NUMBER.sub(lambda match: " ".join(match.group(0)), text)


def normalise(text: str, language: str = "en") -> str:
    """``text`` with numbers, dates, times, money, units and abbreviations written as words.

    ``language`` is a BCP-47 tag ("en", "en-GB", "de-DE"); en-GB and other day-first regions
    read "05/03/2024" as the 5th of March.
    """
    text = _split_huge_numbers(text)
    if is_english(language):
        return normalise_english(text, day_first=_day_first(language))
    lang = num2words_language(language)
    if lang is None:
        return text
    return _INTEGER_RE.sub(lambda match: cardinal(int(match.group(0)), lang), text)


def interpret(
    text: str, interpret_as: Interpretation, format: str = "", language: str = "en"
) -> str:
    """``text`` read the way an SSML ``<say-as interpret-as=...>`` asked.

    ``format`` is the say-as format: a field order for dates ("mdy", "dmy", "ymd", ...) or a
    currency code for amounts without a symbol ("USD"). Text that does not fit the requested
    kind is normalised as ordinary prose instead.
    """
    text = _split_huge_numbers(text)
    if interpret_as != "text":
        lang = "en" if is_english(language) else num2words_language(language)
        if lang is not None:
            spoken = read_say_as(text, interpret_as, format, lang, _day_first(language))
            if spoken is not None:
                return spoken
        elif interpret_as == "characters":
            return read_say_as(text, interpret_as, format, "en") or text
    return normalise(text, language)
