"""An advert as three sections of sentences, to and from script markup.

The sections are named intro, main and outro (script sections a TTS request can voice and a
mix can place separately); the call to action is the first sentence of the outro.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

__all__ = [
    "SECTION_NAMES",
    "Advert",
    "LengthOf",
    "clean_text",
    "parse_advert",
    "split_sentences",
]

SECTION_NAMES = ("intro", "main", "outro")
LengthOf = Callable[[str], float]  # seconds the default voice takes to say a plain text

_SECTION = re.compile(
    r"<as:section\s+name\s*=\s*(['\"])(?P<name>[^'\"]*)\1\s*>(?P<body>.*?)</as:section>",
    re.IGNORECASE | re.DOTALL,
)
_TAG = re.compile(r"<[^>]*>")
_SENTENCE = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]*[A-Z0-9])")
# Characters that would read as markup or placeholders in a script: never copied from input.
_MARKUP_CHARACTERS = re.compile(r"[<>{}\[\]]")


def clean_text(text: str) -> str:
    """Input text made safe to place in script markup: no tags, braces or stray whitespace."""
    return re.sub(r"\s+", " ", _MARKUP_CHARACTERS.sub(" ", text)).strip()


def _finish(sentence: str) -> str:
    sentence = sentence.strip()
    if sentence and sentence[-1] not in ".!?":
        sentence += "."
    return sentence[:1].upper() + sentence[1:]


def split_sentences(text: str) -> list[str]:
    return [_finish(s) for s in _SENTENCE.split(clean_text(text)) if s.strip(" .!?")]


@dataclass(frozen=True)
class Advert:
    intro: tuple[str, ...]
    main: tuple[str, ...]
    outro: tuple[str, ...]  # the call to action first
    notes: tuple[str, ...] = field(default=())  # what the writer or editor did, for the caller

    @property
    def call_to_action(self) -> str:
        return self.outro[0] if self.outro else ""

    def sections(self) -> dict[str, tuple[str, ...]]:
        return {"intro": self.intro, "main": self.main, "outro": self.outro}

    def section_text(self, name: str) -> str:
        return " ".join(self.sections()[name])

    def plain_sentences(self) -> list[str]:
        return [s for name in SECTION_NAMES for s in self.sections()[name]]

    def plain_text(self) -> str:
        return " ".join(self.plain_sentences())

    def markup(self) -> str:
        return "".join(
            f'<as:section name="{name}">{self.section_text(name)}</as:section>'
            for name in SECTION_NAMES
            if self.sections()[name]
        )

    def with_notes(self, *notes: str) -> Advert:
        return replace(self, notes=(*self.notes, *notes))

    def seconds(self, length_of: LengthOf) -> float:
        """Spoken length: each section rendered on its own, as TTS renders them."""
        return sum(
            length_of(self.section_text(name)) for name in SECTION_NAMES if self.sections()[name]
        )


def parse_advert(text: str) -> Advert:
    """Sections from markup written by the writer (or by hand); plain text is split into a
    first-sentence intro, a last-sentence outro and the rest as main."""
    found = {m.group("name").strip().lower(): m.group("body") for m in _SECTION.finditer(text)}
    if found:
        named = {name: tuple(split_sentences(_TAG.sub(" ", body))) for name, body in found.items()}
        others = [s for name, body in named.items() if name not in SECTION_NAMES for s in body]
        return Advert(
            named.get("intro", ()), (*named.get("main", ()), *others), named.get("outro", ())
        )
    sentences = split_sentences(_TAG.sub(" ", text))
    if len(sentences) < 3:
        return Advert((), tuple(sentences[:-1]), tuple(sentences[-1:]))
    return Advert((sentences[0],), tuple(sentences[1:-1]), (sentences[-1],))
