"""Filters and the de-esser, measured on tones."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from dsp_signals import RATE, db, rms_db, sine
from scipy.signal import butter, sosfiltfilt, sosfreqz

from castwright.audio import AudioBuffer
from castwright.dsp import de_ess, high_pass, high_shelf, low_pass, low_shelf, peaking
from castwright.dsp.eq import peaking_sos, shelf_sos


def _level_change(
    processor: Callable[[AudioBuffer], AudioBuffer], frequency: float, rate: int = RATE
) -> float:
    tone = sine(frequency, 2.0, -12.0, 2, rate)
    out = processor(tone)
    settled = slice(rate, None)  # after the filter's start-up transient
    return rms_db(out.samples[:, settled]) - rms_db(tone.samples[:, settled])


def test_high_pass_removes_rumble() -> None:
    at_20 = _level_change(high_pass, 20.0)
    at_80 = _level_change(high_pass, 80.0)
    at_1k = _level_change(high_pass, 1000.0)
    assert at_1k == pytest.approx(0.0, abs=0.05)
    assert at_80 == pytest.approx(-3.0, abs=0.1)
    assert at_1k - at_20 >= 23.0  # 2nd order: 12 dB/octave, two octaves below 80 Hz


def test_high_pass_order() -> None:
    steeper = _level_change(lambda b: high_pass(b, 80.0, order=4), 20.0)
    assert steeper < -45.0


def test_low_pass() -> None:
    assert _level_change(lambda b: low_pass(b, 4000.0), 1000.0) == pytest.approx(0.0, abs=0.1)
    assert _level_change(lambda b: low_pass(b, 4000.0), 16000.0) < -30.0


@pytest.mark.parametrize("gain", [-6.0, 6.0])
def test_shelves(gain: float) -> None:
    low = _level_change(lambda b: low_shelf(b, 200.0, gain), 30.0)
    high = _level_change(lambda b: high_shelf(b, 5000.0, gain), 18000.0)
    assert low == pytest.approx(gain, abs=0.3)
    assert high == pytest.approx(gain, abs=0.3)
    assert _level_change(lambda b: low_shelf(b, 200.0, gain), 5000.0) == pytest.approx(0, abs=0.1)
    assert _level_change(lambda b: high_shelf(b, 5000.0, gain), 200.0) == pytest.approx(0, abs=0.1)
    for sos, corner in (
        (shelf_sos("low", 200.0, gain, RATE), 200.0),
        (shelf_sos("high", 5000.0, gain, RATE), 5000.0),
    ):
        _, response = sosfreqz(sos, worN=[corner], fs=RATE)
        assert db(abs(response[0])) == pytest.approx(gain / 2, abs=0.05)


def test_peaking() -> None:
    assert _level_change(lambda b: peaking(b, 3000.0, 6.0, 2.0), 3000.0) == pytest.approx(
        6, abs=0.1
    )
    assert _level_change(lambda b: peaking(b, 3000.0, 6.0, 2.0), 300.0) == pytest.approx(0, abs=0.1)
    _, response = sosfreqz(peaking_sos(1000.0, -9.0, RATE, 1.0), worN=[1000.0], fs=RATE)
    assert db(abs(response[0])) == pytest.approx(-9.0, abs=0.01)


def test_frequency_validation() -> None:
    with pytest.raises(ValueError, match="frequency"):
        high_pass(sine(100, 0.1), 30000.0)
    with pytest.raises(ValueError, match="shelf kind"):
        shelf_sos("middle", 1000.0, 3.0, RATE)


def _band_db(buffer: AudioBuffer, low: float, high: float) -> float:
    sos = butter(4, [low, high], "bandpass", fs=buffer.sample_rate, output="sos")
    return rms_db(sosfiltfilt(sos, buffer.samples.astype(np.float64), axis=1))


def test_de_esser_turns_down_sibilance_only() -> None:
    voice = sine(1000, 2.0, -12.0, 2)
    hiss = sine(7000, 2.0, -12.0, 2)
    both = AudioBuffer(voice.samples + hiss.samples, RATE)
    out = de_ess(both, threshold_db=-30.0, ratio=4.0)
    sibilance_change = _band_db(out, 6500, 7500) - _band_db(both, 6500, 7500)
    voice_change = _band_db(out, 800, 1200) - _band_db(both, 800, 1200)
    assert sibilance_change < -6.0
    assert abs(voice_change) < 0.1
    assert sibilance_change < voice_change - 6.0


def test_de_esser_leaves_quiet_sibilance_and_dull_audio_alone() -> None:
    soft = sine(7000, 1.0, -45.0)
    assert np.allclose(de_ess(soft, threshold_db=-30.0).samples, soft.samples, atol=1e-6)
    dull = sine(300, 1.0, -6.0)
    assert np.allclose(de_ess(dull, threshold_db=-30.0).samples, dull.samples, atol=1e-3)


def test_de_esser_at_low_sample_rates() -> None:
    # At 16 kHz the band is cut at 0.45 x the rate; at 8 kHz there is no band left.
    narrow = sine(6000, 1.0, -6.0, rate=16000)
    assert _band_db(de_ess(narrow), 5500, 6500) < _band_db(narrow, 5500, 6500) - 3
    phone = sine(1000, 0.5, -6.0, rate=8000)
    assert de_ess(phone) is phone
    assert de_ess(sine(7000, 0.0002, -6.0)).frames == 10  # shorter than the filter's padding
