"""One encoder per stream: audio fed in uneven pieces decodes as one continuous signal,
bit-exact for the lossless formats and without gaps or level jumps for the lossy ones."""

from __future__ import annotations

import numpy as np
import pytest

from castwright.audio import AudioBuffer
from castwright.audio.wav import pcm16
from castwright.speech.streaming.encoders import open_encoder
from support.streaming import decode_stream

RATE = 22_050
PIECES = (1000, 7777, 13, 30_000, 5, 20_000)  # sentence-sized and tiny, as a stream delivers


def _tone(rate: int, seconds: float = 3.0) -> AudioBuffer:
    t = np.arange(round(rate * seconds)) / rate
    return AudioBuffer.mono((0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), rate)


def _encode_in_pieces(fmt: str, tone: AudioBuffer) -> tuple[bytes, int]:
    encoder = open_encoder(fmt, tone.sample_rate, 96)
    out, start, writes = bytearray(), 0, 0
    for size in (*PIECES, tone.frames):
        piece = tone.samples[:, start : start + size]
        if piece.shape[1] == 0:
            break
        out += encoder.write(AudioBuffer(piece, tone.sample_rate))
        start += piece.shape[1]
        writes += 1
    return bytes(out + encoder.finish()), writes


@pytest.mark.parametrize("fmt", ["wav", "pcm", "flac"])
def test_lossless_streams_are_bit_exact(fmt: str) -> None:
    tone = _tone(RATE)
    data, writes = _encode_in_pieces(fmt, tone)
    assert writes == len(PIECES) + 1
    samples, rate = decode_stream(data, fmt, pcm_rate=RATE)
    assert rate == RATE
    expected = pcm16(tone).reshape(-1).astype(np.float32) / 32768
    np.testing.assert_array_equal(samples, expected)


@pytest.mark.parametrize(
    ("fmt", "rate"), [("mp3", RATE), ("aac", RATE), ("ogg", RATE), ("opus", 48_000)]
)
def test_lossy_streams_have_no_seams(fmt: str, rate: int) -> None:
    tone = _tone(rate)
    data, _ = _encode_in_pieces(fmt, tone)
    samples, decoded_rate = decode_stream(data, fmt)
    assert decoded_rate == rate
    assert samples.size / rate == pytest.approx(tone.duration, abs=0.12)
    # 10 ms windows over the steady part: a restarted encoder or a dropped block would show
    # as a window far below the tone's level, a click as one far above it.
    window = rate // 100
    body = samples[rate // 5 : rate * 5 // 2]
    levels = np.sqrt((body[: body.size // window * window].reshape(-1, window) ** 2).mean(axis=1))
    target = 0.3 / np.sqrt(2)
    assert 20 * np.log10(levels.min() / target) > -1.5
    assert 20 * np.log10(levels.max() / target) < 1.5


def test_wav_stream_header_says_length_unknown() -> None:
    encoder = open_encoder("wav", 16_000, 0)
    header = encoder.write(AudioBuffer.silence(0.01, 16_000))[:44]
    assert header[:4] == b"RIFF" and header[4:8] == b"\xff\xff\xff\xff"
    assert int.from_bytes(header[24:28], "little") == 16_000
    assert header[36:44] == b"data\xff\xff\xff\xff"
