"""CarrierX's ``filter`` expressions: ``field op value [and field op value]...``.

Parsing is separate from what a condition means: ``parse_filter`` turns the text into
``Condition``s (raising only ``BadRequest`` on field ``filter``, whatever the input), and the
conditions are then compiled to SQL (``carrierx.filter_sql``) or evaluated in Python
(``matches``, for lists that are not tables, such as TTS voices). Both give a value the
field's type first, with the same rules, so a filter means the same thing everywhere.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

from castwright.errors import BadRequest

__all__ = [
    "COMPARISONS",
    "OPERATORS",
    "Condition",
    "FieldType",
    "FilterError",
    "Value",
    "like_regex",
    "matches",
    "parse_filter",
    "typed_value",
]

FieldType = Literal["str", "int", "float", "bool", "datetime"]
COMPARISONS = ("eq", "ne", "lt", "le", "gt", "ge")
OPERATORS = (*COMPARISONS, "like", "ilike", "in", "notin")

MAX_FILTER_CHARS = 4000
MAX_CONDITIONS = 50
MAX_LIST_ITEMS = 1000

_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_][A-Za-z0-9_\-]*)*\Z")
_SPACE = " \t\r\n"


class FilterError(BadRequest):
    """A filter that cannot be read or applied: always a 400 naming ``filter``."""

    def __init__(self, what: str, position: int | None = None) -> None:
        where = f" at position {position + 1}" if position is not None else ""
        super().__init__(f"Invalid filter: {what}{where}", errors=[f"filter: {what}{where}"])


@dataclass(frozen=True)
class Value:
    """One literal as written: ``quoted`` values are always text, bare ones may be null."""

    text: str
    quoted: bool

    @property
    def is_null(self) -> bool:
        return not self.quoted and self.text.lower() == "null"


@dataclass(frozen=True)
class Condition:
    field: str
    operator: str
    values: tuple[Value, ...]  # one value, or the list of in / notin
    position: int  # where the condition starts, for error messages


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def done(self) -> bool:
        return self.at >= len(self.text)

    def skip_spaces(self) -> bool:
        start = self.at
        while not self.done() and self.text[self.at] in _SPACE:
            self.at += 1
        return self.at > start

    def word(self, stops: str = _SPACE) -> str:
        start = self.at
        while not self.done() and self.text[self.at] not in stops:
            self.at += 1
        return self.text[start : self.at]

    def quoted(self) -> str:
        """A '...' or "..." literal; a backslash keeps the next character as it is."""
        quote, start = self.text[self.at], self.at
        self.at += 1
        out: list[str] = []
        while not self.done():
            char = self.text[self.at]
            if char == "\\" and self.at + 1 < len(self.text):
                out.append(self.text[self.at + 1])
                self.at += 2
                continue
            self.at += 1
            if char == quote:
                return "".join(out)
            out.append(char)
        raise FilterError("unterminated quoted value", start)

    def value(self, stops: str = _SPACE) -> Value:
        if not self.done() and self.text[self.at] in "'\"":
            return Value(self.quoted(), True)
        start = self.at
        text = self.word(stops)
        if not text:
            raise FilterError("expected a value", start)
        return Value(text, False)

    def value_list(self) -> tuple[Value, ...]:
        start = self.at
        if self.done() or self.text[self.at] != "(":
            # A bare a,b,c is read as the list it plainly means.
            return tuple(Value(t, False) for t in self.word().split(",") if t) or (
                self._missing_list(start)
            )
        self.at += 1
        items: list[Value] = []
        while True:
            self.skip_spaces()
            items.append(self.value(_SPACE + ",)"))
            if len(items) > MAX_LIST_ITEMS:
                raise FilterError(f"a list holds at most {MAX_LIST_ITEMS} values", start)
            self.skip_spaces()
            if self.done():
                raise FilterError("unterminated list: expected ')'", start)
            char = self.text[self.at]
            self.at += 1
            if char == ")":
                return tuple(items)
            if char != ",":
                raise FilterError(f"expected ',' or ')' in a list, got {char!r}", self.at - 1)

    @staticmethod
    def _missing_list(start: int) -> tuple[Value, ...]:
        raise FilterError("expected a list of values, e.g. (a,b)", start)


def parse_filter(text: str) -> list[Condition]:
    """The conditions of a filter; an empty or blank filter has none."""
    if len(text) > MAX_FILTER_CHARS:
        raise FilterError(f"longer than {MAX_FILTER_CHARS} characters")
    scanner = _Scanner(text)
    conditions: list[Condition] = []
    scanner.skip_spaces()
    if scanner.done():
        return conditions
    while True:
        start = scanner.at
        field = scanner.word()
        if not _FIELD.match(field):
            raise FilterError(f"{_shown(field)} is not a field name", start)
        if not scanner.skip_spaces() or scanner.done():
            raise FilterError(f"expected an operator after {field!r}", scanner.at)
        operator_at = scanner.at
        operator = scanner.word().lower()
        if operator not in OPERATORS:
            raise FilterError(
                f"{_shown(operator)} is not an operator (one of {', '.join(OPERATORS)})",
                operator_at,
            )
        if not scanner.skip_spaces() or scanner.done():
            raise FilterError(f"expected a value after {operator!r}", scanner.at)
        values = scanner.value_list() if operator in ("in", "notin") else (scanner.value(),)
        conditions.append(Condition(field, operator, values, start))
        if len(conditions) > MAX_CONDITIONS:
            raise FilterError(f"at most {MAX_CONDITIONS} conditions", start)
        spaced = scanner.skip_spaces()
        if scanner.done():
            return conditions
        joiner_at = scanner.at
        if not spaced or scanner.word().lower() != "and":
            raise FilterError("expected 'and' between conditions", joiner_at)
        if not scanner.skip_spaces() or scanner.done():
            raise FilterError("expected a condition after 'and'", scanner.at)


def _shown(text: str) -> str:
    return repr(text[:40]) if text else "nothing"


# -- typed values ------------------------------------------------------------------------


def typed_value(condition: Condition, value: Value, kind: FieldType) -> Any:
    """The literal as the field's type; FilterError when it is not one."""
    where = condition.position
    text = value.text
    if kind == "str":
        return text
    if kind == "bool":
        lowered = text.lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        raise FilterError(f"{condition.field} takes true or false, not {_shown(text)}", where)
    if kind in ("int", "float"):
        try:
            number = int(text) if re.fullmatch(r"[+-]?\d{1,18}", text) else float(text)
        except ValueError:
            raise FilterError(
                f"{condition.field} takes a number, not {_shown(text)}", where
            ) from None
        if isinstance(number, float) and not math.isfinite(number):
            raise FilterError(f"{condition.field} takes a finite number", where)
        return number
    return _parse_datetime(condition, text)


def _parse_datetime(condition: Condition, text: str) -> datetime:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError):  # 0001-01-01T00:00+14:00 is before year 1 in UTC
        raise FilterError(
            f"{condition.field} takes a date or ISO-8601 time, not {_shown(text)}",
            condition.position,
        ) from None


def check_operator(condition: Condition, kind: FieldType) -> None:
    """Operators that make no sense for the type are refused, not silently false."""
    if condition.operator in ("like", "ilike") and kind != "str":
        raise FilterError(f"{condition.operator} applies to text fields only", condition.position)
    nulls = [v for v in condition.values if v.is_null]
    if nulls and condition.operator not in ("eq", "ne"):
        raise FilterError("null can only be compared with eq or ne", condition.position)
    if kind == "bool" and condition.operator in ("lt", "le", "gt", "ge"):
        raise FilterError(f"{condition.field} is true or false: use eq or ne", condition.position)


def like_regex(pattern: str, case_sensitive: bool) -> re.Pattern[str]:
    """SQL LIKE as a regular expression: % any run, _ one character, backslash escapes."""
    out, escaped = [], False
    for char in pattern:
        if escaped:
            out.append(re.escape(char))
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "%":
            out.append(".*")
        elif char == "_":
            out.append(".")
        else:
            out.append(re.escape(char))
    if escaped:  # a lone backslash at the end stands for itself
        out.append(re.escape("\\"))
    flags = re.DOTALL if case_sensitive else re.DOTALL | re.IGNORECASE
    return re.compile("".join(out) + r"\Z", flags)


# -- evaluation in Python ----------------------------------------------------------------

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: bool(a == b),
    "ne": lambda a, b: bool(a != b),
    "lt": lambda a, b: bool(a < b),
    "le": lambda a, b: bool(a <= b),
    "gt": lambda a, b: bool(a > b),
    "ge": lambda a, b: bool(a >= b),
}


def matches(
    conditions: list[Condition],
    record: Mapping[str, Any],
    field_type: Callable[[str], FieldType | None],
) -> bool:
    """Whether ``record`` (wire field -> value) passes every condition.

    ``field_type`` gives a field's type, or None for a field that does not exist (a 400).
    As in SQL, a missing or null value passes nothing but ``eq null``.
    """
    for condition in conditions:
        kind = field_type(condition.field)
        if kind is None:
            raise FilterError(f"unknown field {condition.field!r}", condition.position)
        check_operator(condition, kind)
        if not _one_matches(condition, kind, record.get(condition.field)):
            return False
    return True


def _one_matches(condition: Condition, kind: FieldType, actual: Any) -> bool:
    operator, first = condition.operator, condition.values[0]
    if first.is_null and len(condition.values) == 1 and operator in ("eq", "ne"):
        return (actual is None) == (operator == "eq")
    if actual is None:
        return False
    if operator in ("like", "ilike"):
        return bool(like_regex(first.text, operator == "like").match(str(actual)))
    if operator in ("in", "notin"):
        wanted = [typed_value(condition, v, kind) for v in condition.values if not v.is_null]
        found = actual in wanted
        return found if operator == "in" else not found
    return _COMPARE[operator](actual, typed_value(condition, first, kind))
