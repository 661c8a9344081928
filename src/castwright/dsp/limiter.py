"""Look-ahead true-peak limiter.

The gain envelope is built so that it is already at (or below) the gain each over needs when
that over arrives:

1. per frame, the 4x-oversampled peak (around the frame, both sides: a gain at one frame shapes
   the interpolated waveform on either side of it) gives the attenuation needed there;
2. a running maximum over the next ``lookahead`` frames holds that attenuation early;
3. an exponential decay (time constant ``release``) lets go of it smoothly;
4. a moving average over ``lookahead`` frames turns each step into a ramp (the attack).

Each averaged value is a mean of gains that are all at or below the need at the frame (every
held window of step 2 that the average spans contains that frame), so the smoothing never
lets an over through. The output is then measured again, 4x oversampled; residual overs (from
the waveform between frames changing under the gain) get further passes, and as a last resort
a static trim, which is exact because resampling is linear.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from castwright.audio import AudioBuffer
from castwright.dsp.envelope import hold_and_release, time_coefficient
from castwright.dsp.truepeak import frame_true_peaks

__all__ = ["limit", "limit_measured"]

# Aim this far below the ceiling, so the re-measured output rarely needs a second pass.
_MARGIN_DB = 0.05
_PASSES = 3


def limit(
    buffer: AudioBuffer,
    ceiling_dbtp: float = -1.0,
    lookahead: float = 0.005,
    release: float = 0.08,
) -> AudioBuffer:
    """Keep the true peak (4x oversampled) at or below ``ceiling_dbtp``.

    ``lookahead`` (seconds) is also the attack: the gain ramps down over that time and reaches
    the needed reduction as the peak arrives. ``release`` is the time constant of the recovery.
    All channels share one gain, so the stereo image does not move. The output is aligned with
    the input (the look-ahead reads ahead in the buffer; it adds no delay).
    """
    if buffer.frames == 0:
        return buffer
    out, _ = limit_measured(buffer.samples, buffer.sample_rate, ceiling_dbtp, lookahead, release)
    return buffer if out is buffer.samples else AudioBuffer(out, buffer.sample_rate)


def limit_measured(
    samples: npt.NDArray[np.float32],
    sample_rate: int,
    ceiling_dbtp: float,
    lookahead: float = 0.005,
    release: float = 0.08,
    peaks: npt.NDArray[np.float32] | None = None,
    verify: bool = True,
) -> tuple[npt.NDArray[np.float32], float | None]:
    """:func:`limit` on a raw [channels, frames] array, with the output's true peak (linear,
    the largest 4x-oversampled magnitude) as the last check measured it.

    ``peaks`` may pass in the input's :func:`frame_true_peaks` when the caller already has
    them (they scale with a gain, so a gain-then-limit loop measures its source only once).
    ``verify=False`` skips re-measuring the output (a draft: overs of a few hundredths of a
    dB may remain, and the peak is None) for callers that will limit their final choice
    again. The array returned is ``samples`` itself when no frame is over."""
    if lookahead < 0 or release < 0:
        raise ValueError("lookahead and release must not be negative")
    if samples.shape[1] == 0:
        return samples, 0.0
    ceiling = 10.0 ** (ceiling_dbtp / 20.0)
    aim = 10.0 ** ((ceiling_dbtp - _MARGIN_DB) / 20.0)
    ahead = round(lookahead * sample_rate)
    coefficient = time_coefficient(release, sample_rate)
    if peaks is None:
        peaks = frame_true_peaks(samples)
    out = samples
    for _ in range(_PASSES):
        top = float(peaks.max())
        if top <= ceiling:
            return out, top
        envelope = _gain_envelope(peaks, aim, ahead, coefficient)
        out = np.multiply(out, envelope, dtype=np.float32)
        if not verify:
            return out, None
        peaks = frame_true_peaks(out)
    top = float(peaks.max())
    if top > ceiling:  # a static trim: exact, as the oversampling is linear
        out = np.multiply(out, aim / top, dtype=np.float32)
        top = aim
    return out, top


def _gain_envelope(
    peaks: npt.NDArray[np.float32], aim: float, ahead: int, coefficient: float
) -> npt.NDArray[np.float64]:
    frames = peaks.size
    over = np.flatnonzero(peaks > aim)
    # Frame n's gain also shapes the waveform between n - 1 and n: n needs the larger of the
    # two frames' reductions.
    needy = np.union1d(over, over + 1)
    needy = needy[needy < frames]
    around = np.maximum(peaks[needy], peaks[np.maximum(needy - 1, 0)]).astype(np.float64)
    need_db = 20.0 * np.log10(around / aim)
    # Frames before the start need no reduction; giving them a place lets the ramp into an over
    # in the first `ahead` frames start before the buffer does, as it would in a stream.
    released = hold_and_release(needy + ahead, need_db, frames + ahead, ahead, coefficient)
    # The ramp: a mean over the `ahead` frames up to each frame, taken of the reduction
    # (1 - gain), which is exactly 0 away from the overs, so untouched frames stay exactly 1.
    reduction = -np.expm1(released * (-math.log(10.0) / 20.0))
    sums = np.concatenate([[0.0], np.cumsum(reduction)])
    window = sums[ahead + 1 :] - sums[:frames]
    return np.asarray(1.0 - window / (ahead + 1), dtype=np.float64)
