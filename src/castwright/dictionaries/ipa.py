# ruff: noqa: RUF001, RUF002  (IPA symbols are the point of this module)
"""IPA pronunciations: to espeak-ng's phoneme mnemonics, and to a respelling for other engines.

espeak-ng reads phonemes written between ``[[`` and ``]]`` when synthesis is asked to
(``espeakPHONEMES``), but in its own ASCII mnemonics ("h@l'oU"), not in IPA ("həlˈoʊ"). The
mnemonics differ between its languages (American English writes the flap ɾ as ``t#``, Spanish
its tap as ``r`` and its trill as ``R2``), so the table below is a base plus per-language
overrides; both were read off espeak-ng itself by phonemizing the same words in IPA and in
mnemonics and pairing the symbols.

Engines that take no phonemes get a respelling instead: IPA turned into letters an English
reader would sound out ("ˈæflɚ" -> "afler"). It is a fallback, and the plan says so.
"""

from __future__ import annotations

import re
import unicodedata

from castwright.errors import Invalid

__all__ = [
    "IPA_VERSION",
    "espeak_phonemes",
    "espeak_to_ipa_symbols",
    "ipa_possessive",
    "ipa_respelling",
    "unknown_ipa_symbols",
]

# Bump when a mapping changes: it is part of the render cache key of every plan that used one.
IPA_VERSION = "1"

# Characters that carry no sound of their own: delimiters, syllable breaks, ties, and the
# diacritics espeak-ng has no use for (aspiration, syllabicity, unreleased, dental...).
_IGNORED = frozenset("/[].‿͜͡ʰ̩̯̪̥̬̚ˑ|‖ -")
_STRESS = {"ˈ": "'", "'": "'", "ˌ": ",", ",": ","}
_LENGTH = "ː"
_NASAL = "\u0303"  # combining tilde

# IPA -> espeak-ng mnemonic, shared by every language (espeak-ng's base phoneme table).
_BASE: dict[str, str] = {
    # vowels
    "a": "a", "ɑ": "A", "ɒ": "0", "æ": "a", "ɐ": "a#", "e": "e", "ɛ": "E", "ə": "@",
    "ɚ": "3", "ɜ": "3", "ɝ": "3:", "i": "i", "ɪ": "I", "o": "o", "ɔ": "O", "œ": "W",
    "ø": "Y", "u": "u", "ʊ": "U", "ʌ": "V", "y": "y", "ʏ": "y", "ɯ": "u-", "ɤ": "o-",
    "ɘ": "@", "ɵ": "8", "ɨ": "i#", "ʉ": "u#", "ɶ": "W",
    # diphthongs and long vowels
    "aɪ": "aI", "aʊ": "aU", "eɪ": "eI", "oʊ": "oU", "ɔɪ": "OI", "əʊ": "oU", "ɪə": "i@",
    "eə": "e@", "ʊə": "U@", "iː": "i:", "uː": "u:", "ɑː": "A:", "ɔː": "O:", "ɜː": "3:",
    "eː": "e:", "oː": "o:", "aː": "a:", "yː": "y:", "øː": "Y:", "ɛː": "E:",
    # consonants
    "p": "p", "b": "b", "t": "t", "d": "d", "k": "k", "g": "g", "ɡ": "g", "q": "q",
    "m": "m", "n": "n", "ŋ": "N", "ɲ": "n^", "ɳ": "n", "ɱ": "m",
    "r": "r", "ɾ": "*", "ɹ": "r", "ʁ": "R", "ʀ": "R", "ɽ": "r", "ɻ": "r",
    "f": "f", "v": "v", "θ": "T", "ð": "D", "s": "s", "z": "z", "ʃ": "S", "ʒ": "Z",
    "ç": "C", "x": "x", "ɣ": "Q", "χ": "X", "h": "h", "ɦ": "h", "β": "B", "ɸ": "F",
    "l": "l", "ɫ": "l", "ʎ": "l^", "ʟ": "l", "j": "j", "w": "w", "ɥ": "H", "ʍ": "w",
    "tʃ": "tS", "dʒ": "dZ", "ts": "ts", "dz": "dz", "pf": "pF", "ʧ": "tS", "ʤ": "dZ",
    # The glottal stop's mnemonic is "?", which the sentence splitter could read as the end
    # of a question inside the brackets; it is left out (espeak-ng adds its own where due).
    "ʔ": "",
}  # fmt: skip

# Per-language differences, keyed by espeak-ng's language (the voice tag's first parts).
_LANGUAGES: dict[str, dict[str, str]] = {
    "en-us": {
        "ɑ": "A:", "ɑː": "A:", "ɔ": "O:", "ɔː": "O:", "ɾ": "t#", "ɐ": "a#", "o": "oU",
        "e": "eI", "ɪɹ": "i@3", "ɛɹ": "e@", "ʊɹ": "U@", "ɑːɹ": "A@", "ɑɹ": "A@",
        "aɪɚ": "aI3", "ɚ": "3", "ɝ": "3:", "ɜ": "3:",
    },
    "en": {
        "ɑ": "A:", "ɔ": "O:", "o": "oU", "e": "eI", "ɪə": "i@3", "iə": "i@3", "aɪə": "aI@",
        "ɐ": "a#",
        "ɾ": "t#",
    },
    "de": {
        "øː": "Y:", "ø": "Y", "œ": "W", "ɔʏ": "OY", "ɔø": "OY", "ɾ": "r", "ʁ": "r",
        "ɐ": "6", "ɛː": "E:",
    },
    "fr": {"ø": "Y", "œ": "W", "ʁ": "r", "ə": "@", "ɥ": "H"},
    "es": {"r": "R2", "ɾ": "r", "ʎ": "l^"},
    "it": {"ɾ": "*"},
    "nl": {"œy": "Wy"},
    "pt": {"ɐ": "&", "ɨ": "y", "ɾ": "*", "ʁ": "R"},
}  # fmt: skip

_VOICELESS = frozenset("ptkfθ")
_SIBILANTS = ("s", "z", "ʃ", "ʒ", "tʃ", "dʒ")

# A rough English respelling for engines that cannot take phonemes.
_RESPELL: dict[str, str] = {
    "aɪ": "eye", "aʊ": "ow", "eɪ": "ay", "oʊ": "oh", "əʊ": "oh", "ɔɪ": "oy", "ɪə": "eer",
    "eə": "air", "ʊə": "oor", "iː": "ee", "uː": "oo", "ɑː": "ah", "ɔː": "aw", "ɜː": "er",
    "tʃ": "ch", "dʒ": "j", "ʧ": "ch", "ʤ": "j", "ts": "ts", "dz": "dz", "pf": "pf",
    "a": "a", "ɑ": "ah", "ɒ": "o", "æ": "a", "ɐ": "uh", "e": "e", "ɛ": "e", "ə": "uh",
    "ɚ": "er", "ɜ": "er", "ɝ": "er", "i": "ee", "ɪ": "i", "o": "oh", "ɔ": "aw", "œ": "u",
    "ø": "u", "u": "oo", "ʊ": "u", "ʌ": "u", "y": "u", "ʏ": "u", "ɯ": "oo", "ɤ": "uh",
    "ɘ": "uh", "ɵ": "u", "ɨ": "i", "ʉ": "oo", "ɶ": "u",
    "p": "p", "b": "b", "t": "t", "d": "d", "k": "k", "g": "g", "ɡ": "g", "q": "k",
    "m": "m", "n": "n", "ŋ": "ng", "ɲ": "ny", "ɳ": "n", "ɱ": "m", "r": "r", "ɾ": "r",
    "ɹ": "r", "ʁ": "r", "ʀ": "r", "ɽ": "r", "ɻ": "r", "f": "f", "v": "v", "θ": "th",
    "ð": "th", "s": "s", "z": "z", "ʃ": "sh", "ʒ": "zh", "ç": "h", "x": "kh", "ɣ": "g",
    "χ": "kh", "h": "h", "ɦ": "h", "β": "v", "ɸ": "f", "l": "l", "ɫ": "l", "ʎ": "ly",
    "ʟ": "l", "j": "y", "w": "w", "ɥ": "w", "ʍ": "wh", "ʔ": "",
}  # fmt: skip
_LONGEST = max(len(k) for k in [*_BASE, *_RESPELL, *(k for t in _LANGUAGES.values() for k in t)])


def _language_table(language: str) -> dict[str, str]:
    """The base table with the overrides of ``language`` ("en-US", "en-gb-x-rp", "de")."""
    tag = language.lower()
    table = dict(_BASE)
    primary = tag.split("-")[0]
    if primary in _LANGUAGES:
        table.update(_LANGUAGES[primary])
    if primary == "en" and tag.startswith("en-us"):
        table.update(_LANGUAGES["en-us"])
    return table


def _tokens(ipa: str, table: dict[str, str]) -> list[str]:
    """``ipa`` split into the longest symbols ``table`` knows, plus stress and length marks.

    Raises Invalid naming the first symbol no table knows.
    """
    text = unicodedata.normalize("NFD", ipa.strip())
    found: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char in _IGNORED or char.isspace():
            index += 1
            continue
        if char in _STRESS or char in (_LENGTH, ":", _NASAL):
            found.append(char)
            index += 1
            continue
        for size in range(min(_LONGEST, len(text) - index), 0, -1):
            piece = unicodedata.normalize("NFC", text[index : index + size])
            if piece in table:
                found.append(piece)
                index += size
                break
        else:
            raise Invalid(f"unknown IPA symbol {char!r} (U+{ord(char):04X})", field="replacement")
    return found


def unknown_ipa_symbols(ipa: str) -> list[str]:
    """The problems with ``ipa`` as a pronunciation (empty when every symbol is known)."""
    try:
        symbols = _tokens(ipa, {**_BASE, **_RESPELL, **_all_overrides()})
    except Invalid as error:
        return [error.message.removeprefix("replacement: ")]
    if not any(s not in _STRESS and s not in (_LENGTH, ":", _NASAL) for s in symbols):
        return ["has no sounds, only marks"]
    return []


def _all_overrides() -> dict[str, str]:
    merged: dict[str, str] = {}
    for table in _LANGUAGES.values():
        merged.update(table)
    return merged


def espeak_phonemes(ipa: str, language: str) -> str:
    """``ipa`` as espeak-ng mnemonics for a voice of ``language``, without the brackets."""
    table = _language_table(language)
    out: list[str] = []
    stress = ""  # IPA marks the syllable; espeak-ng expects the mark on its vowel
    for symbol in _tokens(ipa, {**_RESPELL, **table}):
        if symbol in _STRESS:
            stress = _STRESS[symbol]
        elif symbol in (_LENGTH, ":"):
            if out and not out[-1].endswith(":"):
                out[-1] += ":"
        elif symbol == _NASAL:  # a nasal vowel: espeak-ng writes "~" after the vowel
            if out:
                out[-1] += "~"
        else:
            # Known to the respelling only: an ASCII letter that is its own mnemonic.
            mnemonic = table[symbol] if symbol in table else _RESPELL[symbol]
            if stress and _is_vowel(symbol):
                mnemonic, stress = stress + mnemonic, ""
            out.append(mnemonic)
    return "".join(out) + stress


def ipa_respelling(ipa: str) -> str:
    """Letters that sound roughly like ``ipa`` for an engine reading English spelling, with a
    hyphen at each syllable break or stress mark ("ˌeɪ.ɛf.ˈlɔː" -> "ay-ef-law")."""
    syllables = re.split(r"[.ˈˌ'\s]+", ipa.replace(",", "ˌ"))
    spelled: list[str] = []
    for syllable in syllables:
        if not syllable.strip("/[]"):
            continue
        letters = [
            _RESPELL.get(symbol, "")
            for symbol in _tokens(syllable, {**_RESPELL, **_BASE})
            if symbol not in _STRESS and symbol not in (_LENGTH, ":", _NASAL)
        ]
        if "".join(letters):
            spelled.append("".join(letters))
    return "-".join(spelled) or ipa


def ipa_possessive(ipa: str) -> str:
    """The English possessive ending for a word pronounced ``ipa``: s, z or ɪz."""
    sounds = [s for s in _tokens(ipa, {**_RESPELL, **_BASE}) if s in _RESPELL]
    last = sounds[-1] if sounds else ""
    if last in _SIBILANTS:
        return "ɪz"
    return "s" if last in _VOICELESS else "z"


_VOWELS = frozenset("aeiouyɑɐɒæɔəɚɛɜɝɪʊʌʏøœɨʉɯɤɘɵɶ")


def _is_vowel(symbol: str) -> bool:
    return any(char in _VOWELS for char in symbol)


def _reverse_table() -> dict[str, str]:
    reverse: dict[str, str] = {}
    for table in (_BASE, *_LANGUAGES.values()):
        for ipa, mnemonic in table.items():
            if mnemonic:
                reverse.setdefault(mnemonic, ipa)
    return reverse


_FROM_ESPEAK = _reverse_table()
_LONGEST_MNEMONIC = max(len(m) for m in _FROM_ESPEAK)


def espeak_to_ipa_symbols(mnemonics: str) -> list[str]:
    """espeak-ng mnemonics ("h@l'oU") as IPA symbols with stress on the vowel, as
    espeak_TextToPhonemes writes them (["h", "ə", "l", "ˈoʊ"]). Unknown characters are skipped."""
    symbols: list[str] = []
    stress = ""
    index = 0
    while index < len(mnemonics):
        char = mnemonics[index]
        if char in "',":
            stress = "ˈ" if char == "'" else "ˌ"
            index += 1
            continue
        if char == ":" and symbols:
            symbols[-1] += "ː"
            index += 1
            continue
        for size in range(min(_LONGEST_MNEMONIC, len(mnemonics) - index), 0, -1):
            ipa = _FROM_ESPEAK.get(mnemonics[index : index + size])
            if ipa is not None:
                vowel = _is_vowel(ipa)
                symbols.append((stress + ipa) if vowel else ipa)
                if vowel:
                    stress = ""
                index += size
                break
        else:
            index += 1
    return symbols
