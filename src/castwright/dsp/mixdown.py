"""Mixdown: layers summed onto a timeline of fixed length, rate and channel count."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from castwright.audio import AudioBuffer
from castwright.dsp.channels import conform

__all__ = ["Layer", "mix"]


class Layer(NamedTuple):
    """One thing on the timeline: where it starts (seconds, may be negative to start part-way
    in) and its gain in dB."""

    buffer: AudioBuffer
    offset_seconds: float = 0.0
    gain_db: float = 0.0


def mix(
    layers: Sequence[tuple[AudioBuffer, float, float]],
    length_seconds: float,
    sample_rate: int,
    channels: int = 2,
) -> AudioBuffer:
    """Sum ``(buffer, offset_seconds, gain_db)`` layers onto a silent timeline of
    ``round(length_seconds * sample_rate)`` frames.

    Each layer is resampled to ``sample_rate`` and mapped to ``channels`` (mono spreads at equal
    power), placed at its offset rounded to the nearest frame, and cut where the timeline ends.
    The sum is not clipped: peaks above full scale are left for mastering to deal with.
    """
    if length_seconds < 0:
        raise ValueError("length must not be negative")
    frames = round(length_seconds * sample_rate)
    timeline = np.zeros((channels, frames), dtype=np.float32)
    for buffer, offset_seconds, gain_db in layers:
        start = round(offset_seconds * sample_rate)
        if buffer.frames == 0 or start >= frames:
            continue
        layer = conform(buffer, sample_rate, channels).samples
        skip = max(0, -start)  # a layer that starts before the timeline loses its head
        begin = max(0, start)
        count = min(layer.shape[1] - skip, frames - begin)
        if count <= 0:
            continue
        scale = np.float32(10.0 ** (gain_db / 20.0))
        timeline[:, begin : begin + count] += layer[:, skip : skip + count] * scale
    return AudioBuffer(timeline, sample_rate)
