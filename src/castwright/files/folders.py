"""Folder rules: one root per organisation, unique paths, no deleting non-empty folders."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from castwright.db.base import utcnow
from castwright.errors import Conflict, Invalid, NotFound
from castwright.files.paths import join_path, normalise_folder_path
from castwright.files.repository import FileRepository
from castwright.models.file import File
from castwright.models.folder import Folder

__all__ = ["FolderService"]


class FolderService:
    def __init__(self, session: Session, org_id: str, user_id: str = "") -> None:
        self.repo = FileRepository(session)
        self.session = session
        self.org_id = org_id
        self.user_id = user_id

    def root(self) -> Folder:
        root = self.repo.folder_by_path(self.org_id, "")
        if root is None:
            root = Folder(
                org_id=self.org_id, parent_id=None, name="", path="", created_by=self.user_id
            )
            try:
                with self.session.begin_nested():
                    self.repo.add(root)
            except IntegrityError:  # another request created it first
                root = self.repo.folder_by_path(self.org_id, "")
                assert root is not None
        return root

    def get(self, folder_id: str) -> Folder:
        folder = self.repo.folder(self.org_id, folder_id)
        if folder is None:
            raise NotFound(
                f"Folder {folder_id} not found", errors=[f"folderId: {folder_id} does not exist"]
            )
        return folder

    def by_path(self, path: str, field: str = "path") -> Folder:
        normalised = normalise_folder_path(path, field)
        folder = (
            self.root() if not normalised else self.repo.folder_by_path(self.org_id, normalised)
        )
        if folder is None:
            raise NotFound(
                f"Folder {normalised!r} not found", errors=[f"{field}: no folder {normalised!r}"]
            )
        return folder

    def ensure(self, path: str, field: str = "folder") -> Folder:
        """The folder at ``path``, creating every missing folder on the way."""
        folder = self.root()
        for name in normalise_folder_path(path, field).split("/") if path else []:
            if not name:
                continue
            child_path = join_path(folder.path, name)
            child = self.repo.folder_by_path(self.org_id, child_path)
            if child is None:
                child = Folder(
                    org_id=self.org_id,
                    parent_id=folder.id,
                    name=name,
                    path=child_path,
                    created_by=self.user_id,
                )
                self.repo.add(child)
            folder = child
        return folder

    def create(self, name: str, parent_id: str | None, field: str = "folder_name") -> Folder:
        parent = self.get(parent_id) if parent_id else self.root()
        clean = normalise_folder_path(name, field)
        if not clean or "/" in clean:
            raise Invalid("must be a single folder name", field=field)
        path = join_path(parent.path, clean)
        if self.repo.folder_by_path(self.org_id, path) is not None:
            raise Conflict(
                f"A folder named {clean!r} already exists here",
                errors=[f"{field}: {clean!r} already exists in this folder"],
            )
        folder = Folder(
            org_id=self.org_id, parent_id=parent.id, name=clean, path=path, created_by=self.user_id
        )
        self.repo.add(folder)
        return folder

    def rename(self, folder_id: str, name: str, field: str = "folder_name") -> Folder:
        folder = self.get(folder_id)
        if folder.parent_id is None:
            raise Conflict("The root folder cannot be renamed", errors=["folderId: root"])
        clean = normalise_folder_path(name, field)
        if not clean or "/" in clean:
            raise Invalid("must be a single folder name", field=field)
        parent_path = folder.path.rpartition("/")[0]
        new_path = join_path(parent_path, clean)
        if new_path != folder.path:
            if self.repo.folder_by_path(self.org_id, new_path) is not None:
                raise Conflict(
                    f"A folder named {clean!r} already exists here",
                    errors=[f"{field}: {clean!r} already exists in this folder"],
                )
            self.repo.move_tree(self.org_id, folder.path, new_path)
            folder = self.get(folder_id)
        folder.name = clean
        folder.updated_at, folder.updated_by = utcnow(), self.user_id
        self.session.flush()
        return folder

    def chain(self, folder: Folder) -> list[Folder]:
        """From the root to ``folder``, inclusive."""
        chain = [folder]
        while chain[0].parent_id is not None:
            chain.insert(0, self.get(chain[0].parent_id))
        return chain

    def children(self, folder: Folder) -> Sequence[Folder]:
        return self.repo.subfolders(self.org_id, folder.id)

    def contents(self, folder: Folder) -> tuple[Sequence[Folder], Sequence[File]]:
        return self.repo.under(self.org_id, folder.path)

    def is_empty(self, folder: Folder) -> bool:
        return self.repo.folder_is_empty(folder)
