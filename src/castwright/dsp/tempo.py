"""Tempo and silence: speed speech up without changing its pitch, find and resize its pauses.

``time_stretch`` is WSOLA (waveform-similarity overlap-add): the output is built from windowed
frames of the input taken ``rate`` times further apart than they are laid down, each frame
nudged (within 10 ms) to where it best continues the previous one, so voiced sound keeps its
period and the pitch does not move. Good for the modest rates a speech needs (up to 1.5x).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from castwright.audio import AudioBuffer

__all__ = ["SilentRun", "resize_runs", "silent_runs", "time_stretch"]

_FRAME_SECONDS = 0.03
_SEARCH_SECONDS = 0.01


def time_stretch(audio: AudioBuffer, rate: float) -> AudioBuffer:
    """``audio`` played ``rate`` times as fast (rate 1.25: 80 % of the length), same pitch.

    The result has exactly round(frames / rate) frames.
    """
    if rate <= 0:
        raise ValueError("rate must be positive")
    target = round(audio.frames / rate)
    if rate == 1.0 or audio.frames == 0:
        return audio
    frame = max(16, int(_FRAME_SECONDS * audio.sample_rate) // 2 * 2)
    hop_out = frame // 2
    hop_in = hop_out * rate
    tolerance = int(_SEARCH_SECONDS * audio.sample_rate)
    window = np.hanning(frame).astype(np.float64)
    channels = [_stretch(c.astype(np.float64), hop_in, hop_out, frame, tolerance, window, target)
                for c in audio.samples]  # fmt: skip
    return AudioBuffer(np.vstack(channels).astype(np.float32), audio.sample_rate)


def _stretch(
    signal: npt.NDArray[np.float64],
    hop_in: float,
    hop_out: int,
    frame: int,
    tolerance: int,
    window: npt.NDArray[np.float64],
    target: int,
) -> npt.NDArray[np.float64]:
    padded = np.concatenate([np.zeros(tolerance + frame), signal, np.zeros(tolerance + 2 * frame)])
    base = tolerance + frame  # where the signal starts in ``padded``
    frames = target // hop_out + 2
    out = np.zeros(frames * hop_out + frame)
    weight = np.zeros_like(out)
    previous = base
    for index in range(frames):
        ideal = base + round(index * hop_in)
        if index == 0:
            position = ideal
        else:
            natural = padded[previous + hop_out : previous + hop_out + frame]
            start = max(0, ideal - tolerance)
            region = padded[start : ideal + tolerance + frame]
            if region.size < frame or not natural.any():
                position = ideal
            else:
                scores = np.correlate(region, natural, mode="valid")
                position = start + int(np.argmax(scores))
        piece = padded[position : position + frame]
        if piece.size < frame:
            break
        at = index * hop_out
        out[at : at + frame] += piece * window
        weight[at : at + frame] += window
        previous = position
    # The first half-window has only a rising edge: the signal starts hop_out later there.
    result = out / np.maximum(weight, 1e-3)
    return result[:target] if result.size >= target else np.pad(result, (0, target - result.size))


@dataclass(frozen=True)
class SilentRun:
    start: int  # first silent frame
    end: int  # one past the last silent frame

    @property
    def frames(self) -> int:
        return self.end - self.start


def silent_runs(audio: AudioBuffer, threshold: float, min_seconds: float) -> list[SilentRun]:
    """Stretches where every channel stays within ``threshold`` (linear amplitude) for at least
    ``min_seconds``, in order; a run may start at 0 or end at the last frame."""
    if audio.frames == 0:
        return []
    quiet = np.all(np.abs(audio.samples) <= threshold, axis=0)
    edges = np.diff(np.concatenate([[0], quiet.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    shortest = round(min_seconds * audio.sample_rate)
    return [
        SilentRun(int(s), int(e)) for s, e in zip(starts, ends, strict=True) if e - s >= shortest
    ]


def resize_runs(audio: AudioBuffer, runs: list[SilentRun], new_frames: list[int]) -> AudioBuffer:
    """``audio`` with each silent run cut (from its middle) or kept to ``new_frames`` frames."""
    pieces: list[npt.NDArray[np.float32]] = []
    cursor = 0
    for run, keep in zip(runs, new_frames, strict=True):
        keep = max(0, min(keep, run.frames))
        pieces.append(audio.samples[:, cursor : run.start])
        before = keep // 2
        # Keep the run's edges (the speech's own decay and onset) and drop its middle.
        pieces.append(audio.samples[:, run.start : run.start + before])
        pieces.append(audio.samples[:, run.end - (keep - before) : run.end])
        cursor = run.end
    pieces.append(audio.samples[:, cursor:])
    return AudioBuffer(np.concatenate(pieces, axis=1), audio.sample_rate)
