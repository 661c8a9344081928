"""WAV at the edge: 16-bit PCM encode and decode with the standard library."""

from __future__ import annotations

import io
import wave

import numpy as np

from castwright.audio.buffer import AudioBuffer

__all__ = ["decode_wav", "encode_wav"]


def encode_wav(buffer: AudioBuffer) -> bytes:
    # TPDF-free plain rounding is fine for speech at 16 bits; clip first so peaks never wrap.
    pcm = np.clip(buffer.samples, -1.0, 1.0)
    ints = np.round(pcm.T * 32767.0).astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(buffer.channels)
        writer.setsampwidth(2)
        writer.setframerate(buffer.sample_rate)
        writer.writeframes(ints.tobytes())
    return out.getvalue()


def decode_wav(data: bytes) -> AudioBuffer:
    with wave.open(io.BytesIO(data), "rb") as reader:
        channels = reader.getnchannels()
        width = reader.getsampwidth()
        rate = reader.getframerate()
        raw = reader.readframes(reader.getnframes())
    if width == 2:
        samples = np.frombuffer(raw, "<i2").astype(np.float32) / 32768.0
    elif width == 4:
        samples = np.frombuffer(raw, "<i4").astype(np.float32) / 2147483648.0
    elif width == 1:
        samples = (np.frombuffer(raw, np.uint8).astype(np.float32) - 128.0) / 128.0
    else:
        raise ValueError(f"unsupported WAV sample width {width}")
    return AudioBuffer(np.ascontiguousarray(samples.reshape(-1, channels).T), rate)
