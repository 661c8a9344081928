"""Voice selection: which voices suit a script and a tone, and at what speed it fits a length.

Candidates are the organisation's voices that match the request's gender and filters and whose
length can be predicted; without a language filter they are the English voices. They are
ranked by how well they carry the tone (a tag of the voice, then its purpose or industries,
then its description), curated voices before plain engine voices. For each of the best
``numVoices`` the script is planned in that voice (dictionaries included) and the length model
finds the speed, within 0.5-3.0, at which it lasts ``targetLength`` seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from castwright.dictionaries.lexicon import load_lexicon
from castwright.errors import Invalid
from castwright.predict.requests import plan_for_prediction
from castwright.runtime import Runtime
from castwright.scripts.service import ScriptService
from castwright.voices.catalogue import Voice, VoiceCatalogue
from castwright.voices.organisation import organisation_voices

__all__ = ["SELECT_FILTERS", "SelectedVoice", "Selection", "select_voices", "tone_vocabulary"]

MAX_VOICES = 20
MAX_TARGET_SECONDS = 3600.0
SCRIPT_DEFAULT_TARGET = 20.0  # the Python SDK's default for select_for_script
_FIELDS: dict[str, Any] = {
    "accent": lambda v: v.accent,
    "ageBracket": lambda v: v.age_bracket,
    "gender": lambda v: v.gender,
    "provider": lambda v: v.provider,
    "language": lambda v: v.language,
    "languageCode": lambda v: v.language_code,
}
SELECT_FILTERS = tuple(_FIELDS)
_PLAIN_VOICE_TAG = "multilingual-catalogue"  # engine voices without a persona


@dataclass(frozen=True)
class SelectedVoice:
    voice: Voice
    speed: float
    seconds: float  # predicted length at ``speed``
    seconds_at_normal: float  # predicted length at speed 1
    fits: bool


@dataclass(frozen=True)
class Selection:
    voices: list[SelectedVoice]
    target: float | None
    warnings: list[str]


def tone_vocabulary(catalogue: VoiceCatalogue) -> list[str]:
    """Every tone a voice is tagged with."""
    return sorted({tag for voice in catalogue for tag in voice.tags if tag != _PLAIN_VOICE_TAG})


def _wanted(filters: dict[str, Any] | None, gender: str | None) -> dict[str, set[str]]:
    wanted: dict[str, set[str]] = {}
    for name, values in (filters or {}).items():
        if name not in _FIELDS:
            raise Invalid(
                f"unknown filter {name!r}; use {', '.join(SELECT_FILTERS)}", field=f"filters.{name}"
            )
        listed = values if isinstance(values, list) else [values]
        if not all(isinstance(v, str) for v in listed):
            raise Invalid("must be a list of strings", field=f"filters.{name}")
        if listed:
            wanted[name] = {v.strip().lower() for v in listed}
    if gender:
        wanted.setdefault("gender", set()).add(gender.strip().lower())
    if "language" not in wanted and "languageCode" not in wanted:
        wanted["language"] = {"english"}
    return wanted


def _score(voice: Voice, tone: str) -> int:
    curated = 0 if _PLAIN_VOICE_TAG in voice.tags else 1
    if not tone:
        return curated
    tone = tone.lower()
    if tone in (t.lower() for t in voice.tags):
        return 8 + curated
    if tone in (t.lower() for t in (*voice.purpose, *voice.industry_examples)):
        return 4 + curated
    return (2 if tone in voice.description.lower() else 0) + curated


def _script_text(session: Session, org_id: str, script_id: str | None, content: str | None) -> str:
    if script_id:
        _, version = ScriptService(session, org_id).get(script_id, None)
        return version.text
    if content and content.strip():
        return content
    raise Invalid("give scriptId or content", field="scriptId")


def select_voices(
    runtime: Runtime,
    session: Session,
    org_id: str,
    *,
    script_id: str | None = None,
    content: str | None = None,
    tone: str | None = None,
    gender: str | None = None,
    target_length: float | None = None,
    num_voices: int | None = None,
    filters: dict[str, Any] | None = None,
) -> Selection:
    count = 3 if num_voices is None else num_voices
    if not 1 <= count <= MAX_VOICES:
        raise Invalid(f"must be between 1 and {MAX_VOICES}", field="numVoices")
    target = target_length
    if target is None and script_id:
        target = SCRIPT_DEFAULT_TARGET
    if target is not None and not 0 < target <= MAX_TARGET_SECONDS:
        raise Invalid(
            f"must be more than 0 and at most {MAX_TARGET_SECONDS:g}", field="targetLength"
        )
    text = _script_text(session, org_id, script_id, content)
    catalogue = organisation_voices(runtime, session, org_id)
    wanted = _wanted(filters, gender)
    candidates = [
        v
        for v in catalogue
        if all(_FIELDS[name](v).lower() in values for name, values in wanted.items())
        and runtime.predictor.supports(v)
    ]
    warnings: list[str] = []
    if tone and tone.lower() not in {t.lower() for t in tone_vocabulary(catalogue)}:
        warnings.append(
            f"tone: no voice is tagged {tone!r}; ranked on the rest (tones: "
            f"{', '.join(tone_vocabulary(catalogue))})"
        )
    if not candidates:
        raise Invalid("no voice matches the gender and filters given", field="filters")
    ranked = sorted(candidates, key=lambda v: (-_score(v, tone or ""), v.alias.lower()))
    lexicon = load_lexicon(session, org_id)
    chosen: list[SelectedVoice] = []
    for voice in ranked[:count]:
        plans = plan_for_prediction(
            session, org_id, catalogue, text, voice.alias, "content", lexicon
        )
        normal = runtime.predictor.predict(plans, speed=1.0).seconds
        if target is None:
            chosen.append(SelectedVoice(voice, 1.0, normal, normal, True))
            continue
        fit = runtime.predictor.speed_to_fit(plans, target)
        if not fit.fits:
            warnings.append(
                f"{voice.alias}: at speeds from 0.5 to 3.0 the script lasts "
                f"{runtime.predictor.predict(plans, speed=3.0).seconds:.1f}-"
                f"{runtime.predictor.predict(plans, speed=0.5).seconds:.1f} s, so it cannot "
                f"fit {target:g} s; speed {fit.speed:g} gives {fit.seconds:.1f} s"
            )
        chosen.append(SelectedVoice(voice, fit.speed, fit.seconds, normal, fit.fits))
    return Selection(chosen, target, warnings)
