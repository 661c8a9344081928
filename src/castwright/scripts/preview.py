"""Script preview: the text each section's voice will receive, without rendering anything.

Planned exactly as ``POST /speech/tts`` with the same voice plans it (markup, normalisation
when the script uses markup, the organisation's dictionaries), so what the preview shows is
what the engine gets. A placeholder without a default shows as ``{id}``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from castwright.dictionaries.lexicon import load_lexicon
from castwright.errors import Invalid
from castwright.runtime import Runtime
from castwright.speech.text.document import Placeholder
from castwright.speech.text.markup import parse_script
from castwright.speeches.planning import TtsOptions, plan_speech
from castwright.voices.organisation import organisation_voices

__all__ = ["ScriptPreview", "preview_script"]


@dataclass(frozen=True)
class ScriptPreview:
    voice: str
    sections: dict[str, str]  # section (or sub-section) name -> what the engine receives
    text: str  # the whole script's preview, sections joined
    warnings: list[str]


def preview_script(
    runtime: Runtime,
    session: Session,
    org_id: str,
    script_text: str,
    voice: str | None,
    voice_intelligence: bool = False,
) -> ScriptPreview:
    if not voice:
        raise Invalid("is required when preview is true", field="voice")
    document = parse_script(script_text)
    unfilled = {
        item.id: f"{{{item.id}}}"
        for section in document.sections
        for item in section.items
        if isinstance(item, Placeholder) and not (item.default or "").strip()
    }
    options = TtsOptions(
        voice=voice,
        audience=unfilled,
        voice_intelligence=voice_intelligence,
        lexicon=load_lexicon(session, org_id),
    )
    plans = plan_speech(document, options, organisation_voices(runtime, session, org_id))
    sections: dict[str, str] = {}
    for plan in plans:
        sections.setdefault(plan.section_name, plan.preview)
    notes = list(dict.fromkeys(note for plan in plans for note in plan.notes))
    resolved = plans[0].voice.alias if plans else voice
    whole = " ".join(text for text in sections.values() if text)
    return ScriptPreview(resolved, sections, whole, [f"preview: {n}" for n in notes])
