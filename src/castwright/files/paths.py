"""Library paths: normalised, relative, and unable to escape their root."""

from __future__ import annotations

import unicodedata

from castwright.errors import Invalid

__all__ = ["MAX_PATH", "check_file_name", "join_path", "normalise_folder_path", "split_file_path"]

MAX_PATH = 1024
MAX_SEGMENT = 255


def _segments(path: str, field: str) -> list[str]:
    if any(unicodedata.category(c) == "Cc" for c in path):
        raise Invalid("may not contain control characters", field=field)
    if len(path) > MAX_PATH:
        raise Invalid(f"is longer than {MAX_PATH} characters", field=field)
    if path.startswith(("/", "\\")) or (len(path) > 1 and path[1] == ":"):
        raise Invalid("must be relative (no leading '/' or drive letter)", field=field)
    segments = [s.strip() for s in path.replace("\\", "/").split("/")]
    kept = [s for s in segments if s not in ("", ".")]
    if ".." in kept:
        raise Invalid("may not contain '..'", field=field)
    if any(len(s) > MAX_SEGMENT for s in kept):
        raise Invalid(f"has a name longer than {MAX_SEGMENT} characters", field=field)
    return kept


def normalise_folder_path(path: str, field: str = "folder") -> str:
    """'a//b/./c/' -> 'a/b/c'; the root is ''."""
    return "/".join(_segments(path, field))


def split_file_path(path: str, field: str = "filePath") -> tuple[str, str]:
    """'a/b/c.mp3' -> ('a/b', 'c.mp3'); the file name must be present."""
    segments = _segments(path, field)
    if not segments:
        raise Invalid("must name a file", field=field)
    return "/".join(segments[:-1]), segments[-1]


def check_file_name(name: str, field: str = "file_name") -> str:
    """A single file name ('take.wav'), trimmed; a path, '..' or control characters are refused."""
    segments = _segments(name, field)
    if len(segments) != 1:
        raise Invalid(
            "must be a file name, not a path" if segments else "must name a file", field=field
        )
    return segments[0]


def join_path(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name
