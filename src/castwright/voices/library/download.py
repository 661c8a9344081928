"""One file from a voice catalogue: resumable, verified, and moved into place only when whole.

Bytes go to ``<target>.part``. A later attempt asks for the rest with an HTTP Range request
and appends (a server that ignores Range sends the whole file, which then replaces the part).
The finished file is checked against the catalogue's size and digest before it is renamed
into place; a mismatch deletes the part and fails, so a corrupt model is never installed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from castwright.errors import CastwrightError

__all__ = ["DownloadFailed", "Progress", "RemoteFile", "download", "file_digest", "matches"]

Progress = Callable[[int, int], None]  # (bytes so far, total bytes)


class DownloadFailed(CastwrightError):
    status = 502
    code = "download_failed"


@dataclass(frozen=True)
class RemoteFile:
    """A file to fetch: where from, where to (relative to the voices directory), and how to
    recognise it (``algorithm`` is md5, sha256 or git-sha1, a Git blob id)."""

    url: str
    target: str
    size: int
    algorithm: str
    digest: str


def _hasher(algorithm: str, size: int) -> hashlib._Hash:
    if algorithm == "git-sha1":  # what a Git tree lists for files not in LFS
        hasher = hashlib.sha1(usedforsecurity=False)
        hasher.update(f"blob {size}\0".encode())
        return hasher
    return hashlib.new(algorithm, usedforsecurity=algorithm != "md5")


def file_digest(path: Path, algorithm: str) -> str:
    hasher = _hasher(algorithm, path.stat().st_size)
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            hasher.update(chunk)
    return hasher.hexdigest()


def matches(path: Path, remote: RemoteFile) -> bool:
    """Whether ``path`` holds exactly the catalogue's file."""
    if not path.is_file() or (remote.size and path.stat().st_size != remote.size):
        return False
    return not remote.digest or file_digest(path, remote.algorithm) == remote.digest.lower()


def download(
    client: httpx.Client, remote: RemoteFile, target: Path, progress: Progress | None = None
) -> None:
    """Fetch ``remote`` into ``target``, resuming a ``.part`` left by an earlier attempt."""
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    have = part.stat().st_size if part.exists() else 0
    if remote.size and have > remote.size:  # not a prefix of this file: start again
        part.unlink()
        have = 0
    if not remote.size or have < remote.size:
        headers = {"Range": f"bytes={have}-"} if have else {}
        try:
            with client.stream("GET", remote.url, headers=headers) as response:
                if response.status_code == 416:  # nothing left to send: the part is whole
                    pass
                elif response.status_code not in (200, 206):
                    raise DownloadFailed(f"{remote.url}: HTTP {response.status_code}")
                else:
                    if response.status_code == 200:
                        have = 0  # the server sent the whole file: overwrite the part
                    elif _range_start(response) != have:
                        part.unlink()
                        raise DownloadFailed(f"{remote.url}: the server resumed at the wrong byte")
                    _write(response, part, have, remote.size, progress)
        except httpx.HTTPError as exc:
            raise DownloadFailed(
                f"{remote.url}: {exc or type(exc).__name__} "
                f"({part.stat().st_size if part.exists() else 0} bytes kept; run it again "
                "to resume)"
            ) from exc
    got = part.stat().st_size if part.exists() else 0
    if remote.size and got != remote.size:
        raise DownloadFailed(
            f"{remote.url}: got {got} of {remote.size} bytes (kept; run it again to resume)"
        )
    if remote.digest and file_digest(part, remote.algorithm) != remote.digest.lower():
        part.unlink()
        raise DownloadFailed(
            f"{remote.url}: {remote.algorithm} checksum does not match the catalogue's "
            f"{remote.digest}; the download was discarded"
        )
    os.replace(part, target)


def _range_start(response: httpx.Response) -> int:
    """The first byte of a 206 answer (``Content-Range: bytes START-END/TOTAL``)."""
    value = response.headers.get("content-range", "")
    try:
        return int(value.split()[1].split("-")[0])
    except (IndexError, ValueError):
        return -1


def _write(
    response: httpx.Response, part: Path, have: int, total: int, progress: Progress | None
) -> None:
    done = have
    with part.open("ab" if have else "wb") as handle:
        if progress:
            progress(done, total)
        for chunk in response.iter_bytes():  # as received: a cut keeps what arrived
            handle.write(chunk)
            done += len(chunk)
            if progress:
                progress(done, total)
