"""Time-stretching keeps pitch and level and lands on the exact length; pauses are found and
resized from their middle."""

from __future__ import annotations

import numpy as np
import pytest

from castwright.audio import AudioBuffer
from castwright.dsp.tempo import resize_runs, silent_runs, time_stretch

RATE = 22_050


def tone(seconds: float, frequency: float = 220.0, amplitude: float = 0.5) -> AudioBuffer:
    t = np.arange(round(seconds * RATE)) / RATE
    return AudioBuffer.mono(amplitude * np.sin(2 * np.pi * frequency * t), RATE)


def peak_frequency(audio: AudioBuffer) -> float:
    samples = audio.samples[0]
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(samples.size)))
    return float(np.argmax(spectrum) * RATE / samples.size)


@pytest.mark.parametrize("rate", [0.8, 1.1, 1.25, 1.5])
def test_time_stretch_keeps_pitch_and_level(rate: float) -> None:
    source = tone(3.0)
    stretched = time_stretch(source, rate)
    assert stretched.frames == round(source.frames / rate)
    assert peak_frequency(stretched) == pytest.approx(220.0, abs=1.0)
    middle = stretched.samples[0, 2000:-2000]
    assert float(np.sqrt(np.mean(middle**2))) == pytest.approx(0.5 / np.sqrt(2), rel=0.03)
    assert float(np.abs(stretched.samples).max()) <= 0.52


def test_time_stretch_of_stereo_and_of_nothing() -> None:
    stereo = AudioBuffer(np.vstack([tone(1.0).samples[0], tone(1.0, 330).samples[0]]), RATE)
    assert time_stretch(stereo, 1.5).samples.shape == (2, round(stereo.frames / 1.5))
    empty = AudioBuffer.silence(0.0, RATE)
    assert time_stretch(empty, 1.3).frames == 0
    with pytest.raises(ValueError):
        time_stretch(stereo, 0.0)


def test_silent_runs_and_resizing() -> None:
    audio = AudioBuffer(
        np.concatenate(
            [
                AudioBuffer.silence(0.5, RATE).samples,
                tone(1.0).samples,
                AudioBuffer.silence(0.1, RATE).samples,  # too short to count
                tone(1.0).samples,
                AudioBuffer.silence(0.8, RATE).samples,
            ],
            axis=1,
        ),
        RATE,
    )
    runs = silent_runs(audio, 0.001, 0.3)
    assert [(r.start / RATE, r.frames / RATE) for r in runs] == [
        pytest.approx((0.0, 0.5), abs=0.001),
        pytest.approx((2.6, 0.8), abs=0.001),
    ]
    shorter = resize_runs(audio, runs, [round(0.1 * RATE), round(0.2 * RATE)])
    assert shorter.duration == pytest.approx(audio.duration - 0.4 - 0.6, abs=1e-3)
    assert silent_runs(shorter, 0.001, 0.3) == []
