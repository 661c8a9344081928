"""Pitched voices: pads, strings, keys, plucks, bells, basses, leads and timpani.

Each voice renders one note: ``voice(hz, gate_seconds, sample_rate)`` returns the note with
its release (mono 1-D, or stereo [2, frames] when the voice has its own width). Voices are
pure functions of their arguments, so the renderer can cache a note and reuse it every time
the pattern repeats it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np

from castwright.production.music.synth import (
    Signal,
    additive,
    adsr,
    apply_response,
    biquad,
    one_pole_lowpass,
    polyblep_saw,
    pulse,
    sine,
)

__all__ = ["INSTRUMENTS", "Instrument"]

Instrument = Callable[[float, float, int], Signal]


def _cents(cents: float) -> float:
    return float(2.0 ** (cents / 1200.0))


def _lowpass(x: Signal, cutoff: float, sr: int, order: int = 2, q: float = 0.7071) -> Signal:
    """``order`` cascaded biquads, truncated back to the note's length (it ends at zero)."""
    return apply_response(x, [biquad("lowpass", cutoff, sr, q)] * order)[..., : x.shape[-1]]


def _vibrato(hz: float, frames: int, sr: int, depth: float, delay: float) -> Signal:
    """Per-sample frequency with a vibrato that fades in after ``delay`` seconds, as players do."""
    t = np.arange(frames) / sr
    fade = np.clip((t - delay) / 0.4, 0.0, 1.0)
    return hz * (1.0 + depth * fade * np.sin(2.0 * np.pi * 5.3 * t))


def _saw_pad(hz: float, gate: float, sr: int, cutoff: float) -> Signal:
    """Four detuned saws, two per side: the chorus of the detune is the pad's stereo width."""
    env = adsr(gate, sr, attack=0.5, decay=1.5, sustain=0.75, release=1.2)
    n = len(env)
    left = polyblep_saw(hz * _cents(-9), n, sr) + 0.6 * polyblep_saw(hz * _cents(4), n, sr, 0.5)
    right = polyblep_saw(hz * _cents(9), n, sr, 0.25) + 0.6 * polyblep_saw(
        hz * _cents(-4), n, sr, 0.75
    )
    return _lowpass(np.stack([left, right]) * env * 0.35, cutoff, sr)


def _strings(hz: float, gate: float, sr: int) -> Signal:
    """An ensemble: detuned saws with delayed vibrato, a slow bow-like attack, darkened."""
    env = adsr(gate, sr, attack=0.45, decay=1.0, sustain=0.85, release=0.9)
    n = len(env)
    sides = []
    for detunes, phase in (((-12.0, 5.0), 0.1), ((12.0, -5.0), 0.6)):
        voice = np.zeros(n)
        for cents in detunes:
            voice += polyblep_saw(_vibrato(hz * _cents(cents), n, sr, 0.003, 0.3), n, sr, phase)
        sides.append(voice)
    stereo = np.stack(sides) * env * 0.3
    return _lowpass(stereo, min(2600.0, hz * 9.0), sr)


def _soft_pad(hz: float, gate: float, sr: int) -> Signal:
    """A triangle-like additive tone (odd partials at 1/k²), two slightly detuned sides."""
    env = adsr(gate, sr, attack=1.2, decay=1.0, sustain=0.85, release=2.0)
    n = len(env)
    partials = [1.0, 0.12, -1 / 9, 0.0, 1 / 25, 0.0, -1 / 49]
    left = additive(hz * _cents(-6), partials, n, sr)
    right = additive(hz * _cents(6), partials, n, sr)
    return np.stack([left, right]) * env * 0.6


def _drone(hz: float, gate: float, sr: int) -> Signal:
    """A dark, slowly swelling low tone: detuned saws under a low cutoff, plus a sine body."""
    env = adsr(gate, sr, attack=1.5, decay=2.0, sustain=0.9, release=2.0)
    n = len(env)
    saws = np.stack(
        [polyblep_saw(hz * _cents(-7), n, sr, 0.0), polyblep_saw(hz * _cents(7), n, sr, 0.5)]
    )
    body = _lowpass(saws, 420.0, sr) + 0.8 * sine(hz, n, sr)
    return body * env * 0.5


def _epiano(hz: float, gate: float, sr: int, tremolo: float = 0.0) -> Signal:
    """A two-operator FM electric piano: the modulation index decays, so the tone mellows."""
    env = adsr(gate, sr, attack=0.003, decay=1.4 * min(1.0, 330.0 / hz), sustain=0.0, release=0.3)
    n = len(env)
    t = np.arange(n) / sr
    index = 1.1 * np.exp(-t / 0.3) + 0.2
    tone = np.sin(2.0 * np.pi * hz * t + index * np.sin(2.0 * np.pi * hz * t))
    tine = 0.08 * np.sin(2.0 * np.pi * hz * 7.0 * t) * np.exp(-t / 0.03)
    x = (tone + tine) * env * 0.5
    if not tremolo:
        return x
    sway = tremolo * np.sin(2.0 * np.pi * 4.2 * t)  # auto-pan, the classic suitcase tremolo
    return np.stack([x * (1.0 - sway), x * (1.0 + sway)])


def _pluck(hz: float, gate: float, sr: int) -> Signal:
    """A plucked string: partials shaped by the pluck position, upper ones dying first."""
    env = adsr(gate, sr, attack=0.002, decay=10.0, sustain=1.0, release=0.25)
    position = 0.17
    amps = [abs(np.sin(np.pi * k * position)) / k for k in range(1, 19)]
    x = additive(hz, amps, len(env), sr, decay=1.2 + hz / 400.0, decay_per_partial=0.9)
    return x * env * 0.9


def _bell(hz: float, gate: float, sr: int) -> Signal:
    """Glockenspiel-like: inharmonic partials, each with its own exponential decay."""
    n = round((gate + 1.2) * sr)
    t = np.arange(n) / sr
    x = np.zeros(n)
    for ratio, amp, rate in ((1.0, 1.0, 1.6), (2.0, 0.4, 2.4), (3.01, 0.25, 3.5), (4.17, 0.2, 5.0),
                             (5.43, 0.1, 7.0), (6.79, 0.06, 9.0)):  # fmt: skip
        if hz * ratio < 0.45 * sr:
            x += amp * np.sin(2.0 * np.pi * hz * ratio * t) * np.exp(-rate * t)
    return x * adsr(gate + 0.9, sr, 0.001, 10.0, 1.0, 0.3)[:n] * 0.4


def _bass_saw(hz: float, gate: float, sr: int) -> Signal:
    """Saw plus sine through a low-pass whose cutoff snaps open and closes (a filter envelope).

    The envelope is a crossfade from a bright to a dark filtering of the same note, which is
    a time-varying low-pass without a per-sample loop.
    """
    env = adsr(gate, sr, attack=0.004, decay=0.25, sustain=0.8, release=0.06)
    n = len(env)
    x = polyblep_saw(hz, n, sr) + 0.7 * sine(hz, n, sr)
    dark = _lowpass(x, 2.5 * hz + 90.0, sr)
    bright = _lowpass(x, 10.0 * hz + 400.0, sr)
    sweep = np.exp(-np.arange(n) / sr / 0.07)
    return (dark + (bright - dark) * sweep) * env * 0.6


def _bass_sub(hz: float, gate: float, sr: int) -> Signal:
    """A sine sub with a touch of second harmonic and soft saturation, so small speakers hear it."""
    env = adsr(gate, sr, attack=0.006, decay=0.3, sustain=0.9, release=0.08)
    n = len(env)
    x = sine(hz, n, sr) + 0.25 * sine(2.0 * hz, n, sr)
    saturated: Signal = np.tanh(1.6 * x) / np.tanh(1.6)
    return saturated * env * 0.8


def _bass_pluck(hz: float, gate: float, sr: int) -> Signal:
    """An upright-ish plucked bass: few partials, fast upper decay, a short release."""
    env = adsr(gate, sr, attack=0.004, decay=10.0, sustain=1.0, release=0.08)
    amps = [1.0 / k**1.3 for k in range(1, 11)]
    return additive(hz, amps, len(env), sr, decay=1.0, decay_per_partial=0.8) * env * 0.8


def _lead_square(hz: float, gate: float, sr: int) -> Signal:
    env = adsr(gate, sr, attack=0.01, decay=0.25, sustain=0.7, release=0.18)
    n = len(env)
    x = pulse(_vibrato(hz, n, sr, 0.004, 0.25), n, sr, width=0.35)
    return apply_response(x * env * 0.45, [one_pole_lowpass(3200.0, sr)])[:n]


def _lead_soft(hz: float, gate: float, sr: int) -> Signal:
    """A horn/flute-like line: a saw kept dark relative to its pitch, slow attack, vibrato."""
    env = adsr(gate, sr, attack=0.12, decay=0.4, sustain=0.8, release=0.35)
    n = len(env)
    x = polyblep_saw(_vibrato(hz, n, sr, 0.005, 0.35), n, sr)
    return _lowpass(x * env * 0.5, 3.0 * hz, sr)


def _arp_saw(hz: float, gate: float, sr: int) -> Signal:
    """A short synth pluck: two detuned saws with a fast filter envelope."""
    env = adsr(gate, sr, attack=0.002, decay=0.15, sustain=0.3, release=0.12)
    n = len(env)
    x = polyblep_saw(hz * _cents(-7), n, sr) + polyblep_saw(hz * _cents(7), n, sr, 0.5)
    dark = _lowpass(x, 1.5 * hz + 200.0, sr)
    bright = _lowpass(x, 8.0 * hz + 1500.0, sr)
    sweep = np.exp(-np.arange(n) / sr / 0.05)
    left = (dark + (bright - dark) * sweep) * env * 0.3
    haas = int(0.011 * sr)  # a short delay on one side gives width without a second voice
    right = np.concatenate([np.zeros(haas), left[: n - haas]])
    return np.stack([left, right])


def _timpani(hz: float, gate: float, sr: int) -> Signal:
    """A tuned drum: the inharmonic modes of a kettle drum plus a felt-mallet thump."""
    n = round((gate + 1.6) * sr)
    t = np.arange(n) / sr
    x = np.zeros(n)
    for ratio, amp, rate in ((1.0, 1.0, 1.8), (1.5, 0.5, 2.6), (1.99, 0.35, 3.4),
                             (2.44, 0.2, 4.5), (2.98, 0.1, 6.0)):  # fmt: skip
        x += amp * np.sin(2.0 * np.pi * hz * ratio * t) * np.exp(-rate * t)
    rng = np.random.default_rng(round(hz * 100))  # seeded by pitch: the same note, same thump
    thump = _lowpass(rng.standard_normal(n) * np.exp(-t / 0.025), 350.0, sr)
    attack = np.minimum(t / 0.003, 1.0)
    return (x * 0.6 + thump * 0.8) * attack * np.minimum((n - np.arange(n)) / (0.2 * sr), 1.0)


INSTRUMENTS: dict[str, Instrument] = {
    "pad_warm": partial(_saw_pad, cutoff=1500.0),
    "pad_bright": partial(_saw_pad, cutoff=3200.0),
    "strings": _strings,
    "soft_pad": _soft_pad,
    "drone": _drone,
    "epiano": _epiano,
    "epiano_tremolo": partial(_epiano, tremolo=0.35),
    "pluck": _pluck,
    "bell": _bell,
    "bass_saw": _bass_saw,
    "bass_sub": _bass_sub,
    "bass_pluck": _bass_pluck,
    "lead_square": _lead_square,
    "lead_soft": _lead_soft,
    "arp_saw": _arp_saw,
    "timpani": _timpani,
}
