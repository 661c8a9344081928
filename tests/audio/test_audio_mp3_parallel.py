"""MP3 encoded in pieces on several threads and spliced: one valid, gapless stream, with a
correct Info tag, that decodes as well as one long encode does, splices included."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from castwright.audio import encode as encode_module
from castwright.audio.buffer import AudioBuffer
from castwright.audio.decode import decode
from castwright.audio.encode import encode
from castwright.audio.lame import LameEncoder, system_lame
from castwright.audio.mp3_parallel import (
    crc16,
    encode_mp3_parallel,
    frames_of,
    samples_per_frame,
)
from castwright.audio.presets import EncoderSettings, encoder_preset
from castwright.dsp import integrated_loudness

pytestmark = pytest.mark.skipif(system_lame() is None, reason="needs the system's libmp3lame")

Samples = npt.NDArray[np.float32]


def _programme(seconds: float, rate: int, channels: int, seed: int = 5) -> Samples:
    """Chords that change, a noise bed and drum-like bursts: tonal and transient material, so
    the encoder switches between long and short blocks."""
    rng = np.random.default_rng(seed)
    t = np.arange(round(seconds * rate)) / rate
    out = np.zeros((channels, t.size))
    for index, root in enumerate((220.0, 261.6, 196.0, 174.6)):
        span = (t % 8.0 >= 2.0 * index) & (t % 8.0 < 2.0 * index + 2.0)
        for ratio in (1.0, 1.25, 1.5, 2.0):
            for channel in range(channels):
                out[channel] += 0.06 * span * np.sin(2 * np.pi * root * ratio * t + channel)
    out += 0.01 * rng.standard_normal(out.shape)
    hits = (t % 0.5) < 0.03
    out += 0.3 * hits * rng.standard_normal(out.shape) * np.exp(-((t % 0.5) * 120))
    return np.asarray(out, dtype=np.float32)


def _lame(settings: EncoderSettings, reservoir: bool) -> LameEncoder:
    lame = system_lame()
    assert lame is not None and settings.bit_rate is not None
    variable = settings.bit_rate_type == "variable"
    return LameEncoder(
        lame,
        settings.sample_rate,
        settings.channels,
        settings.bit_rate,
        variable=variable,
        reservoir=reservoir,
    )


def _one_encode(samples: Samples, settings: EncoderSettings) -> bytes:
    with _lame(settings, reservoir=False) as encoder:
        body = encoder.encode(samples) + encoder.flush()
        tag = encoder.info_tag()
    return tag + body[len(tag) :]


def _decoded(stream: bytes, folder: Path, name: str) -> Samples:
    path = folder / f"{name}.mp3"
    path.write_bytes(stream)
    return decode(path).samples


def _main_data_begins(stream: bytes) -> list[int]:
    """Each audio frame's main_data_begin: how far back into earlier frames its data starts."""
    frames = frames_of(stream)[1:]
    begins = []
    for frame in frames:
        word = int.from_bytes(stream[frame.offset + 4 : frame.offset + 6], "big")
        begins.append(word >> 7 if frame.samples == 1152 else word >> 8)
    return begins


def _snr_db(reference: Samples, decoded: Samples, span: slice) -> float:
    error = decoded[:, span] - reference[:, span]
    return float(10 * np.log10(np.sum(reference[:, span] ** 2) / np.sum(error**2)))


def _crc16_bytewise(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


@pytest.mark.parametrize("length", [0, 1, 2, 1023, 1024, 1025, 5000])
def test_crc16_is_crc16_arc(length: int) -> None:
    data = np.random.default_rng(length).integers(0, 256, length, dtype=np.uint8).tobytes()
    assert crc16(data) == _crc16_bytewise(data)
    assert crc16(b"123456789") == 0xBB3D  # the catalogued check value of CRC-16/ARC


SETTINGS = {
    "cbr-320": encoder_preset("mp3"),
    "vbr-v2": encoder_preset("mp3_high"),
    "mpeg2-mono-64": EncoderSettings("mp3", "constant", 64, 22050, None, 1),
}


@pytest.mark.parametrize("pieces", [2, 3])
@pytest.mark.parametrize("name", list(SETTINGS))
def test_spliced_stream_is_one_gapless_stream(name: str, pieces: int, tmp_path: Path) -> None:
    settings = SETTINGS[name]
    samples = _programme(24.0, settings.sample_rate, settings.channels)
    stream = encode_mp3_parallel(
        samples, settings.sample_rate, lambda: _lame(settings, reservoir=False), pieces
    )
    single = _one_encode(samples, settings)
    frames = frames_of(stream)
    assert len(frames) == len(frames_of(single))
    assert set(_main_data_begins(stream)) == {0}  # every frame carries its own bits

    # The Info tag describes the whole stream, and both its CRCs hold.
    tag = stream[: frames[0].length]
    xing = 4 + frames[0].side_info
    assert tag[xing : xing + 4] in (b"Xing", b"Info")
    count, size = struct.unpack_from(">II", tag, xing + 8)
    assert (count, size) == (len(frames) - 1, len(stream))
    lame = xing + 120
    assert tag[lame : lame + 4] == b"LAME"
    delay_padding = int.from_bytes(tag[lame + 21 : lame + 24], "big")
    delay, padding = delay_padding >> 12, delay_padding & 0xFFF
    assert count * samples_per_frame(settings.sample_rate) == samples.shape[1] + delay + padding
    music_length, music_crc, tag_crc = struct.unpack_from(">IHH", tag, lame + 28)
    assert music_length == len(stream)
    assert music_crc == _crc16_bytewise(stream[frames[0].length :])
    assert tag_crc == _crc16_bytewise(tag[: lame + 34])
    toc = list(tag[xing + 16 : xing + 116])
    assert toc[0] == 0 and toc == sorted(toc) and toc[-1] < 256

    # Gapless: FFmpeg trims the delay and padding the tag names, to the sample.
    spliced = _decoded(stream, tmp_path, "spliced")
    reference = _decoded(single, tmp_path, "single")
    assert spliced.shape == reference.shape == samples.shape
    # As good as one long encode, overall and around every splice.
    assert _snr_db(samples, spliced, slice(None)) >= _snr_db(samples, reference, slice(None)) - 0.1
    per_frame = samples_per_frame(settings.sample_rate)
    blocks = -(-samples.shape[1] // per_frame)
    for k in range(1, pieces):
        at = round(k * blocks / pieces) * per_frame
        span = slice(at - per_frame * 4, at + per_frame * 4)
        assert _snr_db(samples, spliced, span) >= _snr_db(samples, reference, span) - 1.0


def test_too_short_to_split_is_refused() -> None:
    settings = SETTINGS["cbr-320"]
    samples = _programme(0.5, settings.sample_rate, settings.channels)
    with pytest.raises(ValueError, match="too short"):
        encode_mp3_parallel(samples, settings.sample_rate, lambda: _lame(settings, False), 2)


def test_a_long_programme_is_encoded_in_pieces(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings = encoder_preset("mp3")
    audio = AudioBuffer(_programme(45.0, settings.sample_rate, 2), settings.sample_rate)
    monkeypatch.setattr(encode_module, "_cores", lambda: 1)
    serial = encode(audio, settings)
    monkeypatch.setattr(encode_module, "_cores", lambda: 2)
    parallel = encode(audio, settings)
    assert max(_main_data_begins(serial)) > 0  # one encoder: the bit reservoir is used
    assert set(_main_data_begins(parallel)) == {0}  # spliced pieces: it is off
    decoded = [decode(io.BytesIO(data)) for data in (serial, parallel)]
    assert decoded[0].frames == decoded[1].frames == audio.frames
    assert integrated_loudness(decoded[1]) == pytest.approx(
        integrated_loudness(decoded[0]), abs=0.05
    )
    short = AudioBuffer(audio.samples[:, : 10 * settings.sample_rate], settings.sample_rate)
    assert max(_main_data_begins(encode(short, settings))) > 0  # short: one encoder
