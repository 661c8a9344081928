"""The official `audiostack` SDK's Files and Folders classes, unchanged, against a live server.

Everything goes through the SDK's own code: its snake_case bodies, its raw upload PUT with the
returned mimeType, its polling until "uploaded", its response parsing (File.Item insists that
fileType is an object) and its downloads, which carry the API key.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from uuid import UUID

import audiostack
import pytest
from audiostack.files.file import AccessControl, File
from audiostack.folders.folder import Folder

from support.library import make_audio, unique

pytestmark = pytest.mark.e2e


@contextmanager
def sdk_pointed_at(url: str, key: str) -> Iterator[None]:
    """Point the SDK's module globals at a server, and put them back afterwards."""
    saved = audiostack.api_base, audiostack.api_key
    audiostack.api_base, audiostack.api_key = url, key
    try:
        yield
    finally:
        audiostack.api_base, audiostack.api_key = saved


@pytest.fixture
def sdk(deployment: Any) -> Iterator[None]:
    with sdk_pointed_at(deployment.url, deployment.api_key):
        yield


def category_ids() -> dict[tuple[str, str], str]:
    """{(file type, category name): id} from the SDK's own call."""
    answer = File.get_file_categories()
    return {
        (file_type["name"], category["name"]): category["fileCategoryId"]
        for file_type in answer["fileTypes"]
        for category in file_type["fileCategories"]
    }


def test_file_lifecycle(sdk: None, tmp_path: Path) -> None:
    root_id = Folder.get_root_folder_id()
    assert str(UUID(root_id)) == root_id
    folder = Folder.create(name=unique("sdk-files"))
    assert isinstance(folder, Folder.Item) and folder.parentFolderId == root_id
    archive = Folder.create(name="archive", parentFolderId=UUID(folder.folderId))
    assert archive.parentFolderId == folder.folderId

    wav = make_audio(tmp_path / "in", "voice.wav", 1.25, rate=24000, channels=1)
    file = File.create(localPath=str(wav), fileName="voice.wav", folderId=UUID(folder.folderId))
    assert isinstance(file, File.Item)
    assert file.status == "uploaded"
    assert file.fileName == "voice.wav" and file.folderId == folder.folderId
    assert file.size == wav.stat().st_size
    assert file.fileType["name"] == "audio"
    assert file.duration == pytest.approx(1.25, rel=0.02)
    assert file.accessControl == "private" and file.url

    got = File.get(fileId=UUID(file.fileId))
    assert (got.fileId, got.fileName, got.size, got.status) == (
        file.fileId,
        "voice.wav",
        file.size,
        "uploaded",
    )
    got.download(fileName="voice-copy.wav", path=str(tmp_path))
    assert (tmp_path / "voice-copy.wav").read_bytes() == wav.read_bytes()

    consent = category_ids()[("audio", "consent")]
    patched = File.patch(
        fileId=UUID(file.fileId),
        fileName="voice-final.wav",
        categoryId=UUID(consent),
        accessControl=AccessControl.public,
    )
    assert patched.fileName == "voice-final.wav"
    assert patched.fileCategory == {"fileCategoryId": consent, "name": "consent"}
    assert patched.accessControl == "public"
    renamed_category = File.patch(fileId=UUID(file.fileId), categoryName="narration")
    assert renamed_category.fileCategory is not None
    assert renamed_category.fileCategory["name"] == "narration"
    assert renamed_category.fileName == "voice-final.wav"
    private = File.patch(fileId=UUID(file.fileId), accessControl=AccessControl.private)
    assert private.accessControl == "private"

    copy = File.copy(
        fileId=UUID(file.fileId),
        currentFolderId=UUID(folder.folderId),
        newFolderId=UUID(archive.folderId),
    )
    assert copy.fileId != file.fileId and copy.fileName == "voice-final.wav"
    assert copy.folderId == archive.folderId and copy.status == "uploaded"
    out = tmp_path / "out"
    out.mkdir()
    copy.download(fileName="copy.wav", path=str(out))
    assert (out / "copy.wav").read_bytes() == wav.read_bytes()
    assert File.get(fileId=UUID(file.fileId)).folderId == folder.folderId

    with pytest.raises(Exception, match="current_folder_id"):
        File.copy(
            fileId=UUID(file.fileId),
            currentFolderId=UUID(archive.folderId),
            newFolderId=UUID(archive.folderId),
        )
    with pytest.raises(Exception, match="file_name"):
        File.create(localPath=str(wav), fileName="../escape.wav")

    assert File.delete(fileId=UUID(copy.fileId)) is None
    with pytest.raises(Exception, match="not found"):
        File.get(fileId=UUID(copy.fileId))
    with pytest.raises(Exception, match="not found"):
        File.delete(fileId=UUID(copy.fileId))

    File.delete(fileId=UUID(file.fileId))
    Folder.delete(folderId=UUID(archive.folderId))
    Folder.delete(folderId=UUID(folder.folderId))


def test_folders(sdk: None, tmp_path: Path) -> None:
    top = Folder.create(name=unique("sdk-folders"))
    child = Folder.create(name="child", parentFolderId=UUID(top.folderId))
    notes = tmp_path / "notes.txt"
    notes.write_text("short")
    longer = tmp_path / "longer.txt"
    longer.write_text("a good deal longer than the other one")
    small = File.create(localPath=str(notes), fileName="notes.txt", folderId=UUID(top.folderId))
    large = File.create(localPath=str(longer), fileName="longer.txt", folderId=UUID(top.folderId))
    assert small.fileType["name"] == "document"

    root_listing = Folder.list()
    assert root_listing.currentPathChain[0].folderId == Folder.get_root_folder_id()
    assert top.folderId in {f.folderId for f in root_listing.folders}
    assert root_listing.limit == 100 and root_listing.offset == 0

    listing = Folder.get(folderId=UUID(top.folderId))
    assert [f.folderId for f in listing.currentPathChain] == [
        Folder.get_root_folder_id(),
        top.folderId,
    ]
    assert [f.folderId for f in listing.folders] == [child.folderId]
    assert {f.fileId for f in listing.files} == {small.fileId, large.fileId}

    by_path = Folder.list(path=f"{top.folderName}/child")
    assert by_path.currentPathChain[-1].folderId == child.folderId
    assert by_path.files == [] and by_path.folders == []

    ordered = Folder.list_files(folderId=UUID(top.folderId), orderBy="fileName desc")
    assert [f.fileName for f in ordered.files] == ["notes.txt", "longer.txt"]
    filtered = Folder.list_files(
        folderId=UUID(top.folderId),
        filter="size gt 10 and status eq 'uploaded'",
        limit=5,
        offset=0,
    )
    assert [f.fileId for f in filtered.files] == [large.fileId]
    assert (filtered.limit, filtered.offset) == (5, 0)
    paged = Folder.list_files(
        folderId=UUID(top.folderId), orderBy="fileName asc", limit=1, offset=1
    )
    assert [f.fileName for f in paged.files] == ["notes.txt"]
    with pytest.raises(Exception, match="position"):
        Folder.list_files(folderId=UUID(top.folderId), filter="size gt")

    renamed = Folder.patch(folderId=UUID(child.folderId), folderName="renamed")
    assert renamed.folderName == "renamed" and renamed.folderId == child.folderId
    assert Folder.list(path=f"{top.folderName}/renamed").currentPathChain[-1].folderId == (
        child.folderId
    )

    with pytest.raises(Exception, match="already exists"):
        Folder.create(name="renamed", parentFolderId=UUID(top.folderId))
    with pytest.raises(Exception, match="not empty"):
        Folder.delete(folderId=UUID(top.folderId))
    assert "deleted" in Folder.delete(folderId=UUID(child.folderId))
    with pytest.raises(Exception, match="not found"):
        Folder.get(folderId=UUID(child.folderId))
    for file in (small, large):
        File.delete(fileId=UUID(file.fileId))
    Folder.delete(folderId=UUID(top.folderId))
    with pytest.raises(Exception, match="not found"):
        Folder.get(folderId=UUID(top.folderId))


def test_upload_larger_than_the_json_body_limit(sdk: None, tmp_path: Path) -> None:
    """The SDK PUTs a file with its Content-Length; uploads are bounded by their own limit."""
    wav = make_audio(tmp_path, "long.wav", 60.0, rate=48000, channels=2)
    assert wav.stat().st_size > 10 * 1024 * 1024  # the default limit on JSON bodies
    file = File.create(localPath=str(wav), fileName=f"{uuid.uuid4().hex}.wav")
    assert file.status == "uploaded" and file.size == wav.stat().st_size
    assert file.duration == pytest.approx(60.0, rel=0.02)
    File.delete(fileId=UUID(file.fileId))
