"""Editing an advert with a plain instruction: shorter, longer, more formal, add a discount,
change the call to action, mention or remove something.

An instruction may ask for several changes ("shorter and more formal"). Sentences the writer
could have produced for this product are interchangeable; anything else (the caller's own
lines, an added discount, a custom call to action) is the caller's and is kept.
"""

from __future__ import annotations

import functools
import hashlib
import random
import re
from dataclasses import dataclass

from castwright.errors import Invalid
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
)
from castwright.nlp.advert.writer import (
    AdvertBrief,
    PhraseFiller,
    candidates_for,
    description_sentences,
)

__all__ = ["EDIT_HELP", "EditRequest", "Instruction", "apply_edit", "parse_instruction"]

EDIT_HELP = (
    "the built-in editor understands: shorter, longer, '<n> seconds', more formal, more casual, "
    "more energetic, calmer, more luxurious, add a discount (e.g. '20% off', 'code SAVE10'), "
    "change the call to action to '...', mention '...', remove '...'"
)
_SHORTER = re.compile(r"\b(shorter|shorten|trim|cut\b|concise|brief|tighter)", re.IGNORECASE)
_LONGER = re.compile(r"\b(longer|lengthen|expand|extend|more detail|flesh)", re.IGNORECASE)
_SECONDS = re.compile(r"\b(\d{1,3})\s*-?\s*(s|secs?|seconds?)\b", re.IGNORECASE)
_TONE_WORDS = (
    (re.compile(r"\b(formal|professional|serious|corporate)\b", re.I), "professional"),
    (re.compile(r"\b(casual|informal|friendl\w*|relaxed|chatty|fun)\b", re.I), "friendly"),
    (re.compile(r"\b(energetic|exciting|punch\w*|bold\w*|upbeat|lively)\b", re.I), "energetic"),
    (re.compile(r"\b(calm\w*|warm\w*|gentle\w*|soft\w*|soothing)\b", re.I), "warm"),
    (re.compile(r"\b(luxur\w*|premium|upmarket|elegant|classy)\b", re.I), "luxurious"),
)
_DISCOUNT = re.compile(r"\b(discount|% off|percent off|promo|coupon|voucher|code)\b|%", re.I)
_PERCENT = re.compile(r"(\d{1,2})\s*(%|percent)", re.IGNORECASE)
_AMOUNT = re.compile(r"(?:[$£€]\s?\d+(?:\.\d\d)?|\d+\s*(?:dollars|pounds|euros))", re.IGNORECASE)
_CODE = re.compile(r"\bcode\s*:?\s*['\"]?([A-Za-z0-9]{3,20})", re.IGNORECASE)
_CTA = re.compile(
    r"\b(?:call to action|call-to-action|cta)\b(?:\s+(?:to|with|into|so it says|:))?\s*:?\s*(.*)$",
    re.IGNORECASE,
)
_MENTION = re.compile(r"\b(?:mention|add|include|say)\s+(?:that\s+)?(.+)$", re.IGNORECASE)
_REMOVE = re.compile(
    r"\b(?:remove|drop|delete|do not mention|don't mention|leave out)\s+(?:the\s+)?(?:line\s+)?"
    r"(?:about\s+)?(.+)$",
    re.IGNORECASE,
)
_QUOTED = re.compile("[\"\u201c\u2018'](.+?)[\"\u201d\u2019']")
_SCALE_SHORTER, _SCALE_LONGER = 0.7, 1.4
MIN_SECONDS, MAX_SECONDS = 5.0, 120.0


@dataclass(frozen=True)
class Instruction:
    """What an instruction asks for; None or empty means "no change of that kind"."""

    scale: float | None = None
    seconds: float | None = None
    tone: str | None = None
    discount: str | None = None
    call_to_action: str | None = None  # "" asks for a different built-in one
    mention: str | None = None
    remove: str | None = None

    @property
    def empty(self) -> bool:
        return self == Instruction()


@dataclass(frozen=True)
class EditRequest:
    advert: Advert
    instruction: str
    product_name: str
    product_description: str
    seconds: float  # the caller's adLength, else the advert's own length
    length_given: bool = False  # the caller asked for ``seconds``: it wins over the instruction
    third_person: bool = True


def _quoted_or_rest(text: str) -> str:
    quoted = _QUOTED.search(text)
    return clean_text(quoted.group(1) if quoted else text).strip(" .")


def _discount_sentence(instruction: str) -> str:
    percent = _PERCENT.search(instruction)
    amount = _AMOUNT.search(instruction)
    code = _CODE.search(instruction)
    if percent:
        offer = f"Save {percent.group(1)} percent this week"
    elif amount:
        offer = f"Save {amount.group(0).strip()} this week"
    else:
        offer = "For a limited time, enjoy an introductory discount"
    if code:
        offer += f" with the code {code.group(1).upper()}"
    return offer + "."


def parse_instruction(text: str) -> Instruction:
    """The changes an instruction asks for. Raises Invalid when it asks for none we know."""
    words = clean_text(text)
    if not words:
        raise Invalid("is required", field="instruction")
    seconds_match = _SECONDS.search(words)
    cta = _CTA.search(words)
    changes = Instruction(
        seconds=float(seconds_match.group(1)) if seconds_match else None,
        scale=_SCALE_SHORTER
        if _SHORTER.search(words)
        else _SCALE_LONGER
        if _LONGER.search(words)
        else None,
        tone=next((tone for pattern, tone in _TONE_WORDS if pattern.search(words)), None),
        discount=_discount_sentence(words) if _DISCOUNT.search(words) and not cta else None,
        call_to_action=_quoted_or_rest(cta.group(1)) if cta else None,
    )
    if changes.discount is None and changes.call_to_action is None:
        removal = _REMOVE.search(words)
        mention = None if removal else _MENTION.search(words)
        changes = Instruction(
            changes.scale,
            changes.seconds,
            changes.tone if not (removal or mention) else None,
            None,
            None,
            _quoted_or_rest(mention.group(1)) if mention else None,
            _quoted_or_rest(removal.group(1)) if removal else None,
        )
    if changes.empty:
        raise Invalid(f"was not understood; {EDIT_HELP}", field="instruction")
    return changes


@functools.lru_cache(maxsize=64)
def _writer_sentences(name: str, description: str) -> frozenset[str]:
    """Every sentence the built-in writer could produce for this product, in any style."""
    out: set[str] = {*split_sentences(description), *description_sentences(name, description)}
    for mood in MOOD_WORDS:
        fill = PhraseFiller(name, mood)
        for phrases in STYLES.values():
            for line in (*phrases.hooks, *phrases.fillers, *phrases.calls):
                out.add(fill(line))
            for pair in (
                *phrases.introductions,
                *phrases.benefits,
                *phrases.proofs,
                *phrases.closers,
            ):
                out.update(fill(line) for line in pair)
        for opener in OPENERS:
            out.update(fill(f"{opener} {outcome}.") for outcome in OUTCOMES)
        for count in PROOF_COUNTS:
            for people in PROOF_PEOPLE:
                out.update(fill(f"{count} {people} {verb}.") for verb in PROOF_VERBS)
    out.update(s[0].upper() + s[1:] for s in list(out) if s)
    out.update(piece for line in list(out) for piece in split_sentences(line))
    return frozenset(out)


def _current(advert: Advert, own: frozenset[str]) -> list[Candidate]:
    """The advert as candidates: the caller's own lines and the call to action are kept."""
    out: list[Candidate] = []
    for section, sentences in advert.sections().items():
        for index, sentence in enumerate(sentences):
            keep = sentence not in own or (section == "outro" and index == 0)
            first_of_intro = section == "intro" and index == len(sentences) - 1
            priority = 0 if keep or first_of_intro else 3
            out.append(Candidate(section, sentence, priority, float(index)))
    return out


def apply_edit(
    request: EditRequest, length_of: LengthOf, mood: str = "happy", tone: str = "friendly"
) -> tuple[Advert, float]:
    """The edited advert and its measured length."""
    change = parse_instruction(request.instruction)
    name = clean_text(request.product_name)
    description = clean_text(request.product_description)
    own = _writer_sentences(name, description)
    if request.length_given:
        target = request.seconds
    else:
        target = change.seconds or request.seconds * (change.scale or 1.0)
    target = min(MAX_SECONDS, max(MIN_SECONDS, target))
    notes: list[str] = []
    candidates = _current(request.advert, own)
    if change.tone is not None:
        # A new style: the writer's sentences are rewritten, the caller's own are kept.
        candidates = [c for c in candidates if c.text not in own]
        notes.append(f"rewritten in a {change.tone} tone")
        tone = change.tone
    brief = AdvertBrief(name, description, mood, tone, request.third_person, target)
    # Seeded by the brief and the instruction: the same edit always gives the same advert.
    salt = int.from_bytes(hashlib.sha256(request.instruction.encode()).digest()[:4], "big")
    fresh = candidates_for(brief, random.Random(brief.seed() ^ salt))
    # A section that lost its sentences gets the writer's; the main section gets fresh lines
    # to lengthen with, at a lower priority than what is already there.
    for section in ("intro", "outro"):
        if not any(c.section == section for c in candidates):
            candidates += [c for c in fresh if c.section == section]
    present = {c.text for c in candidates}
    candidates += [
        Candidate(c.section, c.text, c.priority + 10, c.place + 0.5)
        for c in fresh
        if c.section == "main" and c.priority > 0 and c.text not in present
    ]
    if change.discount:
        candidates.append(Candidate("main", change.discount, 0, 1e6))
        notes.append("added the discount")
    if change.call_to_action is not None:
        candidates = [c for c in candidates if not (c.section == "outro" and c.place == 0.0)]
        if change.call_to_action:
            call = split_sentences(change.call_to_action)[0]
        else:
            calls = [PhraseFiller(name, mood)(line) for line in STYLES[STYLE_OF_TONE[tone]].calls]
            old = request.advert.call_to_action
            call = next((line for line in calls if line != old), calls[0])
        candidates.append(Candidate("outro", call, 0, 0.0))
        notes.append("changed the call to action")
    if change.mention:
        candidates.append(Candidate("main", split_sentences(change.mention)[0], 0, 1e6 - 1))
        notes.append(f"mentioned {change.mention!r}")
    if change.remove:
        term = change.remove.lower()
        removed = sum(term in s.lower() for s in request.advert.plain_sentences())
        candidates = [c for c in candidates if term not in c.text.lower()]
        notes.append(f"removed {removed} sentences about {change.remove!r}")
    if change.scale or change.seconds:
        notes.append(f"fitted to {target:g} seconds")
    return fit(candidates, target, length_of, tuple(notes))
