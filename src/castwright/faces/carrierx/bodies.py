"""Request bodies of the CarrierX face: JSON, raw uploads and multipart, each bounded."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import AsyncGenerator
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from castwright.carrierx.files import Content
from castwright.errors import BadRequest, CastwrightError, Invalid
from castwright.storage.base import too_large

__all__ = [
    "UnsupportedMediaType",
    "media_type_of",
    "read_json",
    "read_multipart",
    "scratch_directory",
    "spool_body",
]

_WRITE_BLOCK = 4 * 1024 * 1024


class UnsupportedMediaType(CastwrightError):
    status = 415
    code = "unsupported_media_type"


def media_type_of(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def _bounded(request: Request, limit: int) -> AsyncGenerator[bytes, None]:
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(limit, "request body", "body")
        yield chunk


async def read_json(request: Request, limit: int, *, empty_is_object: bool = True) -> Any:
    """The JSON body; none at all reads as {} where every field is optional."""
    raw = bytearray()
    async for chunk in _bounded(request, limit):
        raw += chunk
    if not raw.strip():
        if empty_is_object:
            return {}
        raise Invalid("a JSON body is required", field=None)
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest(
            "No JSON object could be decoded", errors=["body: not valid JSON"]
        ) from None


async def spool_body(request: Request, directory: Path, limit: int) -> Path:
    """The raw body in a file of ``directory``."""
    target = directory / "body"
    pending = bytearray()
    with target.open("wb") as handle:
        async for chunk in _bounded(request, limit):
            pending += chunk
            if len(pending) >= _WRITE_BLOCK:  # a thread hop per 64 KiB piece costs more
                await run_in_threadpool(handle.write, bytes(pending))
                pending.clear()
        if pending:
            await run_in_threadpool(handle.write, bytes(pending))
    return target


async def read_multipart(
    request: Request, directory: Path, limit: int, content_parts: tuple[str, ...]
) -> tuple[dict[str, Any], Content | None]:
    """``file_object`` (a JSON object, as a field or a file part) and the content part."""
    parser = MultiPartParser(request.headers, _bounded(request, limit), max_files=4, max_fields=16)
    try:
        form = await parser.parse()
    except MultiPartException as error:
        raise BadRequest("Invalid multipart body", errors=[f"body: {error.message}"]) from None
    try:
        fields = await _file_object(form.get("file_object"))
        content = None
        for name in content_parts:
            part = form.get(name)
            if isinstance(part, UploadFile):
                target = directory / "data"
                await run_in_threadpool(_copy, part, target)
                content = Content(target, part.filename)
                break
            if isinstance(part, str):
                (directory / "data").write_bytes(part.encode())
                content = Content(directory / "data")
                break
        return fields, content
    finally:
        await form.close()


async def _file_object(part: UploadFile | str | None) -> dict[str, Any]:
    if part is None:
        return {}
    raw = await part.read() if isinstance(part, UploadFile) else part
    try:
        value = json.loads(raw) if raw.strip() else {}
    except (ValueError, UnicodeDecodeError):
        raise Invalid("must be a JSON object", field="file_object") from None
    if not isinstance(value, dict):
        raise Invalid("must be a JSON object", field="file_object")
    return value


def _copy(part: UploadFile, target: Path) -> None:
    part.file.seek(0)
    with target.open("wb") as handle:
        shutil.copyfileobj(part.file, handle, _WRITE_BLOCK)


def scratch_directory(root: Path) -> Path:
    """A private directory for one request's spooled bytes (the caller removes it)."""
    root.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(dir=root, prefix="carrierx-"))
