"""File rules of the CarrierX face, over the organisation's file library.

A CarrierX file is a library file (same id, same bytes, visible to the AudioStack face in
``carrierx/<container_sid>``) plus a ``carrierx_file`` row with the face's own fields. The
bytes arrive whole with the request, are detected (format, duration, classification) before
anything is stored, and are admitted by the container's rules (quotas, classifications,
unique access names) under a lock on the container, so two uploads cannot both take its last
free slot.
"""

from __future__ import annotations

import posixpath
import shutil
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from castwright.carrierx.containers import CONTAINER_ROOT, ContainerService
from castwright.carrierx.detect import Detected, detect
from castwright.carrierx.errors import ItemNotFound, SidConflict
from castwright.carrierx.fields import coerce_body, require_object
from castwright.carrierx.identity import partner_sid_for
from castwright.carrierx.listing import ListRequest, Page
from castwright.carrierx.repository import CarrierXRepository, FileRow
from castwright.carrierx.schema import FILE_FIELDS, FILE_READ_ONLY
from castwright.carrierx.transcode import transcode
from castwright.db.base import utcnow
from castwright.errors import CastwrightError, Invalid
from castwright.files.paths import check_file_name
from castwright.files.service import FileFields, FileService
from castwright.models.carrierx_container import CarrierXContainer
from castwright.models.carrierx_file import CarrierXFile
from castwright.models.file import File, FileStatus
from castwright.runtime import Runtime

__all__ = ["ARCHIVE_ROOT", "Content", "StorageFileService", "expiry_of"]

ARCHIVE_ROOT = "carrierx-archive"  # where lifecycle_action=archive leaves expired files
_ACCESS_TOUCH = timedelta(minutes=1)  # date_last_accessed moves at most once a minute
# Fields a body may give that live elsewhere than on the carrierx_file row (or not at all).
_NOT_ON_RECORD = frozenset({"container_sid", "partner_sid", "mime_type", "name"})
_CLEARED_BY_PUT = (
    "integer_key_1",
    "integer_key_2",
    "parent_file_sid",
    *(f"string_key_{n}" for n in range(1, 5)),
)


@dataclass(frozen=True)
class Content:
    """Bytes a request brought, spooled to a local file the service may consume."""

    path: Path
    filename: str | None = None  # the multipart part's file name, if any


def expiry_of(ttl: int, set_at: datetime) -> datetime | None:
    return None if ttl < 0 else set_at + timedelta(seconds=ttl)


class StorageFileService:
    def __init__(self, runtime: Runtime, session: Session, org_id: str, user_id: str = "") -> None:
        self.runtime = runtime
        self.session = session
        self.org_id = org_id
        self.repo = CarrierXRepository(session)
        self.containers = ContainerService(runtime, session, org_id, user_id)
        self.library = FileService(runtime, session, org_id, user_id)

    # -- reading ---------------------------------------------------------------------------

    def get(self, sid: str) -> FileRow:
        row = self.repo.file(self.org_id, sid)
        if row is None:
            raise ItemNotFound("file_sid", sid)
        return row

    def list(self, request: ListRequest) -> Page[FileRow]:
        return self.repo.list_files(self.org_id, request)

    def open_download(self, sid: str) -> FileRow:
        """The file for the authenticated download route, which records the access."""
        row = self.get(sid)
        now = utcnow()
        last = row.record.date_last_accessed
        if last is None or now - last >= _ACCESS_TOUCH:
            row.record.date_last_accessed = now
        return row

    # -- creating --------------------------------------------------------------------------

    def upload(
        self,
        body: Any,
        content: Content,
        *,
        default_type: str = "file",
        container_field: str = "container_sid",
    ) -> FileRow:
        values = coerce_body(require_object(body), FILE_FIELDS, FILE_READ_ONLY, "create")
        self._check_partner(values)
        container_sid = values.get("container_sid")
        if not container_sid:
            raise Invalid("is required", field=container_field)
        container = self.repo.container(self.org_id, container_sid)
        if container is None:
            raise Invalid("is not a container of this partner", field=container_field)
        name = values.get("name") or content.filename or values.get("file_access_name") or ""
        # Detection and transcoding decode the whole file: done before the container is
        # locked, so a long decode never holds up other writers.
        path, detected = self._detect(content.path, name)
        path, detected = self._transcoded(path, detected, values)
        size = path.stat().st_size
        self.repo.lock_container(container)
        # TTS file mode reports every refusal on its query argument (contract 5.2).
        renamed = None if container_field == "container_sid" else container_field
        self._admit(container, size, 1, detected.classification, renamed)
        self.library.check_quota(size)
        extension = detected.format if detected.media else posixpath.splitext(name)[1][1:]
        folder = self.library.folders.ensure(f"{CONTAINER_ROOT}/{container.id}")
        provisional = _with_extension("upload", _safe_extension(extension))
        file = self.library.new_file(folder, provisional, FileFields(source="carrierx"))
        access_name = values.get("file_access_name") or _with_extension(file.id, extension)
        name = name or access_name
        file.name = _library_name(name, file.id, extension)
        now = utcnow()
        record = CarrierXFile(
            file_sid=file.id,
            container_sid=container.id,
            org_id=self.org_id,
            name=name,
            file_access_name=access_name,
            type=values.get("type") or default_type,
            content_classification=detected.classification,
            content_format=detected.format,
            created_at=now,
            date_modified=now,
        )
        self._apply_defaults(record, container)
        for field, value in values.items():
            if value is not None and field not in _NOT_ON_RECORD:
                setattr(record, field, value)
        record.expires_at = expiry_of(record.lifecycle_ttl, now)
        self._check_access_name(record)
        self._store(file, path, detected, values.get("mime_type"))
        self.repo.add(record)
        return FileRow(record, file, container)

    def check_container(self, container_sid: str, field: str) -> None:
        """What can be known before the content exists: the container, a free file slot and
        whether it takes media (TTS checks this before it synthesises)."""
        container = self.repo.container(self.org_id, container_sid)
        if container is None:
            raise Invalid("is not a container of this partner", field=field)
        self._admit(container, 0, 1, "media", field)

    # -- changing --------------------------------------------------------------------------

    def update(
        self, sid: str, body: Any, *, replace: bool, content: Content | None = None
    ) -> FileRow:
        """PATCH changes what is given; PUT returns the rest to the container's defaults.
        ``content`` replaces the bytes (multipart PATCH)."""
        row = self.get(sid)
        record, file = row.record, row.file
        values = coerce_body(require_object(body), FILE_FIELDS, FILE_READ_ONLY, "update")
        target = row.container
        if values.get("container_sid") not in (None, record.container_sid):
            target = self.repo.container(self.org_id, values["container_sid"]) or _no_container()
        moving = target is not row.container
        wanted = dict(values)
        if values.get("desired_format") or values.get("desired_bitrate"):
            # A new target keeps the other half of what was asked before.
            wanted.setdefault("desired_format", record.desired_format)
            wanted.setdefault("desired_bitrate", record.desired_bitrate)
        with ExitStack() as scratch:
            new_bytes: tuple[Path, Detected] | None = None
            if content is not None:
                new_bytes = self._detect(content.path, values.get("name") or record.name)
            elif values.get("desired_format") or values.get("desired_bitrate"):
                new_bytes = self._stored_copy(row, scratch)
            self._replace_content(row, target, new_bytes, wanted)
        if new_bytes is None and moving:
            self.repo.lock_container(target)
            self._admit(target, file.size, 1, record.content_classification)
        if replace:
            self._apply_defaults(record, target)
            for name in _CLEARED_BY_PUT:
                setattr(record, name, None)
        now = utcnow()
        for field, value in values.items():
            if field not in _NOT_ON_RECORD or field == "name":
                setattr(record, field, value)
        if values.get("mime_type"):
            file.mime_type = values["mime_type"]
        if "name" in values:
            file.name = _library_name(values["name"], file.id, record.content_format)
        if moving:
            self._move(file, target)
            record.container_sid = target.id
        if "lifecycle_ttl" in values or replace:  # the TTL counts from when it was set
            record.expires_at = expiry_of(record.lifecycle_ttl, now)
        record.date_modified = now
        file.updated_at = now
        self._check_access_name(record)
        self.session.flush()
        return FileRow(record, file, target)

    def _replace_content(
        self,
        row: FileRow,
        target: CarrierXContainer,
        new_bytes: tuple[Path, Detected] | None,
        values: dict[str, Any],
    ) -> None:
        if new_bytes is None:
            return
        file, moving = row.file, target is not row.container
        path, detected = self._transcoded(new_bytes[0], new_bytes[1], values)
        size = path.stat().st_size
        self.repo.lock_container(target)
        added = size if moving else size - file.size
        self._admit(target, added, int(moving), detected.classification)
        self.library.check_quota(size - file.size)
        self._store(file, path, detected, values.get("mime_type"))
        row.record.content_classification = detected.classification
        row.record.content_format = detected.format

    def delete(self, sid: str) -> None:
        """As the library deletes: refused (409) while something still uses the file."""
        row = self.get(sid)
        self.library.delete(row.file)

    def archive(self, row: FileRow) -> None:
        """Take the file out of its container and keep it in the library's archive folder."""
        folder = self.library.folders.ensure(f"{ARCHIVE_ROOT}/{row.container.id}")
        row.file.folder_id, row.file.folder_path = folder.id, folder.path
        row.file.updated_at = utcnow()
        self.repo.delete(row.record)

    # -- rules -----------------------------------------------------------------------------

    def _admit(
        self,
        container: CarrierXContainer,
        extra_bytes: int,
        extra_files: int,
        classification: str,
        field: str | None = None,
    ) -> None:
        """The container's admission rules for content about to arrive (section 7.3)."""
        totals = self.repo.totals(container.id)

        def refuse(what: str, message: str) -> Invalid:
            if field is None:
                return Invalid(message, field=what)
            return Invalid(f"{what}: {message}", field=field)

        if container.allowed_classifications and (
            classification not in container.allowed_classifications
        ):
            raise refuse("content_classification", f"{classification} files are not allowed")
        if classification in container.blocked_classifications:
            raise refuse("content_classification", f"{classification} files are blocked")
        if extra_files and totals.files + extra_files > container.quota_files:
            raise refuse(
                "quota_files",
                f"the container holds {totals.files} of {container.quota_files} files",
            )
        if extra_bytes > 0 and totals.bytes + extra_bytes > container.quota_bytes:
            raise refuse(
                "quota_bytes",
                f"{extra_bytes} more bytes would exceed the quota "
                f"({totals.bytes} of {container.quota_bytes} bytes used)",
            )

    def _check_access_name(self, record: CarrierXFile) -> None:
        clash = self.repo.access_name_taken(
            record.container_sid,
            record.file_access_name,
            record.file_sid,
            unique_only=not record.unique,
        )
        if clash is not None:
            raise SidConflict(
                "file_access_name", "another file in the container has this name", clash
            )

    def _check_partner(self, values: dict[str, Any]) -> None:
        partner = values.get("partner_sid")
        if partner is not None and partner != partner_sid_for(self.org_id):
            raise Invalid("is not this partner", field="partner_sid")

    def _detect(self, path: Path, name: str) -> tuple[Path, Detected]:
        """Detection reads the file under a name with the client's extension (the library's
        probe trusts a name that says audio only when the bytes decode)."""
        extension = _safe_extension(posixpath.splitext(name)[1][1:])
        named = path.with_name(f"{path.name}.{extension}") if extension else path
        if named != path:
            path.rename(named)
        return named, detect(named, name)

    def _transcoded(
        self, path: Path, detected: Detected, values: dict[str, Any]
    ) -> tuple[Path, Detected]:
        target = values.get("desired_format")
        if not target and not values.get("desired_bitrate"):
            return path, detected
        if detected.media is None:
            raise Invalid("only audio can be transcoded", field="desired_format")
        output = transcode(path, target or detected.format, values.get("desired_bitrate"))
        path.unlink(missing_ok=True)
        return output, detect(output, output.name)

    def _stored_copy(self, row: FileRow, scratch: ExitStack) -> tuple[Path, Detected]:
        """The stored bytes as a local file of their own, for transcoding in place; it lives
        in a directory ``scratch`` removes."""
        spool = self.runtime.settings.data_dir / "tmp"
        spool.mkdir(parents=True, exist_ok=True)
        folder = scratch.enter_context(tempfile.TemporaryDirectory(dir=spool, prefix="cx-"))
        local = Path(folder) / "stored"
        with self.runtime.blobs.local_copy(row.file.blob_key) as stored:
            shutil.copyfile(stored, local)
        return self._detect(local, row.record.file_access_name)

    def _store(self, file: File, path: Path, detected: Detected, mime_type: str | None) -> None:
        """Bytes into the blob store (before commit, so no row ever points at missing bytes)
        and what detection learnt onto the library row."""
        media = detected.media
        file.size = path.stat().st_size
        file.kind = detected.kind
        file.mime_type = mime_type or detected.mime_type
        file.format = detected.format or None
        file.duration = detected.duration
        file.sample_rate = media.sample_rate if media else None
        file.channels = media.channels if media else None
        file.codec = media.codec if media else None
        file.status = FileStatus.READY
        self.runtime.blobs.put_file(file.blob_key, path)

    def _move(self, file: File, target: CarrierXContainer) -> None:
        folder = self.library.folders.ensure(f"{CONTAINER_ROOT}/{target.id}")
        file.folder_id, file.folder_path = folder.id, folder.path

    @staticmethod
    def _apply_defaults(record: CarrierXFile, container: CarrierXContainer) -> None:
        record.lifecycle_action = container.default_file_lifecycle_action
        record.lifecycle_ttl = container.default_file_lifecycle_ttl
        record.publish = container.default_file_publish
        record.threshold_include = container.default_file_threshold_include
        record.unique = container.default_file_unique


def _no_container() -> CarrierXContainer:
    raise Invalid("is not a container of this partner", field="container_sid")


def _with_extension(stem: str, extension: str) -> str:
    return f"{stem}.{extension}" if extension else stem


def _library_name(name: str, file_id: str, extension: str) -> str:
    """The CarrierX name where the library can hold it (one segment, no control characters),
    else ``<file_sid>.<ext>``."""
    try:
        return check_file_name(name)
    except CastwrightError:
        return _with_extension(file_id, extension)


def _safe_extension(extension: str) -> str:
    return "".join(c for c in extension.lower() if c.isalnum())[:16]
