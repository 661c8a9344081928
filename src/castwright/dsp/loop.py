"""Fitting a music segment to an exact length: loop it with crossfades, or trim it with a fade."""

from __future__ import annotations

import numpy as np

from castwright.audio import AudioBuffer
from castwright.dsp.fades import FadeShape, fade_curve, fade_out

__all__ = ["fit_to_length"]


def fit_to_length(
    buffer: AudioBuffer,
    seconds: float,
    crossfade_seconds: float = 0.5,
    shape: FadeShape = "equal_power",
) -> AudioBuffer:
    """Return exactly ``round(seconds * sample_rate)`` frames of ``buffer``.

    Shorter than the segment: the segment is cut and its last ``crossfade_seconds`` faded out.
    Longer: the segment repeats, each repeat's head crossfaded over the previous repeat's tail
    (``crossfade_seconds``, at most half the segment), so a loop point never clicks or gaps;
    if the length ends inside a repeat, the end is faded out the same way. An empty segment
    gives silence.
    """
    if seconds < 0 or crossfade_seconds < 0:
        raise ValueError("lengths must not be negative")
    rate, samples = buffer.sample_rate, buffer.samples
    target = round(seconds * rate)
    size = buffer.frames
    if size == 0:
        return AudioBuffer.silence(target / rate, rate, buffer.channels)
    fade = round(crossfade_seconds * rate)
    if target <= size:
        cut = AudioBuffer(samples[:, :target], rate)
        return cut if target == size else fade_out(cut, fade / rate, shape)

    overlap = min(fade, size // 2)  # room for both a head and a tail crossfade in each repeat
    period = size - overlap
    rising = fade_curve(overlap, shape)
    joint = samples[:, size - overlap :] * rising[::-1] + samples[:, :overlap] * rising
    # One loop cycle: the crossfade into a fresh repeat, then that repeat's untouched middle.
    cycle = np.concatenate([joint.astype(np.float32), samples[:, overlap:period]], axis=1)
    repeats = -(-(target - size) // period)
    natural = [samples[:, :period], np.tile(cycle, (1, repeats)), samples[:, period:]]
    looped = np.concatenate(natural, axis=1)
    out = AudioBuffer(np.ascontiguousarray(looped[:, :target]), rate)
    if looped.shape[1] == target:
        return out  # ends exactly where a repeat ends: the segment's own ending
    return fade_out(out, fade / rate, shape)
