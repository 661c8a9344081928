"""The built-in advert writer: deterministic, template-driven, fitted to a length.

The same brief always gives the same advert (the choices are drawn from a generator seeded
by the brief), and different products draw different hooks, benefits, proofs and calls to
action, so five adverts do not read alike. The product's own description is kept word for
word: it is the one part that is really about the product.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass

from castwright.nlp.advert.draft import Advert, LengthOf, clean_text, split_sentences
from castwright.nlp.advert.fitting import Candidate, fit
from castwright.nlp.advert.phrases import (
    MOOD_WORDS,
    OPENERS,
    OUTCOMES,
    PROOF_COUNTS,
    PROOF_PEOPLE,
    PROOF_VERBS,
    STYLE_OF_TONE,
    STYLES,
    Pair,
    StylePhrases,
)

__all__ = [
    "AdvertBrief",
    "PhraseFiller",
    "candidates_for",
    "description_sentences",
    "style_of",
    "write_advert",
]

# Styles to borrow from, in order, when a long advert needs more than its own style holds.
_NEIGHBOURS = {
    "bold": ("casual", "aspirational", "gentle", "formal"),
    "casual": ("bold", "gentle", "formal", "aspirational"),
    "formal": ("aspirational", "gentle", "casual", "bold"),
    "gentle": ("casual", "aspirational", "formal", "bold"),
    "aspirational": ("formal", "gentle", "bold", "casual"),
}
_ARTICLE = re.compile(r"^(a|an|the)\s", re.IGNORECASE)
_ARTICLE_BEFORE_VOWEL = re.compile(r"\b([Aa]) ([aeiouAEIOU])")


@dataclass(frozen=True)
class AdvertBrief:
    product_name: str
    product_description: str
    mood: str
    tone: str
    third_person: bool
    seconds: float

    def seed(self) -> int:
        described = "\x1f".join(
            [
                self.product_name,
                self.product_description,
                self.mood,
                self.tone,
                str(self.third_person),
                f"{self.seconds:g}",
            ]
        )
        return int.from_bytes(hashlib.sha256(described.encode()).digest()[:8], "big")


def style_of(tone: str) -> str:
    return STYLE_OF_TONE.get(tone, "casual")


class PhraseFiller:
    """Fills a template's {name}, {feel} and {more}."""

    def __init__(self, name: str, mood: str) -> None:
        self.name = name
        self.feel, self.more = MOOD_WORDS.get(mood, ("great", "better"))

    def __call__(self, template: str) -> str:
        # str.replace, not str.format: a product name may itself hold braces or percent signs.
        filled = template.replace("{feel}", self.feel).replace("{more}", self.more)
        filled = _ARTICLE_BEFORE_VOWEL.sub(r"\1n \2", filled)  # "a intriguing" -> "an ..."
        return filled.replace("{name}", self.name)


def _pick(pair: Pair, third_person: bool) -> str:
    return pair[0] if third_person else pair[1]


def description_sentences(name: str, description: str) -> list[str]:
    """The description as sentences, word for word, its first one joined to the name."""
    sentences = split_sentences(description)
    if sentences and _ARTICLE.match(sentences[0]):
        # "A lamp that ..." reads as a fragment after the name: "Lumina is a lamp that ..."
        first = sentences[0]
        sentences[0] = f"{name} is {first[0].lower()}{first[1:]}"
    return sentences


def _combined_lines(rng: random.Random, count: int) -> list[str]:
    """Benefit and proof sentences assembled from shared parts, all different."""
    halves = (count // 2 + count % 2, count // 2)
    # Parts drawn without replacement (cycled when asked for more), so no two lines share one.
    openers, outcomes = _draw(rng, OPENERS, halves[0]), _draw(rng, OUTCOMES, halves[0])
    counts, people = _draw(rng, PROOF_COUNTS, halves[1]), _draw(rng, PROOF_PEOPLE, halves[1])
    verbs = _draw(rng, PROOF_VERBS, halves[1])
    lines = [f"{o} {c}." for o, c in zip(openers, outcomes, strict=True)]
    lines += [f"{c} {p} {v}." for c, p, v in zip(counts, people, verbs, strict=True)]
    return [line[0].upper() + line[1:] for line in lines]


def _draw(rng: random.Random, parts: tuple[str, ...], count: int) -> list[str]:
    shuffled = rng.sample(parts, len(parts))
    return [shuffled[i % len(shuffled)] for i in range(count)]


def candidates_for(brief: AdvertBrief, rng: random.Random) -> list[Candidate]:
    style = style_of(brief.tone)
    fill = PhraseFiller(brief.product_name, brief.mood)
    third = brief.third_person
    own: StylePhrases = STYLES[style]
    out = [
        Candidate("intro", fill(rng.choice(own.hooks)), 2, 0.0),
        Candidate("intro", fill(_pick(rng.choice(own.introductions), third)), 0, 1.0),
        Candidate("outro", fill(rng.choice(own.calls)), 0, 0.0),
        Candidate("outro", fill(_pick(rng.choice(own.closers), third)), 3, 1.0),
    ]
    for index, sentence in enumerate(
        description_sentences(brief.product_name, brief.product_description)
    ):
        out.append(Candidate("main", sentence, 1 if index == 0 else 4, float(index)))
    # Benefits and proofs interleave in the main section: the style's own lines mixed with
    # combined ones (many more possible sentences), then lines borrowed from other styles.
    own_lines = [_pick(p, third) for p in (*own.benefits, *own.proofs)]
    lines = rng.sample(own_lines, len(own_lines) // 2) + _combined_lines(rng, 8)
    rng.shuffle(lines)
    place = 100.0
    for line in lines:
        out.append(Candidate("main", fill(line), 5, place))
        place += 1.0
    for rank, name in enumerate(_NEIGHBOURS[style], start=6):
        phrases = STYLES[name]
        borrowed = [_pick(p, third) for p in (*phrases.benefits, *phrases.proofs)]
        for line in rng.sample(borrowed, len(borrowed)):
            out.append(Candidate("main", fill(line), rank, place + rng.random()))
            place += 1.0
    # Fillers come last: short lines that close a small gap.
    for line in rng.sample(own.fillers, len(own.fillers)):
        out.append(Candidate("main", fill(line), 20, 10_000.0 + rng.random()))
    return out


def write_advert(brief: AdvertBrief, length_of: LengthOf) -> tuple[Advert, float]:
    """The advert for ``brief`` and its measured spoken length in seconds."""
    brief = AdvertBrief(
        clean_text(brief.product_name),
        clean_text(brief.product_description),
        brief.mood,
        brief.tone,
        brief.third_person,
        brief.seconds,
    )
    rng = random.Random(brief.seed())
    notes = (f"written by the built-in writer in its {style_of(brief.tone)} style",)
    return fit(candidates_for(brief, rng), brief.seconds, length_of, notes)
