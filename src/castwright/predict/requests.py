"""Predicting a caller's text: planned exactly as a render of it would be, then measured.

Markup, placeholders (their defaults; ``{id}`` where there is none), normalisation when the
text uses markup, and the organisation's pronunciation dictionaries all apply, so the words
the prediction counts are the words the engine would speak.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from castwright.dictionaries.lexicon import Lexicon, load_lexicon
from castwright.errors import Invalid
from castwright.runtime import Runtime
from castwright.speech.render import SectionPlan
from castwright.speech.text.document import Placeholder, ScriptDocument
from castwright.speech.text.markup import parse_script
from castwright.speeches.planning import TtsOptions, plan_speech
from castwright.voices.catalogue import VoiceCatalogue
from castwright.voices.organisation import organisation_voices

__all__ = [
    "MAX_PREDICT_CHARS",
    "TextPrediction",
    "plan_for_prediction",
    "predict_text",
    "predictable_voices",
]

MAX_PREDICT_CHARS = 200_000


@dataclass(frozen=True)
class TextPrediction:
    seconds: float
    r2: float
    voice: str


def _unfilled_placeholders(document: ScriptDocument) -> dict[str, str]:
    return {
        item.id: f"{{{item.id}}}"
        for section in document.sections
        for item in section.items
        if isinstance(item, Placeholder) and not (item.default or "").strip()
    }


def plan_for_prediction(
    session: Session,
    org_id: str,
    catalogue: VoiceCatalogue,
    text: str,
    voice: str | None,
    field: str = "text",
    lexicon: Lexicon | None = None,
) -> list[SectionPlan]:
    """The plans a default render of ``text`` in ``voice`` would make (``lexicon``: the
    organisation's dictionaries, loaded here when not given)."""
    if not text or not text.strip():
        raise Invalid("is required", field=field)
    if len(text) > MAX_PREDICT_CHARS:
        raise Invalid(f"may be at most {MAX_PREDICT_CHARS} characters", field=field)
    if "\x00" in text:
        raise Invalid("may not contain NUL characters", field=field)
    document = parse_script(text)
    options = TtsOptions(
        voice=voice,
        audience=_unfilled_placeholders(document),
        lexicon=lexicon if lexicon is not None else load_lexicon(session, org_id),
    )
    plans = plan_speech(document, options, catalogue)
    if not plans:
        raise Invalid("has nothing to say", field=field)
    return plans


def predict_text(
    runtime: Runtime, session: Session, org_id: str, text: str, voice: str | None
) -> TextPrediction:
    if not voice or not voice.strip():
        raise Invalid("is required", field="voice")
    catalogue = organisation_voices(runtime, session, org_id)
    plans = plan_for_prediction(session, org_id, catalogue, text, voice)
    found = runtime.predictor.predict(plans)
    return TextPrediction(found.seconds, found.r2, plans[0].voice.alias)


def predictable_voices(runtime: Runtime, session: Session, org_id: str) -> list[str]:
    """Aliases of every voice whose length can be predicted."""
    catalogue = organisation_voices(runtime, session, org_id)
    return sorted((v.alias for v in catalogue if runtime.predictor.supports(v)), key=str.lower)
