"""Bus effects: a generated-room reverb, sidechain pumping and a soft peak ceiling."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from castwright.production.music.synth import (
    Response,
    Signal,
    fast_length,
    fold,
    response_at,
)

__all__ = ["master", "pump", "reverb_impulse", "soft_ceiling"]


@lru_cache(maxsize=16)
def reverb_impulse(seconds: float, sr: int, seed: int) -> Signal:
    """A stereo room: a few early reflections, then decaying noise that darkens as it decays.

    The tail is the sum of four noise bands, each with its own decay time (highs die first,
    as in a real room where air and walls absorb them), independent per channel so the
    reverb also widens what is sent to it. Each band is drawn directly as a random spectrum
    limited to the band. Normalised to unit energy per channel; cached, and read-only.
    """
    rng = np.random.default_rng([seed, 0x5EED])
    frames = round(seconds * sr)
    size = fast_length(frames)
    freqs = np.fft.rfftfreq(size, 1.0 / sr)
    t = np.arange(frames) / sr
    predelay = round(0.018 * sr)
    channels = []
    for _ in range(2):
        tail = np.zeros(frames)
        for low, high, decay in ((20, 600, 1.0), (600, 2500, 0.8), (2500, 7000, 0.55),
                                 (7000, 16000, 0.3)):  # fmt: skip
            spectrum = rng.standard_normal(len(freqs)) + 1j * rng.standard_normal(len(freqs))
            band = np.fft.irfft(spectrum * ((freqs >= low) & (freqs < high)), n=size)[:frames]
            tail += band * np.exp(-6.91 * t / (decay * seconds))  # -60 dB at decay·seconds
        tail *= np.minimum(t / 0.03, 1.0)  # the diffuse tail builds up rather than starts hard
        early = np.zeros(frames)
        taps = rng.uniform(0.005, 0.07, 6)
        early[np.round(taps * sr).astype(int)] = rng.uniform(0.3, 0.7, 6) * rng.choice([-1, 1], 6)
        early *= np.sqrt(np.sum(tail * tail)) / 2.0  # reflections a little under the tail
        ir = np.concatenate([np.zeros(predelay), early + tail])[:frames]
        channels.append(ir / np.sqrt(np.sum(ir * ir)))
    impulse = np.stack(channels)
    impulse.setflags(write=False)
    return impulse


def master(
    dry: Signal, send: Signal, impulse: Signal, filters: Sequence[Response], periodic: bool
) -> Signal:
    """``dry + send * impulse`` (the reverb), then ``filters``, in one frequency-domain pass.

    Three forward FFTs and one inverse per channel, at a fast size; ``periodic`` folds the
    reverb tail that passes the end of a loop back onto its start, which is exactly what is
    heard from the second repetition on.
    """
    frames = dry.shape[-1]
    size = fast_length(frames + impulse.shape[-1] + 8192)
    spectrum = np.fft.rfft(dry, n=size, axis=-1)
    spectrum += np.fft.rfft(send, n=size, axis=-1) * np.fft.rfft(impulse, n=size, axis=-1)
    if filters:
        spectrum *= response_at(filters, size)
    out: Signal = np.fft.irfft(spectrum, n=size, axis=-1)
    return fold(out, frames) if periodic else out[..., :frames]


def pump(frames: int, sr: int, beat_frames: float, depth: float) -> Signal:
    """Sidechain-style gain: dips by ``depth`` on every beat and recovers in ~150 ms.

    The dip's 5 ms fall keeps it click-free; because it repeats every beat it is as periodic
    as the beat grid, so it loops with the section.
    """
    position = np.arange(frames) % beat_frames / sr
    fall = np.minimum(position / 0.005, 1.0)
    return 1.0 - depth * fall * np.exp(-position / 0.15)


def soft_ceiling(x: Signal, threshold: float, ceiling: float) -> Signal:
    """Identity below ``threshold``; above it a tanh knee that approaches ``ceiling``.

    Value and slope are continuous at the threshold, so the rare peaks it touches (a kick on
    top of a chord) are rounded, not clipped, and nothing ever reaches ``ceiling``.
    """
    magnitude = np.abs(x)
    room = ceiling - threshold
    over = magnitude > threshold
    shaped = threshold + room * np.tanh((magnitude[over] - threshold) / room)
    out = x.copy()
    out[over] = np.sign(x[over]) * shaped
    return out
