"""The BlobStore protocol and the key rules every implementation shares."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol, runtime_checkable

from castwright.errors import Invalid

__all__ = ["BlobStore", "validate_key"]

_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")


def validate_key(key: str) -> str:
    """Keys are slash-separated safe segments: no '..', no absolute paths, no odd characters."""
    segments = key.split("/")
    if not key or len(key) > 1000 or not all(_SEGMENT.match(s) for s in segments):
        raise Invalid("is not a valid storage key", field="key")
    if any(s in {".", ".."} for s in segments):
        raise Invalid("may not contain '.' or '..' segments", field="key")
    return key


@runtime_checkable
class BlobStore(Protocol):
    def put_bytes(self, key: str, data: bytes) -> None: ...

    def put_file(self, key: str, source: Path) -> None:
        """Move or copy a finished local file into the store."""
        ...

    def read_bytes(self, key: str) -> bytes: ...

    def iter_bytes(self, key: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """Stream bytes [start, end] inclusive (HTTP Range semantics)."""
        ...

    def size(self, key: str) -> int: ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None:
        """Delete a blob; deleting a missing blob is not an error."""
        ...

    def delete_prefix(self, prefix: str) -> None: ...
