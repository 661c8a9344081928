"""Incremental encoders: one per stream, fed sentence by sentence, bytes out as they are made.

One encoder for the whole stream (never one container per chunk) is what keeps a stream one
valid file: a single header, no encoder restart between sentences (restarts are the clicks and
gaps peers' streams are known for), and decoder state that runs straight through.

* wav: RIFF and data sizes 0xFFFFFFFF, the streaming convention for "length unknown"
  (FFmpeg, browsers and SoX read to the end of the stream).
* pcm: the bare 16-bit little-endian samples.
* mp3: the system's LAME (audio/lame.py, without the Info tag: a stream cannot seek back to
  write it), else PyAV's LAME.
* opus (Ogg), aac (ADTS), flac: PyAV, writing into a sink that cannot seek, so FLAC's
  STREAMINFO keeps "total samples unknown", which the format allows.
* ogg (Vorbis): the system's libvorbis through audio/encode.py's bindings.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import struct
from dataclasses import replace
from fractions import Fraction
from typing import Any, Protocol

import numpy as np

from castwright.audio.buffer import AudioBuffer
from castwright.audio.encode import (
    _configure_vorbis,
    _drain_vorbis,
    _libraries,
    _OggPacket,
    _OggPage,
    _write_page,
)
from castwright.audio.lame import LameEncoder, system_lame
from castwright.audio.presets import EncoderSettings
from castwright.audio.wav import pcm16

__all__ = ["MEDIA_TYPES", "STREAM_FORMATS", "StreamEncoder", "open_encoder"]

# The Content-Type each stream format is served with (the mapping OpenAI-compatible servers use).
MEDIA_TYPES = {
    "mp3": "audio/mpeg",
    "wav": "audio/wav",
    "ogg": "audio/ogg",
    "opus": "audio/opus",
    "aac": "audio/aac",
    "flac": "audio/flac",
    "pcm": "audio/pcm",
}
STREAM_FORMATS = tuple(MEDIA_TYPES)

_UNKNOWN_SIZE = 0xFFFFFFFF
_OGG_PAGE_MICROSECONDS = 200_000  # FFmpeg's default (1 s) would hold back the first sentence
_AVIO_BUFFER = 4096
_VORBIS_FALLBACK_LEVEL = 4  # LAME V4's level: Vorbis quality 0.5


class StreamEncoder(Protocol):
    """Mono float32 audio at ``sample_rate`` in, the encoded bytes it completes out."""

    sample_rate: int

    def write(self, audio: AudioBuffer) -> bytes: ...

    def finish(self) -> bytes: ...


def open_encoder(fmt: str, sample_rate: int, bitrate_kbps: int) -> StreamEncoder:
    if fmt == "wav":
        return _WavEncoder(sample_rate)
    if fmt == "pcm":
        return _PcmEncoder(sample_rate)
    if fmt == "mp3" and (lame := system_lame()) is not None:
        return _LameStream(sample_rate, bitrate_kbps, lame)
    if fmt == "ogg":
        return _VorbisEncoder(sample_rate, bitrate_kbps)
    return _PyAvEncoder(fmt, sample_rate, bitrate_kbps)


def _int16_bytes(audio: AudioBuffer) -> bytes:
    return pcm16(audio).tobytes() if audio.frames else b""


class _PcmEncoder:
    def __init__(self, sample_rate: int) -> None:
        self.sample_rate = sample_rate

    def write(self, audio: AudioBuffer) -> bytes:
        return _int16_bytes(audio)

    def finish(self) -> bytes:
        return b""


class _WavEncoder(_PcmEncoder):
    def __init__(self, sample_rate: int) -> None:
        super().__init__(sample_rate)
        self._header_sent = False

    def write(self, audio: AudioBuffer) -> bytes:
        body = _int16_bytes(audio)
        if self._header_sent:
            return body
        self._header_sent = True
        return self.header() + body

    def finish(self) -> bytes:
        return b"" if self._header_sent else self.header()

    def header(self) -> bytes:
        channels, width = 1, 2
        return (
            b"RIFF"
            + struct.pack("<I", _UNKNOWN_SIZE)
            + b"WAVEfmt "
            + struct.pack(
                "<IHHIIHH",
                16,
                1,  # PCM
                channels,
                self.sample_rate,
                self.sample_rate * channels * width,
                channels * width,
                8 * width,
            )
            + b"data"
            + struct.pack("<I", _UNKNOWN_SIZE)
        )


class _LameStream:
    def __init__(self, sample_rate: int, bitrate_kbps: int, lame: ctypes.CDLL) -> None:
        self.sample_rate = sample_rate
        # No Info tag: it needs a seek back to the start, which a stream cannot make.
        self._encoder = LameEncoder(lame, sample_rate, 1, bitrate_kbps, info_tag=False)

    def write(self, audio: AudioBuffer) -> bytes:
        return self._encoder.encode(audio.samples[:1]) if audio.frames else b""

    def finish(self) -> bytes:
        tail = self._encoder.flush()
        self._encoder.close()
        return tail


class _Sink:
    """A write-only, unseekable file for PyAV: what the muxer writes is collected and taken."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


# format -> (FFmpeg muxer, encoder, sample format the encoder takes)
_PYAV = {
    "opus": ("ogg", "libopus", "flt"),
    "aac": ("adts", "aac", "fltp"),
    "flac": ("flac", "flac", "s16"),
    "mp3": ("mp3", "libmp3lame", "fltp"),
}


class _PyAvEncoder:
    def __init__(self, fmt: str, sample_rate: int, bitrate_kbps: int) -> None:
        import av  # loading FFmpeg is not free; most streams are mp3 or wav

        self._av: Any = av
        self.sample_rate = sample_rate
        container, codec, self._sample_format = _PYAV[fmt]
        options = {"flush_packets": "1"}
        if container == "ogg":
            options["page_duration"] = str(_OGG_PAGE_MICROSECONDS)
        self._sink = _Sink()
        self._out: Any = self._av.open(
            self._sink, "w", format=container, options=options, buffer_size=_AVIO_BUFFER
        )
        self._stream: Any = self._out.add_stream(codec, rate=sample_rate, layout="mono")
        self._stream.codec_context.format = self._sample_format
        if fmt != "flac":
            self._stream.codec_context.bit_rate = bitrate_kbps * 1000
        self._pts = 0
        self._closed = False

    def write(self, audio: AudioBuffer) -> bytes:
        if self._closed or not audio.frames:
            return b""
        if self._sample_format == "s16":
            block = pcm16(audio).reshape(1, -1)
        else:
            block = np.ascontiguousarray(audio.samples[:1], dtype=np.float32)
        frame = self._av.AudioFrame.from_ndarray(block, format=self._sample_format, layout="mono")
        frame.sample_rate, frame.pts = self.sample_rate, self._pts
        frame.time_base = Fraction(1, self.sample_rate)
        self._pts += audio.frames
        self._out.mux(self._stream.encode(frame))
        return self._sink.take()

    def finish(self) -> bytes:
        if self._closed:
            return b""
        self._out.mux(self._stream.encode(None))  # the encoder's look-ahead and padding
        self._close()
        return self._sink.take()

    def _close(self) -> None:
        if not self._closed:
            self._closed = True
            self._out.close()

    def __del__(self) -> None:
        # A half-written stream that is being thrown away anyway.
        with contextlib.suppress(Exception):
            if hasattr(self, "_closed"):
                self._close()


class _VorbisEncoder:
    """libvorbis + libogg, page by page. State lives in ctypes buffers freed in finish()."""

    def __init__(self, sample_rate: int, bitrate_kbps: int) -> None:
        self.sample_rate = sample_rate
        self._lib = _libraries()
        lib = self._lib
        self._info, self._comment, self._dsp, self._block, self._ogg = (
            ctypes.create_string_buffer(2048) for _ in range(5)
        )
        self._page = _OggPage()
        self._file = io.BytesIO()
        lib.vorbis.vorbis_info_init(self._info)
        settings = EncoderSettings(
            format="ogg",
            bit_rate_type="constant",
            bit_rate=bitrate_kbps,
            sample_rate=sample_rate,
            bit_depth=None,
            channels=1,
        )
        try:
            _configure_vorbis(lib, self._info, AudioBuffer.silence(0, sample_rate), settings)
        except ValueError:
            # libvorbis's bit-rate modes cover a band per rate (at 22.05 kHz mono about 16-90
            # kbit/s); the stream's rate is only known once it has begun, so rather than fail
            # mid-stream it falls back to quality mode, which every rate has.
            lib.vorbis.vorbis_info_clear(self._info)
            lib.vorbis.vorbis_info_init(self._info)
            fallback = replace(settings, bit_rate_type="variable", bit_rate=_VORBIS_FALLBACK_LEVEL)
            _configure_vorbis(lib, self._info, AudioBuffer.silence(0, sample_rate), fallback)
        lib.vorbis.vorbis_comment_init(self._comment)
        lib.vorbis.vorbis_comment_add_tag(self._comment, b"ENCODER", b"Castwright")
        lib.vorbis.vorbis_analysis_init(self._dsp, self._info)
        lib.vorbis.vorbis_block_init(self._dsp, self._block)
        lib.ogg.ogg_stream_init(self._ogg, 0x43617374)
        headers = [_OggPacket() for _ in range(3)]
        lib.vorbis.vorbis_analysis_headerout(
            self._dsp, self._comment, *(ctypes.byref(h) for h in headers)
        )
        for header in headers:
            lib.ogg.ogg_stream_packetin(self._ogg, ctypes.byref(header))
        while lib.ogg.ogg_stream_flush(self._ogg, ctypes.byref(self._page)):
            _write_page(self._file, self._page)
        self._open = True

    def _take(self) -> bytes:
        data = self._file.getvalue()
        self._file.seek(0)
        self._file.truncate()
        return data

    def write(self, audio: AudioBuffer) -> bytes:
        if not self._open or not audio.frames:
            return self._take()
        lib = self._lib
        buffers = lib.vorbis.vorbis_analysis_buffer(self._dsp, audio.frames)
        source = np.ascontiguousarray(audio.samples[0], dtype=np.float32)
        ctypes.memmove(buffers[0], source.ctypes.data, source.nbytes)
        lib.vorbis.vorbis_analysis_wrote(self._dsp, audio.frames)
        _drain_vorbis(lib, self._file, self._dsp, self._block, self._ogg, self._page)
        # A sentence's pages go out now rather than when libogg's 4 kB page fills.
        while lib.ogg.ogg_stream_flush(self._ogg, ctypes.byref(self._page)):
            _write_page(self._file, self._page)
        return self._take()

    def finish(self) -> bytes:
        if not self._open:
            return b""
        lib = self._lib
        lib.vorbis.vorbis_analysis_wrote(self._dsp, 0)  # end of stream: the last page gets EOS
        _drain_vorbis(lib, self._file, self._dsp, self._block, self._ogg, self._page)
        while lib.ogg.ogg_stream_flush(self._ogg, ctypes.byref(self._page)):
            _write_page(self._file, self._page)
        self._close()
        return self._take()

    def _close(self) -> None:
        if self._open:
            self._open = False
            lib = self._lib
            lib.ogg.ogg_stream_clear(self._ogg)
            lib.vorbis.vorbis_block_clear(self._block)
            lib.vorbis.vorbis_dsp_clear(self._dsp)
            lib.vorbis.vorbis_comment_clear(self._comment)
            lib.vorbis.vorbis_info_clear(self._info)

    def __del__(self) -> None:
        if getattr(self, "_open", False):
            self._close()
