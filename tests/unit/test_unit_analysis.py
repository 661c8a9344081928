"""The analysis numbers themselves: peaks and loudness curves of synthetic programmes."""

from __future__ import annotations

import math

import numpy as np
import pytest

from castwright.analysis.compute import MAX_LOUDNESS_POINTS, PEAK_COLUMNS, analyse
from castwright.audio import AudioBuffer
from castwright.dsp.loudness import integrated_loudness, loudness_over_time, loudness_range


def noise(seconds: float, rate: int, level: float, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (level * rng.standard_normal(int(seconds * rate))).astype(np.float32)


def test_curves_agree_with_the_whole_programme_meters() -> None:
    rate = 16_000
    # Quiet, loud, quiet: a loudness range the meters must both see.
    mono = np.concatenate([noise(4, rate, 0.02), noise(4, rate, 0.2, 2), noise(4, rate, 0.02, 3)])
    buffer = AudioBuffer(mono[np.newaxis, :], rate)
    curve = loudness_over_time(buffer)
    assert curve.integrated_lufs == pytest.approx(integrated_loudness(buffer), abs=1e-9)
    assert curve.range_lu == pytest.approx(loudness_range(buffer), abs=1e-9)
    assert curve.hop_seconds == pytest.approx(0.1)
    assert curve.short_term.size == 91 and curve.momentary.size == 117  # 12 s, 100 ms hops
    # The loud middle is 20 dB above the quiet ends, window by window.
    middle = curve.momentary[int(5.0 / 0.1)]
    edge = curve.momentary[int(1.0 / 0.1)]
    assert middle - edge == pytest.approx(20.0, abs=0.5)


def test_short_files_and_silence() -> None:
    tiny = AudioBuffer(np.linspace(-0.5, 0.5, 300, dtype=np.float32)[np.newaxis, :], 8000)
    result = analyse(tiny)
    # Fewer frames than columns: one frame per column, nothing made up.
    assert result["peaks"]["columns"] == 300
    assert result["peaks"]["max"][0] == pytest.approx(-0.5) and result["peaks"]["max"][-1] == 0.5
    assert result["loudness"]["shortTerm"]["values"] == []  # shorter than a 3 s window
    assert result["loudness"]["momentary"]["values"] == []

    silence = analyse(AudioBuffer(np.zeros((2, 48_000 * 4), np.float32), 48_000))
    assert silence["loudness"]["integrated"] is None and silence["loudness"]["truePeak"] is None
    assert set(silence["loudness"]["shortTerm"]["values"]) == {None}
    assert silence["peaks"]["columns"] == PEAK_COLUMNS
    assert set(silence["peaks"]["max"]) == {0.0}

    empty = analyse(AudioBuffer(np.zeros((1, 0), np.float32), 22_050))
    assert empty["peaks"]["columns"] == 0 and empty["duration"] == 0.0


def test_long_files_keep_a_bounded_number_of_points() -> None:
    rate = (
        8_000  # cheap (K-weighting needs its 1.7 kHz shelf under Nyquist); points follow duration
    )
    seconds = 700.0
    buffer = AudioBuffer(noise(seconds, rate, 0.1)[np.newaxis, :], rate)
    result = analyse(buffer)
    short_term = result["loudness"]["shortTerm"]
    every = math.ceil((seconds - 3.0) / 0.1 / MAX_LOUDNESS_POINTS)
    assert len(short_term["values"]) <= MAX_LOUDNESS_POINTS
    assert short_term["hopSeconds"] == pytest.approx(0.1 * every)
    assert len(result["peaks"]["max"]) == PEAK_COLUMNS
    assert result["peaks"]["secondsPerColumn"] == pytest.approx(seconds / PEAK_COLUMNS)
    # Steady noise: every point sits on the integrated loudness.
    values = np.array(short_term["values"])
    assert np.abs(values - result["loudness"]["integrated"]).max() < 0.5
