"""Curated English voices: human names and distinct characters over the engines' voices.

Like a commercial voice library, each persona is a fixed combination of an engine voice, a
variant and delivery (rate, pitch), with the descriptive fields people filter on. A persona is
listed only where its engine voice is installed: the neural ones once an operator installs
them (``castwright voices install kokoro:af_heart``), Festival's and Flite's where the
system packages are, espeak-ng's everywhere.

Listed most natural first (voices/quality.py): among voices of the same tier, the first one
listed here is the default for its language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["NEURAL_PERSONAS", "PERSONAS", "Persona"]


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


def _neural(
    alias: str,
    engine: str,
    voice_id: str,
    gender: str,
    accent: str,
    tags: tuple[str, ...],
    industries: tuple[str, ...],
    purpose: str,
    description: str,
    age_bracket: str = "adult",
) -> Persona:
    return Persona(
        alias,
        alias.title(),
        engine,
        voice_id,
        gender=gender,
        accent=accent,
        age_bracket=age_bracket,
        tags=("neural", *tags),
        industry_examples=industries,
        purpose=(purpose,),
        description=description,
    )


_KOKORO = "Kokoro neural voice"
_PIPER = "Piper neural voice"

NEURAL_PERSONAS: tuple[Persona, ...] = (
    # Kokoro (installed with `castwright voices install kokoro:NAME`).
    _neural("harper", "kokoro", "af_heart", "female", "american", ("warm", "natural"),
            ("podcast", "e-learning"), "narration",
            f"A warm, natural American female narrator ({_KOKORO}, af_heart)."),
    _neural("bella", "kokoro", "af_bella", "female", "american", ("bright", "expressive"),
            ("advertising", "social"), "advert",
            f"A bright, expressive young American female voice ({_KOKORO}, af_bella).",
            age_bracket="young"),
    _neural("nicole", "kokoro", "af_nicole", "female", "american", ("soft", "intimate"),
            ("meditation", "audiobook"), "narration",
            f"A soft, close American female voice ({_KOKORO}, af_nicole)."),
    _neural("michael", "kokoro", "am_michael", "male", "american", ("steady", "warm"),
            ("corporate", "news"), "narration",
            f"A steady, warm American male voice ({_KOKORO}, am_michael)."),
    _neural("adam", "kokoro", "am_adam", "male", "american", ("deep", "casual"),
            ("gaming", "radio"), "conversational",
            f"A deep, casual American male voice ({_KOKORO}, am_adam)."),
    _neural("emma", "kokoro", "bf_emma", "female", "british", ("clear", "professional"),
            ("e-learning", "corporate"), "narration",
            f"A clear, professional British female voice ({_KOKORO}, bf_emma)."),
    _neural("isabella", "kokoro", "bf_isabella", "female", "british", ("elegant", "calm"),
            ("luxury", "travel"), "advert",
            f"An elegant, calm British female voice ({_KOKORO}, bf_isabella)."),
    _neural("george", "kokoro", "bm_george", "male", "british", ("authoritative", "mature"),
            ("documentary", "finance"), "narration",
            f"An authoritative, mature British male voice ({_KOKORO}, bm_george).",
            age_bracket="senior"),
    _neural("lewis", "kokoro", "bm_lewis", "male", "british", ("friendly", "relaxed"),
            ("retail", "support"), "conversational",
            f"A friendly, relaxed British male voice ({_KOKORO}, bm_lewis)."),
    # Piper (installed with `castwright voices install piper:KEY`).
    _neural("leslie", "piper", "en_US-lessac-medium", "female", "american",
            ("clear", "neutral"), ("e-learning", "ivr"), "narration",
            f"A clear, even American female voice ({_PIPER}, lessac)."),
    _neural("amy", "piper", "en_US-amy-medium", "female", "american", ("friendly", "bright"),
            ("assistant", "retail"), "conversational",
            f"A friendly, bright American female voice ({_PIPER}, amy)."),
    _neural("rowan", "piper", "en_US-ryan-medium", "male", "american", ("warm", "steady"),
            ("audiobook", "corporate"), "narration",
            f"A warm, steady American male voice ({_PIPER}, ryan)."),
    _neural("joe", "piper", "en_US-joe-medium", "male", "american", ("casual", "upbeat"),
            ("social", "gaming"), "conversational",
            f"A casual, upbeat American male voice ({_PIPER}, joe)."),
    _neural("kristin", "piper", "en_US-kristin-medium", "female", "american",
            ("calm", "professional"), ("healthcare", "support"), "announcement",
            f"A calm, professional American female voice ({_PIPER}, kristin)."),
    _neural("hannah", "piper", "en_US-hfc_female-medium", "female", "american",
            ("lively", "clear"), ("advertising", "social"), "advert",
            f"A lively, clear American female voice ({_PIPER}, hfc_female)."),
    _neural("henry", "piper", "en_US-hfc_male-medium", "male", "american",
            ("confident", "clear"), ("advertising", "retail"), "advert",
            f"A confident, clear American male voice ({_PIPER}, hfc_male)."),
    _neural("alan", "piper", "en_GB-alan-medium", "male", "british", ("measured", "calm"),
            ("documentary", "travel"), "narration",
            f"A measured, calm British male voice ({_PIPER}, alan)."),
    _neural("alba", "piper", "en_GB-alba-medium", "female", "scottish", ("bright", "warm"),
            ("tourism", "retail"), "conversational",
            f"A bright, warm Scottish female voice ({_PIPER}, alba)."),
    _neural("jenny", "piper", "en_GB-jenny_dioco-medium", "female", "british",
            ("gentle", "clear"), ("audiobook", "e-learning"), "narration",
            f"A gentle, clear British female voice ({_PIPER}, jenny_dioco)."),
    _neural("harold", "piper", "en_GB-northern_english_male-medium", "male",
            "northern english", ("down-to-earth", "warm"), ("radio", "storytelling"),
            "narration",
            f"A down-to-earth Northern English male voice ({_PIPER}, northern_english_male)."),
)  # fmt: skip

PERSONAS: tuple[Persona, ...] = (
    *NEURAL_PERSONAS,
    # Festival's HTS voice is the most natural of the system engines.
    Persona(
        "sloane",
        "Sloane",
        "festival",
        "cmu_us_slt_arctic_hts",
        gender="female",
        tags=("natural", "warm", "clear"),
        industry_examples=("podcast", "e-learning"),
        purpose=("narration",),
        description="A calm, natural-sounding American female narrator (Festival HTS).",
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
    Persona(
        "calvin",
        "Calvin",
        "flite",
        "kal16",
        gender="male",
        tags=("plain", "retro"),
        industry_examples=("ivr", "gaming"),
        purpose=("announcement",),
        description="A plain American male voice, audibly synthetic (Flite diphone).",
    ),
    # espeak-ng personas: always available, every accent and variant espeak ships; formant
    # synthesis, intelligible but robotic.
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
        description="A confident American male voice (espeak-ng: robotic, always available).",
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
