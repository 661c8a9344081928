"""Blobs as files under one root directory. Paths can never escape the root."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from castwright.errors import NotFound
from castwright.storage.base import PresignMethod, too_large, validate_key

__all__ = ["LocalBlobStore"]

_READ_SIZE = 1024 * 1024  # fewer, larger blocks: each one costs a thread hop when served
# Temporary names start with a dot, which no valid key segment can, so a half-written blob
# is never addressable.
_TMP_PREFIX = ".tmp-"


class LocalBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, key: str) -> Path:
        path = (self.root / validate_key(key)).resolve()
        if not path.is_relative_to(self.root):  # defence in depth against symlinks
            raise NotFound("blob not found")
        return path

    def _existing(self, key: str) -> Path:
        path = self.path(key)
        if not path.is_file():
            raise NotFound("blob not found")
        return path

    @contextmanager
    def _staging(self, key: str) -> Iterator[Path]:
        """A temporary file beside the target, renamed over it only if the block succeeds."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=_TMP_PREFIX)
        os.close(fd)
        tmp = Path(name)
        try:
            yield tmp
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def put_bytes(self, key: str, data: bytes) -> None:
        # Write then rename, so a reader never sees half a file.
        with self._staging(key) as tmp:
            tmp.write_bytes(data)

    def put_file(self, key: str, source: Path) -> None:
        # A move across filesystems is a copy; staging keeps even that invisible until done.
        with self._staging(key) as tmp:
            shutil.move(str(source), tmp)

    def put_stream(self, key: str, chunks: Iterable[bytes], max_bytes: int) -> int:
        size = 0
        with self._staging(key) as tmp, tmp.open("wb") as handle:
            for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise too_large(max_bytes)
                handle.write(chunk)
        return size

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

    def copy(self, source_key: str, target_key: str) -> None:
        source = self._existing(source_key)
        with self._staging(target_key) as tmp:
            shutil.copyfile(source, tmp)

    @contextmanager
    def local_copy(self, key: str) -> Iterator[Path]:
        # The blob already is a local file; callers only read it.
        yield self._existing(key)

    def presign(
        self,
        key: str,
        method: PresignMethod,
        ttl_seconds: int,
        filename: str = "",
        content_type: str = "",
    ) -> str | None:
        validate_key(key)
        return None  # the server signs its own /assets and /uploads URLs (UrlSigner)

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def delete_prefix(self, prefix: str) -> None:
        target = self.path(prefix.rstrip("/"))
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)
