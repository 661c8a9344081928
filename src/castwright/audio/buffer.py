"""AudioBuffer: float32 samples shaped [channels, frames] with their sample rate.

Bytes exist only at the edges (storage, HTTP); inside Castwright audio travels as this type.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

__all__ = ["AudioBuffer", "AudioChunk"]

Samples = npt.NDArray[np.float32]


@dataclass(frozen=True)
class AudioBuffer:
    """Immutable audio: ``samples`` is float32 in [-1, 1], shape ``[channels, frames]``."""

    samples: Samples
    sample_rate: int

    def __post_init__(self) -> None:
        if self.samples.ndim != 2:
            raise ValueError("samples must be shaped [channels, frames]")
        if self.samples.dtype != np.float32:
            object.__setattr__(self, "samples", self.samples.astype(np.float32))
        if self.sample_rate <= 0:
            raise ValueError("sample_rate must be positive")

    @classmethod
    def mono(cls, samples: npt.ArrayLike, sample_rate: int) -> AudioBuffer:
        array = np.asarray(samples, dtype=np.float32).reshape(1, -1)
        return cls(array, sample_rate)

    @classmethod
    def silence(cls, seconds: float, sample_rate: int, channels: int = 1) -> AudioBuffer:
        frames = max(0, round(seconds * sample_rate))
        return cls(np.zeros((channels, frames), dtype=np.float32), sample_rate)

    @property
    def channels(self) -> int:
        return int(self.samples.shape[0])

    @property
    def frames(self) -> int:
        return int(self.samples.shape[1])

    @property
    def duration(self) -> float:
        return self.frames / self.sample_rate


@dataclass(frozen=True)
class AudioChunk:
    """A piece of synthesised speech (usually one sentence) and the text it speaks."""

    audio: AudioBuffer
    text: str = ""
    meta: dict[str, object] = field(default_factory=dict)
