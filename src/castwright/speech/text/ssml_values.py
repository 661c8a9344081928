"""Attribute values of the script markup: pause lengths and prosody settings.

Every function here turns one attribute value into a number and raises ``ValueError`` with a
short, user-facing reason when the value does not fit the grammar. The parser adds the tag and
its offset to that reason. Grammars follow W3C SSML 1.1 where the AudioStack docs are silent.
"""

from __future__ import annotations

import re

from castwright.speech.text.document import NEUTRAL, Interpretation, Prosody

__all__ = [
    "BREAK_STRENGTHS",
    "EMPHASIS_LEVELS",
    "MAX_BREAK_SECONDS",
    "PITCH_RANGE",
    "PITCH_REFERENCE_HZ",
    "RATE_RANGE",
    "SAY_AS_KINDS",
    "VOLUME_RANGE",
    "clamp_prosody",
    "decibels_to_gain",
    "parse_break_strength",
    "parse_pitch",
    "parse_rate",
    "parse_time",
    "parse_volume",
]

MAX_BREAK_SECONDS = 10.0

BREAK_STRENGTHS: dict[str, float] = {
    "none": 0.0,
    "x-weak": 0.12,
    "weak": 0.3,
    "medium": 0.5,
    "strong": 0.7,
    "x-strong": 0.9,
}

# Limits of the multipliers handed to engines (see SynthesisParams). Volume is capped at +12 dB
# so that a careless "x-loud" inside "x-loud" cannot clip the mix.
RATE_RANGE = (0.25, 4.0)
PITCH_RANGE = (0.5, 2.0)
VOLUME_RANGE = (0.0, 4.0)

# Absolute pitches ("180Hz") are taken relative to a typical speaking voice, since the engine's
# own baseline is unknown here.
PITCH_REFERENCE_HZ = 120.0

RATE_KEYWORDS: dict[str, float] = {
    "x-slow": 0.5,
    "slow": 0.75,
    "medium": 1.0,
    "default": 1.0,
    "fast": 1.25,
    "x-fast": 1.5,
}

PITCH_KEYWORDS: dict[str, float] = {
    "x-low": 0.75,
    "low": 0.88,
    "medium": 1.0,
    "default": 1.0,
    "high": 1.13,
    "x-high": 1.3,
}

# Keyword volumes in decibels; "silent" is handled separately because it is -inf dB.
VOLUME_KEYWORDS_DB: dict[str, float] = {
    "x-soft": -12.0,
    "soft": -6.0,
    "medium": 0.0,
    "default": 0.0,
    "loud": 4.0,
    "x-loud": 8.0,
}

# SSML say-as interpret-as values and the reading each one gets.
SAY_AS_KINDS: dict[str, Interpretation] = {
    "cardinal": "cardinal",
    "number": "cardinal",
    "ordinal": "ordinal",
    "characters": "characters",
    "spell-out": "characters",
    "verbatim": "characters",
    "digits": "digits",
    "date": "date",
    "time": "time",
    "currency": "currency",
    "telephone": "telephone",
}


_NUMBER = r"(?P<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+))"
_TIME_RE = re.compile(rf"^{_NUMBER}\s*(?P<unit>s|ms)?$", re.IGNORECASE)
_PERCENT_RE = re.compile(rf"^{_NUMBER}\s*%$")
_SEMITONES_RE = re.compile(rf"^{_NUMBER}\s*st$", re.IGNORECASE)
_HERTZ_RE = re.compile(rf"^{_NUMBER}\s*hz$", re.IGNORECASE)
_DECIBELS_RE = re.compile(rf"^{_NUMBER}\s*db$", re.IGNORECASE)
_BARE_NUMBER_RE = re.compile(rf"^{_NUMBER}$")


# Far outside what clamp_prosody allows, and small enough that powers never overflow a float.
_MAX_DECIBELS, _MAX_SEMITONES = 200.0, 240.0


def _limit(value: float, bound: float) -> float:
    return max(-bound, min(value, bound))


def decibels_to_gain(decibels: float) -> float:
    return float(10.0 ** (_limit(decibels, _MAX_DECIBELS) / 20.0))


# SSML <emphasis level>: stronger emphasis is slower and, for "strong", 2 dB louder.
EMPHASIS_LEVELS: dict[str, Prosody] = {
    "strong": Prosody(rate=0.9, volume=decibels_to_gain(2.0)),
    "moderate": Prosody(rate=0.95),
    "reduced": Prosody(rate=1.05, volume=0.8),
    "none": NEUTRAL,
}


def parse_time(value: str) -> float:
    """``"0.5s"``, ``"500ms"`` or a bare number of milliseconds, in seconds."""
    match = _TIME_RE.match(value.strip())
    if match is None:
        raise ValueError(f"time {value!r} is not a duration like '0.5s' or '500ms'")
    amount = float(match["number"])
    if amount < 0:
        raise ValueError(f"time {value!r} is negative")
    unit = (match["unit"] or "ms").lower()
    return amount if unit == "s" else amount / 1000.0


def parse_break_strength(value: str) -> float:
    seconds = BREAK_STRENGTHS.get(value.strip().lower())
    if seconds is None:
        allowed = ", ".join(BREAK_STRENGTHS)
        raise ValueError(f"strength {value!r} is not one of {allowed}")
    return seconds


def _relative_percent(match: re.Match[str], value: str) -> float:
    """``120%`` is 1.2 of normal; ``+20%`` and ``-20%`` change normal by that much."""
    number = match["number"]
    amount = float(number)
    factor = 1.0 + amount / 100.0 if number[0] in "+-" else amount / 100.0
    if factor <= 0:
        raise ValueError(f"{value!r} leaves nothing to speak with")
    return factor


def parse_rate(value: str) -> float:
    text = value.strip().lower()
    if text in RATE_KEYWORDS:
        return RATE_KEYWORDS[text]
    if match := _PERCENT_RE.match(text):
        return _relative_percent(match, f"rate {value}")
    if (match := _BARE_NUMBER_RE.match(text)) and float(match["number"]) > 0:
        return float(match["number"])  # SSML 1.1: a bare number is a multiplier
    allowed = ", ".join(RATE_KEYWORDS)
    raise ValueError(f"rate {value!r} is not a percentage or one of {allowed}")


def parse_pitch(value: str) -> float:
    text = value.strip().lower()
    if text in PITCH_KEYWORDS:
        return PITCH_KEYWORDS[text]
    if match := _PERCENT_RE.match(text):
        return _relative_percent(match, f"pitch {value}")
    if match := _SEMITONES_RE.match(text):
        return float(2.0 ** (_limit(float(match["number"]), _MAX_SEMITONES) / 12.0))
    if match := _HERTZ_RE.match(text):
        number = match["number"]
        hertz = float(number)
        # "+20Hz" moves the reference voice; "180Hz" names a target pitch.
        target = PITCH_REFERENCE_HZ + hertz if number[0] in "+-" else hertz
        if target <= 0:
            raise ValueError(f"pitch {value!r} is not a positive frequency")
        return target / PITCH_REFERENCE_HZ
    allowed = ", ".join(PITCH_KEYWORDS)
    raise ValueError(f"pitch {value!r} is not a percentage, semitones, Hz or one of {allowed}")


def parse_volume(value: str) -> float:
    text = value.strip().lower()
    if text == "silent":
        return 0.0
    if text in VOLUME_KEYWORDS_DB:
        return decibels_to_gain(VOLUME_KEYWORDS_DB[text])
    if match := _DECIBELS_RE.match(text):
        return decibels_to_gain(float(match["number"]))
    allowed = ", ".join(["silent", *VOLUME_KEYWORDS_DB])
    raise ValueError(f"volume {value!r} is not decibels like '+6dB' or one of {allowed}")


def _clamp(value: float, limits: tuple[float, float]) -> float:
    low, high = limits
    return min(max(value, low), high)


def clamp_prosody(prosody: Prosody) -> Prosody:
    """The prosody limited to what engines accept (equal to the input when already inside)."""
    return Prosody(
        rate=_clamp(prosody.rate, RATE_RANGE),
        pitch=_clamp(prosody.pitch, PITCH_RANGE),
        volume=_clamp(prosody.volume, VOLUME_RANGE),
    )
