"""The BlobStore protocol and the key rules every implementation shares."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

from castwright.errors import Invalid, QuotaExceeded

__all__ = ["BlobStore", "PresignMethod", "format_bytes", "too_large", "validate_key"]

_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")

PresignMethod = Literal["GET", "PUT"]


def validate_key(key: str) -> str:
    """Keys are slash-separated safe segments: no '..', no absolute paths, no odd characters."""
    segments = key.split("/")
    if not key or len(key) > 1000 or not all(_SEGMENT.match(s) for s in segments):
        raise Invalid("is not a valid storage key", field="key")
    if any(s in {".", ".."} for s in segments):
        raise Invalid("may not contain '.' or '..' segments", field="key")
    return key


def format_bytes(size: int) -> str:
    """A byte count for people: 536870912 -> '512 MiB', 1536 -> '1.5 KiB'."""
    if size < 1024:
        return f"{size} bytes"
    value, unit = size / 1024, "KiB"
    for bigger in ("MiB", "GiB", "TiB"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    return f"{value:.1f}".removesuffix(".0") + f" {unit}"


def too_large(max_bytes: int, what: str = "upload", field: str = "file") -> QuotaExceeded:
    """The one error for a stream that grew past its limit; it names the limit."""
    limit = format_bytes(max_bytes)
    return QuotaExceeded(
        f"The {what} is larger than the {limit} limit",
        errors=[f"{field}: the {what} is larger than the {limit} limit ({max_bytes} bytes)"],
    )


@runtime_checkable
class BlobStore(Protocol):
    def put_bytes(self, key: str, data: bytes) -> None: ...

    def put_file(self, key: str, source: Path) -> None:
        """Move a finished local file into the store; ``source`` is gone afterwards."""
        ...

    def put_stream(self, key: str, chunks: Iterable[bytes], max_bytes: int) -> int:
        """Store a stream of unknown length and return its size.

        The blob becomes visible only once the stream has ended: an exception from ``chunks``
        or a stream longer than ``max_bytes`` (``QuotaExceeded``) leaves nothing behind.
        """
        ...

    def read_bytes(self, key: str) -> bytes: ...

    def iter_bytes(self, key: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """Stream bytes [start, end] inclusive (HTTP Range semantics)."""
        ...

    def size(self, key: str) -> int: ...

    def exists(self, key: str) -> bool: ...

    def copy(self, source_key: str, target_key: str) -> None:
        """Copy one blob to another key (server-side where the backend can)."""
        ...

    def local_copy(self, key: str) -> AbstractContextManager[Path]:
        """A local file with the blob's bytes, for tools that need a path (probing).

        Treat it as read-only; a temporary download is removed when the context ends.
        """
        ...

    def presign(
        self,
        key: str,
        method: PresignMethod,
        ttl_seconds: int,
        filename: str = "",
        content_type: str = "",
    ) -> str | None:
        """A backend-native pre-signed URL, or None when the server must sign its own."""
        ...

    def delete(self, key: str) -> None:
        """Delete a blob; deleting a missing blob is not an error."""
        ...

    def delete_prefix(self, prefix: str) -> None:
        """Delete the blob named ``prefix`` and every blob under ``prefix/``."""
        ...
