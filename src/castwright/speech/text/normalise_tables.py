"""Word tables for English text normalisation: months, currencies, units, abbreviations.

Kept apart from the rules so that adding a unit or a currency is a one-line change.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ABBREVIATIONS",
    "CURRENCY_CODES",
    "CURRENCY_SYMBOLS",
    "DAY_FIRST_REGIONS",
    "DIGIT_WORDS",
    "MONTHS",
    "MONTH_ALIASES",
    "SCALE_WORDS",
    "SYMBOL_WORDS",
    "UNITS",
    "Abbreviation",
    "Currency",
]

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Written form -> month number. Only capitalised forms: "may" and "march" are also verbs.
MONTH_ALIASES: dict[str, int] = {
    **{name: number for number, name in enumerate(MONTHS, start=1)},
    **{name[:3]: number for number, name in enumerate(MONTHS, start=1)},
    "Sept": 9,
}

DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

# How <say-as interpret-as="characters"> names symbols between letters and digits.
SYMBOL_WORDS: dict[str, str] = {
    "&": "and",
    "@": "at",
    "#": "hash",
    ".": "dot",
    "-": "dash",
    "_": "underscore",
    "/": "slash",
    "+": "plus",
    "*": "star",
    "%": "percent",
}

# en-* regions that write numeric dates day first (05/03/2024 is the 5th of March there).
DAY_FIRST_REGIONS = frozenset({"gb", "uk", "au", "nz", "ie", "in", "za"})


@dataclass(frozen=True)
class Currency:
    singular: str
    plural: str
    minor_singular: str = ""  # "" when the currency has no minor unit worth reading
    minor_plural: str = ""


_DOLLAR = Currency("dollar", "dollars", "cent", "cents")
_EURO = Currency("euro", "euros", "cent", "cents")
_POUND = Currency("pound", "pounds", "penny", "pence")
_YEN = Currency("yen", "yen")
_RUPEE = Currency("rupee", "rupees", "paisa", "paise")

CURRENCY_SYMBOLS: dict[str, Currency] = {
    "US$": _DOLLAR,
    "C$": Currency("Canadian dollar", "Canadian dollars", "cent", "cents"),
    "A$": Currency("Australian dollar", "Australian dollars", "cent", "cents"),
    "$": _DOLLAR,
    "£": _POUND,
    "€": _EURO,
    "¥": _YEN,
    "₹": _RUPEE,
    "₩": Currency("won", "won"),
}

CURRENCY_CODES: dict[str, Currency] = {
    "USD": _DOLLAR,
    "EUR": _EURO,
    "GBP": _POUND,
    "JPY": _YEN,
    "INR": _RUPEE,
    "CAD": CURRENCY_SYMBOLS["C$"],
    "AUD": CURRENCY_SYMBOLS["A$"],
    "CHF": Currency("Swiss franc", "Swiss francs", "centime", "centimes"),
}

# Suffixes after an amount: "$1.5m", "$2bn", "$5k", "$3 million".
SCALE_WORDS: dict[str, str] = {
    "k": "thousand",
    "K": "thousand",
    "thousand": "thousand",
    "m": "million",
    "M": "million",
    "mn": "million",
    "million": "million",
    "b": "billion",
    "bn": "billion",
    "B": "billion",
    "billion": "billion",
    "tn": "trillion",
    "trillion": "trillion",
}

# Unit written after a number -> (singular, plural). Deliberately absent: "m", "g", "s",
# "in", "l" and "K", which too often mean something else ("5m people", "5G", "4K").
UNITS: dict[str, tuple[str, str]] = {
    "km/h": ("kilometer per hour", "kilometers per hour"),
    "kph": ("kilometer per hour", "kilometers per hour"),
    "mph": ("mile per hour", "miles per hour"),
    "km": ("kilometer", "kilometers"),
    "cm": ("centimeter", "centimeters"),
    "mm": ("millimeter", "millimeters"),
    "kg": ("kilogram", "kilograms"),
    "mg": ("milligram", "milligrams"),
    "ml": ("milliliter", "milliliters"),
    "mL": ("milliliter", "milliliters"),
    "lbs": ("pound", "pounds"),
    "lb": ("pound", "pounds"),
    "oz": ("ounce", "ounces"),
    "ft": ("foot", "feet"),
    "°C": ("degree Celsius", "degrees Celsius"),
    "°F": ("degree Fahrenheit", "degrees Fahrenheit"),
    "°": ("degree", "degrees"),
    "kWh": ("kilowatt hour", "kilowatt hours"),
    "kW": ("kilowatt", "kilowatts"),
    "KB": ("kilobyte", "kilobytes"),
    "kB": ("kilobyte", "kilobytes"),
    "MB": ("megabyte", "megabytes"),
    "GB": ("gigabyte", "gigabytes"),
    "TB": ("terabyte", "terabytes"),
    "GHz": ("gigahertz", "gigahertz"),
    "MHz": ("megahertz", "megahertz"),
    "kHz": ("kilohertz", "kilohertz"),
    "Hz": ("hertz", "hertz"),
    "ms": ("millisecond", "milliseconds"),
    "min": ("minute", "minutes"),
    "mins": ("minute", "minutes"),
    "hr": ("hour", "hours"),
    "hrs": ("hour", "hours"),
    "yrs": ("year", "years"),
}


@dataclass(frozen=True)
class Abbreviation:
    """``pattern`` is a regular expression for the written form, full stop included.

    ``title``: it precedes a name ("Mr. Smith") and is only expanded when one follows.
    ``may_end_sentence``: its full stop can double as the sentence's ("... and so on etc.").
    """

    pattern: str
    expansion: str
    title: bool = False
    may_end_sentence: bool = False
    ignore_case: bool = False


ABBREVIATIONS: tuple[Abbreviation, ...] = (
    Abbreviation(r"Mr\.?", "Mister", title=True),
    Abbreviation(r"Mrs\.?", "Missus", title=True),
    Abbreviation(r"Ms\.?", "Miz", title=True),
    Abbreviation(r"Prof\.?", "Professor", title=True),
    Abbreviation(r"Rev\.", "Reverend", title=True),
    Abbreviation(r"Capt\.", "Captain", title=True),
    Abbreviation(r"Lt\.", "Lieutenant", title=True),
    Abbreviation(r"Sgt\.", "Sergeant", title=True),
    Abbreviation(r"Mt\.", "Mount", title=True),
    Abbreviation(r"Jr\.", "Junior", may_end_sentence=True),
    Abbreviation(r"Sr\.", "Senior", may_end_sentence=True),
    Abbreviation(r"Ave\.", "Avenue", may_end_sentence=True),
    Abbreviation(r"Rd\.", "Road", may_end_sentence=True),
    Abbreviation(r"Blvd\.", "Boulevard", may_end_sentence=True),
    Abbreviation(r"Inc\.", "Incorporated", may_end_sentence=True),
    Abbreviation(r"Ltd\.", "Limited", may_end_sentence=True),
    Abbreviation(r"Dept\.", "Department", may_end_sentence=True),
    Abbreviation(r"etc\.", "et cetera", may_end_sentence=True, ignore_case=True),
    Abbreviation(r"e\.\s?g\.", "for example", ignore_case=True),
    Abbreviation(r"i\.\s?e\.", "that is", ignore_case=True),
    Abbreviation(r"vs\.?", "versus", ignore_case=True),
    Abbreviation(r"approx\.", "approximately", ignore_case=True),
)
