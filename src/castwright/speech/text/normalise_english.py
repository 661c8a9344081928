"""English text normalisation rules: written forms an engine would misread, as words.

The rules run in order, most specific first (a date before its numbers, a price before its
decimal), and each turns what it recognises into words so later rules no longer see digits.
Numbers glued to letters ("MP3", "4K", "COVID-19"'s "COVID") are left for the engine: spelling
them out sounds worse than what engines already do with them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from castwright.speech.text.normalise_tables import (
    ABBREVIATIONS,
    CURRENCY_CODES,
    CURRENCY_SYMBOLS,
    MONTH_ALIASES,
    SCALE_WORDS,
    UNITS,
    Abbreviation,
)
from castwright.speech.text.number_words import (
    date_words,
    decade_words,
    digit_words,
    money_words,
    number_words,
    ordinal,
    time_words,
    year_words,
)

__all__ = ["normalise_english"]

Replacer = Callable[[re.Match[str]], str]


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    replace: Replacer


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first so "km/h" wins over "km"."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


# Building blocks. A number starts where no word, number or decimal point precedes it and ends
# where no word character or further digit group follows it.
_INT = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)"
_AMOUNT = rf"(?:{_INT}(?:\.\d+)?)"
_START = r"(?<![\w.,])"
_END = r"(?![\w]|[.,]\d)"
_MINUS = r"(?:(?<![^\s(\[])(?P<neg>[-\N{MINUS SIGN}]))?"  # a minus sign only at the start of a word
_MONTH = _alternation(MONTH_ALIASES)
_MERIDIEM = r"(?P<mer>[AaPp])\.?\s?[Mm]\b\.?"
_SCALE = rf"(?:{_alternation(SCALE_WORDS)})(?!\w)"
_CURRENCY_PREFIX = _alternation([*CURRENCY_SYMBOLS, *CURRENCY_CODES])
_CURRENCY_SUFFIX = _alternation([*CURRENCY_CODES, "€", "£"])
# URLs and e-mail addresses are read by the engine as written. The look-behind keeps the scan
# linear: an address can only start where a run of address characters starts.
_PROTECTED_RE = re.compile(r"https?://\S+|www\.\S+|(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+")


_NEXT_WORD_START_RE = re.compile(r"\s*(?P<char>\S?)")
_CAPITALISED_NEXT_RE = re.compile(r"\s+[A-Z]")
_LAST_WORDS_RE = re.compile(r"(?P<preceding>\S*)\s+(?P<word>\S+)\s+$")


def _followed_by_name(match: re.Match[str]) -> bool:
    return _CAPITALISED_NEXT_RE.match(match.string, match.end()) is not None


def _sentence_stop(match: re.Match[str]) -> str:
    """A full stop when the match swallowed one that also ends the sentence ("at 9 p.m.")."""
    if not match.group(0).endswith("."):
        return ""
    following = _NEXT_WORD_START_RE.match(match.string, match.end())
    next_char = following["char"] if following else ""
    return "." if not next_char or next_char.isupper() else ""


def _is_year(number: int) -> bool:
    return 1100 <= number <= 2099


def _year_or_number(text: str) -> str:
    plain = text.replace(",", "")
    if "," not in text and len(plain) == 4 and _is_year(int(plain)):
        return year_words(int(plain))
    return number_words(plain)


# -- abbreviations ---------------------------------------------------------------------------


def _abbreviation_rule(entry: Abbreviation) -> _Rule:
    flags = re.IGNORECASE if entry.ignore_case else 0
    pattern = re.compile(rf"(?<![\w.])(?:{entry.pattern})(?!\w)", flags)

    def replace(match: re.Match[str]) -> str:
        written = match.group(0)
        if entry.title and not written.endswith(".") and not _followed_by_name(match):
            return written  # "Ms" without a name after it is something else
        stop = _sentence_stop(match) if entry.may_end_sentence else ""
        return entry.expansion + stop

    return _Rule(pattern, replace)


_PLACE_TITLES = {"St": ("Saint", "Street"), "Dr": ("Doctor", "Drive")}


def _saint_or_street(match: re.Match[str]) -> str:
    """St./Dr. after a name is a road (Street, Drive), before a name a title (Saint, Doctor)."""
    title, road = _PLACE_TITLES[match["abbr"]]
    # Two words of context are enough; looking further would make long texts slow.
    context = " " + match.string[max(0, match.start() - 80) : match.start()]
    last_words = _LAST_WORDS_RE.search(context)
    after_name = False
    if last_words is not None:
        word, preceding = last_words["word"], last_words["preceding"]
        sentence_start = not preceding or preceding[-1] in ".!?"
        named = word[0].isdigit() or (word[0].isupper() and not sentence_start)
        after_name = named and word[-1] not in ".!?"
    if after_name:
        return road + _sentence_stop(match)
    if _followed_by_name(match):
        return title
    return road + _sentence_stop(match)  # a title is always followed by a name


def _number_sign(match: re.Match[str]) -> str:
    return "number "


# -- dates and times -------------------------------------------------------------------------


def _iso_date(match: re.Match[str]) -> str:
    spoken = date_words(int(match["y"]), int(match["m"]), int(match["d"]))
    return spoken if spoken is not None else match.group(0)


def _numeric_date(day_first: bool) -> Replacer:
    def replace(match: re.Match[str]) -> str:
        first, second = int(match["a"]), int(match["b"])
        if first > 12 or (day_first and second <= 12):
            first, second = second, first  # unambiguous day first, or a day-first locale
        spoken = date_words(int(match["y"]), first, second)
        return spoken if spoken is not None else match.group(0)

    return replace


def _month_first_date(match: re.Match[str]) -> str:
    year = int(match["year"]) if match["year"] else None
    spoken = date_words(year, MONTH_ALIASES[match["month"]], int(match["day"]))
    return spoken if spoken is not None else match.group(0)


def _day_first_date(match: re.Match[str]) -> str:
    year = int(match["year"]) if match["year"] else None
    spoken = date_words(year, MONTH_ALIASES[match["month"]], int(match["day"]), day_first=True)
    if spoken is None:
        return match.group(0)
    article = match["the"] or "the"
    return article + spoken.removeprefix("the")


def _time(match: re.Match[str]) -> str:
    groups = match.groupdict()
    minute = int(groups.get("m") or 0)
    second = int(groups["s"]) if groups.get("s") else None
    spoken = time_words(int(match["h"]), minute, second, match["mer"] or "")
    return match.group(0) if spoken is None else spoken + _sentence_stop(match)


# -- money, percentages, units -----------------------------------------------------------------


def _money(match: re.Match[str]) -> str:
    symbol = match["cur"].strip()
    currency = CURRENCY_SYMBOLS.get(symbol) or CURRENCY_CODES[symbol]
    amount = ("-" if match["neg"] else "") + match["amount"]
    return money_words(amount, currency, SCALE_WORDS[match["scale"]] if match["scale"] else "")


def _percent(match: re.Match[str]) -> str:
    spoken = number_words(("-" if match["neg"] else "") + match["a"])
    if match["b"]:
        spoken += f" to {number_words(match['b'])}"
    return f"{spoken} percent"


def _unit(match: re.Match[str]) -> str:
    singular, plural = UNITS[match["unit"]]
    amount = match["amount"]
    spoken = number_words(("-" if match["neg"] else "") + amount)
    return f"{spoken} {singular if amount == '1' and not match['neg'] else plural}"


# -- digit runs --------------------------------------------------------------------------------


def _telephone(match: re.Match[str]) -> str:
    written = match.group(0)
    groups = re.findall(r"\d+", written)
    if sum(len(group) for group in groups) < 7:
        return written
    spoken = ", ".join(digit_words(group) for group in groups)
    return f"plus {spoken}" if written.startswith("+") else spoken


def _range(match: re.Match[str]) -> str:
    return f"{_year_or_number(match['a'])} to {_year_or_number(match['b'])}"


_FRACTIONS = {
    (1, 2): "one half",
    (1, 3): "one third",
    (2, 3): "two thirds",
    (1, 4): "one quarter",
    (3, 4): "three quarters",
}


def _fraction(match: re.Match[str]) -> str:
    return _FRACTIONS.get((int(match["n"]), int(match["d"])), match.group(0))


def _ordinal(match: re.Match[str]) -> str:
    return ordinal(int(match["n"].replace(",", "")))


def _decade(match: re.Match[str]) -> str:
    return decade_words(int(match["year"] or match["short"]))


def _year(match: re.Match[str]) -> str:
    return year_words(int(match.group(0)))


def _number(match: re.Match[str]) -> str:
    whole, fraction = match["int"], match["frac"]
    plain_integer = bool(whole) and not fraction and "," not in whole and len(whole) > 1
    if plain_integer and (whole.startswith("0") or len(whole) >= 10):
        return digit_words(whole)  # codes and identifiers, not quantities
    written = f"{whole or ''}.{fraction}" if fraction else whole
    return number_words(("-" if match["neg"] else "") + written)


def _rules(day_first: bool) -> list[_Rule]:
    def rule(pattern: str, replace: Replacer, flags: int = 0) -> _Rule:
        return _Rule(re.compile(pattern, flags), replace)

    return [
        *(_abbreviation_rule(entry) for entry in ABBREVIATIONS),
        rule(r"(?<![\w.])(?P<abbr>St|Dr)(?:\.|(?=\s))", _saint_or_street),
        rule(r"(?<![\w.])(?:[Nn]o\.\s?|#)(?=\d)", _number_sign),
        rule(
            r"(?<![\w/.-])(?P<y>\d{4})([-/])(?P<m>\d{1,2})\2(?P<d>\d{1,2})(?![\w/-]|\.\d)",
            _iso_date,
        ),
        rule(
            r"(?<![\w/.-])(?P<a>\d{1,2})([/-])(?P<b>\d{1,2})\2(?P<y>\d{4})(?![\w/-]|\.\d)",
            _numeric_date(day_first),
        ),
        rule(
            rf"\b(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
            rf"(?:,?\s+(?P<year>\d{{4}}))?(?![\w:]|[.,]\d)",
            _month_first_date,
        ),
        rule(
            rf"(?:\b(?P<the>[Tt]he)\s+)?{_START}(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?"
            rf"(?P<month>{_MONTH})\b(?:,?\s+(?P<year>\d{{4}}))?(?![\w]|[.,]\d)",
            _day_first_date,
        ),
        rule(
            rf"(?<![\w:.])(?P<h>\d{{1,2}}):(?P<m>\d{{2}})(?::(?P<s>\d{{2}}))?"
            rf"(?:\s?{_MERIDIEM})?(?![\w:]|\.\d)",
            _time,
        ),
        rule(rf"(?<![\w:.])(?P<h>\d{{1,2}})\.(?P<m>\d{{2}})\s?{_MERIDIEM}", _time),
        rule(rf"(?<![\w:.,])(?P<h>\d{{1,2}})\s?{_MERIDIEM}", _time),
        rule(
            rf"{_MINUS}(?<![A-Za-z])(?P<cur>{_CURRENCY_PREFIX})\s?(?P<amount>{_AMOUNT})"
            rf"(?:\s?(?P<scale>{_SCALE}))?{_END}",
            _money,
        ),
        rule(
            rf"{_MINUS}{_START}(?P<amount>{_AMOUNT})\s?(?:(?P<scale>{_SCALE})\s?)?"
            rf"(?P<cur>{_CURRENCY_SUFFIX})(?!\w)",
            _money,
        ),
        rule(
            rf"{_MINUS}{_START}(?P<a>{_AMOUNT})"
            rf"(?:\s?(?:-|\N{{EN DASH}}|to)\s?(?P<b>{_AMOUNT}))?\s?%",
            _percent,
        ),
        rule(
            rf"{_MINUS}{_START}(?P<amount>{_AMOUNT})\s?(?P<unit>{_alternation(UNITS)})(?!\w)", _unit
        ),
        rule(
            r"(?<![\w+])(?:\+\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,5}"
            r"|\(\d{3}\)\s?\d{3}[\s.-]?\d{4}"
            r"|\d{3}[.-]\d{3}[.-]\d{4}"
            r"|0\d{2,4}[\s-]\d{3,4}[\s-]?\d{3,4})(?![\w]|[.,-]\d)",
            _telephone,
        ),
        rule(
            rf"(?<![\w.,-])(?P<a>{_INT})(?:-|\s?\N{{EN DASH}}\s?)(?P<b>{_INT})(?![\w-]|[.,]\d)",
            _range,
        ),
        rule(r"(?<![\w.,/])(?P<n>\d)/(?P<d>\d)(?![\w/]|[.,]\d)", _fraction),
        rule(rf"{_START}(?P<n>{_INT})(?:st|nd|rd|th)(?!\w)", _ordinal, re.IGNORECASE),
        rule(
            r"(?<![\w.,'\N{RIGHT SINGLE QUOTATION MARK}])(?:(?P<year>1[1-9]\d0|20\d0)"
            r"|['\N{RIGHT SINGLE QUOTATION MARK}]?(?P<short>[1-9]0))s(?!\w)",
            _decade,
        ),
        rule(r"(?<![\w.,$£€¥₹#-])(?:1[1-9]\d\d|20\d\d)(?![\w%]|[.,]\d)", _year),
        rule(
            rf"{_MINUS}{_START}(?=\.?\d)(?P<int>{_INT})?(?:\.(?P<frac>\d+))?{_END}",
            _number,
        ),
    ]


_RULES = {day_first: _rules(day_first) for day_first in (False, True)}


def normalise_english(text: str, day_first: bool = False) -> str:
    """Apply every rule to the text outside URLs and e-mail addresses."""
    rules = _RULES[day_first]
    pieces: list[str] = []
    position = 0
    for protected in _PROTECTED_RE.finditer(text):
        pieces.append(_apply(rules, text[position : protected.start()]))
        pieces.append(protected.group(0))
        position = protected.end()
    pieces.append(_apply(rules, text[position:]))
    return "".join(pieces)


def _apply(rules: list[_Rule], text: str) -> str:
    for rule in rules:
        text = rule.pattern.sub(rule.replace, text)
    return text
