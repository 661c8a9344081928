"""Built-in dictionaries: abbreviations and units engines misread, per language.

They are part of text normalisation (AudioStack's Voice Intelligence): they apply when a
render normalises, after the normaliser's own rules, and an organisation's custom entry for
the same word always wins. Only words that mean one thing wherever they stand are listed:
"GB" (gigabytes or Great Britain) and "eta" (a Greek letter too) are not.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BUILTIN_DICTIONARIES", "BuiltinDictionary"]


@dataclass(frozen=True)
class BuiltinDictionary:
    lang: str
    category: str
    description: str
    words: dict[str, str]


BUILTIN_DICTIONARIES: tuple[BuiltinDictionary, ...] = (
    BuiltinDictionary(
        "en",
        "abbreviations",
        "Common English abbreviations read in full.",
        {
            "asap": "as soon as possible",
            "fyi": "for your information",
            "aka": "also known as",
            "diy": "do it yourself",
            "btw": "by the way",
            "imo": "in my opinion",
            "tbc": "to be confirmed",
            "tba": "to be announced",
            "rsvp": "R S V P",
            "faq": "F A Q",
            "faqs": "F A Qs",
            "govt": "government",
            "intl": "international",
            "mgmt": "management",
            "misc": "miscellaneous",
            "qty": "quantity",
            "pls": "please",
            "thx": "thanks",
        },
    ),
    BuiltinDictionary(
        "en",
        "units",
        "Units of measure written as abbreviations, read as words.",
        {
            "kWh": "kilowatt hour",
            "mph": "miles per hour",
            "kph": "kilometres per hour",
            "km/h": "kilometres per hour",
            "rpm": "revolutions per minute",
            "mAh": "milliamp hour",
            "GHz": "gigahertz",
            "MHz": "megahertz",
            "kHz": "kilohertz",
            "Mbps": "megabits per second",
            "Gbps": "gigabits per second",
            "psi": "pounds per square inch",
        },
    ),
    BuiltinDictionary(
        "de",
        "abbreviations",
        "Häufige deutsche Abkürzungen, ausgeschrieben.",
        {
            "z.B.": "zum Beispiel",
            "usw.": "und so weiter",
            "bzw.": "beziehungsweise",
            "d.h.": "das heißt",
            "ca.": "circa",
            "evtl.": "eventuell",
            "ggf.": "gegebenenfalls",
            "inkl.": "inklusive",
        },
    ),
    BuiltinDictionary(
        "fr",
        "abbreviations",
        "Abréviations françaises courantes, lues en entier.",
        {
            "svp": "s'il vous plaît",
            "Mme": "Madame",
            "Mlle": "Mademoiselle",
            "etc.": "et cetera",
            "cf.": "confer",
        },
    ),
    BuiltinDictionary(
        "es",
        "abbreviations",
        "Abreviaturas españolas comunes, leídas completas.",
        {
            "Sra.": "señora",
            "Srta.": "señorita",
            "EE.UU.": "Estados Unidos",
            "etc.": "etcétera",
            "aprox.": "aproximadamente",
        },
    ),
)
