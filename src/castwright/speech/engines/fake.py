"""FakeEngine: speech-shaped audio without speech, for tests and demos.

Deterministic (the same input always gives the same samples, in any process), fast, and
honest about timing: a tone with a little noise lasting 60 ms per character of text divided
by the rate, so tests of speed, chunking, mixing and timing behave as with a real engine.
"""

from __future__ import annotations

import zlib

import numpy as np

from castwright.audio import AudioBuffer
from castwright.errors import Invalid
from castwright.speech.engines.base import EngineVoice, SynthesisParams

__all__ = ["FakeEngine"]

_TONE_HZ = 220.0
_AMPLITUDE = 0.3
_NOISE = 0.02
_FADE_SECONDS = 0.01  # short ramps so concatenated chunks do not click


class FakeEngine:
    """A voice "fake" (en-US) that hums: 60 ms per character / rate at 22050 Hz.

    rate scales the duration, pitch the tone's frequency, volume its amplitude; any variant
    shifts the tone by a fixed amount derived from its name, so variants sound different.
    """

    name = "fake"
    version = "fake-1"
    sample_rate = 22050
    seconds_per_character = 0.06
    voice_id = "fake"

    def voices(self) -> list[EngineVoice]:
        return [
            EngineVoice(
                engine=self.name,
                voice_id=self.voice_id,
                language_code="en-US",
                language="english",
                accent="american",
            )
        ]

    def duration_for(self, text: str, rate: float = 1.0) -> float:
        """The exact duration ``synthesize`` gives ``text`` at ``rate``, in seconds."""
        return self._frames(text, rate) / self.sample_rate

    def _frames(self, text: str, rate: float) -> int:
        return round(len(text) * self.seconds_per_character / rate * self.sample_rate)

    def synthesize(self, text: str, voice_id: str, params: SynthesisParams) -> AudioBuffer:
        if voice_id != self.voice_id:
            raise Invalid(f"the fake engine has only the voice 'fake', not {voice_id!r}")
        params.check()
        frames = self._frames(text, params.rate)
        if frames == 0:
            return AudioBuffer.silence(0, self.sample_rate)
        frequency = _TONE_HZ * params.pitch
        if params.variant:
            # A stable (not per-process salted) shift of up to about a fifth.
            frequency *= 1.0 + (zlib.crc32(params.variant.encode()) % 50) / 100.0
        t = np.arange(frames, dtype=np.float64) / self.sample_rate
        tone = np.sin(2.0 * np.pi * frequency * t)
        noise = np.random.default_rng(zlib.crc32(text.encode())).standard_normal(frames)
        samples = _AMPLITUDE * tone + _NOISE * noise
        fade = min(frames // 2, round(_FADE_SECONDS * self.sample_rate))
        if fade:
            ramp = np.linspace(0.0, 1.0, fade)
            samples[:fade] *= ramp
            samples[-fade:] *= ramp[::-1]
        samples *= params.volume
        return AudioBuffer.mono(np.clip(samples, -1.0, 1.0), self.sample_rate)
