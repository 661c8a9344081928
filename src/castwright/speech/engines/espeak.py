"""EspeakEngine: espeak-ng through the in-process ctypes binding.

Voice ids are espeak-ng's own language tags, lower-case: "en-us", "en-gb", "en-gb-scotland",
"de", "fr-fr", "es", ... A variant may be appended as in the espeak-ng command line
("en-us+f2") or passed as ``SynthesisParams.variant`` (which wins when both are given).
The voice's file identifier ("gmw/en-US") and its file name ("en-US") are accepted as well.

How the parameters map, and where the library draws lines:

* rate: words per minute = 175 x rate. Duration scales as 1/rate (within 5 %, measured)
  from 0.49x to 4x; above 450 wpm the library switches to its built-in sonic time-compressor,
  which is what makes 3x and 4x honest. espeak-ng cannot speak slower than 80 wpm (it raises
  anything lower to 80, and 80-84 wpm sound the same), so rates below about 0.49 come out at
  0.49; the audio is not padded or stretched to pretend otherwise.
* pitch: espeak-ng's pitch (0-99, default 50) moves the voice's base frequency and its range
  (0-99, default 50) scales the intonation swings; both are set so that the whole contour is
  multiplied. The multiplier is mapped through a table measured on this library (median f0
  by autocorrelation over several voices), because the library's response is not the
  ``2 ** ((pitch - 50) / 50)`` its source table suggests. Reachable: 0.60x to 1.75x;
  requests outside are clamped to those ends.
* volume: a linear gain applied to the samples. espeak's own volume is left at 100: it is
  only roughly linear below that and squashes peaks above about 150.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import numpy as np

from castwright.audio import AudioBuffer
from castwright.errors import Invalid
from castwright.speech.engines.base import EngineUnavailable, EngineVoice, SynthesisParams
from castwright.speech.engines.espeak_binding import (
    DEFAULT_PITCH,
    DEFAULT_RANGE,
    DEFAULT_RATE_WPM,
    MAX_RANGE,
    MIN_RATE_WPM,
    EspeakError,
    EspeakLibrary,
    LibraryVoice,
    espeak_library,
)

__all__ = ["MAX_PITCH_MULTIPLIER", "MIN_PITCH_MULTIPLIER", "EspeakEngine"]

# Bump when the mapping from SynthesisParams to library settings changes, so cached renders
# made with the old mapping are not reused.
_MAPPING_REVISION = 1

_MAX_RATE = 4.0  # SynthesisParams' documented ceiling (700 wpm, sonic-compressed)

# espeak pitch value -> measured log2(f0 ratio to pitch 50) with the range scaled alongside.
# Measured with espeak-ng 1.52.0 on en-US, en-US+f2, en-US+m3, en-GB and fr-FR, two
# sentences each; the spread between voices was about 0.02 octave.
_PITCH_VALUES = (0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95, 99)
_PITCH_OCTAVES = (
    -0.726, -0.631, -0.561, -0.493, -0.437, -0.363, -0.278, -0.210, -0.153, -0.070, 0.0,
    0.072, 0.152, 0.229, 0.317, 0.398, 0.476, 0.568, 0.654, 0.738, 0.809,
)  # fmt: skip
MIN_PITCH_MULTIPLIER = round(2 ** _PITCH_OCTAVES[0], 2)  # 0.60
MAX_PITCH_MULTIPLIER = round(2 ** _PITCH_OCTAVES[-1], 2)  # 1.75

# Espeak's English names where the parenthesis is not an accent, or the language is misnamed.
_NAME_OVERRIDES: dict[str, tuple[str, str]] = {
    "English (America, New York City)": ("english", "new york"),
    "English (Shavian alphabet)": ("english", ""),
    "Gaelic (Irish)": ("irish", ""),
    "Gaelic (Scottish)": ("scottish gaelic", ""),
    "Greek (Ancient)": ("ancient greek", ""),
    "Myanmar (Burmese)": ("burmese", ""),
    "Nahuatl (Classical)": ("classical nahuatl", ""),
    "Persian (Pinglish)": ("persian", ""),
    "Shan (Tai Yai)": ("shan", ""),
}
# Region in espeak's voice name -> the accent as listeners name it.
_ACCENTS = {
    "america": "american",
    "great britain": "british",
    "scotland": "scottish",
    "lancaster": "lancastrian",
    "france": "french",
    "belgium": "belgian",
    "switzerland": "swiss",
    "spain": "castilian",
    "latin america": "latin american",
    "portugal": "european",
    "brazil": "brazilian",
    "latvia": "latvian",
    "east armenia": "eastern",
    "west armenia": "western",
}
# espeak-ng tags that are not BCP-47 as written (their second part is not a region).
_BCP47_OVERRIDES = {
    "ca-ba": "ca-ES-x-balear",
    "ca-nw": "ca-ES-x-nw",
    "ca-va": "ca-ES-valencia",
    "en-us-nyc": "en-US-x-nyc",
    "piqd": "tlh-Piqd",
    "ru-cl": "ru-x-classic",
}
_GENDERS = {1: "male", 2: "female"}


def bcp47(tag: str) -> str:
    """espeak-ng's lower-case language tag as BCP-47 ("en-gb-x-rp" -> "en-GB-x-rp")."""
    tag = tag.lower()
    if tag in _BCP47_OVERRIDES:
        return _BCP47_OVERRIDES[tag]
    parts = tag.split("-")
    out = [parts[0]]
    private = False
    for part in parts[1:]:
        if private or len(part) == 1:
            private = True  # after a singleton ("x") everything stays lower-case
            out.append(part)
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())  # region
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())  # script
        else:
            out.append(part)
    return "-".join(out)


def _language_and_accent(espeak_name: str) -> tuple[str, str]:
    if espeak_name in _NAME_OVERRIDES:
        return _NAME_OVERRIDES[espeak_name]
    language, _, detail = espeak_name.partition("(")
    region = detail.rstrip(")").split(",")[0].strip().lower()
    return language.strip().lower(), _ACCENTS.get(region, region)


@dataclass(frozen=True)
class _Variants:
    names: tuple[str, ...]  # file names under voices/!v, as "+name" expects them
    lookup: dict[str, str]  # lower-case file or display name -> file name
    female: tuple[str, ...]


@dataclass(frozen=True)
class _Catalogue:
    voices: list[EngineVoice]
    identifiers: dict[str, str]  # lower-case alias -> voice file identifier
    variants: _Variants


def _variant_table(entries: list[LibraryVoice]) -> _Variants:
    names: list[str] = []
    lookup: dict[str, str] = {}
    female: list[str] = []
    for entry in entries:
        name = entry.identifier.removeprefix("!v/")
        names.append(name)
        lookup.setdefault(entry.name.lower(), name)  # display name, e.g. "female2" -> "f2"
        if entry.gender == 2:
            female.append(name)
    for name in names:  # file names win over display names
        lookup[name.lower()] = name
    ordered = tuple(sorted(names, key=str.lower))
    return _Variants(ordered, lookup, tuple(sorted(female, key=str.lower)))


def _build_catalogue(library: EspeakLibrary, engine_name: str) -> _Catalogue:
    variants = _variant_table(library.list_voices("variant"))
    entries = library.list_voices()
    voices: list[EngineVoice] = []
    identifiers: dict[str, str] = {}
    first_tags = [entry.languages[0][1] for entry in entries if entry.languages]
    for entry in entries:
        if not entry.languages:
            continue
        tag = entry.languages[0][1].lower()
        file_name = entry.identifier.rsplit("/", 1)[-1].lower()
        # Two Cantonese voices both lead with "yue": the second one is known by its file name.
        voice_id = tag if first_tags.count(tag) == 1 or tag == file_name else file_name
        language, accent = _language_and_accent(entry.name)
        voices.append(
            EngineVoice(
                engine=engine_name,
                voice_id=voice_id,
                language_code=bcp47(voice_id),
                language=language,
                gender=_GENDERS.get(entry.gender, "neutral"),
                accent=accent,
                variants=variants.names,
                extra={
                    "identifier": entry.identifier,
                    "espeak_name": entry.name,
                    "female_variants": ",".join(variants.female),
                },
            )
        )
        identifiers[voice_id] = entry.identifier
    # Secondary names, never overriding a voice id: file identifier, file name, then each
    # language tag, the voice listing it with the best priority winning.
    for entry in entries:
        identifiers.setdefault(entry.identifier.lower(), entry.identifier)
        identifiers.setdefault(entry.identifier.rsplit("/", 1)[-1].lower(), entry.identifier)
    listed = [
        (priority, tag.lower(), entry.identifier)
        for entry in entries
        for priority, tag in entry.languages
    ]
    for _priority, tag, identifier in sorted(listed, key=lambda item: item[0]):
        identifiers.setdefault(tag, identifier)
    return _Catalogue(voices, identifiers, variants)


def _pitch_settings(multiplier: float) -> tuple[int, int]:
    """(pitch, range) for espeak that multiply the voice's f0 contour by ``multiplier``."""
    octaves = math.log2(multiplier)
    value = float(np.interp(octaves, _PITCH_OCTAVES, _PITCH_VALUES))
    pitch = round(value)
    # Scale the intonation range with the base pitch so the contour keeps its shape.
    pitch_range = min(MAX_RANGE, round(DEFAULT_RANGE * 2 ** ((value - DEFAULT_PITCH) / 50)))
    return pitch, pitch_range


def _rate_wpm(rate: float) -> int:
    return max(MIN_RATE_WPM, round(DEFAULT_RATE_WPM * min(rate, _MAX_RATE)))


class EspeakEngine:
    """espeak-ng, in process. Every language the library ships; thread-safe (serialised)."""

    name = "espeak-ng"

    def __init__(self) -> None:
        try:
            self._library = espeak_library()
        except EspeakError as exc:
            raise EngineUnavailable(
                f"espeak-ng is not available ({exc}): pip install 'espeakng-loader>=0.2.4,<0.3'"
            ) from exc
        self.version = f"{self._library.version}+castwright.{_MAPPING_REVISION}"
        self._catalogue: _Catalogue | None = None
        self._catalogue_lock = threading.Lock()

    def _voices(self) -> _Catalogue:
        with self._catalogue_lock:
            if self._catalogue is None:
                self._catalogue = _build_catalogue(self._library, self.name)
            return self._catalogue

    @property
    def sample_rate(self) -> int:
        return self._library.sample_rate

    @property
    def library(self) -> EspeakLibrary:
        """The process-wide library (the neural engines ask it for phonemes)."""
        return self._library

    def voices(self) -> list[EngineVoice]:
        return list(self._voices().voices)

    def resolve(self, voice_id: str, variant: str = "") -> str:
        """The name espeak_SetVoiceByName gets for ``voice_id`` (+ variant): "gmw/en-US+f2".

        Raises ``Invalid`` for an unknown voice or variant; the library itself would silently
        keep speaking with the previous voice, or drop an unknown variant.
        """
        catalogue = self._voices()
        base, _, inline_variant = voice_id.strip().partition("+")
        identifier = catalogue.identifiers.get(base.lower())
        if identifier is None:
            raise Invalid(f"espeak-ng has no voice {voice_id!r}", field="voice_id")
        wanted = variant.strip().removeprefix("+") or inline_variant.strip()
        if not wanted:
            return identifier
        file_name = catalogue.variants.lookup.get(wanted.lower())
        if file_name is None:
            raise Invalid(f"espeak-ng has no voice variant {wanted!r}", field="variant")
        return f"{identifier}+{file_name}"

    def synthesize(self, text: str, voice_id: str, params: SynthesisParams) -> AudioBuffer:
        params.check()
        voice = self.resolve(voice_id, params.variant)
        if not text.strip():
            return AudioBuffer.silence(0, self.sample_rate)
        pitch, pitch_range = _pitch_settings(params.pitch)
        pcm = self._library.synthesize(
            text,
            voice,
            rate_wpm=_rate_wpm(params.rate),
            pitch=pitch,
            pitch_range=pitch_range,
            # [[...]]: pronunciations from a dictionary, written as espeak-ng phonemes (the
            # planner escapes "[[" in ordinary text, so only those are read as phonemes).
            phonemes="[[" in text,
        )
        samples = np.multiply(pcm, np.float32(params.volume / 32768.0), dtype=np.float32)
        if params.volume > 1.0:  # int16 / 32768 alone can never leave [-1, 1)
            np.clip(samples, -1.0, 1.0, out=samples)
        return AudioBuffer.mono(samples, self.sample_rate)
