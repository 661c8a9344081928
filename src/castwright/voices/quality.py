"""How natural each engine's voices sound, in four honest tiers, best first.

* ``neural``: trained end-to-end on recordings (Piper, Kokoro); closest to a person.
* ``natural``: statistical parametric synthesis of one speaker (Festival's HTS voices);
  smooth and easy to follow, a little buzzy.
* ``standard``: Flite's clustergen voices (slt, rms, awb): clear, audibly synthetic.
* ``robotic``: diphone and formant synthesis (Flite's kal voices, espeak-ng): intelligible
  with effort, unmistakably a machine; espeak-ng is the only voice for most languages.

Measured, not asserted: bench/voices_quality.py transcribes every installed voice with an
offline recogniser and reports the word error rate per voice in docs/benchmarks.md.
"""

from __future__ import annotations

from castwright.speech.engines.base import EngineVoice

__all__ = ["TIERS", "engine_tier", "named_tier", "technology", "tier_rank", "voice_tier"]

TIERS = ("neural", "natural", "standard", "robotic")

_ENGINE_TIERS = {
    "kokoro": "neural",
    "piper": "neural",
    "festival": "standard",
    "flite": "standard",
    "espeak-ng": "robotic",
    "fake": "robotic",
}
_FLITE_DIPHONE = frozenset({"kal", "kal16"})
_TECHNOLOGY = {
    "kokoro": "Kokoro-82M neural voice (StyleTTS 2)",
    "piper": "Piper neural voice (VITS)",
    "festival": "Festival",
    "flite": "CMU Flite",
    "espeak-ng": "espeak-ng formant synthesis",
    "fake": "test tone",
}


def engine_tier(engine: str) -> str:
    """The tier of an engine's typical voice (for voices known only by engine)."""
    return _ENGINE_TIERS.get(engine, "standard")


def voice_tier(voice: EngineVoice) -> str:
    if voice.engine == "festival":
        return "natural" if voice.extra.get("synthesis") == "hts" else "standard"
    return named_tier(voice.engine, voice.voice_id)


def named_tier(engine: str, voice_id: str) -> str:
    """The tier from names alone (for voices not installed here, so without their details)."""
    if engine == "festival" and voice_id.endswith("_hts"):
        return "natural"
    if engine == "flite" and voice_id in _FLITE_DIPHONE:
        return "robotic"
    return engine_tier(engine)


def technology(voice: EngineVoice) -> str:
    """A few words on how the voice is made, for descriptions."""
    if voice.engine == "festival":
        return (
            "Festival HTS (statistical parametric)"
            if voice.extra.get("synthesis") == "hts"
            else "Festival"
        )
    if voice.engine == "flite":
        kind = "diphone" if voice.voice_id in _FLITE_DIPHONE else "clustergen"
        return f"CMU Flite {kind}"
    return _TECHNOLOGY.get(voice.engine, voice.engine)


def tier_rank(tier: str) -> int:
    """Higher is more natural; unknown tiers rank lowest."""
    return len(TIERS) - TIERS.index(tier) if tier in TIERS else 0
