"""The curated effect library for <as:fx>: short sounds synthesised here, licence-clean."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from castwright.audio import AudioBuffer

__all__ = ["EFFECTS", "effect_audio"]

_RATE = 48000


def _time(seconds: float) -> np.ndarray:
    return np.arange(round(seconds * _RATE), dtype=np.float64) / _RATE


def _bell(frequencies: tuple[float, ...], seconds: float, decay: float) -> np.ndarray:
    t = _time(seconds)
    tone = sum(np.sin(2 * np.pi * f * t) / (i + 1) for i, f in enumerate(frequencies))
    attack = np.minimum(t / 0.004, 1.0)  # 4 ms attack: no click at the onset
    return np.asarray(tone * attack * np.exp(-t / decay))


def _noise_sweep(seconds: float, rising: bool) -> np.ndarray:
    t = _time(seconds)
    noise = np.random.default_rng(7).standard_normal(t.size)
    # A moving one-pole low-pass: the cutoff sweeps, which the ear hears as air moving past.
    cutoff = np.linspace(300, 6000, t.size) if rising else np.linspace(6000, 300, t.size)
    alpha = 1 - np.exp(-2 * np.pi * cutoff / _RATE)
    out = np.empty_like(noise)
    state = 0.0
    for start in range(0, t.size, 256):  # blockwise: the coefficient changes slowly
        a = float(alpha[start])
        for index in range(start, min(start + 256, t.size)):
            state += a * (noise[index] - state)
            out[index] = state
    envelope = np.sin(np.pi * t / seconds) ** 2
    return np.asarray(out * envelope)


def _pop(seconds: float) -> np.ndarray:
    t = _time(seconds)
    frequency = 180 * np.exp(-t / 0.03) + 60
    phase = 2 * np.pi * np.cumsum(frequency) / _RATE
    return np.asarray(np.sin(phase) * np.exp(-t / 0.05) * np.minimum(t / 0.002, 1.0))


_GENERATORS: dict[str, Callable[[], np.ndarray]] = {
    "ding": lambda: _bell((1760.0, 3520.0, 5280.0), 1.2, 0.35),
    "chime": lambda: np.concatenate(
        [_bell((1318.5, 2637.0), 0.35, 0.2), _bell((1760.0, 3520.0), 1.0, 0.35)]
    ),
    "notification": lambda: np.concatenate(
        [_bell((987.8, 1975.5), 0.18, 0.08), _bell((1318.5, 2637.0), 0.6, 0.2)]
    ),
    "whoosh": lambda: _noise_sweep(0.8, rising=True),
    "swoosh": lambda: _noise_sweep(0.6, rising=False),
    "pop": lambda: _pop(0.25),
    "click": lambda: _bell((3000.0,), 0.03, 0.005),
}
EFFECTS = tuple(sorted(_GENERATORS))


def effect_audio(name: str) -> AudioBuffer:
    """A built-in effect, stereo at 48 kHz, peaking at -6 dBFS."""
    mono = _GENERATORS[name.lower()]()
    mono = mono / max(float(np.abs(mono).max()), 1e-9) * 0.5
    return AudioBuffer(np.vstack([mono, mono]).astype(np.float32), _RATE)
