"""Storage files: uploads in both forms, the File object, reads, updates, publishing, quotas,
moves, transcoding, and the same files seen through the AudioStack library."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.carrierx import (
    ISO_MS_Z,
    TIGHT_DOMAIN,
    TIGHT_MAX_UPLOAD,
    cx_error,
    cx_ok,
    decode_clean,
    delete_container,
    is_uuid,
    new_container,
    upload_multipart,
    upload_raw,
)
from support.library import make_audio

FILE_KEYS = {
    "container_sid", "content_classification", "content_duration", "content_format",
    "content_transcoding_progress", "date_last_accessed", "date_modified", "desired_bitrate",
    "desired_format", "file_access_name", "file_bytes", "file_sid", "integer_key_1",
    "integer_key_2", "lifecycle_action", "lifecycle_ttl", "mime_type", "name",
    "parent_file_sid", "partner_sid", "publish", "publish_uri", "string_key_1", "string_key_2",
    "string_key_3", "string_key_4", "threshold_include", "type", "unique",
}  # fmt: skip


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder: Path = tmp_path_factory.mktemp("cx-media")
    return {
        "mp3": make_audio(folder, "tone.mp3", 2.5).read_bytes(),
        "wav": make_audio(folder, "tone.wav", 1.5, rate=16000, channels=1).read_bytes(),
        "short_mp3": make_audio(folder, "short.mp3", 0.8, rate=16000, channels=1).read_bytes(),
    }


def test_a_multipart_upload_answers_the_full_file_object(
    cx: httpx.Client, anon: httpx.Client, container: dict[str, Any], media: dict[str, bytes]
) -> None:
    sid = container["container_sid"]
    # The Ruby gem sends every File field, unset ones as null.
    fields = {key: None for key in ("name", "type", "lifecycle_ttl", "publish", "unique")}
    file = upload_multipart(cx, media["mp3"], "welcome.mp3", container_sid=sid, **fields)
    assert set(file) == FILE_KEYS
    duration, _, _ = decode_clean(media["mp3"], "mp3")
    assert file["content_duration"] == pytest.approx(duration, abs=0.03)
    assert is_uuid(file["file_sid"])
    assert file == {
        **file,
        "container_sid": sid,
        "content_classification": "media",
        "content_format": "mp3",
        "content_transcoding_progress": None,
        "date_last_accessed": None,
        "desired_bitrate": None,
        "desired_format": None,
        "file_access_name": f"{file['file_sid']}.mp3",
        "file_bytes": len(media["mp3"]),
        "integer_key_1": None,
        "lifecycle_action": "no_action",
        "lifecycle_ttl": -1,
        "mime_type": "audio/mpeg",
        "name": "welcome.mp3",
        "parent_file_sid": None,
        "partner_sid": container["partner_sid"],
        "publish": "file_sid",
        "publish_uri": f"{container['publish_domain']}/f/{file['file_sid']}",
        "string_key_4": None,
        "threshold_include": True,
        "type": "file",
        "unique": False,
    }
    assert ISO_MS_Z.match(file["date_modified"])
    assert cx_ok(cx.get(f"/storage/files/{file['file_sid']}")) == file
    published = anon.get(file["publish_uri"])  # no credentials: it is published
    assert published.status_code == 200 and published.content == media["mp3"]
    assert published.headers["content-type"] == "audio/mpeg"


def test_uploaded_html_never_runs_as_a_page_of_the_server(
    cx: httpx.Client, anon: httpx.Client, container: dict[str, Any]
) -> None:
    page = b"<html><script>alert(document.cookie)</script></html>"
    file = upload_raw(
        cx, page, container_sid=container["container_sid"], name="x.html", mime_type="text/html"
    )
    for response in (
        anon.get(file["publish_uri"]),
        cx.get(f"/storage/files/{file['file_sid']}/data"),
    ):
        assert response.content == page
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-security-policy"].startswith("sandbox")


def test_a_raw_upload_takes_its_fields_from_the_query(
    cx: httpx.Client, container: dict[str, Any], media: dict[str, bytes]
) -> None:
    file = upload_raw(
        cx,
        media["wav"],
        container_sid=container["container_sid"],
        exclude_fields="date_modified",  # the response's field filtering, not a File field
        name="prompt.wav",
        integer_key_1="41",
        string_key_1="ivr",
        unique="true",
        lifecycle_ttl="3600",
        lifecycle_action="delete",
        type="prompt",
    )
    assert (file["integer_key_1"], file["string_key_1"], file["unique"]) == (41, "ivr", True)
    assert (file["lifecycle_ttl"], file["lifecycle_action"], file["type"]) == (
        3600,
        "delete",
        "prompt",
    )
    assert (file["content_format"], file["mime_type"]) == ("wav", "audio/wav")
    assert file["content_duration"] == pytest.approx(1.5, abs=0.01)
    assert "date_modified" not in file


def test_file_object_may_come_as_a_file_part(cx: httpx.Client, container: dict[str, Any]) -> None:
    response = cx.post(
        "/storage/files",
        files={
            "file_object": ("blob", json.dumps({"container_sid": container["container_sid"]})),
            "data": ("notes.txt", b"call notes\n"),
        },
    )
    file = cx_ok(response, 201)
    assert (file["name"], file["content_classification"], file["content_format"]) == (
        "notes.txt",
        "document",
        "txt",
    )


@pytest.mark.parametrize(
    ("name", "content", "classification", "fmt"),
    [
        ("bundle.zip", "zip", "archive", "zip"),
        ("tool", b"\x7fELF\x02\x01\x01" + bytes(64), "executable", "elf"),
        ("manual.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "document", "pdf"),
        ("mystery", bytes(range(256)) * 4, "unknown", ""),
    ],
)
def test_content_is_classified_by_what_it_is(
    cx: httpx.Client,
    container: dict[str, Any],
    name: str,
    content: bytes | str,
    classification: str,
    fmt: str,
) -> None:
    if content == "zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("a.txt", "hello")
        content = buffer.getvalue()
    assert isinstance(content, bytes)
    file = upload_raw(cx, content, container_sid=container["container_sid"], name=name)
    assert (file["content_classification"], file["content_format"]) == (classification, fmt)
    assert file["content_duration"] is None and file["file_bytes"] == len(content)


def test_upload_errors(cx: httpx.Client, container: dict[str, Any]) -> None:
    sid = container["container_sid"]
    for content_type in ("application/json", "text/plain"):
        response = cx.post(
            "/storage/files", params={"container_sid": sid}, content=b"{}",
            headers={"Content-Type": content_type},
        )  # fmt: skip
        cx_error(response, 415)
    cx_error(upload_raw(cx, b"x", status=422), 422, "container_sid")
    missing = "00000000-0000-4000-8000-000000000000"
    cx_error(upload_raw(cx, b"x", status=422, container_sid=missing), 422, "container_sid")
    # A name that says mp3 over bytes that are not audio is refused, not stored as a recording.
    cx_error(upload_raw(cx, b"not audio", status=422, container_sid=sid, name="a.mp3"), 422, "data")
    cx_error(upload_raw(cx, b"x", status=422, container_sid=sid, colour="red"), 422, "colour")
    no_data = cx.post(  # multipart with the fields and no content part
        "/storage/files", files={"file_object": (None, json.dumps({"container_sid": sid}))}
    )
    cx_error(no_data, 422, "data")
    bad_object = cx.post(
        "/storage/files", files={"data": ("a.txt", b"x")}, data={"file_object": "[1,2]"}
    )
    cx_error(bad_object, 422, "file_object")
    assert cx_ok(cx.get(f"/storage/containers/{sid}"))["total_files"] == 0


def test_quotas_and_classification_rules_are_enforced(
    cx: httpx.Client, container: dict[str, Any], media: dict[str, bytes]
) -> None:
    sid = container["container_sid"]
    cx_ok(cx.patch(f"/storage/containers/{sid}", json={"quota_files": 2, "quota_bytes": 20_000}))
    upload_raw(cx, b"a" * 9_000, container_sid=sid, name="a.bin")
    cx_error(upload_raw(cx, b"b" * 12_000, status=422, container_sid=sid), 422, "quota_bytes")
    upload_raw(cx, b"b" * 1_000, container_sid=sid, name="b.bin")
    cx_error(upload_raw(cx, b"c", status=422, container_sid=sid), 422, "quota_files")
    # Lowering a quota below what is held is allowed; nothing new fits until space is freed.
    lowered = cx_ok(cx.patch(f"/storage/containers/{sid}", json={"quota_bytes": 5_000}))
    assert lowered["available_bytes_percent"] == 0 and lowered["total_bytes"] == 10_000
    cx_ok(cx.patch(f"/storage/containers/{sid}", json={"quota_files": 10, "quota_bytes": 10**9}))
    cx_ok(cx.patch(f"/storage/containers/{sid}", json={"allowed_classifications": ["media"]}))
    cx_error(
        upload_raw(cx, b"text\n", status=422, container_sid=sid), 422, "content_classification"
    )
    upload_raw(cx, media["short_mp3"], container_sid=sid, name="ok.mp3")
    cx_ok(
        cx.patch(
            f"/storage/containers/{sid}",
            json={"allowed_classifications": [], "blocked_classifications": ["document"]},
        )
    )
    cx_error(
        upload_raw(cx, b"text\n", status=422, container_sid=sid, name="t.txt"),
        422,
        "content_classification",
    )


def test_downloads_honour_range_and_record_the_access(
    cx: httpx.Client, container: dict[str, Any], media: dict[str, bytes]
) -> None:
    file = upload_raw(cx, media["wav"], container_sid=container["container_sid"], name="r.wav")
    whole = cx.get(f"/storage/files/{file['file_sid']}/data")
    assert whole.status_code == 200 and whole.content == media["wav"]
    assert whole.headers["content-type"] == "audio/wav"
    assert int(whole.headers["content-length"]) == len(media["wav"])
    part = cx.get(f"/storage/files/{file['file_sid']}/data", headers={"Range": "bytes=4-11"})
    assert part.status_code == 206 and part.content == media["wav"][4:12]
    assert part.headers["content-range"] == f"bytes 4-11/{len(media['wav'])}"
    accessed = cx_ok(cx.get(f"/storage/files/{file['file_sid']}"))["date_last_accessed"]
    assert accessed is not None and ISO_MS_Z.match(accessed)
    cx_error(cx.get("/storage/files/00000000-0000-4000-8000-000000000000/data"), 404, "file_sid")


def test_publishing_follows_the_file_and_its_container(
    cx: httpx.Client, anon: httpx.Client, container: dict[str, Any], media: dict[str, bytes]
) -> None:
    sid = container["container_sid"]
    file = upload_raw(cx, media["short_mp3"], container_sid=sid, name="p.mp3")
    path = f"/storage/files/{file['file_sid']}"
    by_name = cx_ok(
        cx.patch(path, json={"publish": "file_access_name", "file_access_name": "menu/main.mp3"})
    )
    assert by_name["publish_uri"] == f"{container['publish_domain']}/f/{sid}/menu/main.mp3"
    assert anon.get(by_name["publish_uri"]).content == media["short_mp3"]
    assert anon.get(file["publish_uri"]).status_code == 404  # no longer published by SID
    hidden = cx_ok(cx.patch(path, json={"publish": "none"}))
    assert hidden["publish_uri"] is None
    assert anon.get(by_name["publish_uri"]).status_code == 404
    cx_ok(cx.patch(path, json={"publish": "file_sid"}))
    assert anon.get(file["publish_uri"]).status_code == 200
    cx_ok(cx.patch(f"/storage/containers/{sid}", json={"allow_publish": False}))
    assert cx_ok(cx.get(path))["publish_uri"] is None
    assert anon.get(file["publish_uri"]).status_code == 404


def test_updates_patch_put_and_their_errors(
    cx: httpx.Client, container: dict[str, Any], media: dict[str, bytes]
) -> None:
    file = upload_raw(
        cx, media["short_mp3"], container_sid=container["container_sid"], name="u.mp3"
    )
    path = f"/storage/files/{file['file_sid']}"
    patched = cx_ok(
        cx.patch(path, json={"name": "renamed.mp3", "integer_key_2": "39984", "lifecycle_ttl": -1})
    )
    assert (patched["name"], patched["integer_key_2"]) == ("renamed.mp3", 39984)
    assert (
        patched["file_bytes"] == file["file_bytes"]
        and patched["date_modified"] >= file["date_modified"]
    )
    cx_error(cx.patch(path, json={"lifecycle_ttl": None}), 422, "lifecycle_ttl")
    cx_error(cx.patch(path, json={"publish": "sometimes"}), 422, "publish")
    cx_error(cx.patch(path, json={"desired_bitrate": 100}), 422, "desired_bitrate")
    cx_error(cx.patch(path, json={"colour": "red"}), 422, "colour")
    # PUT of the fetched object (read-only fields included) changes nothing.
    unchanged = cx_ok(cx.put(path, json=patched))
    assert {**unchanged, "date_modified": None} == {**patched, "date_modified": None}
    reset = cx_ok(cx.put(path, json={"name": "only-name.mp3"}))
    assert reset["integer_key_2"] is None and reset["name"] == "only-name.mp3"
    cx_error(cx.patch("/storage/files/00000000-0000-4000-8000-000000000000", json={}), 404)


def test_unique_access_names_conflict(cx: httpx.Client, container: dict[str, Any]) -> None:
    sid = container["container_sid"]
    first = upload_raw(
        cx, b"one\n", container_sid=sid, file_access_name="greeting.txt", unique="true"
    )
    body = cx_error(
        upload_raw(cx, b"two\n", status=409, container_sid=sid, file_access_name="greeting.txt"),
        409,
        "file_access_name",
    )
    assert body["errors"][0]["reference_sid"] == first["file_sid"]
    upload_raw(cx, b"three\n", container_sid=sid, file_access_name="other.txt")


def test_content_replacement_and_moves_keep_totals_exact(
    cx: httpx.Client, media: dict[str, bytes]
) -> None:
    source, target = new_container(cx), new_container(cx, quota_files=1)
    try:
        file = upload_raw(
            cx, media["short_mp3"], container_sid=source["container_sid"], name="m.mp3"
        )
        path = f"/storage/files/{file['file_sid']}"
        # The Ruby gem's multipart PATCH names its content part "file".
        replaced = cx.patch(
            path,
            files={"file": ("m.wav", media["wav"])},
            data={"file_object": json.dumps({"name": "m.wav"})},
        )
        replaced_file = cx_ok(replaced)
        assert (replaced_file["content_format"], replaced_file["file_bytes"]) == (
            "wav",
            len(media["wav"]),
        )
        assert replaced_file["content_duration"] == pytest.approx(1.5, abs=0.01)
        assert cx.get(f"{path}/data").content == media["wav"]
        assert cx_ok(cx.get(f"/storage/containers/{source['container_sid']}"))[
            "total_bytes"
        ] == len(media["wav"])
        moved = cx_ok(cx.patch(path, json={"container_sid": target["container_sid"]}))
        assert moved["container_sid"] == target["container_sid"]
        source_after = cx_ok(cx.get(f"/storage/containers/{source['container_sid']}"))
        target_after = cx_ok(cx.get(f"/storage/containers/{target['container_sid']}"))
        assert (source_after["total_files"], target_after["total_files"]) == (0, 1)
        assert target_after["total_bytes"] == len(media["wav"])
        other = upload_raw(cx, b"x\n", container_sid=source["container_sid"], name="x.txt")
        cx_error(
            cx.patch(
                f"/storage/files/{other['file_sid']}",
                json={"container_sid": target["container_sid"]},
            ),
            422,
            "quota_files",
        )
    finally:
        delete_container(cx, source["container_sid"])
        delete_container(cx, target["container_sid"])


def test_desired_format_transcodes_in_place(
    cx: httpx.Client, container: dict[str, Any], media: dict[str, bytes]
) -> None:
    file = upload_raw(
        cx,
        media["wav"],
        container_sid=container["container_sid"],
        name="t.wav",
        desired_format="mp3",
        desired_bitrate="32",
    )
    assert (file["content_format"], file["mime_type"], file["desired_format"]) == (
        "mp3",
        "audio/mpeg",
        "mp3",
    )
    assert file["content_transcoding_progress"] is None
    data = cx.get(f"/storage/files/{file['file_sid']}/data").content
    assert len(data) == file["file_bytes"] < len(media["wav"])
    seconds, _, _ = decode_clean(data, "mp3")
    assert seconds == pytest.approx(1.5, abs=0.06) and file["content_duration"] == pytest.approx(
        1.5, abs=0.06
    )
    ogg = cx_ok(cx.patch(f"/storage/files/{file['file_sid']}", json={"desired_format": "ogg"}))
    assert (ogg["content_format"], ogg["mime_type"]) == ("ogg", "audio/ogg")
    seconds, _, _ = decode_clean(cx.get(f"/storage/files/{file['file_sid']}/data").content, "ogg")
    assert seconds == pytest.approx(1.5, abs=0.06)
    text = upload_raw(cx, b"words\n", container_sid=container["container_sid"], name="w.txt")
    cx_error(
        cx.patch(f"/storage/files/{text['file_sid']}", json={"desired_format": "mp3"}),
        422,
        "desired_format",
    )


def test_the_audiostack_library_sees_the_same_files(
    cx: httpx.Client, deployment: Any, container: dict[str, Any], media: dict[str, bytes]
) -> None:
    sid = container["container_sid"]
    file = upload_raw(cx, media["short_mp3"], container_sid=sid, name="both.mp3")
    library = httpx.Client(base_url=deployment.url, headers={"x-api-key": deployment.api_key})
    seen = library.get(f"/files/{file['file_sid']}").json()
    assert (seen["fileId"], seen["fileName"], seen["size"]) == (
        file["file_sid"],
        "both.mp3",
        file["file_bytes"],
    )
    assert seen["status"] == "uploaded"
    assert library.delete(f"/files/{file['file_sid']}").status_code == 200
    cx_error(cx.get(f"/storage/files/{file['file_sid']}"), 404, "file_sid")
    assert cx_ok(cx.get(f"/storage/containers/{sid}"))["total_files"] == 0


def test_deleting_a_file(
    cx: httpx.Client, anon: httpx.Client, container: dict[str, Any], media: dict[str, bytes]
) -> None:
    file = upload_raw(
        cx, media["short_mp3"], container_sid=container["container_sid"], name="d.mp3"
    )
    cx_ok(cx.delete(f"/storage/files/{file['file_sid']}"), 204)
    cx_error(cx.get(f"/storage/files/{file['file_sid']}"), 404, "file_sid")
    cx_error(cx.delete(f"/storage/files/{file['file_sid']}"), 404, "file_sid")
    assert anon.get(file["publish_uri"]).status_code == 404


def test_uploads_over_the_size_limit_are_413_and_the_domain_is_a_setting(tight: Any) -> None:
    with tight.client() as client:
        made = new_container(client)
        try:
            big = upload_raw(
                client,
                b"z" * (TIGHT_MAX_UPLOAD + 1),
                status=413,
                container_sid=made["container_sid"],
            )
            cx_error(big, 413)
            file = upload_raw(client, b"small\n", container_sid=made["container_sid"], name="s.txt")
            assert file["publish_uri"] == f"{TIGHT_DOMAIN}/f/{file['file_sid']}"
            assert made["publish_domain"] == TIGHT_DOMAIN
        finally:
            delete_container(client, made["container_sid"])
