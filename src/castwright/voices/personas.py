"""Curated English voices: human names and distinct characters over the engines' voices.

Like a commercial voice library, each persona is a fixed combination of an engine voice, a
variant and delivery (rate, pitch), with the descriptive fields people filter on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["PERSONAS", "Persona"]


@dataclass(frozen=True)
class Persona:
    alias: str
    display_name: str
    engine: str
    voice_id: str
    variant: str = ""
    rate: float = 1.0
    pitch: float = 1.0
    gender: str = "neutral"
    age_bracket: str = "adult"
    accent: str = "american"
    tags: tuple[str, ...] = ()
    industry_examples: tuple[str, ...] = ()
    description: str = ""
    purpose: tuple[str, ...] = field(default=())


PERSONAS: tuple[Persona, ...] = (
    # Festival's HTS voice is the most natural of the embedded engines: listed first.
    Persona(
        "sloane",
        "Sloane",
        "festival",
        "cmu_us_slt_arctic_hts",
        gender="female",
        tags=("natural", "warm", "clear"),
        industry_examples=("podcast", "e-learning"),
        purpose=("narration",),
        description="A calm, natural American female narrator (Festival HTS).",
    ),
    Persona(
        "maya",
        "Maya",
        "flite",
        "slt",
        gender="female",
        rate=1.0,
        tags=("friendly", "clear"),
        industry_examples=("ivr", "assistant"),
        purpose=("conversational",),
        description="A friendly American female voice, quick to render (Flite).",
    ),
    Persona(
        "ryan",
        "Ryan",
        "flite",
        "rms",
        gender="male",
        tags=("steady", "neutral"),
        industry_examples=("ivr", "news"),
        purpose=("announcement",),
        description="A steady American male voice for prompts and notices (Flite).",
    ),
    Persona(
        "angus",
        "Angus",
        "flite",
        "awb",
        gender="male",
        accent="scottish",
        tags=("characterful",),
        industry_examples=("storytelling",),
        purpose=("narration",),
        description="A Scottish male voice with character (Flite).",
    ),
    # espeak-ng personas: always available, every accent and variant espeak ships.
    Persona(
        "isaac",
        "Isaac",
        "espeak-ng",
        "en-us",
        "m3",
        rate=1.0,
        pitch=0.95,
        gender="male",
        tags=("confident", "clear"),
        industry_examples=("advertising", "retail"),
        purpose=("advert",),
        description="A confident American male voice: the default.",
    ),
    Persona(
        "joanna",
        "Joanna",
        "espeak-ng",
        "en-us",
        "f4",
        rate=0.97,
        pitch=1.0,
        gender="female",
        tags=("warm", "professional"),
        industry_examples=("corporate", "e-learning"),
        purpose=("narration",),
        description="A warm, professional American female voice.",
    ),
    Persona(
        "leah",
        "Leah",
        "espeak-ng",
        "en-us",
        "f3",
        rate=1.08,
        pitch=1.08,
        gender="female",
        age_bracket="young",
        tags=("upbeat", "energetic"),
        industry_examples=("advertising", "social"),
        purpose=("advert",),
        description="An upbeat young American female voice.",
    ),
    Persona(
        "theo",
        "Theo",
        "espeak-ng",
        "en-us",
        "m7",
        rate=1.1,
        pitch=1.05,
        gender="male",
        age_bracket="young",
        tags=("energetic", "casual"),
        industry_examples=("gaming", "social"),
        purpose=("conversational",),
        description="A quick, casual young American male voice.",
    ),
    Persona(
        "sara",
        "Sara",
        "espeak-ng",
        "en-gb",
        "f2",
        rate=0.98,
        pitch=1.02,
        gender="female",
        accent="british",
        tags=("elegant", "clear"),
        industry_examples=("luxury", "travel"),
        purpose=("narration",),
        description="An elegant British female voice.",
    ),
    Persona(
        "oliver",
        "Oliver",
        "espeak-ng",
        "en-gb",
        "m1",
        rate=0.92,
        pitch=0.9,
        gender="male",
        age_bracket="senior",
        accent="british",
        tags=("authoritative", "calm"),
        industry_examples=("documentary", "finance"),
        purpose=("narration",),
        description="A calm, authoritative older British male voice.",
    ),
    Persona(
        "nora",
        "Nora",
        "espeak-ng",
        "en-gb-x-rp",
        "f1",
        rate=0.9,
        pitch=0.96,
        gender="female",
        age_bracket="senior",
        accent="british",
        tags=("gentle", "storytelling"),
        industry_examples=("audiobook", "healthcare"),
        purpose=("narration",),
        description="A gentle older British female storyteller.",
    ),
    Persona(
        "wren",
        "Wren",
        "espeak-ng",
        "en-gb-scotland",
        "f5",
        rate=1.02,
        pitch=1.1,
        gender="female",
        age_bracket="young",
        accent="scottish",
        tags=("bright", "friendly"),
        industry_examples=("tourism", "retail"),
        purpose=("conversational",),
        description="A bright young Scottish female voice.",
    ),
    Persona(
        "marcus",
        "Marcus",
        "espeak-ng",
        "en-029",
        "m2",
        rate=0.96,
        pitch=0.88,
        gender="male",
        accent="caribbean",
        tags=("relaxed", "deep"),
        industry_examples=("music", "radio"),
        purpose=("advert",),
        description="A relaxed, deep Caribbean-English male voice.",
    ),
    Persona(
        "priya",
        "Priya",
        "espeak-ng",
        "en-gb-x-gbclan",
        "f2",
        rate=1.0,
        pitch=1.04,
        gender="female",
        accent="british",
        tags=("clear", "neutral"),
        industry_examples=("support", "ivr"),
        purpose=("announcement",),
        description="A clear, neutral female voice for support lines.",
    ),
)
