"""Compressor static curve and time constants; the sidechain ducker's depth and timing."""

from __future__ import annotations

import math

import numpy as np
import pytest
from dsp_signals import RATE, db, music_like, rms_db, sine

from castwright.audio import AudioBuffer
from castwright.dsp import compress, compressor_gain_db, duck


def test_static_curve_hard_knee() -> None:
    levels = np.array([-60.0, -20.0, -10.0, 0.0])
    gains = compressor_gain_db(levels, threshold_db=-20.0, ratio=4.0)
    assert gains == pytest.approx([0.0, 0.0, -7.5, -15.0])


def test_static_curve_soft_knee_is_continuous_and_monotonic() -> None:
    levels = np.linspace(-40, 0, 4001)
    out = levels + compressor_gain_db(levels, -20.0, 4.0, knee_db=10.0)
    assert np.all(np.diff(out) > 0)
    assert np.abs(np.diff(out, 2)).max() < 1e-3  # no corners
    # Outside the knee it is the hard curve; at the threshold it is 1/8 of the knee lower.
    assert out[levels <= -25.0] == pytest.approx(levels[levels <= -25.0])
    assert out[levels >= -15.0] == pytest.approx(-20.0 + (levels[levels >= -15.0] + 20.0) / 4)
    assert out[np.searchsorted(levels, -20.0)] == pytest.approx(-20.0 - 0.75 * 10 / 8)


def test_ratio_below_one_is_refused() -> None:
    with pytest.raises(ValueError):
        compressor_gain_db(0.0, -20.0, 0.5)


@pytest.mark.parametrize("level", [-40.0, -20.0, -12.0, -6.0, 0.0])
@pytest.mark.parametrize("knee", [0.0, 6.0])
def test_steady_state_follows_the_static_curve(level: float, knee: float) -> None:
    tone = sine(1000, 2.0, level, 2)
    out = compress(
        tone, threshold_db=-20.0, ratio=4.0, attack=0.005, release=0.2, knee_db=knee, makeup_db=3.0
    )
    settled = out.samples[:, RATE:]
    expected = level + float(compressor_gain_db(level, -20.0, 4.0, knee)) + 3.0
    assert db(float(np.abs(settled).max())) == pytest.approx(expected, abs=0.25)


def test_attack_and_release_time_constants() -> None:
    # A step from -40 to -10 dBFS and back; threshold -30, ratio 10: 18 dB of reduction.
    quiet, loud = sine(1000, 1.0, -40.0), sine(1000, 1.0, -10.0)
    pieces = [quiet.samples, loud.samples, quiet.samples, quiet.samples]
    steps = AudioBuffer(np.concatenate(pieces, axis=1), RATE)
    attack, release = 0.02, 0.2
    out = compress(steps, -30.0, 10.0, attack, release, 0.0).samples[0]

    def gain_at(seconds: float) -> float:
        at = round(seconds * RATE)
        span = slice(at - 24, at + 24)  # one period of 1 kHz
        return db(float(np.abs(out[span]).max()) / float(np.abs(steps.samples[0, span]).max()))

    full = -18.0
    assert gain_at(0.9) == pytest.approx(0.0, abs=0.05)
    assert gain_at(1.0 + attack) == pytest.approx(full * (1 - 1 / math.e), abs=1.5)
    assert gain_at(1.9) == pytest.approx(full, abs=0.3)
    assert gain_at(2.0 + release) == pytest.approx(full / math.e, abs=1.5)
    assert gain_at(2.0 + 8 * release) == pytest.approx(0.0, abs=0.1)


def _speech_burst(start: float, stop: float, seconds: float, rate: int = RATE) -> AudioBuffer:
    rng = np.random.default_rng(4)
    noise = 0.1 * rng.standard_normal(round(seconds * rate))  # -20 dBFS RMS
    t = np.arange(noise.size) / rate
    return AudioBuffer.mono(np.where((t >= start) & (t < stop), noise, 0.0), rate)


@pytest.mark.parametrize("depth", [6.0, 12.0, 20.0])
def test_duck_depth(depth: float) -> None:
    music = music_like(8)
    speech = _speech_burst(2.0, 6.0, 8.0)
    out = duck(music, speech, depth_db=depth, attack=0.1, release=0.5, hold=0.2, lookahead=0.1)
    during = slice(round(3.0 * RATE), round(5.5 * RATE))
    before = slice(0, round(1.5 * RATE))
    change = rms_db(out.samples[:, during]) - rms_db(music.samples[:, during])
    assert change == pytest.approx(-depth, abs=1.0)
    assert np.array_equal(out.samples[:, before], music.samples[:, before])
    assert out.frames == music.frames and out.channels == 2


def _gain_curve(speech: AudioBuffer, seconds: float, **settings: float) -> np.ndarray:
    """The ducker's gain in dB over time, probed with constant 'music'."""
    probe = AudioBuffer(np.full((1, round(seconds * RATE)), 0.5, np.float32), RATE)
    return np.asarray(20 * np.log10(duck(probe, speech, **settings).samples[0] / 0.5))


def test_duck_timing_without_lookahead() -> None:
    speech = _speech_burst(2.0, 4.0, 7.0)
    attack, release, hold = 0.1, 0.5, 0.2
    gain = _gain_curve(
        speech, 7.0, depth_db=12.0, attack=attack, release=release, hold=hold, lookahead=0.0
    )

    def at(seconds: float) -> float:
        return float(gain[round(seconds * RATE)])

    tolerance = 0.02  # the centred 30 ms RMS window sees speech up to 15 ms early (and late)
    assert at(2.0 - 0.05) == pytest.approx(0.0, abs=0.01)
    assert at(2.0 + attack / 2) == pytest.approx(-6.0, abs=12 * tolerance / attack)
    assert at(2.0 + attack + tolerance) == pytest.approx(-12.0, abs=0.1)
    assert at(4.0 + hold - tolerance) == pytest.approx(-12.0, abs=0.1)
    assert at(4.0 + hold + release / 2) == pytest.approx(-6.0, abs=12 * tolerance / release)
    assert at(4.0 + hold + release + tolerance) == pytest.approx(0.0, abs=0.1)


def test_duck_lookahead_is_down_when_speech_starts() -> None:
    speech = _speech_burst(2.0, 4.0, 6.0)
    gain = _gain_curve(speech, 6.0, depth_db=12.0, attack=0.1, release=0.4, hold=0.1, lookahead=0.1)
    assert gain[round(2.0 * RATE)] == pytest.approx(-12.0, abs=0.5)
    assert gain[round(1.85 * RATE)] == pytest.approx(0.0, abs=0.1)


def test_duck_gain_is_smooth() -> None:
    # Speech that stutters around the threshold: the gain must still move in small steps
    # (no zipper noise) and never faster than the attack and release allow.
    rng = np.random.default_rng(9)
    words = (rng.random(round(8 * RATE)) < 0.0005).astype(float)
    envelope = np.convolve(words, np.ones(RATE // 8))[: words.size]
    speech = AudioBuffer.mono(0.1 * envelope * rng.standard_normal(words.size), RATE)
    gain = _gain_curve(
        speech, 8.0, depth_db=12.0, attack=0.08, release=0.4, hold=0.0, lookahead=0.0
    )
    steps = np.abs(np.diff(gain))
    assert steps.max() <= 12.0 / (0.08 * RATE) * 1.01
    assert np.abs(np.diff(gain, 2)).max() < 1e-3


def test_duck_conforms_speech_and_handles_short_speech() -> None:
    music = music_like(4)
    speech = _speech_burst(0.5, 1.5, 2.0, rate=16000)  # other rate, shorter than the music
    out = duck(music, speech, depth_db=10.0, lookahead=0.0, hold=0.0, release=0.2)
    assert out.frames == music.frames
    late = slice(round(2.5 * RATE), None)
    assert np.array_equal(out.samples[:, late], music.samples[:, late])
    assert (
        rms_db(out.samples[:, RATE : round(1.4 * RATE)])
        < rms_db(music.samples[:, RATE : round(1.4 * RATE)]) - 9
    )


def test_duck_silent_speech_and_zero_depth() -> None:
    music = music_like(2)
    assert np.array_equal(duck(music, AudioBuffer.silence(2, RATE)).samples, music.samples)
    assert duck(music, _speech_burst(0, 2, 2), depth_db=0.0) is music
