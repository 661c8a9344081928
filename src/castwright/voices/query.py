"""Voice query: the SDK's filter language over the catalogue (POST /speech/voice/query).

A filter is one operator holding one field: ``{"in": {"language": ["dutch"]}}``. Operators:
``in`` / ``notIn`` (the field's value, or any element of a list field, is / is not one of the
values), ``equals`` / ``notEquals`` (against the first value), and ``greaterThan``,
``greaterThanOrEquals``, ``lessThan``, ``lessThanOrEquals`` (numbers compare as numbers, other
values as lower-case text). Text compares without case. Filters are ANDed.

With ``forceApplyFilters`` false and fewer than ``minimumNumberOfResults`` matches, filters are
dropped from the last one backwards until enough voices match (spec 11.1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from castwright.errors import Invalid
from castwright.voices.catalogue import Voice, VoiceCatalogue

__all__ = ["OPERATORS", "QUERY_FIELDS", "QueryResult", "VoiceFilter", "parse_filters", "query"]

_Getter = Callable[[Voice], Any]

QUERY_FIELDS: dict[str, _Getter] = {
    "alias": lambda v: v.alias,
    "name": lambda v: v.alias,
    "displayName": lambda v: v.display_name,
    "voiceId": lambda v: v.voice_id,
    "provider": lambda v: v.provider,
    "providerId": lambda v: v.engine,
    "gender": lambda v: v.gender,
    "ageBracket": lambda v: v.age_bracket,
    "type": lambda v: v.type,
    "language": lambda v: v.language,
    "languageCode": lambda v: v.language_code,
    "accent": lambda v: v.accent,
    "tags": lambda v: list(v.tags),
    "industryExamples": lambda v: list(v.industry_examples),
    "purpose": lambda v: list(v.purpose),
    "supportedLanguages": lambda v: list(v.supported_languages),
    "isMultilingual": lambda v: len(v.supported_languages) > 1,
    "timePerformance": lambda v: v.time_performance,
    "charsPerSecond": lambda v: v.chars_per_second,
    "sectionCharacterLimit": lambda v: v.section_character_limit,
}
OPERATORS = (
    "in",
    "notIn",
    "equals",
    "notEquals",
    "greaterThan",
    "greaterThanOrEquals",
    "lessThan",
    "lessThanOrEquals",
)


@dataclass(frozen=True)
class VoiceFilter:
    operator: str
    field: str
    values: tuple[Any, ...]

    def describe(self) -> str:
        return f"{self.operator} {self.field} {list(self.values)}"


@dataclass(frozen=True)
class QueryResult:
    voices: list[Voice]
    total: int
    page: int
    page_limit: int
    applied: list[VoiceFilter]
    dropped: list[VoiceFilter]


def parse_filters(raw: Any) -> list[VoiceFilter]:
    if raw is None or raw == []:
        return []
    if not isinstance(raw, list):
        raise Invalid("must be a list of filter objects", field="filters")
    parsed: list[VoiceFilter] = []
    for index, item in enumerate(raw):
        where = f"filters.{index}"
        if not isinstance(item, dict) or len(item) != 1:
            raise Invalid(
                'must be an object with one operator, e.g. {"in": {"language": ["dutch"]}}',
                field=where,
            )
        ((operator, body),) = item.items()
        if operator not in OPERATORS:
            raise Invalid(
                f"unknown operator {operator!r}; use one of {', '.join(OPERATORS)}", field=where
            )
        if not isinstance(body, dict) or len(body) != 1:
            raise Invalid(f"{operator} must hold exactly one field", field=where)
        ((name, values),) = body.items()
        if name not in QUERY_FIELDS:
            raise Invalid(
                f"unknown field {name!r}; use one of {', '.join(QUERY_FIELDS)}",
                field=f"{where}.{operator}",
            )
        listed = tuple(values) if isinstance(values, list) else (values,)
        if not listed or any(isinstance(v, dict | list) or v is None for v in listed):
            raise Invalid("needs one or more plain values", field=f"{where}.{operator}.{name}")
        parsed.append(VoiceFilter(operator, name, listed))
    return parsed


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip().lower()


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _compare(have: Any, operator: str, wanted: Any) -> bool:
    left, right = _number(have), _number(wanted)
    pair: tuple[Any, Any] = (
        (left, right)
        if left is not None and right is not None
        else (
            _text(have),
            _text(wanted),
        )
    )
    a, b = pair
    if operator == "greaterThan":
        return bool(a > b)
    if operator == "greaterThanOrEquals":
        return bool(a >= b)
    if operator == "lessThan":
        return bool(a < b)
    return bool(a <= b)


def _matches(voice: Voice, rule: VoiceFilter) -> bool:
    value = QUERY_FIELDS[rule.field](voice)
    have = [_text(v) for v in value] if isinstance(value, list) else [_text(value)]
    wanted = [_text(v) for v in rule.values]
    if rule.operator == "in":
        return any(h in wanted for h in have)
    if rule.operator == "notIn":
        return not any(h in wanted for h in have)
    if rule.operator == "equals":
        return wanted[0] in have
    if rule.operator == "notEquals":
        return wanted[0] not in have
    targets = value if isinstance(value, list) else [value]
    return any(_compare(t, rule.operator, rule.values[0]) for t in targets)


def query(
    catalogue: VoiceCatalogue,
    filters: list[VoiceFilter],
    minimum_results: int = 3,
    force: bool = True,
    page: int = 1,
    page_limit: int = 1000,
) -> QueryResult:
    if page < 1:
        raise Invalid("must be 1 or more", field="page")
    if not 1 <= page_limit <= 10_000:
        raise Invalid("must be between 1 and 10000", field="pageLimit")
    if minimum_results < 0:
        raise Invalid("must be 0 or more", field="minimumNumberOfResults")
    applied = list(filters)

    def matching(rules: list[VoiceFilter]) -> list[Voice]:
        return [v for v in catalogue if all(_matches(v, r) for r in rules)]

    found = matching(applied)
    dropped: list[VoiceFilter] = []
    while not force and len(found) < minimum_results and applied:
        dropped.insert(0, applied.pop())
        found = matching(applied)
    found.sort(key=lambda v: v.alias.lower())
    start = (page - 1) * page_limit
    return QueryResult(
        found[start : start + page_limit], len(found), page, page_limit, applied, dropped
    )
