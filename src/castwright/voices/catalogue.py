"""The voice catalogue: personas, operator aliases and every engine voice, with AudioStack's fields.

Built once per process from the engines that are actually installed: a persona whose engine is
missing is simply not listed. Every voice carries a quality tier (voices/quality.py); the
default voice, unless the operator names one, is the most natural installed English voice,
and ``default_for(language)`` picks the most natural installed voice of any language.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from castwright.config import SpeechSettings, VoiceAlias
from castwright.errors import Invalid
from castwright.speech.engines.base import EngineVoice, SynthesisParams
from castwright.speech.engines.registry import EngineRegistry
from castwright.voices.personas import PERSONAS, Persona
from castwright.voices.quality import engine_tier, technology, tier_rank, voice_tier

__all__ = ["Voice", "VoiceCatalogue"]

# Engine-wide figures: how fast each engine speaks at rate 1.0 and how quickly it renders.
_CHARS_PER_SECOND = {
    "espeak-ng": 15.0,
    "festival": 14.0,
    "flite": 14.5,
    "piper": 15.0,
    "kokoro": 15.5,
    "fake": 16.7,
}
_TIME_PERFORMANCE = {
    "espeak-ng": "fast",
    "flite": "fast",
    "festival": "medium",
    "piper": "medium",
    "kokoro": "slow",
    "fake": "fast",
}
_TYPE = {
    "festival": "natural",  # HTS: statistical parametric, not neural
    "flite": "standard",
    "espeak-ng": "standard",
    "piper": "neural",
    "kokoro": "neural",
    "fake": "test",
}
_PROVIDER_NAMES = {
    "espeak-ng": "eSpeak NG",
    "festival": "Festival Speech Synthesis System",
    "flite": "CMU Flite",
    "piper": "Piper",
    "kokoro": "Kokoro",
    "fake": "Castwright test engine",
}


@dataclass(frozen=True)
class Voice:
    """A voice people choose by alias, and how to render it."""

    alias: str
    display_name: str
    engine: str
    engine_voice_id: str
    variant: str
    rate: float
    pitch: float
    gender: str
    age_bracket: str
    language: str
    language_code: str
    accent: str
    type: str
    tags: tuple[str, ...] = ()
    industry_examples: tuple[str, ...] = ()
    purpose: tuple[str, ...] = ()
    description: str = ""
    section_character_limit: int = 1000
    chars_per_second: float = 15.0
    time_performance: str = "fast"
    supported_languages: tuple[str, ...] = field(default=())
    quality: str = ""  # neural | natural | standard | robotic; "" : the engine's usual tier

    @property
    def tier(self) -> str:
        """How natural the voice sounds (voices/quality.py)."""
        return self.quality or engine_tier(self.engine)

    @property
    def is_persona(self) -> bool:
        """A curated voice with a human name (not a plain engine voice)."""
        return "multilingual-catalogue" not in self.tags

    @property
    def voice_id(self) -> str:
        """The provider's own id: the engine voice plus its variant."""
        return f"{self.engine_voice_id}+{self.variant}" if self.variant else self.engine_voice_id

    @property
    def provider(self) -> str:
        return self.engine

    @property
    def provider_full_name(self) -> str:
        return _PROVIDER_NAMES.get(self.engine, self.engine)

    def params(
        self, speed: float = 1.0, prosody_rate: float = 1.0, pitch: float = 1.0, volume: float = 1.0
    ) -> SynthesisParams:
        return SynthesisParams(
            rate=self.rate * speed * prosody_rate,
            pitch=self.pitch * pitch,
            volume=volume,
            variant=self.variant,
        )


def _from_engine(engine_voice: EngineVoice, persona: Persona) -> Voice:
    return Voice(
        alias=persona.alias,
        display_name=persona.display_name,
        engine=engine_voice.engine,
        engine_voice_id=engine_voice.voice_id,
        variant=persona.variant,
        rate=persona.rate,
        pitch=persona.pitch,
        gender=persona.gender,
        age_bracket=persona.age_bracket,
        language=engine_voice.language,
        language_code=engine_voice.language_code,
        accent=persona.accent or engine_voice.accent,
        type=_TYPE.get(engine_voice.engine, "standard"),
        tags=persona.tags,
        industry_examples=persona.industry_examples,
        purpose=persona.purpose,
        description=persona.description,
        chars_per_second=round(_CHARS_PER_SECOND.get(engine_voice.engine, 15.0) * persona.rate, 1),
        time_performance=_TIME_PERFORMANCE.get(engine_voice.engine, "medium"),
        supported_languages=(engine_voice.language_code,),
        quality=voice_tier(engine_voice),
    )


def _persona_for_engine_voice(engine_voice: EngineVoice) -> Persona:
    """A plain catalogue entry for an engine voice that has no persona of its own."""
    alias = f"{engine_voice.engine}-{engine_voice.voice_id}".lower()
    name = engine_voice.extra.get("name") or engine_voice.voice_id
    return Persona(
        alias=alias,
        display_name=name.replace("_", " "),
        engine=engine_voice.engine,
        voice_id=engine_voice.voice_id,
        gender=engine_voice.gender,
        accent=engine_voice.accent,
        tags=("multilingual-catalogue",),
        description=f"{engine_voice.language.title()} voice {engine_voice.voice_id}: "
        f"{technology(engine_voice)}, {voice_tier(engine_voice)} quality.",
    )


def _persona_from_alias(alias: VoiceAlias) -> Persona:
    return Persona(
        alias=alias.alias,
        display_name=alias.display_name or alias.alias.title(),
        engine=alias.engine,
        voice_id=alias.voice_id,
        variant=alias.variant,
        rate=alias.rate,
        pitch=alias.pitch,
        gender=alias.gender,
        age_bracket=alias.age_bracket,
        accent=alias.accent,
        tags=tuple(alias.tags),
        description=alias.description,
    )


def _naturalness(indexed: tuple[int, Voice]) -> tuple[int, bool, int]:
    index, voice = indexed
    # Most natural tier first; a curated voice before a plain engine voice; then list order
    # (personas are listed best first).
    return (tier_rank(voice.tier), voice.is_persona, -index)


class VoiceCatalogue:
    def __init__(self, voices: list[Voice], default_alias: str = "") -> None:
        self._voices = voices
        self._by_alias = {v.alias.lower(): v for v in voices}
        self._by_voice_id: dict[str, Voice] = {}
        for voice in voices:  # the first voice with an engine id answers for it
            self._by_voice_id.setdefault(voice.voice_id.lower(), voice)
        if default_alias and default_alias.lower() in self._by_alias:
            self.default_alias = default_alias
        else:  # none named, or the named one is not installed: the most natural English voice
            best = self.default_for("en") or (voices[0] if voices else None)
            self.default_alias = best.alias if best else default_alias

    def default_for(self, language: str) -> Voice | None:
        """The most natural installed voice for a language ("en", "en-GB", "de-DE"...).

        A voice of exactly that language and region wins; failing that, any voice of the
        language; None when the catalogue has no voice for it at all.
        """
        wanted = language.strip().lower().replace("_", "-")
        primary = wanted.split("-")[0]
        exact = [
            (i, v)
            for i, v in enumerate(self._voices)
            if "-" in wanted and v.language_code.lower() == wanted
        ]
        same = [
            (i, v)
            for i, v in enumerate(self._voices)
            if v.language_code.lower().split("-")[0] == primary
        ]
        candidates = exact or same
        return max(candidates, key=_naturalness)[1] if candidates else None

    @classmethod
    def build(cls, engines: EngineRegistry, settings: SpeechSettings) -> VoiceCatalogue:
        engine_voices = {
            (v.engine, v.voice_id.lower()): v
            for e in engines.available().values()
            for v in e.voices()
        }
        personas = [*PERSONAS, *(_persona_from_alias(a) for a in settings.voice_aliases)]
        voices: dict[str, Voice] = {}
        for persona in personas:
            engine_voice = engine_voices.get((persona.engine, persona.voice_id.lower()))
            if engine_voice is not None:  # operator aliases override personas of the same name
                voices[persona.alias.lower()] = _from_engine(engine_voice, persona)
        for engine_voice in engine_voices.values():
            plain = _persona_for_engine_voice(engine_voice)
            voices.setdefault(plain.alias, _from_engine(engine_voice, plain))
        return cls(list(voices.values()), settings.default_voice)

    def __iter__(self) -> Iterator[Voice]:
        return iter(self._voices)

    def __len__(self) -> int:
        return len(self._voices)

    def all(self) -> list[Voice]:
        return list(self._voices)

    def find(self, name: str) -> Voice | None:
        key = name.strip().lower()
        return self._by_alias.get(key) or self._by_voice_id.get(key)

    def resolve(self, name: str | None, field_name: str = "voice") -> Voice:
        """The voice for a request: by alias (any case) or engine voice id; default if empty."""
        voice = self.find(name or self.default_alias)
        if voice is None:
            raise Invalid(
                f"unknown voice {name!r}; list voices with GET /speech/voice", field=field_name
            )
        return voice
