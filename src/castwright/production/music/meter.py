"""Integrated loudness (ITU-R BS.1770-4 / EBU R128) for levelling the generated music.

The generator needs a meter of its own: it sets every template's level before the audio ever
reaches the mixer. K-weighting is applied in the frequency domain (same responses as the
standard's two biquads), then the 400 ms gated blocks are measured as the standard says.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from castwright.production.music.synth import Response, apply_response, biquad

__all__ = ["integrated_loudness", "peak_dbfs"]


def _high_shelf(sr: int) -> Response:
    """The K-weighting pre-filter: +4 dB above ~1.5 kHz (the head's acoustic effect)."""
    gain = 10.0 ** (4.0 / 40.0)
    w0 = 2.0 * np.pi * 1500.0 / sr
    alpha = np.sin(w0) / (2.0 * (1.0 / np.sqrt(2.0)))
    cos, root = np.cos(w0), 2.0 * np.sqrt(gain) * alpha
    b = (
        gain * ((gain + 1) + (gain - 1) * cos + root),
        -2.0 * gain * ((gain - 1) + (gain + 1) * cos),
        gain * ((gain + 1) + (gain - 1) * cos - root),
    )
    a = ((gain + 1) - (gain - 1) * cos + root, 2.0 * ((gain - 1) - (gain + 1) * cos),
         (gain + 1) - (gain - 1) * cos - root)  # fmt: skip

    def response(z1: npt.NDArray[np.complex128]) -> npt.NDArray[np.complex128]:
        h: npt.NDArray[np.complex128] = (b[0] + z1 * (b[1] + z1 * b[2])) / (
            a[0] + z1 * (a[1] + z1 * a[2])
        )
        return h

    return response


def integrated_loudness(samples: npt.NDArray[np.floating], sr: int) -> float:
    """Gated integrated loudness in LUFS of [channels, frames] audio (-inf for silence)."""
    x = np.asarray(samples, dtype=np.float64)
    block, step = round(0.4 * sr), round(0.1 * sr)
    if x.shape[-1] < block:
        return float("-inf")
    weighted = apply_response(x, [_high_shelf(sr), biquad("highpass", 38.0, sr, 0.5)])
    weighted = weighted[..., : x.shape[-1]]
    energy = np.concatenate([np.zeros((x.shape[0], 1)), np.cumsum(weighted**2, axis=-1)], axis=-1)
    starts = np.arange(0, x.shape[-1] - block + 1, step)
    power = ((energy[:, starts + block] - energy[:, starts]) / block).sum(axis=0)
    with np.errstate(divide="ignore"):
        loudness = -0.691 + 10.0 * np.log10(power)
    kept = power[loudness > -70.0]
    if kept.size == 0:
        return float("-inf")
    relative = -0.691 + 10.0 * np.log10(kept.mean()) - 10.0
    gated = kept[-0.691 + 10.0 * np.log10(kept) > relative]
    return float(-0.691 + 10.0 * np.log10(gated.mean()))


def peak_dbfs(samples: npt.NDArray[np.floating]) -> float:
    peak = float(np.max(np.abs(samples))) if samples.size else 0.0
    return 20.0 * np.log10(peak) if peak > 0 else float("-inf")
