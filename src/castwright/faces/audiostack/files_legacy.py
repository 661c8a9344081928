"""Legacy file and folder routes (/content/file, /content/folder): the LowCodeAPI flow."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from castwright.auth.service import Principal
from castwright.errors import Invalid
from castwright.faces.audiostack.envelope import envelope
from castwright.faces.audiostack.file_objects import legacy_file
from castwright.faces.audiostack.wire import WireModel, parse_bool
from castwright.faces.deps import authenticate, get_runtime
from castwright.files.repository import FileQuery, sortable_fields
from castwright.files.service import FileFields, FileService
from castwright.models.file import FileStatus
from castwright.runtime import Runtime

__all__ = ["router"]

router = APIRouter(tags=["File"])


class UploadRequest(WireModel):
    filePath: str = ""
    fileType: str | None = None
    category: str | None = None
    source: str | None = None
    tags: list[str] | None = None
    metadata: dict[str, Any] | None = None

    def fields(self) -> FileFields:
        return FileFields(self.category, self.source, self.tags, self.metadata)


class TransferRequest(UploadRequest):
    url: str = ""


class FilePatch(WireModel):
    filePath: str | None = None
    category: str | None = None
    tags: list[str] | None = None
    metadata: dict[str, Any] | None = None


class FolderRequest(WireModel):
    folder: str = ""


def _service(runtime: Runtime, session: Any, principal: Principal) -> FileService:
    return FileService(runtime, session, principal.org_id, principal.key_id)


def _required(value: str, field: str) -> str:
    if not value:
        raise Invalid("is required", field=field)
    return value


@router.post("/content/file/create-upload-url", summary="Creates a URL for uploading a new file")
def create_upload_url(
    body: UploadRequest,
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.unit_of_work() as session:
        ticket = _service(runtime, session, principal).create_upload_at_path(
            _required(body.filePath, "filePath"), body.fields()
        )
        data = {
            **legacy_file(ticket.file, None),
            "fileUploadUrl": ticket.url,  # what the SDK reads
            "url": ticket.url,  # what the LowCodeAPI gateway's example shows
            "mimeType": ticket.mime_type,
            "expiresIn": ticket.expires_in,
        }
    return envelope(request, data, "Upload URL created")


@router.put("/content/file/transfer-file", summary="Transfers a file from a URL")
def transfer_file(
    body: TransferRequest,
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.unit_of_work() as session:
        file = _service(runtime, session, principal).transfer(
            _required(body.url, "url"), _required(body.filePath, "filePath"), body.fields()
        )
        data = legacy_file(file, None)
    return envelope(request, data, "Transfer started")


@router.get("/content/file/search", summary="Search for files")
def search_files(
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    params = request.query_params
    sort = params.get("sortBy") or params.get("soryBy") or "-dateCreated"
    if sort.lstrip("-+") not in sortable_fields():
        raise Invalid(f"must be one of {', '.join(sortable_fields())}", field="sortBy")
    page = _positive_int(params.get("page"), 1, "page")
    limit = _positive_int(params.get("pageLimit"), 100, "pageLimit")
    if limit > 1000:
        raise Invalid("must be at most 1000", field="pageLimit")
    query = FileQuery(
        path=params.get("path") or None,
        name=params.get("name") or None,
        source=params.get("source") or None,
        file_type=params.get("fileType") or None,
        category=params.get("category") or None,
        tags=[t.strip() for v in params.getlist("tags") for t in v.split(",") if t.strip()],
        order=[(sort.lstrip("-+"), sort.startswith("-"))],
        offset=(page - 1) * limit,
        limit=limit,
    )
    with runtime.db.session() as session:
        service = _service(runtime, session, principal)
        files, total = service.search(query)
        items = [legacy_file(f, service.download_url(f)) for f in files]
    return envelope(
        request,
        {"items": items, "files": items, "total": total, "page": page, "pageLimit": limit},
        f"{total} files",
    )


def _positive_int(value: str | None, default: int, field: str) -> int:
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise Invalid("must be a positive integer", field=field)
    return int(value)


@router.get("/content/file/id/{fileId}", summary="Get a file object and a download URL")
def get_file(
    request: Request,
    fileId: str,
    permanentUrl: str | None = None,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    permanent = parse_bool(permanentUrl, False, "permanentUrl")
    with runtime.unit_of_work() as session:
        service = _service(runtime, session, principal)
        file = service.refresh(service.get(fileId))
        if file.status == FileStatus.FAILED:
            raise Invalid("File processing failed", errors=[file.fail_reason or "file: failed"])
        if file.status != FileStatus.READY:
            return envelope(
                request,
                {"fileId": file.id, "status": file.status},
                "File is being processed",
                status_code=202,
            )
        data = legacy_file(file, service.download_url(file, permanent))
    return envelope(request, data, "File retrieved")


@router.patch("/content/file/id/{fileId}", summary="Updates a file resource")
def patch_file(
    body: FilePatch,
    request: Request,
    fileId: str,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.unit_of_work() as session:
        service = _service(runtime, session, principal)
        file = service.update(
            service.get(fileId),
            FileFields(category=body.category, tags=body.tags, metadata=body.metadata),
            new_path=body.filePath,
        )
        data = legacy_file(file, service.download_url(file))
    return envelope(request, data, "File updated")


@router.delete("/content/file/id/{fileId}", summary="Deletes a file")
def delete_file(
    request: Request,
    fileId: str,
    force: str | None = None,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.unit_of_work() as session:
        service = _service(runtime, session, principal)
        service.delete(service.get(fileId), force=parse_bool(force, False, "force"))
    return envelope(request, {}, "File deleted")


@router.post("/content/folder", summary="Creates an empty folder")
def create_folder(
    body: FolderRequest,
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.unit_of_work() as session:
        folder = _service(runtime, session, principal).folders.ensure(
            _required(body.folder, "folder"), "folder"
        )
        data = {"folder": folder.path, "folderId": folder.id}
    return envelope(request, data, "Folder created")


@router.get("/content/folder", summary="Lists a folder")
def list_folder(
    request: Request,
    folder: str = "",
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.unit_of_work() as session:
        service = _service(runtime, session, principal)
        found = service.folders.by_path(folder, "folder")
        children = service.folders.children(found)
        files, _ = service.search(FileQuery(folder_id=found.id, limit=1000))
        data = {
            "folder": found.path,
            "folders": [{"filePath": c.path, "folderId": c.id} for c in children],
            "files": [legacy_file(f, service.download_url(f)) for f in files],
        }
    return envelope(request, data, "Folder listed")


@router.delete("/content/folder", summary="Deletes a folder")
def delete_folder(
    request: Request,
    folder: str = "",
    forceDelete: str | None = None,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.unit_of_work() as session:
        service = _service(runtime, session, principal)
        found = service.folders.by_path(_required(folder, "folder"), "folder")
        service.delete_folder(found, force=parse_bool(forceDelete, False, "forceDelete"))
    return envelope(request, {}, "Folder deleted")
