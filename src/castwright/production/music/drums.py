"""Percussion from noise and sine sweeps, and the two textures: a riser and vinyl crackle.

A drum is ``drum(rng, sample_rate)`` returning one mono hit; the generator is seeded per
template and per drum, so every hit is the same every run. Hats and shakers get a few
variants (different noise) that the renderer alternates, so a run of sixteenths does not
sound like one sample fired by a machine gun.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np

from castwright.production.music.synth import Signal, apply_response, biquad, sine

__all__ = ["DRUMS", "Drum", "crackle", "riser"]

Drum = Callable[[np.random.Generator, int], Signal]


def _t(seconds: float, sr: int) -> Signal:
    return np.arange(round(seconds * sr)) / sr


def _band(noise: Signal, sr: int, low: float, high: float) -> Signal:
    """Noise band-limited between ``low`` and ``high`` Hz (two poles each side)."""
    responses = [biquad("highpass", low, sr)] * 2 + [biquad("lowpass", high, sr)] * 2
    return apply_response(noise, responses)[: len(noise)]


def _kick(rng: np.random.Generator, sr: int, top: float, bottom: float, decay: float,
          click: float) -> Signal:  # fmt: skip
    """A sine whose pitch drops fast from ``top`` to ``bottom`` Hz (the 808/909 recipe)."""
    t = _t(decay * 5.0, sr)
    pitch = bottom + (top - bottom) * np.exp(-t / 0.035)
    body = sine(pitch, len(t), sr) * np.exp(-t / decay)
    tick = _band(rng.standard_normal(len(t)), sr, 1500.0, 8000.0) * np.exp(-t / 0.004)
    hit: Signal = np.tanh(1.5 * (body + click * tick)) / np.tanh(1.5)
    return hit * np.minimum(t / 0.001, 1.0)


def _snare(rng: np.random.Generator, sr: int, tone: float, bright: float) -> Signal:
    """Two drum-head modes under a band of noise (the wires), the noise ringing longer."""
    t = _t(0.5, sr)
    head = (np.sin(2 * np.pi * tone * t) + 0.5 * np.sin(2 * np.pi * tone * 1.7 * t)) * np.exp(
        -t / 0.06
    )
    wires = _band(rng.standard_normal(len(t)), sr, 1200.0, bright) * np.exp(-t / 0.13)
    return (0.6 * head + 1.6 * wires) * np.minimum(t / 0.001, 1.0)


def _clap(rng: np.random.Generator, sr: int) -> Signal:
    """Three quick noise bursts (several hands, not quite together) and a short room tail."""
    t = _t(0.45, sr)
    env = np.zeros(len(t))
    for start in (0.0, 0.011, 0.022):
        after = np.clip(t - start, 0.0, None)
        env += np.where(t >= start, np.exp(-after / 0.005), 0.0)
    env += np.where(t >= 0.03, 0.6 * np.exp(-np.clip(t - 0.03, 0.0, None) / 0.11), 0.0)
    return _band(rng.standard_normal(len(t)), sr, 900.0, 5000.0) * env * 1.8


def _hat(rng: np.random.Generator, sr: int, decay: float) -> Signal:
    """High-passed noise plus a cluster of inharmonic square-ish tones (the metallic part)."""
    t = _t(decay * 6.0, sr)
    metal = sum(
        np.sign(np.sin(2 * np.pi * f * t + rng.uniform(0, 2 * np.pi)))
        for f in (317.0, 465.0, 540.0, 731.0, 820.0, 1061.0)
    )
    x = rng.standard_normal(len(t)) + 0.25 * np.asarray(metal)
    x = apply_response(x, [biquad("highpass", 7000.0, sr)] * 2)[: len(t)]
    return x * np.exp(-t / decay) * np.minimum(t / 0.0005, 1.0) * 0.7


def _shaker(rng: np.random.Generator, sr: int) -> Signal:
    t = _t(0.2, sr)
    env: Signal = np.minimum(t / 0.012, 1.0) * np.exp(-np.clip(t - 0.012, 0.0, None) / 0.045)
    return _band(rng.standard_normal(len(t)), sr, 4000.0, 11000.0) * env * 0.9


def _rim(rng: np.random.Generator, sr: int) -> Signal:
    t = _t(0.12, sr)
    tone: Signal = np.sin(2 * np.pi * 1650.0 * t) * np.exp(-t / 0.012)
    return (tone + 0.4 * _band(rng.standard_normal(len(t)), sr, 2000, 9000)) * np.exp(-t / 0.02)


def _crash(rng: np.random.Generator, sr: int) -> Signal:
    """A cymbal: bright noise with a long decay and a softened onset."""
    t = _t(3.5, sr)
    x = _band(rng.standard_normal(len(t)), sr, 3500.0, 14000.0)
    env: Signal = np.minimum(t / 0.004, 1.0) * np.exp(-t / 0.75)
    return x * env * 0.6


def _jingle(rng: np.random.Generator, sr: int) -> Signal:
    """Sleigh bells: many small inharmonic bells struck in a quick shake of three."""
    t = _t(0.35, sr)
    bells = np.zeros(len(t))
    for freq in rng.uniform(3500.0, 9000.0, 12):
        bells += np.sin(2 * np.pi * freq * t + rng.uniform(0, 2 * np.pi))
    env = np.zeros(len(t))
    for start, level in ((0.0, 1.0), (0.025, 0.7), (0.05, 0.45)):
        after = np.clip(t - start, 0.0, None)
        env += np.where(t >= start, level * np.exp(-after / 0.05), 0.0)
    noise = _band(rng.standard_normal(len(t)), sr, 5000.0, 12000.0)
    return (bells / 12.0 + 0.3 * noise) * env * 1.2


DRUMS: dict[str, Drum] = {
    "kick": partial(_kick, top=170.0, bottom=52.0, decay=0.22, click=0.35),
    "kick_deep": partial(_kick, top=140.0, bottom=45.0, decay=0.32, click=0.25),
    "kick_soft": partial(_kick, top=115.0, bottom=55.0, decay=0.18, click=0.08),
    "snare": partial(_snare, tone=190.0, bright=9000.0),
    "snare_soft": partial(_snare, tone=175.0, bright=4500.0),
    "clap": _clap,
    "hat": partial(_hat, decay=0.035),
    "open_hat": partial(_hat, decay=0.16),
    "shaker": _shaker,
    "rim": _rim,
    "crash": _crash,
    "jingle": _jingle,
}


def riser(frames: int, sr: int, rng: np.random.Generator) -> Signal:
    """A swell that climbs into the next downbeat: noise bands entering low to high.

    Each band swells in later and faster than the one below it, which the ear hears as a
    filter sweeping upwards; a rising sine under it adds pitch to the lift.
    """
    x = np.zeros(frames)
    progress = np.arange(frames) / frames
    for index, (low, high) in enumerate(((300, 1200), (1200, 3500), (3500, 8000), (8000, 14000))):
        start = index * 0.2
        swell = np.clip((progress - start) / (1.0 - start), 0.0, 1.0) ** 2
        x += _band(rng.standard_normal(frames), sr, low, high) * swell * (0.5 + 0.15 * index)
    sweep = sine(200.0 * 4.0**progress, frames, sr) * progress**3 * 0.15
    return (x + sweep) * 0.5


def crackle(frames: int, sr: int, rng: np.random.Generator) -> Signal:
    """Vinyl surface noise: sparse clicks of random size over a faint, dark hiss.

    Built with circular filtering, so the texture loops without a seam when ``frames`` is a
    looping section's length.
    """
    clicks = np.zeros(frames)
    count = int(frames / sr * 9.0)
    clicks[rng.integers(0, frames, count)] = rng.uniform(-1.0, 1.0, count) ** 3
    pops = apply_response(clicks, [biquad("bandpass", 2500.0, sr, 0.8)], periodic=True)
    hiss = apply_response(
        rng.standard_normal(frames), [biquad("lowpass", 5000.0, sr)], periodic=True
    )
    return 2.5 * pops + 0.02 * hiss
