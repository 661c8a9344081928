"""Decoding users' files: any FFmpeg input to a float32 planar AudioBuffer."""

from __future__ import annotations

import io
import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from castwright.audio.buffer import AudioBuffer
from castwright.audio.decode import UndecodableAudio, decode
from castwright.audio.encode import encode
from castwright.audio.presets import custom_encoder
from castwright.audio.wav import encode_wav

RATE = 44_100


def ramp(channels: int, frames: int = RATE) -> AudioBuffer:
    """Distinct, exactly representable 16-bit values per channel."""
    base = (np.arange(frames) % 2000 - 1000) / 32768
    return AudioBuffer(np.stack([base * (c + 1) for c in range(channels)]).astype(np.float32), RATE)


def test_decodes_bytes_paths_and_files(tmp_path: Path) -> None:
    source = ramp(2)
    data = encode_wav(source)
    path = tmp_path / "in.wav"
    path.write_bytes(data)
    with path.open("rb") as file:
        from_file = decode(file)
    for decoded in (decode(data), decode(path), decode(str(path)), from_file):
        assert decoded.sample_rate == RATE
        assert decoded.samples.dtype == np.float32
        assert decoded.samples.shape == (2, RATE)
        np.testing.assert_allclose(decoded.samples, np.round(source.samples * 32767) / 32768)


def test_integer_and_packed_inputs_come_back_planar_float() -> None:
    source = ramp(2)
    for depth in (16, 24, 32):
        settings = custom_encoder(None, format="flac" if depth < 32 else "wav", bit_depth=depth)
        settings = custom_encoder(settings, sample_rate=RATE)
        decoded = decode(encode(source, settings))
        assert decoded.samples.dtype == np.float32 and decoded.channels == 2
        assert np.max(np.abs(decoded.samples - source.samples)) < 2 / 32768


def test_channels_mixes_down_and_up() -> None:
    stereo = encode_wav(ramp(2))
    mono = decode(stereo, channels=1)
    assert mono.channels == 1 and mono.frames == RATE
    up = decode(encode_wav(ramp(1)), channels=2)
    assert up.channels == 2
    np.testing.assert_array_equal(up.samples[0], up.samples[1])


def test_surround_folds_down_to_stereo(tmp_path: Path) -> None:
    path = tmp_path / "six.wav"
    with wave.open(str(path), "wb") as writer:  # 6 channels: FFmpeg reads the 5.1 layout
        writer.setnchannels(6)
        writer.setsampwidth(2)
        writer.setframerate(RATE)
        frames = np.zeros((RATE, 6), np.int16)
        frames[:, 2] = 8000  # centre only
        writer.writeframes(frames.tobytes())
    assert decode(path).channels == 6
    folded = decode(path, channels=2)
    assert folded.channels == 2
    # The centre goes to both sides equally, at the standard -3 dB.
    assert folded.samples[0, 100] == pytest.approx(folded.samples[1, 100])
    assert folded.samples[0, 100] == pytest.approx(8000 / 32768 * 2**-0.5, rel=0.02)


def test_garbage_is_undecodable_and_names_the_file() -> None:
    with pytest.raises(UndecodableAudio) as caught:
        decode(b"this is not audio at all" * 100)
    assert caught.value.field == "file"
    assert caught.value.status == 422


def test_a_file_without_audio_is_undecodable(tmp_path: Path) -> None:
    if not shutil.which("ffmpeg"):
        pytest.skip("needs ffmpeg")
    video = tmp_path / "silent-film.mp4"
    black = ["-f", "lavfi", "-i", "color=c=black:s=32x32:d=0.2"]
    subprocess.run(["ffmpeg", "-v", "error", *black, "-c:v", "mpeg4", str(video)], check=True)
    with pytest.raises(UndecodableAudio, match="no audio stream"):
        decode(video)


@pytest.mark.parametrize("fmt", ["flac", "mp3", "ogg", "wav"])
def test_a_truncated_file_decodes_up_to_the_damage(fmt: str) -> None:
    settings = custom_encoder(None, format=fmt, sample_rate=RATE)
    data = encode(ramp(2), settings)
    decoded = decode(io.BytesIO(data[: len(data) // 2]))
    assert 0.3 * RATE < decoded.frames < 0.6 * RATE


def test_rejects_channel_counts_it_cannot_lay_out() -> None:
    with pytest.raises(ValueError, match="1 or 2"):
        decode(encode_wav(ramp(2)), channels=6)
