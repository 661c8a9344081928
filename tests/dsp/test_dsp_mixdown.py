"""Mixing layers onto a timeline, and the channel mapping it relies on."""

from __future__ import annotations

import math

import numpy as np
import pytest
from dsp_signals import RATE, sine

from castwright.audio import AudioBuffer
from castwright.dsp import Layer, conform, map_channels, mix


def _click(rate: int = RATE, channels: int = 1) -> AudioBuffer:
    samples = np.zeros((channels, 100), np.float32)
    samples[:, 0] = 0.5
    return AudioBuffer(samples, rate)


def test_layers_land_at_their_offsets_with_their_gains() -> None:
    out = mix(
        [Layer(_click(channels=2), 0.5, 0.0), Layer(_click(channels=2), 1.25, -6.0)], 2.0, RATE, 2
    )
    assert out.frames == 2 * RATE and out.channels == 2
    hits = np.flatnonzero(out.samples[0])
    assert list(hits) == [RATE // 2, round(1.25 * RATE)]
    assert out.samples[1, round(1.25 * RATE)] == pytest.approx(0.5 * 10 ** (-6 / 20))


def test_mono_spreads_at_equal_power() -> None:
    out = mix([(_click(), 0.0, 0.0)], 0.01, RATE, 2)
    assert out.samples[:, 0] == pytest.approx([0.5 / math.sqrt(2)] * 2)
    power = float(np.sum(out.samples[:, 0] ** 2))
    assert power == pytest.approx(0.25)


def test_layers_are_resampled() -> None:
    tone = sine(440, 1.0, -6.0, 1, rate=24000)
    out = mix([(tone, 0.25, 0.0)], 2.0, RATE, 1)
    loud = np.flatnonzero(np.abs(out.samples[0]) > 0.05)
    assert loud[0] / RATE == pytest.approx(0.25, abs=0.002)
    assert loud[-1] / RATE == pytest.approx(1.25, abs=0.002)


def test_edges_of_the_timeline() -> None:
    ramp = AudioBuffer.mono(np.arange(1, 101, dtype=np.float32) / 100, RATE)
    early = mix([(ramp, -50 / RATE, 0.0)], 1.0, RATE, 1)  # starts before 0: loses its head
    assert early.samples[0, 0] == pytest.approx(0.51)
    late = mix([(ramp, 1.0 - 10 / RATE, 0.0)], 1.0, RATE, 1)  # cut at the end
    assert late.samples[0, -1] == pytest.approx(0.10)
    assert not mix([(ramp, 2.0, 0.0), (ramp, -1.0, 0.0)], 1.0, RATE, 1).samples.any()


def test_sum_is_not_clipped() -> None:
    loud = AudioBuffer(np.full((2, 10), 0.8, np.float32), RATE)
    out = mix([(loud, 0.0, 0.0), (loud, 0.0, 0.0)], 10 / RATE, RATE, 2)
    assert out.samples.max() == pytest.approx(1.6)


def test_channel_mapping() -> None:
    stereo = AudioBuffer(np.array([[1.0, 0.0], [0.0, 1.0]], np.float32), RATE)
    assert map_channels(stereo, 1).samples.tolist() == [[0.5, 0.5]]
    assert map_channels(stereo, 2) is stereo
    with pytest.raises(ValueError):
        map_channels(stereo, 6)
    with pytest.raises(ValueError):
        map_channels(stereo, 0)
    both = conform(AudioBuffer.mono(np.ones(240, np.float32), 24000), RATE, 2)
    assert both.channels == 2 and both.sample_rate == RATE and both.frames == 480
