"""Looping and trimming music to an exact length, without clicks or gaps."""

from __future__ import annotations

import numpy as np
import pytest
from dsp_signals import RATE, music_like

from castwright.audio import AudioBuffer
from castwright.dsp import FadeShape, fit_to_length


def _tones(seconds: float) -> AudioBuffer:
    # Whole periods do not fit the segment, so a plain repeat jumps at each loop point.
    t = np.arange(round(seconds * RATE)) / RATE
    wave = 0.5 * np.sin(2 * np.pi * 110 * t) + 0.3 * np.sin(2 * np.pi * 173 * t + 1)
    return AudioBuffer(np.stack([wave, -wave]).astype(np.float32), RATE)


def _max_jump(samples: np.ndarray) -> float:
    return float(np.abs(np.diff(samples, axis=1)).max())


@pytest.mark.parametrize("seconds", [0.0, 0.5, 1.2345, 3.0, 7.77, 31.0])
def test_exact_length(seconds: float) -> None:
    out = fit_to_length(_tones(1.37), seconds, 0.2)
    assert out.frames == round(seconds * RATE)
    assert out.channels == 2 and out.sample_rate == RATE


def test_trim_fades_out_and_keeps_the_head() -> None:
    source = _tones(2.0)
    out = fit_to_length(source, 1.5, 0.25)
    assert np.array_equal(
        out.samples[:, : round(1.25 * RATE)], source.samples[:, : round(1.25 * RATE)]
    )
    assert np.abs(out.samples[:, -1]).max() == 0.0
    assert np.array_equal(fit_to_length(source, 2.0, 0.25).samples, source.samples)


@pytest.mark.parametrize("shape", ["equal_power", "linear"])
def test_loop_points_do_not_click(shape: FadeShape) -> None:
    source = _tones(1.37)
    own = _max_jump(source.samples)
    out = fit_to_length(source, 10.0, 0.15, shape)
    assert _max_jump(out.samples) <= 1.5 * own
    # The same test catches a plain repeat: it jumps far more than the signal ever does.
    plain = np.tile(source.samples, (1, 8))
    assert _max_jump(plain) > 5 * own


def test_loop_has_no_gap_in_level() -> None:
    source = music_like(3.3)
    out = fit_to_length(source, 20.0, 0.3)
    window = RATE // 20
    levels = [
        np.sqrt(np.mean(out.samples[:, i : i + window] ** 2))
        for i in range(0, out.frames - 2 * RATE, window)
    ]
    reference = np.sqrt(np.mean(source.samples**2))
    assert min(levels) > 0.3 * reference


def test_loop_repeats_the_material() -> None:
    source = _tones(1.0)
    out = fit_to_length(source, 3.0, 0.1)
    period = RATE - round(0.1 * RATE)
    # Away from the crossfades, each repeat is the segment itself.
    middle = slice(round(0.2 * RATE), round(0.8 * RATE))
    shifted = slice(middle.start + period, middle.stop + period)
    assert np.array_equal(out.samples[:, shifted], source.samples[:, middle])


def test_loop_ending_on_a_repeat_keeps_its_natural_end() -> None:
    source = _tones(1.0)
    overlap = round(0.1 * RATE)
    exact = (RATE + 2 * (RATE - overlap)) / RATE
    out = fit_to_length(source, exact, 0.1)
    assert np.array_equal(out.samples[:, -overlap:], source.samples[:, -overlap:])


def test_empty_segment_gives_silence() -> None:
    out = fit_to_length(AudioBuffer.silence(0, RATE, 2), 1.5)
    assert out.frames == round(1.5 * RATE) and not out.samples.any()


def test_crossfade_longer_than_half_the_segment_is_clamped() -> None:
    out = fit_to_length(_tones(0.2), 1.0, 5.0)
    assert out.frames == RATE
