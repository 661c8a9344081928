"""OData ``$filter`` and ``$orderBy`` for ``GET /folders/{folderId}/files`` (SDK 4.0, spec 9.4).

A hand-written tokenizer and recursive-descent parser turn the expression into a SQLAlchemy
condition on ``File``. Nothing is evaluated; the length and nesting bounds keep hostile input
cheap. Keywords, operators and function names are case-insensitive; field names are not (as in
OData). Error positions are 0-based character offsets into the expression.

    filter     := or_expr
    or_expr    := and_expr ("or" and_expr)*
    and_expr   := unary ("and" unary)*
    unary      := "not" unary | "(" or_expr ")" | call | comparison
    call       := ("contains" | "startswith" | "endswith") "(" field "," string ")"
                  [("eq" | "ne") ("true" | "false")]
    comparison := field ("eq" | "ne" | "gt" | "ge" | "lt" | "le") literal
    literal    := 'string' | integer | decimal | true | false | null | datetime
    orderby    := field ["asc" | "desc"] ("," field ["asc" | "desc"])*
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, false, not_, or_
from sqlalchemy.orm import QueryableAttribute

from castwright.errors import BadRequest
from castwright.models.file import File, FileStatus

__all__ = ["MAX_DEPTH", "MAX_LENGTH", "parse_filter", "parse_order_by"]

MAX_LENGTH = 2000  # characters; a URL-borne expression has no business being longer
MAX_DEPTH = 32  # nested "(" and "not": bounds the parser's recursion

_TEXT, _NUMBER, _DATETIME, _STATUS = "a string", "a number", "a datetime", "a status"


@dataclass(frozen=True)
class _Field:
    column: QueryableAttribute[Any]
    kind: str
    nullable: bool = False


_FIELDS = {
    "fileName": _Field(File.name, _TEXT),
    "createdAt": _Field(File.created_at, _DATETIME),
    "updatedAt": _Field(File.updated_at, _DATETIME, nullable=True),
    "size": _Field(File.size, _NUMBER),
    "status": _Field(File.status, _STATUS),
    "duration": _Field(File.duration, _NUMBER, nullable=True),
    "accessControl": _Field(File.access_control, _TEXT),
    "fileType/name": _Field(File.kind, _TEXT),
    "fileCategory/name": _Field(File.category, _TEXT),
}

# Wire name -> FileQuery.order name (the keys of the repository's _SORTABLE).
_SORT_NAMES = {
    "fileName": "fileName",
    "createdAt": "createdAt",
    "updatedAt": "updatedAt",
    "size": "size",
    "duration": "duration",
    "status": "status",
    "fileType/name": "fileType",
    "fileCategory/name": "category",
}

# SDK 4.0 shows "pending" for both of our pre-ready states.
_STATUSES = {
    "pending": (FileStatus.PENDING, FileStatus.PROCESSING),
    "uploaded": (FileStatus.READY,),
    "failed": (FileStatus.FAILED,),
}

_Compare = Callable[[QueryableAttribute[Any], Any], ColumnElement[bool]]
_OPERATORS: dict[str, _Compare] = {
    "eq": lambda column, value: column == value,
    "ne": lambda column, value: column != value,
    "gt": lambda column, value: column > value,
    "ge": lambda column, value: column >= value,
    "lt": lambda column, value: column < value,
    "le": lambda column, value: column <= value,
}

# autoescape makes % and _ in the needle literal; the i-variants compare lower-cased text.
_FUNCTIONS: dict[str, tuple[_Compare, Callable[[str, str], bool]]] = {
    "contains": (
        lambda column, value: column.icontains(value, autoescape=True),
        lambda text, needle: needle in text,
    ),
    "startswith": (
        lambda column, value: column.istartswith(value, autoescape=True),
        str.startswith,
    ),
    "endswith": (
        lambda column, value: column.iendswith(value, autoescape=True),
        str.endswith,
    ),
}

_INT64 = 2**63  # SQLite cannot bind integers outside the signed 64-bit range


class _ParseError(Exception):
    def __init__(self, what: str, position: int) -> None:
        super().__init__(what)
        self.what = what
        self.position = position


@dataclass(frozen=True)
class _Token:
    kind: str  # "name", "string", "number", "datetime", "(", ")", ",", "end"
    text: str
    position: int
    value: Any = None


# -- tokenizer ------------------------------------------------------------------------------


def _tokenize(expression: str) -> list[_Token]:
    if len(expression) > MAX_LENGTH:
        raise _ParseError(f"expression is longer than {MAX_LENGTH} characters", MAX_LENGTH)
    tokens: list[_Token] = []
    index = 0
    while index < len(expression):
        char = expression[index]
        if char.isspace():
            index += 1
        elif char in "(),":
            tokens.append(_Token(char, char, index))
            index += 1
        elif char == "'":
            index = _string(expression, index, tokens)
        elif _is_word(char):
            end = _scan(expression, index, lambda c: _is_word(c) or c.isdigit() or c == "/")
            tokens.append(_Token("name", expression[index:end], index))
            index = end
        elif char.isascii() and (char.isdigit() or char == "-"):
            # One run covers numbers and bare datetimes (2024-01-01T00:00:00+02:00).
            end = _scan(expression, index + 1, _is_literal)
            tokens.append(_literal(expression[index:end], index))
            index = end
        else:
            raise _ParseError(f"unexpected character {char!r}", index)
    if not tokens:
        raise _ParseError("empty expression", len(expression))
    tokens.append(_Token("end", "end of input", len(expression)))
    return tokens


def _is_word(char: str) -> bool:
    return char.isascii() and (char.isalpha() or char == "_")


def _is_literal(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in ".:+-")


def _scan(expression: str, index: int, accept: Callable[[str], bool]) -> int:
    while index < len(expression) and accept(expression[index]):
        index += 1
    return index


def _string(expression: str, start: int, tokens: list[_Token]) -> int:
    """Append the 'quoted' string at ``start`` ('' is a quote) and return the index after it."""
    chunks: list[str] = []
    index = start + 1
    while True:
        close = expression.find("'", index)
        if close < 0:
            raise _ParseError("unterminated string", start)
        chunks.append(expression[index:close])
        if expression.startswith("''", close):
            chunks.append("'")
            index = close + 2
            continue
        value = "".join(chunks)
        if "\x00" in value:  # PostgreSQL refuses NUL in text: make it a 400, not a 500
            raise _ParseError("NUL character in string", start)
        tokens.append(_Token("string", expression[start : close + 1], start, value))
        return close + 1


def _literal(text: str, position: int) -> _Token:
    digits = text.removeprefix("-")
    whole, dot, fraction = digits.partition(".")
    if whole.isdigit() and (not dot or fraction.isdigit()):  # the run is ASCII already
        number: int | float = float(text) if dot else int(text)
        if not -_INT64 <= number < _INT64:  # also catches a float that overflowed to inf
            raise _ParseError(f"number {text} is out of range", position)
        return _Token("number", text, position, number)
    moment = _datetime(text)
    if moment is None:
        raise _ParseError(f"invalid literal {text!r}", position)
    return _Token("datetime", text, position, moment)


def _datetime(text: str) -> datetime | None:
    """ISO-8601 as an aware UTC datetime (naive means UTC); None if it is not one."""
    try:
        moment = datetime.fromisoformat(text)
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError):  # Overflow: year 1 or 9999 shifted out of range
        return None


# -- parser ---------------------------------------------------------------------------------


class _Cursor:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.index = 0

    def peek(self, offset: int = 0) -> _Token:
        return self.tokens[min(self.index + offset, len(self.tokens) - 1)]

    def take(self) -> _Token:
        token = self.peek()
        self.index = min(self.index + 1, len(self.tokens) - 1)
        return token

    def keyword(self, *words: str) -> str | None:
        """Consume and return the next token if it is one of ``words``."""
        token = self.peek()
        if token.kind == "name" and token.text.lower() in words:
            self.take()
            return token.text.lower()
        return None

    def expect(self, kind: str, what: str) -> _Token:
        token = self.take()
        if token.kind != kind:
            raise _ParseError(f"expected {what}, found {token.text!r}", token.position)
        return token

    def finish(self) -> None:
        token = self.peek()
        if token.kind != "end":
            raise _ParseError(f"unexpected {token.text!r}", token.position)


class _FilterParser(_Cursor):
    def __init__(self, tokens: list[_Token]) -> None:
        super().__init__(tokens)
        self.depth = 0

    def or_expr(self) -> ColumnElement[bool]:
        # Operands are collected and joined once: a flat OR, however long the chain.
        terms = [self.and_expr()]
        while self.keyword("or"):
            terms.append(self.and_expr())
        return terms[0] if len(terms) == 1 else or_(*terms)

    def and_expr(self) -> ColumnElement[bool]:
        terms = [self.unary()]
        while self.keyword("and"):
            terms.append(self.unary())
        return terms[0] if len(terms) == 1 else and_(*terms)

    def unary(self) -> ColumnElement[bool]:
        token = self.peek()
        if token.kind == "(" or (token.kind == "name" and token.text.lower() == "not"):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise _ParseError(f"nesting deeper than {MAX_DEPTH} levels", token.position)
            self.take()
            if token.kind == "(":
                condition = self.or_expr()
                self.expect(")", "')'")
            else:
                condition = not_(self.unary())
            self.depth -= 1
            return condition
        if token.kind == "name" and self.peek(1).kind == "(":
            return self.call()
        return self.comparison()

    def call(self) -> ColumnElement[bool]:
        token = self.take()
        name = token.text.lower()
        if name not in _FUNCTIONS:
            raise _ParseError(f"unknown function {token.text!r}", token.position)
        self.take()  # "("
        field_token = self.peek()
        field = self.field()
        self.expect(",", "','")
        needle = self.expect("string", "a quoted string")
        self.expect(")", "')'")
        in_sql, in_python = _FUNCTIONS[name]
        condition: ColumnElement[bool]
        if field.kind == _STATUS:
            # Match against the wire names, then ask for the internal values they stand for.
            wanted = needle.value.lower()
            matching = [
                value
                for wire, values in _STATUSES.items()
                if in_python(wire, wanted)
                for value in values
            ]
            condition = field.column.in_(matching) if matching else false()
        elif field.kind == _TEXT:
            condition = in_sql(field.column, needle.value)
        else:
            raise _ParseError(f"{name}() needs a text field", field_token.position)
        # OData v3 clients write "contains(f,'x') eq true".
        operator = self.keyword("eq", "ne")
        if operator:
            flag = self.take()
            if flag.kind != "name" or flag.text.lower() not in ("true", "false"):
                raise _ParseError(f"expected true or false, found {flag.text!r}", flag.position)
            if (operator == "eq") != (flag.text.lower() == "true"):
                condition = not_(condition)
        return condition

    def field(self) -> _Field:
        token = self.peek()
        if token.kind != "name":
            raise _ParseError(f"expected a field, found {token.text!r}", token.position)
        self.take()
        field = _FIELDS.get(token.text)
        if field is None:
            raise _ParseError(f"unknown field {token.text!r}", token.position)
        return field

    def comparison(self) -> ColumnElement[bool]:
        token = self.peek()
        if token.kind != "name":
            raise _ParseError(f"expected a condition, found {token.text!r}", token.position)
        field = self.field()
        op_token = self.peek()
        operator = self.keyword(*_OPERATORS)
        if operator is None:
            raise _ParseError(
                f"expected a comparison operator after {token.text}, found {op_token.text!r}",
                op_token.position,
            )
        literal = self.take()
        value = _coerce(token.text, field, literal)
        if value is None:
            if operator not in ("eq", "ne"):
                raise _ParseError("null can only be compared with eq or ne", literal.position)
            return field.column.is_(None) if operator == "eq" else field.column.is_not(None)
        if field.kind == _STATUS:
            if operator not in ("eq", "ne"):
                raise _ParseError("status can only be compared with eq or ne", op_token.position)
            values = _STATUSES[value]
            return field.column.in_(values) if operator == "eq" else field.column.not_in(values)
        condition = _OPERATORS[operator](field.column, value)
        if field.nullable:
            # SQL compares NULL as unknown, which NOT keeps unknown; OData compares it as false
            # (true for ne). Pinning that down keeps "not" a plain negation.
            if operator == "ne":
                return or_(field.column.is_(None), condition)
            return and_(field.column.is_not(None), condition)
        return condition


def _coerce(name: str, field: _Field, literal: _Token) -> Any:
    """The literal's value as the field's type; None for null."""
    keyword = literal.text.lower() if literal.kind == "name" else None
    if keyword == "null":
        return None
    if literal.kind not in ("string", "number", "datetime") and keyword not in ("true", "false"):
        raise _ParseError(f"expected a value, found {literal.text!r}", literal.position)
    value = literal.value
    if field.kind == _DATETIME and literal.kind == "string":
        value = _datetime(literal.value)
        if value is None:
            raise _ParseError(f"{literal.text} is not a valid ISO-8601 datetime", literal.position)
        return value
    expected = {_TEXT: "string", _STATUS: "string", _NUMBER: "number", _DATETIME: "datetime"}
    if literal.kind != expected[field.kind]:
        found = "a boolean" if keyword else f"a {literal.kind}"
        raise _ParseError(f"{name} needs {field.kind}, not {found}", literal.position)
    if field.kind == _STATUS:
        value = value.lower()
        if value not in _STATUSES:
            choices = ", ".join(_STATUSES)
            raise _ParseError(f"status must be one of {choices}", literal.position)
    return value


def _fail(parameter: str, error: _ParseError) -> BadRequest:
    return BadRequest(
        f"Invalid {parameter}", errors=[f"{parameter}: {error.what} at position {error.position}"]
    )


# -- public ---------------------------------------------------------------------------------


def parse_filter(expression: str) -> ColumnElement[bool]:
    """The ``$filter`` expression as a condition on ``File``; BadRequest (400) if malformed."""
    try:
        parser = _FilterParser(_tokenize(expression))
        condition = parser.or_expr()
        parser.finish()
    except _ParseError as error:
        raise _fail("$filter", error) from None
    return condition


def parse_order_by(expression: str) -> list[tuple[str, bool]]:
    """``$orderBy`` as FileQuery.order: [(sort name, descending)]; BadRequest (400) if bad."""
    try:
        cursor = _Cursor(_tokenize(expression))
        order: list[tuple[str, bool]] = []
        while True:
            token = cursor.expect("name", "a field")
            name = _SORT_NAMES.get(token.text)
            if name is None:
                what = "cannot sort by" if token.text in _FIELDS else "unknown field"
                raise _ParseError(f"{what} {token.text!r}", token.position)
            if any(name == seen for seen, _ in order):
                raise _ParseError(f"{token.text} is listed twice", token.position)
            order.append((name, cursor.keyword("asc", "desc") == "desc"))
            if cursor.peek().kind != ",":
                break
            cursor.take()
        cursor.finish()
    except _ParseError as error:
        raise _fail("$orderBy", error) from None
    return order
