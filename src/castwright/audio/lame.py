"""The system's LAME (libmp3lame) through ctypes: one encoder instance, for files and streams.

PyAV's wheels bundle a LAME build that runs about 3.5 times slower than Debian's (same
LAME 3.100, same calls, same output size: 3.2 s against 0.95 s of CPU for 60 s of stereo at
320 kbps). Where the system has libmp3lame it encodes; else callers fall back on PyAV's.
ctypes releases the GIL for the length of each call, so instances on different threads
encode in parallel (see :mod:`castwright.audio.mp3_parallel`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache

import numpy as np
import numpy.typing as npt

__all__ = ["LameEncoder", "system_lame"]

_VBR_MTRH = 4  # vbr_default, what FFmpeg's wrapper selects for -q:a
_JOINT_STEREO, _MONO = 1, 3
_CHUNK = 8192  # frames per call: big enough to amortise the calls
# LAME's documented worst case for an output buffer: 1.25 * samples + 7200 bytes.
_OUT_BYTES = _CHUNK * 5 // 4 + 7200


@cache
def system_lame() -> ctypes.CDLL | None:
    try:
        lame = ctypes.CDLL(ctypes.util.find_library("mp3lame") or "libmp3lame.so.0")
    except OSError:
        return None
    pointer, int_ = ctypes.c_void_p, ctypes.c_int
    lame.lame_init.restype = pointer
    for setter in (
        "lame_set_in_samplerate",
        "lame_set_out_samplerate",
        "lame_set_num_channels",
        "lame_set_mode",
        "lame_set_VBR",
        "lame_set_brate",
        "lame_set_bWriteVbrTag",
        "lame_set_disable_reservoir",
    ):
        getattr(lame, setter).argtypes = [pointer, int_]
    lame.lame_set_VBR_quality.argtypes = [pointer, ctypes.c_float]
    lame.lame_init_params.argtypes = [pointer]
    lame.lame_encode_buffer_ieee_float.argtypes = [pointer, pointer, pointer, int_, pointer, int_]
    lame.lame_encode_flush.argtypes = [pointer, pointer, int_]
    lame.lame_get_lametag_frame.argtypes = [pointer, pointer, ctypes.c_size_t]
    lame.lame_get_lametag_frame.restype = ctypes.c_size_t
    lame.lame_close.argtypes = [pointer]
    return lame


class LameEncoder:
    """One LAME instance: float32 [channels, frames] in, MP3 frames out.

    ``bit_rate`` is kbps for CBR, or the V level (0 best … 9) when ``variable``. With
    ``info_tag`` LAME's first frame is a placeholder for the Xing/Info tag, whose final bytes
    :meth:`info_tag` gives after :meth:`flush` (a file seeks back to write it; a stream cannot
    and goes without). Without the ``reservoir`` every frame carries all its own bits, so
    frames from separate instances can be spliced."""

    def __init__(
        self,
        lame: ctypes.CDLL,
        sample_rate: int,
        channels: int,
        bit_rate: int,
        *,
        variable: bool = False,
        info_tag: bool = True,
        reservoir: bool = True,
    ) -> None:
        self._lame = lame
        flags = lame.lame_init()
        if not flags:
            raise MemoryError("lame_init failed")
        self._flags: int | None = flags
        self._out = ctypes.create_string_buffer(_OUT_BYTES)
        lame.lame_set_in_samplerate(flags, sample_rate)
        lame.lame_set_out_samplerate(flags, sample_rate)  # or LAME picks its own
        lame.lame_set_num_channels(flags, channels)
        lame.lame_set_mode(flags, _JOINT_STEREO if channels == 2 else _MONO)
        lame.lame_set_bWriteVbrTag(flags, int(info_tag))
        lame.lame_set_disable_reservoir(flags, int(not reservoir))
        if variable:
            lame.lame_set_VBR(flags, _VBR_MTRH)
            lame.lame_set_VBR_quality(flags, float(bit_rate))
        else:
            lame.lame_set_VBR(flags, 0)
            lame.lame_set_brate(flags, bit_rate)
        if lame.lame_init_params(flags) < 0:
            self.close()
            kind = f"V{bit_rate}" if variable else f"{bit_rate} kbps"
            raise ValueError(f"LAME refuses {kind} at {sample_rate} Hz, {channels} channel(s)")

    def encode(self, samples: npt.NDArray[np.float32]) -> bytes:
        if self._flags is None:
            raise RuntimeError("the encoder is closed")
        samples = np.ascontiguousarray(samples, dtype=np.float32)
        left = samples[0]
        right = samples[1] if samples.shape[0] == 2 else left  # LAME ignores it for mono
        parts = []
        for first in range(0, samples.shape[1], _CHUNK):
            count = min(_CHUNK, samples.shape[1] - first)
            size = self._lame.lame_encode_buffer_ieee_float(
                self._flags,
                left.ctypes.data + 4 * first,
                right.ctypes.data + 4 * first,
                count,
                self._out,
                _OUT_BYTES,
            )
            if size < 0:
                raise RuntimeError(f"LAME failed to encode (error {size})")
            parts.append(self._out.raw[:size])
        return b"".join(parts)

    def flush(self) -> bytes:
        """The frames still held (the look-ahead and the last frame's padding)."""
        if self._flags is None:
            return b""
        size = self._lame.lame_encode_flush(self._flags, self._out, _OUT_BYTES)
        return self._out.raw[: max(size, 0)]

    def info_tag(self) -> bytes:
        """The finished Xing/Info frame (frame count, delay and padding, CRCs), after
        :meth:`flush`; empty when the encoder writes none."""
        if self._flags is None:
            return b""
        size = self._lame.lame_get_lametag_frame(self._flags, self._out, _OUT_BYTES)
        return self._out.raw[:size] if 0 < size <= _OUT_BYTES else b""

    def close(self) -> None:
        if self._flags is not None:
            self._lame.lame_close(self._flags)
            self._flags = None

    def __enter__(self) -> LameEncoder:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def __del__(self) -> None:  # a stream cancelled mid-way never reaches close()
        if getattr(self, "_flags", None) is not None:
            self.close()
