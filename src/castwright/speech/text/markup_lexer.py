"""Tokenizer for script markup: a tolerant scanner, not an XML parser.

Scripts are XML-like but not well-formed XML: several top-level sections, free text, bare
``&`` and stray ``<`` all occur in real scripts. So a ``<`` only starts a tag when a complete
tag follows it; otherwise it is text. The one exception is a broken ``<as:...`` tag, which is
reported rather than read aloud. Names are lower-cased here so the parser can compare them
directly; attribute values keep their case.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

__all__ = [
    "LegacyDirective",
    "LegacyPlaceholder",
    "MalformedTag",
    "Tag",
    "TextRun",
    "Token",
    "decode_entities",
    "tokenize",
]


@dataclass(frozen=True)
class TextRun:
    text: str  # entities already decoded
    offset: int


@dataclass(frozen=True)
class Tag:
    name: str  # lower-cased, prefix included: "as:section", "break"
    offset: int  # of the "<"
    closing: bool = False
    self_closing: bool = False
    attrs: dict[str, str] = field(default_factory=dict)  # lower-cased names, decoded values

    def describe(self) -> str:
        """How errors name the tag: ``<as:section name='intro'>`` or ``</as:sub>``."""
        if self.closing:
            return f"</{self.name}>"
        ident = "".join(
            f" {key}='{self.attrs[key]}'" for key in ("name", "id") if key in self.attrs
        )
        return f"<{self.name}{ident}>"


@dataclass(frozen=True)
class LegacyPlaceholder:
    """api.audio v1 ``{{name|default}}``."""

    id: str
    default: str | None
    offset: int


@dataclass(frozen=True)
class LegacyDirective:
    """api.audio v1 ``<<kind::value>>``, e.g. ``<<soundEffect::bang>>``."""

    kind: str  # lower-cased
    value: str
    offset: int


@dataclass(frozen=True)
class MalformedTag:
    """Something that starts like an ``<as:...>`` tag but does not parse as one."""

    fragment: str
    offset: int


Token = TextRun | Tag | LegacyPlaceholder | LegacyDirective | MalformedTag

_NAME = r"[A-Za-z_][\w.:-]*"
_VALUE = r"""(?:"[^"]*"|'[^']*'|[^\s"'<>/=]+)"""
_TAG_RE = re.compile(
    rf"""<(?P<closing>/)?\s*(?P<name>{_NAME})
    (?P<attrs>(?:\s*{_NAME}\s*=\s*{_VALUE})*)
    \s*(?P<self_closing>/)?\s*>""",
    re.VERBOSE,
)
_ATTR_RE = re.compile(rf"""(?P<key>{_NAME})\s*=\s*(?P<value>{_VALUE})""")
# Comments, processing instructions and declarations carry nothing a listener should hear.
_IGNORED_RE = re.compile(r"<!--.*?-->|<\?.*?\?>|<!DOCTYPE[^>]*>", re.DOTALL | re.IGNORECASE)
_CDATA_RE = re.compile(r"<!\[CDATA\[(?P<text>.*?)\]\]>", re.DOTALL)
_LEGACY_PLACEHOLDER_RE = re.compile(r"\{\{\s*(?P<id>[^{}|]+?)\s*(?:\|(?P<default>[^{}]*))?\}\}")
_LEGACY_DIRECTIVE_RE = re.compile(r"<<\s*(?P<kind>\w+)\s*::\s*(?P<value>[^<>]*?)\s*>>")
_AS_TAG_START_RE = re.compile(r"</?\s*as:", re.IGNORECASE)
# Where anything other than plain text may begin.
_SPECIAL_START_RE = re.compile(r"<|\{\{")
_ENTITY_RE = re.compile(r"&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);")


def decode_entities(text: str) -> str:
    """Decode the XML entities (and numeric references); every other ``&`` stays literal."""
    return _ENTITY_RE.sub(lambda match: html.unescape(match.group(0)), text)


def _attributes(source: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for match in _ATTR_RE.finditer(source):
        value = match["value"]
        if value[:1] in "\"'":
            value = value[1:-1]
        attrs[match["key"].lower()] = decode_entities(value)
    return attrs


def _special_token(text: str, start: int) -> tuple[Token | None, int] | None:
    """The token starting at ``start`` and where it ends, or None when it is plain text.

    A ``None`` token with an end position means "skip this span silently" (comments).
    """
    for pattern in (_IGNORED_RE, _LEGACY_DIRECTIVE_RE):
        if match := pattern.match(text, start):
            if pattern is _IGNORED_RE:
                return None, match.end()
            return LegacyDirective(match["kind"].lower(), match["value"], start), match.end()
    if match := _CDATA_RE.match(text, start):
        return TextRun(match["text"], start), match.end()
    if match := _TAG_RE.match(text, start):
        tag = Tag(
            name=match["name"].lower(),
            offset=start,
            closing=match["closing"] is not None,
            self_closing=match["self_closing"] is not None,
            attrs=_attributes(match["attrs"]),
        )
        return tag, match.end()
    if match := _LEGACY_PLACEHOLDER_RE.match(text, start):
        default = match["default"]
        return LegacyPlaceholder(match["id"], default, start), match.end()
    if _AS_TAG_START_RE.match(text, start):
        # Swallow up to the next ">" (if it comes before another "<") so one typo is one error.
        next_open = text.find("<", start + 1)
        limit = next_open if next_open != -1 else len(text)
        close = text.find(">", start, limit)
        end = close + 1 if close != -1 else limit
        return MalformedTag(text[start:end], start), end
    return None


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into text runs, tags and legacy constructs, in document order."""
    tokens: list[Token] = []
    plain_start = 0
    position = 0

    def flush_plain(end: int) -> None:
        if end > plain_start:
            tokens.append(TextRun(decode_entities(text[plain_start:end]), plain_start))

    while (found := _SPECIAL_START_RE.search(text, position)) is not None:
        start = found.start()
        special = _special_token(text, start)
        if special is None:
            position = start + 1  # a literal "<" or "{{"
            continue
        token, end = special
        flush_plain(start)
        if token is not None:
            tokens.append(token)
        plain_start = position = end
    flush_plain(len(text))
    return tokens
