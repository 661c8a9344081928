"""Filter conditions and ``order`` as SQL, over a table of the fields a list exposes.

``like`` is case-sensitive on every backend: PostgreSQL's LIKE already is, and on SQLite (whose
LIKE ignores ASCII case) the pattern becomes the equivalent GLOB.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func, literal, not_
from sqlalchemy.orm import QueryableAttribute

from castwright.carrierx.filters import (
    Condition,
    FieldType,
    FilterError,
    check_operator,
    typed_value,
)
from castwright.errors import BadRequest

__all__ = ["SqlField", "compile_filter", "order_clauses", "parse_order"]

MAX_ORDER_FIELDS = 5


@dataclass(frozen=True)
class SqlField:
    """How a wire field reads in SQL. ``expression`` None: a field that cannot be filtered."""

    expression: ColumnElement[Any] | QueryableAttribute[Any] | None
    kind: FieldType


def compile_filter(
    conditions: list[Condition], fields: dict[str, SqlField], dialect: str
) -> ColumnElement[bool] | None:
    clauses = [_compile(c, fields, dialect) for c in conditions]
    return and_(*clauses) if clauses else None


def _compile(
    condition: Condition, fields: dict[str, SqlField], dialect: str
) -> ColumnElement[bool]:
    spec = fields.get(condition.field)
    if spec is None:
        raise FilterError(f"unknown field {condition.field!r}", condition.position)
    if spec.expression is None:
        raise FilterError(f"{condition.field!r} cannot be filtered on", condition.position)
    check_operator(condition, spec.kind)
    column, operator, first = spec.expression, condition.operator, condition.values[0]
    if first.is_null:
        return column.is_(None) if operator == "eq" else column.is_not(None)
    if operator in ("in", "notin"):
        wanted = [typed_value(condition, v, spec.kind) for v in condition.values]
        inside = column.in_(wanted)
        # As in Python (filters.matches), a null field is in no list and outside none.
        return inside if operator == "in" else and_(column.is_not(None), not_(inside))
    value = typed_value(condition, first, spec.kind)
    if operator == "like":
        if dialect == "sqlite":
            return column.op("GLOB")(literal(_like_to_glob(value)))
        return column.like(_closed_escape(value), escape="\\")
    if operator == "ilike":
        pattern = func.lower(literal(_closed_escape(value)))
        return func.lower(column).like(pattern, escape="\\")
    if spec.kind == "float" or (spec.kind == "int" and isinstance(value, float)):
        # 1.5 against an integer column: compare as numbers, not after truncating 1.5.
        column = column * 1.0
    compare = {
        "eq": column.__eq__,
        "ne": column.__ne__,
        "lt": column.__lt__,
        "le": column.__le__,
        "gt": column.__gt__,
        "ge": column.__ge__,
    }[operator]
    clause: ColumnElement[bool] = compare(value)  # a null column passes no comparison
    return clause


def _closed_escape(pattern: str) -> str:
    """A pattern ending in a lone backslash gets a second one: it stands for itself (as in
    filters.like_regex) instead of being an error of the database."""
    trailing = len(pattern) - len(pattern.rstrip("\\"))
    return pattern + "\\" if trailing % 2 else pattern


def _like_to_glob(pattern: str) -> str:
    """SQL LIKE (``%``, ``_``, backslash escapes) as an SQLite GLOB, which matches case."""
    out, escaped = [], False
    for char in pattern:
        if escaped:
            out.append(f"[{char}]" if char in "*?[" else char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "%":
            out.append("*")
        elif char == "_":
            out.append("?")
        elif char in "*?[":
            out.append(f"[{char}]")
        else:
            out.append(char)
    if escaped:
        out.append("\\")
    return "".join(out)


def parse_order(text: str | None, fields: dict[str, SqlField]) -> list[tuple[str, bool]] | None:
    """``order=name desc, date_modified``: [(field, descending)]; None for ``shuffle``."""
    order: list[tuple[str, bool]] = []
    if not text or not text.strip():
        return order
    if text.strip().lower() == "shuffle":
        return None
    for part in text.split(","):
        words = part.split()
        if not words or len(words) > 2:
            raise BadRequest("Invalid order", errors=[f"order: cannot read {part.strip()!r}"])
        name, direction = words[0], (words[1].lower() if len(words) == 2 else "asc")
        spec = fields.get(name)
        if spec is None or spec.expression is None:
            raise BadRequest(
                "Invalid order", errors=[f"order: {name[:40]!r} is not a field to order by"]
            )
        if direction not in ("asc", "desc"):
            raise BadRequest(
                "Invalid order", errors=[f"order: direction must be asc or desc, not {words[1]!r}"]
            )
        order.append((name, direction == "desc"))
    if len(order) > MAX_ORDER_FIELDS:
        raise BadRequest("Invalid order", errors=[f"order: at most {MAX_ORDER_FIELDS} fields"])
    return order


def order_clauses(
    order: list[tuple[str, bool]] | None, fields: dict[str, SqlField]
) -> list[ColumnElement[Any]]:
    if order is None:
        return [func.random()]
    clauses: list[ColumnElement[Any]] = []
    for name, descending in order:
        expression = fields[name].expression
        assert expression is not None
        # Nulls sort first ascending on both backends (PostgreSQL would put them last).
        clauses.append(
            expression.desc().nulls_last() if descending else expression.asc().nulls_first()
        )
    return clauses
