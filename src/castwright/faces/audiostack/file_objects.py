"""Files and folders as AudioStack wire objects: the legacy shape and the 4.0 shape."""

from __future__ import annotations

from typing import Any

from castwright.faces.audiostack.serializers import iso
from castwright.files.categories import category_for, file_type_id
from castwright.models.file import File, FileStatus
from castwright.models.folder import Folder

__all__ = ["folder_v4", "legacy_file", "status_v4", "v4_file"]

_V4_STATUS = {
    FileStatus.PENDING: "pending",
    FileStatus.PROCESSING: "pending",  # the SDK waits for "uploaded"; probing is still pending
    FileStatus.READY: "uploaded",
    FileStatus.FAILED: "failed",
}


def status_v4(file: File) -> str:
    return _V4_STATUS.get(file.status, file.status)


def legacy_file(file: File, url: str | None) -> dict[str, Any]:
    return {
        "fileId": file.id,
        "filePath": file.path,
        "fileName": file.name,
        "fileType": file.kind,
        "extension": file.extension,
        "source": file.source,
        "dateCreated": iso(file.created_at),
        "dateModified": iso(file.updated_at or file.created_at),
        "size": file.size,
        "status": file.status,
        "failReason": file.fail_reason,
        "category": file.category,
        "tags": list(file.tags),
        "metadata": file.metadata_,
        "url": url,
        "userId": file.created_by,
        "generated": file.generated,
        "fileMetadata": {
            "type": file.mime_type,
            "data": {
                "length": file.duration,
                "sampleRate": file.sample_rate,
                "channels": file.channels,
                "format": file.format,
            },
        },
    }


def v4_file(file: File, url: str | None) -> dict[str, Any]:
    category = category_for(file.kind, file.category)
    return {
        "fileId": file.id,
        "fileName": file.name,
        "folderId": file.folder_id,
        "url": url,
        "createdBy": file.created_by,
        "createdAt": iso(file.created_at),
        "updatedAt": iso(file.updated_at),
        "updatedBy": file.updated_by,
        "fileType": {"fileTypeId": file_type_id(file.kind), "name": file.kind},
        "fileCategory": (
            {"fileCategoryId": category.id, "name": category.name} if category else None
        ),
        "size": file.size,
        "status": status_v4(file),
        "duration": file.duration,
        "accessControl": file.access_control,
        "failReason": file.fail_reason,
    }


def folder_v4(folder: Folder) -> dict[str, Any]:
    return {
        "folderId": folder.id,
        "folderName": folder.name,
        "parentFolderId": folder.parent_id,
        "createdBy": folder.created_by,
        "createdAt": iso(folder.created_at),
        "updatedAt": iso(folder.updated_at),
        "updatedBy": folder.updated_by,
    }
