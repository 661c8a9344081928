"""Core objects rendered as AudioStack wire objects (camelCase, the fields the SDKs read)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from castwright.models.script import Script, ScriptVersion
from castwright.models.speech import Speech, SpeechStatus
from castwright.runtime import Runtime
from castwright.speech.text.markup import parse_script
from castwright.voices.catalogue import Voice

__all__ = ["iso", "script_object", "speech_object", "speech_pending", "voice_object"]


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _section_descriptors(text: str) -> list[dict[str, Any]]:
    document = parse_script(text)
    return [
        {
            "name": s.name,
            "soundSegment": s.sound_segment,
            "parentSectionName": s.parent,
            "subSections": [c.name for c in document.sections if c.parent == s.name],
            "placeholders": s.placeholders,
            "fx": [{"name": m.name, "id": m.id} for m in s.markers if m.kind == "fx"],
            "media": [{"name": m.name, "id": m.id} for m in s.markers if m.kind == "media"],
        }
        for s in document.sections
    ]


def script_object(script: Script, version: ScriptVersion) -> dict[str, Any]:
    return {
        "scriptId": script.id,
        "projectName": script.project_name,
        "moduleName": script.module_name,
        "scriptName": script.script_name,
        "scriptText": version.text,
        "metadata": script.metadata_,
        "version": version.name,
        "availableVersions": [v.name for v in script.versions],
        "creationDate": iso(script.created_at),
        "sections": _section_descriptors(version.text),
    }


def speech_pending(speech: Speech) -> dict[str, Any]:
    """The body of a 202: the id (the SDK re-reads it from every poll) and the status."""
    return {"speechId": speech.id, "status": speech.status}


def speech_object(
    runtime: Runtime, speech: Speech, public: bool = False, verbose: bool = True
) -> dict[str, Any]:
    settings = runtime.settings
    public = public or speech.public
    ttl = settings.public_url_ttl_seconds if public else settings.signed_url_ttl_seconds
    sections = []
    for section in speech.sections:
        item = {k: v for k, v in section.items() if k != "blobKey"}
        item["url"] = runtime.signer.url(section["blobKey"], ttl, f"{section['sectionName']}.wav")
        if not verbose:
            item.pop("preview", None)
        sections.append(item)
    return {
        "speechId": speech.id,
        "scriptId": speech.script_id,
        "version": speech.version,
        "scriptMetadata": speech.script_metadata,
        "projectName": speech.project_name,
        "moduleName": speech.module_name,
        "scriptName": speech.script_name,
        "creationDate": iso(speech.created_at),
        "voice": speech.voice,
        "speed": speech.speed,
        "public": public,
        "sections": sections,
        # The LowCodeAPI gateway's example fields, next to the SDK's sections:
        "status": SpeechStatus.COMPLETED
        if speech.status == SpeechStatus.COMPLETED
        else speech.status,
        "url": sections[0]["url"] if sections else None,
        "duration": _first_combination_duration(sections),
    }


def _first_combination_duration(sections: list[dict[str, Any]]) -> float:
    """Seconds of the whole script for the first audience combination (the gateway's field)."""
    chosen: dict[str, str] = {}
    total = 0.0
    for section in sections:
        audience = section["audience"]
        if all(chosen.setdefault(k, v) == v for k, v in audience.items()):
            total += section["duration"]
    return round(total, 3)


def voice_object(voice: Voice, base_url: str) -> dict[str, Any]:
    sample = f"{base_url}/speech/voice/{voice.alias}/sample.wav"
    return {
        "alias": voice.alias,
        "name": voice.alias,
        "displayName": voice.display_name,
        "voiceId": voice.voice_id,
        "provider": voice.provider,
        "providerFullName": voice.provider_full_name,
        "providerId": voice.engine,
        "gender": voice.gender,
        "ageBracket": voice.age_bracket,
        "type": voice.type,
        "quality": voice.tier,  # Castwright's: neural | natural | standard | robotic
        "language": voice.language,
        "languageCode": voice.language_code,
        "accent": voice.accent,
        "tags": list(voice.tags),
        "industryExamples": list(voice.industry_examples),
        "purpose": list(voice.purpose),
        "supportedLanguages": list(voice.supported_languages),
        "isMultilingual": len(voice.supported_languages) > 1,
        "supportedStyles": [],
        "defaultStyle": [],
        "basicEmotion": "neutral",
        "timePerformance": voice.time_performance,
        "charsPerSecond": f"{voice.chars_per_second:g}",
        "sectionCharacterLimit": voice.section_character_limit,
        "longSoftDescription": voice.description,
        "audioSample": sample,
        "audioSamples": {"default": sample},
        "picture": None,
        "meta": {"technologies": [voice.engine], "createdAt": None},
    }
