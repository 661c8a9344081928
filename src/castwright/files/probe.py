"""Probing: decode a stored file once (PyAV) to learn what it really is.

A file that claims to be audio or video by its name must decode to audio; otherwise it is
refused (``ProbeFailed``) rather than kept in the library as audio.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from castwright.errors import Invalid
from castwright.files.media_types import extension_of, kind_from_name, mime_type_for

__all__ = ["MediaInfo", "ProbeFailed", "kind_from_name", "mime_type_for", "probe_media"]

_ATTACHED_PIC = 0x0400  # AV_DISPOSITION_ATTACHED_PIC: cover art, not a video track
_MEDIA_CLAIMS = ("audio", "video")


class ProbeFailed(Invalid):
    """The file is not what its name says (or not decodable at all)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, field="file")
        self.reason = reason


@dataclass(frozen=True)
class MediaInfo:
    kind: str  # audio | video | image | document | other
    format: str = ""  # container, e.g. "wav", "mp3", "mp4", "png"
    codec: str = ""  # first audio stream's codec (the image codec for images)
    duration: float = 0.0  # seconds of decoded audio
    sample_rate: int = 0
    channels: int = 0


def probe_media(path: Path) -> MediaInfo:
    """What ``path`` holds. Audio is decoded to the end, so duration is what plays."""
    claimed = kind_from_name(path.name)
    if claimed == "document":
        return MediaInfo(kind="document")
    import av  # imported here: loading FFmpeg is not free, and most modules never probe

    try:
        container = av.open(str(path), metadata_errors="replace")
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        if claimed in _MEDIA_CLAIMS:
            raise ProbeFailed(f"is not a readable {claimed} file ({_why(exc)})") from None
        return MediaInfo(kind=claimed)
    with container:
        format_name = _format_name(container.format.name, path.name)
        audio = list(container.streams.audio)
        video = [s for s in container.streams.video if not _is_attached_picture(s)]
        if not audio:
            if claimed in _MEDIA_CLAIMS:
                raise ProbeFailed(f"has no audio stream (a {format_name} file)")
            if claimed == "image" or (video and _is_image_format(container.format.name)):
                codec = _codec_name(video[0]) if video else ""
                return MediaInfo(kind="image", format=format_name, codec=codec)
            return MediaInfo(kind=claimed)
        try:
            duration, sample_rate, channels = _decode_to_end(container, audio[0], claimed)
        except ProbeFailed:
            if claimed in _MEDIA_CLAIMS:
                raise
            return MediaInfo(kind=claimed)  # never claimed to be audio; keep it as it is
    return MediaInfo(
        kind="video" if video else "audio",
        format=format_name,
        codec=_codec_name(audio[0]),
        duration=duration,
        sample_rate=sample_rate,
        channels=channels,
    )


def _decode_to_end(container: Any, stream: Any, claimed: str) -> tuple[float, int, int]:
    """Seconds of audio that actually decode, and the first frame's rate and channels."""
    import av

    duration, sample_rate, channels, bad_packets = 0.0, 0, 0, 0
    try:
        for packet in container.demux(stream):
            try:
                frames = packet.decode()
            except av.error.FFmpegError:
                bad_packets += 1  # one damaged frame: players skip it, so do we
                continue
            for frame in frames:
                if not sample_rate:
                    sample_rate, channels = frame.sample_rate, len(frame.layout.channels)
                duration += frame.samples / frame.sample_rate
    except av.error.FFmpegError as exc:
        # A damaged tail: what decoded before it still plays. Nothing decoded is a failure.
        if not sample_rate:
            raise ProbeFailed(f"is not a readable {claimed} file ({_why(exc)})") from None
    if not sample_rate or duration <= 0:
        damaged = f"; {bad_packets} damaged packets" if bad_packets else ""
        raise ProbeFailed(f"contains no decodable audio{damaged}")
    return round(duration, 6), sample_rate, channels


def _why(exc: BaseException) -> str:
    # FFmpeg's message without the file name: the path is a temporary file, not news.
    return str(getattr(exc, "strerror", None) or type(exc).__name__)


def _codec_name(stream: Any) -> str:
    codec = stream.codec_context.codec
    return str(getattr(codec, "canonical_name", None) or codec.name)  # "mp3", not "mp3float"


def _format_name(ffmpeg_name: str, file_name: str) -> str:
    """One name for the container: FFmpeg lists aliases ("mov,mp4,m4a,..."); prefer the
    one matching the file's extension, and drop the "_pipe" of image demuxers."""
    names = [name.removesuffix("_pipe") for name in ffmpeg_name.split(",")]
    extension = extension_of(file_name)
    return extension if extension in names else names[0]


def _is_image_format(ffmpeg_name: str) -> bool:
    return ffmpeg_name.endswith("_pipe") or ffmpeg_name in {"image2", "gif", "apng"}


def _is_attached_picture(stream: Any) -> bool:
    # Cover art shows up as a one-frame video stream; it does not make a file a video.
    disposition = stream.disposition  # an int-like flag set; an enum.Flag in some PyAV releases
    return bool(int(getattr(disposition, "value", disposition)) & _ATTACHED_PIC)
