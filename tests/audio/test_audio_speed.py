"""How fast the in-process MP3 encode is next to the ffmpeg command line, in the same run.

All three use LAME at 320 kbps CBR on the same 60 s stereo 44.1 kHz programme: ``encode``
as it runs (the system's LAME through ctypes), ``encode`` made to use PyAV's bundled LAME
(its fallback), and ``ffmpeg -i in.wav -c:a libmp3lame -b:a 320k out.mp3``. The command
line also pays for a process start and reading the WAV; the in-process encode starts from
the AudioBuffer the mixer hands over. Wall time on a shared machine swings with its load,
so the assertion is on CPU seconds; every figure is printed and recorded.
"""

from __future__ import annotations

import resource
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from castwright.audio import encode as encode_module
from castwright.audio.buffer import AudioBuffer
from castwright.audio.decode import decode
from castwright.audio.encode import encode
from castwright.audio.presets import encoder_preset
from castwright.audio.wav import encode_wav

RATE = 44_100
SECONDS = 60
RUNS = 3


def sixty_second_programme() -> AudioBuffer:
    rng = np.random.default_rng(60)
    t = np.arange(RATE * SECONDS) / RATE
    chord = np.zeros_like(t)
    for root in (220.0, 277.18, 329.63):
        for k in (1, 2, 3):
            chord += 0.08 * np.sin(2 * np.pi * root * k * t) / k
    bed = np.stack([chord, chord[::-1]]) + 0.02 * rng.standard_normal((2, t.size))
    return AudioBuffer(bed.astype(np.float32), RATE)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(action: Callable[[], object], cpu: Callable[[], float]) -> tuple[float, float]:
    """Median wall and CPU seconds of RUNS runs."""
    walls, cpus = [], []
    for _ in range(RUNS):
        wall, used = time.perf_counter(), cpu()
        action()
        walls.append(time.perf_counter() - wall)
        cpus.append(cpu() - used)
    return statistics.median(walls), statistics.median(cpus)


@pytest.mark.skipif(not shutil.which("ffmpeg"), reason="needs the ffmpeg command line")
def test_mp3_320k_encode_speed_against_the_ffmpeg_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, record_property: Callable[[str, object], None]
) -> None:
    programme = sixty_second_programme()
    wav = tmp_path / "in.wav"
    wav.write_bytes(encode_wav(programme))
    settings = encoder_preset("mp3")
    out = tmp_path / "out.mp3"
    command = ["ffmpeg", "-y", "-v", "error", "-i", str(wav), "-c:a", "libmp3lame"]
    command += ["-b:a", "320k", str(out)]
    encode(AudioBuffer.silence(0.1, RATE, 2), settings)  # load the libraries once, untimed
    subprocess.run(command, check=True)

    has_system_lame = encode_module.system_lame() is not None
    ours: list[bytes] = []
    system_lame = measure(lambda: ours.append(encode(programme, settings)), time.process_time)
    cli = measure(lambda: subprocess.run(command, check=True), children_cpu)
    monkeypatch.setattr(encode_module, "system_lame", lambda: None)
    pyav_lame = measure(lambda: ours.append(encode(programme, settings)), time.process_time)

    figures = {
        "encode_wall_s": system_lame[0],
        "encode_cpu_s": system_lame[1],
        "encode_pyav_lame_wall_s": pyav_lame[0],
        "encode_pyav_lame_cpu_s": pyav_lame[1],
        "ffmpeg_cli_wall_s": cli[0],
        "ffmpeg_cli_cpu_s": cli[1],
    }
    figures = {name: round(value, 3) for name, value in figures.items()}
    for name, value in figures.items():
        record_property(name, value)
    print(f"\nmp3 320k, {SECONDS} s stereo {RATE} Hz, median of {RUNS}: {figures}")

    for data in (ours[0], ours[-1], out.read_bytes()):
        assert abs(decode(data).duration - SECONDS) < 0.05
    if has_system_lame:
        assert system_lame[1] < 1.5 * cli[1], figures
