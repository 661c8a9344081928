"""Encoding a finished programme into one delivery file, one encoder per output.

The buffer is first conformed to the settings (channels mapped, resampled with soxr, and for
16-bit PCM quantised with TPDF dither), then handed to exactly one encoder: PyAV (FFmpeg) for
wav, flac, opus, aac and m4a; LAME for mp3 (the system's, audio/lame.py, when present, as
it runs about 3.5 times faster than the build inside PyAV's wheels, and on every core for a
long programme, audio/mp3_parallel.py; else PyAV's); and libvorbis for ogg. PyAV's wheels
carry no libvorbis, and FFmpeg's own Vorbis encoder is experimental, stereo-only and ignores
bit rates (14 dB SNR on test chords where libvorbis gives 28 to 38 dB), so ogg goes to the
system's libvorbis through ctypes, the last part of this module.

Encoders that prime or pad (LAME, AAC, Opus, Vorbis) write the delay and padding where the
container can carry it (LAME's Info tag, the MP4 edit list, Ogg granule positions), so a
decoder that honours it, FFmpeg included, gets back exactly the programme's length.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import io
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from typing import BinaryIO, TypeAlias

import numpy as np
import numpy.typing as npt
import soxr

from castwright.audio.buffer import AudioBuffer
from castwright.audio.lame import LameEncoder, system_lame
from castwright.audio.mp3_parallel import encode_mp3_parallel
from castwright.audio.presets import VBR_NOMINAL_KBPS, EncoderSettings

__all__ = ["EncoderUnavailable", "Target", "conform", "encode", "encode_to"]

Target: TypeAlias = str | os.PathLike[str] | BinaryIO

_Samples: TypeAlias = npt.NDArray[np.float32] | npt.NDArray[np.int16] | npt.NDArray[np.int32]
_CHUNK = 8192  # frames per hand-over to an encoder: big enough to amortise the calls
_FF_QP2LAMBDA = 118  # FFmpeg's global_quality unit: LAME's -V n is n * FF_QP2LAMBDA
_DITHER_SEED = 0x43617374  # fixed, so the same programme always encodes to the same bytes

# FFmpeg's muxer and encoder per format.
_CONTAINERS = {"mp3": "mp3", "wav": "wav", "flac": "flac", "opus": "ogg", "aac": "adts"}
_CONTAINERS["m4a"] = "ipod"  # FFmpeg's name for the .m4a flavour of MP4
_PCM_CODECS = {16: "pcm_s16le", 24: "pcm_s24le", 32: "pcm_s32le"}
_LOSSY_CODECS = {"mp3": "libmp3lame", "opus": "libopus", "aac": "aac", "m4a": "aac"}


class EncoderUnavailable(RuntimeError):
    """This installation lacks a library the format needs (libvorbis for ogg)."""


def encode(buffer: AudioBuffer, settings: EncoderSettings) -> bytes:
    out = io.BytesIO()
    encode_to(out, buffer, settings)
    return out.getvalue()


def encode_to(target: Target, buffer: AudioBuffer, settings: EncoderSettings) -> None:
    """Write the encoded file to a path or a binary file object. A file object must be
    seekable: wav, flac and mp3 go back to the start at the end, to write sizes, the stream
    summary and the gapless tag."""
    if buffer.frames == 0:
        # Lossy encoders emit no frame for no input, and a headers-only mp3 or aac is no
        # file a player (or ffprobe) accepts.
        raise ValueError("an empty programme has nothing to encode")
    audio = conform(buffer, settings)
    if settings.format == "ogg":
        _to_file(target, lambda file: _write_vorbis(file, audio, settings))
    elif settings.format == "mp3" and _lame_tag_fits(settings) and (lame := system_lame()):
        _to_file(target, lambda file: _write_lame(lame, file, audio, settings))
    elif settings.format == "m4a" and not isinstance(target, str | os.PathLike):
        # moov before mdat (progressive playback) is a second pass FFmpeg makes by reopening
        # the output by name, so an in-memory target goes through a temporary file.
        with tempfile.TemporaryDirectory(prefix="castwright-encode-") as folder:
            path = os.path.join(folder, "out.m4a")
            _encode_pyav(path, audio, settings)
            with open(path, "rb") as encoded:
                shutil.copyfileobj(encoded, target)
    else:
        _encode_pyav(target, audio, settings)


def _to_file(target: Target, write: Callable[[BinaryIO], None]) -> None:
    if isinstance(target, str | os.PathLike):
        with open(target, "wb") as file:
            write(file)
    else:
        write(target)


def conform(buffer: AudioBuffer, settings: EncoderSettings) -> AudioBuffer:
    """``buffer`` at the settings' channel count and sample rate (float32, unquantised)."""
    samples = buffer.samples
    if settings.channels == 1 and buffer.channels > 1:
        samples = samples.mean(axis=0, keepdims=True)  # before resampling: half the work
    elif settings.channels == 2 and buffer.channels > 2:
        raise ValueError(f"cannot map {buffer.channels} channels to stereo; mix down first")
    if buffer.sample_rate != settings.sample_rate and buffer.frames:
        # HQ's 20-bit precision is far under a 16-bit or lossy output's noise, and it takes
        # two thirds of VHQ's time; 24- and 32-bit outputs get VHQ's 28 bits.
        quality = "VHQ" if (settings.bit_depth or 16) > 16 else "HQ"
        resampled = soxr.resample(samples.T, buffer.sample_rate, settings.sample_rate, quality)
        samples = np.ascontiguousarray(resampled.T, dtype=np.float32)
    if settings.channels == 2 and samples.shape[0] == 1:
        samples = np.repeat(samples, 2, axis=0)
    return AudioBuffer(samples, settings.sample_rate)


# --- PyAV (FFmpeg) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    container: str
    codec: str
    sample_format: str  # what the encoder takes and we hand it: no conversion inside PyAV
    bit_rate: int | None  # bits per second
    codec_options: dict[str, str]
    container_options: dict[str, str]


def _plan(settings: EncoderSettings) -> _Plan:
    fmt, kind, rate = settings.format, settings.bit_rate_type, settings.bit_rate
    container = _CONTAINERS[fmt]
    if fmt == "wav" or fmt == "flac":
        depth = settings.bit_depth or 16
        codec = _PCM_CODECS[depth] if fmt == "wav" else "flac"
        # pcm_s24le and 24-bit flac take 32-bit words holding the sample in the top 24 bits.
        return _Plan(container, codec, "s16" if depth == 16 else "s32", None, {}, {})
    if rate is None:
        raise ValueError(f"{fmt} needs a bit rate")
    codec = _LOSSY_CODECS[fmt]
    options: dict[str, str] = {}
    container_options: dict[str, str] = {}
    bits: int | None = rate * 1000
    if fmt == "mp3" and kind == "variable":
        # As AVOptions, not PyAV properties: PyAV releases differ in global_quality's unit.
        options = {"flags": "+qscale", "global_quality": str(rate * _FF_QP2LAMBDA)}
        bits = None
    elif fmt == "opus":
        options = {"vbr": "on" if kind == "variable" else "off"}
        if kind == "variable":
            # Level n aims at LAME Vn's average (stereo figures; mono needs half).
            bits = VBR_NOMINAL_KBPS[rate] * 1000 * settings.channels // 2
        return _Plan(container, codec, "flt", bits, options, {})  # libopus: packed only
    elif fmt == "m4a":
        container_options = {"movflags": "+faststart"}
    return _Plan(container, codec, "fltp", bits, options, container_options)


def _encode_pyav(target: Target, audio: AudioBuffer, settings: EncoderSettings) -> None:
    import av  # imported here: loading FFmpeg is not free, and most callers never encode

    plan = _plan(settings)
    layout = "mono" if audio.channels == 1 else "stereo"
    rate = audio.sample_rate
    output = target if not isinstance(target, os.PathLike) else os.fspath(target)
    with av.open(output, "w", format=plan.container, options=plan.container_options) as out:
        stream = out.add_stream(plan.codec, rate=rate, layout=layout, options=plan.codec_options)
        if not isinstance(stream, av.audio.stream.AudioStream):
            raise TypeError(f"{plan.codec} is not an audio encoder")
        stream.codec_context.format = plan.sample_format
        if plan.bit_rate is not None:
            stream.codec_context.bit_rate = plan.bit_rate
        time_base = Fraction(1, rate)
        for start, block in _blocks(audio, settings, plan.sample_format):
            frame = av.AudioFrame.from_ndarray(block, format=plan.sample_format, layout=layout)
            frame.sample_rate, frame.pts, frame.time_base = rate, start, time_base
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))  # flush: the encoder's look-ahead and padding


def _blocks(
    audio: AudioBuffer, settings: EncoderSettings, sample_format: str
) -> Iterator[tuple[int, _Samples]]:
    """(first frame, samples) in the layout PyAV's ``from_ndarray`` wants for the format."""
    if sample_format == "fltp":
        for start in range(0, audio.frames, _CHUNK):
            yield start, np.ascontiguousarray(audio.samples[:, start : start + _CHUNK])
        return
    # Packed: interleave once ([frames, channels]); each block is then a view.
    samples = audio.samples if sample_format == "flt" else _to_pcm(audio.samples, settings)
    interleaved = samples.T.copy()
    for start in range(0, audio.frames, _CHUNK):
        yield start, interleaved[start : start + _CHUNK].reshape(1, -1)


def _to_pcm(
    samples: npt.NDArray[np.float32], settings: EncoderSettings
) -> npt.NDArray[np.int16] | npt.NDArray[np.int32]:
    depth = settings.bit_depth or 16
    if depth == 16:
        # TPDF dither (two uniform LSB-wide variates): the rounding error becomes signal-
        # independent noise at -96 dBFS instead of distortion that follows quiet fades.
        rng = np.random.default_rng(_DITHER_SEED)
        scaled = samples * np.float32(32768.0)
        scaled += rng.random(samples.shape, dtype=np.float32)
        scaled -= rng.random(samples.shape, dtype=np.float32)
        np.rint(scaled, out=scaled)
        np.clip(scaled, -32768, 32767, out=scaled)
        return scaled.astype(np.int16)
    if depth == 24:
        # float32 holds 24 significant bits, so scaling by 2**23 and rounding is exact.
        scaled = np.rint(samples * np.float32(8388608.0))
        np.clip(scaled, -8388608, 8388607, out=scaled)
        words: npt.NDArray[np.int32] = scaled.astype(np.int32)
        np.left_shift(words, 8, out=words)
        return words
    wide = np.rint(samples.astype(np.float64) * 2147483648.0)  # 2**31 would overflow float32
    np.clip(wide, -2147483648, 2147483647, out=wide)
    return wide.astype(np.int32)


# --- mp3: the system's LAME through ctypes, when there is one ----------------------------------

_LAME_TAG_BYTES = 4 + 156  # frame header, then LAME's Xing/Info tag with its extension
# A programme at least this long is encoded in pieces on every core (see mp3_parallel): below
# it, starting threads and the pieces' overlaps cost about what they save.
_PARALLEL_MP3_SECONDS = 20.0


def _lame_tag_fits(settings: EncoderSettings) -> bool:
    """Whether LAME's Info tag (which carries the gapless delay and padding) fits in one
    frame. LAME writes it at the stream's own bit rate and silently drops it when the frame is
    too small (CBR under about 64 kbps, e.g. mp3_alexa's 48 kbps); FFmpeg's muxer then does
    better, writing its tag at a bit rate big enough, so those go through PyAV."""
    if settings.bit_rate_type == "variable" or settings.bit_rate is None:
        return True  # LAME picks a roomy bit rate for a VBR stream's tag frame
    mpeg1 = settings.sample_rate >= 32_000
    frame_bytes = (144 if mpeg1 else 72) * settings.bit_rate * 1000 // settings.sample_rate
    side_info = {(True, 2): 32, (True, 1): 17, (False, 2): 17, (False, 1): 9}
    return frame_bytes >= _LAME_TAG_BYTES + side_info[(mpeg1, settings.channels)]


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _write_lame(
    lame: ctypes.CDLL, file: BinaryIO, audio: AudioBuffer, settings: EncoderSettings
) -> None:
    if settings.bit_rate is None:
        raise ValueError("mp3 needs a bit rate")
    bit_rate, variable = settings.bit_rate, settings.bit_rate_type == "variable"

    def open_encoder(reservoir: bool) -> LameEncoder:
        return LameEncoder(
            lame,
            audio.sample_rate,
            audio.channels,
            bit_rate,
            variable=variable,
            reservoir=reservoir,
        )

    pieces = min(_cores(), int(audio.duration // _PARALLEL_MP3_SECONDS))
    if pieces > 1:
        stream = encode_mp3_parallel(
            audio.samples, audio.sample_rate, lambda: open_encoder(False), pieces
        )
        file.write(stream)
        return
    with open_encoder(True) as encoder:
        start = file.tell()
        file.write(encoder.encode(audio.samples))
        file.write(encoder.flush())
        # The first frame was a placeholder Info tag; now that LAME knows the frame count,
        # delay and padding, the real one (what makes decoders trim to the exact length)
        # replaces it.
        tag = encoder.info_tag()
        if tag:
            end = file.tell()
            file.seek(start)
            file.write(tag)
            file.seek(end)


# --- ogg: libvorbis and libogg through ctypes ------------------------------------------------

# LAME V0 … V9's average bit rates, met by the Vorbis quality with the nearest nominal rate
# (libvorbis: q0 64, q1 80, q2 96, q3 112, q4 128, q5 160, q6 192, q7 224, q8 256 kbps).
_VORBIS_QUALITY = (0.8, 0.7, 0.6, 0.55, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0)
_OGG_SERIAL = 0x43617374  # any fixed number: one logical stream per file, stable bytes
# libvorbis's and libogg's state structs are opaque to us (we only pass pointers); these
# sizes are generous upper bounds of the real ones (at most about 400 bytes on 64-bit).
_STATE_BYTES = 2048


class _OggPage(ctypes.Structure):
    _fields_ = [
        ("header", ctypes.POINTER(ctypes.c_ubyte)),
        ("header_len", ctypes.c_long),
        ("body", ctypes.POINTER(ctypes.c_ubyte)),
        ("body_len", ctypes.c_long),
    ]


class _OggPacket(ctypes.Structure):
    _fields_ = [
        ("packet", ctypes.c_void_p),
        ("bytes", ctypes.c_long),
        ("b_o_s", ctypes.c_long),
        ("e_o_s", ctypes.c_long),
        ("granulepos", ctypes.c_int64),
        ("packetno", ctypes.c_int64),
    ]


@dataclass(frozen=True)
class _Libraries:
    ogg: ctypes.CDLL
    vorbis: ctypes.CDLL
    vorbisenc: ctypes.CDLL


@cache
def _libraries() -> _Libraries:
    loaded = []
    for name, fallback in (
        ("ogg", "libogg.so.0"),
        ("vorbis", "libvorbis.so.0"),
        ("vorbisenc", "libvorbisenc.so.2"),
    ):
        try:
            loaded.append(ctypes.CDLL(ctypes.util.find_library(name) or fallback))
        except OSError:
            raise EncoderUnavailable(
                "ogg (Vorbis) encoding needs libvorbis and libogg "
                "(Debian/Ubuntu: apt-get install libvorbisenc2)"
            ) from None
    ogg, vorbis, vorbisenc = loaded
    pointer, long_, float_ = ctypes.c_void_p, ctypes.c_long, ctypes.c_float
    vorbisenc.vorbis_encode_init.argtypes = [pointer, long_, long_, long_, long_, long_]
    vorbisenc.vorbis_encode_init_vbr.argtypes = [pointer, long_, long_, float_]
    vorbis.vorbis_analysis_buffer.argtypes = [pointer, ctypes.c_int]
    vorbis.vorbis_analysis_buffer.restype = ctypes.POINTER(ctypes.POINTER(float_))
    vorbis.vorbis_analysis_wrote.argtypes = [pointer, ctypes.c_int]
    vorbis.vorbis_comment_add_tag.argtypes = [pointer, ctypes.c_char_p, ctypes.c_char_p]
    ogg.ogg_stream_init.argtypes = [pointer, ctypes.c_int]
    return _Libraries(ogg, vorbis, vorbisenc)


def _write_vorbis(file: BinaryIO, audio: AudioBuffer, settings: EncoderSettings) -> None:
    lib = _libraries()
    info, comment, dsp, block, stream = (
        ctypes.create_string_buffer(_STATE_BYTES) for _ in range(5)
    )
    lib.vorbis.vorbis_info_init(info)
    try:
        _configure_vorbis(lib, info, audio, settings)
        lib.vorbis.vorbis_comment_init(comment)
        lib.vorbis.vorbis_comment_add_tag(comment, b"ENCODER", b"Castwright")
        lib.vorbis.vorbis_analysis_init(dsp, info)
        lib.vorbis.vorbis_block_init(dsp, block)
        lib.ogg.ogg_stream_init(stream, _OGG_SERIAL)
        try:
            _write_vorbis_stream(lib, file, audio, comment, dsp, block, stream)
        finally:
            lib.ogg.ogg_stream_clear(stream)
            lib.vorbis.vorbis_block_clear(block)
            lib.vorbis.vorbis_dsp_clear(dsp)
            lib.vorbis.vorbis_comment_clear(comment)
    finally:
        lib.vorbis.vorbis_info_clear(info)


def _configure_vorbis(
    lib: _Libraries, info: ctypes.Array[ctypes.c_char], audio: AudioBuffer, s: EncoderSettings
) -> None:
    if s.bit_rate is None:
        raise ValueError("ogg needs a bit rate")
    if s.bit_rate_type == "variable":
        quality = _VORBIS_QUALITY[s.bit_rate]
        status = lib.vorbisenc.vorbis_encode_init_vbr(
            info, audio.channels, audio.sample_rate, quality
        )
    else:
        # "constant" is libvorbis's average-bit-rate mode (spec: ogg is ABR): -1 leaves the
        # per-packet minimum and maximum free, which sounds better than a hard CBR.
        status = lib.vorbisenc.vorbis_encode_init(
            info, audio.channels, audio.sample_rate, -1, s.bit_rate * 1000, -1
        )
    if status != 0:
        raise ValueError(
            f"libvorbis refuses {s.bit_rate_type} {s.bit_rate} at {audio.sample_rate} Hz, "
            f"{audio.channels} channel(s) (error {status})"
        )


def _write_vorbis_stream(
    lib: _Libraries,
    file: BinaryIO,
    audio: AudioBuffer,
    comment: ctypes.Array[ctypes.c_char],
    dsp: ctypes.Array[ctypes.c_char],
    block: ctypes.Array[ctypes.c_char],
    stream: ctypes.Array[ctypes.c_char],
) -> None:
    page = _OggPage()
    headers = [_OggPacket() for _ in range(3)]
    lib.vorbis.vorbis_analysis_headerout(dsp, comment, *(ctypes.byref(h) for h in headers))
    for header in headers:
        lib.ogg.ogg_stream_packetin(stream, ctypes.byref(header))
    # The three headers get pages of their own, so audio starts on a fresh page (Ogg spec).
    while lib.ogg.ogg_stream_flush(stream, ctypes.byref(page)):
        _write_page(file, page)
    samples = audio.samples
    for start in range(0, audio.frames, _CHUNK):
        count = min(_CHUNK, audio.frames - start)
        buffers = lib.vorbis.vorbis_analysis_buffer(dsp, count)
        for channel in range(audio.channels):
            source = np.ascontiguousarray(samples[channel, start : start + count])
            ctypes.memmove(buffers[channel], source.ctypes.data, source.nbytes)
        lib.vorbis.vorbis_analysis_wrote(dsp, count)
        _drain_vorbis(lib, file, dsp, block, stream, page)
    lib.vorbis.vorbis_analysis_wrote(dsp, 0)  # end of stream: the last page gets EOS
    _drain_vorbis(lib, file, dsp, block, stream, page)
    while lib.ogg.ogg_stream_flush(stream, ctypes.byref(page)):
        _write_page(file, page)


def _drain_vorbis(
    lib: _Libraries,
    file: BinaryIO,
    dsp: ctypes.Array[ctypes.c_char],
    block: ctypes.Array[ctypes.c_char],
    stream: ctypes.Array[ctypes.c_char],
    page: _OggPage,
) -> None:
    packet = _OggPacket()
    while lib.vorbis.vorbis_analysis_blockout(dsp, block) == 1:
        lib.vorbis.vorbis_analysis(block, None)
        lib.vorbis.vorbis_bitrate_addblock(block)
        while lib.vorbis.vorbis_bitrate_flushpacket(dsp, ctypes.byref(packet)):
            lib.ogg.ogg_stream_packetin(stream, ctypes.byref(packet))
            while lib.ogg.ogg_stream_pageout(stream, ctypes.byref(page)):
                _write_page(file, page)


def _write_page(file: BinaryIO, page: _OggPage) -> None:
    file.write(ctypes.string_at(page.header, page.header_len))
    file.write(ctypes.string_at(page.body, page.body_len))
