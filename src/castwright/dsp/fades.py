"""Fades and crossfades with the usual curve shapes.

Every curve rises from exactly 0 at its first frame to exactly 1 at its last; a fade-out is the
same curve reversed in time, so an "exponential" fade-out falls quickly and then tails off,
which is what the ear hears as an even fade.
"""

from __future__ import annotations

import math
from typing import Literal, get_args

import numpy as np
import numpy.typing as npt

from castwright.audio import AudioBuffer
from castwright.dsp.channels import conform

__all__ = ["FADE_SHAPES", "FadeShape", "crossfade", "fade_curve", "fade_in", "fade_out"]

FadeShape = Literal["linear", "equal_power", "sine", "exponential", "logarithmic"]
FADE_SHAPES: tuple[FadeShape, ...] = get_args(FadeShape)

# The exponential curve spans 60 dB: (R**t - 1) / (R - 1) with R = 1000 is linear in decibels
# over most of its length yet still starts at true silence.
_EXPONENTIAL_RANGE = 1000.0


def fade_curve(frames: int, shape: FadeShape = "equal_power") -> npt.NDArray[np.float64]:
    """Rising gain over ``frames`` samples.

    ``linear``: t. ``equal_power`` (alias ``sine``): sin(t pi/2), so a crossfade keeps the summed
    power of uncorrelated material constant. ``exponential``: slow start, fast finish (linear in
    dB). ``logarithmic``: the mirror image, fast start and slow finish.
    """
    if frames <= 0:
        return np.zeros(0)
    t = np.linspace(0.0, 1.0, frames)
    if shape == "linear":
        curve = t
    elif shape in ("equal_power", "sine"):
        curve = np.sin(t * (math.pi / 2))
    elif shape == "exponential":
        curve = np.expm1(t * math.log(_EXPONENTIAL_RANGE)) / (_EXPONENTIAL_RANGE - 1)
    elif shape == "logarithmic":
        curve = 1.0 - np.expm1((1.0 - t) * math.log(_EXPONENTIAL_RANGE)) / (_EXPONENTIAL_RANGE - 1)
    else:
        raise ValueError(f"unknown fade shape {shape!r}; expected one of {FADE_SHAPES}")
    curve[0], curve[-1] = 0.0, 1.0  # exact ends, whatever the rounding of the formula
    return curve


def _fade_frames(buffer: AudioBuffer, seconds: float) -> int:
    if seconds < 0:
        raise ValueError("fade length must not be negative")
    return min(buffer.frames, round(seconds * buffer.sample_rate))


def fade_in(buffer: AudioBuffer, seconds: float, shape: FadeShape = "equal_power") -> AudioBuffer:
    """Fade the first ``seconds`` in from silence (the whole buffer if it is shorter)."""
    frames = _fade_frames(buffer, seconds)
    if frames < 2:
        return buffer
    samples = buffer.samples.copy()
    samples[:, :frames] *= fade_curve(frames, shape).astype(np.float32)
    return AudioBuffer(samples, buffer.sample_rate)


def fade_out(buffer: AudioBuffer, seconds: float, shape: FadeShape = "equal_power") -> AudioBuffer:
    """Fade the last ``seconds`` out to silence (the whole buffer if it is shorter)."""
    frames = _fade_frames(buffer, seconds)
    if frames < 2:
        return buffer
    samples = buffer.samples.copy()
    samples[:, -frames:] *= fade_curve(frames, shape)[::-1].astype(np.float32)
    return AudioBuffer(samples, buffer.sample_rate)


def crossfade(
    first: AudioBuffer, second: AudioBuffer, seconds: float, shape: FadeShape = "equal_power"
) -> AudioBuffer:
    """Join ``second`` after ``first``, overlapping the last ``seconds`` of one with the first
    ``seconds`` of the other; the result is ``seconds`` shorter than the two end to end.

    ``second`` is brought to ``first``'s sample rate and channel count. The overlap is shortened
    to the shorter buffer when either is too short. ``equal_power`` suits unrelated material;
    ``linear`` (constant gain) suits material that is in phase, such as a seamless loop.
    """
    if seconds < 0:
        raise ValueError("crossfade length must not be negative")
    second = conform(second, first.sample_rate, first.channels)
    overlap = min(round(seconds * first.sample_rate), first.frames, second.frames)
    a, b = first.samples, second.samples
    if overlap == 0:
        return AudioBuffer(np.concatenate([a, b], axis=1), first.sample_rate)
    rising = fade_curve(overlap, shape)
    joint = a[:, a.shape[1] - overlap :] * rising[::-1] + b[:, :overlap] * rising
    body = [a[:, : a.shape[1] - overlap], joint.astype(np.float32), b[:, overlap:]]
    return AudioBuffer(np.concatenate(body, axis=1), first.sample_rate)
