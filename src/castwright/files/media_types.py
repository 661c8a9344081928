"""What a file claims to be from its name: a kind for the library and a MIME type."""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath

__all__ = ["extension_of", "kind_from_name", "mime_type_for"]

_EXTENSIONS_BY_KIND = (
    ("audio", "wav wave mp3 m4a aac ogg oga opus flac aif aiff aifc wma amr ac3 eac3 mka caf"),
    ("audio", "weba mp2 au snd alac"),
    ("video", "mp4 m4v mov mkv webm avi wmv flv mpeg mpg ts mts 3gp 3g2 ogv"),
    ("image", "png jpg jpeg gif webp bmp tif tiff svg heic heif avif ico"),
    ("document", "txt md pdf doc docx rtf odt csv tsv json xml html htm srt vtt ssml"),
    ("document", "xls xlsx pptx"),
)
_KIND_BY_EXTENSION = {
    extension: kind for kind, extensions in _EXTENSIONS_BY_KIND for extension in extensions.split()
}

# Fixed answers for the formats the library cares about: the platform's mimetypes tables
# differ between systems (audio/x-wav, audio/x-flac, nothing at all for .opus).
_MIME_TYPES = {
    "wav": "audio/wav",
    "wave": "audio/wav",
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "aac": "audio/aac",
    "ogg": "audio/ogg",
    "oga": "audio/ogg",
    "opus": "audio/ogg",
    "flac": "audio/flac",
    "aif": "audio/aiff",
    "aiff": "audio/aiff",
    "weba": "audio/webm",
    "mka": "audio/x-matroska",
    "mp4": "video/mp4",
    "webm": "video/webm",
    "mkv": "video/x-matroska",
    "mov": "video/quicktime",
    "json": "application/json",
    "txt": "text/plain",
    "srt": "application/x-subrip",
    "vtt": "text/vtt",
    "ssml": "application/ssml+xml",
}


def extension_of(file_name: str) -> str:
    """The lower-case extension without its dot ("" when there is none)."""
    return PurePosixPath(file_name).suffix.lower().removeprefix(".")


def kind_from_name(file_name: str) -> str:
    """The library's kind by extension alone: audio, video, image, document or other."""
    return _KIND_BY_EXTENSION.get(extension_of(file_name), "other")


def mime_type_for(file_name: str) -> str:
    extension = extension_of(file_name)
    if extension in _MIME_TYPES:
        return _MIME_TYPES[extension]
    if extension:
        guessed = mimetypes.guess_type(f"file.{extension}", strict=False)[0]
        if guessed:
            return guessed
    return "application/octet-stream"
