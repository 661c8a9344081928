"""BS.1770-4 loudness, Tech 3342 loudness range, true peak, and loudness normalisation."""

from __future__ import annotations

import math

import numpy as np
import pyloudnorm
import pytest
from dsp_signals import RATE, music_like, sine, speech_like

from castwright.audio import AudioBuffer
from castwright.dsp import (
    fade_in,
    fade_out,
    integrated_loudness,
    loudness_range,
    measure_loudness,
    normalise_loudness,
    true_peak,
)
from castwright.dsp.channels import map_channels
from castwright.dsp.loudness import k_weighting


def _steps(*parts: tuple[float, float], channels: int = 2) -> AudioBuffer:
    """1 kHz sine sections of (seconds, level dBFS), as in the EBU test signals."""
    pieces = [sine(1000, seconds, level, channels).samples for seconds, level in parts]
    return AudioBuffer(np.concatenate(pieces, axis=1), RATE)


def test_k_weighting_reproduces_the_published_48k_coefficients() -> None:
    shelf, high_pass = k_weighting(48000)
    assert shelf == pytest.approx(
        [
            1.53512485958697,
            -2.69169618940638,
            1.19839281085285,
            1,
            -1.69065929318241,
            0.73248077421585,
        ],
        abs=1e-10,
    )
    assert high_pass == pytest.approx([1, -2, 1, 1, -1.99004745483398, 0.99007225036621], abs=1e-10)


def test_sine_levels() -> None:
    # A mono 1 kHz sine peaking at -20 dBFS reads -23.0 LUFS (its power is 3 dB under its peak
    # and K-weighting at 1 kHz cancels the -0.691 offset). Both stereo channels count, so the
    # same sine in stereo reads -20.0, and EBU Tech 3341 case 1 (stereo, -23 dBFS) reads -23.0.
    assert integrated_loudness(sine(1000, 10, -20.0)) == pytest.approx(-23.0, abs=0.05)
    assert integrated_loudness(sine(1000, 10, -20.0, 2)) == pytest.approx(-20.0, abs=0.05)
    assert integrated_loudness(sine(1000, 20, -23.0, 2)) == pytest.approx(-23.0, abs=0.05)


def test_gating_ignores_quiet_passages() -> None:
    # EBU Tech 3341 case 3: quiet sections either side are gated out by the relative gate.
    programme = _steps((10, -36), (60, -23), (10, -36))
    assert integrated_loudness(programme) == pytest.approx(-23.0, abs=0.1)


@pytest.mark.parametrize(
    ("levels", "expected"), [((-20, -30), 10.0), ((-20, -15), 5.0), ((-40, -20), 20.0)]
)
def test_loudness_range_tech_3342_cases(levels: tuple[float, float], expected: float) -> None:
    programme = _steps((20, levels[0]), (20, levels[1]))
    assert loudness_range(programme) == pytest.approx(expected, abs=1.0)


@pytest.mark.parametrize("rate", [48000, 44100, 22050])
def test_agrees_with_pyloudnorm(rate: int) -> None:
    programme = music_like(12, rate)
    reference = pyloudnorm.Meter(rate, "DeMan").integrated_loudness(
        programme.samples.T.astype(float)
    )
    assert integrated_loudness(programme) == pytest.approx(reference, abs=0.05)


def test_short_programmes() -> None:
    steady = integrated_loudness(sine(1000, 10, -20.0))
    for seconds in (0.1, 0.3, 0.45, 1.5, 2.9):
        short = sine(1000, seconds, -20.0)
        assert integrated_loudness(short) == pytest.approx(steady, abs=0.1)
        assert loudness_range(short) == 0.0


def test_silence() -> None:
    quiet = AudioBuffer.silence(5, RATE, 2)
    report = measure_loudness(quiet)
    assert report.integrated_lufs == -math.inf and report.true_peak_dbtp == -math.inf
    assert report.range_lu == 0.0
    assert integrated_loudness(AudioBuffer.silence(0, RATE)) == -math.inf
    assert normalise_loudness(quiet, -16) is quiet


def test_true_peak_finds_inter_sample_peaks() -> None:
    # A sine at a quarter of the rate, 45 degrees off: every sample is at +-0.707 while the
    # waveform between them reaches 1.0 (0 dBTP).
    # Faded ends: an abrupt start rings (Gibbs) and would read a little over 0 dBTP.
    wave = fade_out(fade_in(sine(RATE / 4, 2.0, 0.0, 2, phase=math.pi / 4), 0.2), 0.2)
    report = measure_loudness(wave)
    assert report.sample_peak_dbfs == pytest.approx(-3.01, abs=0.01)
    assert report.true_peak_dbtp == pytest.approx(0.0, abs=0.02)


def test_true_peak_of_a_plain_sine() -> None:
    assert true_peak(sine(997, 1.0, -6.0)) == pytest.approx(-6.0, abs=0.02)


def _programme(kind: str, seconds: float = 20.0) -> AudioBuffer:
    if kind == "music":
        return music_like(seconds)
    return map_channels(speech_like(seconds), 2)


@pytest.mark.parametrize("kind", ["music", "speech"])
@pytest.mark.parametrize("target", [-16.0, -14.0, -23.0])
@pytest.mark.parametrize("ceiling", [-1.0, -2.0])
def test_normalise_hits_target_under_ceiling(kind: str, target: float, ceiling: float) -> None:
    source = _programme(kind)
    out = normalise_loudness(source, target, ceiling)
    assert out.frames == source.frames and out.channels == 2
    assert integrated_loudness(out) == pytest.approx(target, abs=0.2)
    assert true_peak(out) <= ceiling + 0.01


@pytest.mark.parametrize("seconds", [0.25, 1.0, 2.5])
def test_normalise_short_programmes(seconds: float) -> None:
    out = normalise_loudness(_programme("speech", seconds), -16.0, -1.0)
    assert integrated_loudness(out) == pytest.approx(-16.0, abs=0.2)
    assert true_peak(out) <= -1.0 + 0.01


def test_normalise_leaves_quiet_peaky_programmes_unlimited() -> None:
    # A quiet source only needs gain: no pass of the limiter should touch its shape.
    source = sine(440, 5, -40.0, 2)
    out = normalise_loudness(source, -23.0, -1.0)
    ratio = out.samples[0, 1000:-1000] / source.samples[0, 1000:-1000]
    finite = np.isfinite(ratio) & (np.abs(source.samples[0, 1000:-1000]) > 1e-3)
    assert np.ptp(ratio[finite]) < 1e-3


def test_normalise_unreachable_target_keeps_the_ceiling() -> None:
    # A full-scale square cannot be 3 LUFS loud under a -1 dBTP ceiling: return the closest.
    square = AudioBuffer(np.sign(sine(100, 5, 0.0, 2).samples) * np.float32(0.99), RATE)
    out = normalise_loudness(square, 3.0, -1.0)
    assert true_peak(out) <= -1.0 + 0.01
    assert integrated_loudness(out) < 3.0
