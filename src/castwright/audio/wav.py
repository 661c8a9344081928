"""WAV at the edge: 16-bit PCM encode and decode with the standard library."""

from __future__ import annotations

import io
import wave

import numpy as np
import numpy.typing as npt

from castwright.audio.buffer import AudioBuffer

__all__ = ["decode_wav", "encode_wav", "pcm16", "wav_from_pcm16"]


def pcm16(buffer: AudioBuffer) -> npt.NDArray[np.int16]:
    """Interleaved 16-bit frames [frames, channels]."""
    # TPDF-free plain rounding is fine for speech at 16 bits; clip first so peaks never wrap.
    # clip makes the one float copy, scaled and rounded in place.
    pcm = np.clip(buffer.samples.T, -1.0, 1.0)
    pcm *= np.float32(32767.0)
    np.rint(pcm, out=pcm)
    return np.ascontiguousarray(pcm.astype("<i2"))


def wav_from_pcm16(frames: npt.NDArray[np.int16], sample_rate: int) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(int(frames.shape[1]) if frames.ndim == 2 else 1)
        writer.setsampwidth(2)
        writer.setframerate(sample_rate)
        writer.writeframes(frames.data.cast("B") if frames.size else b"")
    return out.getvalue()


def encode_wav(buffer: AudioBuffer) -> bytes:
    return wav_from_pcm16(pcm16(buffer), buffer.sample_rate)


def decode_wav(data: bytes) -> AudioBuffer:
    """A PCM WAV (8, 16, 24 or 32-bit integer samples) the standard library reads; raises
    ``wave.Error`` (or EOFError) for anything else."""
    with wave.open(io.BytesIO(data), "rb") as reader:
        channels = reader.getnchannels()
        width = reader.getsampwidth()
        rate = reader.getframerate()
        raw = reader.readframes(reader.getnframes())
    raw = raw[: len(raw) - len(raw) % (width * channels)]  # a truncated file's partial frame
    if width == 2:
        samples = np.frombuffer(raw, "<i2").astype(np.float32) / 32768.0
    elif width == 3:
        triples = np.frombuffer(raw, np.uint8).reshape(-1, 3).astype(np.int32)
        words = triples[:, 0] << 8 | triples[:, 1] << 16 | triples[:, 2] << 24
        samples = words.astype(np.float32) / 2147483648.0
    elif width == 4:
        samples = np.frombuffer(raw, "<i4").astype(np.float32) / 2147483648.0
    elif width == 1:
        samples = (np.frombuffer(raw, np.uint8).astype(np.float32) - 128.0) / 128.0
    else:
        raise wave.Error(f"unsupported WAV sample width {width}")
    return AudioBuffer(np.ascontiguousarray(samples.reshape(-1, channels).T), rate)
