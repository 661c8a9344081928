"""Dynamics: a feed-forward compressor and a sidechain ducker (music under speech)."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from castwright.audio import AudioBuffer
from castwright.dsp.envelope import (
    Envelope,
    decay_hold,
    moving_average,
    one_pole,
    slew_limit,
    sliding_max,
    time_coefficient,
)

__all__ = ["compress", "compressor_gain_db", "duck", "reduction_envelope"]

_FLOOR_DB = -200.0  # level given to digital silence, far below any threshold


def compressor_gain_db(
    level_db: npt.ArrayLike, threshold_db: float, ratio: float, knee_db: float = 0.0
) -> Envelope:
    """The static curve: gain in dB (at most 0) applied to a signal at ``level_db``.

    Above the threshold the output rises 1/ratio dB per input dB; within the knee (centred on the
    threshold) the slope changes smoothly along a quadratic (Giannoulis, Massberg and Reiss,
    JAES 2012).
    """
    if ratio < 1.0:
        raise ValueError("ratio must be at least 1")
    level = np.asarray(level_db, dtype=np.float64)
    over = level - threshold_db
    slope = 1.0 / ratio - 1.0
    gain = np.where(over > 0.0, slope * over, 0.0)
    if knee_db > 0.0:
        inside = np.abs(over) <= knee_db / 2.0
        knee_gain = slope * (over + knee_db / 2.0) ** 2 / (2.0 * knee_db)
        gain = np.where(inside, knee_gain, gain)
    return np.asarray(gain, dtype=np.float64)


def reduction_envelope(
    level_db: Envelope,
    sample_rate: int,
    threshold_db: float,
    ratio: float,
    knee_db: float,
    attack: float,
    release: float,
) -> Envelope:
    """Gain reduction in dB (positive) over time for a detected level: the static curve, then
    a peak hold with exponential release, then a one-pole attack (a "smooth decoupled" detector
    in the gain domain, which does not move the static curve)."""
    reduction = -compressor_gain_db(level_db, threshold_db, ratio, knee_db)
    held = decay_hold(reduction, time_coefficient(release, sample_rate))
    return one_pole(held, time_coefficient(attack, sample_rate))


def _peak_level_db(samples: npt.NDArray[np.float32]) -> Envelope:
    # Channels are linked (the loudest one drives the gain) so the stereo image stays put.
    peak = np.abs(samples).max(axis=0).astype(np.float64)
    with np.errstate(divide="ignore"):
        return np.asarray(np.maximum(20.0 * np.log10(peak), _FLOOR_DB), dtype=np.float64)


def compress(
    buffer: AudioBuffer,
    threshold_db: float = -20.0,
    ratio: float = 3.0,
    attack: float = 0.01,
    release: float = 0.15,
    knee_db: float = 6.0,
    makeup_db: float = 0.0,
) -> AudioBuffer:
    """Feed-forward compressor with a peak detector on the linked channels.

    ``attack`` and ``release`` are time constants (to 1/e) in seconds. In steady state the
    output peak level follows :func:`compressor_gain_db` plus ``makeup_db``.
    """
    if buffer.frames == 0:
        return buffer
    reduction = reduction_envelope(
        _peak_level_db(buffer.samples),
        buffer.sample_rate,
        threshold_db,
        ratio,
        knee_db,
        attack,
        release,
    )
    gains = (10.0 ** ((makeup_db - reduction) / 20.0)).astype(np.float32)
    return AudioBuffer(buffer.samples * gains, buffer.sample_rate)


# The ducker's gain moves over tens of milliseconds, so it is worked out on a 1 ms grid and
# interpolated to the music's samples: the same ramps for a fiftieth of the work at 48 kHz.
_CONTROL_RATE = 1000


def _speech_level_db(speech: AudioBuffer, steps: int, window: float) -> Envelope:
    """RMS level of ``speech`` in dBFS over a centred window, one value per control step
    (1 ms) for ``steps`` steps (silence past the speech's end), at the speech's own rate."""
    rate = speech.sample_rate
    used = min(steps, math.ceil(speech.frames * _CONTROL_RATE / rate))
    power = np.zeros(steps)
    if used:
        edges = np.minimum(
            np.round(np.arange(used) * rate / _CONTROL_RATE).astype(np.int64), speech.frames
        )
        square = np.mean(np.square(speech.samples, dtype=np.float64), axis=0)
        sums = np.add.reduceat(square, edges)
        power[:used] = sums / np.diff(np.append(edges, speech.frames)).clip(min=1)
    half = max(0, round(window * _CONTROL_RATE / 2))
    with np.errstate(divide="ignore"):
        return np.asarray(10.0 * np.log10(moving_average(power, half, half)), dtype=np.float64)


def duck(
    music: AudioBuffer,
    speech: AudioBuffer,
    depth_db: float = 12.0,
    attack: float = 0.12,
    release: float = 0.6,
    threshold_db: float = -40.0,
    hold: float = 0.35,
    lookahead: float = 0.12,
    window: float = 0.03,
) -> AudioBuffer:
    """Lower ``music`` by ``depth_db`` while ``speech`` is above ``threshold_db``.

    The speech level is its RMS over ``window`` seconds (centred). Where it is above the
    threshold, extended by ``hold`` seconds after it falls and started ``lookahead`` seconds
    before it rises, the music is ``depth_db`` down. The gain moves there and back in straight
    lines in dB, taking ``attack`` seconds to go down and ``release`` to come back, with the
    corners rounded so the gain has no kinks (no zipper noise). With ``lookahead`` at least
    ``attack`` the music is fully down when the speech starts. Both buffers start at time 0;
    the speech may be at any rate, and the result is the music's length.
    """
    if min(depth_db, attack, release, hold, lookahead, window) < 0:
        raise ValueError("depth, times and window must not be negative")
    if music.frames == 0 or depth_db == 0.0:
        return music
    steps = math.ceil(music.frames * _CONTROL_RATE / music.sample_rate) + 1
    active = (_speech_level_db(speech, steps, window) > threshold_db).astype(np.float64)
    # Hold extends each stretch of speech forward in time, look-ahead extends it backward.
    ahead, held = round(lookahead * _CONTROL_RATE), round(hold * _CONTROL_RATE)
    target = depth_db * sliding_max(active, held, ahead)
    rise = depth_db / (attack * _CONTROL_RATE) if attack > 0 else np.inf
    fall = depth_db / (release * _CONTROL_RATE) if release > 0 else np.inf
    reduction = slew_limit(target, rise, fall)
    # A short centred average rounds the corners of the ramps; centred, it moves no timing.
    half = round(0.125 * min(attack, release) * _CONTROL_RATE)
    reduction = moving_average(reduction, half, half)
    reduction[reduction < 1e-9] = 0.0  # rounding residue, so unducked music stays untouched
    # Step i holds the level of [i, i + 1) ms: its value belongs at the step's middle.
    times = (np.arange(music.frames) + 0.5) * (_CONTROL_RATE / music.sample_rate) - 0.5
    per_frame = np.interp(times, np.arange(steps), reduction).astype(np.float32)
    gains = np.exp(per_frame * np.float32(-math.log(10.0) / 20.0))
    return AudioBuffer(music.samples * gains, music.sample_rate)
