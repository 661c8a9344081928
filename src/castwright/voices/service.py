"""Voice search: AudioStack's filters, sort and paging over the catalogue."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from castwright.errors import Invalid
from castwright.voices.catalogue import Voice, VoiceCatalogue
from castwright.voices.quality import tier_rank

__all__ = ["FILTERABLE", "VoicePage", "VoiceQuery", "parameter_values", "search_voices"]

# Single-valued fields: case-insensitive exact match.
_SCALAR: dict[str, Callable[[Voice], str]] = {
    "languageCode": lambda v: v.language_code,
    "language": lambda v: v.language,
    "gender": lambda v: v.gender,
    "accent": lambda v: v.accent,
    "ageBracket": lambda v: v.age_bracket,
    "provider": lambda v: v.provider,
    "timePerformance": lambda v: v.time_performance,
    "type": lambda v: v.type,
    "quality": lambda v: v.tier,  # neural | natural | standard | robotic (voices/quality.py)
}
# List-valued fields: the voice must carry every value asked for.
_LIST: dict[str, Callable[[Voice], tuple[str, ...]]] = {
    "tags": lambda v: v.tags,
    "industryExamples": lambda v: v.industry_examples,
    "purpose": lambda v: v.purpose,
    "supportedLanguages": lambda v: v.supported_languages,
}
_SORTABLE: dict[str, Callable[[Voice], Any]] = {
    **_SCALAR,
    "alias": lambda v: v.alias.lower(),
    "name": lambda v: v.alias.lower(),
    "displayName": lambda v: v.display_name.lower(),
    "charsPerSecond": lambda v: v.chars_per_second,
    "quality": lambda v: tier_rank(v.tier),  # sort=-quality: the most natural voices first
}
FILTERABLE = (*_SCALAR, *_LIST)


@dataclass(frozen=True)
class VoiceQuery:
    scalars: dict[str, str]
    lists: dict[str, list[str]]
    is_multilingual: bool | None = None
    sort: str = "alias"
    page: int = 1
    page_limit: int = 1000
    offset: int | None = None  # JS SDK's limit/offset paging, when given


@dataclass(frozen=True)
class VoicePage:
    voices: list[Voice]
    total: int
    page: int
    page_limit: int


def _matches(voice: Voice, query: VoiceQuery) -> bool:
    for name, wanted in query.scalars.items():
        if _SCALAR[name](voice).lower() != wanted.lower():
            return False
    for name, values in query.lists.items():
        have = {value.lower() for value in _LIST[name](voice)}
        if not all(value.lower() in have for value in values):
            return False
    multilingual = len(voice.supported_languages) > 1
    return query.is_multilingual is None or multilingual == query.is_multilingual


def search_voices(catalogue: VoiceCatalogue, query: VoiceQuery) -> VoicePage:
    descending = query.sort.startswith("-")
    sort_field = query.sort.lstrip("-+") or "alias"
    if sort_field not in _SORTABLE:
        raise Invalid(
            f"cannot sort by {sort_field!r}; use one of {', '.join(_SORTABLE)}", field="sort"
        )
    if query.page < 1:
        raise Invalid("must be 1 or more", field="page")
    if not 1 <= query.page_limit <= 10000:
        raise Invalid("must be between 1 and 10000", field="pageLimit")
    if query.offset is not None and query.offset < 0:
        raise Invalid("must be 0 or more", field="offset")
    found = [v for v in catalogue if _matches(v, query)]
    found.sort(key=_SORTABLE[sort_field], reverse=descending)
    start = query.offset if query.offset is not None else (query.page - 1) * query.page_limit
    return VoicePage(
        found[start : start + query.page_limit], len(found), query.page, query.page_limit
    )


def parameter_values(catalogue: VoiceCatalogue) -> dict[str, list[str]]:
    """Every value present in the catalogue for each filterable field."""
    values: dict[str, set[str]] = {name: set() for name in FILTERABLE}
    for voice in catalogue:
        for name, get in _SCALAR.items():
            if get(voice):
                values[name].add(get(voice))
        for name, get_list in _LIST.items():
            values[name].update(get_list(voice))
    return {name: sorted(found) for name, found in values.items()}
