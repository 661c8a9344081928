"""Advert rules: check the brief, choose mood, tone and voice, write, fit, store as a script.

The built-in writer always works. When the operator configures a chat model it writes
instead, its output checked the same way; on any failure the built-in writer answers and the
response says why in a warning.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from castwright.content.length import SpokenLength
from castwright.content.recommend import recommender_for
from castwright.errors import CastwrightError, Invalid
from castwright.models.script import Script, ScriptVersion
from castwright.nlp.advert.chat import ChatEndpoint, ChatFailed, ChatWriter
from castwright.nlp.advert.draft import Advert, parse_advert
from castwright.nlp.advert.editing import (
    MAX_SECONDS,
    MIN_SECONDS,
    EditRequest,
    apply_edit,
    parse_instruction,
)
from castwright.nlp.advert.writer import AdvertBrief, write_advert
from castwright.nlp.vocabulary import MOODS, TONES, label_names
from castwright.runtime import Runtime
from castwright.scripts.service import ScriptFields, ScriptService
from castwright.voices.catalogue import Voice

__all__ = ["AdvertResult", "AdvertService", "EditFields", "GenerateFields"]

log = logging.getLogger("castwright.content")

MAX_NAME_CHARS = 200
MAX_DESCRIPTION_CHARS = 2000
MAX_AD_TEXT_CHARS = 20_000
_PROJECT = "adverts"
# Persona tags that suit each tone, best first; the advert voice is chosen by them.
_VOICE_TAGS = {
    "energetic": ("energetic", "upbeat"),
    "upbeat": ("upbeat", "bright", "energetic"),
    "urgent": ("energetic", "confident"),
    "friendly": ("friendly", "warm", "casual"),
    "conversational": ("casual", "relaxed", "friendly"),
    "humorous": ("casual", "characterful", "upbeat"),
    "professional": ("professional", "clear"),
    "authoritative": ("authoritative", "confident", "deep"),
    "informative": ("clear", "neutral", "steady"),
    "warm": ("warm", "gentle"),
    "empathetic": ("gentle", "warm", "calm"),
    "calm": ("calm", "relaxed", "gentle"),
    "luxurious": ("elegant", "deep", "calm"),
    "inspirational": ("confident", "warm", "bright"),
}
_WORDS = re.compile(r"[A-Za-z']+")
_ADVERT_MOODS = (
    "happy",
    "energetic",
    "calm",
    "hopeful",
    "playful",
    "nostalgic",
    "romantic",
    "festive",
)


@dataclass(frozen=True)
class GenerateFields:
    product_name: str | None
    product_description: str | None
    mood: str | None = None
    tone: str | None = None
    third_person: bool = True
    ad_length: int | None = None


@dataclass(frozen=True)
class EditFields:
    ad_text: str | None
    product_name: str | None
    product_description: str | None
    instruction: str | None
    ad_length: int | None = None


@dataclass(frozen=True)
class AdvertResult:
    """A written advert and what was chosen for it; ``metadata`` goes onto its script."""

    advert: Advert
    seconds: float
    ad_name: str
    mood: str
    tone: str
    voice: Voice
    tags: list[str]
    writer: str
    metadata: dict[str, object]
    warnings: list[str] = field(default_factory=list)


def _required(value: str | None, field_name: str, most: int) -> str:
    if value is None or not value.strip():
        raise Invalid("is required and may not be empty", field=field_name)
    if len(value) > most:
        raise Invalid(f"may be at most {most} characters", field=field_name)
    if "\x00" in value:
        raise Invalid("may not contain NUL characters", field=field_name)
    return value.strip()


def _choice(value: str | None, allowed: list[str], field_name: str) -> str | None:
    if value is None or not value.strip():
        return None
    wanted = value.strip().lower()
    if wanted not in allowed:
        raise Invalid(f"must be one of {', '.join(allowed)}", field=field_name)
    return wanted


def _seconds(value: int | None, default: int | None) -> float | None:
    if value is None:
        return None if default is None else float(default)
    if not MIN_SECONDS <= value <= MAX_SECONDS:
        raise Invalid(
            f"must be between {MIN_SECONDS:g} and {MAX_SECONDS:g} seconds", field="adLength"
        )
    return float(value)


class AdvertService:
    """Writing takes seconds (and maybe a chat model's answer), so it happens outside any
    transaction: ``generate``/``edit`` write, then ``store`` saves the script in the caller's
    unit of work."""

    def __init__(self, runtime: Runtime, org_id: str) -> None:
        self.runtime = runtime
        self.org_id = org_id
        self.warnings: list[str] = []

    # -- choices -------------------------------------------------------------------------

    def _recommended(self, text: str, kind: str, fallback: str) -> str:
        try:
            recommender = recommender_for(self.runtime.settings)
            if kind == "tone":
                return recommender.tones(text, 1)[0].label
            # A product description rarely reads as grief or mystery; an advert's mood is
            # the best-ranked one that suits selling something.
            ranked = recommender.moods(text, len(MOODS))
            return next(r.label for r in ranked if r.label in _ADVERT_MOODS)
        except CastwrightError as error:
            self.warnings.append(f"{kind}: {fallback} chosen; {error.errors[0]}")
            return fallback

    def _tags(self, text: str, mood: str, tone: str) -> list[str]:
        tags = [mood, tone]
        try:
            for match in recommender_for(self.runtime.settings).iab(text, 2):
                tags.extend(t for t in (match.node.tiers[0], match.node.name) if t not in tags)
        except CastwrightError:
            pass  # the vocabulary tags stand on their own
        return tags

    def _voice(self, tone: str, seed: str) -> Voice:
        """An English espeak-ng persona whose tags suit the tone: it renders in milliseconds,
        so the advert's length is measured, not guessed."""
        wanted = _VOICE_TAGS.get(tone, ())
        voices = [
            v
            for v in self.runtime.voices
            if v.engine == "espeak-ng"
            and v.language_code.startswith("en")
            and v.tags
            and "multilingual-catalogue" not in v.tags
        ]
        if not voices:
            return self.runtime.voices.resolve(None)

        def score(voice: Voice) -> tuple[float, str]:
            fit = sum(len(wanted) - i for i, tag in enumerate(wanted) if tag in voice.tags)
            # Ties go to a voice chosen by the product, so adverts are not all one voice.
            tie = hashlib.sha256(f"{seed}|{voice.alias}".encode()).hexdigest()
            return (-fit, tie)

        return min(voices, key=score)

    def _chat_writer(self, voice_meter: SpokenLength) -> ChatWriter | None:
        content = self.runtime.settings.content
        if not content.chat_url:
            return None
        sample = "This sentence is here to measure how many words this voice says per second."
        words_per_second = len(_WORDS.findall(sample)) / max(voice_meter(sample), 0.1)
        endpoint = ChatEndpoint(
            content.chat_url,
            content.chat_model,
            content.chat_api_key.get_secret_value(),
            content.chat_timeout_seconds,
        )
        return ChatWriter(endpoint, words_per_second)

    def store(self, session: Session, result: AdvertResult) -> tuple[Script, ScriptVersion]:
        """The advert as a new script in the adverts project, ready to render."""
        name = str(result.metadata["productName"])
        fields = ScriptFields(
            project_name=_PROJECT,
            module_name=name[:200],
            script_name=result.ad_name[:200],
            metadata=dict(result.metadata),
        )
        return ScriptService(session, self.org_id).create(result.advert.markup(), fields)

    # -- generate --------------------------------------------------------------------------

    def generate(self, fields: GenerateFields) -> AdvertResult:
        name = _required(fields.product_name, "productName", MAX_NAME_CHARS)
        description = _required(
            fields.product_description, "productDescription", MAX_DESCRIPTION_CHARS
        )
        mood = _choice(fields.mood, label_names(MOODS), "mood")
        tone = _choice(fields.tone, label_names(TONES), "tone")
        seconds = _seconds(fields.ad_length, 30)
        assert seconds is not None
        about = f"{name}. {description}"
        mood = mood or self._recommended(about, "mood", "happy")
        tone = tone or self._recommended(about, "tone", "friendly")
        voice = self._voice(tone, name)
        meter = SpokenLength(self.runtime, self.runtime.voices, voice.alias)
        brief = AdvertBrief(name, description, mood, tone, fields.third_person, seconds)
        advert, measured, writer = self._write(brief, meter)
        ad_name = f"{name} - {int(seconds)}s {tone} advert"
        tags = self._tags(about, mood, tone)
        metadata: dict[str, object] = {
            "adName": ad_name,
            "adLength": int(seconds),
            "mood": mood,
            "tone": tone,
            "voice": voice.alias,
            "writer": writer,
            "productName": name,
        }
        return AdvertResult(
            advert, measured, ad_name, mood, tone, voice, tags, writer, metadata, self.warnings
        )

    def _write(self, brief: AdvertBrief, meter: SpokenLength) -> tuple[Advert, float, str]:
        chat = self._chat_writer(meter)
        if chat is not None:
            try:
                advert = chat.write(
                    brief.product_name,
                    brief.product_description,
                    brief.mood,
                    brief.tone,
                    brief.third_person,
                    brief.seconds,
                    meter,
                )
                return advert, advert.seconds(meter), "chat"
            except ChatFailed as failure:
                log.warning("chat writer failed, using the built-in writer: %s", failure.reason)
                self.warnings.append(f"writer: {failure.reason}; the built-in writer was used")
        advert, measured = write_advert(brief, meter)
        return advert, measured, "builtin"

    # -- edit ------------------------------------------------------------------------------

    def edit(self, fields: EditFields) -> AdvertResult:
        text = _required(fields.ad_text, "adText", MAX_AD_TEXT_CHARS)
        name = _required(fields.product_name, "productName", MAX_NAME_CHARS)
        description = _required(
            fields.product_description, "productDescription", MAX_DESCRIPTION_CHARS
        )
        instruction = _required(fields.instruction, "instruction", 1000)
        advert = parse_advert(text)
        if not advert.plain_text():
            raise Invalid("has no sentences to edit", field="adText")
        requested = _seconds(fields.ad_length, None)
        mood = self._recommended(advert.plain_text(), "mood", "happy")
        tone = self._recommended(advert.plain_text(), "tone", "friendly")
        voice = self._voice(tone, name)
        meter = SpokenLength(self.runtime, self.runtime.voices, voice.alias)
        current = advert.seconds(meter)
        edited, measured, writer = self._edit(
            advert, instruction, name, description, requested, current, meter, mood, tone
        )
        ad_name = f"{name} - edited advert"
        metadata: dict[str, object] = {
            "adName": ad_name,
            "adLength": round(measured),
            "instruction": instruction,
            "voice": voice.alias,
            "writer": writer,
            "productName": name,
        }
        tags = self._tags(f"{name}. {description}", mood, tone)
        warnings = [*self.warnings, *(f"edit: {note}" for note in edited.notes)]
        return AdvertResult(
            edited, measured, ad_name, mood, tone, voice, tags, writer, metadata, warnings
        )

    def _edit(
        self,
        advert: Advert,
        instruction: str,
        name: str,
        description: str,
        requested: float | None,
        current: float,
        meter: SpokenLength,
        mood: str,
        tone: str,
    ) -> tuple[Advert, float, str]:
        chat = self._chat_writer(meter)
        if chat is not None:
            try:
                understood = parse_instruction(instruction)
                target = understood.seconds or current * (understood.scale or 1.0)
            except Invalid:
                target = current  # the chat model may understand what the rules do not
            target = min(MAX_SECONDS, max(MIN_SECONDS, requested or target))
            try:
                edited = chat.edit(advert, instruction, name, description, target, meter)
                return edited, edited.seconds(meter), "chat"
            except ChatFailed as failure:
                log.warning("chat editor failed, using the built-in editor: %s", failure.reason)
                self.warnings.append(f"writer: {failure.reason}; the built-in editor was used")
        request = EditRequest(
            advert, instruction, name, description, requested or current, requested is not None
        )
        edited, measured = apply_edit(request, meter, mood, tone)
        return edited, measured, "builtin"
