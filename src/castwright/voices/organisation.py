"""An organisation's catalogue: every built-in voice plus the organisation's own (cloned) ones.

The built-in catalogue is built once per process; an organisation's voices are rows in the
database, read per request (one indexed query) so a voice made or deleted by any process
is seen by all at once. An organisation without voices of its own gets the shared catalogue
as it is.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from castwright.cloning.repository import CloneRepository
from castwright.models.custom_voice import CustomVoice
from castwright.runtime import Runtime
from castwright.voices.catalogue import Voice, VoiceCatalogue

__all__ = ["CLONED_TYPE", "custom_voice", "organisation_voices"]

CLONED_TYPE = "cloned"


def custom_voice(row: CustomVoice, base: VoiceCatalogue) -> Voice:
    """The catalogue entry of an organisation's voice; language details from its engine voice."""
    engine_voice = base.find(row.engine_voice_id) if row.engine == "espeak-ng" else None
    same_engine = engine_voice is not None and engine_voice.engine == row.engine
    described = row.description or f"A voice cloned for this organisation ({row.engine})."
    return Voice(
        alias=row.alias,
        display_name=row.display_name or row.alias,
        engine=row.engine,
        engine_voice_id=row.engine_voice_id,
        variant=row.variant,
        rate=row.rate,
        pitch=row.pitch,
        gender=row.gender,
        age_bracket=str(row.metadata_.get("ageBracket", "adult")),
        language=engine_voice.language if engine_voice and same_engine else "english",
        language_code=row.language_code,
        accent=str(
            row.metadata_.get("accent", engine_voice.accent if engine_voice and same_engine else "")
        ),
        type=CLONED_TYPE,
        tags=("cloned",),
        purpose=("custom",),
        description=described,
        chars_per_second=round(15.0 * row.rate, 1),
        time_performance="fast",
        supported_languages=(row.language_code,),
    )


def organisation_voices(runtime: Runtime, session: Session, org_id: str) -> VoiceCatalogue:
    base = runtime.voices
    rows = CloneRepository(session).voices(org_id)
    if not rows:
        return base
    # Later entries win an alias in the catalogue; the organisation's own never shadow a
    # built-in voice (cloning refuses such aliases), so this order only matters for safety.
    own = [custom_voice(row, base) for row in rows]
    return VoiceCatalogue([*base.all(), *own], base.default_alias)
