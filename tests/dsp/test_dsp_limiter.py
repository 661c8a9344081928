"""The look-ahead true-peak limiter: ceiling on the oversampled output, timing, linking."""

from __future__ import annotations

import math

import numpy as np
import pytest
from dsp_signals import RATE, music_like, sine
from scipy.signal import resample_poly

from castwright.audio import AudioBuffer
from castwright.dsp import fade_edges, limit, true_peak


def _independent_true_peak(buffer: AudioBuffer) -> float:
    """4x oversampling (as BS.1770 specifies) by scipy's polyphase resampler, a different
    interpolator from ours: a second opinion on the ceiling. (Finer grids read up to a few
    tenths of a dB higher on treble-heavy material, with any 4x meter, ffmpeg's included.)"""
    upsampled = resample_poly(buffer.samples.astype(np.float64), 4, 1, axis=1)
    return 20 * math.log10(float(np.abs(upsampled).max()))


def _square_ish(level: float, seconds: float = 3.0) -> AudioBuffer:
    # A square built from odd harmonics up to 20 kHz: full of inter-sample overshoot (Gibbs).
    t = np.arange(round(seconds * RATE)) / RATE
    wave = sum(np.sin(2 * np.pi * 220 * k * t) / k for k in range(1, 91, 2))
    wave *= level / np.abs(wave).max()
    return AudioBuffer(np.stack([wave, 0.8 * wave]).astype(np.float32), RATE)


@pytest.mark.parametrize("ceiling", [-1.0, -2.0, -0.1])
@pytest.mark.parametrize("level", [1.0, 2.0, 4.0])
def test_ceiling_holds_on_hot_square_waves(ceiling: float, level: float) -> None:
    out = limit(_square_ish(level), ceiling)
    assert true_peak(out) <= ceiling + 0.01
    assert _independent_true_peak(out) <= ceiling + 0.1


def test_ceiling_holds_on_music_pushed_into_the_limiter() -> None:
    hot = AudioBuffer(music_like(10).samples * np.float32(4.0), RATE)
    out = limit(hot, -1.0)
    assert true_peak(out) <= -1.0 + 0.01
    assert _independent_true_peak(out) <= -1.0 + 0.1


def test_inter_sample_peaks_are_limited() -> None:
    # Samples at -3.01 dBFS, waveform at 0 dBTP: a sample-peak limiter would pass this as is.
    wave = fade_edges(sine(RATE / 4, 2.0, 0.0, 2, phase=math.pi / 4), 0.2)
    assert float(np.abs(wave.samples).max()) < 10 ** (-1 / 20)
    out = limit(wave, -1.0)
    assert true_peak(out) <= -1.0 + 0.01
    assert true_peak(out) >= -1.0 - 0.2  # and not more than needed


def test_below_ceiling_is_untouched() -> None:
    quiet = sine(1000, 1.0, -6.0, 2)
    assert limit(quiet, -1.0) is quiet


def test_timing_lookahead_and_release() -> None:
    # A steady tone at -20 dBFS with a 200 ms burst at +6 dBFS in the middle.
    rate, lookahead, release = RATE, 0.005, 0.05
    tone = sine(1000, 2.0, -20.0).samples[0].astype(np.float64)
    burst = slice(rate, rate + rate // 5)
    tone[burst] *= 10 ** (26 / 20)
    out = limit(AudioBuffer.mono(tone, rate), -1.0, lookahead, release).samples[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        gain_db = 20 * np.log10(np.abs(out) / np.abs(tone))
    gain_db = np.where(np.abs(tone) > 0.02, gain_db, np.nan)

    def at(seconds: float) -> float:
        window = gain_db[round(seconds * rate) - 24 : round(seconds * rate) + 24]
        return float(np.nanmean(window))

    assert at(0.5) == pytest.approx(0.0, abs=0.01)  # untouched well before
    assert at(1.0 - 2 * lookahead) == pytest.approx(0.0, abs=0.05)  # not before the look-ahead
    assert at(1.1) == pytest.approx(-7.05, abs=0.2)  # burst held at the ceiling
    assert at(1.0 - lookahead / 2) < -2.0  # ramping down ahead of the burst
    # After the burst, the reduction decays with the release time constant.
    end = 1.2
    assert at(end + release) == pytest.approx(-7.05 / math.e, abs=0.6)
    assert at(end + 6 * release) == pytest.approx(0.0, abs=0.1)


def test_channels_are_linked() -> None:
    left = sine(500, 1.0, 6.0).samples[0]
    stereo = AudioBuffer(np.stack([left, 0.25 * left]), RATE)
    out = limit(stereo, -1.0).samples
    loud = np.abs(left) > 0.1
    ratio = out[1, loud] / out[0, loud]
    assert np.allclose(ratio, 0.25, atol=1e-4)


def test_empty_and_validation() -> None:
    empty = AudioBuffer.silence(0, RATE, 2)
    assert limit(empty) is empty
    with pytest.raises(ValueError):
        limit(sine(100, 0.1, 3.0), -1.0, lookahead=-1.0)
