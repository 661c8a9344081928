"""The public file route: ``{publish_domain}/f/{file_sid}`` (and
``/f/{container_sid}/{file_access_name}``), served without credentials."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from castwright.carrierx.publishing import PUBLIC_PREFIX, find_published
from castwright.faces.assets import blob_response
from castwright.faces.deps import get_runtime
from castwright.runtime import Runtime

__all__ = ["UNTRUSTED_CONTENT_HEADERS", "router"]

router = APIRouter(tags=["CarrierX storage"])

# Anyone with a key may upload anything and name its MIME type: served from this origin, an
# HTML file must not run as a page of it. Players and downloads are unaffected.
UNTRUSTED_CONTENT_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'",
}


@router.get(PUBLIC_PREFIX + "/{path:path}", summary="A published file", response_class=Response)
def published_file(
    request: Request, path: str, runtime: Runtime = Depends(get_runtime)
) -> Response:
    with runtime.db.session() as session:
        row = find_published(session, path)
        key, size, mime = row.file.blob_key, row.file.size, row.file.mime_type
    headers = {"Accept-Ranges": "bytes", "Cache-Control": "no-cache", **UNTRUSTED_CONTENT_HEADERS}
    return blob_response(runtime, key, size, mime, headers, request.headers.get("range"))
