"""What a speaker sounds like, measured from recordings: pitch, speaking rate, spectrum.

Everything is measured at 16 kHz mono in 25 ms frames every 10 ms:

* speech activity: frames within 35 dB of the recording's loud frames and above -55 dBFS;
* pitch: YIN (de Cheveigne and Kawahara 2002) on active frames, 60-500 Hz, cumulative mean
  normalised difference below 0.2; reported as the median and the 10th-90th percentile
  range in semitones;
* speaking rate: syllable nuclei per second of speaking (pauses of 0.3 s or more left out),
  a nucleus being a voiced peak of the 300-3300 Hz band's loudness standing 2 dB above the
  dips either side (after de Jong and Wempe 2009);
* spectral envelope: the long-term average spectrum of voiced frames in 24 mel bands from 80
  to 7600 Hz, in dB relative to its own mean (so loudness does not count, only shape).

The same measurements are made of the reference recordings and of the voice built to match
them, so whatever bias a measurement has, it has on both sides.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from castwright.audio import AudioBuffer

__all__ = ["RATE", "VoiceProfile", "profile_of", "to_analysis_rate"]

RATE = 16_000
_FRAME, _HOP = 400, 160  # 25 ms, 10 ms
_FMIN, _FMAX = 60.0, 500.0
_YIN_THRESHOLD = 0.2
_ACTIVE_RANGE_DB, _ACTIVE_FLOOR_DB = 35.0, -55.0
_PAUSE_FRAMES = 30  # 0.3 s
_NUCLEUS_DIP_DB = 2.0
_MEL_BANDS, _MEL_LOW, _MEL_HIGH = 24, 80.0, 7600.0

Signal = npt.NDArray[np.float64]


@dataclass(frozen=True)
class VoiceProfile:
    seconds: float  # total duration analysed
    speech_seconds: float  # active (speaking) frames, pauses excluded
    voiced_seconds: float  # active frames with a pitch
    pitch_median_hz: float  # 0 when nothing is voiced
    pitch_range_semitones: float  # 10th to 90th percentile
    syllables_per_second: float  # over speaking time
    envelope_db: tuple[float, ...]  # 24 mel bands, mean-removed

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["envelope_db"] = [round(v, 2) for v in self.envelope_db]
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in data.items()}

    @property
    def is_speech(self) -> bool:
        """Voiced and syllabic: silence, noise and steady tones all fail one of these."""
        return (
            self.voiced_seconds >= 0.3
            and self.voiced_seconds >= 0.25 * self.speech_seconds
            and 1.0 <= self.syllables_per_second <= 10.0
            and self.pitch_range_semitones >= 0.5
        )


def to_analysis_rate(audio: AudioBuffer) -> Signal:
    """Mono, 16 kHz, float64."""
    import soxr

    mono: Signal = audio.samples.mean(axis=0).astype(np.float64)
    if audio.sample_rate == RATE:
        return mono
    resampled: Signal = soxr.resample(mono, audio.sample_rate, RATE, quality="HQ")
    return resampled


def _frames(signal: Signal) -> Signal:
    if signal.size < _FRAME:
        signal = np.pad(signal, (0, _FRAME - signal.size))
    count = 1 + (signal.size - _FRAME) // _HOP
    index = np.arange(_FRAME)[None, :] + _HOP * np.arange(count)[:, None]
    framed: Signal = signal[index]
    return framed


def _level_db(frames: Signal) -> Signal:
    rms = np.sqrt(np.mean(frames**2, axis=1))
    level: Signal = 20 * np.log10(np.maximum(rms, 1e-10))
    return level


def _active(level: Signal) -> npt.NDArray[np.bool_]:
    loud = np.percentile(level, 95) if level.size else -120.0
    active: npt.NDArray[np.bool_] = (level > loud - _ACTIVE_RANGE_DB) & (level > _ACTIVE_FLOOR_DB)
    return active


def _yin(frames: Signal) -> tuple[Signal, npt.NDArray[np.bool_]]:
    """(f0 in Hz, voiced) per frame. Difference function from the autocorrelation (FFT)."""
    lag_min, lag_max = int(RATE / _FMAX), int(RATE / _FMIN)
    windowed = frames - frames.mean(axis=1, keepdims=True)
    size = 1 << int(np.ceil(np.log2(2 * _FRAME)))
    spectrum = np.fft.rfft(windowed, size, axis=1)
    acf = np.fft.irfft(spectrum * np.conj(spectrum), size, axis=1)[:, : lag_max + 2]
    energy = np.cumsum(windowed**2, axis=1)
    total = energy[:, -1:]
    lags = np.arange(lag_max + 2)
    # d(tau) = sum x[j]^2 + sum x[j+tau]^2 - 2 r(tau), over the overlapping part
    head = total - np.concatenate([np.zeros((len(frames), 1)), energy[:, :-1]], axis=1)[:, lags]
    tail = energy[:, np.maximum(_FRAME - 1 - lags, 0)]
    diff = np.maximum(head + tail - 2 * acf, 0.0)
    diff[:, 0] = 0.0
    running = np.cumsum(diff[:, 1:], axis=1) / np.arange(1, diff.shape[1])
    cmnd = np.ones_like(diff)
    cmnd[:, 1:] = diff[:, 1:] / np.maximum(running, 1e-12)
    search = cmnd[:, lag_min : lag_max + 1]
    below = search < _YIN_THRESHOLD
    voiced = below.any(axis=1)
    first = np.where(voiced, below.argmax(axis=1), search.argmin(axis=1))
    # Walk down to the bottom of the dip the threshold first crossed.
    rows = np.arange(len(frames))
    for _ in range(lag_max - lag_min):
        nxt = np.minimum(first + 1, search.shape[1] - 1)
        step = search[rows, nxt] < search[rows, first]
        if not step.any():
            break
        first = np.where(step, nxt, first)
    # Parabolic interpolation around the minimum.
    left = search[rows, np.maximum(first - 1, 0)]
    mid = search[rows, first]
    right = search[rows, np.minimum(first + 1, search.shape[1] - 1)]
    denominator = left - 2 * mid + right
    shift = np.divide(
        0.5 * (left - right),
        denominator,
        out=np.zeros_like(denominator),
        where=np.abs(denominator) > 1e-12,
    )
    lag = lag_min + first + np.clip(shift, -1, 1)
    f0: Signal = RATE / np.maximum(lag, 1.0)
    return f0, voiced


def _band_loudness(signal: Signal) -> Signal:
    from scipy.signal import butter, sosfiltfilt

    sos = butter(4, [300.0, 3300.0], btype="bandpass", fs=RATE, output="sos")
    band = sosfiltfilt(sos, signal)
    level = _level_db(_frames(band))
    # 50 ms smoothing: syllables are 100-300 ms, the ripple within one is not a syllable.
    kernel = np.hanning(7)
    smoothed: Signal = np.convolve(level, kernel / kernel.sum(), mode="same")
    return smoothed


def _nuclei(loudness: Signal, voiced: npt.NDArray[np.bool_], active: npt.NDArray[np.bool_]) -> int:
    """Peaks of the band loudness that are voiced and stand clear of the dip before them."""
    if loudness.size < 3:
        return 0
    middle = loudness[1:-1]
    peaks = np.flatnonzero((middle > loudness[:-2]) & (middle >= loudness[2:])) + 1
    floor = np.percentile(loudness[active], 25) if active.any() else np.inf
    count, previous = 0, 0
    for peak in peaks:
        if not (voiced[peak] and active[peak]) or loudness[peak] < floor:
            continue
        dip_before = loudness[previous : peak + 1].min()
        if count == 0 or loudness[peak] - dip_before >= _NUCLEUS_DIP_DB:
            count += 1
            previous = int(peak)
        elif loudness[peak] > loudness[previous]:
            previous = int(peak)  # a higher top of the same syllable: measure dips from there
    return count


def _speaking_frames(active: npt.NDArray[np.bool_]) -> int:
    """Active frames plus short gaps between them; pauses of 0.3 s or more do not count."""
    if not active.any():
        return 0
    indices = np.flatnonzero(active)
    gaps = np.diff(indices) - 1
    return int(active.sum() + gaps[(gaps > 0) & (gaps < _PAUSE_FRAMES)].sum())


def _mel_filters() -> Signal:
    def mel(hz: Signal) -> Signal:
        result: Signal = 2595 * np.log10(1 + hz / 700)
        return result

    def hz(m: Signal) -> Signal:
        result: Signal = 700 * (10 ** (m / 2595) - 1)
        return result

    size = 1 << int(np.ceil(np.log2(_FRAME)))
    bins = np.fft.rfftfreq(size, 1 / RATE)
    edges = hz(np.linspace(mel(np.array(_MEL_LOW)), mel(np.array(_MEL_HIGH)), _MEL_BANDS + 2))
    filters = np.zeros((_MEL_BANDS, bins.size))
    for i in range(_MEL_BANDS):
        low, centre, high = edges[i], edges[i + 1], edges[i + 2]
        rising = (bins - low) / (centre - low)
        falling = (high - bins) / (high - centre)
        filters[i] = np.clip(np.minimum(rising, falling), 0, None)
    return filters


def _envelope(frames: Signal, voiced: npt.NDArray[np.bool_]) -> tuple[float, ...]:
    if not voiced.any():
        return tuple([0.0] * _MEL_BANDS)
    size = 1 << int(np.ceil(np.log2(_FRAME)))
    power = np.abs(np.fft.rfft(frames[voiced] * np.hanning(_FRAME), size, axis=1)) ** 2
    bands = 10 * np.log10(np.maximum(power.mean(axis=0) @ _mel_filters().T, 1e-20))
    return tuple(float(v) for v in bands - bands.mean())


def profile_of(audio: AudioBuffer) -> VoiceProfile:
    signal = to_analysis_rate(audio)
    frames = _frames(signal)
    level = _level_db(frames)
    active = _active(level)
    f0, periodic = _yin(frames)
    voiced = periodic & active & (f0 >= _FMIN) & (f0 <= _FMAX)
    pitches = f0[voiced]
    speaking = _speaking_frames(active) * _HOP / RATE
    nuclei = _nuclei(_band_loudness(signal), voiced, active)
    if pitches.size >= 2:
        low, median, high = np.percentile(pitches, [10, 50, 90])
        pitch_range = 12 * np.log2(high / low)
    else:
        median, pitch_range = 0.0, 0.0
    return VoiceProfile(
        seconds=signal.size / RATE,
        speech_seconds=speaking,
        voiced_seconds=float(voiced.sum() * _HOP / RATE),
        pitch_median_hz=float(median),
        pitch_range_semitones=float(pitch_range),
        syllables_per_second=nuclei / speaking if speaking > 0 else 0.0,
        envelope_db=_envelope(frames, voiced),
    )
