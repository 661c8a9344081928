"""Choosing sentences so an advert runs for its target length.

Every candidate sentence has a section, a priority (0: always kept) and a place in its
section. Sentences are measured one by one; the choice is greedy by priority (what matters
most goes in first), then short sentences close the gap. Sentences do not add up exactly
(a section has one start and one end, not one per sentence), so the chosen advert is measured
whole and chosen again with the measured correction, until it lands within the tolerance.
"""

from __future__ import annotations

from dataclasses import dataclass

from castwright.nlp.advert.draft import SECTION_NAMES, Advert, LengthOf

__all__ = ["FIT_TOLERANCE", "Candidate", "fit"]

FIT_TOLERANCE = 0.05  # aim at 5 %, so the 10 % promised holds with room to spare
_ROUNDS = 4


@dataclass(frozen=True)
class Candidate:
    section: str
    text: str
    priority: int  # 0: mandatory; then lower goes in first
    place: float  # position within its section


def _choose(
    candidates: list[Candidate], seconds: dict[str, float], target: float, scale: float
) -> list[Candidate]:
    def length(chosen: list[Candidate]) -> float:
        return scale * sum(seconds[c.text] for c in chosen)

    chosen = [c for c in candidates if c.priority == 0]
    ceiling = target * (1 + FIT_TOLERANCE)
    for candidate in sorted(
        (c for c in candidates if c.priority > 0), key=lambda c: (c.priority, c.place)
    ):
        if length(chosen) + scale * seconds[candidate.text] <= ceiling:
            chosen.append(candidate)
    # Still short: the best single swap of a chosen optional sentence for a longer one.
    gap = target - length(chosen)
    if gap > target * FIT_TOLERANCE:
        unused = [c for c in candidates if c not in chosen]
        best = min(
            (
                (abs(gap - scale * (seconds[new.text] - seconds[old.text])), old, new)
                for old in chosen
                if old.priority > 0
                for new in unused
            ),
            default=None,
            key=lambda item: item[0],
        )
        if best is not None and best[0] < gap:
            chosen = [best[2] if c is best[1] else c for c in chosen]
    return chosen


def _assemble(chosen: list[Candidate], notes: tuple[str, ...]) -> Advert:
    by_section = {
        name: tuple(c.text for c in sorted(chosen, key=lambda c: c.place) if c.section == name)
        for name in SECTION_NAMES
    }
    return Advert(by_section["intro"], by_section["main"], by_section["outro"], notes)


def fit(
    candidates: list[Candidate],
    target_seconds: float,
    length_of: LengthOf,
    notes: tuple[str, ...] = (),
) -> tuple[Advert, float]:
    """The advert closest to ``target_seconds`` and its measured length."""
    seconds = {c.text: length_of(c.text) for c in candidates}
    scale = 1.0
    best: tuple[Advert, float] | None = None
    for _ in range(_ROUNDS):
        chosen = _choose(candidates, seconds, target_seconds, scale)
        advert = _assemble(chosen, notes)
        measured = advert.seconds(length_of)
        if best is None or abs(measured - target_seconds) < abs(best[1] - target_seconds):
            best = (advert, measured)
        if abs(measured - target_seconds) <= target_seconds * FIT_TOLERANCE:
            break
        summed = sum(seconds[c.text] for c in chosen)
        if summed > 0:
            scale = measured / summed
    assert best is not None
    return best
