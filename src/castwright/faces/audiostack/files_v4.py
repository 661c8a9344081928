"""SDK 4.0 file and folder routes (/files, /folders): bare JSON, snake_case bodies."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from castwright.auth.service import Principal
from castwright.errors import Invalid
from castwright.faces.audiostack.file_objects import folder_v4, v4_file
from castwright.faces.audiostack.wire import WireModel
from castwright.faces.deps import authenticate, get_runtime
from castwright.files.categories import FILE_TYPES, category_by_id, category_for, file_type_id
from castwright.files.odata import parse_filter, parse_order_by
from castwright.files.repository import FileQuery
from castwright.files.service import FileFields, FileService
from castwright.models.file import File
from castwright.models.folder import Folder
from castwright.runtime import Runtime

__all__ = ["router"]

router = APIRouter(tags=["Files"])


class FileCreate(WireModel):
    file_name: str = ""
    folder_id: str | None = None
    category_id: str | None = None


class FilePatch(WireModel):
    file_name: str | None = None
    category_id: str | None = None
    category_name: str | None = None
    access_control: str | None = None


class FileCopy(WireModel):
    file_id: str = ""
    current_folder_id: str = ""
    new_folder_id: str = ""


class FolderCreate(WireModel):
    folder_name: str = ""
    parent_folder_id: str | None = None


class FolderPatch(WireModel):
    folder_name: str = ""


def _service(runtime: Runtime, session: Any, principal: Principal) -> FileService:
    return FileService(runtime, session, principal.org_id, principal.key_id)


def _category_name(category_id: str | None) -> str | None:
    if category_id is None:
        return None
    category = category_by_id(category_id)
    if category is None:
        raise Invalid(
            "is not a known file category (GET /files/file-categories)", field="category_id"
        )
    return category.name


def _file_json(service: FileService, file: File) -> dict[str, Any]:
    return v4_file(file, service.download_url(file))


@router.post("/files", summary="Create a file and an upload URL")
def create_file(
    body: FileCreate,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    if not body.file_name:
        raise Invalid("is required", field="file_name")
    with runtime.unit_of_work() as session:
        service = _service(runtime, session, principal)
        folder = service.folders.get(body.folder_id) if body.folder_id else service.folders.root()
        ticket = service.create_upload(
            folder,
            body.file_name,
            FileFields(category=_category_name(body.category_id), source="sdk"),
        )
        data = {"fileId": ticket.file.id, "uploadUrl": ticket.url, "mimeType": ticket.mime_type}
    return JSONResponse(data)


@router.get("/files/file-categories", summary="File types and their categories")
def file_categories(principal: Principal = Depends(authenticate)) -> JSONResponse:
    types = []
    for file_type, names in FILE_TYPES.items():
        categories = [category_for(file_type, name) for name in names]
        types.append(
            {
                "fileTypeId": file_type_id(file_type),
                "name": file_type,
                "fileCategories": [
                    {"fileCategoryId": c.id, "name": c.name} for c in categories if c is not None
                ],
            }
        )
    return JSONResponse({"fileTypes": types})


@router.put("/files/copy", summary="Copy a file to another folder")
def copy_file(
    body: FileCopy,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    for name in ("file_id", "current_folder_id", "new_folder_id"):
        if not getattr(body, name):
            raise Invalid("is required", field=name)
    with runtime.unit_of_work() as session:
        service = _service(runtime, session, principal)
        file = service.get(body.file_id)
        if file.folder_id != body.current_folder_id:
            raise Invalid("is not the folder the file is in", field="current_folder_id")
        copy = service.copy(file, service.folders.get(body.new_folder_id))
        data = _file_json(service, copy)
    return JSONResponse(data)


@router.get("/files/{fileId}", summary="Get a file")
def get_file(
    fileId: str,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.unit_of_work() as session:
        service = _service(runtime, session, principal)
        data = _file_json(service, service.refresh(service.get(fileId)))
    return JSONResponse(data)


@router.patch("/files/{fileId}", summary="Update a file")
def patch_file(
    body: FilePatch,
    fileId: str,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.unit_of_work() as session:
        service = _service(runtime, session, principal)
        category = body.category_name or _category_name(body.category_id)
        file = service.update(
            service.get(fileId),
            FileFields(category=category),
            new_name=body.file_name,
            access_control=body.access_control,
            category_field="category_name" if body.category_name else "category_id",
        )
        data = _file_json(service, file)
    return JSONResponse(data)


@router.delete("/files/{fileId}", summary="Delete a file")
def delete_file(
    fileId: str,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.unit_of_work() as session:
        service = _service(runtime, session, principal)
        service.delete(service.get(fileId))
    return JSONResponse({})


# -- folders -------------------------------------------------------------------------------


def _listing(service: FileService, folder: Folder) -> dict[str, Any]:
    files, _ = service.search(FileQuery(folder_id=folder.id, limit=100))
    return {
        "data": {
            "folders": [folder_v4(c) for c in service.folders.children(folder)],
            "files": [_file_json(service, f) for f in files],
            "currentPathChain": [folder_v4(f) for f in service.folders.chain(folder)],
        },
        "pagination": {"limit": 100, "offset": 0},
    }


@router.get("/folders", summary="List the root folder (or the folder at ?path=)")
def list_root(
    path: str = "",
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.unit_of_work() as session:
        service = _service(runtime, session, principal)
        data = _listing(service, service.folders.by_path(path, "path"))
    return JSONResponse(data)


@router.post("/folders", summary="Create a folder")
def create_folder(
    body: FolderCreate,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    if not body.folder_name:
        raise Invalid("is required", field="folder_name")
    with runtime.unit_of_work() as session:
        service = _service(runtime, session, principal)
        folder = service.folders.create(body.folder_name, body.parent_folder_id)
        data = folder_v4(folder)
    return JSONResponse(data)


@router.get("/folders/{folderId}/files", summary="List a folder's files")
def list_folder_files(
    request: Request,
    folderId: str,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    params = request.query_params
    limit = _bounded_int(params.get("limit"), 100, 1, 1000, "limit")
    offset = _bounded_int(params.get("offset"), 0, 0, 10**9, "offset")
    query = FileQuery(folder_id=folderId, limit=limit, offset=offset)
    if params.get("$filter"):
        query.condition = parse_filter(params["$filter"])
    if params.get("$orderBy"):
        query.order = parse_order_by(params["$orderBy"])
    with runtime.db.session() as session:
        service = _service(runtime, session, principal)
        service.folders.get(folderId)
        files, _ = service.search(query)
        data = [_file_json(service, f) for f in files]
    return JSONResponse({"data": data, "pagination": {"limit": limit, "offset": offset}})


def _bounded_int(value: str | None, default: int, low: int, high: int, field: str) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise Invalid("must be an integer", field=field) from None
    if not low <= number <= high:
        raise Invalid(f"must be between {low} and {high}", field=field)
    return number


@router.get("/folders/{folderId}", summary="List a folder")
def get_folder(
    folderId: str,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.unit_of_work() as session:
        service = _service(runtime, session, principal)
        data = _listing(service, service.folders.get(folderId))
    return JSONResponse(data)


@router.patch("/folders/{folderId}", summary="Rename a folder")
def patch_folder(
    body: FolderPatch,
    folderId: str,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    if not body.folder_name:
        raise Invalid("is required", field="folder_name")
    with runtime.unit_of_work() as session:
        service = _service(runtime, session, principal)
        data = folder_v4(service.folders.rename(folderId, body.folder_name))
    return JSONResponse(data)


@router.delete("/folders/{folderId}", summary="Delete an empty folder")
def delete_folder(
    folderId: str,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.unit_of_work() as session:
        service = _service(runtime, session, principal)
        service.delete_folder(service.folders.get(folderId))
    return JSONResponse({})
