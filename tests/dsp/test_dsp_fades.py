"""Fade curves and crossfades: exact lengths, exact ends, shapes at the midpoint."""

from __future__ import annotations

import math
from typing import cast

import numpy as np
import pytest
from dsp_signals import RATE, sine

from castwright.audio import AudioBuffer
from castwright.dsp import crossfade, fade_curve, fade_in, fade_out
from castwright.dsp.fades import FADE_SHAPES, FadeShape

MIDPOINTS = {
    "linear": 0.5,
    "equal_power": math.sqrt(0.5),
    "sine": math.sqrt(0.5),
    "exponential": (math.sqrt(1000) - 1) / 999,
    "logarithmic": 1 - (math.sqrt(1000) - 1) / 999,
}


@pytest.mark.parametrize("shape", FADE_SHAPES)
def test_curve_ends_midpoint_and_monotonic(shape: FadeShape) -> None:
    curve = fade_curve(1001, shape)
    assert curve.size == 1001
    assert curve[0] == 0.0 and curve[-1] == 1.0
    assert np.all(np.diff(curve) >= 0)
    assert curve[500] == pytest.approx(MIDPOINTS[shape], abs=1e-9)


def test_exponential_is_linear_in_decibels() -> None:
    curve = fade_curve(1001, "exponential")[300:]
    steps = np.diff(20 * np.log10(curve))
    assert steps.max() - steps.min() < 0.2 * steps.mean()


def test_unknown_shape() -> None:
    with pytest.raises(ValueError, match="unknown fade shape"):
        fade_curve(10, cast(FadeShape, "cubic"))


@pytest.mark.parametrize("shape", FADE_SHAPES)
def test_fade_in_and_out_shape_the_ends_only(shape: FadeShape) -> None:
    ones = AudioBuffer(np.ones((2, RATE), np.float32), RATE)
    faded_in = fade_in(ones, 0.25, shape)
    faded_out = fade_out(ones, 0.25, shape)
    frames = RATE // 4
    curve = fade_curve(frames, shape).astype(np.float32)
    for buffer in (faded_in, faded_out):
        assert buffer.samples.shape == (2, RATE)
    assert np.array_equal(faded_in.samples[0, :frames], curve)
    assert np.all(faded_in.samples[:, frames:] == 1.0)
    assert np.array_equal(faded_out.samples[1, -frames:], curve[::-1])
    assert np.all(faded_out.samples[:, :-frames] == 1.0)
    assert faded_in.samples[0, frames // 2] == pytest.approx(MIDPOINTS[shape], abs=1e-3)


def test_fade_longer_than_buffer_covers_it_all() -> None:
    ones = AudioBuffer(np.ones((1, 100), np.float32), RATE)
    out = fade_out(ones, 10.0, "linear")
    assert out.samples[0, 0] == 1.0 and out.samples[0, -1] == 0.0
    assert fade_in(ones, 0.0) is ones


def test_crossfade_length_and_linear_sum() -> None:
    a = AudioBuffer(np.ones((1, 48000), np.float32), RATE)
    b = AudioBuffer(np.ones((1, 24000), np.float32), RATE)
    joined = crossfade(a, b, 0.1, "linear")
    assert joined.frames == 48000 + 24000 - 4800
    # Constant-gain curves over identical material sum to exactly the material.
    assert np.allclose(joined.samples, 1.0, atol=1e-6)


def test_equal_power_crossfade_keeps_uncorrelated_power() -> None:
    rng = np.random.default_rng(3)
    a = AudioBuffer(rng.standard_normal((1, RATE)).astype(np.float32), RATE)
    b = AudioBuffer(rng.standard_normal((1, RATE)).astype(np.float32), RATE)
    joined = crossfade(a, b, 0.5, "equal_power").samples[0]
    start = RATE - RATE // 2
    for part in np.array_split(joined[start : start + RATE // 2], 10):
        assert np.mean(part**2) == pytest.approx(1.0, abs=0.15)


def test_crossfade_conforms_the_second_buffer() -> None:
    a = sine(440, 1.0, channels=2)
    b = sine(440, 1.0, channels=1, rate=24000)
    joined = crossfade(a, b, 0.2)
    assert joined.channels == 2 and joined.sample_rate == RATE
    assert joined.frames == 2 * RATE - round(0.2 * RATE)


def test_crossfade_overlap_clamped_to_shorter() -> None:
    a = AudioBuffer(np.ones((1, 10), np.float32), RATE)
    b = AudioBuffer(np.ones((1, 1000), np.float32), RATE)
    assert crossfade(a, b, 5.0).frames == 1000
    assert crossfade(a, b, 0.0).frames == 1010
