"""The vectorised envelope primitives against their obvious per-sample loops."""

from __future__ import annotations

import math

import numpy as np
import pytest

from castwright.dsp.envelope import (
    decay_hold,
    hold_and_release,
    moving_average,
    one_pole,
    slew_limit,
    sliding_max,
    time_coefficient,
)

RNG = np.random.default_rng(7)


@pytest.mark.parametrize("size", [1, 2, 9, 64, 501])
@pytest.mark.parametrize(("before", "after"), [(0, 0), (0, 5), (3, 0), (4, 11), (300, 2)])
def test_windows_match_brute_force(size: int, before: int, after: int) -> None:
    values = RNG.standard_normal(size)
    windows = [values[max(0, n - before) : n + after + 1] for n in range(size)]
    assert np.array_equal(sliding_max(values, before, after), [w.max() for w in windows])
    assert np.allclose(moving_average(values, before, after), [w.mean() for w in windows])


def test_decay_hold_matches_recursion() -> None:
    values = np.abs(RNG.standard_normal(2000)) * (RNG.random(2000) < 0.05)
    coefficient = 0.97
    expected, last = [], 0.0
    for value in values:
        last = max(value, coefficient * last)
        expected.append(last)
    assert np.allclose(decay_hold(values, coefficient), expected, rtol=1e-9, atol=1e-300)


def test_decay_hold_keeps_its_precision_far_into_a_long_signal() -> None:
    # The log-domain ramp reaches ~4e6 here, more than an hour at 48 kHz with a 1 ms release.
    values = np.zeros(4_000_000)
    values[-10] = 1.0
    values[0] = 2.0
    coefficient = time_coefficient(0.02e-3, 48000)
    held = decay_hold(values, coefficient)
    assert held[-10] == pytest.approx(1.0, rel=1e-9)
    assert held[-1] == pytest.approx(coefficient**9, rel=1e-9)


@pytest.mark.parametrize("ahead", [0, 1, 7, 40])
@pytest.mark.parametrize("density", [0.001, 0.02, 0.5])  # the last is the dense strategy's
@pytest.mark.parametrize("coefficient", [0.0, 0.9, 0.999])
def test_hold_and_release_is_the_two_scans(ahead: int, density: float, coefficient: float) -> None:
    size = 3000
    values = np.zeros(size)
    chosen = RNG.random(size) < density
    chosen[0] = chosen[-1] = True  # the edges: a window cut at the start, a value at the end
    values[chosen] = RNG.random(np.count_nonzero(chosen)) * 12.0 + 0.01
    positions = np.flatnonzero(chosen)
    expected = decay_hold(sliding_max(values, 0, ahead), coefficient)
    found = hold_and_release(positions, values[positions], size, ahead, coefficient)
    assert np.allclose(found, expected, rtol=1e-9, atol=1e-300)
    assert np.array_equal(hold_and_release(positions[:0], values[:0], 5, ahead, 0.9), np.zeros(5))


def test_one_pole_matches_recursion() -> None:
    values = RNG.standard_normal(500)
    coefficient, last, expected = 0.9, 0.5, []
    for value in values:
        last = coefficient * last + (1 - coefficient) * value
        expected.append(last)
    assert np.allclose(one_pole(values, coefficient, initial=0.5), expected)


def test_slew_limit_matches_recursion() -> None:
    values = np.repeat(RNG.uniform(0, 10, 40), 37)
    rise, fall = 0.3, 0.05
    expected = [values[0]]
    for value in values[1:]:
        expected.append(min(max(value, expected[-1] - fall), expected[-1] + rise))
    limited = slew_limit(values, rise, fall)
    steps = np.diff(limited)
    assert steps.max() <= rise + 1e-9
    assert steps.min() >= -fall - 1e-9
    # Both limits never fight: the result equals the two-sided recursion.
    assert np.allclose(limited, expected)


def test_time_coefficient() -> None:
    assert time_coefficient(0.0, 48000) == 0.0
    assert time_coefficient(1.0, 100) ** 100 == pytest.approx(math.exp(-1))
