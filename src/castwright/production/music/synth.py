"""Synthesis building blocks: oscillators, envelopes, filters and panning.

Everything works on whole float64 arrays (one note, one drum hit, one bus) so a track is a
handful of numpy calls per note, never a per-sample Python loop. Filters are applied in the
frequency domain: the exact complex response of an RBJ biquad (or a one-pole) evaluated at the
FFT bins and multiplied in, which is the IIR filter's output up to the truncation of its
impulse response in the padding we give it. With ``periodic=True`` the ringing that runs
past the end is folded back onto the start (a circular filter), which is what a seamlessly
looping section needs: the filter's ringing at the end of the loop lands at its start,
exactly as it does when the loop repeats.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Literal

import numpy as np
import numpy.typing as npt

__all__ = [
    "Response",
    "Signal",
    "additive",
    "adsr",
    "apply_response",
    "biquad",
    "fast_length",
    "fold",
    "one_pole_lowpass",
    "pan",
    "polyblep_saw",
    "pulse",
    "response_at",
    "sine",
]

Signal = npt.NDArray[np.float64]
# A filter as its transfer function H(z), evaluated at z⁻¹ = e^(-iω) for every FFT bin.
Response = Callable[[npt.NDArray[np.complex128]], npt.NDArray[np.complex128]]


def _step(freq: float | Signal, frames: int, sr: int) -> float | Signal:
    """Phase increment per sample, in cycles: a number, or one per sample."""
    if isinstance(freq, np.ndarray):
        per_sample: Signal = freq[:frames] / sr
        return per_sample
    return float(freq) / sr


def _phase(freq: float | Signal, frames: int, sr: int, phase: float) -> Signal:
    """Oscillator phase in cycles, [0, 1); ``freq`` may be per-sample (vibrato, sweeps)."""
    step = _step(freq, frames, sr)
    cycles: Signal
    if isinstance(step, np.ndarray):
        cycles = phase + np.concatenate(([0.0], np.cumsum(step[:-1]))).astype(np.float64)
    else:
        cycles = phase + step * np.arange(frames, dtype=np.float64)
    wrapped: Signal = cycles - np.floor(cycles)
    return wrapped


def sine(freq: float | Signal, frames: int, sr: int, phase: float = 0.0) -> Signal:
    return np.sin(2.0 * np.pi * _phase(freq, frames, sr, phase))


def _blep(ph: Signal, dt: Signal | float) -> Signal:
    """PolyBLEP residual: the band-limited step minus the naive one, two samples wide."""
    out = np.zeros_like(ph)
    dts = np.broadcast_to(dt, ph.shape)
    rising = ph < dts
    t = ph[rising] / dts[rising]
    out[rising] = t + t - t * t - 1.0
    falling = ph > 1.0 - dts
    t = (ph[falling] - 1.0) / dts[falling]
    out[falling] = t * t + t + t + 1.0
    return out


def polyblep_saw(freq: float | Signal, frames: int, sr: int, phase: float = 0.0) -> Signal:
    """A rising sawtooth in [-1, 1] with polyBLEP-corrected resets (no audible aliasing)."""
    ph = _phase(freq, frames, sr, phase)
    saw: Signal = 2.0 * ph - 1.0 - _blep(ph, _step(freq, frames, sr))
    return saw


def pulse(
    freq: float | Signal, frames: int, sr: int, width: float = 0.5, phase: float = 0.0
) -> Signal:
    """A band-limited pulse: the difference of two polyBLEP saws ``width`` cycles apart."""
    a = polyblep_saw(freq, frames, sr, phase)
    b = polyblep_saw(freq, frames, sr, (phase + width) % 1.0)
    return 0.5 * (a - b) + (width - 0.5)  # remove the DC a non-square duty cycle leaves


def additive(
    freq: float,
    amplitudes: Sequence[float],
    frames: int,
    sr: int,
    decay: float = 0.0,
    decay_per_partial: float = 0.0,
) -> Signal:
    """Harmonic partials ``k * freq`` with the given amplitudes, each decaying exponentially.

    Partial k decays at ``decay + (k - 1) * decay_per_partial`` per second, so the upper
    partials die first, the way a plucked string darkens. Both sin(k·θ) (Chebyshev recurrence)
    and the envelopes (one multiply per partial) are built up incrementally, which costs a few
    array operations per partial instead of a sin() and an exp() each. Partials above 90 % of
    Nyquist are left out, so the result is band-limited.
    """
    t = np.arange(frames) / sr
    theta = 2.0 * np.pi * freq * t
    two_cos = 2.0 * np.cos(theta)
    previous, current = np.zeros(frames), np.sin(theta)
    envelope = np.exp(-decay * t)
    step = np.exp(-decay_per_partial * t) if decay_per_partial else None
    out = np.zeros(frames)
    limit = int(0.45 * sr / freq)
    for k, amplitude in enumerate(amplitudes[:limit], start=1):
        if k > 1:
            previous, current = current, two_cos * current - previous
            if step is not None:
                envelope = envelope * step
        if amplitude:
            out += amplitude * envelope * current
    return out


def adsr(
    gate: float, sr: int, attack: float, decay: float, sustain: float, release: float
) -> Signal:
    """An envelope ``gate + release`` seconds long that ends at exactly zero.

    Attack is a quarter-sine rise (no corner to click), decay is exponential towards the
    sustain level, and the release is a cubic fall from wherever the gate left the level.
    """
    held = max(1, round(gate * sr))
    t = np.arange(held) / sr
    attack = max(attack, 1e-3)
    rise = np.sin(0.5 * np.pi * np.minimum(t / attack, 1.0))
    fall = sustain + (1.0 - sustain) * np.exp(-np.maximum(t - attack, 0.0) / max(decay, 1e-3))
    body = rise * fall
    tail = max(1, round(release * sr))
    x = np.arange(1, tail + 1) / tail
    return np.concatenate([body, body[-1] * (1.0 - x) ** 3])


def biquad(
    kind: Literal["lowpass", "highpass", "bandpass"], cutoff: float, sr: int, q: float = 0.7071
) -> Response:
    """The complex response of an RBJ-cookbook biquad, as a function of normalised frequency."""
    cutoff = min(cutoff, 0.45 * sr)
    w0 = 2.0 * np.pi * cutoff / sr
    alpha = np.sin(w0) / (2.0 * q)
    cos = np.cos(w0)
    if kind == "lowpass":
        b = ((1.0 - cos) / 2.0, 1.0 - cos, (1.0 - cos) / 2.0)
    elif kind == "highpass":
        b = ((1.0 + cos) / 2.0, -(1.0 + cos), (1.0 + cos) / 2.0)
    else:  # constant 0 dB peak gain
        b = (alpha, 0.0, -alpha)
    a = (1.0 + alpha, -2.0 * cos, 1.0 - alpha)

    def response(z1: npt.NDArray[np.complex128]) -> npt.NDArray[np.complex128]:
        h: npt.NDArray[np.complex128] = (b[0] + z1 * (b[1] + z1 * b[2])) / (
            a[0] + z1 * (a[1] + z1 * a[2])
        )
        return h

    return response


def one_pole_lowpass(cutoff: float, sr: int) -> Response:
    """y[n] = (1 - p)·x[n] + p·y[n-1]: the gentlest low-pass, 6 dB per octave."""
    pole = float(np.exp(-2.0 * np.pi * min(cutoff, 0.45 * sr) / sr))

    def response(z1: npt.NDArray[np.complex128]) -> npt.NDArray[np.complex128]:
        h: npt.NDArray[np.complex128] = (1.0 - pole) / (1.0 - pole * z1)
        return h

    return response


def fast_length(n: int) -> int:
    """The smallest 2^a·3^b·5^c at or above ``n``: an FFT size pocketfft handles quickly."""
    best = 1 << max(0, (n - 1).bit_length())
    p5 = 1
    while p5 < best:
        p35 = p5
        while p35 < best:
            size = p35
            while size < n:
                size *= 2
            best = min(best, size)
            p35 *= 3
        p5 *= 5
    return best


def fold(y: Signal, frames: int) -> Signal:
    """Wrap-add everything past ``frames`` back onto the start (a linear result made circular).

    A linear convolution computed at a fast FFT size and then folded equals the circular
    convolution of period ``frames`` (as long as the impulse response fits in the padding),
    without paying for an FFT of an awkward, loop-determined length.
    """
    out = y[..., :frames].copy()
    for start in range(frames, y.shape[-1], frames):
        chunk = y[..., start : start + frames]
        out[..., : chunk.shape[-1]] += chunk
    return out


@lru_cache(maxsize=128)
def _unit_delay(size: int) -> npt.NDArray[np.complex128]:
    """z⁻¹ at the bins of an rfft of ``size`` points (cached: notes repeat their lengths)."""
    z1: npt.NDArray[np.complex128] = np.exp(-2j * np.pi * np.arange(size // 2 + 1) / size)
    z1.setflags(write=False)
    return z1


def response_at(responses: Sequence[Response], size: int) -> npt.NDArray[np.complex128]:
    """The cascade's complex gain at the bins of an rfft of ``size`` points."""
    z1 = _unit_delay(size)
    gain = responses[0](z1) if responses else np.ones(len(z1), dtype=np.complex128)
    for response in responses[1:]:
        gain *= response(z1)
    return gain


def apply_response(
    x: Signal, responses: Sequence[Response], tail: int = 0, periodic: bool = False
) -> Signal:
    """Filter ``x`` (1-D or [channels, frames]) through ``responses`` in cascade.

    ``tail`` frames of silence are appended first so the filter's ringing has room (the
    result is that much longer). ``periodic`` filters circularly instead: same length out,
    the ringing past the end wrapped onto the start (``tail`` is then the room given to the
    ringing before it is folded back; 8192 frames is plenty for the filters used here).
    """
    frames = x.shape[-1]
    ring = (tail or 8192) if periodic else tail
    size = fast_length(frames + ring)
    spectrum = np.fft.rfft(x, n=size, axis=-1) * response_at(responses, size)
    out: Signal = np.fft.irfft(spectrum, n=size, axis=-1)
    return fold(out, frames) if periodic else out[..., : frames + tail]


def pan(x: Signal, position: float) -> Signal:
    """Constant-power pan of a mono signal to stereo; ``position`` in [-1 (left), 1 (right)]."""
    angle = (position + 1.0) * np.pi / 4.0
    stereo: Signal = np.stack([np.cos(angle) * x, np.sin(angle) * x]) * np.sqrt(2.0)
    return stereo
