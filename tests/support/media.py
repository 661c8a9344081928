"""Independent measurements of delivered audio: ffprobe for the container, ffmpeg for the rest.

Nothing here uses Castwright's own decoders or meters: a file is judged as a player and a
loudness meter would judge it. Loudness and true peak come from FFmpeg's ``ebur128`` filter
(ITU-R BS.1770 / EBU R128, true peak by 4x oversampling); its summary gives one decimal.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

__all__ = [
    "Loudness",
    "Probe",
    "band_level",
    "decode",
    "level",
    "loudness",
    "onset",
    "probe",
]

Samples = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Probe:
    container: str  # ffprobe's format_name: "wav", "mp3", "ogg", "flac"
    codec: str  # codec_name: "pcm_s16le", "mp3", "vorbis", "flac"
    sample_rate: int
    channels: int
    sample_format: str  # "s16", "fltp", ...
    bit_rate: int | None  # the whole file's, bits per second
    bit_depth: int | None  # PCM and FLAC: bits per sample as stored


@dataclass(frozen=True)
class Loudness:
    integrated: float  # LUFS
    true_peak: float  # dBTP


def probe(path: Path) -> Probe:
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    found = json.loads(result.stdout)
    audio = [s for s in found["streams"] if s["codec_type"] == "audio"]
    assert len(audio) == 1, f"{path.name}: expected one audio stream, got {found['streams']}"
    stream, container = audio[0], found["format"]
    bit_rate = container.get("bit_rate")
    depth = int(stream.get("bits_per_raw_sample") or stream.get("bits_per_sample") or 0)
    return Probe(
        container=container["format_name"],
        codec=stream["codec_name"],
        sample_rate=int(stream["sample_rate"]),
        channels=int(stream["channels"]),
        sample_format=stream["sample_fmt"],
        bit_rate=int(bit_rate) if bit_rate else None,
        bit_depth=depth or None,
    )


def decode(path: Path) -> tuple[Samples, int]:
    """[channels, frames] float samples at the file's own rate, as FFmpeg decodes them
    (encoder delay and padding removed where the file records them)."""
    info = probe(path)
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:a:0", "-f", "f32le", "-"],
        check=True,
        capture_output=True,
    ).stdout
    samples = np.frombuffer(raw, "<f4").astype(np.float64)
    return samples.reshape(-1, info.channels).T, info.sample_rate


_INTEGRATED = re.compile(r"I:\s+(-?[\d.]+|-inf) LUFS")
_PEAK = re.compile(r"Peak:\s+(-?[\d.]+|-inf) dBFS")


def loudness(*paths: Path) -> Loudness:
    """Integrated loudness and true peak of the files played one after another."""
    inputs = [arg for path in paths for arg in ("-i", str(path))]
    chain = "ebur128=peak=true"
    if len(paths) > 1:
        joined = "".join(f"[{index}:a]" for index in range(len(paths)))
        chain = f"{joined}concat=n={len(paths)}:v=0:a=1,{chain}"
    result = subprocess.run(
        ["ffmpeg", "-nostats", *inputs, "-filter_complex", chain, "-f", "null", "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    summary = result.stderr[result.stderr.rindex("Summary:") :]
    integrated, peak = _INTEGRATED.search(summary), _PEAK.search(summary)
    assert integrated and peak, summary
    return Loudness(float(integrated.group(1)), float(peak.group(1)))


def _mono(samples: Samples) -> Samples:
    return samples.mean(axis=0) if samples.ndim == 2 else samples


def level(samples: Samples, rate: int, start: float, end: float) -> float:
    """RMS level in dBFS of [start, end) seconds (channels averaged first)."""
    part = _mono(samples)[round(start * rate) : round(end * rate)]
    assert part.size, f"empty stretch {start:.3f}..{end:.3f} s"
    power = float(np.mean(part**2))
    return 10 * math.log10(power) if power > 0 else -math.inf


def band_level(samples: Samples, rate: int, start: float, end: float, frequency: float) -> float:
    """Spectral peak in dB within 15 Hz of ``frequency`` over [start, end) (Hann window):
    how strongly a tone of that frequency sounds there."""
    part = _mono(samples)[round(start * rate) : round(end * rate)]
    spectrum = np.abs(np.fft.rfft(part * np.hanning(part.size)))
    frequencies = np.fft.rfftfreq(part.size, 1 / rate)
    near = spectrum[np.abs(frequencies - frequency) < 15]
    return 20 * math.log10(max(float(near.max()), 1e-12))


def onset(samples: Samples, rate: int, after: float = 0.0, threshold: float = 1e-3) -> float:
    """The first time at or after ``after`` seconds where the signal exceeds ``threshold``."""
    mono = _mono(samples)
    first = round(after * rate)
    loud = np.flatnonzero(np.abs(mono[first:]) > threshold)
    assert loud.size, f"no sound after {after:.3f} s"
    return (first + int(loud[0])) / rate
