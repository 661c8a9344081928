"""The parsed form of a script: what the markup parser produces and the renderer consumes.

A script is a list of render sections. A section that contains ``<as:sub>`` tags is
flattened: text of the section outside any sub becomes a unit named after the section, each
sub becomes a unit whose ``parent`` is the section's name. Units keep document order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "Break",
    "Marker",
    "Placeholder",
    "Prosody",
    "ScriptDocument",
    "Section",
    "SectionItem",
    "Text",
]


@dataclass(frozen=True)
class Prosody:
    """Multipliers relative to the voice's normal delivery (1.0 = unchanged)."""

    rate: float = 1.0
    pitch: float = 1.0
    volume: float = 1.0

    def combine(self, other: Prosody) -> Prosody:
        """Nested prosody multiplies."""
        return Prosody(self.rate * other.rate, self.pitch * other.pitch, self.volume * other.volume)


NEUTRAL = Prosody()

# How a run of text must be read. "text" is ordinary prose and goes through the normaliser;
# the others come from SSML <say-as interpret-as="..."> and are expanded accordingly.
Interpretation = Literal[
    "text", "cardinal", "ordinal", "characters", "digits", "date", "time", "currency", "telephone"
]


@dataclass(frozen=True)
class Text:
    text: str
    prosody: Prosody = NEUTRAL
    interpret_as: Interpretation = "text"
    # SSML say-as "format"/"detail" (e.g. "mdy" for dates); "" when absent
    format: str = ""


@dataclass(frozen=True)
class Placeholder:
    """Filled from the TTS request's ``audience``; ``default`` is None when the tag is empty."""

    id: str
    default: str | None
    prosody: Prosody = NEUTRAL


@dataclass(frozen=True)
class Break:
    seconds: float


@dataclass(frozen=True)
class Marker:
    """``<as:fx>`` or ``<as:media>``: splits speech at TTS time, resolved at mix time."""

    kind: Literal["fx", "media"]
    name: str
    id: str


SectionItem = Text | Placeholder | Break | Marker


@dataclass
class Section:
    name: str
    sound_segment: str = ""
    parent: str | None = None  # set for <as:sub> units
    items: list[SectionItem] = field(default_factory=list)

    @property
    def placeholders(self) -> list[str]:
        seen: list[str] = []
        for item in self.items:
            if isinstance(item, Placeholder) and item.id not in seen:
                seen.append(item.id)
        return seen

    @property
    def markers(self) -> list[Marker]:
        return [item for item in self.items if isinstance(item, Marker)]


@dataclass
class ScriptDocument:
    sections: list[Section]
    warnings: list[str] = field(default_factory=list)
    uses_markup: bool = False  # any tag present: switches Voice Intelligence on

    def section(self, name: str) -> Section | None:
        return next((s for s in self.sections if s.name == name), None)
