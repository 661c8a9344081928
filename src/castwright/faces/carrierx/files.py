"""/core/v2/storage/files: upload (multipart or raw), list, get, update, delete, download."""

from __future__ import annotations

import shutil
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session

from castwright.carrierx.files import Content, StorageFileService
from castwright.carrierx.identity import (
    STORAGE_CREATE,
    STORAGE_DELETE,
    STORAGE_READ,
    STORAGE_UPDATE,
    CarrierXPrincipal,
)
from castwright.carrierx.listing import read_list_request
from castwright.errors import Invalid
from castwright.faces.assets import blob_response
from castwright.faces.carrierx.auth import requires
from castwright.faces.carrierx.bodies import (
    UnsupportedMediaType,
    media_type_of,
    read_json,
    read_multipart,
    scratch_directory,
    spool_body,
)
from castwright.faces.carrierx.envelope import list_response, object_response
from castwright.faces.carrierx.errors import PREFIX
from castwright.faces.carrierx.objects import file_object
from castwright.faces.carrierx.publish import UNTRUSTED_CONTENT_HEADERS
from castwright.faces.deps import get_runtime
from castwright.runtime import Runtime

__all__ = ["FILES_PATH", "router"]

FILES_PATH = PREFIX + "/storage/files"
router = APIRouter(prefix=FILES_PATH, tags=["CarrierX storage"])
_RESPONSE_PARAMS = frozenset({"include_fields", "exclude_fields", "includeFields", "excludeFields"})


def _service(
    runtime: Runtime, session: Session, principal: CarrierXPrincipal
) -> StorageFileService:
    return StorageFileService(runtime, session, principal.org_id, principal.key_id)


@router.post("", summary="Upload a file", status_code=201)
async def upload_file(
    request: Request,
    principal: CarrierXPrincipal = Depends(requires(*STORAGE_CREATE)),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    kind = media_type_of(request)
    if kind not in ("multipart/form-data", "application/octet-stream"):
        raise UnsupportedMediaType(
            "Unsupported Media Type",
            errors=["Content-Type: send multipart/form-data or application/octet-stream"],
        )
    limit = runtime.settings.storage.max_upload_bytes
    scratch = scratch_directory(runtime.settings.data_dir / "tmp")
    try:
        fields: dict[str, Any]
        if kind == "application/octet-stream":
            # Every query argument is a File field, except the response's field filtering.
            fields = {k: v for k, v in request.query_params.items() if k not in _RESPONSE_PARAMS}
            content: Content | None = Content(await spool_body(request, scratch, limit))
        else:
            fields, content = await read_multipart(request, scratch, limit, ("data", "file"))
        if content is None:
            raise Invalid("is required: the part holding the file's bytes", field="data")

        def upload() -> dict[str, object]:
            with runtime.unit_of_work() as session:
                assert content is not None
                return file_object(_service(runtime, session, principal).upload(fields, content))

        return object_response(request, await run_in_threadpool(upload), status_code=201)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@router.get("", summary="List files")
def list_files(
    request: Request,
    principal: CarrierXPrincipal = Depends(requires(*STORAGE_READ)),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    wanted = read_list_request(request.query_params)
    with runtime.db.session() as session:
        page = _service(runtime, session, principal).list(wanted)
        return list_response(request, page, file_object, "file_sid")


@router.get("/{file_sid}", summary="Get a file")
def get_file(
    request: Request,
    file_sid: str,
    principal: CarrierXPrincipal = Depends(requires(*STORAGE_READ)),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.db.session() as session:
        return object_response(
            request, file_object(_service(runtime, session, principal).get(file_sid))
        )


@router.get("/{file_sid}/data", summary="Download a file's bytes", response_class=Response)
def download_file(
    request: Request,
    file_sid: str,
    principal: CarrierXPrincipal = Depends(requires(*STORAGE_READ)),
    runtime: Runtime = Depends(get_runtime),
) -> Response:
    with runtime.unit_of_work() as session:
        row = _service(runtime, session, principal).open_download(file_sid)
        key, size, mime, name = (
            row.file.blob_key,
            row.file.size,
            row.file.mime_type,
            row.record.name,
        )
    headers = {
        "Content-Disposition": f'attachment; filename="{_header_safe(name)}"',
        "Accept-Ranges": "bytes",
        **UNTRUSTED_CONTENT_HEADERS,
    }
    return blob_response(runtime, key, size, mime, headers, request.headers.get("range"))


async def _update(
    request: Request, file_sid: str, principal: CarrierXPrincipal, runtime: Runtime
) -> JSONResponse:
    replace = request.method == "PUT"
    kind = media_type_of(request)
    scratch = scratch_directory(runtime.settings.data_dir / "tmp")
    try:
        content: Content | None = None
        if kind == "multipart/form-data" and not replace:
            limit = runtime.settings.storage.max_upload_bytes
            body, content = await read_multipart(request, scratch, limit, ("data", "file"))
        else:
            body = await read_json(request, runtime.settings.max_body_bytes)

        def update() -> dict[str, object]:
            with runtime.unit_of_work() as session:
                service = _service(runtime, session, principal)
                return file_object(service.update(file_sid, body, replace=replace, content=content))

        return object_response(request, await run_in_threadpool(update))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@router.patch("/{file_sid}", summary="Update a file's given fields, or its content")
async def patch_file(
    request: Request,
    file_sid: str,
    principal: CarrierXPrincipal = Depends(requires(*STORAGE_UPDATE)),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    return await _update(request, file_sid, principal, runtime)


@router.put("/{file_sid}", summary="Replace a file's writable fields")
async def put_file(
    request: Request,
    file_sid: str,
    principal: CarrierXPrincipal = Depends(requires(*STORAGE_UPDATE)),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    return await _update(request, file_sid, principal, runtime)


@router.delete("/{file_sid}", summary="Delete a file", status_code=204)
def delete_file(
    file_sid: str,
    principal: CarrierXPrincipal = Depends(requires(*STORAGE_DELETE)),
    runtime: Runtime = Depends(get_runtime),
) -> Response:
    with runtime.unit_of_work() as session:
        _service(runtime, session, principal).delete(file_sid)
    return Response(status_code=204)


def _header_safe(name: str) -> str:
    return "".join(c if c.isprintable() and c not in '"\\' and ord(c) < 128 else "_" for c in name)
