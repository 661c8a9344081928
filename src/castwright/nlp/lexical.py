"""Lexical signals that sentence embeddings miss: sentiment strength and exclamation.

Embeddings place "a sad story" and "a happy story" close together (same topic, same form);
VADER's sentiment lexicon separates them, and how many sentences end in "!" says a lot about
energy. Each label has an affinity to each signal; the adjustment added to a label's
similarity is the sum of signal x affinity x weight. The weights were chosen on a third of
the evaluation set and checked on the other two thirds (tests/content, docs/content.md).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "MOOD_AFFINITY",
    "TONE_AFFINITY",
    "Affinity",
    "LexicalSignals",
    "adjustments",
    "signals_of",
]

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class LexicalSignals:
    sentiment: float  # VADER compound, -1 (negative) to 1 (positive)
    exclamation: float  # share of sentences ending in "!"

    @property
    def neutrality(self) -> float:
        return 1.0 - abs(self.sentiment)


@dataclass(frozen=True)
class Affinity:
    """Per-label affinities to each signal, and the weight of each signal."""

    sentiment: dict[str, float]
    neutrality: dict[str, float]
    exclamation: dict[str, float]
    weights: tuple[float, float, float]


MOOD_AFFINITY = Affinity(
    sentiment={
        "happy": 1.0,
        "hopeful": 0.7,
        "festive": 0.5,
        "playful": 0.5,
        "romantic": 0.5,
        "energetic": 0.3,
        "dramatic": -0.3,
        "urgent": -0.6,
        "mysterious": -0.6,
        "serious": -0.8,
        "melancholic": -1.0,
    },
    neutrality={"calm": 1.0, "serious": 0.5, "reflective": 0.3},
    exclamation={
        "energetic": 1.0,
        "urgent": 0.7,
        "happy": 0.5,
        "festive": 0.5,
        "serious": -0.5,
        "reflective": -0.5,
        "melancholic": -0.5,
        "calm": -1.0,
    },
    weights=(0.08, 0.06, 0.02),
)

TONE_AFFINITY = Affinity(
    sentiment={
        "upbeat": 0.7,
        "friendly": 0.5,
        "warm": 0.5,
        "inspirational": 0.5,
        "urgent": -0.3,
        "authoritative": -0.3,
        "empathetic": -0.5,
    },
    neutrality={"informative": 1.0, "professional": 0.6, "calm": 0.3},
    exclamation={
        "energetic": 1.0,
        "upbeat": 0.8,
        "urgent": 0.8,
        "friendly": 0.3,
        "empathetic": -0.5,
        "authoritative": -0.5,
        "informative": -1.0,
        "professional": -1.0,
        "calm": -1.0,
        "luxurious": -1.0,
    },
    weights=(0.04, 0.02, 0.06),
)


@functools.cache
def _analyser() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def signals_of(text: str) -> LexicalSignals:
    sentences = [s for s in _SENTENCE_END.split(text.strip()) if s.strip()] or [text]
    exclaimed = sum(1 for s in sentences if s.rstrip().endswith("!"))
    compound = float(_analyser().polarity_scores(text)["compound"])
    return LexicalSignals(compound, exclaimed / len(sentences))


def adjustments(
    signals: LexicalSignals, labels: list[str], affinity: Affinity
) -> npt.NDArray[np.float32]:
    """What to add to each label's similarity, in the order of ``labels``."""
    w_sentiment, w_neutral, w_exclaim = affinity.weights
    return np.array(
        [
            w_sentiment * signals.sentiment * affinity.sentiment.get(name, 0.0)
            + w_neutral * signals.neutrality * affinity.neutrality.get(name, 0.0)
            + w_exclaim * signals.exclamation * affinity.exclamation.get(name, 0.0)
            for name in labels
        ],
        dtype=np.float32,
    )
