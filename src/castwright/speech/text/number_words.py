"""Numbers, dates, times and money as spoken English (num2words does the counting).

Every function takes values already picked apart by a rule and returns the words, or None
when the value cannot be what the rule thought (a 13th month, 25 o'clock), so the rule can
leave the original text alone.
"""

from __future__ import annotations

import calendar
import re

from num2words import CONVERTER_CLASSES, num2words

from castwright.speech.text.normalise_tables import DIGIT_WORDS, MONTHS, Currency

__all__ = [
    "cardinal",
    "date_words",
    "decade_words",
    "digit_words",
    "is_english",
    "language_region",
    "money_words",
    "num2words_language",
    "number_words",
    "ordinal",
    "time_words",
    "year_words",
]

_LANGUAGE_RE = re.compile(r"^(?P<base>[A-Za-z]{2,3})(?:[-_](?P<region>[A-Za-z0-9]{2,8}))?")


def num2words_language(language: str) -> str | None:
    """The num2words code for a BCP-47 tag ("pt-BR" -> "pt_BR", "de-AT" -> "de"), or None."""
    match = _LANGUAGE_RE.match(language.strip())
    if match is None:
        return None
    base = match["base"].lower()
    region = match["region"]
    if region and f"{base}_{region.upper()}" in CONVERTER_CLASSES:
        return f"{base}_{region.upper()}"
    return base if base in CONVERTER_CLASSES else None


def is_english(language: str) -> bool:
    match = _LANGUAGE_RE.match(language.strip())
    return match is not None and match["base"].lower() == "en"


def language_region(language: str) -> str:
    """The lower-cased region of a language tag ("en-GB" -> "gb"), "" when there is none."""
    match = _LANGUAGE_RE.match(language.strip())
    return (match["region"] or "").lower() if match else ""


def _tidy(words: str) -> str:
    # num2words writes "one thousand, two hundred"; a comma makes engines pause mid-number.
    return words.replace(",", "")


# num2words gives up near 10**300 (and int() refuses over 4300 digits); nobody says such numbers
# as words, so anything longer than this is read digit by digit.
_MAX_WORD_DIGITS = 100


def cardinal(number: int, lang: str = "en") -> str:
    if len(str(abs(number))) > _MAX_WORD_DIGITS:
        return digit_words(str(number), lang)
    return _tidy(str(num2words(number, lang=lang)))


def ordinal(number: int, lang: str = "en") -> str:
    if len(str(abs(number))) > _MAX_WORD_DIGITS:
        return digit_words(str(number), lang)
    return _tidy(str(num2words(number, lang=lang, to="ordinal")))


def year_words(year: int) -> str:
    """1999 -> "nineteen ninety-nine", 1905 -> "nineteen oh five", 2000 -> "two thousand"."""
    if len(str(abs(year))) > _MAX_WORD_DIGITS:
        return digit_words(str(year))
    return _tidy(str(num2words(year, lang="en", to="year"))).replace("oh-", "oh ")


def decade_words(year: int) -> str:
    """1990 -> "nineteen nineties", 90 -> "nineties"."""
    words = year_words(year) if year >= 100 else cardinal(year)
    head, _, last = words.rpartition(" ")
    hyphen_head, hyphen, last = last.rpartition("-")
    if last.endswith("y"):
        last = last[:-1] + "ies"
    elif last.endswith(("x", "s")):
        last += "es"
    else:
        last += "s"
    last = f"{hyphen_head}{hyphen}{last}"
    return f"{head} {last}" if head else last


def digit_words(text: str, lang: str = "en") -> str:
    """Each digit as its own word; anything else is skipped."""
    if lang == "en":
        return " ".join(DIGIT_WORDS[int(char)] for char in text if char.isdigit())
    return " ".join(cardinal(int(char), lang) for char in text if char.isdigit())


def number_words(text: str) -> str:
    """A written number ("1,234.5", "-3", ".25") in English; decimals read digit by digit."""
    text = text.replace(",", "").strip()
    negative = text[:1] in "-\N{MINUS SIGN}"
    text = text.lstrip("-\N{MINUS SIGN}")
    whole, _, fraction = text.partition(".")
    if len(whole) > _MAX_WORD_DIGITS:
        words = digit_words(whole)
    else:
        words = cardinal(int(whole)) if whole else ""
    if fraction:
        words = f"{words} point {digit_words(fraction)}".lstrip()  # ".25" is "point two five"
    return f"minus {words}" if negative else words


def time_words(hour: int, minute: int, second: int | None = None, meridiem: str = "") -> str | None:
    """9:30 -> "nine thirty", 9:05 -> "nine oh five", 10:00 -> "ten o'clock".

    ``meridiem`` is "a" or "p" (any case) or "" for a 24-hour clock.
    """
    if meridiem:
        if not 1 <= hour <= 12:
            return None
    elif not (0 <= hour <= 23 or (hour == 24 and minute == 0)):
        return None
    if not 0 <= minute <= 59 or (second is not None and not 0 <= second <= 59):
        return None
    hour_words = cardinal(hour)
    if minute == 0:
        if meridiem:
            words = hour_words
        elif hour > 12 or hour == 0:
            words = f"{hour_words} hundred"  # 24-hour style: "seventeen hundred"
        else:
            words = f"{hour_words} o'clock"
    elif minute < 10:
        words = f"{hour_words} oh {cardinal(minute)}"
    else:
        words = f"{hour_words} {cardinal(minute)}"
    if second:
        words += f" and {cardinal(second)} second{'s' if second != 1 else ''}"
    if meridiem:
        words += f" {meridiem[0].lower()} m"
    return words


def date_words(
    year: int | None, month: int, day: int | None, day_first: bool = False
) -> str | None:
    """May third, twenty twenty-four / the third of May, twenty twenty-four (``day_first``)."""
    if not 1 <= month <= 12:
        return None
    if day is not None:
        longest = calendar.monthrange(year if year is not None else 2000, month)[1]
        if not 1 <= day <= longest:
            return None
    name = MONTHS[month - 1]
    if day is None:
        spoken = name
    elif day_first:
        spoken = f"the {ordinal(day)} of {name}"
    else:
        spoken = f"{name} {ordinal(day)}"
    if year is not None:
        spoken += f", {year_words(year)}" if day is not None else f" {year_words(year)}"
    return spoken


def money_words(amount: str, currency: Currency, scale: str = "") -> str:
    """An amount of money in words.

    "5.99" dollars is "five dollars and ninety-nine cents"; "1.5" with scale "million" is "one
    point five million dollars". Amounts with three or more decimals are read as decimals.
    """
    amount = amount.replace(",", "")
    minus = "minus " if amount[:1] in "-\N{MINUS SIGN}" else ""
    amount = amount.lstrip("-\N{MINUS SIGN}")
    if scale:
        return f"{minus}{number_words(amount)} {scale} {currency.plural}"
    whole_text, _, fraction = amount.partition(".")
    if fraction and (len(fraction) > 2 or not currency.minor_plural):
        return f"{minus}{number_words(amount)} {currency.plural}"
    whole = int(whole_text or "0")
    minor = int(fraction.ljust(2, "0")) if fraction else 0
    parts: list[str] = []
    if whole or not minor:
        parts.append(f"{cardinal(whole)} {currency.singular if whole == 1 else currency.plural}")
    if minor:
        unit = currency.minor_singular if minor == 1 else currency.minor_plural
        parts.append(f"{cardinal(minor)} {unit}")
    return minus + " and ".join(parts)
