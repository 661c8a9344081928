"""What stored bytes are: CarrierX's classification, format, MIME type and duration.

Audio and video are probed by the library's probe (decoded to the end, so the duration is what
plays); everything else is recognised by its first bytes, then by its name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from castwright.errors import Invalid
from castwright.files.media_types import extension_of, kind_from_name, mime_type_for
from castwright.files.probe import MediaInfo, ProbeFailed, probe_media

__all__ = ["Detected", "detect"]

# (offset, signature, format, classification)
_SIGNATURES: tuple[tuple[int, bytes, str, str], ...] = (
    (0, b"%PDF-", "pdf", "document"),
    (0, b"PK\x03\x04", "zip", "archive"),
    (0, b"PK\x05\x06", "zip", "archive"),
    (0, b"\x1f\x8b", "gz", "archive"),
    (0, b"7z\xbc\xaf\x27\x1c", "7z", "archive"),
    (0, b"Rar!\x1a\x07", "rar", "archive"),
    (0, b"BZh", "bz2", "archive"),
    (0, b"\xfd7zXZ\x00", "xz", "archive"),
    (257, b"ustar", "tar", "archive"),
    (0, b"\x7fELF", "elf", "executable"),
    (0, b"MZ", "exe", "executable"),
    (0, b"\xcf\xfa\xed\xfe", "macho", "executable"),
    (0, b"#!", "script", "executable"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc", "document"),
    (0, b"{\\rtf", "rtf", "document"),
)
_ARCHIVE_EXTENSIONS = {"zip", "gz", "tgz", "tar", "7z", "rar", "bz2", "xz", "zst"}
_EXECUTABLE_EXTENSIONS = {"exe", "dll", "msi", "bin", "sh", "bat", "cmd", "so", "dylib", "apk"}


@dataclass(frozen=True)
class Detected:
    classification: str  # media | document | archive | executable | unknown
    format: str  # "mp3", "wav", "pdf", ... ("" when nothing is known)
    mime_type: str
    media: MediaInfo | None = None  # audio and video only

    @property
    def duration(self) -> float | None:
        return round(self.media.duration, 3) if self.media is not None else None

    @property
    def kind(self) -> str:
        """The library's kind for the file."""
        if self.media is not None:
            return self.media.kind
        return {"document": "document"}.get(self.classification, "other")


def detect(path: Path, name: str) -> Detected:
    """``path`` holds the bytes; its name carries the extension the client's name has.

    A file whose name says audio or video but which holds none is refused (422 on ``data``),
    as the library refuses it, rather than stored as a broken recording.
    """
    try:
        media = probe_media(path)
    except ProbeFailed as failure:
        raise Invalid(failure.reason, field="data") from None
    if media.kind in ("audio", "video"):
        fmt = media.format or extension_of(name)
        return Detected("media", fmt, _mime(fmt, name), media)
    with path.open("rb") as handle:
        head = handle.read(512)
    for offset, signature, fmt, classification in _SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            return Detected(classification, fmt, _mime(fmt, name))
    extension = extension_of(name)
    if media.kind == "image":
        fmt = media.format or extension
        return Detected("unknown", fmt, _mime(fmt, name))
    if extension in _ARCHIVE_EXTENSIONS:
        return Detected("archive", extension, _mime(extension, name))
    if extension in _EXECUTABLE_EXTENSIONS:
        return Detected("executable", extension, _mime(extension, name))
    if kind_from_name(name) == "document" or (head and _is_text(head)):
        fmt = extension or "txt"
        return Detected("document", fmt, _mime(fmt, name))
    return Detected("unknown", extension, _mime(extension, name))


def _mime(fmt: str, name: str) -> str:
    by_format = mime_type_for(f"file.{fmt}") if fmt else "application/octet-stream"
    if by_format != "application/octet-stream":
        return by_format
    return mime_type_for(name)


def _is_text(head: bytes) -> bool:
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        # The block may end inside a multi-byte character: judge what decodes.
        text = head[:-3].decode("utf-8", errors="replace")
        if "\ufffd" in text:
            return False
    return all(c.isprintable() or c in "\r\n\t\f" for c in text)
