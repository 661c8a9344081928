"""Dictionary rules: what a word, a language, a specialization and a replacement may be."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from castwright.db.base import utcnow
from castwright.dictionaries.builtin import BUILTIN_DICTIONARIES
from castwright.dictionaries.ipa import unknown_ipa_symbols
from castwright.dictionaries.lexicon import DEFAULT_SPECIALIZATION, GLOBAL, word_key
from castwright.dictionaries.repository import DictionaryRepository
from castwright.errors import Invalid, NotFound, QuotaExceeded
from castwright.models.pronunciation_entry import PronunciationEntry
from castwright.voices.catalogue import VoiceCatalogue

__all__ = [
    "CONTENT_TYPES",
    "MAX_ENTRIES_PER_ORG",
    "DictionaryService",
    "DictionarySummary",
    "WordEntry",
    "normalise_lang",
]

CONTENT_TYPES = ("basic", "ipa")
MAX_WORD_CHARS = 100
MAX_REPLACEMENT_CHARS = 500
MAX_ENTRIES_PER_ORG = 20_000
_LANG = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$")
_SPECIALIZATION = re.compile(r"^[\w.+-]{1,100}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class WordEntry:
    """A word of one dictionary with every replacement it has."""

    lang: str
    word: str
    replacements: list[dict[str, str]]

    @property
    def inputs(self) -> list[str]:
        """The written forms that match: the word and its possessive."""
        return [self.word, f"{self.word}'s"] if self.word[-1:].isalnum() else [self.word]


@dataclass(frozen=True)
class DictionarySummary:
    lang: str
    words: list[str]
    category: str
    description: str = ""


def normalise_lang(value: str | None, field: str = "lang") -> str:
    """``global`` or a lower-case language tag ("en", "en-gb", "pt-br")."""
    lang = (value or GLOBAL).strip().lower().replace("_", "-")
    if lang != GLOBAL and not _LANG.match(lang):
        raise Invalid("must be 'global' or a language code such as 'en' or 'en-GB'", field=field)
    return lang


def _entries(rows: list[PronunciationEntry]) -> list[WordEntry]:
    grouped: dict[tuple[str, str], list[PronunciationEntry]] = {}
    for row in rows:
        grouped.setdefault((row.lang, row.word_key), []).append(row)
    return [
        WordEntry(
            lang=lang,
            word=group[0].word,
            replacements=[
                {
                    "specialization": r.specialization,
                    "replacement": r.replacement,
                    "contentType": r.content_type,
                }
                for r in group
            ],
        )
        for (lang, _), group in grouped.items()
    ]


class DictionaryService:
    def __init__(self, session: Session, org_id: str) -> None:
        self.repo = DictionaryRepository(session)
        self.org_id = org_id

    def put_word(
        self,
        word: str,
        replacement: str,
        lang: str | None = None,
        specialization: str | None = None,
        content_type: str | None = None,
        catalogue: VoiceCatalogue | None = None,
    ) -> tuple[WordEntry, list[str]]:
        """Add or replace one specialization of a word; the word entry and any warnings."""
        spelled = self._word(word)
        language = normalise_lang(lang)
        special = self._specialization(specialization)
        kind = (content_type or "basic").strip().lower()
        if kind not in CONTENT_TYPES:
            raise Invalid(f"must be one of {', '.join(CONTENT_TYPES)}", field="contentType")
        text = self._replacement(replacement, kind)
        key = word_key(spelled)
        rows = list(self.repo.word(self.org_id, language, key))
        current = next((r for r in rows if r.specialization == special), None)
        if current is None:
            if self.repo.count(self.org_id) >= MAX_ENTRIES_PER_ORG:
                raise QuotaExceeded(
                    f"an organisation may hold at most {MAX_ENTRIES_PER_ORG} dictionary entries"
                )
            self.repo.add(
                PronunciationEntry(
                    org_id=self.org_id,
                    lang=language,
                    word=rows[0].word if rows else spelled,
                    word_key=key,
                    specialization=special,
                    replacement=text,
                    content_type=kind,
                )
            )
        else:
            current.replacement, current.content_type = text, kind
            current.updated_at = utcnow()
            self.repo.session.flush()
        (entry,) = _entries(list(self.repo.word(self.org_id, language, key)))
        return entry, self._warnings(special, language, catalogue)

    def delete_word(self, lang: str | None, word: str, specialization: str | None) -> None:
        if not lang:
            raise Invalid("is required", field="lang")
        language = normalise_lang(lang)
        special = self._specialization(specialization) if specialization else None
        removed = self.repo.delete(self.org_id, language, word_key(self._word(word)), special)
        if not removed:
            which = f" with specialization {special!r}" if special else ""
            raise NotFound(
                f"No word {word!r}{which} in the {language!r} dictionary",
                errors=[f"word: {word!r}{which} is not in the {language!r} dictionary"],
            )

    def words(self, lang: str | None) -> list[WordEntry]:
        if not lang:
            raise Invalid("is required", field="lang")
        return _entries(list(self.repo.in_language(self.org_id, normalise_lang(lang))))

    def custom_dictionaries(self) -> list[DictionarySummary]:
        by_lang: dict[str, list[WordEntry]] = {}
        for entry in _entries(list(self.repo.all_for_org(self.org_id))):
            by_lang.setdefault(entry.lang, []).append(entry)
        return [
            DictionarySummary(lang, [e.word for e in entries], "custom")
            for lang, entries in by_lang.items()
        ]

    @staticmethod
    def builtin_dictionaries() -> list[DictionarySummary]:
        return [
            DictionarySummary(d.lang, list(d.words), d.category, d.description)
            for d in BUILTIN_DICTIONARIES
        ]

    @staticmethod
    def _word(word: str | None) -> str:
        spelled = " ".join((word or "").split())
        if not spelled:
            raise Invalid("is required", field="word")
        if len(spelled) > MAX_WORD_CHARS:
            raise Invalid(f"may be at most {MAX_WORD_CHARS} characters", field="word")
        if _CONTROL.search(spelled) or "[[" in spelled or "]]" in spelled:
            raise Invalid("may not contain control characters or '[[' ']]'", field="word")
        return spelled

    @staticmethod
    def _specialization(value: str | None) -> str:
        special = (value or DEFAULT_SPECIALIZATION).strip().lower()
        if not _SPECIALIZATION.match(special):
            raise Invalid(
                "must be 'default', a voice alias, a language code or a provider name",
                field="specialization",
            )
        return special

    @staticmethod
    def _replacement(value: str | None, kind: str) -> str:
        text = " ".join((value or "").split())
        if not text:
            raise Invalid("is required", field="replacement")
        if len(text) > MAX_REPLACEMENT_CHARS:
            raise Invalid(f"may be at most {MAX_REPLACEMENT_CHARS} characters", field="replacement")
        if _CONTROL.search(text) or "[[" in text or "]]" in text:
            raise Invalid("may not contain control characters or '[[' ']]'", field="replacement")
        if kind == "ipa":
            problems = unknown_ipa_symbols(text)
            if problems:
                raise Invalid(
                    f"is not an IPA pronunciation: {problems[0]}",
                    field="replacement",
                )
        return text

    @staticmethod
    def _warnings(special: str, lang: str, catalogue: VoiceCatalogue | None) -> list[str]:
        """A specialization that names nothing in the catalogue would never apply: say so."""
        if catalogue is None or special == DEFAULT_SPECIALIZATION:
            return []
        voices = list(catalogue)
        known = {v.alias.lower() for v in voices}
        known |= {v.language_code.lower() for v in voices}
        known |= {v.engine.lower() for v in voices}
        if special in known:
            return []
        return [
            f"specialization: {special!r} is not a voice alias, language code or provider "
            "of this server, so it will not apply until one exists"
        ]
