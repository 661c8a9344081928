"""Equalisation: Butterworth high/low-pass, RBJ shelves and peaking bands, and a de-esser.

Filters run as second-order sections in float64 (dsp/filters.py): a low cut-off such as
80 Hz at 48 kHz puts poles close to the unit circle, where float32 direct forms get noisy.
pedalboard's HighpassFilter is first order (6 dB/octave), too gentle for rumble removal.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy.signal import butter

from castwright.audio import AudioBuffer
from castwright.dsp.dynamics import reduction_envelope
from castwright.dsp.filters import sos_filter, sos_filter_zero_phase

__all__ = [
    "apply_sos",
    "de_ess",
    "high_pass",
    "high_shelf",
    "low_pass",
    "low_shelf",
    "peaking",
    "peaking_sos",
    "shelf_sos",
]

Sections = npt.NDArray[np.float64]


def _check_frequency(frequency_hz: float, sample_rate: int) -> None:
    if not 0.0 < frequency_hz < sample_rate / 2:
        raise ValueError(f"frequency {frequency_hz} Hz must lie between 0 and {sample_rate / 2} Hz")


def apply_sos(buffer: AudioBuffer, sos: Sections) -> AudioBuffer:
    """Run second-order sections over every channel (starting from rest)."""
    if buffer.frames == 0:
        return buffer
    filtered = sos_filter(sos, buffer.samples, axis=1)
    return AudioBuffer(filtered.astype(np.float32), buffer.sample_rate)


def high_pass(buffer: AudioBuffer, cutoff_hz: float = 80.0, order: int = 2) -> AudioBuffer:
    """Butterworth high-pass (-3 dB at ``cutoff_hz``, 6 x ``order`` dB per octave below)."""
    _check_frequency(cutoff_hz, buffer.sample_rate)
    sos = butter(order, cutoff_hz, btype="highpass", fs=buffer.sample_rate, output="sos")
    return apply_sos(buffer, np.asarray(sos, dtype=np.float64))


def low_pass(buffer: AudioBuffer, cutoff_hz: float, order: int = 2) -> AudioBuffer:
    """Butterworth low-pass (-3 dB at ``cutoff_hz``)."""
    _check_frequency(cutoff_hz, buffer.sample_rate)
    sos = butter(order, cutoff_hz, btype="lowpass", fs=buffer.sample_rate, output="sos")
    return apply_sos(buffer, np.asarray(sos, dtype=np.float64))


def _normalised(b: list[float], a: list[float]) -> Sections:
    return np.array([[*(x / a[0] for x in b), 1.0, a[1] / a[0], a[2] / a[0]]])


def shelf_sos(
    kind: str, frequency_hz: float, gain_db: float, sample_rate: int, q: float = math.sqrt(0.5)
) -> Sections:
    """RBJ cookbook shelf (``kind`` "low" or "high"): ``gain_db`` beyond ``frequency_hz``
    (the half-gain point), unity on the other side."""
    _check_frequency(frequency_hz, sample_rate)
    big_a = 10.0 ** (gain_db / 40.0)
    w0 = 2.0 * math.pi * frequency_hz / sample_rate
    cos, alpha = math.cos(w0), math.sin(w0) / (2.0 * q)
    root = 2.0 * math.sqrt(big_a) * alpha
    if kind == "low":
        b = [
            big_a * ((big_a + 1) - (big_a - 1) * cos + root),
            2 * big_a * ((big_a - 1) - (big_a + 1) * cos),
            big_a * ((big_a + 1) - (big_a - 1) * cos - root),
        ]
        a = [
            (big_a + 1) + (big_a - 1) * cos + root,
            -2 * ((big_a - 1) + (big_a + 1) * cos),
            (big_a + 1) + (big_a - 1) * cos - root,
        ]
    elif kind == "high":
        b = [
            big_a * ((big_a + 1) + (big_a - 1) * cos + root),
            -2 * big_a * ((big_a - 1) + (big_a + 1) * cos),
            big_a * ((big_a + 1) + (big_a - 1) * cos - root),
        ]
        a = [
            (big_a + 1) - (big_a - 1) * cos + root,
            2 * ((big_a - 1) - (big_a + 1) * cos),
            (big_a + 1) - (big_a - 1) * cos - root,
        ]
    else:
        raise ValueError(f"unknown shelf kind {kind!r}; expected 'low' or 'high'")
    return _normalised(b, a)


def peaking_sos(frequency_hz: float, gain_db: float, sample_rate: int, q: float = 1.0) -> Sections:
    """RBJ cookbook peaking band: ``gain_db`` at ``frequency_hz``, bandwidth set by ``q``."""
    _check_frequency(frequency_hz, sample_rate)
    big_a = 10.0 ** (gain_db / 40.0)
    w0 = 2.0 * math.pi * frequency_hz / sample_rate
    cos, alpha = math.cos(w0), math.sin(w0) / (2.0 * q)
    b = [1 + alpha * big_a, -2 * cos, 1 - alpha * big_a]
    a = [1 + alpha / big_a, -2 * cos, 1 - alpha / big_a]
    return _normalised(b, a)


def low_shelf(
    buffer: AudioBuffer, frequency_hz: float, gain_db: float, q: float = math.sqrt(0.5)
) -> AudioBuffer:
    return apply_sos(buffer, shelf_sos("low", frequency_hz, gain_db, buffer.sample_rate, q))


def high_shelf(
    buffer: AudioBuffer, frequency_hz: float, gain_db: float, q: float = math.sqrt(0.5)
) -> AudioBuffer:
    return apply_sos(buffer, shelf_sos("high", frequency_hz, gain_db, buffer.sample_rate, q))


def peaking(
    buffer: AudioBuffer, frequency_hz: float, gain_db: float, q: float = 1.0
) -> AudioBuffer:
    return apply_sos(buffer, peaking_sos(frequency_hz, gain_db, buffer.sample_rate, q))


def de_ess(
    buffer: AudioBuffer,
    threshold_db: float = -30.0,
    ratio: float = 4.0,
    low_hz: float = 5000.0,
    high_hz: float = 9000.0,
    attack: float = 0.001,
    release: float = 0.06,
    max_reduction_db: float = 12.0,
) -> AudioBuffer:
    """Compress the sibilance band only.

    The band (``low_hz`` to ``high_hz``) is split off with a zero-phase band-pass, so it lines up
    with the original and ``x - (1 - g) * band`` turns that band down by the gain ``g`` and
    leaves the rest untouched (exactly ``x`` when ``g`` is 1). ``g`` comes from the band's own
    peak level through a compressor curve (``threshold_db`` in dBFS, ``ratio``), limited to
    ``max_reduction_db``. A band above the Nyquist frequency leaves the buffer as it is.
    """
    rate = buffer.sample_rate
    high_hz = min(high_hz, 0.45 * rate)
    if buffer.frames == 0 or low_hz >= high_hz:
        return buffer
    sos = butter(2, [low_hz, high_hz], btype="bandpass", fs=rate, output="sos")
    source = buffer.samples.astype(np.float64)
    # sosfiltfilt pads each end with a reflection; a very short buffer can offer less.
    pad = min(buffer.frames - 1, 3 * (2 * len(sos) + 1))
    band = sos_filter_zero_phase(sos, source, axis=1, padlen=pad)
    with np.errstate(divide="ignore"):
        level = np.maximum(20.0 * np.log10(np.abs(band).max(axis=0)), -200.0)
    reduction = reduction_envelope(level, rate, threshold_db, ratio, 0.0, attack, release)
    cut = 1.0 - 10.0 ** (np.minimum(reduction, max_reduction_db) / -20.0)
    return AudioBuffer((source - cut * band).astype(np.float32), rate)
