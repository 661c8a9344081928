"""The Lexicon: an organisation's pronunciation dictionaries, resolved per voice and applied to
text on its way to the engine.

Load it once per request with ``load_lexicon(session, org_id)`` and hand it to planning in
``TtsOptions(lexicon=...)``; planning asks ``lexicon.for_voice(voice)`` for each section, so a
script whose sections use different voices gets each voice's pronunciations.

Matching is whole-word and case-insensitive: "AFLR", "aflr", "AFLR's", "(AFLR)" and "AFLR,"
match; "AFLRX" and "XAFLR" never do. A possessive "'s" survives the replacement.

Which replacement a voice gets, when several could apply (spec 11.2):

1. specialization: the voice's alias, else its dialect (language code, e.g. ``en-us``), else
   its provider (engine, e.g. ``espeak-ng``), else ``default``;
2. for the same specialization, the dictionary of the voice's language code, then of its
   primary language (``en``), then ``global``;
3. custom dictionaries before built-in ones.

Custom entries apply to the text as written and again to what normalisation made of it (so an
entry for "percent" also catches "10%"); a replaced word is never touched again. Built-in
dictionaries belong to normalisation and apply only when the render normalises.

IPA entries reach espeak-ng as phonemes (``[[...]]`` in its mnemonics). Engines that cannot
take phonemes speak a respelling instead, and the plan carries a note saying so.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from castwright.dictionaries.builtin import BUILTIN_DICTIONARIES
from castwright.dictionaries.ipa import (
    IPA_VERSION,
    espeak_phonemes,
    ipa_possessive,
    ipa_respelling,
)
from castwright.dictionaries.repository import DictionaryRepository
from castwright.voices.catalogue import Voice

__all__ = [
    "EMPTY_LEXICON",
    "PHONEME_ENGINES",
    "Lexicon",
    "LexiconWord",
    "Pronunciation",
    "Spoken",
    "VoiceLexicon",
    "load_lexicon",
    "word_key",
]

# Engines that read espeak-ng phoneme mnemonics between [[ and ]].
PHONEME_ENGINES = frozenset({"espeak-ng"})
DEFAULT_SPECIALIZATION = "default"
GLOBAL = "global"

Normaliser = Callable[[str], str]


def word_key(word: str) -> str:
    """How a word is matched and stored: lower case, inner whitespace collapsed."""
    return " ".join(word.split()).lower()


@dataclass(frozen=True)
class Pronunciation:
    specialization: str
    replacement: str
    content_type: str = "basic"  # basic: a respelling, spoken as text | ipa: phonemes


@dataclass(frozen=True)
class LexiconWord:
    """One word of one dictionary, with its replacement per specialization."""

    lang: str  # "global" or a lower-case language tag
    word: str
    pronunciations: tuple[Pronunciation, ...]
    builtin: bool = False

    @property
    def key(self) -> str:
        return word_key(self.word)


@dataclass(frozen=True)
class _Choice:
    word: LexiconWord
    pronunciation: Pronunciation


@dataclass(frozen=True)
class Spoken:
    """Text as the engine will receive it, and what the dictionaries did to it."""

    text: str
    used: tuple[str, ...] = ()  # a description of each pronunciation applied (cache key)
    notes: tuple[str, ...] = ()  # fallbacks worth telling the caller about


def _pattern(keys: Iterable[str]) -> re.Pattern[str] | None:
    ordered = sorted(set(keys), key=len, reverse=True)  # "new york city" before "new york"
    if not ordered:
        return None
    body = "|".join(r"\s+".join(re.escape(part) for part in key.split(" ")) for key in ordered)
    possessive = "['\u2019][sS]"  # AFLR's, and the same with a typographic apostrophe
    return re.compile(rf"(?<!\w)(?:{body})(?P<possessive>{possessive})?(?!\w)", re.IGNORECASE)


def _ends_sentence(text: str, end: int, lang: str) -> bool:
    """Whether a full stop at ``end`` also closes the sentence: the text ends or a line
    breaks there, or a capital opens the next word (not in German, where nouns have one)."""
    rest = text[end:]
    stripped = rest.lstrip(" \t")
    if not stripped or stripped[0] in "\r\n":
        return True
    return rest[:1].isspace() and stripped[0].isupper() and lang.split("-")[0] != "de"


class VoiceLexicon:
    """The pronunciations one voice uses; apply them with ``speak``."""

    def __init__(self, voice: Voice, custom: dict[str, _Choice], builtin: dict[str, _Choice]):
        self.voice = voice
        self.takes_phonemes = voice.engine in PHONEME_ENGINES
        self._custom = custom
        self._builtin = builtin
        self._custom_pattern = _pattern(custom)
        self._builtin_pattern = _pattern(builtin)

    def __len__(self) -> int:
        return len(self._custom) + len(self._builtin)

    def speak(self, text: str, normaliser: Normaliser | None = None) -> Spoken:
        """``text`` with this voice's pronunciations applied, normalised in between when a
        ``normaliser`` is given (built-in dictionaries apply only then)."""
        used: list[str] = []
        notes: list[str] = []
        out: list[str] = []
        for piece, replaced in self._replace(text, self._custom_pattern, self._custom, used, notes):
            if replaced:
                out.append(piece)
                continue
            if normaliser is None:
                out.append(self.escape(piece))
                continue
            normalised = normaliser(piece)
            for inner, inner_replaced in self._replace(
                normalised, self._custom_pattern, self._custom, used, notes
            ):
                if inner_replaced:
                    out.append(inner)
                    continue
                for last, last_replaced in self._replace(
                    inner, self._builtin_pattern, self._builtin, used, notes
                ):
                    out.append(last if last_replaced else self.escape(last))
        return Spoken("".join(out), tuple(sorted(set(used))), tuple(dict.fromkeys(notes)))

    def escape(self, text: str) -> str:
        """Text this voice must read as written: for an engine that reads [[...]] as
        phonemes, a "[[" in it is broken up so it is not taken for phonemes."""
        return text.replace("[[", "[ [") if self.takes_phonemes else text

    def _replace(
        self,
        text: str,
        pattern: re.Pattern[str] | None,
        choices: dict[str, _Choice],
        used: list[str],
        notes: list[str],
    ) -> list[tuple[str, bool]]:
        """``text`` as pieces: (plain text, False) and (spoken replacement, True)."""
        if pattern is None or not text:
            return [(text, False)]
        pieces: list[tuple[str, bool]] = []
        cursor = 0
        for match in pattern.finditer(text):
            possessive = match.group("possessive") or ""
            matched = match.group(0)[: len(match.group(0)) - len(possessive)]
            choice = choices.get(word_key(matched))
            if choice is None:
                continue
            spoken = self._render(choice, possessive, used, notes)
            # "usw." ending a sentence: the abbreviation's full stop was the sentence's too.
            if (
                matched.endswith(".")
                and not spoken.endswith((".", "!", "?"))
                and _ends_sentence(text, match.end(), choice.word.lang)
            ):
                spoken += "."
            pieces.append((text[cursor : match.start()], False))
            pieces.append((spoken, True))
            cursor = match.end()
        pieces.append((text[cursor:], False))
        return [p for p in pieces if p[0]]

    def _render(self, choice: _Choice, possessive: str, used: list[str], notes: list[str]) -> str:
        word, pronunciation = choice.word, choice.pronunciation
        if pronunciation.content_type == "ipa":
            if self.takes_phonemes:
                ipa = pronunciation.replacement
                if possessive:
                    ipa += ipa_possessive(ipa)
                spoken = f"[[{espeak_phonemes(ipa, self.voice.language_code)}]]"
            else:
                respelled = ipa_respelling(pronunciation.replacement)
                spoken = respelled + possessive
                notes.append(
                    f"{word.word!r}: {self.voice.engine} cannot take phonemes, so the IPA "
                    f"pronunciation is spoken as the respelling {respelled!r}"
                )
        else:
            spoken = pronunciation.replacement + possessive
        used.append(
            "|".join(
                (
                    "builtin" if word.builtin else "custom",
                    word.lang,
                    word.key,
                    pronunciation.specialization,
                    pronunciation.content_type,
                    pronunciation.replacement,
                    spoken,
                    IPA_VERSION,
                )
            )
        )
        return spoken


def _voice_languages(voice: Voice) -> list[str]:
    code = voice.language_code.lower()
    return list(dict.fromkeys([code, code.split("-")[0], GLOBAL]))


def _specializations(voice: Voice) -> list[str]:
    code = voice.language_code.lower()
    return list(
        dict.fromkeys([voice.alias.lower(), code, voice.engine.lower(), DEFAULT_SPECIALIZATION])
    )


def _resolve(words: Iterable[LexiconWord], voice: Voice) -> dict[str, _Choice]:
    """For each word, the pronunciation ``voice`` uses (specialization first, then language)."""
    languages = _voice_languages(voice)
    specializations = _specializations(voice)
    best: dict[str, tuple[tuple[int, int], _Choice]] = {}
    for word in words:
        if word.lang not in languages:
            continue
        lang_rank = languages.index(word.lang)
        for pronunciation in word.pronunciations:
            if pronunciation.specialization not in specializations:
                continue
            rank = (specializations.index(pronunciation.specialization), lang_rank)
            current = best.get(word.key)
            if current is None or rank < current[0]:
                best[word.key] = (rank, _Choice(word, pronunciation))
    return {key: choice for key, (_, choice) in best.items()}


def _builtin_words() -> tuple[LexiconWord, ...]:
    return tuple(
        LexiconWord(
            dictionary.lang,
            word,
            (Pronunciation(DEFAULT_SPECIALIZATION, replacement),),
            builtin=True,
        )
        for dictionary in BUILTIN_DICTIONARIES
        for word, replacement in dictionary.words.items()
    )


class Lexicon:
    """An organisation's dictionaries plus the built-in ones. Immutable; thread-safe."""

    def __init__(self, words: Iterable[LexiconWord] = (), *, builtin: bool = True) -> None:
        self.words = tuple(words)
        self.builtin_words = _builtin_words() if builtin else ()
        self._voices: dict[tuple[str, str, str], VoiceLexicon] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.words)

    @property
    def digest(self) -> str:
        """Changes whenever any custom entry changes."""
        described = sorted(
            f"{w.lang}|{w.key}|{p.specialization}|{p.content_type}|{p.replacement}"
            for w in self.words
            for p in w.pronunciations
        )
        return hashlib.sha256("\n".join(described).encode()).hexdigest()

    def for_voice(self, voice: Voice) -> VoiceLexicon:
        cache_key = (voice.alias.lower(), voice.engine, voice.language_code.lower())
        with self._lock:
            found = self._voices.get(cache_key)
            if found is None:
                found = VoiceLexicon(
                    voice, _resolve(self.words, voice), _resolve(self.builtin_words, voice)
                )
                self._voices[cache_key] = found
            return found


EMPTY_LEXICON = Lexicon()


def load_lexicon(session: Session, org_id: str) -> Lexicon:
    """The organisation's dictionaries (all languages and specializations), in one query.

    Load once per request or job and pass it in ``TtsOptions(lexicon=...)``.
    """
    grouped: dict[tuple[str, str], list[Pronunciation]] = {}
    spelled: dict[tuple[str, str], str] = {}
    for row in DictionaryRepository(session).all_for_org(org_id):
        key = (row.lang, row.word_key)
        spelled.setdefault(key, row.word)
        grouped.setdefault(key, []).append(
            Pronunciation(row.specialization, row.replacement, row.content_type)
        )
    return Lexicon(
        LexiconWord(lang, spelled[(lang, key)], tuple(pronunciations))
        for (lang, key), pronunciations in grouped.items()
    )
