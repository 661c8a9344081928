# ruff: noqa: RUF001  (IPA symbols are the point of this module)
"""What a piece of text looks like to a length model: counts of its phonemes and pauses.

The phonemes come from espeak-ng's own front end (espeak_TextToPhonemes), which reads the text
as the engine would, numbers and abbreviations included, without synthesising anything. Other
engines' voices use the espeak-ng phonemes of their language: the sounds are much the same,
and each voice's model learns its own timing for them.

Features of one engine call (a sentence-sized piece):

* vowels by stress (primary, secondary, none), and separately in each clause's last word,
  which speakers lengthen; consonants, likewise; long vowels and diphthongs;
* words, and clause endings by kind (full stop, question, exclamation, comma, semicolon or
  colon, none), the last clause apart from the others: most engines pause after every clause
  but the last;
* a constant, for the silence an engine puts around every call.

Flite's voices are described by Flite's own front end instead (flite_front.py): a clustergen
voice by the sum of its own duration model's seconds, which is its length; a diphone voice by
``segment_features`` of its segments (its reading of numbers and symbols, its phrase breaks,
its duration model's seconds per phone). Festival's voices are described by Festival's own
reading (festival_front.py): ``segment_features`` of its segments, its utterances, and the
seconds Flite's voice of the same speaker takes over the words it reads.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence

from castwright.dictionaries.ipa import espeak_to_ipa_symbols
from castwright.speech.engines.flite_library import Segment

__all__ = ["FEATURE_VERSION", "Phonemizer", "segment_features", "text_features"]

# Bump when the features change: models fitted on the old ones are then refitted.
FEATURE_VERSION = "3"

# (phonemes, source) per clause, as EspeakLibrary.text_to_phonemes returns them.
Phonemizer = Callable[[str], list[tuple[str, str]]]

# Scaled phoneme counts: the ridge penalty weighs 1/0.3² = 11 times more on their weights.
_IDENTITY_WEIGHT = 0.3
_VOWEL_LETTERS = frozenset("aeiouyɑɐɒæɔəɘɚɛɜɝɞɤɨɪʉʊʌʏøœɶɵɯ")
_LANGUAGE_SWITCH = re.compile(r"\([a-z-]+\)")
_PHONEME_SPAN = re.compile(r"\[\[(.*?)\]\]")
_CLOSERS = "\"')]}»”’"
_ENDINGS = {
    ".": "stop",
    "…": "stop",
    "!": "exclaim",
    "?": "question",
    ",": "comma",
    ";": "semicolon",
    ":": "semicolon",
}


# Consonants by manner: an affricate or a fricative lasts longer than a tap or a glide.
_MANNERS = (
    ("affricate", ("ts", "tʃ", "dʒ", "dz", "pf", "tɕ", "dʑ", "ʧ", "ʤ")),
    ("stop", tuple("ptkbdgɡqcɟʔ")),
    ("fricative", tuple("fvszʃʒθðxçhɣχβɸʁɦʂʐɕʑ")),
    ("nasal", tuple("mnŋɲɳɱ")),
    ("liquid", tuple("lrɾɹʀɫʎɽɻ")),
    ("glide", tuple("jwɥʍ")),
)


def _manner(symbol: str) -> str:
    for manner, symbols in _MANNERS:
        if any(symbol.startswith(s) for s in symbols):
            return manner
    return "other"


def _is_vowel(symbol: str) -> bool:
    return any(char in _VOWEL_LETTERS for char in symbol)


def _ending(source: str, last: bool) -> str:
    # The library reads one character past each clause but the last.
    body = (source if last else source[:-1]).rstrip().rstrip(_CLOSERS).rstrip()
    return _ENDINGS.get(body[-1:], "none") if body else "none"


def _count_word(
    symbols: list[str], final: bool, counts: dict[str, float], identity: float = 0.0
) -> None:
    prefix = "final_" if final else ""
    counts["words"] += 1
    for symbol in symbols:
        core = symbol.replace("ˈ", "").replace("ˌ", "")
        if not core:
            continue
        if identity:
            counts[f"phone_{core}"] += identity
        if _is_vowel(core):
            stress = "primary" if "ˈ" in symbol else "secondary" if "ˌ" in symbol else "weak"
            counts[f"{prefix}vowel_{stress}"] += 1
            if "ː" in core:
                counts["long"] += 1
            elif sum(char in _VOWEL_LETTERS for char in core) > 1:
                counts["diphthong"] += 1
        else:
            counts[f"{prefix}consonant"] += 1
            counts[f"consonant_{_manner(core)}"] += 1


def _count_last_syllable(words: list[str], last_clause: bool, counts: dict[str, float]) -> None:
    """The clause's last vowel and the consonants after it: the syllable speakers stretch."""
    symbols = [s.replace("ˈ", "").replace("ˌ", "") for w in words for s in w.split("|") if s]
    marked = [s for w in words for s in w.split("|") if s]
    vowels = [i for i, s in enumerate(symbols) if s and _is_vowel(s)]
    if not vowels:
        return
    where = "final_" if last_clause else ""
    index = vowels[-1]
    stressed = "ˈ" in marked[index] or "ˌ" in marked[index]
    counts[f"{where}last_vowel_{'stressed' if stressed else 'weak'}"] += 1
    counts[f"{where}coda"] += sum(1 for s in symbols[index + 1 :] if s)


def text_features(
    text: str, phonemize: Phonemizer, phone_identity: bool = False
) -> dict[str, float]:
    """Feature counts for ``text`` as one engine call receives it.

    ``phone_identity`` adds a count per phoneme, scaled down so that the fit leans on the
    classes above and uses a phoneme's own count only where its length really differs
    (espeak-ng, whose phonemes these are; for other engines they only add noise).
    """
    identity = _IDENTITY_WEIGHT if phone_identity else 0.0
    counts: dict[str, float] = defaultdict(float, {"constant": 1.0})
    # Pronunciations already written as espeak-ng phonemes ([[...]]) are counted from
    # their mnemonics; the rest of the text goes through the front end.
    for span in _PHONEME_SPAN.findall(text):
        _count_word(espeak_to_ipa_symbols(span), False, counts, identity)
    plain = _PHONEME_SPAN.sub(" ", text)
    clauses = [c for c in phonemize(plain) if c[0].strip() or c[1].strip()] if plain.strip() else []
    for index, (phonemes, source) in enumerate(clauses):
        last = index == len(clauses) - 1
        counts[("final_" if last else "") + "end_" + _ending(source, last)] += 1
        words = _LANGUAGE_SWITCH.sub("", phonemes).split()
        for position, word in enumerate(words):
            symbols = [s for s in word.split("|") if s]
            _count_word(symbols, position == len(words) - 1, counts, identity)
        _count_last_syllable(words, last, counts)
    # Engines speak a few words at another pace than a long sentence: let the model say so.
    spoken_words = counts["words"]
    if 0 < spoken_words <= 3:
        counts[f"only_{int(spoken_words)}_words"] = 1.0
    return dict(counts)


# Flite's phone set (cmulex): its vowels.
_FLITE_VOWELS = frozenset(
    [
        "aa",
        "ae",
        "ah",
        "ao",
        "aw",
        "ax",
        "axr",
        "ay",
        "eh",
        "er",
        "ey",
        "ih",
        "ix",
        "iy",
        "ow",
        "oy",
        "uh",
        "uw",
    ]
)


def segment_features(
    segments: Sequence[Segment], phone_identity: bool = True, prefix: str = ""
) -> dict[str, float]:
    """Features of Flite's segments for a text (see flite_front.py): the duration model's
    seconds by class, the pauses its phrasing puts inside the text, and phone counts
    by stress and by position (a phrase's or the utterance's last syllable)."""
    identity = _IDENTITY_WEIGHT if phone_identity else 0.0
    counts: dict[str, float] = defaultdict(float)
    last = len(segments) - 1
    for index, segment in enumerate(segments):
        if segment.name == "pau":
            if 0 < index < last:  # every utterance starts and ends with one
                counts["pause"] += 1
                counts["pause_seconds"] += segment.seconds
            continue
        kind = "vowel" if segment.name in _FLITE_VOWELS else "consonant"
        counts[f"{kind}_seconds"] += segment.seconds
        if identity:
            counts[f"phone_{segment.name}"] += identity
        counts[f"{kind}_{'stressed' if segment.stressed else 'weak'}"] += 1
        if segment.boundary >= 3:
            counts[f"phrase_final_{kind}"] += 1
        if segment.boundary >= 4:
            counts[f"final_{kind}"] += 1
    if 0 < len(segments) <= 12:
        counts["short"] = 1.0
    return {prefix + key: value for key, value in counts.items()}
