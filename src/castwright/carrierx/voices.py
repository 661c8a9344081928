"""CarrierX TTS voices over the catalogue: ``man`` and ``woman``, every catalogue alias, and
operator aliases (Amazon Polly names, say) of catalogue voices.

``man`` and ``woman`` are what CarrierX clients use by default; they speak every language
for which the catalogue has a voice of that gender, and the language picks the voice (the
curated English personas first). US English has priority 0, everything else 1.
"""

from __future__ import annotations

from dataclasses import dataclass

from castwright.carrierx.filters import Condition, FieldType, matches
from castwright.errors import BadRequest, Invalid
from castwright.voices.catalogue import Voice, VoiceCatalogue

__all__ = [
    "GENDER_VOICES",
    "TtsVoice",
    "filter_voices",
    "order_voices",
    "resolve_voice",
    "tts_voices",
    "voice_field_type",
]

GENDER_VOICES = {"man": "male", "woman": "female"}
# US English for man and woman: espeak-ng personas, the quickest to a first sentence (a call
# is waiting), and always installed. Other languages take the first voice of the gender.
_US_VOICES = {"man": "isaac", "woman": "joanna"}
_PREFERRED_LANGUAGE = "en-US"
_DIRECTIONS = ("voice_sid", "asc", "desc")
# Polly names CarrierX clients send, on the closest local persona (where it is installed).
_POLLY = {
    "Polly.Joanna": "joanna",
    "Polly.Salli": "leah",
    "Polly.Kendra": "joanna",
    "Polly.Matthew": "isaac",
    "Polly.Joey": "theo",
    "Polly.Justin": "theo",
    "Polly.Amy": "sara",
    "Polly.Emma": "sara",
    "Polly.Brian": "oliver",
}


@dataclass(frozen=True)
class TtsVoice:
    voice_sid: str
    languages: dict[str, int]  # language code -> priority (smaller is preferred)
    targets: dict[str, str]  # language code -> catalogue alias that speaks it

    def default_language(self) -> str:
        return min(self.languages, key=lambda code: (self.languages[code], code))

    def record(self) -> dict[str, object]:
        """The voice as filter conditions see it: voice_sid and languages.<code>."""
        return {
            "voice_sid": self.voice_sid,
            **{f"languages.{code}": p for code, p in self.languages.items()},
        }


def _own(voice: Voice) -> TtsVoice:
    code = voice.language_code
    return TtsVoice(voice.alias, {code: 0}, {code: voice.alias})


def _by_gender(voice_sid: str, gender: str, catalogue: VoiceCatalogue) -> TtsVoice | None:
    targets: dict[str, str] = {}
    # Curated personas come before the plain engine voices (espeak-ng-xx) in the catalogue.
    preferred = catalogue.find(_US_VOICES[voice_sid])
    if preferred is not None and preferred.gender == gender:
        targets[preferred.language_code] = preferred.alias
    for voice in catalogue:
        if voice.gender == gender:
            targets.setdefault(voice.language_code, voice.alias)
    if not targets:
        return None
    languages = {code: 0 if code == _PREFERRED_LANGUAGE else 1 for code in targets}
    return TtsVoice(voice_sid, languages, targets)


def tts_voices(catalogue: VoiceCatalogue, aliases: dict[str, str]) -> list[TtsVoice]:
    """Every voice_sid, sorted; operator aliases (settings) override the built-in Polly ones."""
    voices: dict[str, TtsVoice] = {}
    for voice_sid, gender in GENDER_VOICES.items():
        found = _by_gender(voice_sid, gender, catalogue)
        if found is not None:
            voices[voice_sid] = found
    for voice in catalogue:
        voices.setdefault(voice.alias, _own(voice))
    for voice_sid, alias in {**_POLLY, **aliases}.items():
        target = catalogue.find(alias)
        if target is not None:
            own = _own(target)
            voices[voice_sid] = TtsVoice(voice_sid, own.languages, own.targets)
    return sorted(voices.values(), key=lambda v: v.voice_sid)


def voice_field_type(name: str) -> FieldType | None:
    if name == "voice_sid":
        return "str"
    if name.startswith("languages.") and len(name) > len("languages."):
        return "int"
    return None


def filter_voices(voices: list[TtsVoice], conditions: list[Condition]) -> list[TtsVoice]:
    return [v for v in voices if matches(conditions, v.record(), voice_field_type)]


def order_voices(voices: list[TtsVoice], order: str) -> list[TtsVoice]:
    """``order=voice_sid [asc|desc]``: voices have no other field worth ordering by."""
    words = order.split()
    if not words:
        return voices
    if words[0] != "voice_sid" or len(words) > 2 or words[-1].lower() not in _DIRECTIONS:
        raise BadRequest("Invalid order", errors=["order: voices are ordered by voice_sid only"])
    return sorted(voices, key=lambda v: v.voice_sid, reverse=words[-1].lower() == "desc")


def resolve_voice(
    voices: list[TtsVoice], voice_sid: str | None, language: str | None
) -> tuple[TtsVoice, str, str]:
    """The voice, the language code and the catalogue alias to speak with."""
    by_sid = {v.voice_sid.lower(): v for v in voices}
    voice = by_sid.get((voice_sid or "man").lower())
    if voice is None:
        raise Invalid("not found", field="voice_sid")
    if not language:
        default = voice.default_language()
        return voice, default, voice.targets[default]
    asked = language.replace("_", "-").lower()
    spoken = {code.lower(): code for code in voice.languages}
    if asked not in spoken:
        known = {c.lower() for v in voices for c in v.languages}
        message = "not supported by voice" if asked in known else "not supported"
        raise Invalid(message, field="language")
    code = spoken[asked]
    return voice, code, voice.targets[code]
