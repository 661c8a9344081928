"""Numeric checks on audio: duration, level, silence, sample rate."""

from __future__ import annotations

import io
import wave
from dataclasses import dataclass

import numpy as np

__all__ = ["WavInfo", "analyse_wav", "leading_silence", "trailing_silence"]


@dataclass(frozen=True)
class WavInfo:
    sample_rate: int
    channels: int
    duration: float
    rms_dbfs: float
    peak: float
    samples: np.ndarray


def analyse_wav(data: bytes) -> WavInfo:
    with wave.open(io.BytesIO(data)) as reader:
        rate, channels, width = reader.getframerate(), reader.getnchannels(), reader.getsampwidth()
        raw = reader.readframes(reader.getnframes())
    assert width == 2, f"expected 16-bit PCM, got {width * 8}-bit"
    samples = np.frombuffer(raw, "<i2").astype(np.float32).reshape(-1, channels).mean(1) / 32768
    rms = float(np.sqrt(np.mean(samples**2))) if samples.size else 0.0
    return WavInfo(
        rate,
        channels,
        samples.size / rate,
        20 * np.log10(max(rms, 1e-9)),
        float(np.abs(samples).max()) if samples.size else 0.0,
        samples,
    )


def _silent_run(samples: np.ndarray, rate: int, threshold: float) -> float:
    loud = np.flatnonzero(np.abs(samples) > threshold)
    return (loud[0] if loud.size else samples.size) / rate


def leading_silence(info: WavInfo, threshold: float = 1e-3) -> float:
    return _silent_run(info.samples, info.sample_rate, threshold)


def trailing_silence(info: WavInfo, threshold: float = 1e-3) -> float:
    return _silent_run(info.samples[::-1], info.sample_rate, threshold)
