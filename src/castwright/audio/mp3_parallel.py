"""An MP3 file encoded in pieces on several cores, spliced into one gapless stream.

LAME is single-threaded, and on a minute of stereo at 320 kbps it is the largest single cost
of a delivery. The programme is cut on MP3 frame boundaries into one piece per core, each
encoded by its own LAME instance on its own thread, and the frames are joined in order:

* Frames are spliced only where they are self-contained: the bit reservoir is off, so no
  frame's data starts inside an earlier frame. (At 320 kbps it buys nothing measurable; the
  tests compare the error against the source with and without it.)
* A frame's audio depends on the signal around it (the MDCT overlaps the previous granule,
  the psychoacoustic model looks back). Each piece after the first starts ``_PRE_ROLL``
  frames early and each piece before the last runs ``_TAIL`` frames late; those frames are
  encoded and dropped, so every kept frame was made from the same signal around it as in one
  long encode. Pieces start on multiples of the frame length, so every piece's frames fall on
  the one stream's frame grid (LAME delays its input by the same amount in every instance).
* The first piece's Xing/Info tag is rewritten for the whole stream: frame and byte counts,
  the seek table, the end padding (what gapless decoders trim), the music length and both
  CRCs, exactly as LAME lays them out.
"""

from __future__ import annotations

import itertools
import struct
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from castwright.audio.lame import LameEncoder

__all__ = ["Frame", "crc16", "encode_mp3_parallel", "frames_of", "samples_per_frame"]

_PRE_ROLL = 8  # frames encoded before a piece's first kept frame, then dropped
_TAIL = 4  # frames encoded past a piece's last kept frame, then dropped
# MPEG version (header bits 19-20: 3 = 1, 2 = 2, 0 = 2.5) -> Layer III bit rates, sample rates.
_BIT_RATES = {
    3: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_BIT_RATES[0] = _BIT_RATES[2]
_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
_XING_FIELDS = 0xF  # frames, bytes, seek table, quality: what LAME writes


@dataclass(frozen=True)
class Frame:
    offset: int
    length: int
    samples: int  # audio samples per channel the frame holds: 1152 (MPEG-1) or 576
    side_info: int  # bytes of side information after the 4-byte header


def _frame_at(data: bytes, offset: int) -> Frame:
    header = int.from_bytes(data[offset : offset + 4], "big")
    version, layer = (header >> 19) & 3, (header >> 17) & 3
    rate_index, bit_index = (header >> 10) & 3, (header >> 12) & 15
    if header >> 21 != 0x7FF or layer != 1 or version == 1 or rate_index == 3:
        raise ValueError(f"no MPEG Layer III frame at byte {offset}")
    if bit_index in (0, 15):
        raise ValueError(f"free-format or invalid bit rate at byte {offset}")
    rate = _SAMPLE_RATES[version][rate_index]
    kbps = _BIT_RATES[version][bit_index]
    padding = (header >> 9) & 1
    mono = (header >> 6) & 3 == 3
    if version == 3:
        return Frame(offset, 144_000 * kbps // rate + padding, 1152, 17 if mono else 32)
    return Frame(offset, 72_000 * kbps // rate + padding, 576, 9 if mono else 17)


def frames_of(data: bytes) -> list[Frame]:
    """Every frame of a bare MP3 stream (no ID3 tags), in order."""
    frames, offset = [], 0
    while offset < len(data):
        frame = _frame_at(data, offset)
        frames.append(frame)
        offset += frame.length
    if offset != len(data):
        raise ValueError("the stream ends inside a frame")
    return frames


# -- CRC-16 (polynomial 0x8005 reflected, initial 0: "CRC-16/ARC"), as LAME's tag uses --------


@cache
def _crc_tables(block: int) -> tuple[npt.NDArray[np.uint16], npt.NDArray[np.uint16]]:
    """(per position in a block, per byte value: that byte's contribution to the block's CRC;
    per 16-bit state: the state after ``block`` more zero bytes, as two byte-indexed halves
    stacked). With initial value 0 the CRC is linear in the message, so a block's CRC is the
    XOR of its bytes' contributions, and blocks chain by advancing the state over a block."""
    byte = np.arange(256, dtype=np.uint32)
    table = byte.copy()
    for _ in range(8):
        table = np.where(table & 1, (table >> 1) ^ 0xA001, table >> 1)

    def zero_byte(state: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
        return np.asarray((state >> 8) ^ table[state & 0xFF], dtype=np.uint32)

    contributions = np.empty((block, 256), dtype=np.uint16)
    row = table  # the last byte of a block: its CRC from state 0
    for position in range(block - 1, -1, -1):
        contributions[position] = row
        row = zero_byte(row)
    low, high = byte.copy(), np.asarray(byte << 8, dtype=np.uint32)
    for _ in range(block):
        low, high = zero_byte(low), zero_byte(high)
    return contributions, np.stack([low, high]).astype(np.uint16)


def crc16(data: bytes, block: int = 1024) -> int:
    """CRC-16/ARC of ``data``, vectorised (a byte-at-a-time loop in Python takes seconds for
    a few megabytes)."""
    contributions, advance = _crc_tables(block)
    padded = np.zeros(-(-len(data) // block) * block, dtype=np.uint8)
    padded[padded.size - len(data) :] = np.frombuffer(data, dtype=np.uint8)  # leading zeros
    rows = padded.reshape(-1, block)  # are free: from state 0 they leave it at 0
    per_block = np.bitwise_xor.reduce(contributions[np.arange(block), rows], axis=1)
    state = 0
    for value in per_block.tolist():
        state = int(advance[0, state & 0xFF] ^ advance[1, state >> 8]) ^ value
    return state


# -- the splice -------------------------------------------------------------------------------


def samples_per_frame(sample_rate: int) -> int:
    """Samples per channel in one Layer III frame at ``sample_rate``."""
    return 1152 if sample_rate >= 32_000 else 576


def encode_mp3_parallel(
    samples: npt.NDArray[np.float32],
    sample_rate: int,
    open_encoder: Callable[[], LameEncoder],
    pieces: int,
) -> bytes:
    """One MP3 stream (Info tag first) of ``samples`` ([channels, frames] float32), encoded
    in ``pieces`` on as many threads. ``open_encoder`` makes an encoder with the stream's
    settings, its Info tag on and its bit reservoir off."""
    per_frame = samples_per_frame(sample_rate)
    total = samples.shape[1]
    count = -(-total // per_frame)
    bounds = [round(k * count / pieces) for k in range(pieces + 1)]
    if pieces < 2 or min(b - a for a, b in itertools.pairwise(bounds)) <= _PRE_ROLL + _TAIL:
        raise ValueError("too short to encode in this many pieces")

    def piece(k: int) -> tuple[bytes, list[bytes]]:
        last = k == pieces - 1
        start = max(0, bounds[k] - _PRE_ROLL)
        stop = total if last else min(total, (bounds[k + 1] + _TAIL) * per_frame)
        with open_encoder() as encoder:
            body = encoder.encode(samples[:, start * per_frame : stop]) + encoder.flush()
            tag = encoder.info_tag()
        music = frames_of(body)[1:]  # the first frame is the Info tag's placeholder
        skip = bounds[k] - start
        kept = music[skip:] if last else music[skip : skip + bounds[k + 1] - bounds[k]]
        if not last and len(kept) != bounds[k + 1] - bounds[k]:
            raise RuntimeError(f"LAME made {len(music)} frames for piece {k}; too few to splice")
        return tag, [body[f.offset : f.offset + f.length] for f in kept]

    with ThreadPoolExecutor(max_workers=pieces, thread_name_prefix="castwright-lame") as pool:
        done = list(pool.map(piece, range(pieces)))
    tag, _ = done[0]
    frames = [frame for _, kept in done for frame in kept]
    music = b"".join(frames)
    return _whole_stream_tag(tag, [len(f) for f in frames], music, total, per_frame) + music


def _whole_stream_tag(
    tag: bytes, sizes: list[int], music: bytes, samples: int, per_frame: int
) -> bytes:
    """The first piece's Info tag frame, rewritten to describe the spliced stream."""
    out = bytearray(tag)
    xing = 4 + _frame_at(tag, 0).side_info
    (fields,) = struct.unpack_from(">I", out, xing + 4)
    if (
        bytes(out[xing : xing + 4]) not in (b"Xing", b"Info")
        or fields & _XING_FIELDS != _XING_FIELDS
    ):
        raise RuntimeError("LAME's first frame is not the Info tag this rewrite expects")
    stream_bytes = len(tag) + len(music)
    struct.pack_into(">II", out, xing + 8, len(sizes), stream_bytes)
    # The seek table: where in the file (in 256ths) each percent of the duration starts.
    starts = len(tag) + np.concatenate([[0], np.cumsum(sizes)[:-1]])
    at = starts[(np.arange(100) * len(sizes)) // 100] * 256 // stream_bytes
    at[0] = 0
    out[xing + 16 : xing + 116] = np.minimum(at, 255).astype(np.uint8).tobytes()
    lame = xing + 120  # after the quality field: LAME's extension
    if out[lame : lame + 4] != b"LAME":
        raise RuntimeError("LAME's Info tag has no LAME extension")
    delay = int.from_bytes(out[lame + 21 : lame + 24], "big") >> 12
    padding = len(sizes) * per_frame - samples - delay
    if not 0 <= padding < 4096:
        raise RuntimeError(f"the spliced stream has {padding} samples of padding")
    out[lame + 21 : lame + 24] = ((delay << 12) | padding).to_bytes(3, "big")
    struct.pack_into(">IH", out, lame + 28, stream_bytes, crc16(music))
    struct.pack_into(">H", out, lame + 34, crc16(bytes(out[: lame + 34])))
    return bytes(out)
