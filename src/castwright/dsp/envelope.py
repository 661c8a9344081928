"""Vectorised envelope primitives for gain computers: no per-sample Python loops.

Dynamics processors need recursions such as "hold the peak, then decay". Written naively those
are per-sample loops; each one here is rewritten as a running maximum or minimum (which numpy
does in C with ``ufunc.accumulate``), a cumulative sum, or a linear filter (scipy's ``lfilter``).
Every function takes and returns one-dimensional float64 arrays (one value per frame).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy.ndimage import maximum_filter1d
from scipy.signal import lfilter

__all__ = [
    "Envelope",
    "decay_hold",
    "hold_and_release",
    "moving_average",
    "one_pole",
    "slew_limit",
    "sliding_max",
    "time_coefficient",
]

Envelope = npt.NDArray[np.float64]


def time_coefficient(seconds: float, sample_rate: int) -> float:
    """Per-sample factor of a one-pole filter whose time constant (to 1/e) is ``seconds``."""
    if seconds <= 0.0:
        return 0.0
    return math.exp(-1.0 / (seconds * sample_rate))


def sliding_max(values: Envelope, before: int, after: int) -> Envelope:
    """``out[n] = max(values[n - before : n + after + 1])``; the window is cut at the edges.

    scipy's ``maximum_filter1d`` (van Herk / Gil-Werman in C: O(n) whatever the window),
    its window shifted by ``origin`` so that it spans ``before`` and ``after``.
    """
    width = before + after + 1
    if values.size == 0 or width == 1:
        return values.copy()
    held = maximum_filter1d(
        values, width, mode="constant", cval=-np.inf, origin=before - width // 2
    )
    return np.asarray(held, dtype=np.float64)


def decay_hold(values: Envelope, coefficient: float) -> Envelope:
    """``out[n] = max(values[n], coefficient * out[n - 1])`` for non-negative ``values``.

    Instant attack, exponential release. Unrolled, ``out[n] = max_m values[m] * c**(n - m)``;
    in the log domain that is a running maximum of ``log values[m] - m log c`` shifted back by
    ``n log c``, which stays well inside float64 precision even for hours of audio.
    """
    if coefficient <= 0.0 or values.size == 0:
        return values.copy()
    step = math.log(coefficient)
    ramp = np.arange(values.size, dtype=np.float64) * step
    with np.errstate(divide="ignore"):
        logs = np.log(values)
    held = np.maximum.accumulate(logs - ramp) + ramp
    return np.exp(held)


def hold_and_release(
    positions: npt.NDArray[np.int64],
    values: Envelope,
    size: int,
    ahead: int,
    coefficient: float,
) -> Envelope:
    """``decay_hold(sliding_max(x, 0, ahead), coefficient)`` for the ``size``-frame ``x`` that
    is zero but for positive ``values`` at ``positions`` (increasing, unique): a limiter's
    need, which is over at a few frames in a thousand.

    Unrolled, the result at ``n`` is the largest of each value ``v`` at ``p`` held over
    ``[p - ahead, p]``, and each ``v`` at ``p < n`` decayed: ``v * c**(n - p)``. Every value
    decays at the same rate, so among those before ``n`` the largest is the one with the
    largest ``log v + p * rate``, and which one that is changes only at the positions: a
    running maximum over the few positions replaces the scans over every frame.
    """
    out = np.zeros(size)
    if positions.size == 0:
        return out
    out[positions] = values
    out = sliding_max(out, 0, ahead)  # the hold: one O(n) pass, however many values
    if coefficient <= 0.0:
        return out
    rate = -math.log(coefficient)
    leading = np.maximum.accumulate(np.log(values) + positions * rate)
    # From p + 1 on, a value is in the past; segment j runs to the next value's p + 1.
    starts = positions + 1
    lengths = np.diff(np.append(starts, size)).clip(min=0)
    scores = np.full(size, -np.inf)
    first = int(starts[0])
    if first < size:
        scores[first:] = np.repeat(leading, lengths)[: size - first]
    decayed = np.exp(scores - np.arange(size, dtype=np.float64) * rate)
    return np.maximum(out, decayed)


def one_pole(values: Envelope, coefficient: float, initial: float = 0.0) -> Envelope:
    """Exponential smoothing ``out[n] = c * out[n - 1] + (1 - c) * values[n]``."""
    if coefficient <= 0.0 or values.size == 0:
        return values.copy()
    state = np.array([coefficient * initial])
    smoothed, _ = lfilter([1.0 - coefficient], [1.0, -coefficient], values, zi=state)
    return np.asarray(smoothed, dtype=np.float64)


def moving_average(values: Envelope, before: int, after: int) -> Envelope:
    """Mean over ``values[n - before : n + after + 1]``, the window cut at the edges."""
    n = values.size
    if n == 0 or before + after == 0:
        return values.copy()
    width = before + after + 1
    sums = np.zeros(before + n + 1 + after)
    np.cumsum(values, out=sums[before + 1 : before + n + 1])
    sums[before + n + 1 :] = sums[before + n]
    totals = sums[width : width + n] - sums[:n]
    # Windows cut by an edge hold fewer frames; slices, not gathers, keep this fast.
    counts = np.full(n, float(width))
    head = np.arange(min(before, n))
    counts[head] -= before - head
    tail = np.arange(max(n - after, 0), n)
    counts[tail] -= tail + after + 1 - n
    return np.asarray(totals / counts, dtype=np.float64)


def slew_limit(values: Envelope, rise: float, fall: float) -> Envelope:
    """Follow ``values`` but move at most ``rise`` up and ``fall`` down per sample.

    Each one-sided limit is a running extreme of a sloped copy of the input; applying the fall
    limit first and then the rise limit gives a result that honours both.
    """
    if values.size == 0:
        return values.copy()
    index = np.arange(values.size, dtype=np.float64)
    out = values
    if math.isfinite(fall):
        out = np.maximum.accumulate(out + index * fall) - index * fall
    if math.isfinite(rise):
        out = np.minimum.accumulate(out - index * rise) + index * rise
    return np.asarray(out, dtype=np.float64)
