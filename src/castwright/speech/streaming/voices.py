"""Choosing a voice from a name and/or a language, as Home Assistant's protocols ask for one
(Wyoming's {name, language}, MaryTTS's VOICE and LOCALE)."""

from __future__ import annotations

from castwright.errors import Invalid
from castwright.voices.catalogue import Voice, VoiceCatalogue

__all__ = ["language_tag", "pick_voice"]


def language_tag(code: str) -> str:
    """en_US, en-us and EN-US all become en-US (BCP-47's usual casing)."""
    parts = code.replace("_", "-").split("-")
    head, rest = parts[0].lower(), parts[1:]
    return "-".join([head, *(p.upper() if len(p) == 2 else p.lower() for p in rest)])


def _matches(voice: Voice, language: str) -> int:
    """2: the same tag; 1: the same language in another region; 0: no."""
    asked = language_tag(language).lower()
    code = voice.language_code.lower()
    if code == asked:
        return 2
    return 1 if code.split("-")[0] == asked.split("-")[0] else 0


def pick_voice(
    catalogue: VoiceCatalogue,
    name: str | None,
    language: str | None,
    *,
    voice_field: str = "voice",
    language_field: str = "language",
) -> Voice:
    """The named voice (which must speak ``language`` if both are given); else the default
    voice when it speaks the language; else the catalogue's best match for the language."""
    if name:
        voice = catalogue.resolve(name, voice_field)
        if language and not _matches(voice, language):
            raise Invalid(
                f"voice {voice.alias!r} speaks {voice.language_code}, not {language}",
                field=language_field,
            )
        return voice
    default = catalogue.resolve(None, voice_field)
    if not language or _matches(default, language) == 2:
        return default
    ranked = sorted(catalogue, key=lambda v: -_matches(v, language))
    if not ranked or not _matches(ranked[0], language):
        raise Invalid(f"no voice speaks {language}", field=language_field)
    if _matches(default, language) == _matches(ranked[0], language):
        return default
    return ranked[0]
