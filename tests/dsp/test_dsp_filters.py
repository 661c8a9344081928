"""IIR filtering with the anti-subnormal guard: the same output as scipy's, silence kept
silent, and no subnormal numbers after a sound dies away."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import butter, sosfilt, sosfiltfilt

from castwright.dsp.filters import sos_filter, sos_filter_zero_phase

RATE = 48_000
FILTERS = {
    "high-pass 80 Hz": butter(2, 80, btype="highpass", fs=RATE, output="sos"),
    "low-pass 1 kHz": butter(4, 1000, btype="lowpass", fs=RATE, output="sos"),  # DC gain 1
    "band-pass 5-9 kHz": butter(2, [5000, 9000], btype="bandpass", fs=RATE, output="sos"),
}


def _burst_then_silence() -> np.ndarray:
    signal = np.zeros((2, 4 * RATE), dtype=np.float32)
    signal[:, : RATE // 2] = np.random.default_rng(3).standard_normal((2, RATE // 2)) * 0.3
    return signal


def _subnormals(values: np.ndarray) -> int:
    magnitude = np.abs(values)
    return int(np.count_nonzero((magnitude > 0) & (magnitude < np.finfo(np.float64).tiny)))


@pytest.mark.parametrize("name", list(FILTERS))
def test_same_output_as_scipy(name: str) -> None:
    sos = FILTERS[name]
    signal = _burst_then_silence()
    plain = sosfilt(sos, signal.astype(np.float64), axis=1)
    assert np.allclose(sos_filter(sos, signal, axis=1), plain, rtol=0, atol=1e-12)
    zero_phase = sosfiltfilt(sos, signal.astype(np.float64), axis=1, padlen=30)
    guarded = sos_filter_zero_phase(sos, signal, axis=1, padlen=30)
    assert np.allclose(guarded, zero_phase, rtol=0, atol=1e-12)


@pytest.mark.parametrize("name", list(FILTERS))
def test_silence_stays_silent_and_nothing_goes_subnormal(name: str) -> None:
    sos = FILTERS[name]
    assert not np.any(sos_filter(sos, np.zeros((2, RATE), np.float32), axis=1))
    out = sos_filter(sos, _burst_then_silence(), axis=1)
    assert _subnormals(out) == 0
    assert not np.any(out[:, -RATE:])  # three seconds after the burst: zero, not a residue
    # In chunks, carrying the state, as the loudness meter runs it: the state stays normal.
    signal, state = _burst_then_silence(), np.zeros((sos.shape[0], 2, 2))
    for start in range(0, signal.shape[1], RATE // 4):
        _, state = sos_filter(sos, signal[:, start : start + RATE // 4], axis=1, zi=state)
        assert _subnormals(state) == 0
