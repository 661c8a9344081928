"""Waveform peaks and loudness over time of one programme: pure numbers from an AudioBuffer.

The result is what a plot needs and no more: a fixed number of peak columns (however long the
file) and at most a few thousand loudness points, so a one-hour file answers in tens of
kilobytes. Silence is ``None`` (JSON has no -inf).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

from castwright.audio import AudioBuffer
from castwright.dsp.loudness import loudness_over_time, true_peak

__all__ = ["ANALYSIS_VERSION", "MAX_LOUDNESS_POINTS", "PEAK_COLUMNS", "analyse"]

# Bump when the shape or the numbers change: cached analyses of another version are redone.
ANALYSIS_VERSION = 1
PEAK_COLUMNS = 1000  # about the width of a plot on a laptop screen; the page resamples
MAX_LOUDNESS_POINTS = 3000  # a 5-minute programme keeps every 100 ms point
_SHORT_TERM_SECONDS = 3.0
_MOMENTARY_SECONDS = 0.4


def _db(value: float) -> float | None:
    return round(value, 2) if math.isfinite(value) else None


def _peaks(buffer: AudioBuffer) -> dict[str, Any]:
    """The lowest and highest sample of every column, over all channels."""
    frames = buffer.frames
    columns = min(PEAK_COLUMNS, frames)
    if columns == 0:
        return {"columns": 0, "secondsPerColumn": 0.0, "min": [], "max": []}
    starts = np.linspace(0, frames, columns + 1)[:-1].astype(np.int64)
    starts = np.unique(starts)  # a file shorter than PEAK_COLUMNS frames: one frame each
    highest = np.maximum.reduceat(buffer.samples.max(axis=0), starts)
    lowest = np.minimum.reduceat(buffer.samples.min(axis=0), starts)
    return {
        "columns": int(starts.size),
        "secondsPerColumn": round(frames / starts.size / buffer.sample_rate, 6),
        "min": [round(float(v), 4) for v in np.clip(lowest, -1.0, 1.0)],
        "max": [round(float(v), 4) for v in np.clip(highest, -1.0, 1.0)],
    }


def _curve(values: npt.NDArray[np.float64], hop: float, window: float) -> dict[str, Any]:
    """Every ``step``-th point, so a long file stays within MAX_LOUDNESS_POINTS."""
    step = max(1, math.ceil(values.size / MAX_LOUDNESS_POINTS))
    kept = values[::step]
    return {
        "windowSeconds": window,
        "hopSeconds": round(hop * step, 6),
        "values": [_db(float(v)) for v in kept],
    }


def analyse(buffer: AudioBuffer) -> dict[str, Any]:
    """Peaks and loudness (integrated, range, true peak, momentary and short-term curves)."""
    curve = loudness_over_time(buffer)
    return {
        "version": ANALYSIS_VERSION,
        "duration": round(buffer.duration, 3),
        "sampleRate": buffer.sample_rate,
        "channels": buffer.channels,
        "peaks": _peaks(buffer),
        "loudness": {
            "integrated": _db(curve.integrated_lufs),
            "range": round(curve.range_lu, 2),
            "truePeak": _db(true_peak(buffer)) if buffer.frames else None,
            "shortTerm": _curve(curve.short_term, curve.hop_seconds, _SHORT_TERM_SECONDS),
            "momentary": _curve(curve.momentary, curve.hop_seconds, _MOMENTARY_SECONDS),
        },
    }
