"""Delivery presets: how a programme is encoded (spec 13.2) and how loud it is made (13.3).

Settings are plain frozen values; :mod:`castwright.audio.encode` turns them into bytes. Every
check on a request's encoder or loudness fields lives here, so a bad request is refused with
the offending wire field named before any audio is touched.

``bit_rate`` follows the wire's ``bitRate``: kilobits per second when the rate control is
``constant``, a quality level 0 (best) … 9 when it is ``variable``. The levels are LAME's V0 …
V9; the other codecs read level *n* as "about the bit rate LAME's V\\ *n* gives" (table below).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal, TypeAlias, TypeVar

from castwright.errors import Invalid

__all__ = [
    "ACCEPTED_FORMATS",
    "ENCODER_PRESETS",
    "LOUDNESS_PRESETS",
    "VBR_NOMINAL_KBPS",
    "BitRateType",
    "EncoderPreset",
    "EncoderSettings",
    "Format",
    "LoudnessPreset",
    "LoudnessTarget",
    "custom_encoder",
    "custom_loudness",
    "encoder_preset",
    "list_presets",
    "loudness_preset",
]

Format: TypeAlias = Literal["mp3", "wav", "ogg", "flac", "opus", "aac", "m4a"]
BitRateType: TypeAlias = Literal["constant", "variable"]

# The spec's formats first; opus (Ogg Opus), aac (ADTS) and m4a (AAC in MP4) are Castwright
# extensions reachable only through custom settings. The name is the file extension.
ACCEPTED_FORMATS: tuple[Format, ...] = ("wav", "mp3", "flac", "ogg", "opus", "aac", "m4a")
_LOSSLESS: frozenset[str] = frozenset({"wav", "flac"})
_BIT_DEPTHS: dict[str, tuple[int, ...]] = {"wav": (16, 24, 32), "flac": (16, 24)}

# Spec 13.1: sampleRate 24 to 96 kHz; bitRate 32 to 320 kbps, MP3 only at MPEG-1 layer III rates.
_MIN_RATE, _MAX_RATE = 24_000, 96_000
_MIN_KBPS, _MAX_KBPS = 32, 320
_MPEG1_KBPS = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_MPEG2_MAX_KBPS = 160  # MPEG-2 layer III (the 24 kHz rate) tops out at 160 kbps

# Sample rates each lossy codec can carry, within the spec's range. Opus always decodes at
# 48 kHz, so any other rate would come back as 48 kHz: only 48 kHz is offered.
_CODEC_RATES: dict[str, tuple[int, ...]] = {
    "mp3": (24_000, 32_000, 44_100, 48_000),
    "ogg": (24_000, 32_000, 44_100, 48_000),  # libvorbis has no bit-rate modes above 50 kHz
    "opus": (48_000,),
    "aac": (24_000, 32_000, 44_100, 48_000, 64_000, 88_200, 96_000),
    "m4a": (24_000, 32_000, 44_100, 48_000, 64_000, 88_200, 96_000),
}

# libvorbis's managed (bit-rate) modes, measured per channel count and sample rate band:
# (lowest rate in the band, channels) -> (min kbps, max kbps).
_VORBIS_KBPS: dict[tuple[int, int], tuple[int, int]] = {
    (24_000, 1): (16, 90),
    (24_000, 2): (30, 180),
    (32_000, 1): (30, 190),
    (32_000, 2): (36, 380),
    (44_100, 1): (32, 240),
    (44_100, 2): (45, 500),
}

# LAME's published average bit rates for V0 … V9 (stereo, 44.1 kHz). Opus aims at these;
# Vorbis uses the quality whose nominal rate is nearest (_VORBIS_QUALITY in encode.py).
VBR_NOMINAL_KBPS: tuple[int, ...] = (245, 225, 190, 175, 165, 130, 115, 100, 85, 65)


@dataclass(frozen=True)
class EncoderSettings:
    """One output file's encoding. ``bit_rate_type``/``bit_rate`` are None for wav and flac;
    ``bit_depth`` is None for the lossy formats."""

    format: Format
    bit_rate_type: BitRateType | None
    bit_rate: int | None
    sample_rate: int
    bit_depth: int | None
    channels: int

    @property
    def lossless(self) -> bool:
        return self.format in _LOSSLESS

    def wire(self) -> dict[str, object]:
        return {
            "format": self.format,
            "bitRateType": self.bit_rate_type,
            "bitRate": self.bit_rate,
            "sampleRate": self.sample_rate,
            "bitDepth": self.bit_depth,
            "channels": self.channels,
        }


@dataclass(frozen=True)
class EncoderPreset:
    name: str
    description: str
    settings: EncoderSettings


@dataclass(frozen=True)
class LoudnessTarget:
    """Integrated loudness (LUFS), true-peak ceiling (dBTP), loudness-range target (LU)."""

    lufs: float
    true_peak_dbtp: float
    dynamic_range: float | None


@dataclass(frozen=True)
class LoudnessPreset:
    name: str
    description: str
    target: LoudnessTarget
    aliases: tuple[str, ...] = ()


def _mp3_cbr(kbps: int, rate: int, channels: int) -> EncoderSettings:
    return EncoderSettings("mp3", "constant", kbps, rate, None, channels)


def _mp3_vbr(level: int) -> EncoderSettings:
    return EncoderSettings("mp3", "variable", level, 44_100, None, 2)


def _encoder_presets() -> dict[str, EncoderPreset]:
    presets = [
        EncoderPreset(
            "mp3", "MP3, 320 kbps constant bit rate, 44.1 kHz stereo", _mp3_cbr(320, 44_100, 2)
        ),
        EncoderPreset(
            "wav",
            "WAV, 16-bit PCM, 48 kHz stereo",
            EncoderSettings("wav", None, None, 48_000, 16, 2),
        ),
        EncoderPreset(
            "ogg",
            "Ogg Vorbis, 320 kbps average bit rate, 48 kHz stereo",
            EncoderSettings("ogg", "constant", 320, 48_000, None, 2),
        ),
        EncoderPreset(
            "flac",
            "FLAC, lossless 16-bit, 48 kHz stereo",
            EncoderSettings("flac", None, None, 48_000, 16, 2),
        ),
    ]
    for name, level in (
        ("mp3_very_low", 9),
        ("mp3_low", 6),
        ("mp3_medium", 4),
        ("mp3_high", 2),
        ("mp3_very_high", 0),
    ):
        kbps = VBR_NOMINAL_KBPS[level]
        description = f"MP3, variable bit rate (LAME V{level}, ~{kbps} kbps), 44.1 kHz stereo"
        presets.append(EncoderPreset(name, description, _mp3_vbr(level)))
    presets.append(
        EncoderPreset(
            "mp3_alexa",
            "MP3 for Alexa skills' SSML audio: 48 kbps constant bit rate, 24 kHz mono",
            _mp3_cbr(48, 24_000, 1),
        )
    )
    return {preset.name: preset for preset in presets}


ENCODER_PRESETS: dict[str, EncoderPreset] = _encoder_presets()

# Defaults for a format reached through custom settings (or a preset switched to it).
_FORMAT_DEFAULTS: dict[str, EncoderSettings] = {
    "mp3": ENCODER_PRESETS["mp3"].settings,
    "wav": ENCODER_PRESETS["wav"].settings,
    "ogg": ENCODER_PRESETS["ogg"].settings,
    "flac": ENCODER_PRESETS["flac"].settings,
    "opus": EncoderSettings("opus", "variable", 2, 48_000, None, 2),
    "aac": EncoderSettings("aac", "constant", 256, 44_100, None, 2),
    "m4a": EncoderSettings("m4a", "constant", 256, 44_100, None, 2),
}

# Rates for a format switched to a kind its base preset did not use.
_DEFAULT_KBPS: dict[str, int] = {"mp3": 320, "ogg": 320, "opus": 160, "aac": 256, "m4a": 256}
_DEFAULT_VBR_LEVEL = 2  # mp3_high's level, ~190 kbps


def _loudness(
    name: str, lufs: float, peak: float, lra: float, description: str, *aliases: str
) -> LoudnessPreset:
    return LoudnessPreset(name, description, LoudnessTarget(lufs, peak, lra), aliases)


LOUDNESS_PRESETS: dict[str, LoudnessPreset] = {
    preset.name: preset
    for preset in (
        _loudness("podcast", -16, -1, 11, "Podcasts: -16 LUFS, -1 dBTP"),
        _loudness("streaming", -14, -1, 11, "Music streaming services: -14 LUFS, -1 dBTP"),
        _loudness("spotify", -14, -1, 11, "Spotify (and its advertising): -14 LUFS, -1 dBTP"),
        _loudness("apple", -16, -1, 11, "Apple Podcasts: -16 LUFS, -1 dBTP", "apple_podcasts"),
        _loudness("broadcast", -23, -1, 15, "EBU R128 broadcast: -23 LUFS, -1 dBTP", "ebu_r128"),
        _loudness("radio", -23, -1, 8, "Radio (EBU R128, narrow range): -23 LUFS, -1 dBTP"),
        _loudness("atsc_a85", -24, -2, 15, "ATSC A/85 US television: -24 LKFS, -2 dBTP"),
    )
}
_LOUDNESS_NAMES: dict[str, LoudnessPreset] = {
    name: preset for preset in LOUDNESS_PRESETS.values() for name in (preset.name, *preset.aliases)
}


def encoder_preset(name: str) -> EncoderSettings:
    """A 13.2 preset's settings. ``custom`` has none of its own: a face that gets it calls
    :func:`custom_encoder` with no base."""
    preset = ENCODER_PRESETS.get(name.strip().lower())
    if preset is None:
        valid = ", ".join([*ENCODER_PRESETS, "custom"])
        raise Invalid(f"unknown encoder preset {name!r}; valid presets: {valid}", field="preset")
    return preset.settings


def loudness_preset(name: str) -> LoudnessTarget:
    preset = _LOUDNESS_NAMES.get(name.strip().lower())
    if preset is None:
        valid = ", ".join(_LOUDNESS_NAMES)
        raise Invalid(
            f"unknown loudness preset {name!r}; valid presets: {valid}", field="loudnessPreset"
        )
    return preset.target


def list_presets() -> dict[str, list[dict[str, object]]]:
    """``GET /delivery/encoder/presets``'s ``data``."""
    return {
        "presets": [
            {"name": p.name, "description": p.description, **p.settings.wire()}
            for p in ENCODER_PRESETS.values()
        ],
        "loudnessPresets": [
            {
                "name": p.name,
                "loudnessTarget": p.target.lufs,
                "truePeak": p.target.true_peak_dbtp,
                "dynamicRange": p.target.dynamic_range,
                "description": p.description,
                "aliases": list(p.aliases),
            }
            for p in LOUDNESS_PRESETS.values()
        ],
    }


# --- custom settings -------------------------------------------------------------------------

WireNumber: TypeAlias = int | float | str | None


def custom_encoder(
    base: EncoderSettings | None = None,
    *,
    format: str | None = None,
    bit_rate_type: str | None = None,
    bit_rate: WireNumber = None,
    sample_rate: WireNumber = None,
    bit_depth: WireNumber = None,
    channels: WireNumber = None,
) -> EncoderSettings:
    """``base`` (a preset's settings; None for ``preset="custom"``) with the request's fields
    laid over it. Missing fields are None or "" (the SDK sends both).

    A field the request names must be valid, or ``Invalid`` names it. A field inherited from
    ``base`` that the new format cannot use (mp3's 44.1 kHz for opus, a VBR level for wav)
    quietly becomes the format's default instead: the client never asked for it.
    """
    fmt = _format(format, base)
    default = _FORMAT_DEFAULTS[fmt]
    inherited = base if base is not None else default
    settings = default
    picked = _pick(settings, "channels", _given_int(channels, "channels"), inherited.channels)
    settings = replace(settings, channels=picked)
    picked = _pick(settings, "sampleRate", _given_rate(sample_rate), inherited.sample_rate)
    settings = replace(settings, sample_rate=picked)
    depth = _pick(settings, "bitDepth", _given_int(bit_depth, "bitDepth"), inherited.bit_depth)
    settings = replace(settings, bit_depth=depth)
    given_rate = _given_int(bit_rate, "bitRate")
    kind = _bit_rate_type(settings, _given_type(bit_rate_type), given_rate, inherited)
    settings = replace(settings, bit_rate_type=kind)
    return replace(settings, bit_rate=_bit_rate(settings, given_rate, inherited))


_T = TypeVar("_T", int, int | None)
_ATTRIBUTES = {"channels": "channels", "sampleRate": "sample_rate", "bitDepth": "bit_depth"}


def _pick(settings: EncoderSettings, wire: str, given: int | None, inherited: _T) -> _T:
    """The request's value, else the inherited one, else the format's default (``settings``
    holds the format's defaults, which are valid for it by construction)."""
    if given is not None:
        if problem := _problem(settings, wire, given):
            raise Invalid(problem, field=wire)
        return given
    if not _problem(settings, wire, inherited):
        return inherited
    default: _T = getattr(settings, _ATTRIBUTES[wire])
    return default


def _bit_rate_type(
    settings: EncoderSettings,
    given: BitRateType | None,
    given_rate: int | None,
    inherited: EncoderSettings,
) -> BitRateType | None:
    if given is not None:
        if problem := _problem(settings, "bitRateType", given):
            raise Invalid(problem, field="bitRateType")
        return given
    if settings.lossless:
        return None
    kinds: list[BitRateType] = [
        kind
        for kind in (inherited.bit_rate_type, _FORMAT_DEFAULTS[settings.format].bit_rate_type)
        if kind is not None and not _problem(settings, "bitRateType", kind)
    ]
    if given_rate is not None:
        # kbps (32 to 320) and quality levels (0 to 9) never overlap, so a bit rate sent over a
        # preset of the other kind says which kind the client means.
        candidates: tuple[BitRateType, ...] = (*kinds, "constant", "variable")
        for kind in candidates:
            fits = not _problem(replace(settings, bit_rate_type=kind), "bitRate", given_rate)
            if fits and not _problem(settings, "bitRateType", kind):
                return kind
        if given_rate > 9 and not _problem(settings, "bitRateType", "constant"):
            return "constant"  # no kind fits, but only kbps exceed 9: say what kbps allow
    return kinds[0]  # the format's default kind is always valid, so there is one


def _bit_rate(
    settings: EncoderSettings, given: int | None, inherited: EncoderSettings
) -> int | None:
    if given is not None:
        if problem := _problem(settings, "bitRate", given):
            raise Invalid(problem, field="bitRate")
        return given
    kind = settings.bit_rate_type
    if kind is None:
        return None
    wanted = inherited.bit_rate if inherited.bit_rate_type == kind else None
    if wanted is None:
        wanted = _DEFAULT_KBPS[settings.format] if kind == "constant" else _DEFAULT_VBR_LEVEL
    if not _problem(settings, "bitRate", wanted):
        return wanted
    # An inherited rate this codec cannot carry here (320 kbps for mono Vorbis): the nearest
    # one it can. Quality levels 0 to 9 are always valid, so only kbps get here.
    allowed = [k for k in range(_MIN_KBPS, _MAX_KBPS + 1) if not _problem(settings, "bitRate", k)]
    return min(allowed, key=lambda k: abs(k - wanted))


def _problem(settings: EncoderSettings, wire: str, value: object) -> str | None:
    """Why ``value`` cannot be ``wire`` for ``settings`` (whose earlier fields are final)."""
    fmt = settings.format
    if wire == "channels":
        return None if value in (1, 2) else f"must be 1 or 2, not {value}"
    if wire == "sampleRate":
        return _rate_problem(fmt, value)
    if wire == "bitDepth":
        depths = _BIT_DEPTHS.get(fmt)
        if depths is None:
            return None if value is None else f"{fmt} has no bit depth (only wav and flac)"
        return None if value in depths else f"{fmt} takes {_choices(depths)}, not {value}"
    if wire == "bitRateType":
        if fmt in _LOSSLESS:
            return None if value is None else f"{fmt} is lossless: it has no bit rate"
        if value not in ("constant", "variable"):
            return f"must be constant or variable, not {value}"
        if fmt in ("aac", "m4a") and value == "variable":
            return "AAC is encoded at a constant bit rate only"
        return None
    return _bit_rate_problem(settings, value)


def _rate_problem(fmt: str, value: object) -> str | None:
    if not isinstance(value, int) or not _MIN_RATE <= value <= _MAX_RATE:
        return f"must be {_MIN_RATE} to {_MAX_RATE} Hz, not {value}"
    rates = _CODEC_RATES.get(fmt)
    if rates is not None and value not in rates:
        return f"{fmt} takes {_choices(rates)} Hz, not {value}"
    return None


def _bit_rate_problem(settings: EncoderSettings, value: object) -> str | None:
    fmt, kind = settings.format, settings.bit_rate_type
    if fmt in _LOSSLESS:
        return None if value is None else f"{fmt} is lossless: it has no bit rate"
    if not isinstance(value, int):
        return f"must be a whole number, not {value}"
    if kind == "variable":
        return (
            None
            if 0 <= value <= 9
            else f"a variable bit rate is a quality 0 to 9 (0 best), not {value}"
        )
    if not _MIN_KBPS <= value <= _MAX_KBPS:
        return f"must be {_MIN_KBPS} to {_MAX_KBPS} kbps, not {value}"
    rate, channels = settings.sample_rate, settings.channels
    if fmt == "mp3":
        allowed = [k for k in _MPEG1_KBPS if rate >= 32_000 or k <= _MPEG2_MAX_KBPS]
        return None if value in allowed else f"mp3 at {rate} Hz takes {_choices(allowed)} kbps"
    if fmt == "ogg":
        band = max(low for low, _ in _VORBIS_KBPS if low <= rate)
        low, high = _VORBIS_KBPS[(band, channels)]
        if not low <= value <= high:
            return f"Vorbis at {rate} Hz, {channels} channel(s) takes {low} to {high} kbps"
    if fmt == "opus" and value > 256 * channels:
        return f"Opus takes at most 256 kbps per channel, not {value}"
    if fmt in ("aac", "m4a") and value * 1000 > 6 * rate * channels:
        # The AAC encoder's frame limit is 6144 bits per 1024 samples per channel.
        most = 6 * rate * channels // 1000
        return f"AAC at {rate} Hz, {channels} channel(s) takes at most {most} kbps"
    return None


def _choices(values: tuple[int, ...] | list[int]) -> str:
    return ", ".join(str(v) for v in values[:-1]) + f" or {values[-1]}"


def _format(value: str | None, base: EncoderSettings | None) -> Format:
    if value is None or value == "":
        if base is None:
            raise Invalid("the custom preset needs a format", field="format")
        return base.format
    for fmt in ACCEPTED_FORMATS:
        if value.strip().lower() == fmt:
            return fmt
    raise Invalid(f"must be one of {', '.join(ACCEPTED_FORMATS)}, not {value!r}", field="format")


def _given_type(value: str | None) -> BitRateType | None:
    if value is None or value == "":
        return None
    lowered = value.strip().lower()
    if lowered == "constant":
        return "constant"
    if lowered == "variable":
        return "variable"
    raise Invalid(f"must be constant or variable, not {value!r}", field="bitRateType")


def _number(value: WireNumber, wire: str) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):  # True is an int to Python, not a number to a client
        raise Invalid(f"must be a number, not {value}", field=wire)
    try:
        number = float(value)
    except ValueError:
        raise Invalid(f"must be a number, not {value!r}", field=wire) from None
    if not math.isfinite(number):
        raise Invalid(f"must be a number, not {value!r}", field=wire)
    return number


def _given_int(value: WireNumber, wire: str) -> int | None:
    number = _number(value, wire)
    if number is None:
        return None
    if not number.is_integer():
        raise Invalid(f"must be a whole number, not {value}", field=wire)
    return int(number)


def _given_rate(value: WireNumber) -> int | None:
    number = _number(value, "sampleRate")
    if number is None:
        return None
    if number <= 96:  # "48" and "44.1" mean kHz (spec 13.1)
        number = round(number * 1000, 6)
    if not number.is_integer():
        raise Invalid(f"must be a whole number of Hz, not {value}", field="sampleRate")
    return int(number)


# --- custom loudness -------------------------------------------------------------------------

_LOUDNESS_RANGES = {
    "loudnessTarget": (-70.0, -5.0),
    "truePeak": (-9.0, 0.0),
    "dynamicRange": (1.0, 50.0),
}
_DEFAULT_TRUE_PEAK = -1.0  # what every published delivery spec but ATSC asks for


def custom_loudness(
    base: LoudnessTarget | None = None,
    *,
    loudness_target: WireNumber = None,
    true_peak: WireNumber = None,
    dynamic_range: WireNumber = None,
) -> LoudnessTarget:
    """``base`` (a loudness preset, or None) with the request's custom values laid over it."""
    lufs = _in_range(loudness_target, "loudnessTarget")
    peak = _in_range(true_peak, "truePeak")
    lra = _in_range(dynamic_range, "dynamicRange")
    if base is None:
        if lufs is None:
            raise Invalid(
                "custom loudness needs a target (or choose a loudnessPreset)",
                field="loudnessTarget",
            )
        base = LoudnessTarget(lufs, _DEFAULT_TRUE_PEAK, None)
    return LoudnessTarget(
        base.lufs if lufs is None else lufs,
        base.true_peak_dbtp if peak is None else peak,
        base.dynamic_range if lra is None else lra,
    )


def _in_range(value: WireNumber, wire: str) -> float | None:
    number = _number(value, wire)
    if number is None:
        return None
    low, high = _LOUDNESS_RANGES[wire]
    if not low <= number <= high:
        raise Invalid(f"must be {low:g} to {high:g}, not {number:g}", field=wire)
    return number
