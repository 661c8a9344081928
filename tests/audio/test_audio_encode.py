"""Encoding: every preset and format, checked by FFmpeg's command-line tools (an independent
decoder) and by our own decode: container, codec, rate, channels, length, bit rate, bit depth,
and that the signal survives."""

from __future__ import annotations

import ctypes
import functools
import io
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from castwright.audio import encode as encode_module
from castwright.audio.buffer import AudioBuffer
from castwright.audio.decode import decode
from castwright.audio.encode import EncoderUnavailable, conform, encode, encode_to
from castwright.audio.presets import (
    ENCODER_PRESETS,
    EncoderSettings,
    custom_encoder,
    encoder_preset,
)

pytestmark = pytest.mark.skipif(
    not (shutil.which("ffprobe") and shutil.which("ffmpeg")), reason="needs ffmpeg and ffprobe"
)

RATE = 48_000
SECONDS = 10.0

# Beyond the presets: the other bit depths, Vorbis VBR and mono, and the extension formats.
EXTRA_SETTINGS = {
    "wav_24": custom_encoder(None, format="wav", bit_depth=24),
    "wav_32": custom_encoder(None, format="wav", bit_depth=32),
    "flac_24": custom_encoder(None, format="flac", bit_depth=24),
    "ogg_vbr": custom_encoder(None, format="ogg", bit_rate_type="variable", bit_rate=2),
    "ogg_mono": custom_encoder(None, format="ogg", channels=1, bit_rate=160),
    "opus": custom_encoder(None, format="opus"),
    "opus_cbr": custom_encoder(None, format="opus", bit_rate_type="constant", bit_rate=128),
    "m4a": custom_encoder(None, format="m4a"),
    "aac": custom_encoder(None, format="aac"),
}
ALL_SETTINGS = {name: p.settings for name, p in ENCODER_PRESETS.items()} | EXTRA_SETTINGS

CONTAINERS = {
    "mp3": "mp3",
    "wav": "wav",
    "ogg": "ogg",
    "flac": "flac",
    "opus": "ogg",
    "aac": "aac",
    "m4a": "mov,mp4,m4a,3gp,3g2,mj2",
}
CODECS = {"mp3": "mp3", "ogg": "vorbis", "flac": "flac", "opus": "opus", "aac": "aac"}
CODECS["m4a"] = "aac"
# Lossy settings at high bit rates must keep the waveform (SNR); the rest must resemble it.
HIGH_RATE = {"mp3", "ogg", "mp3_very_high", "mp3_high", "ogg_vbr", "opus", "opus_cbr", "m4a"}


def programme(seconds: float = SECONDS, rate: int = RATE) -> AudioBuffer:
    """Stereo chords with harmonics under a slow swell: tonal, so a perceptual codec has to
    keep the waveform (broadband noise it may legitimately replace with other noise)."""
    t = np.arange(round(seconds * rate)) / rate
    swell = 0.6 + 0.4 * np.sin(2 * np.pi * 0.5 * t)

    def chord(*roots: float) -> npt.NDArray[np.float64]:
        total = np.zeros_like(t)
        for root in roots:
            for k in range(1, 6):  # five harmonics, falling off as 1/k
                total += np.sin(2 * np.pi * root * k * t + k) / k
        return total

    left = 0.1 * swell * chord(220.0, 277.18, 329.63)
    right = 0.1 * swell[::-1] * chord(164.81, 246.94, 440.0)
    return AudioBuffer(np.stack([left, right]).astype(np.float32), rate)


@dataclass(frozen=True)
class Probe:
    container: str
    codec: str
    sample_rate: int
    channels: int
    bits_per_sample: int
    bits_per_raw_sample: int
    bit_rate: int
    decoded_frames: int  # counted by decoding with the ffmpeg CLI


@functools.cache
def ffprobe(path: Path) -> Probe:
    shown = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    info = json.loads(shown.stdout)
    stream = info["streams"][0]
    pcm = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-f", "f32le", "-c:a", "pcm_f32le", "-"],
        capture_output=True,
        check=True,
    )
    return Probe(
        container=info["format"]["format_name"],
        codec=stream["codec_name"],
        sample_rate=int(stream["sample_rate"]),
        channels=int(stream["channels"]),
        bits_per_sample=int(stream.get("bits_per_sample", 0)),
        bits_per_raw_sample=int(stream.get("bits_per_raw_sample", 0)),
        bit_rate=int(stream.get("bit_rate") or info["format"].get("bit_rate") or 0),
        decoded_frames=len(pcm.stdout) // 4 // int(stream["channels"]),
    )


def snr_db(reference: npt.NDArray[np.float32], decoded: npt.NDArray[np.float32]) -> float:
    frames = min(reference.shape[1], decoded.shape[1])
    error = decoded[:, :frames] - reference[:, :frames]
    return float(10 * np.log10(np.sum(reference**2) / np.sum(error**2)))


@pytest.fixture(scope="module")
def source() -> AudioBuffer:
    return programme()


@pytest.fixture(scope="module")
def encoded(source: AudioBuffer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("encoded")
    paths = {}
    for name, settings in ALL_SETTINGS.items():
        path = folder / f"{name}.{settings.format}"
        path.write_bytes(encode(source, settings))
        paths[name] = path
    return paths


@pytest.mark.parametrize("name", ALL_SETTINGS)
def test_ffprobe_sees_the_promised_file(name: str, encoded: dict[str, Path]) -> None:
    settings = ALL_SETTINGS[name]
    probe = ffprobe(encoded[name])
    assert probe.container == CONTAINERS[settings.format]
    if settings.format == "wav":
        assert probe.codec == f"pcm_s{settings.bit_depth}le"
        assert probe.bits_per_sample == settings.bit_depth
    else:
        assert probe.codec == CODECS[settings.format]
    if settings.format == "flac":
        assert probe.bits_per_raw_sample == settings.bit_depth
    assert probe.sample_rate == settings.sample_rate
    assert probe.channels == settings.channels


@pytest.mark.parametrize("name", ALL_SETTINGS)
def test_decoded_length_is_the_programmes(name: str, encoded: dict[str, Path]) -> None:
    """Gapless: the encoder's delay and padding are signalled, so FFmpeg trims them. ADTS
    cannot signal them (its 1024-sample priming stays) and FFmpeg leaves the MP4 edit list's
    end padding in: both stay within the 50 ms tolerance at 44.1 kHz."""
    settings = ALL_SETTINGS[name]
    probe = ffprobe(encoded[name])
    ours = decode(encoded[name])
    assert abs(probe.decoded_frames / probe.sample_rate - SECONDS) < 0.050
    assert abs(ours.duration - SECONDS) < 0.050
    assert ours.frames == probe.decoded_frames
    if settings.format not in ("aac", "m4a"):
        assert ours.frames == round(SECONDS * settings.sample_rate)  # sample-exact


@pytest.mark.parametrize(
    "name",
    [n for n, s in ALL_SETTINGS.items() if s.format == "mp3" and s.bit_rate_type == "constant"],
)
def test_constant_mp3_bit_rate_is_exact(name: str, encoded: dict[str, Path]) -> None:
    settings = ALL_SETTINGS[name]
    assert settings.bit_rate is not None
    probe = ffprobe(encoded[name])
    assert probe.bit_rate == settings.bit_rate * 1000
    # What the file really spends, tags included (an ID3 header and LAME's Info frame).
    spent = encoded[name].stat().st_size * 8 / SECONDS / 1000
    assert abs(spent - settings.bit_rate) / settings.bit_rate < 0.02


@pytest.mark.parametrize("sample_rate", [24_000, 32_000, 44_100, 48_000])
@pytest.mark.parametrize("channels", [1, 2])
@pytest.mark.parametrize("kbps", [32, 48, 56, 64])
def test_low_constant_mp3_rates_stay_gapless(sample_rate: int, channels: int, kbps: int) -> None:
    """Below about 64 kbps LAME's own Info tag does not fit in a frame; those encodes must
    still decode to the exact length (FFmpeg's muxer writes the tag instead)."""
    settings = custom_encoder(
        None, format="mp3", sample_rate=sample_rate, channels=channels, bit_rate=kbps
    )
    decoded = decode(encode(programme(seconds=1.0), settings))
    assert (decoded.frames, decoded.channels) == (sample_rate, channels)


@pytest.mark.parametrize("name", ["mp3", "mp3_high", "mp3_very_low", "mp3_alexa"])
def test_mp3_through_pyav_when_the_system_has_no_lame(
    name: str, source: AudioBuffer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(encode_module, "system_lame", lambda: None)
    settings = encoder_preset(name)
    path = tmp_path / f"{name}.mp3"
    path.write_bytes(encode(source, settings))
    probe = ffprobe(path)
    assert (probe.codec, probe.sample_rate, probe.channels) == (
        "mp3",
        settings.sample_rate,
        settings.channels,
    )
    assert probe.decoded_frames == round(SECONDS * settings.sample_rate)
    if settings.bit_rate_type == "constant":
        assert probe.bit_rate == (settings.bit_rate or 0) * 1000
    decoded = decode(path).samples
    assert snr_db(conform(source, settings).samples, decoded) > (20 if name == "mp3" else 12)


def test_variable_mp3_presets_land_near_their_documented_bit_rates(tmp_path: Path) -> None:
    # VBR spends what the material needs: dense material (chords over noise) shows the scale.
    rng = np.random.default_rng(7)
    dense = programme().samples + 0.03 * rng.standard_normal((2, int(RATE * SECONDS)))
    source = AudioBuffer(dense.astype(np.float32), RATE)
    spent = {}
    for name, documented in (
        ("mp3_very_low", 64),
        ("mp3_low", 115),
        ("mp3_medium", 165),
        ("mp3_high", 190),
        ("mp3_very_high", 245),
    ):
        spent[name] = len(encode(source, encoder_preset(name))) * 8 / SECONDS / 1000
        assert 0.6 * documented < spent[name] < 1.4 * documented, spent
    assert list(spent.values()) == sorted(spent.values())


@pytest.mark.parametrize("name", ALL_SETTINGS)
def test_round_trip_keeps_the_signal(
    name: str, source: AudioBuffer, encoded: dict[str, Path]
) -> None:
    settings = ALL_SETTINGS[name]
    reference = conform(source, settings).samples
    decoded = decode(encoded[name]).samples
    if settings.format == "aac":
        decoded = decoded[:, 1024:]  # ADTS keeps the encoder's priming (see above)
    correlation = np.corrcoef(reference.ravel(), decoded[:, : reference.shape[1]].ravel())[0, 1]
    if settings.lossless:
        assert correlation > 0.99
        lsb = 2.0 ** (1 - (settings.bit_depth or 16))
        # 16-bit: rounding plus TPDF dither moves a sample by at most 1.5 LSB.
        assert np.max(np.abs(decoded - reference)) <= 1.5 * lsb + 1e-9
    elif name in HIGH_RATE:
        assert snr_db(reference, decoded) > 20
    else:
        assert correlation > 0.98
        assert snr_db(reference, decoded) > 12


def test_mono_output_is_the_mid_of_a_stereo_programme(source: AudioBuffer) -> None:
    settings = custom_encoder(None, format="wav", channels=1, bit_depth=24)
    decoded = decode(encode(source, settings))
    assert decoded.channels == 1
    mid = source.samples.mean(axis=0)
    assert np.max(np.abs(decoded.samples[0] - mid)) < 2**-22


def test_a_mono_programme_becomes_dual_mono_stereo() -> None:
    mono = AudioBuffer(programme().samples[:1], RATE)
    decoded = decode(encode(mono, custom_encoder(None, format="flac", bit_depth=24)))
    assert decoded.channels == 2
    np.testing.assert_array_equal(decoded.samples[0], decoded.samples[1])


def test_resampling_keeps_pitch_and_length() -> None:
    rate = 22_050
    t = np.arange(rate * 2) / rate
    tone = AudioBuffer(np.stack([0.5 * np.sin(2 * np.pi * 1000 * t)] * 2).astype(np.float32), rate)
    decoded = decode(encode(tone, encoder_preset("wav")))  # 48 kHz
    assert decoded.sample_rate == 48_000 and decoded.frames == 96_000
    spectrum = np.abs(np.fft.rfft(decoded.samples[0]))
    assert np.argmax(spectrum) * 48_000 / decoded.frames == pytest.approx(1000, abs=1)


def test_16_bit_output_is_tpdf_dithered() -> None:
    """A tone a quarter of an LSB high vanishes under plain rounding; TPDF dither keeps it
    (on average) and makes the error noise of exactly 1/12 + 1/6 LSB² variance."""
    lsb = 1 / 32768
    t = np.arange(RATE * 10) / RATE
    tone = 0.25 * lsb * np.sin(2 * np.pi * 997 * t)
    quiet = AudioBuffer(np.stack([tone, tone]).astype(np.float32), RATE)
    decoded = decode(encode(quiet, encoder_preset("wav"))).samples[0].astype(np.float64)
    amplitude = 2 * np.mean(decoded * np.sin(2 * np.pi * 997 * t))
    assert amplitude == pytest.approx(0.25 * lsb, rel=0.1)
    error_std = np.std(decoded - tone) / lsb
    assert error_std == pytest.approx(0.5, abs=0.03)  # RPDF would be 0.41, no dither 0.29


def test_pcm_clips_instead_of_wrapping() -> None:
    hot = AudioBuffer(np.array([[1.5, -1.5, 0.999, -1.0]] * 2, dtype=np.float32), RATE)
    for depth in (16, 24, 32):
        decoded = decode(encode(hot, custom_encoder(None, format="wav", bit_depth=depth)))
        assert decoded.samples[0, 0] > 0.99 and decoded.samples[0, 1] <= -0.99


@pytest.mark.parametrize("name", ["wav", "flac", "mp3", "mp3_high", "ogg"])
def test_encoding_is_deterministic(name: str) -> None:
    short = programme(seconds=1.0)
    settings = encoder_preset(name)
    assert encode(short, settings) == encode(short, settings)


@pytest.mark.parametrize("name", ["mp3", "ogg", "wav"])
def test_encode_to_a_path_and_a_file_writes_the_same_bytes(name: str, tmp_path: Path) -> None:
    short = programme(seconds=1.0)
    settings = encoder_preset(name)
    path = tmp_path / f"out.{settings.format}"
    encode_to(path, short, settings)
    encode_to(str(tmp_path / "by-name"), short, settings)
    with (tmp_path / "by-file").open("wb") as file:
        encode_to(file, short, settings)
    expected = encode(short, settings)
    assert path.read_bytes() == expected
    assert (tmp_path / "by-name").read_bytes() == expected
    assert (tmp_path / "by-file").read_bytes() == expected


def test_m4a_puts_its_index_first_for_progressive_playback() -> None:
    data = encode(programme(seconds=1.0), custom_encoder(None, format="m4a"))
    assert data.index(b"moov") < data.index(b"mdat")
    out = io.BytesIO()
    encode_to(out, programme(seconds=1.0), custom_encoder(None, format="m4a"))
    assert decode(out.getvalue()).channels == 2


def test_an_empty_programme_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        encode(AudioBuffer.silence(0.0, RATE, channels=2), encoder_preset("mp3"))


def test_a_programme_shorter_than_one_codec_frame_still_decodes(tmp_path: Path) -> None:
    blip = programme(seconds=0.01)  # 480 frames: less than one MP3, AAC or Opus frame
    for name in ("mp3", "opus", "m4a", "ogg", "flac"):
        settings = ALL_SETTINGS[name]
        path = tmp_path / f"blip.{settings.format}"
        path.write_bytes(encode(blip, settings))
        assert abs(ffprobe(path).decoded_frames / settings.sample_rate - 0.01) < 0.05


def test_more_than_two_channels_must_be_mixed_down_first() -> None:
    surround = AudioBuffer(np.zeros((6, 100), np.float32), RATE)
    with pytest.raises(ValueError, match="mix down"):
        encode(surround, encoder_preset("mp3"))
    assert decode(encode(surround, encoder_preset("mp3_alexa"))).channels == 1


def test_ogg_without_libvorbis_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> ctypes.CDLL:
        raise OSError(f"{name}: cannot open shared object file")

    encode_module._libraries.cache_clear()
    monkeypatch.setattr(ctypes, "CDLL", missing)
    try:
        with pytest.raises(EncoderUnavailable, match="libvorbis"):
            encode(programme(seconds=0.1), encoder_preset("ogg"))
    finally:
        encode_module._libraries.cache_clear()


def test_settings_are_frozen_values() -> None:
    settings = encoder_preset("mp3")
    with pytest.raises(AttributeError):
        settings.bit_rate = 128  # type: ignore[misc]
    assert isinstance(settings, EncoderSettings)
