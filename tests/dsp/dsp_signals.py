"""Deterministic test signals for the DSP tests: tones, music-like and speech-like programmes."""

from __future__ import annotations

import functools
import math

import numpy as np
from scipy.signal import butter, lfilter, sosfilt

from castwright.audio import AudioBuffer

RATE = 48000


def sine(
    frequency: float,
    seconds: float,
    level_dbfs: float = -20.0,
    channels: int = 1,
    rate: int = RATE,
    phase: float = 0.0,
) -> AudioBuffer:
    """A sine whose peak is ``level_dbfs``, identical on every channel."""
    t = np.arange(round(seconds * rate)) / rate
    wave = 10 ** (level_dbfs / 20) * np.sin(2 * math.pi * frequency * t + phase)
    return AudioBuffer(np.tile(wave.astype(np.float32), (channels, 1)), rate)


def db(value: float) -> float:
    return 20 * math.log10(value)


def rms_db(samples: np.ndarray) -> float:
    return 10 * math.log10(float(np.mean(np.square(samples, dtype=np.float64))))


@functools.cache  # deterministic, and buffers are never modified in place
def music_like(seconds: float, rate: int = RATE, seed: int = 1) -> AudioBuffer:
    """Stereo: sustained chords (harmonic pads), a bass line and decaying noise hits at 120 BPM,
    with the slow level changes of a real arrangement."""
    rng = np.random.default_rng(seed)
    frames = round(seconds * rate)
    t = np.arange(frames) / rate
    out = np.zeros((2, frames))
    chords = [(220.0, 277.2, 329.6), (196.0, 246.9, 293.7), (174.6, 220.0, 261.6)]
    for bar in range(math.ceil(seconds / 2)):
        span = slice(bar * 2 * rate, (bar * 2 + 2) * rate)
        for k, root in enumerate(chords[bar % len(chords)]):
            for harmonic in (1, 2, 3):
                tone = np.sin(2 * math.pi * root * harmonic * t[span] + rng.uniform(0, 6))
                out[k % 2, span] += 0.08 / harmonic * tone
                out[(k + 1) % 2, span] += 0.05 / harmonic * tone
        bass = 0.25 * np.sin(2 * math.pi * chords[bar % len(chords)][0] / 4 * t[span])
        out[:, span] += bass
    hits = np.zeros(frames)
    hits[:: round(0.5 * rate)] = 1.0
    decay = math.exp(-1 / (0.04 * rate))
    kit = lfilter([1.0], [1.0, -decay], hits) * rng.standard_normal(frames) * 0.3
    out += kit
    swell = 0.75 + 0.25 * np.sin(2 * math.pi * t / 7.0)  # the arrangement breathes
    return AudioBuffer((out * swell).astype(np.float32), rate)


@functools.cache
def speech_like(seconds: float, rate: int = RATE, seed: int = 2) -> AudioBuffer:
    """Mono: voiced syllables (a harmonic buzz around 120 Hz through a speech band), sibilant
    noise bursts, and pauses between phrases."""
    rng = np.random.default_rng(seed)
    frames = round(seconds * rate)
    t = np.arange(frames) / rate
    pitch = 120 + 15 * np.sin(2 * math.pi * 0.7 * t)
    phase = 2 * math.pi * np.cumsum(pitch) / rate
    buzz = sum(np.sin(k * phase) / k for k in range(1, 17))
    voice = sosfilt(butter(2, [200, 3500], "bandpass", fs=rate, output="sos"), buzz)
    hiss = sosfilt(butter(4, 5000, "highpass", fs=rate, output="sos"), rng.standard_normal(frames))
    envelope = np.zeros(frames)
    sibilant = np.zeros(frames)
    at = min(0.2, seconds / 10)
    while at < seconds - 0.1:
        length = min(rng.uniform(0.12, 0.3), seconds - at)
        start, stop = round(at * rate), round((at + length) * rate)
        envelope[start:stop] = np.hanning(stop - start) * rng.uniform(0.6, 1.0)
        if rng.random() < 0.3:
            sibilant[start:stop] = np.hanning(stop - start) * 0.5
        at += length + (rng.uniform(0.4, 0.8) if rng.random() < 0.15 else rng.uniform(0.03, 0.1))
    signal = 0.5 * voice * envelope + 0.1 * hiss * sibilant
    return AudioBuffer.mono(signal.astype(np.float32), rate)
