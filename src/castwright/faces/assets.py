"""Asset downloads: signed URLs (or an API key of the owning organisation), with Range."""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response, StreamingResponse

from castwright.auth.service import verify_key
from castwright.errors import CastwrightError, Forbidden, NotFound
from castwright.faces.deps import api_key_from, get_runtime
from castwright.files.media_types import mime_type_for
from castwright.runtime import Runtime
from castwright.storage import validate_key

__all__ = ["RangeNotSatisfiable", "blob_response", "router"]

router = APIRouter(tags=["Assets"])

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class RangeNotSatisfiable(CastwrightError):
    status = 416
    code = "range_not_satisfiable"


def _authorise(request: Request, runtime: Runtime, key: str) -> None:
    params = request.query_params
    signed = runtime.signer.verify(
        key, params.get("expires", ""), params.get("sig", ""), params.get("filename", "")
    )
    if signed:
        return
    secret = api_key_from(request)
    if secret is None:
        raise Forbidden(
            "This link has expired or its signature is invalid",
            errors=["sig: missing, expired or invalid signature"],
        )
    with runtime.db.session() as session:
        principal = verify_key(session, secret)
    if not key.startswith(f"orgs/{principal.org_id}/"):
        raise Forbidden("This asset belongs to another organisation")


def _byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if not match or not (match.group(1) or match.group(2)):
        return None  # malformed ranges are ignored, as RFC 9110 allows
    first, last = match.group(1), match.group(2)
    if first:
        start, end = int(first), int(last) if last else size - 1
    else:
        start, end = max(0, size - int(last)), size - 1
    if start >= size or start > end:
        raise RangeNotSatisfiable(f"range {header} is outside the {size}-byte asset")
    return start, min(end, size - 1)


@router.get("/assets/{key:path}", summary="Download a stored asset", response_class=Response)
def download_asset(request: Request, key: str, runtime: Runtime = Depends(get_runtime)) -> Response:
    try:
        validate_key(key)
    except CastwrightError:
        raise NotFound("asset not found") from None
    _authorise(request, runtime, key)
    size = runtime.blobs.size(key)
    filename = request.query_params.get("filename") or key.rsplit("/", 1)[-1]
    media_type = mime_type_for(filename)  # the library's fixed table, not the platform's
    headers = {
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Accept-Ranges": "bytes",
        "Cache-Control": "private, max-age=300",
    }
    return blob_response(runtime, key, size, media_type, headers, request.headers.get("range"))


def blob_response(
    runtime: Runtime,
    key: str,
    size: int,
    media_type: str,
    headers: dict[str, str],
    range_header: str | None,
) -> StreamingResponse:
    """A stored blob as the response body, honouring a Range header (206) as every face's
    download does."""
    span = _byte_range(range_header, size)
    if span is None:
        headers["Content-Length"] = str(size)
        return StreamingResponse(
            runtime.blobs.iter_bytes(key), media_type=media_type, headers=headers
        )
    start, end = span
    headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    headers["Content-Length"] = str(end - start + 1)
    return StreamingResponse(
        runtime.blobs.iter_bytes(key, start, end),
        status_code=206,
        media_type=media_type,
        headers=headers,
    )
