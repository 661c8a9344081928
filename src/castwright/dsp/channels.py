"""Bringing a buffer to a given channel count and sample rate before it is combined with others."""

from __future__ import annotations

import math

import numpy as np

from castwright.audio import AudioBuffer
from castwright.dsp.basic import resample, to_mono

__all__ = ["conform", "map_channels"]


def map_channels(buffer: AudioBuffer, channels: int) -> AudioBuffer:
    """Mono spreads to N channels at equal power (each 1/sqrt(N)); N channels fold to mono by
    averaging. Other layouts have no single right answer, so they are refused."""
    if channels < 1:
        raise ValueError("channels must be at least 1")
    if buffer.channels == channels:
        return buffer
    if buffer.channels == 1:
        # Equal power keeps a centred mono source as loud (summed power) as it was.
        spread = np.repeat(buffer.samples, channels, axis=0) * np.float32(1 / math.sqrt(channels))
        return AudioBuffer(spread, buffer.sample_rate)
    if channels == 1:
        return to_mono(buffer)
    raise ValueError(f"cannot map {buffer.channels} channels to {channels}")


def conform(buffer: AudioBuffer, sample_rate: int, channels: int) -> AudioBuffer:
    """Resample and map channels, doing whichever shrinks the data first."""
    if buffer.channels > channels:
        return resample(map_channels(buffer, channels), sample_rate)
    return map_channels(resample(buffer, sample_rate), channels)
