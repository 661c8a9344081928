"""File rules: uploads, transfers, probing, search, moves, copies and safe deletion."""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.orm import Session

from castwright.db.base import new_id, utcnow
from castwright.db.engine import after_commit
from castwright.errors import Conflict, Invalid, NotFound, QuotaExceeded
from castwright.files.folders import FolderService
from castwright.files.paths import check_file_name, normalise_folder_path, split_file_path
from castwright.files.probe import kind_from_name, mime_type_for
from castwright.files.repository import FileQuery, FileRepository
from castwright.jobs.submit import submit_job
from castwright.models.file import File, FileStatus
from castwright.models.folder import Folder
from castwright.runtime import Runtime

__all__ = ["PROBE_JOB", "TRANSFER_JOB", "FileFields", "FileService", "UploadTicket"]

PROBE_JOB = "file.probe"
TRANSFER_JOB = "file.transfer"
GENERATED_ROOT = "generated"
UPLOAD_PREFIX = "/uploads"  # the route that accepts upload PUTs (faces/uploads.py)


@dataclass(frozen=True)
class FileFields:
    """Descriptive fields; None means "not given"."""

    category: str | None = None
    source: str | None = None
    tags: list[str] | None = None
    metadata: dict[str, Any] | None = None

    def check(self, category_field: str = "category") -> None:
        """Refuse text no database column can hold (PostgreSQL rejects NUL outright)."""
        _refuse_nul(self.category, category_field)
        _refuse_nul(self.source, "source")
        for tag in self.tags or []:
            _refuse_nul(tag, "tags")


def _refuse_nul(value: str | None, field: str) -> None:
    if value is not None and "\x00" in value:
        raise Invalid("may not contain NUL characters", field=field)


@dataclass(frozen=True)
class UploadTicket:
    file: File
    url: str
    mime_type: str
    expires_in: int


@dataclass
class _Deletion:
    files: list[File] = field(default_factory=list)
    folders: list[Folder] = field(default_factory=list)


class FileService:
    def __init__(self, runtime: Runtime, session: Session, org_id: str, user_id: str = "") -> None:
        self.runtime = runtime
        self.session = session
        self.repo = FileRepository(session)
        self.folders = FolderService(session, org_id, user_id)
        self.org_id = org_id
        self.user_id = user_id

    # -- creating ------------------------------------------------------------------------

    def _new_file(self, folder: Folder, name: str, fields: FileFields) -> File:
        fields.check()
        extension = posixpath.splitext(name)[1].lstrip(".").lower()
        file_id = new_id()
        safe_extension = "".join(c for c in extension if c.isalnum())[:16]
        blob_key = f"orgs/{self.org_id}/files/{file_id}" + (
            f".{safe_extension}" if safe_extension else ""
        )
        file = File(
            id=file_id,
            org_id=self.org_id,
            folder_id=folder.id,
            folder_path=folder.path,
            name=name,
            extension=extension,
            kind=kind_from_name(name),
            mime_type=mime_type_for(name),
            category=fields.category or "",
            source=fields.source or "api",
            metadata_=fields.metadata or {},
            blob_key=blob_key,
            created_by=self.user_id,
        )
        self.repo.add(file)
        self.repo.set_tags(file, fields.tags or [])
        return file

    def new_file(self, folder: Folder, name: str, fields: FileFields) -> File:
        """A pending library row with its blob key, for a face that stores the bytes itself
        (the CarrierX face's uploads and TTS files, probed before they are answered)."""
        return self._new_file(folder, check_file_name(name), fields)

    def create_upload(
        self, folder: Folder, name: str, fields: FileFields, field: str = "file_name"
    ) -> UploadTicket:
        self.check_quota(0)
        file = self._new_file(folder, check_file_name(name, field), fields)
        ttl = self.runtime.settings.storage.upload_url_ttl_seconds
        url = self.runtime.blobs.presign(file.blob_key, "PUT", ttl, content_type=file.mime_type)
        if url is None:
            url = self.runtime.signer.url(
                file.blob_key, ttl, method="PUT", path_prefix=UPLOAD_PREFIX
            )
        return UploadTicket(file, url, file.mime_type, ttl)

    def create_upload_at_path(self, file_path: str, fields: FileFields) -> UploadTicket:
        folder_path, name = split_file_path(file_path)
        folder = self.folders.ensure(folder_path, "filePath")
        return self.create_upload(folder, name, fields, "filePath")

    def transfer(self, url: str, file_path: str, fields: FileFields) -> File:
        if not url.lower().startswith(("http://", "https://")):
            raise Invalid("must be an http or https URL", field="url")
        _refuse_nul(url, "url")
        folder_path, name = split_file_path(file_path)
        self.check_quota(0)
        file = self._new_file(self.folders.ensure(folder_path, "filePath"), name, fields)
        # Kept on the row (not only in the job) so a job re-run after a crash knows the URL.
        file.source_url = url
        submit_job(self.session, TRANSFER_JOB, file.id)
        return file

    def register_generated(
        self,
        folder_path: str,
        name: str,
        blob_key: str,
        *,
        size: int,
        duration: float,
        sample_rate: int,
        channels: int,
        fmt: str,
        category: str,
        owner_kind: str,
        owner_id: str,
    ) -> File:
        """Record server output (speech, mix) in the library, referenced by its owner."""
        folder = self.folders.ensure(f"{GENERATED_ROOT}/{folder_path}")
        file = self._new_file(folder, name, FileFields(category=category, source="castwright"))
        file.blob_key = blob_key
        file.size, file.duration = size, duration
        file.sample_rate, file.channels, file.format = sample_rate, channels, fmt
        file.status, file.generated = FileStatus.READY, True
        self.repo.add_reference(file.id, owner_kind, owner_id)
        return file

    def check_quota(self, incoming: int) -> None:
        """Refuse ``incoming`` more bytes when they would take the library past its quota."""
        limit = self.runtime.settings.storage.max_org_bytes
        if self.repo.org_bytes(self.org_id) + incoming > limit:
            raise QuotaExceeded(
                f"The library is full ({limit} bytes allowed)",
                errors=[f"file: the organisation's {limit}-byte quota is used"],
            )

    # -- reading ---------------------------------------------------------------------------

    def get(self, file_id: str) -> File:
        file = self.repo.file(self.org_id, file_id)
        if file is None:
            raise NotFound(
                f"File {file_id} not found", errors=[f"fileId: {file_id} does not exist"]
            )
        return file

    def refresh(self, file: File) -> File:
        """A pending upload whose bytes have arrived (e.g. straight to S3) goes to probing."""
        if (
            file.status == FileStatus.PENDING
            and file.source_url is None
            and self.runtime.blobs.exists(file.blob_key)
        ):
            self.mark_uploaded(file)
        return file

    def mark_uploaded(self, file: File) -> None:
        file.status = FileStatus.PROCESSING
        file.size = self.runtime.blobs.size(file.blob_key)
        submit_job(self.session, PROBE_JOB, file.id)

    def search(self, query: FileQuery) -> tuple[Sequence[File], int]:
        if query.path:  # 'music/' and 'music//beds' mean what they say; '..' is refused
            query = replace(query, path=normalise_folder_path(query.path, "path"))
        return self.repo.search(self.org_id, query)

    def download_url(self, file: File, permanent: bool = False) -> str | None:
        if file.status != FileStatus.READY:
            return None
        settings = self.runtime.settings
        if permanent:
            ttl = 10 * 365 * 24 * 3600
        elif file.access_control == "public":
            ttl = settings.public_url_ttl_seconds
        else:
            ttl = settings.signed_url_ttl_seconds
        native = self.runtime.blobs.presign(file.blob_key, "GET", ttl, filename=file.name)
        return native or self.runtime.signer.url(file.blob_key, ttl, file.name)

    # -- changing --------------------------------------------------------------------------

    def update(
        self,
        file: File,
        fields: FileFields,
        new_path: str | None = None,
        new_name: str | None = None,
        access_control: str | None = None,
        category_field: str = "category",
    ) -> File:
        fields.check(category_field)
        if new_path is not None:
            folder_path, name = split_file_path(new_path)
            folder = self.folders.ensure(folder_path, "filePath")
            file.folder_id, file.folder_path, file.name = folder.id, folder.path, name
        if new_name is not None:
            file.name = check_file_name(new_name, "file_name")
        if access_control is not None:
            if access_control not in ("public", "private"):
                raise Invalid("must be 'public' or 'private'", field="access_control")
            file.access_control = access_control
        if fields.category is not None:
            file.category = fields.category
        if fields.metadata is not None:
            file.metadata_ = fields.metadata
        if fields.tags is not None:
            self.repo.set_tags(file, fields.tags)
        file.updated_at, file.updated_by = utcnow(), self.user_id
        self.session.flush()
        return file

    def copy(self, file: File, target: Folder) -> File:
        if file.status != FileStatus.READY:
            raise Conflict(
                "Only a file that has finished uploading can be copied",
                errors=[f"file_id: file is {file.status}"],
            )
        self.check_quota(file.size)
        copy = self._new_file(
            target,
            file.name,
            FileFields(file.category, file.source, list(file.tags), file.metadata_),
        )
        for name in (
            "size",
            "duration",
            "sample_rate",
            "channels",
            "format",
            "codec",
            "kind",
            "mime_type",
            "access_control",
            "status",
        ):
            setattr(copy, name, getattr(file, name))
        source_key, target_key = file.blob_key, copy.blob_key
        # Copied before commit so the new row never points at missing bytes; a failed commit
        # leaves an unreferenced blob, which costs space but never shows a broken file.
        self.runtime.blobs.copy(source_key, target_key)
        self.session.flush()
        return copy

    # -- deleting --------------------------------------------------------------------------

    def delete(self, file: File, force: bool = False) -> None:
        users = self.repo.references(file.id)
        if users and not force:
            owners = ", ".join(f"{r.owner_kind} {r.owner_id}" for r in users)
            raise Conflict(
                "The file is still in use",
                errors=[f"fileId: used by {owners}; delete with force to remove"],
            )
        self._delete_rows(_Deletion(files=[file]))

    def delete_folder(self, folder: Folder, force: bool = False) -> None:
        if folder.parent_id is None:
            raise Conflict("The root folder cannot be deleted", errors=["folder: root"])
        if not self.folders.is_empty(folder) and not force:
            raise Conflict(
                "The folder is not empty",
                errors=[f"folder: {folder.path!r} is not empty; use forceDelete"],
            )
        folders, files = self.folders.contents(folder)
        self._delete_rows(_Deletion(files=list(files), folders=list(folders)))

    def delete_owned(self, owner_kind: str, owner_id: str) -> None:
        """Remove the library entries of something being deleted (e.g. a speech's sections)."""
        self._delete_rows(_Deletion(files=list(self.repo.files_of_owner(owner_kind, owner_id))))

    def _delete_rows(self, deletion: _Deletion) -> None:
        blob_keys = [f.blob_key for f in deletion.files]
        for file in deletion.files:
            self.repo.delete_file(file)
        for folder in sorted(deletion.folders, key=lambda f: -f.path.count("/")):
            self.repo.delete_folder(folder)
        blobs = self.runtime.blobs

        def delete_blobs() -> None:
            for key in blob_keys:
                blobs.delete(key)

        after_commit(self.session, delete_blobs)  # storage changes only once the database agreed
