"""All SQL for files, folders, tags and references."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, Select, delete, func, or_, select, update
from sqlalchemy.orm import QueryableAttribute, Session

from castwright.models.file import File, FileReference, FileStatus, FileTag
from castwright.models.folder import Folder

__all__ = ["FileQuery", "FileRepository"]

_SORTABLE = {
    "dateCreated": File.created_at,
    "dateModified": File.updated_at,
    "createdAt": File.created_at,
    "updatedAt": File.updated_at,
    "name": File.name,
    "fileName": File.name,
    "filePath": File.folder_path,
    "size": File.size,
    "duration": File.duration,
    "category": File.category,
    "fileType": File.kind,
    "status": File.status,
}


@dataclass
class FileQuery:
    path: str | None = None  # folder prefix
    name: str | None = None  # substring, case-insensitive
    source: str | None = None
    file_type: str | None = None
    category: str | None = None
    tags: list[str] = field(default_factory=list)
    folder_id: str | None = None
    condition: ColumnElement[bool] | None = None  # e.g. a parsed OData $filter
    order: list[tuple[str, bool]] = field(default_factory=lambda: [("createdAt", True)])
    offset: int = 0
    limit: int = 100


def sortable_fields() -> list[str]:
    return sorted(_SORTABLE)


class FileRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- folders ---------------------------------------------------------------------------

    def folder(self, org_id: str, folder_id: str) -> Folder | None:
        return self.session.scalars(
            select(Folder).where(Folder.id == folder_id, Folder.org_id == org_id)
        ).first()

    def folder_by_path(self, org_id: str, path: str) -> Folder | None:
        return self.session.scalars(
            select(Folder).where(Folder.org_id == org_id, Folder.path == path)
        ).first()

    def subfolders(self, org_id: str, parent_id: str) -> Sequence[Folder]:
        query = select(Folder).where(Folder.org_id == org_id, Folder.parent_id == parent_id)
        return self.session.scalars(query.order_by(Folder.name)).all()

    def add(self, row: Folder | File) -> None:
        self.session.add(row)
        self.session.flush()

    def folder_is_empty(self, folder: Folder) -> bool:
        has_file = select(File.id).where(File.folder_id == folder.id).limit(1)
        has_child = select(Folder.id).where(Folder.parent_id == folder.id).limit(1)
        return self.session.scalar(has_file) is None and self.session.scalar(has_child) is None

    def under(self, org_id: str, path: str) -> tuple[Sequence[Folder], Sequence[File]]:
        """Every folder and file at or below ``path``."""
        folders = self.session.scalars(
            select(Folder).where(Folder.org_id == org_id, _below(Folder.path, path))
        ).all()
        files = self.session.scalars(
            select(File).where(File.org_id == org_id, _below(File.folder_path, path))
        ).all()
        return folders, files

    def move_tree(self, org_id: str, old: str, new: str) -> None:
        """Rewrite the stored paths of everything below a renamed folder."""
        cut = len(old) + 1
        for model, column in ((Folder, Folder.path), (File, File.folder_path)):
            self.session.execute(
                update(model)
                .where(model.org_id == org_id, column.startswith(old + "/", autoescape=True))
                .values({column: new + "/" + func.substr(column, cut + 1)})
                .execution_options(synchronize_session=False)
            )
            self.session.execute(
                update(model)
                .where(model.org_id == org_id, column == old)
                .values({column: new})
                .execution_options(synchronize_session=False)
            )
        self.session.expire_all()

    # -- files -----------------------------------------------------------------------------

    def file(self, org_id: str, file_id: str) -> File | None:
        return self.session.scalars(
            select(File).where(File.id == file_id, File.org_id == org_id)
        ).first()

    def claim_upload(self, blob_key: str) -> bool:
        """Move a pending upload to processing with one conditional UPDATE: of concurrent PUTs
        exactly one wins, on every backend (SQLite ignores SELECT ... FOR UPDATE)."""
        claim = (
            update(File)
            .where(
                File.blob_key == blob_key,
                File.status == FileStatus.PENDING,
                File.source_url.is_(None),
            )
            .values(status=FileStatus.PROCESSING)
            .execution_options(synchronize_session=False)
        )
        return cast(CursorResult[Any], self.session.execute(claim)).rowcount == 1

    def file_by_blob(self, blob_key: str) -> File | None:
        return self.session.scalars(select(File).where(File.blob_key == blob_key)).first()

    def set_tags(self, file: File, tags: list[str]) -> None:
        self.session.execute(delete(FileTag).where(FileTag.file_id == file.id))
        for tag in dict.fromkeys(tags):
            self.session.add(FileTag(file_id=file.id, tag=tag))
        file.tags = list(dict.fromkeys(tags))
        self.session.flush()

    def org_bytes(self, org_id: str) -> int:
        return self.session.scalar(select(func.sum(File.size)).where(File.org_id == org_id)) or 0

    def delete_file(self, file: File) -> None:
        self.session.delete(file)
        self.session.flush()

    def delete_folder(self, folder: Folder) -> None:
        self.session.delete(folder)
        self.session.flush()

    def references(self, file_id: str) -> Sequence[FileReference]:
        return self.session.scalars(
            select(FileReference).where(FileReference.file_id == file_id)
        ).all()

    def add_reference(self, file_id: str, owner_kind: str, owner_id: str) -> None:
        self.session.add(FileReference(file_id=file_id, owner_kind=owner_kind, owner_id=owner_id))
        self.session.flush()

    def remove_references(self, owner_kind: str, owner_id: str) -> None:
        """The owner no longer uses its files (they stay in the library)."""
        self.session.execute(
            delete(FileReference).where(
                FileReference.owner_kind == owner_kind, FileReference.owner_id == owner_id
            )
        )

    def files_of_owner(self, owner_kind: str, owner_id: str) -> Sequence[File]:
        query = (
            select(File)
            .join(FileReference, FileReference.file_id == File.id)
            .where(FileReference.owner_kind == owner_kind, FileReference.owner_id == owner_id)
        )
        return self.session.scalars(query).all()

    def search(self, org_id: str, query: FileQuery) -> tuple[Sequence[File], int]:
        statement = self._filtered(org_id, query)
        total = self.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
        for name, descending in query.order:
            column = _SORTABLE[name]
            statement = statement.order_by(column.desc() if descending else column.asc())
        statement = statement.order_by(File.id).offset(query.offset).limit(query.limit)
        return self.session.scalars(statement).all(), total

    def _filtered(self, org_id: str, query: FileQuery) -> Select[File]:
        statement = select(File).where(File.org_id == org_id)
        if query.path:
            statement = statement.where(_below(File.folder_path, query.path))
        if query.folder_id:
            statement = statement.where(File.folder_id == query.folder_id)
        if query.name:
            statement = statement.where(File.name.icontains(query.name, autoescape=True))
        for column, value in (
            (File.source, query.source),
            (File.kind, query.file_type),
            (File.category, query.category),
        ):
            if value:
                statement = statement.where(column == value)
        for tag in query.tags:
            statement = statement.where(
                File.id.in_(select(FileTag.file_id).where(FileTag.tag == tag))
            )
        if query.condition is not None:
            statement = statement.where(query.condition)
        return statement


def _below(column: QueryableAttribute[str], path: str) -> ColumnElement[bool]:
    return or_(column == path, column.startswith(path + "/", autoescape=True))
