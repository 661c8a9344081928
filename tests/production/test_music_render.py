"""The built-in music as audio: lengths, levels, seamless loops, endings, tempo and key.

Every segment of every template is rendered once per test session (about ten seconds of CPU
time) and shared by the tests below.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from dataclasses import replace
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from castwright.audio import AudioBuffer
from castwright.audio.wav import decode_wav
from castwright.production.music import BUILTIN_TEMPLATES, render_all, render_template
from castwright.production.music import render as render_module
from castwright.production.music.meter import integrated_loudness
from castwright.production.music.templates import Template, find
from castwright.production.music.theory import Key

SR = 44100
NAMES = [spec.name for spec in BUILTIN_TEMPLATES]
PITCHED = ("chords", "bass", "pedal", "arp", "melody")
Samples = npt.NDArray[np.float32]


@cache
def audio(name: str, segment: str) -> AudioBuffer:
    return render_template(name, segment, SR)  # type: ignore[arg-type]


def digest(buffer: AudioBuffer) -> str:
    return hashlib.sha256(np.ascontiguousarray(buffer.samples).tobytes()).hexdigest()


def loudness(samples: Samples) -> float:
    """An independent meter where one is installed, else the generator's own."""
    try:
        import pyloudnorm
    except ImportError:
        return integrated_loudness(samples, SR)
    return float(pyloudnorm.Meter(SR).integrated_loudness(samples.T.astype(np.float64)))


def dbfs(samples: Samples) -> float:
    peak = float(np.max(np.abs(samples)))
    return 20.0 * np.log10(peak) if peak > 0 else -np.inf


def centroid(samples: npt.NDArray[np.floating]) -> float:
    mono = samples.mean(axis=0).astype(np.float64)
    power = np.abs(np.fft.rfft(mono)) ** 2
    freqs = np.fft.rfftfreq(len(mono), 1.0 / SR)
    return float(np.sum(freqs * power) / np.sum(power))


def detected_tempo(samples: Samples) -> float:
    """Tempo from the autocorrelation of a spectral-flux onset envelope.

    Candidate periods between 50 and 220 BPM are weighted by a broad log-normal preference
    around 110 BPM (as beat trackers do, to pick one of the octave-related peaks); the peak
    is refined by parabolic interpolation.
    """
    hop, size = 256, 2048
    mono = samples.mean(axis=0).astype(np.float64)
    count = 1 + (len(mono) - size) // hop
    frames = mono[np.arange(size)[None, :] + hop * np.arange(count)[:, None]]
    spectrum = np.log1p(100.0 * np.abs(np.fft.rfft(frames * np.hanning(size), axis=1)))
    flux = np.maximum(np.diff(spectrum, axis=0), 0.0).sum(axis=1)
    flux -= flux.mean()
    acf = np.fft.irfft(np.abs(np.fft.rfft(flux, 2 * len(flux))) ** 2)[: len(flux)]
    rate = SR / hop
    lags = np.arange(1, len(acf) - 1)
    bpm = 60.0 * rate / lags
    weight = np.exp(-0.5 * np.log2(bpm / 110.0) ** 2)
    score = np.where((bpm >= 50) & (bpm <= 220), acf[1:-1] * weight, -np.inf)
    k = int(lags[np.argmax(score)])
    a, b, c = acf[k - 1], acf[k], acf[k + 1]
    offset = 0.5 * (a - c) / (a - 2 * b + c) if a - 2 * b + c else 0.0
    return 60.0 * rate / (k + offset)


def chroma_in_key(samples: Samples, key: Key) -> float:
    """The fraction of tonal energy on the key's pitch classes (noise would score ~7/12).

    Spectral peaks (100 Hz-2 kHz) of the average power spectrum of 186 ms frames; frames that
    short do not resolve the comb a steady kick drum makes at multiples of the beat rate.
    """
    size, hop = 8192, 4096
    mono = samples.mean(axis=0).astype(np.float64)
    count = 1 + (len(mono) - size) // hop
    frames = mono[np.arange(size)[None, :] + hop * np.arange(count)[:, None]] * np.hanning(size)
    power = (np.abs(np.fft.rfft(frames, axis=1)) ** 2).mean(axis=0)
    freqs = np.fft.rfftfreq(size, 1.0 / SR)
    band = (freqs > 100) & (freqs < 2000)
    local_max = np.zeros_like(band)
    local_max[1:-1] = (power[1:-1] > power[:-2]) & (power[1:-1] >= power[2:])
    peaks = band & local_max & (power > np.percentile(power[band], 90))
    pitch_class = np.round(12 * np.log2(freqs[peaks] / 440.0) + 69).astype(int) % 12
    in_key = np.isin(pitch_class, key.scale)
    return float(power[peaks][in_key].sum() / power[peaks].sum())


@pytest.mark.parametrize("name", NAMES)
def test_segment_lengths(name: str) -> None:
    spec = find(name).spec
    bars = find(name).arrangement.main_bars
    main = audio(name, "main")
    assert main.frames == round(bars * 4 * 60.0 / spec.tempo_bpm * SR)
    assert 15.0 <= main.duration <= 40.0
    assert 4.0 <= audio(name, "intro").duration <= 8.0
    assert 4.0 <= audio(name, "outro").duration <= 8.0
    for segment in ("intro", "main", "outro"):
        buffer = audio(name, segment)
        assert buffer.sample_rate == SR and buffer.channels == 2
        assert buffer.samples.dtype == np.float32


@pytest.mark.parametrize("name", NAMES)
def test_levels(name: str) -> None:
    for segment in ("intro", "main", "outro"):
        samples = audio(name, segment).samples
        assert np.all(np.isfinite(samples))
        assert dbfs(samples) < -1.0, f"{segment} peaks at {dbfs(samples):.2f} dBFS"
    main = loudness(audio(name, "main").samples)
    assert -16.0 <= main <= -14.0, f"main at {main:.1f} LUFS"
    # The intro builds in and the outro dies away, so they sit a little under the main.
    for segment in ("intro", "outro"):
        level = loudness(audio(name, segment).samples)
        assert -19.5 <= level <= -14.0, f"{segment} at {level:.1f} LUFS"


def joint(x: npt.NDArray[np.float64]) -> tuple[float, float, float, float]:
    """How the loop's last frame meets its first, against the segment's own motion.

    Returns the step across the joint and the RMS of the sample differences in the 8 frames
    around it, both relative to the RMS sample difference of the whole segment (worst
    channel), then the level change (dB) and the spectral-centroid ratio from the last
    100 ms to the first 100 ms.
    """
    inside = np.sqrt(np.mean(np.diff(x, axis=1) ** 2, axis=1))
    step = float(np.max(np.abs(x[:, 0] - x[:, -1]) / inside))
    around = np.diff(np.concatenate([x[:, -4:], x[:, :4]], axis=1), axis=1)
    window = float(np.max(np.sqrt(np.mean(around**2, axis=1)) / inside))
    w = SR // 10
    tail, head = x[:, -w:], x[:, :w]
    level = float(10 * np.log10(np.mean(head**2) / np.mean(tail**2)))
    return step, window, level, centroid(head) / centroid(tail)


def bed(name: str) -> Template:
    """The template without its percussion: the pads, bass and lines a loop must carry over.

    The full mix's drums change the sound on purpose at the loop point (a fill, then the
    downbeat), so the last and first 100 ms are compared on what should flow through it.
    """
    template = find(name)
    parts = tuple(p for p in template.arrangement.parts if p.role in PITCHED)
    return replace(template, arrangement=replace(template.arrangement, parts=parts))


@pytest.mark.parametrize("name", NAMES)
def test_main_loop_joint_is_smooth(name: str) -> None:
    step, window, level, brightness = joint(audio(name, "main").samples.astype(np.float64))
    assert step < 4.0 and window < 3.0, (step, window)
    # Gross continuity of the full mix: no drop-out or burst at either side of the joint.
    assert abs(level) < 10.0 and 1 / 8 < brightness < 8


@pytest.mark.parametrize("name", NAMES)
def test_loop_carries_the_music_over(name: str) -> None:
    template = bed(name)
    looped = render_module._Renderer(template, "main", SR).mix()
    step, window, level, brightness = joint(looped)
    assert step < 2.0 and window < 2.0, (step, window)
    assert abs(level) < 7.0 and 0.4 < brightness < 2.5, (level, brightness)
    # The control: the same section rendered once from silence, with nothing of the previous
    # pass ringing into its start, does jump at the joint, and the check above sees it.
    once = render_module._Renderer(template, "main", SR, passes=2)
    naive_step, *_ = joint(once.mix()[:, : once.pass_frames])
    assert naive_step > 3.0


@pytest.mark.parametrize("name", ["corporate", "calm", "lofi", "electronic"])
def test_loop_equals_a_continuous_performance(name: str) -> None:
    """The main file is what the middle of three passes played straight through sounds like:
    every release, filter ring and reverb tail that crosses the loop point is in it."""
    template = find(name)
    looped = render_module._Renderer(template, "main", SR).mix()
    straight = render_module._Renderer(template, "main", SR, passes=3).mix()
    frames = looped.shape[1]
    middle = straight[:, frames : 2 * frames]
    error = np.sqrt(np.mean((middle - looped) ** 2) / np.mean(looped**2))
    assert error < 1e-6


@pytest.mark.parametrize("name", NAMES)
def test_outro_resolves_to_silence(name: str) -> None:
    x = audio(name, "outro").samples
    assert dbfs(x[:, -SR // 5 :]) < -50.0
    # It decays: each second is quieter than the one before over the last three.
    seconds = [np.sqrt(np.mean(x[:, -(k + 1) * SR : x.shape[1] - k * SR] ** 2)) for k in range(3)]
    assert seconds[0] < seconds[1] < seconds[2]


@pytest.mark.parametrize("name", NAMES)
def test_intro_builds_in(name: str) -> None:
    x = audio(name, "intro").samples.astype(np.float64)
    quarter = x.shape[1] // 4
    first, last = x[:, :quarter], x[:, -quarter:]
    assert np.mean(first**2) < np.mean(last**2)


@pytest.mark.parametrize("name", NAMES)
def test_tempo_is_audible(name: str) -> None:
    bpm = find(name).spec.tempo_bpm
    assert detected_tempo(audio(name, "main").samples) == pytest.approx(bpm, rel=0.05)


@pytest.mark.parametrize("name", NAMES)
def test_music_is_in_its_key(name: str) -> None:
    key = Key.parse(find(name).spec.key)
    assert chroma_in_key(audio(name, "main").samples, key) > 0.9


@pytest.mark.parametrize("name", NAMES)
def test_stereo(name: str) -> None:
    x = audio(name, "main").samples.astype(np.float64)
    assert not np.array_equal(x[0], x[1])
    side = np.mean((x[0] - x[1]) ** 2) / np.mean((x[0] + x[1]) ** 2)
    assert side > 10 ** (-25 / 10)  # width you can hear, not rounding noise
    assert np.corrcoef(x[0], x[1])[0, 1] > 0.1  # and still a mix, not two unrelated tracks


def test_templates_differ() -> None:
    digests = {digest(audio(name, "main")) for name in NAMES}
    assert len(digests) == len(NAMES)
    calm, upbeat = (
        centroid(audio("calm", "main").samples),
        centroid(audio("upbeat", "main").samples),
    )
    assert calm < 0.7 * upbeat
    tempi = {find(name).spec.tempo_bpm for name in NAMES}
    assert max(tempi) - min(tempi) >= 40


def test_deterministic_across_processes() -> None:
    """A fresh interpreter (no warm caches, the level not yet measured) renders the same bits."""
    code = (
        "import hashlib, numpy as np\n"
        "from castwright.production.music import render_template\n"
        "for segment in ('outro', 'main'):\n"
        "    b = render_template('lofi', segment)\n"
        "    print(hashlib.sha256(np.ascontiguousarray(b.samples).tobytes()).hexdigest())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.split() == [digest(audio("lofi", "outro")), digest(audio("lofi", "main"))]
    assert digest(render_template("lofi", "outro")) == digest(audio("lofi", "outro"))


def test_other_sample_rates() -> None:
    at_48k = render_template("news", "intro", 48000)
    assert at_48k.sample_rate == 48000 and at_48k.channels == 2
    assert at_48k.duration == pytest.approx(audio("news", "intro").duration, abs=1e-3)
    assert dbfs(at_48k.samples) < -1.0
    assert np.sqrt(np.mean(at_48k.samples**2)) > 0.03


def test_render_all_writes_wavs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render_module, "LIBRARY", (find("holiday"),))
    written = render_all(tmp_path / "music")
    assert list(written) == ["holiday"]
    assert list(written["holiday"]) == ["intro", "main", "outro"]
    files = sorted(p.name for p in (tmp_path / "music").iterdir())
    assert files == ["holiday-intro.wav", "holiday-main.wav", "holiday-outro.wav"]
    for segment, path in written["holiday"].items():
        assert path.parent == tmp_path / "music" and path.suffix == ".wav"
        decoded = decode_wav(path.read_bytes())
        original = audio("holiday", segment)
        assert decoded.sample_rate == SR and decoded.channels == 2
        assert decoded.frames == original.frames
        assert np.max(np.abs(decoded.samples - original.samples)) < 1.5 / 32768
