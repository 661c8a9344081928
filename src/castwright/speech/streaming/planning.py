"""A stream's plans, made as synthesis reaches them.

Planning normalises the text (numbers, dates and symbols to words), which for a whole book
chapter takes far longer than synthesising its first sentence. So plain text is planned a few
sentences at a time, each block through the same path as /speech/tts (parse_script,
plan_speech, prepare_segments), and the first block is the first sentence alone: the first
audio waits for one sentence's planning, not the whole input's. Markup, whose tags can span
sentences, is planned whole, up front.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from html import escape

from castwright.speech.render import SectionPlan
from castwright.speech.text.chunking import split_sentences
from castwright.speech.text.markup import parse_script
from castwright.speeches.planning import TtsOptions, plan_speech
from castwright.voices.catalogue import VoiceCatalogue

__all__ = ["StreamPlan", "plan_stream"]

_BLOCK_CHARS = 1_000  # sentences planned together after the first


@dataclass(frozen=True)
class StreamPlan:
    """Iterate it for the stream's section plans, in order."""

    catalogue: VoiceCatalogue
    options: TtsOptions
    speed: float
    planned: tuple[SectionPlan, ...]  # markup: everything, planned up front
    blocks: tuple[str, ...]  # plain text: planned one block at a time

    def __iter__(self) -> Iterator[SectionPlan]:
        yield from self.planned
        for block in self.blocks:
            yield from self._plan(block)

    def _plan(self, script: str) -> list[SectionPlan]:
        plans = plan_speech(parse_script(script), self.options, self.catalogue)
        # Planned at speed 1: plan_speech holds AudioStack's 0.5-3; the stream checked its own.
        return [replace(plan, speed=self.speed) for plan in plans]


def plan_stream(
    text: str,
    markup: bool,
    options: TtsOptions,
    catalogue: VoiceCatalogue,
    speed: float,
    language: str,
) -> StreamPlan:
    """Parse and check the whole text now (Invalid before any byte is sent; cheap without
    normalisation), and leave plain text's normalising to the blocks."""
    script = text if markup else escape(text, quote=False)
    document = parse_script(script)
    unchecked = replace(options, voice_intelligence=False)
    if document.uses_markup:
        planned = tuple(replace(p, speed=speed) for p in plan_speech(document, options, catalogue))
        return StreamPlan(catalogue, options, speed, planned, ())
    plan_speech(document, unchecked, catalogue)  # every check planning makes, for the whole
    sentences = split_sentences(text, language)
    blocks: list[str] = []
    for sentence in sentences:
        if len(blocks) > 1 and len(blocks[-1]) + len(sentence) < _BLOCK_CHARS:
            blocks[-1] = f"{blocks[-1]} {sentence}"
        else:
            blocks.append(sentence)
    escaped = blocks if markup else [escape(b, quote=False) for b in blocks]
    return StreamPlan(catalogue, options, speed, (), tuple(escaped))
