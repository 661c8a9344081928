"""Collects the items of one render unit (a section's own text, or one sub-section).

The builder owns the whitespace and pause rules so the parser only has to say what it saw:
whitespace runs collapse to one space, text is trimmed at the unit's edges and next to pauses
and markers, neighbouring text with the same delivery merges, and pauses are placed lazily so
that several breaks in a row become one and a paragraph pause is only heard between
paragraphs, never at the start or end of a unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from castwright.speech.text.chunking import FULL_WIDTH_CLAUSE_MARKS, SENTENCE_TERMINATORS
from castwright.speech.text.document import (
    NEUTRAL,
    Break,
    Interpretation,
    Marker,
    Placeholder,
    Prosody,
    SectionItem,
    Text,
)
from castwright.speech.text.markup_lexer import Tag

__all__ = [
    "PARAGRAPH_PAUSE_SECONDS",
    "RawSection",
    "RawSub",
    "UnitBuilder",
    "items_have_speech",
]

PARAGRAPH_PAUSE_SECONDS = 0.4

# Punctuation that already closes a sentence or clause; </s> adds a full stop otherwise.
_CLOSING_PUNCTUATION = SENTENCE_TERMINATORS + FULL_WIDTH_CLAUSE_MARKS + ":;,"
_WHITESPACE_RE = re.compile(r"\s+")


def _is_speech(item: SectionItem) -> bool:
    if isinstance(item, Text):
        return bool(item.text.strip())
    return isinstance(item, Placeholder | Marker)


def _mergeable(left: SectionItem, right: Text) -> bool:
    # Only prose merges: joining two say-as runs ("12" + "34") would change how they are read.
    return (
        isinstance(left, Text)
        and left.interpret_as == "text"
        and right.interpret_as == "text"
        and left.prosody == right.prosody
    )


def _joined(left: str, right: str) -> str:
    """Concatenate two runs of collapsed text without doubling the space between them."""
    return left + right.lstrip(" ") if left.endswith(" ") else left + right


def items_have_speech(items: list[SectionItem]) -> bool:
    """Whether a unit would make any sound of its own (pauses alone do not count)."""
    return any(_is_speech(item) for item in items)


def _separates_speech(item: SectionItem) -> bool:
    """Speech is synthesised separately on each side of pauses and markers."""
    return isinstance(item, Break | Marker)


class UnitBuilder:
    def __init__(self) -> None:
        self._items: list[SectionItem] = []
        self._pending_seconds = 0.0  # explicit breaks not placed yet, summed
        self._has_pending_break = False
        self._paragraph_pending = False
        self.first_break_offset: int | None = None

    def has_speech(self) -> bool:
        return items_have_speech(self._items)

    def add_text(
        self,
        text: str,
        prosody: Prosody = NEUTRAL,
        interpret_as: Interpretation = "text",
        format: str = "",
    ) -> None:
        text = _WHITESPACE_RE.sub(" ", text)
        if not text:
            return
        if not text.strip():
            # Whitespace next to a pause is trimmed anyway; keeping it would split the pause.
            if not (self._has_pending_break or self._paragraph_pending):
                self._append(Text(" ", prosody, interpret_as, format))
            return
        self._place_pending_pause()
        self._append(Text(text, prosody, interpret_as, format))

    def add_placeholder(self, placeholder: Placeholder) -> None:
        self._place_pending_pause()
        self._items.append(placeholder)

    def add_marker(self, marker: Marker) -> None:
        self._place_pending_pause()
        self._items.append(marker)

    def add_break(self, seconds: float, offset: int) -> None:
        if self.first_break_offset is None:
            self.first_break_offset = offset
        self._pending_seconds += seconds
        self._has_pending_break = True

    def request_paragraph_pause(self) -> None:
        self._paragraph_pending = True

    def end_sentence(self) -> None:
        """Close the sentence just spoken with a full stop unless punctuation already does."""
        last = self._items[-1] if self._items else None
        if isinstance(last, Text) and last.text.strip():
            if last.text.rstrip()[-1] not in _CLOSING_PUNCTUATION:
                if last.interpret_as == "text":
                    self._items[-1] = Text(last.text.rstrip() + ".", last.prosody)
                else:
                    self._items.append(Text(".", last.prosody))
        elif isinstance(last, Placeholder):
            self._items.append(Text(".", last.prosody))
        self.add_text(" ")

    def finish(self) -> list[SectionItem]:
        """The unit's items, trimmed and merged. A trailing paragraph pause is dropped."""
        if self._has_pending_break and self._pending_seconds > 0:
            self._items.append(Break(self._pending_seconds))
        self._has_pending_break = self._paragraph_pending = False
        self._pending_seconds = 0.0
        return _tidy(self._items)

    def _append(self, text: Text) -> None:
        last = self._items[-1] if self._items else None
        if last is not None and _mergeable(last, text):
            assert isinstance(last, Text)
            self._items[-1] = Text(_joined(last.text, text.text), last.prosody)
        else:
            self._items.append(text)

    def _place_pending_pause(self) -> None:
        seconds = self._pending_seconds if self._has_pending_break else 0.0
        if self._paragraph_pending and self.has_speech():
            seconds = max(seconds, PARAGRAPH_PAUSE_SECONDS)
        if seconds > 0:
            self._items.append(Break(seconds))
        self._has_pending_break = self._paragraph_pending = False
        self._pending_seconds = 0.0


def _tidy(items: list[SectionItem]) -> list[SectionItem]:
    """Trim text at unit edges and around pauses/markers, drop doubled spaces, merge runs."""
    forward: list[SectionItem] = []
    for item in items:
        if not isinstance(item, Text):
            forward.append(item)
            continue
        previous = forward[-1] if forward else None
        text = item.text
        if (
            previous is None
            or _separates_speech(previous)
            or (isinstance(previous, Text) and previous.text.endswith(" "))
        ):
            text = text.lstrip()
        if not text:
            continue
        current = Text(text, item.prosody, item.interpret_as, item.format)
        if previous is not None and _mergeable(previous, current):
            assert isinstance(previous, Text)
            forward[-1] = Text(_joined(previous.text, text), previous.prosody)
        else:
            forward.append(current)

    tidied: list[SectionItem] = []
    following: SectionItem | None = None
    for item in reversed(forward):
        if isinstance(item, Text) and (following is None or _separates_speech(following)):
            item = Text(item.text.rstrip(), item.prosody, item.interpret_as, item.format)
            if not item.text:
                continue
        tidied.append(item)
        following = item
    tidied.reverse()
    return tidied


@dataclass
class RawSub:
    name: str
    tag: Tag
    body: UnitBuilder = field(default_factory=UnitBuilder)


@dataclass
class RawSection:
    """A section before names are settled and sub-sections are flattened."""

    tag: Tag | None  # None for a section generated around text outside any section
    name: str | None = None
    sound_segment: str = ""
    own: UnitBuilder = field(default_factory=UnitBuilder)
    subs: list[RawSub] = field(default_factory=list)

    def has_speech(self) -> bool:
        return self.own.has_speech() or bool(self.subs)
