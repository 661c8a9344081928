"""From a script and a TTS request to the list of section files to render.

Planning is cheap (no synthesis), so it runs at request time too: every mistake a caller can
fix (unknown voice, missing placeholder value, unknown section) is a 4xx before any job exists.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from castwright.dictionaries.lexicon import EMPTY_LEXICON, Lexicon
from castwright.errors import Invalid
from castwright.speech.render import SectionPlan, prepare_section
from castwright.speech.text.document import ScriptDocument, Section
from castwright.voices.catalogue import VoiceCatalogue

__all__ = ["SectionOverride", "TtsOptions", "parse_padding", "plan_speech"]

MIN_SPEED, MAX_SPEED = 0.5, 3.0
MAX_PADDING_SECONDS = 30.0
MAX_AUDIENCE_COMBINATIONS = 100
_PADDING = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(us|ms|s)?\s*$", re.IGNORECASE)


def parse_padding(value: str | float | int | None, field_name: str = "silencePadding") -> float:
    """Seconds of padding. Documented as microseconds; '500ms' and '1.5s' are accepted too."""
    if value is None or value == "":
        return 0.0
    match = _PADDING.match(str(value))
    if not match:
        raise Invalid(
            "must be microseconds (e.g. '500000') or a duration such as '500ms' or '1.5s'",
            field=field_name,
        )
    amount, unit = float(match.group(1)), (match.group(2) or "us").lower()
    seconds = amount / {"us": 1e6, "ms": 1e3, "s": 1.0}[unit]
    if seconds > MAX_PADDING_SECONDS:
        raise Invalid(f"may not exceed {MAX_PADDING_SECONDS:g} seconds", field=field_name)
    return seconds


def check_speed(value: float, field_name: str = "speed") -> float:
    if not MIN_SPEED <= value <= MAX_SPEED:
        raise Invalid(f"must be between {MIN_SPEED} and {MAX_SPEED}", field=field_name)
    return value


@dataclass(frozen=True)
class SectionOverride:
    voice: str | None = None
    speed: float | None = None
    silence_padding: str | None = None


@dataclass(frozen=True)
class TtsOptions:
    voice: str | None = None
    speed: float = 1.0
    silence_padding: str | None = None
    audience: dict[str, Any] = field(default_factory=dict)
    sections: dict[str, SectionOverride] = field(default_factory=dict)
    section_to_produce: str | None = None
    voice_intelligence: bool = False
    # The organisation's pronunciation dictionaries (load_lexicon), loaded once per request or
    # job. Not part of as_json: a job loads the dictionaries as they are when it renders.
    lexicon: Lexicon = field(default=EMPTY_LEXICON, compare=False, repr=False)

    def as_json(self) -> dict[str, Any]:
        return {
            "voice": self.voice,
            "speed": self.speed,
            "silencePadding": self.silence_padding,
            "audience": self.audience,
            "sections": {name: vars(o) for name, o in sorted(self.sections.items())},
            "sectionToProduce": self.section_to_produce,
            "voiceIntelligence": self.voice_intelligence,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TtsOptions:
        return cls(
            voice=data.get("voice"),
            speed=data.get("speed", 1.0),
            silence_padding=data.get("silencePadding"),
            audience=data.get("audience") or {},
            sections={k: SectionOverride(**v) for k, v in (data.get("sections") or {}).items()},
            section_to_produce=data.get("sectionToProduce"),
            voice_intelligence=bool(data.get("voiceIntelligence")),
        )


def _audience_combinations(audience: dict[str, Any]) -> list[dict[str, str]]:
    """Arrays expand to the Cartesian product of all keys."""
    keys = sorted(audience)
    choices: list[list[str]] = []
    for key in keys:
        value = audience[key]
        values = value if isinstance(value, list) else [value]
        if not values or not all(isinstance(v, str | int | float) for v in values):
            raise Invalid("must be a string or a list of strings", field=f"audience.{key}")
        choices.append([str(v) for v in values])
    combos = [dict(zip(keys, c, strict=True)) for c in itertools.product(*choices)]
    if len(combos) > MAX_AUDIENCE_COMBINATIONS:
        raise Invalid(
            f"expands to {len(combos)} combinations; at most "
            f"{MAX_AUDIENCE_COMBINATIONS} are allowed",
            field="audience",
        )
    return combos


def _selected_sections(document: ScriptDocument, name: str | None) -> list[Section]:
    if not name:
        return document.sections
    chosen = [s for s in document.sections if s.name == name or s.parent == name]
    if not chosen:
        raise Invalid(
            f"no section or sub-section named {name!r}; the script has "
            f"{', '.join(s.name for s in document.sections)}",
            field="sectionToProduce",
        )
    return chosen


def plan_speech(
    document: ScriptDocument, options: TtsOptions, catalogue: VoiceCatalogue
) -> list[SectionPlan]:
    known = {s.name for s in document.sections} | {s.parent for s in document.sections if s.parent}
    for name in options.sections:
        if name not in known:
            raise Invalid(f"the script has no section named {name!r}", field=f"sections.{name}")
    check_speed(options.speed)
    default_voice = catalogue.resolve(options.voice)
    default_padding = parse_padding(options.silence_padding)
    voice_intelligence = options.voice_intelligence or document.uses_markup
    plans: list[SectionPlan] = []
    for section in _selected_sections(document, options.section_to_produce):
        # A sub-section takes its own override, else its parent's, else the request's.
        override = (
            options.sections.get(section.name)
            or (options.sections.get(section.parent) if section.parent else None)
            or SectionOverride()
        )
        where = f"sections.{section.name}"
        voice = (
            catalogue.resolve(override.voice, f"{where}.voice") if override.voice else default_voice
        )
        speed = (
            check_speed(override.speed, f"{where}.speed")
            if override.speed is not None
            else options.speed
        )
        padding = (
            parse_padding(override.silence_padding, f"{where}.silencePadding")
            if override.silence_padding is not None
            else default_padding
        )
        seen: list[dict[str, str]] = []
        for combo in _audience_combinations(options.audience):
            audience = {k: v for k, v in combo.items() if k in section.placeholders}
            if audience in seen:
                continue
            seen.append(audience)
            prepared = prepare_section(
                section,
                audience,
                voice.language_code,
                voice_intelligence,
                options.lexicon.for_voice(voice),
            )
            plans.append(
                SectionPlan(
                    section.name,
                    section.parent,
                    section.sound_segment,
                    audience,
                    voice,
                    speed,
                    padding,
                    tuple(prepared.segments),
                    prepared.lexicon_key,
                    prepared.notes,
                )
            )
    return plans
