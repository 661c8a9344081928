"""SSML ``<say-as>`` readings: text whose kind the script author has told us.

Each reader returns the words, or None when the text does not fit the kind (a "date" with
letters in it); the caller then falls back to ordinary normalisation. Only cardinal, ordinal,
digits, characters and telephone are available beyond English, through num2words.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from castwright.speech.text.document import Interpretation
from castwright.speech.text.normalise_tables import (
    CURRENCY_CODES,
    CURRENCY_SYMBOLS,
    SCALE_WORDS,
    SYMBOL_WORDS,
)
from castwright.speech.text.number_words import (
    cardinal,
    date_words,
    digit_words,
    money_words,
    number_words,
    ordinal,
    time_words,
    year_words,
)

__all__ = ["read_say_as", "spell_characters"]

_NUMBER_RE = re.compile(r"^[-\N{MINUS SIGN}]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_ORDINAL_RE = re.compile(r"^(?P<n>\d{1,3}(?:,\d{3})+|\d+)\s*(?:st|nd|rd|th|\.|º|ª|er|e)?$", re.I)
_TIME_RE = re.compile(
    r"^(?P<h>\d{1,2})(?:[:.h](?P<m>\d{2})(?::(?P<s>\d{2}))?)?\s*(?:(?P<mer>[ap])\.?\s?m\.?)?$",
    re.IGNORECASE,
)
_COMPACT_TIME_RE = re.compile(r"^(?P<h>\d{2})(?P<m>\d{2})$")
_CURRENCY_MARK = "|".join(
    re.escape(mark) for mark in sorted([*CURRENCY_SYMBOLS, *CURRENCY_CODES], key=len, reverse=True)
)
_MONEY_RE = re.compile(
    rf"^(?P<neg>[-\N{{MINUS SIGN}}])?\s*(?P<pre>{_CURRENCY_MARK})?\s*(?P<amount>\d[\d,]*(?:\.\d+)?)"
    rf"\s*(?P<scale>{'|'.join(sorted(SCALE_WORDS, key=len, reverse=True))})?"
    rf"\s*(?P<post>{_CURRENCY_MARK})?$"
)


def spell_characters(text: str, lang: str = "en") -> str:
    """Spell ``text`` out: "ABC1" -> "A B C one". Upper case makes engines name letters."""
    words: list[str] = []
    for char in text:
        if char.isalpha():
            words.append(char.upper())
        elif char.isdigit():
            words.append(digit_words(char, lang))
        elif lang == "en" and char in SYMBOL_WORDS:
            words.append(SYMBOL_WORDS[char])
    return " ".join(words)


def _read_cardinal(text: str, lang: str) -> str | None:
    compact = text.replace(" ", "")
    if not _NUMBER_RE.match(compact):
        return None
    if lang == "en":
        return number_words(compact)
    if "." in compact:
        return None
    return cardinal(int(compact.replace(",", "").replace("\N{MINUS SIGN}", "-")), lang)


def _read_ordinal(text: str, lang: str) -> str | None:
    match = _ORDINAL_RE.match(text.strip())
    return ordinal(int(match["n"].replace(",", "")), lang) if match else None


def _read_digits(text: str, lang: str) -> str | None:
    return digit_words(text, lang) if any(char.isdigit() for char in text) else None


def _full_year(written: str) -> int:
    year = int(written)
    if len(written) <= 2:
        year += 2000 if year < 50 else 1900
    return year


def _read_date(text: str, date_format: str, day_first: bool) -> str | None:
    """Numeric dates in the order ``format`` gives: mdy, dmy, ymd, md, dm, my, ym, y."""
    if re.search(r"[A-Za-z]", text):
        return None
    fields = re.findall(r"\d+", text)
    order = date_format.lower()
    if not order:
        if len(fields) == 3:
            order = "ymd" if len(fields[0]) == 4 else ("dmy" if day_first else "mdy")
        else:
            order = {1: "y", 2: "dm" if day_first else "md"}.get(len(fields), "")
    if len(order) != len(fields) or set(order) - set("dmy") or len(set(order)) != len(order):
        return None
    values = dict(zip(order, fields, strict=True))
    year = _full_year(values["y"]) if "y" in values else None
    if "m" not in values:
        return year_words(year) if year is not None and "d" not in values else None
    day = int(values["d"]) if "d" in values else None
    return date_words(year, int(values["m"]), day, day_first=order.startswith("d"))


def _read_time(text: str) -> str | None:
    compact = text.strip()
    match = _TIME_RE.match(compact) or _COMPACT_TIME_RE.match(compact)
    if match is None:
        return None
    groups = match.groupdict()
    second = int(groups["s"]) if groups.get("s") else None
    return time_words(int(match["h"]), int(groups.get("m") or 0), second, groups.get("mer") or "")


def _read_currency(text: str, currency_code: str) -> str | None:
    match = _MONEY_RE.match(text.strip())
    if match is None:
        return None
    mark = match["pre"] or match["post"] or currency_code.strip().upper()
    currency = CURRENCY_SYMBOLS.get(mark) or CURRENCY_CODES.get(mark)
    if currency is None:
        return None
    amount = ("-" if match["neg"] else "") + match["amount"]
    return money_words(amount, currency, SCALE_WORDS[match["scale"]] if match["scale"] else "")


def _read_telephone(text: str, lang: str) -> str | None:
    """Digit by digit, a short pause (comma) between the groups the number was written in."""
    groups = re.findall(r"\d+", text)
    if not groups:
        return None
    spoken = ", ".join(digit_words(group, lang) for group in groups)
    return f"plus {spoken}" if lang == "en" and text.strip().startswith("+") else spoken


def read_say_as(
    text: str, interpret_as: Interpretation, format: str, lang: str, day_first: bool = False
) -> str | None:
    """The words for ``text`` read as ``interpret_as``; None when it cannot be read that way.

    ``lang`` is a num2words language code ("en", "de", "pt_BR").
    """
    portable: dict[str, Callable[[], str | None]] = {
        "cardinal": lambda: _read_cardinal(text, lang),
        "ordinal": lambda: _read_ordinal(text, lang),
        "digits": lambda: _read_digits(text, lang),
        "characters": lambda: spell_characters(text, lang) or None,
        "telephone": lambda: _read_telephone(text, lang),
    }
    english_only: dict[str, Callable[[], str | None]] = {
        "date": lambda: _read_date(text, format, day_first),
        "time": lambda: _read_time(text),
        "currency": lambda: _read_currency(text, format),
    }
    if interpret_as in portable:
        return portable[interpret_as]()
    if lang == "en" and interpret_as in english_only:
        return english_only[interpret_as]()
    return None
