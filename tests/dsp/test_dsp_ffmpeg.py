"""Cross-checks against an independent meter: ffmpeg's ebur128 filter."""

from __future__ import annotations

import re
import shutil
import subprocess

import numpy as np
import pytest
from dsp_signals import RATE, music_like, sine, speech_like

from castwright.audio import AudioBuffer
from castwright.dsp import (
    compress,
    duck,
    fade_edges,
    high_pass,
    integrated_loudness,
    loudness_range,
    mix,
    normalise_loudness,
    true_peak,
)

pytestmark = pytest.mark.skipif(
    shutil.which("ffmpeg") is None, reason="ffmpeg is not installed: no independent meter"
)


def _ebur128(buffer: AudioBuffer) -> dict[str, float]:
    """Integrated loudness, LRA and true peak as ffmpeg measures them (raw float32 on stdin)."""
    raw = np.ascontiguousarray(buffer.samples.T).astype("<f4").tobytes()
    command = [
        "ffmpeg", "-nostats", "-hide_banner", "-f", "f32le", "-ar", str(buffer.sample_rate),
        "-ac", str(buffer.channels), "-i", "pipe:0",
        "-filter_complex", "ebur128=peak=true", "-f", "null", "-",
    ]  # fmt: skip
    done = subprocess.run(command, input=raw, capture_output=True, check=True, timeout=120)
    summary = done.stderr.decode().rsplit("Summary:", 1)[1]

    def value(label: str) -> float:
        found = re.search(rf"{label}:\s+(-?[\d.]+|-inf)", summary)
        assert found, summary
        return float(found.group(1))

    return {"I": value("I"), "LRA": value("LRA"), "Peak": value("Peak")}


SIGNALS = {
    "sine": lambda: sine(1000, 10, -20.0, 2),
    "music": lambda: music_like(20),
    "speech": lambda: AudioBuffer(np.tile(speech_like(20).samples, (2, 1)), RATE),
    "inter-sample": lambda: fade_edges(sine(RATE / 4, 10, -3.0, 2, phase=np.pi / 4), 0.2),
}


@pytest.mark.parametrize("name", sorted(SIGNALS))
def test_meter_agrees_with_ffmpeg(name: str) -> None:
    buffer = SIGNALS[name]()
    theirs = _ebur128(buffer)
    # ffmpeg prints one decimal. Its true peak runs its own interpolator: on energy near
    # Nyquist meters differ by tenths of a dB, and ours is built never to read lower (a limiter
    # trusting a lower reading would let overs through on ffmpeg's meter).
    assert integrated_loudness(buffer) == pytest.approx(theirs["I"], abs=0.1)
    assert theirs["Peak"] - 0.1 <= true_peak(buffer) <= theirs["Peak"] + 0.2
    assert loudness_range(buffer) == pytest.approx(theirs["LRA"], abs=1.0)


@pytest.mark.parametrize(("target", "ceiling"), [(-16.0, -1.0), (-14.0, -1.0), (-23.0, -2.0)])
def test_mastered_programme_meets_its_target_on_ffmpegs_meter(
    target: float, ceiling: float
) -> None:
    music, speech = music_like(30), speech_like(30)
    voice = compress(high_pass(speech, 80.0), threshold_db=-24.0, ratio=3.0, makeup_db=3.0)
    bed = duck(music, speech, depth_db=12.0)
    programme = mix([(voice, 0.0, 0.0), (bed, 0.0, -6.0)], 30.0, RATE, 2)
    mastered = normalise_loudness(programme, target, ceiling)
    theirs = _ebur128(mastered)
    assert theirs["I"] == pytest.approx(target, abs=0.5)
    assert theirs["Peak"] <= ceiling + 0.1
