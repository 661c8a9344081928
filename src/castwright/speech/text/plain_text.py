"""Plain text of parsed sections: placeholders filled, pauses and markers shown as spaces.

Used for previews and for predicting how long speech will be, where markup does not matter.
"""

from __future__ import annotations

import re

from castwright.errors import Invalid
from castwright.speech.text.document import (
    Break,
    Marker,
    Placeholder,
    ScriptDocument,
    Section,
    Text,
)
from castwright.speech.text.normalise import interpret

__all__ = ["document_plain_text", "section_plain_text"]

_WHITESPACE_RE = re.compile(r"\s+")


def _spoken(text: Text, language: str | None) -> str:
    if language is None:
        return text.text
    return interpret(text.text, text.interpret_as, text.format, language)


def section_plain_text(
    section: Section, audience: dict[str, str], language: str | None = None
) -> str:
    """The section as plain text with placeholders filled and pauses shown as spaces.

    An audience value wins over the placeholder's default; a placeholder with neither is an
    :class:`Invalid` on ``audience.<id>``. Without ``language`` the text stays as written
    (say-as runs included); with it, every run is normalised for that language the way the
    engine will receive it. Used for previews and length prediction.
    """
    parts: list[str] = []
    missing: list[str] = []
    for item in section.items:
        if isinstance(item, Text):
            parts.append(_spoken(item, language))
        elif isinstance(item, Placeholder):
            value = audience.get(item.id)
            if value is None or not value.strip():
                value = item.default
            if value is None:
                missing.append(item.id)
            else:
                parts.append(_spoken(Text(value), language))
        elif isinstance(item, Break | Marker):
            parts.append(" ")
    if missing:
        raise Invalid(
            f"placeholder '{missing[0]}' has no audience value and no default",
            field=f"audience.{missing[0]}",
            errors=[
                f"audience.{pid}: placeholder '{pid}' in section '{section.name}' has no "
                "audience value and no default"
                for pid in dict.fromkeys(missing)
            ],
        )
    return _WHITESPACE_RE.sub(" ", "".join(parts)).strip()


def document_plain_text(
    document: ScriptDocument, audience: dict[str, str], language: str | None = None
) -> str:
    """Every section's plain text (see :func:`section_plain_text`), joined by spaces."""
    texts = (section_plain_text(section, audience, language) for section in document.sections)
    return " ".join(text for text in texts if text)
