"""The 4x true-peak interpolator: exact against a direct convolution, flat across the band."""

from __future__ import annotations

import numpy as np
import pytest
from dsp_signals import RATE, db, sine
from scipy.signal import freqz

from castwright.dsp import fade_edges, true_peak
from castwright.dsp.truepeak import frame_true_peaks, interpolation_taps

HALF = interpolation_taps().shape[1] // 2


def _direct(samples: np.ndarray) -> np.ndarray:
    peaks = np.abs(samples).max(axis=0).astype(np.float64)
    for channel in samples.astype(np.float64):
        for taps in interpolation_taps():
            points = np.convolve(channel, taps)[HALF : HALF + channel.size]
            peaks = np.maximum(peaks, np.abs(points))
    return np.asarray(peaks, dtype=np.float64)


# Lengths around one overlap-save block (16321 frames) and past one batch of 64 blocks.
@pytest.mark.parametrize("frames", [1, 7, 100, 16321, 16322, 40000, 1_050_000])
def test_matches_direct_convolution(frames: int) -> None:
    samples = (np.random.default_rng(frames).standard_normal((2, frames)) * 0.3).astype(np.float32)
    assert np.allclose(frame_true_peaks(samples), _direct(samples), rtol=1e-4, atol=1e-6)


def test_interpolators_are_flat_to_22_khz() -> None:
    for taps in interpolation_taps():
        _, response = freqz(taps, worN=np.linspace(20, 22000, 200), fs=RATE)
        assert np.abs(20 * np.log10(np.abs(response))).max() < 0.03


@pytest.mark.parametrize("frequency", [100.0, 997.0, 5000.0, 11025.0])
def test_sines_read_their_peak(frequency: float) -> None:
    # Away from the top octave the 4x grid lands within a few hundredths of a dB of the crest.
    # (Faded ends: a sine that starts abruptly rings above its crest, at high frequencies most.)
    tone = fade_edges(sine(frequency, 1.0, -3.0, 2), 0.05)
    assert true_peak(tone) == pytest.approx(-3.0, abs=0.05)


def test_empty_and_silent() -> None:
    assert frame_true_peaks(np.zeros((2, 0), np.float32)).size == 0
    assert not frame_true_peaks(np.zeros((1, 50), np.float32)).any()
    assert db(1.0) == 0.0
