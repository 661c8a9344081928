"""Transcoding a stored file in place (``desired_format`` / ``desired_bitrate``).

Done before the request is answered, so ``content_transcoding_progress`` is never seen
half-way: it is null before and after, and the File object already describes the new content.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import cast

import numpy as np

from castwright.audio.buffer import AudioBuffer
from castwright.audio.decode import UndecodableAudio, decode
from castwright.audio.encode import EncoderUnavailable, encode_to
from castwright.audio.presets import EncoderSettings, Format
from castwright.carrierx.schema import BITRATES, TRANSCODE_FORMATS
from castwright.errors import Invalid

__all__ = ["encodable_rate", "transcode"]

_LOSSY = ("mp3", "ogg")
_DEFAULT_KBPS = 128
_RATES = (8_000, 11_025, 16_000, 22_050, 32_000, 44_100, 48_000)
# MP3 bit rates by MPEG version (LAME silently clamps anything else to these ranges).
_MP3_KBPS = {
    48_000: (32, 320), 44_100: (32, 320), 32_000: (32, 320),  # MPEG-1
    24_000: (8, 160), 22_050: (8, 160), 16_000: (8, 160),  # MPEG-2
    12_000: (8, 64), 11_025: (8, 64), 8_000: (8, 64),  # MPEG-2.5
}  # fmt: skip


@cache
def _accepts(fmt: str, rate: int, kbps: int, channels: int) -> bool:
    if fmt == "mp3":
        low, high = _MP3_KBPS.get(rate, (0, 0))
        return low <= kbps <= high
    # libvorbis's managed mode has its own per-rate, per-channel ranges: ask it.
    probe = AudioBuffer(np.full((channels, rate // 10), 0.01, np.float32), rate)
    settings = EncoderSettings("ogg", "constant", kbps, rate, None, channels)
    try:
        encode_to(io.BytesIO(), probe, settings)
    except (ValueError, EncoderUnavailable):
        return False
    return True


def encodable_rate(fmt: str, kbps: int, preferred: int, channels: int = 1) -> int | None:
    """The sample rate closest to ``preferred`` at which ``fmt`` really encodes ``kbps``
    (None: at none), so a bit rate is honoured rather than silently clamped or refused."""
    if fmt not in _LOSSY:
        return preferred
    for rate in sorted({preferred, *_RATES}, key=lambda r: (abs(r - preferred), -r)):
        if _accepts(fmt, rate, kbps, channels):
            return rate
    return None


def transcode(source: Path, fmt: str, bitrate: int | None) -> Path:
    """A new file next to ``source`` holding its audio as ``fmt``; the bitrate applies to
    mp3 and ogg and is ignored by the lossless formats."""
    if fmt not in TRANSCODE_FORMATS:
        raise Invalid(f"must be one of {', '.join(TRANSCODE_FORMATS)}", field="desired_format")
    try:
        audio = decode(source)
    except UndecodableAudio as error:
        raise Invalid(error.reason, field="desired_format") from None
    lossy = fmt in _LOSSY
    channels = min(audio.channels, 2)
    kbps = bitrate or _DEFAULT_KBPS
    rate = encodable_rate(fmt, kbps, audio.sample_rate, channels)
    if rate is None and bitrate is None:  # our default does not fit: take the nearest that does
        kbps = min(_fitting(fmt, audio.sample_rate, channels), key=lambda k: abs(k - kbps))
        rate = encodable_rate(fmt, kbps, audio.sample_rate, channels)
    if rate is None:
        raise Invalid(f"{kbps} kbit/s is not available for {fmt}", field="desired_bitrate")
    settings = EncoderSettings(
        format=cast(Format, fmt),
        bit_rate_type="constant" if lossy else None,
        bit_rate=kbps if lossy else None,
        sample_rate=rate,
        bit_depth=None if lossy else 16,
        channels=channels,
    )
    target = source.with_name(f"{source.name}.transcoded.{fmt}")
    try:
        encode_to(str(target), audio, settings)
    except EncoderUnavailable as error:
        message = f"cannot encode {fmt} on this server ({error})"
        raise Invalid(message, field="desired_format") from None
    return target


def _fitting(fmt: str, rate: int, channels: int) -> list[int]:
    return [k for k in BITRATES if encodable_rate(fmt, k, rate, channels) is not None] or [
        _DEFAULT_KBPS
    ]
