"""Serves the Studio: ``/`` is its page, ``/studio/...`` its scripts, styles and icon.

Every response carries a strict Content-Security-Policy (scripts and styles from this server
only, nothing inline, no frames), so a server string that slipped into the page unescaped
still could not run. Files are read once, kept in memory with a gzip copy, and revalidated by
ETag, so a reload costs a few 304s.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from castwright.errors import NotFound
from castwright.faces.deps import get_runtime
from castwright.runtime import Runtime
from castwright.studio import STATIC_DIR

__all__ = ["content_security_policy", "router"]

router = APIRouter(tags=["Studio"], include_in_schema=False)

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}


@dataclass(frozen=True)
class _Asset:
    body: bytes
    gzipped: bytes
    media_type: str
    etag: str


@lru_cache(maxsize=1)
def _assets(directory: Path) -> dict[str, _Asset]:
    """Every servable file under ``directory`` by its relative path; nothing else is served,
    so no request path ever reaches the file system."""
    table = {}
    for path in sorted(directory.rglob("*")):
        media_type = _TYPES.get(path.suffix)
        if media_type is None or not path.is_file():
            continue
        body = path.read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        table[path.relative_to(directory).as_posix()] = _Asset(
            body, gzip.compress(body, 9, mtime=0), media_type, etag
        )
    return table


def content_security_policy(public_url: str) -> str:
    """Only this server: the page's own origin, and the public URL its asset and upload links
    are made with when the page is reached under another name (127.0.0.1 against localhost)."""
    parts = urlsplit(public_url)
    public = f" {parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
    return "; ".join(
        (
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            f"media-src 'self' blob:{public}",
            f"connect-src 'self'{public}",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
        )
    )


def _serve(request: Request, runtime: Runtime, name: str) -> Response:
    asset = _assets(STATIC_DIR).get(name)
    if asset is None:
        raise NotFound(
            f"No studio file {name}", errors=[f"path: {request.url.path} does not exist"]
        )
    headers = {
        "Content-Security-Policy": content_security_policy(runtime.settings.effective_public_url),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
        "Cache-Control": "no-cache",  # always revalidated: a new release is seen at once
        "ETag": asset.etag,
        "Vary": "Accept-Encoding",
    }
    if asset.etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    body = asset.body
    if "gzip" in request.headers.get("accept-encoding", ""):
        body, headers["Content-Encoding"] = asset.gzipped, "gzip"
    return Response(body, media_type=asset.media_type, headers=headers)


@router.get("/", summary="Castwright Studio")
def studio_page(request: Request, runtime: Runtime = Depends(get_runtime)) -> Response:
    return _serve(request, runtime, "index.html")


@router.get("/studio/{name:path}", summary="Studio scripts, styles and icons")
def studio_file(name: str, request: Request, runtime: Runtime = Depends(get_runtime)) -> Response:
    return _serve(request, runtime, name)
