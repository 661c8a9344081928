"""What a stream is asked for, and every check on it, made before any byte is sent."""

from __future__ import annotations

import math
from dataclasses import dataclass

from castwright.dictionaries.lexicon import EMPTY_LEXICON, Lexicon
from castwright.errors import Invalid
from castwright.speech.streaming.encoders import STREAM_FORMATS
from castwright.speech.streaming.planning import StreamPlan, plan_stream
from castwright.speeches.planning import TtsOptions
from castwright.voices.catalogue import Voice, VoiceCatalogue

__all__ = [
    "MAX_SPEED",
    "MIN_SPEED",
    "PreparedStream",
    "StreamRequest",
    "native_rate",
    "prepare",
]

# Wider than the AudioStack face's 0.5-3: OpenAI's range. espeak-ng cannot go below about
# 0.49x (its 80 wpm floor) and says so in its docstring; it does not pretend by padding.
MIN_SPEED, MAX_SPEED = 0.25, 4.0

_DEFAULT_KBPS = {"mp3": 128, "opus": 64, "aac": 96, "ogg": 64}
_MIN_KBPS, _MAX_KBPS = 8, 320
_OPUS_MAX_KBPS = 256  # libopus's ceiling for one channel
_MIN_RATE, _MAX_RATE = 8_000, 96_000
# Rates each lossy codec takes (mono). Opus runs at these only; FFmpeg's AAC and LAME at theirs.
_CODEC_RATES = {
    "opus": (8_000, 12_000, 16_000, 24_000, 48_000),
    "mp3": (8_000, 11_025, 12_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000),
    "ogg": (8_000, 11_025, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000),
    "aac": (8_000, 11_025, 12_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000),
}
# Where a format fixes the rate when the caller does not: Opus decodes at 48 kHz whatever it
# was fed, and raw pcm has no header, so it follows OpenAI's documented 24 kHz.
_FORMAT_RATES = {"opus": 48_000, "pcm": 24_000}


@dataclass(frozen=True)
class StreamRequest:
    text: str  # plain text or AudioStack markup; no length limit
    voice: str  # a catalogue voice alias (runtime.voices), already mapped by the face
    org_id: str  # whose pronunciation dictionaries apply
    speed: float = 1.0
    format: str = "mp3"  # mp3 | wav | ogg | opus | aac | flac | pcm
    bitrate: int | None = None  # kbit/s for lossy formats
    sample_rate: int | None = None  # None: engine's own rate (or the format's constraint)
    language: str | None = None  # optional: check the voice speaks it
    # Numbers, dates and symbols spoken as words (AudioStack's voiceIntelligence).
    normalise: bool = True
    markup: bool = True  # False: every character is text ("<b>" is said, not parsed)


@dataclass(frozen=True)
class PreparedStream:
    """A request that passed every check: the plans to speak and how to encode them."""

    plans: StreamPlan  # iterate for the section plans (plain text is planned as it goes)
    voice: Voice
    format: str
    bitrate: int
    sample_rate: int | None  # None: the first sentence's rate


def prepare(
    request: StreamRequest,
    catalogue: VoiceCatalogue,
    default_rate: int | None = None,
    lexicon: Lexicon = EMPTY_LEXICON,
) -> PreparedStream:
    """``default_rate`` (settings.speech.sample_rate) applies where the caller and the format
    leave the rate free and the codec takes it; ``lexicon`` (the organisation's pronunciation
    dictionaries) goes to planning as /speech/tts passes it."""
    if not request.text.strip():
        raise Invalid("is required", field="text")
    fmt = request.format.lower()
    if fmt not in STREAM_FORMATS:
        raise Invalid(f"must be one of {', '.join(STREAM_FORMATS)}", field="format")
    speed = request.speed
    if not (math.isfinite(speed) and MIN_SPEED <= speed <= MAX_SPEED):
        raise Invalid(f"must be between {MIN_SPEED} and {MAX_SPEED}", field="speed")
    voice = catalogue.resolve(request.voice, "voice")
    if request.language and not _speaks(voice, request.language):
        raise Invalid(
            f"voice {voice.alias!r} speaks {voice.language_code}, not {request.language}",
            field="language",
        )
    bitrate = _bitrate(fmt, request.bitrate)
    rate = _sample_rate(fmt, request.sample_rate)
    if rate is None and default_rate and default_rate in _CODEC_RATES.get(fmt, (default_rate,)):
        rate = default_rate
    options = TtsOptions(voice=voice.alias, voice_intelligence=request.normalise, lexicon=lexicon)
    language = voice.language_code.split("-")[0].lower()
    try:
        plans = plan_stream(request.text, request.markup, options, catalogue, speed, language)
    except Invalid as error:  # the markup parser names its own wire field (scriptText)
        if error.field not in (None, "scriptText"):
            raise
        raise Invalid(error.message.removeprefix("scriptText: "), field="text") from None
    return PreparedStream(plans, voice, fmt, bitrate, rate)


def _speaks(voice: Voice, language: str) -> bool:
    """en matches en-US; en-US matches en-US and a voice tagged just en; en-GB is not en-US."""
    asked = language.replace("_", "-").lower()
    for code in (c.lower() for c in (voice.language_code, *voice.supported_languages)):
        if asked in (code, code.split("-")[0]) or asked.split("-")[0] == code:
            return True
    return False


def native_rate(fmt: str, engine_rate: int) -> int:
    """The output rate when the caller chose none: the engine's own where the codec takes it,
    else the next rate up that it does."""
    allowed = _CODEC_RATES.get(fmt)
    if allowed is None or engine_rate in allowed:
        return engine_rate
    return next((r for r in allowed if r >= engine_rate), allowed[-1])


def _bitrate(fmt: str, asked: int | None) -> int:
    if asked is None:
        return _DEFAULT_KBPS.get(fmt, 0)
    if fmt not in _DEFAULT_KBPS:
        return 0  # lossless: nothing to choose; accepted and ignored like OpenAI's peers do
    ceiling = _OPUS_MAX_KBPS if fmt == "opus" else _MAX_KBPS
    if not _MIN_KBPS <= asked <= ceiling:
        raise Invalid(f"must be between {_MIN_KBPS} and {ceiling} kbit/s", field="bitrate")
    return asked


def _sample_rate(fmt: str, asked: int | None) -> int | None:
    if asked is None:
        return _FORMAT_RATES.get(fmt)
    allowed = _CODEC_RATES.get(fmt)
    if allowed is not None and asked not in allowed:
        listed = ", ".join(str(r) for r in allowed)
        raise Invalid(f"{fmt} streams take {listed} Hz", field="sample_rate")
    if not _MIN_RATE <= asked <= _MAX_RATE:
        raise Invalid(f"must be between {_MIN_RATE} and {_MAX_RATE} Hz", field="sample_rate")
    return asked
