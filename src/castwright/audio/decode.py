"""Decoding any audio file FFmpeg reads into an AudioBuffer (float32, planar).

Used to read users' media for the mixer and to check what the encoder wrote. Damage is
treated as ``castwright.files.probe`` treats it: a bad packet is skipped, a bad tail ends the
audio, and only a file with no decodable audio at all is refused. Encoder delay
and padding are removed as FFmpeg removes them (LAME's Info tag, Opus pre-skip, Ogg granule
positions, the start of an MP4 edit list), so a gapless file decodes to its real length.
"""

from __future__ import annotations

import io
import os
import wave
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt

from castwright.audio.buffer import AudioBuffer
from castwright.audio.wav import decode_wav
from castwright.errors import Invalid

__all__ = ["Source", "UndecodableAudio", "decode"]

Source = bytes | str | os.PathLike[str] | BinaryIO
_LAYOUTS = {1: "mono", 2: "stereo"}


class UndecodableAudio(Invalid):
    """No audio could be decoded from the input."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, field="file")
        self.reason = reason


def decode(source: Source, *, channels: int | None = None) -> AudioBuffer:
    """The first audio stream of ``source``, at its own sample rate.

    ``channels`` (1 or 2) mixes down or up with FFmpeg's standard matrices (5.1 to stereo
    included); None keeps the stream's channels.
    """
    import av  # imported here: loading FFmpeg is not free, and most callers never decode

    if channels is not None and channels not in _LAYOUTS:
        raise ValueError(f"channels must be 1 or 2, not {channels}")
    plain = _plain_wav(source)
    if plain is not None and channels in (None, plain.channels):
        return plain
    opened: Any = io.BytesIO(source) if isinstance(source, bytes) else source
    if isinstance(opened, os.PathLike):
        opened = os.fspath(opened)
    try:
        container = av.open(opened, "r", metadata_errors="replace")
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise UndecodableAudio(f"not a readable media file ({_why(exc)})") from None
    with container:
        if not container.streams.audio:
            raise UndecodableAudio("has no audio stream")
        stream = container.streams.audio[0]
        layout = _LAYOUTS[channels] if channels is not None else None
        # Planar float at the stream's own rate; rate conversion is soxr's job, not this one.
        resampler: Any = av.AudioResampler(format="fltp", layout=layout)
        blocks: list[npt.NDArray[np.float32]] = []
        rate = 0
        try:
            for packet in container.demux(stream):
                try:
                    frames = packet.decode()
                except av.error.FFmpegError:
                    continue  # one damaged packet: players skip it, and so does the probe
                for frame in frames:
                    if not rate:
                        rate = frame.sample_rate
                        # A decoder that already gives planar float (MP3, AAC, Vorbis, Opus)
                        # needs no conversion: its frames are copied out as they are.
                        if layout is None and frame.format.name == "fltp":
                            resampler = None
                    if resampler is None:
                        blocks.append(_planar(frame))
                    else:
                        blocks.extend(_planar(converted) for converted in resampler.resample(frame))
        except av.error.FFmpegError as exc:
            # A damaged tail: what decoded before it still plays (as files.probe counts it).
            if not rate:
                raise UndecodableAudio(f"damaged audio ({_why(exc)})") from None
        if rate and resampler is not None:
            blocks.extend(_planar(converted) for converted in resampler.resample(None))
    if not rate or not blocks:
        raise UndecodableAudio("contains no decodable audio")
    return AudioBuffer(np.concatenate(blocks, axis=1) if len(blocks) > 1 else blocks[0], rate)


def _plain_wav(source: Source) -> AudioBuffer | None:
    """A PCM WAV file read straight into an array: what the mixer stores and reads back, and
    most uploads. Opening a file in FFmpeg costs more than reading a minute of it this way."""
    if isinstance(source, str | os.PathLike):
        try:
            with open(source, "rb") as file:
                if file.read(12)[8:12] != b"WAVE":
                    return None
                file.seek(0)
                data = file.read()
        except OSError:
            return None  # FFmpeg says what is wrong with it
    elif isinstance(source, bytes) and source[8:12] == b"WAVE":
        data = source
    else:
        return None
    try:
        audio = decode_wav(data)
    except (wave.Error, EOFError, ValueError):
        return None  # float samples, WAVE_FORMAT_EXTENSIBLE, damage: FFmpeg's job
    return audio if audio.frames else None


def _planar(frame: Any) -> npt.NDArray[np.float32]:
    samples: npt.NDArray[np.float32] = frame.to_ndarray()
    return samples


def _why(exc: BaseException) -> str:
    return str(getattr(exc, "strerror", None) or type(exc).__name__)
