"""The basic processors speech rendering needs: resample, fade, pad, join, gain."""

from __future__ import annotations

import numpy as np
import soxr

from castwright.audio import AudioBuffer

__all__ = ["concatenate", "fade_edges", "gain", "pad", "resample", "to_mono"]


def resample(buffer: AudioBuffer, sample_rate: int) -> AudioBuffer:
    if buffer.sample_rate == sample_rate or buffer.frames == 0:
        return AudioBuffer(buffer.samples, sample_rate) if buffer.frames == 0 else buffer
    # soxr wants [frames, channels]; "HQ" is transparent for speech and fast.
    out = soxr.resample(buffer.samples.T, buffer.sample_rate, sample_rate, quality="HQ")
    return AudioBuffer(np.ascontiguousarray(out.T, dtype=np.float32), sample_rate)


def fade_edges(buffer: AudioBuffer, seconds: float = 0.005) -> AudioBuffer:
    """Short raised-cosine fades at both ends, so joined pieces never click."""
    frames = min(buffer.frames // 2, round(seconds * buffer.sample_rate))
    if frames <= 1:
        return buffer
    ramp = (0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, frames))).astype(np.float32)
    samples = buffer.samples.copy()
    samples[:, :frames] *= ramp
    samples[:, -frames:] *= ramp[::-1]
    return AudioBuffer(samples, buffer.sample_rate)


def concatenate(buffers: list[AudioBuffer], sample_rate: int, channels: int = 1) -> AudioBuffer:
    """Join buffers end to end (resampling any that differ)."""
    parts = [resample(b, sample_rate).samples for b in buffers if b.frames]
    if not parts:
        return AudioBuffer.silence(0.0, sample_rate, channels)
    return AudioBuffer(np.concatenate(parts, axis=1), sample_rate)


def pad(buffer: AudioBuffer, start_seconds: float, end_seconds: float) -> AudioBuffer:
    head = round(start_seconds * buffer.sample_rate)
    tail = round(end_seconds * buffer.sample_rate)
    if head == 0 and tail == 0:
        return buffer  # no copy of a whole section for nothing (buffers are never mutated)
    start = np.zeros((buffer.channels, head), np.float32)
    end = np.zeros((buffer.channels, tail), np.float32)
    return AudioBuffer(np.concatenate([start, buffer.samples, end], axis=1), buffer.sample_rate)


def gain(buffer: AudioBuffer, linear: float) -> AudioBuffer:
    if linear == 1.0:
        return buffer
    return AudioBuffer(buffer.samples * np.float32(linear), buffer.sample_rate)


def to_mono(buffer: AudioBuffer) -> AudioBuffer:
    if buffer.channels == 1:
        return buffer
    return AudioBuffer(buffer.samples.mean(axis=0, keepdims=True), buffer.sample_rate)
