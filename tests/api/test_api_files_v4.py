"""SDK 4.0 files and folders (/files, /folders): bare JSON, snake_case bodies, live server.

The same library as the legacy routes: a folder renamed here is a new path there.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from castwright.auth.service import create_key
from castwright.runtime import database_for
from support.api_checks import error_of, ok
from support.library import make_audio, poll_v4, unique

ISO_Z = "%Y-%m-%dT%H:%M:%S.%fZ"


def body_of(response: httpx.Response, status: int = 200) -> Any:
    """A bare-JSON success: no envelope around it."""
    assert response.status_code == status, (
        f"{response.request.method} {response.request.url.path}: expected {status}, "
        f"got {response.status_code}: {response.text[:500]}"
    )
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    if isinstance(body, dict):
        assert "meta" not in body and "message" not in body, body
    return body


def is_uuid(value: Any) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except (TypeError, ValueError):
        return False


def new_file(
    client: httpx.Client, name: str, content: bytes | None = None, **fields: Any
) -> dict[str, Any]:
    """POST /files, PUT the bytes the way the SDK does, and wait for "uploaded"."""
    created: dict[str, Any] = body_of(client.post("/files", json={"file_name": name, **fields}))
    if content is None:
        return created
    put = httpx.put(
        created["uploadUrl"], content=content, headers={"Content-Type": created["mimeType"]}
    )
    assert put.status_code == 200, put.text
    file = poll_v4(client, created["fileId"])
    assert file["status"] == "uploaded", file
    return file


def new_folder(client: httpx.Client, name: str, parent: str | None = None) -> dict[str, Any]:
    body = {"folder_name": name} | ({"parent_folder_id": parent} if parent else {})
    folder: dict[str, Any] = body_of(client.post("/folders", json=body))
    return folder


def root_id(client: httpx.Client) -> str:
    chain = body_of(client.get("/folders"))["data"]["currentPathChain"]
    root: str = chain[0]["folderId"]
    return root


def expiry(url: str) -> int:
    return int(parse_qs(urlsplit(url).query)["expires"][0])


def categories(client: httpx.Client) -> dict[str, dict[str, str]]:
    """{file type name: {category name: category id}}"""
    types = body_of(client.get("/files/file-categories"))["fileTypes"]
    return {t["name"]: {c["name"]: c["fileCategoryId"] for c in t["fileCategories"]} for t in types}


# -- files ----------------------------------------------------------------------------------


def test_create_upload_and_get(client: httpx.Client, anon: httpx.Client, tmp_path: Path) -> None:
    folder = new_folder(client, unique("v4"))
    music = categories(client)["audio"]["music"]
    audio = make_audio(tmp_path, "bed.wav", 1.5, rate=32000, channels=1).read_bytes()
    created = body_of(
        client.post(
            "/files",
            json={"file_name": "bed.wav", "folder_id": folder["folderId"], "category_id": music},
        )
    )
    assert set(created) == {"fileId", "uploadUrl", "mimeType"}
    assert is_uuid(created["fileId"])
    assert created["mimeType"] == "audio/wav"
    file_id = created["fileId"]

    before = body_of(client.get(f"/files/{file_id}"))
    assert before["status"] == "pending" and before["url"] is None and before["size"] == 0

    put = anon.put(created["uploadUrl"], content=audio, headers={"Content-Type": "audio/wav"})
    assert put.status_code == 200
    file = poll_v4(client, file_id)
    assert file["status"] == "uploaded"
    assert file["fileId"] == file_id and file["fileName"] == "bed.wav"
    assert file["folderId"] == folder["folderId"]
    assert file["fileType"]["name"] == "audio" and is_uuid(file["fileType"]["fileTypeId"])
    assert file["fileCategory"] == {"fileCategoryId": music, "name": "music"}
    assert isinstance(file["size"], int) and file["size"] == len(audio)
    assert isinstance(file["createdBy"], str) and file["createdBy"]
    time.strptime(file["createdAt"], ISO_Z)
    assert file["accessControl"] == "private"
    assert file["duration"] == pytest.approx(1.5, rel=0.02)
    assert anon.get(file["url"]).content == audio

    # The same file seen through the legacy routes.
    legacy = ok(client.get(f"/content/file/id/{file_id}"))
    assert legacy["filePath"].endswith(f"{folder['folderName']}/bed.wav")
    assert legacy["category"] == "music"


@pytest.mark.parametrize(
    ("name", "mime"),
    [
        ("a.mp3", "audio/mpeg"),
        ("a.WAV", "audio/wav"),
        ("a.flac", "audio/flac"),
        ("notes.txt", "text/plain"),
        ("blob.zzqq", "application/octet-stream"),
        ("no-extension", "application/octet-stream"),
    ],
)
def test_mime_type_from_the_name(client: httpx.Client, name: str, mime: str) -> None:
    created = body_of(client.post("/files", json={"file_name": name}))
    assert created["mimeType"] == mime
    file = body_of(client.get(f"/files/{created['fileId']}"))
    assert file["folderId"] == root_id(client)  # no folder_id: the root


def test_create_refusals(client: httpx.Client) -> None:
    body = error_of(client.post("/files", json={}), 422)
    assert body["errors"] == ["file_name: is required"]
    bad_category = client.post(
        "/files", json={"file_name": "a.wav", "category_id": str(uuid.uuid4())}
    )
    assert error_of(bad_category, 422)["errors"][0].startswith("category_id:")
    error_of(
        client.post("/files", json={"file_name": "a.wav", "folder_id": str(uuid.uuid4())}), 404
    )
    error_of(client.get(f"/files/{uuid.uuid4()}"), 404)


BAD_NAMES = ["../../a.wav", "sub/a.wav", "a\\b.wav", "..", "a\x00.wav", "a\x1b.wav", "/a.wav", " "]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_file_name_is_a_name_not_a_path(client: httpx.Client, name: str) -> None:
    folder = new_folder(client, unique("names"))
    created = client.post("/files", json={"file_name": name, "folder_id": folder["folderId"]})
    assert error_of(created, 422)["errors"][0].startswith("file_name:")
    listing = body_of(client.get(f"/folders/{folder['folderId']}/files"))
    assert listing["data"] == []
    file = new_file(client, "good.txt", folder_id=folder["folderId"])
    patched = client.patch(f"/files/{file['fileId']}", json={"file_name": name})
    assert error_of(patched, 422)["errors"][0].startswith("file_name:")
    assert body_of(client.get(f"/files/{file['fileId']}"))["fileName"] == "good.txt"


def test_patch(client: httpx.Client, anon: httpx.Client) -> None:
    folder = new_folder(client, unique("patch"))
    file = new_file(client, "take.txt", b"take one", folder_id=folder["folderId"])
    file_id = file["fileId"]
    voice = categories(client)["document"]["script"]

    renamed = body_of(client.patch(f"/files/{file_id}", json={"file_name": "take-2.txt"}))
    assert renamed["fileName"] == "take-2.txt" and renamed["folderId"] == folder["folderId"]
    assert renamed["updatedAt"] and renamed["updatedBy"]
    assert body_of(client.get(f"/files/{file_id}"))["fileName"] == "take-2.txt"

    by_id = body_of(client.patch(f"/files/{file_id}", json={"category_id": voice}))
    assert by_id["fileCategory"] == {"fileCategoryId": voice, "name": "script"}
    by_name = body_of(client.patch(f"/files/{file_id}", json={"category_name": "outtakes"}))
    assert by_name["fileCategory"]["name"] == "outtakes"
    assert is_uuid(by_name["fileCategory"]["fileCategoryId"])

    private_expiry = expiry(by_name["url"])
    public = body_of(client.patch(f"/files/{file_id}", json={"access_control": "public"}))
    assert public["accessControl"] == "public"
    assert expiry(public["url"]) > private_expiry + 24 * 3600  # public links live longer
    assert anon.get(public["url"]).content == b"take one"
    private = body_of(client.patch(f"/files/{file_id}", json={"access_control": "private"}))
    assert private["accessControl"] == "private"

    unchanged = body_of(client.patch(f"/files/{file_id}", json={}))
    assert unchanged["fileName"] == "take-2.txt" and unchanged["fileCategory"]["name"] == "outtakes"

    bad = client.patch(f"/files/{file_id}", json={"access_control": "everyone"})
    assert error_of(bad, 422)["errors"][0].startswith("access_control:")
    bad = client.patch(f"/files/{file_id}", json={"category_id": str(uuid.uuid4())})
    assert error_of(bad, 422)["errors"][0].startswith("category_id:")
    bad = client.patch(f"/files/{file_id}", json={"category_name": "a\x00b"})
    assert error_of(bad, 422)["errors"] == ["category_name: may not contain NUL characters"]
    assert body_of(client.get(f"/files/{file_id}"))["accessControl"] == "private"
    error_of(client.patch(f"/files/{uuid.uuid4()}", json={"file_name": "x.txt"}), 404)


def test_copy(client: httpx.Client, anon: httpx.Client) -> None:
    source = new_folder(client, unique("copy-from"))
    target = new_folder(client, unique("copy-to"))
    original = new_file(client, "clip.txt", b"copy me", folder_id=source["folderId"])

    payload = {
        "file_id": original["fileId"],
        "current_folder_id": source["folderId"],
        "new_folder_id": target["folderId"],
    }
    copy = body_of(client.put("/files/copy", json=payload))
    assert is_uuid(copy["fileId"]) and copy["fileId"] != original["fileId"]
    assert copy["fileName"] == "clip.txt"
    assert copy["folderId"] == target["folderId"]
    assert copy["status"] == "uploaded" and copy["size"] == original["size"]
    assert anon.get(copy["url"]).content == b"copy me"

    again = body_of(client.get(f"/files/{original['fileId']}"))
    assert again["folderId"] == source["folderId"] and again["fileName"] == "clip.txt"
    # The copy is independent: deleting it leaves the original's bytes.
    assert body_of(client.delete(f"/files/{copy['fileId']}")) == {}
    assert anon.get(again["url"]).content == b"copy me"

    wrong_folder = payload | {"current_folder_id": target["folderId"]}
    assert error_of(client.put("/files/copy", json=wrong_folder), 422)["errors"][0].startswith(
        "current_folder_id:"
    )
    error_of(client.put("/files/copy", json=payload | {"file_id": str(uuid.uuid4())}), 404)
    error_of(client.put("/files/copy", json=payload | {"new_folder_id": str(uuid.uuid4())}), 404)
    missing = client.put("/files/copy", json={"file_id": original["fileId"]})
    assert error_of(missing, 422)["errors"][0].startswith("current_folder_id:")
    waiting = new_file(client, "later.txt", folder_id=source["folderId"])
    not_ready = payload | {"file_id": waiting["fileId"]}
    error_of(client.put("/files/copy", json=not_ready), 409)


def test_delete(client: httpx.Client, anon: httpx.Client) -> None:
    file = new_file(client, "bye.txt", b"bye")
    assert body_of(client.delete(f"/files/{file['fileId']}")) == {}
    error_of(client.get(f"/files/{file['fileId']}"), 404)
    error_of(client.delete(f"/files/{file['fileId']}"), 404)
    error_of(anon.get(file["url"]), 404)


def test_file_categories(client: httpx.Client) -> None:
    types = body_of(client.get("/files/file-categories"))["fileTypes"]
    names = {t["name"] for t in types}
    assert {"audio", "video", "image", "document"} <= names
    for file_type in types:
        assert is_uuid(file_type["fileTypeId"])
        assert file_type["fileCategories"]
        assert all(is_uuid(c["fileCategoryId"]) and c["name"] for c in file_type["fileCategories"])
    # Stable: the same ids on every call.
    assert body_of(client.get("/files/file-categories"))["fileTypes"] == types


# -- folders --------------------------------------------------------------------------------


@pytest.fixture
def tree(client: httpx.Client) -> Iterator[dict[str, Any]]:
    """A/B with one file in B, under a unique top-level name (not all ASCII)."""
    a = new_folder(client, unique("tree") + "-Ünïcødé")
    b = new_folder(client, "B", a["folderId"])
    file = new_file(client, "inside.txt", b"inside", folder_id=b["folderId"])
    yield {"a": a, "b": b, "file": file}


def test_root_listing(client: httpx.Client, tree: dict[str, Any]) -> None:
    listing = body_of(client.get("/folders"))
    assert listing["pagination"] == {"limit": 100, "offset": 0}
    data = listing["data"]
    (root,) = data["currentPathChain"]
    assert root["parentFolderId"] is None and is_uuid(root["folderId"])
    assert isinstance(root["folderName"], str) and root["createdAt"]
    assert tree["a"]["folderId"] in {f["folderId"] for f in data["folders"]}
    assert all(f["parentFolderId"] == root["folderId"] for f in data["folders"])
    assert all(isinstance(f["fileType"], dict) for f in data["files"])


def test_folder_by_path_and_by_id(client: httpx.Client, tree: dict[str, Any]) -> None:
    a, b, file = tree["a"], tree["b"], tree["file"]
    assert a["parentFolderId"] == root_id(client) and b["parentFolderId"] == a["folderId"]
    assert b["folderName"] == "B" and b["createdBy"] and b["createdAt"]

    by_path = body_of(client.get("/folders", params={"path": f"{a['folderName']}/B"}))["data"]
    chain = [f["folderId"] for f in by_path["currentPathChain"]]
    assert chain == [root_id(client), a["folderId"], b["folderId"]]
    assert [f["fileId"] for f in by_path["files"]] == [file["fileId"]]
    assert by_path["folders"] == []

    by_id = body_of(client.get(f"/folders/{a['folderId']}"))
    assert by_id["data"]["currentPathChain"][-1]["folderId"] == a["folderId"]
    assert [f["folderId"] for f in by_id["data"]["folders"]] == [b["folderId"]]
    assert by_id["data"]["files"] == []
    assert by_id["pagination"] == {"limit": 100, "offset": 0}

    error_of(client.get("/folders", params={"path": f"{a['folderName']}/nope"}), 404)
    assert error_of(client.get("/folders", params={"path": "../etc"}), 422)["errors"][0].startswith(
        "path:"
    )
    error_of(client.get(f"/folders/{uuid.uuid4()}"), 404)


def test_create_folder_rules(client: httpx.Client, tree: dict[str, Any]) -> None:
    a = tree["a"]
    duplicate = client.post(
        "/folders", json={"folder_name": "B", "parent_folder_id": a["folderId"]}
    )
    assert error_of(duplicate, 409)["errors"][0].startswith("folder_name:")
    # The same name elsewhere is fine.
    elsewhere = new_folder(client, "B", tree["b"]["folderId"])
    assert elsewhere["parentFolderId"] == tree["b"]["folderId"]
    error_of(client.post("/folders", json={}), 422)
    for bad in ("x/y", "..", "a\x01b"):
        response = client.post("/folders", json={"folder_name": bad})
        assert error_of(response, 422)["errors"][0].startswith("folder_name:"), bad
    unknown_parent = {"folder_name": "x", "parent_folder_id": str(uuid.uuid4())}
    error_of(client.post("/folders", json=unknown_parent), 404)


def test_rename_folder_keeps_its_files_working(
    client: httpx.Client, anon: httpx.Client, tree: dict[str, Any]
) -> None:
    a, b, file = tree["a"], tree["b"], tree["file"]
    # A sibling whose name merely starts with A's must not move with it.
    lookalike = new_folder(client, a["folderName"] + "x")
    bystander = new_file(client, "by.txt", b"by", folder_id=lookalike["folderId"])
    new_name = unique("renamed") + "-é"
    renamed = body_of(client.patch(f"/folders/{a['folderId']}", json={"folder_name": new_name}))
    assert renamed["folderId"] == a["folderId"] and renamed["folderName"] == new_name
    assert renamed["updatedAt"]

    moved = body_of(client.get(f"/files/{file['fileId']}"))
    assert moved["folderId"] == b["folderId"] and anon.get(moved["url"]).content == b"inside"
    found = ok(client.get("/content/file/search", params={"path": f"{new_name}/B"}))
    assert [i["fileId"] for i in found["items"]] == [file["fileId"]]
    assert found["items"][0]["filePath"] == f"{new_name}/B/inside.txt"
    assert ok(client.get("/content/file/search", params={"path": a["folderName"]}))["total"] == 0
    listing = body_of(client.get("/folders", params={"path": f"{new_name}/B"}))["data"]
    assert listing["currentPathChain"][-1]["folderId"] == b["folderId"]
    error_of(client.get("/folders", params={"path": f"{a['folderName']}/B"}), 404)
    bystander_path = ok(client.get(f"/content/file/id/{bystander['fileId']}"))["filePath"]
    assert bystander_path == f"{a['folderName']}x/by.txt"
    # New uploads into the renamed tree land under the new path.
    later = new_file(client, "later.txt", b"later", folder_id=b["folderId"])
    assert ok(client.get(f"/content/file/id/{later['fileId']}"))["filePath"] == (
        f"{new_name}/B/later.txt"
    )

    sibling = new_folder(client, unique("sibling"))
    clash = client.patch(f"/folders/{sibling['folderId']}", json={"folder_name": new_name})
    error_of(clash, 409)
    error_of(client.patch(f"/folders/{root_id(client)}", json={"folder_name": "x"}), 409)
    error_of(client.patch(f"/folders/{a['folderId']}", json={}), 422)
    error_of(client.patch(f"/folders/{uuid.uuid4()}", json={"folder_name": "x"}), 404)


def test_delete_folder_rules(client: httpx.Client, tree: dict[str, Any]) -> None:
    a, b, file = tree["a"], tree["b"], tree["file"]
    error_of(client.delete(f"/folders/{a['folderId']}"), 409)  # holds B
    error_of(client.delete(f"/folders/{b['folderId']}"), 409)  # holds a file
    error_of(client.delete(f"/folders/{root_id(client)}"), 409)
    assert body_of(client.delete(f"/files/{file['fileId']}")) == {}
    assert body_of(client.delete(f"/folders/{b['folderId']}")) == {}
    error_of(client.get(f"/folders/{b['folderId']}"), 404)
    assert body_of(client.delete(f"/folders/{a['folderId']}")) == {}
    error_of(client.delete(f"/folders/{a['folderId']}"), 404)


# -- listing a folder's files ---------------------------------------------------------------


@pytest.fixture
def shelf(client: httpx.Client) -> dict[str, Any]:
    folder = new_folder(client, unique("shelf"))
    fid = folder["folderId"]
    files = {
        "alpha.txt": new_file(client, "alpha.txt", b"a" * 10, folder_id=fid),
        "Beta.txt": new_file(client, "Beta.txt", b"b" * 200, folder_id=fid),
        "gamma.txt": new_file(client, "gamma.txt", b"c" * 3000, folder_id=fid),
        "pending.wav": new_file(client, "pending.wav", folder_id=fid),
    }
    nested = new_folder(client, "nested", fid)
    new_file(client, "elsewhere.txt", b"not listed", folder_id=nested["folderId"])
    return {"folder": fid, "ids": {name: f["fileId"] for name, f in files.items()}}


def test_list_files_filter(client: httpx.Client, shelf: dict[str, Any]) -> None:
    ids = {v: k for k, v in shelf["ids"].items()}

    def names(expression: str | None = None, **params: Any) -> set[str]:
        if expression is not None:
            params["$filter"] = expression
        body = body_of(client.get(f"/folders/{shelf['folder']}/files", params=params))
        return {ids[f["fileId"]] for f in body["data"]}

    everything = set(shelf["ids"])
    assert names() == everything
    assert names("fileName eq 'alpha.txt'") == {"alpha.txt"}
    assert names("fileName ne 'alpha.txt'") == everything - {"alpha.txt"}
    assert names("contains(fileName,'ET')") == {"Beta.txt"}
    assert names("startswith(fileName,'gam')") == {"gamma.txt"}
    assert names("size gt 100") == {"Beta.txt", "gamma.txt"}
    assert names("size ge 3000 or fileName eq 'alpha.txt'") == {"alpha.txt", "gamma.txt"}
    assert names("size gt 100 and contains(fileName,'a.t')") == {"Beta.txt", "gamma.txt"}
    assert names("(size lt 100 or size gt 1000) and status eq 'uploaded'") == {
        "alpha.txt",
        "gamma.txt",
    }
    assert names("status eq 'uploaded'") == {"alpha.txt", "Beta.txt", "gamma.txt"}
    assert names("status eq 'pending'") == {"pending.wav"}
    assert names("not (status eq 'uploaded')") == {"pending.wav"}
    assert names("fileType/name eq 'audio'") == {"pending.wav"}
    assert names("accessControl eq 'private' and size le 10") == {"alpha.txt", "pending.wav"}
    assert names("contains(fileName,'%')") == set()


def test_list_files_order_and_paging(client: httpx.Client, shelf: dict[str, Any]) -> None:
    ids = {v: k for k, v in shelf["ids"].items()}
    path = f"/folders/{shelf['folder']}/files"

    def ordered(**params: Any) -> list[str]:
        body = body_of(client.get(path, params=params))
        return [ids[f["fileId"]] for f in body["data"]]

    by_size = ordered(**{"$orderBy": "size desc"})
    assert by_size == ["gamma.txt", "Beta.txt", "alpha.txt", "pending.wav"]
    assert ordered(**{"$orderBy": "size asc,fileName desc"}) == by_size[::-1]
    descending = ordered(**{"$orderBy": "fileName desc"})
    assert descending in (
        ["pending.wav", "gamma.txt", "alpha.txt", "Beta.txt"],  # binary collation
        ["pending.wav", "gamma.txt", "Beta.txt", "alpha.txt"],  # linguistic collation
    )
    page = body_of(client.get(path, params={"$orderBy": "size desc", "limit": 2, "offset": 1}))
    assert page["pagination"] == {"limit": 2, "offset": 1}
    assert [ids[f["fileId"]] for f in page["data"]] == ["Beta.txt", "alpha.txt"]
    beyond = body_of(client.get(path, params={"limit": 10, "offset": 10}))
    assert beyond["data"] == [] and beyond["pagination"] == {"limit": 10, "offset": 10}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"$filter": "size gt"}, "$filter"),
        ({"$filter": "fileName eq 'open"}, "$filter"),
        ({"$filter": "password eq 'x'"}, "$filter"),
        ({"$filter": "size gt 'big'"}, "$filter"),
        ({"$filter": "(size gt 1"}, "$filter"),
        ({"$filter": "status eq 'lost'"}, "$filter"),
        ({"$orderBy": "size sideways"}, "$orderBy"),
        ({"$orderBy": "nosuch"}, "$orderBy"),
    ],
)
def test_list_files_malformed_query_is_400(
    client: httpx.Client, shelf: dict[str, Any], params: dict[str, str], field: str
) -> None:
    response = client.get(f"/folders/{shelf['folder']}/files", params=params)
    (error,) = error_of(response, 400)["errors"]
    assert error.startswith(f"{field}:") and " at position " in error, error


def test_list_files_position_and_bounds(client: httpx.Client, shelf: dict[str, Any]) -> None:
    path = f"/folders/{shelf['folder']}/files"
    (error,) = error_of(client.get(path, params={"$filter": "size gt 1 and"}), 400)["errors"]
    assert error.endswith("at position 13"), error
    (error,) = error_of(client.get(path, params={"$filter": "size gt 1 @"}), 400)["errors"]
    assert error.endswith("at position 10"), error
    for params in ({"limit": "0"}, {"limit": "1001"}, {"limit": "ten"}, {"offset": "-1"}):
        assert error_of(client.get(path, params=params), 422)["errors"][0].startswith(tuple(params))
    error_of(client.get(f"/folders/{uuid.uuid4()}/files"), 404)


def test_v4_routes_under_the_gateway_prefix(deployment: Any, tree: dict[str, Any]) -> None:
    with httpx.Client(
        base_url=f"{deployment.url}/audiostack",
        params={"api_token": deployment.api_key},
        timeout=60,
    ) as gateway:
        file = body_of(gateway.get(f"/files/{tree['file']['fileId']}"))
        assert file["fileName"] == "inside.txt"
        old_format = body_of(gateway.get("/files/fileid", params={"id": tree["file"]["fileId"]}))
        assert old_format["fileId"] == tree["file"]["fileId"]
        listing = body_of(gateway.get(f"/folders/{tree['b']['folderId']}/files"))
        assert [f["fileId"] for f in listing["data"]] == [tree["file"]["fileId"]]
        assert body_of(gateway.get("/files/file-categories"))["fileTypes"]


def test_another_organisation_sees_nothing(
    deployment: Any, client: httpx.Client, tree: dict[str, Any]
) -> None:
    with database_for(deployment.server.settings).session() as session:
        _, secret = create_key(session, name="stranger", org_id=unique("org"))
    file_id, folder_id = tree["file"]["fileId"], tree["b"]["folderId"]
    with httpx.Client(
        base_url=deployment.url, headers={"x-api-key": secret}, timeout=60
    ) as stranger:
        error_of(stranger.get(f"/files/{file_id}"), 404)
        error_of(stranger.patch(f"/files/{file_id}", json={"file_name": "mine.txt"}), 404)
        error_of(stranger.delete(f"/files/{file_id}"), 404)
        error_of(stranger.get(f"/folders/{folder_id}"), 404)
        error_of(stranger.get(f"/folders/{folder_id}/files"), 404)
        error_of(stranger.delete(f"/folders/{folder_id}"), 404)
        own_root = body_of(stranger.get("/folders"))["data"]
        assert own_root["currentPathChain"][0]["folderId"] != root_id(client)
        assert own_root["folders"] == [] and own_root["files"] == []
        copy = {
            "file_id": file_id,
            "current_folder_id": folder_id,
            "new_folder_id": own_root["currentPathChain"][0]["folderId"],
        }
        error_of(stranger.put("/files/copy", json=copy), 404)
        error_of(stranger.get(f"/content/file/id/{file_id}"), 404)
        assert ok(stranger.get("/content/file/search"))["total"] == 0
    assert body_of(client.get(f"/files/{file_id}"))["fileName"] == "inside.txt"
