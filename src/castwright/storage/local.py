"""Blobs as files under one root directory. Paths can never escape the root."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from castwright.errors import NotFound
from castwright.storage.base import validate_key

__all__ = ["LocalBlobStore"]

_READ_SIZE = 256 * 1024


class LocalBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, key: str) -> Path:
        path = (self.root / validate_key(key)).resolve()
        if not path.is_relative_to(self.root):  # defence in depth against symlinks
            raise NotFound("blob not found")
        return path

    def put_bytes(self, key: str, data: bytes) -> None:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a reader never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)

    def put_file(self, key: str, source: Path) -> None:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(source), target)

    def read_bytes(self, key: str) -> bytes:
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError:
            raise NotFound("blob not found") from None

    def iter_bytes(self, key: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        try:
            handle = self.path(key).open("rb")
        except FileNotFoundError:
            raise NotFound("blob not found") from None
        with handle:
            handle.seek(start)
            remaining = None if end is None else end - start + 1
            while remaining is None or remaining > 0:
                block = handle.read(_READ_SIZE if remaining is None else min(_READ_SIZE, remaining))
                if not block:
                    break
                if remaining is not None:
                    remaining -= len(block)
                yield block

    def size(self, key: str) -> int:
        try:
            return self.path(key).stat().st_size
        except FileNotFoundError:
            raise NotFound("blob not found") from None

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def delete_prefix(self, prefix: str) -> None:
        target = self.path(prefix.rstrip("/"))
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)
