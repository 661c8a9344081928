"""Legacy files and folders (/content/file, /content/folder): the LowCodeAPI flow, live.

Uploads go through the real signed PUT, audio is made by sox/ffmpeg and probed by the server,
transfers are fetched by the server's guarded client, and every refusal is checked for what it
must not have done: no blob written, no folder created, no request to the server itself.
"""

from __future__ import annotations

import io
import threading
import time
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from castwright.auth.service import create_key
from castwright.runtime import database_for
from castwright.storage.signing import UrlSigner
from support.api_checks import error_of, ok, render
from support.library import (
    LocalWebServer,
    blob_key_of,
    make_audio,
    poll_legacy,
    unique,
    upload_legacy,
    web_server,
)
from support.live_server import LiveServer

DURATION_TOLERANCE = 0.02  # relative: probing decodes to the end, so this is generous
UPLOAD_LIMIT = 100_000  # bytes, on the dedicated "limited" server
JSON_LIMIT = 20_000  # its limit on request bodies, which uploads are not bound by
ORG_LIMIT = 2 * UPLOAD_LIMIT  # its limit on one organisation's library


# -- fixtures -------------------------------------------------------------------------------


@pytest.fixture
def gateway(deployment: Any) -> Iterator[httpx.Client]:
    """As LowCodeAPI callers use it: /audiostack prefix, api_token, no headers."""
    with httpx.Client(
        base_url=f"{deployment.url}/audiostack",
        params={"api_token": deployment.api_key},
        timeout=60,
    ) as http:
        yield http


@pytest.fixture(scope="module")
def trap() -> Iterator[LocalWebServer]:
    """A web server on loopback: what an SSRF attempt would reach if it got through."""
    with web_server() as server:
        yield server


@pytest.fixture(scope="module")
def tone_wav(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """Under the limited server's upload limit: 1 s, mono, 22.05 kHz, 16-bit (about 44 KB)."""
    path = make_audio(tmp_path_factory.mktemp("tone"), "tone.wav", 1.0, rate=22050, channels=1)
    return path.read_bytes()


def _dedicated(
    factory: pytest.TempPathFactory, name: str, env: dict[str, str]
) -> Iterator[tuple[LiveServer, httpx.Client]]:
    server = LiveServer(factory.mktemp(name), workers=1, extra_env=env)
    key = server.create_key()
    server.start()
    try:
        with httpx.Client(base_url=server.url, headers={"x-api-key": key}, timeout=60) as http:
            yield server, http
    finally:
        server.stop()


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, httpx.Client]]:
    """Small upload and transfer limits; 127.0.0.1 trusted by name, nothing else private."""
    env = {
        "CASTWRIGHT_MAX_BODY_BYTES": str(JSON_LIMIT),
        "CASTWRIGHT_STORAGE__MAX_ORG_BYTES": str(ORG_LIMIT),
        "CASTWRIGHT_STORAGE__MAX_UPLOAD_BYTES": str(UPLOAD_LIMIT),
        "CASTWRIGHT_FETCH__MAX_BYTES": str(UPLOAD_LIMIT),
        "CASTWRIGHT_FETCH__ALLOWED_HOSTS": '["127.0.0.1"]',
    }
    yield from _dedicated(tmp_path_factory, "limited", env)


@pytest.fixture(scope="module")
def open_fetch(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[LiveServer, httpx.Client]]:
    """An operator who allows transfers from private addresses."""
    env = {"CASTWRIGHT_FETCH__ALLOW_PRIVATE_ADDRESSES": "true"}
    yield from _dedicated(tmp_path_factory, "open-fetch", env)


# -- helpers --------------------------------------------------------------------------------


def create(client: httpx.Client, file_path: str, **fields: Any) -> dict[str, Any]:
    body = {"filePath": file_path, **fields}
    data: dict[str, Any] = ok(client.post("/content/file/create-upload-url", json=body))
    return data


def ready(client: httpx.Client, file_id: str, **params: Any) -> dict[str, Any]:
    data: dict[str, Any] = ok(poll_legacy(client, file_id, **params))
    assert data["status"] == "ready", data
    return data


def failed_reason(client: httpx.Client, file_id: str) -> str:
    """The reason of a failed file: GET answers 422 with it (spec 9.2), and keeps doing so."""
    body = error_of(poll_legacy(client, file_id), 422)
    again = error_of(client.get(f"/content/file/id/{file_id}"), 422)
    assert again["errors"] == body["errors"]
    return " ".join(body["errors"])


def search(client: httpx.Client, **params: Any) -> dict[str, Any]:
    data: dict[str, Any] = ok(client.get("/content/file/search", params=params))
    assert data["items"] == data["files"]
    return data


def paths_of(found: dict[str, Any]) -> list[str]:
    return [item["filePath"] for item in found["items"]]


def blob_path(server: LiveServer, key: str) -> Path:
    return server.data_dir / "blobs" / key


def close_to(actual: float, expected: float) -> bool:
    return abs(actual / expected - 1.0) <= DURATION_TOLERANCE


# -- the upload flow ------------------------------------------------------------------------


def test_upload_flow_pending_then_ready_with_a_download_url(
    client: httpx.Client, anon: httpx.Client, deployment: Any, tmp_path: Path
) -> None:
    root = unique("upload")
    audio = make_audio(tmp_path, "bed.wav", 2.0).read_bytes()
    created = create(
        client,
        f"{root}/music/beds/bed.wav",
        category="music",
        source="pythonSDK",
        tags=["bed", "calm"],
        metadata={"bpm": 120, "mood": {"name": "calm"}},
    )
    file_id = created["fileId"]
    assert created["fileUploadUrl"] == created["url"]
    assert created["url"].startswith(f"{deployment.url}/uploads/")
    assert created["filePath"] == f"{root}/music/beds/bed.wav"
    assert created["status"] == "pending"

    # Missing folders were created on the way.
    listed = ok(client.get("/content/folder", params={"folder": f"{root}/music"}))
    assert [f["filePath"] for f in listed["folders"]] == [f"{root}/music/beds"]

    # Nothing uploaded yet: 202 with the id and the state.
    pending = ok(client.get(f"/content/file/id/{file_id}"), 202)
    assert pending == {"fileId": file_id, "status": "pending"}

    # Raw bytes, no credentials, the JS SDK's content type.
    put = anon.put(
        created["fileUploadUrl"],
        content=audio,
        headers={"Content-Type": "binary/octet-stream"},
    )
    assert put.status_code == 200, put.text

    data = ready(client, file_id)
    assert data["fileId"] == file_id
    assert data["filePath"] == f"{root}/music/beds/bed.wav"
    assert data["fileType"] == "audio"
    assert data["extension"] == "wav"
    assert data["size"] == len(audio)
    assert data["category"] == "music"
    assert data["source"] == "pythonSDK"
    assert data["tags"] == ["bed", "calm"]
    assert data["metadata"] == {"bpm": 120, "mood": {"name": "calm"}}
    assert data["dateCreated"].endswith("Z")
    metadata = data["fileMetadata"]
    assert metadata["type"] == "audio/wav"
    assert metadata["data"]["sampleRate"] == 44100
    assert metadata["data"]["channels"] == 2
    assert close_to(metadata["data"]["length"], 2.0)

    # The download URL is on the server, works without a key, and honours Range.
    url = data["url"]
    assert url.startswith(f"{deployment.url}/assets/")
    download = anon.get(url)
    assert download.status_code == 200
    assert download.content == audio
    assert download.headers["content-type"] == "audio/wav"
    assert download.headers["content-disposition"] == 'attachment; filename="bed.wav"'
    part = anon.get(url, headers={"Range": "bytes=10-109"})
    assert part.status_code == 206
    assert part.content == audio[10:110]
    assert part.headers["content-range"] == f"bytes 10-109/{len(audio)}"
    tail = anon.get(url, headers={"Range": "bytes=-16"})
    assert tail.status_code == 206 and tail.content == audio[-16:]

    # permanentUrl gives a link that outlives the default expiry by years.
    permanent = ok(client.get(f"/content/file/id/{file_id}", params={"permanentUrl": "True"}))
    expires = int(parse_qs(urlsplit(permanent["url"]).query)["expires"][0])
    assert expires > time.time() + 5 * 365 * 24 * 3600
    assert anon.get(permanent["url"]).content == audio


@pytest.mark.parametrize(
    "content_type",
    [None, "audio/wav", "binary/octet-stream", "application/json", "text/plain"],
)
def test_upload_accepts_any_content_type(client: httpx.Client, content_type: str | None) -> None:
    created = create(client, f"{unique('ctype')}/note.txt")
    headers = {"Content-Type": content_type} if content_type else {}
    put = httpx.put(created["fileUploadUrl"], content=b"plain words", headers=headers)
    assert put.status_code == 200, put.text
    data = ready(client, created["fileId"])
    assert data["size"] == len(b"plain words")
    assert data["fileType"] == "document"


def test_second_put_is_409_and_keeps_the_first_upload(
    client: httpx.Client, anon: httpx.Client
) -> None:
    created, first = upload_legacy(client, f"{unique('twice')}/a.txt", b"first version")
    assert first.status_code == 200
    again = anon.put(created["fileUploadUrl"], content=b"second version")
    assert "one successful PUT" in " ".join(error_of(again, 409)["errors"])
    data = ready(client, created["fileId"])
    assert anon.get(data["url"]).content == b"first version"


def _racing_puts(url: str, bodies: list[bytes]) -> dict[int, int]:
    """PUT every body to ``url`` at the same moment; {body index: status}."""
    statuses: dict[int, int] = {}
    start = threading.Barrier(len(bodies))

    def put(index: int) -> None:
        start.wait()
        statuses[index] = httpx.put(url, content=bodies[index], timeout=60).status_code

    threads = [threading.Thread(target=put, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return statuses


def test_concurrent_puts_store_exactly_one_upload(client: httpx.Client, anon: httpx.Client) -> None:
    """Racing PUTs to one URL: one 200, the rest 409, and the stored bytes are the winner's."""
    for _ in range(3):
        created = create(client, f"{unique('race')}/a.txt")
        bodies = [f"upload {i} ".encode() * 5000 for i in range(8)]
        statuses = _racing_puts(created["fileUploadUrl"], bodies)
        assert sorted(statuses.values()) == [200] + [409] * (len(bodies) - 1), statuses
        (winner,) = (i for i, status in statuses.items() if status == 200)
        data = ready(client, created["fileId"])
        assert anon.get(data["url"]).content == bodies[winner]
        assert data["size"] == len(bodies[winner])


# -- signatures -----------------------------------------------------------------------------


def _signer(deployment: Any) -> UrlSigner:
    return UrlSigner(deployment.server.settings.effective_secret_key(), deployment.url)


@pytest.mark.parametrize("part", ["sig", "expires", "key", "no-sig"])
def test_tampered_upload_url_is_403(client: httpx.Client, anon: httpx.Client, part: str) -> None:
    created = create(client, f"{unique('tamper')}/a.txt")
    other = create(client, f"{unique('tamper')}/b.txt")
    parts = urlsplit(created["fileUploadUrl"])
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    path = parts.path
    if part == "sig":
        query["sig"] = ("0" if query["sig"][0] != "0" else "1") + query["sig"][1:]
    elif part == "expires":
        query["expires"] = str(int(query["expires"]) + 1)
    elif part == "key":
        path = urlsplit(other["fileUploadUrl"]).path  # another file, this file's signature
    else:
        del query["sig"]
    response = anon.put(f"{parts.scheme}://{parts.netloc}{path}", params=query, content=b"x")
    assert "signature" in error_of(response, 403)["message"]
    for file_id in (created["fileId"], other["fileId"]):
        assert ok(client.get(f"/content/file/id/{file_id}"), 202)["status"] == "pending"


def test_expired_upload_url_is_403_while_a_fresh_one_signed_alike_works(
    client: httpx.Client, anon: httpx.Client, deployment: Any
) -> None:
    created = create(client, f"{unique('expired')}/a.txt")
    key = blob_key_of(created["fileUploadUrl"], "/uploads/")
    signer = _signer(deployment)
    expired = signer.url(key, -60, method="PUT", path_prefix="/uploads")
    error_of(anon.put(expired, content=b"late"), 403)
    assert ok(client.get(f"/content/file/id/{created['fileId']}"), 202)["status"] == "pending"
    assert not blob_path(deployment.server, key).exists()
    # The same secret, a future expiry: accepted, so only the expiry was wrong above.
    fresh = signer.url(key, 600, method="PUT", path_prefix="/uploads")
    assert anon.put(fresh, content=b"on time").status_code == 200
    assert anon.get(ready(client, created["fileId"])["url"]).content == b"on time"


def test_download_and_upload_urls_are_bound_to_their_method(
    client: httpx.Client, anon: httpx.Client, deployment: Any
) -> None:
    done, final = upload_legacy(client, f"{unique('bound')}/done.txt", b"stored bytes")
    download_url = ok(final)["url"]
    pending = create(client, f"{unique('bound')}/pending.txt")
    pending_key = blob_key_of(pending["fileUploadUrl"], "/uploads/")
    base = deployment.url

    # A download URL cannot upload: not at /assets, and its signature not at /uploads either.
    assert anon.put(download_url, content=b"overwrite").status_code == 405
    download_query = urlsplit(_signer(deployment).url(pending_key, 600)).query
    replayed = anon.put(f"{base}/uploads/{pending_key}?{download_query}", content=b"sneaky")
    error_of(replayed, 403)
    assert ok(client.get(f"/content/file/id/{pending['fileId']}"), 202)["status"] == "pending"

    # An upload URL cannot download: not at /uploads, and its signature not at /assets.
    assert anon.get(done["fileUploadUrl"]).status_code == 405
    done_key = blob_key_of(done["fileUploadUrl"], "/uploads/")
    upload_query = urlsplit(done["fileUploadUrl"]).query
    error_of(anon.get(f"{base}/assets/{done_key}?{upload_query}"), 403)
    assert anon.get(download_url).content == b"stored bytes"


def test_oversize_upload_is_413_and_stores_nothing(
    limited: tuple[LiveServer, httpx.Client], tone_wav: bytes
) -> None:
    server, http = limited
    created = create(http, f"{unique('big')}/big.wav")
    url, key = created["fileUploadUrl"], blob_key_of(created["fileUploadUrl"], "/uploads/")

    # Declared too large: refused before reading.
    declared = httpx.put(url, content=b"\0" * (UPLOAD_LIMIT + 1), timeout=60)
    assert str(UPLOAD_LIMIT) in " ".join(error_of(declared, 413)["errors"])

    # Streamed without a length: refused once the limit is passed.
    def chunks() -> Iterator[bytes]:
        for _ in range(UPLOAD_LIMIT // 8192 + 2):
            yield b"\0" * 8192

    error_of(httpx.put(url, content=chunks(), timeout=60), 413)

    assert ok(http.get(f"/content/file/id/{created['fileId']}"), 202)["status"] == "pending"
    assert not blob_path(server, key).exists()
    assert not list((server.data_dir / "tmp").glob("upload-*")), "a spooled upload was left"

    # The same URL still takes a file within the upload limit, even one larger than the
    # limit on JSON bodies: uploads have their own bound.
    assert JSON_LIMIT < len(tone_wav) <= UPLOAD_LIMIT
    assert httpx.put(url, content=tone_wav, timeout=60).status_code == 200
    data = ready(http, created["fileId"])
    assert data["size"] == len(tone_wav) and blob_path(server, key).read_bytes() == tone_wav
    # JSON routes keep theirs.
    huge = {"filePath": "a.wav", "metadata": {"blob": "x" * JSON_LIMIT}}
    error_of(http.post("/content/file/create-upload-url", json=huge), 413)


def test_organisation_quota_bounds_uploads_and_transfers(
    limited: tuple[LiveServer, httpx.Client], trap: LocalWebServer, tone_wav: bytes
) -> None:
    server, _ = limited
    with database_for(server.settings).session() as session:
        _, key = create_key(session, name="quota", org_id=unique("org"))
    with httpx.Client(base_url=server.url, headers={"x-api-key": key}, timeout=60) as http:
        body = b"q" * (UPLOAD_LIMIT - 10_000)
        # Three upload URLs handed out while the library is empty; only two fit.
        tickets = [create(http, f"quota/{i}.txt") for i in range(3)]
        for ticket in tickets[:2]:
            assert httpx.put(ticket["fileUploadUrl"], content=body).status_code == 200
            ready(http, ticket["fileId"])
        third = tickets[2]
        refused = httpx.put(third["fileUploadUrl"], content=body)
        assert "quota" in " ".join(error_of(refused, 413)["errors"])
        assert ok(http.get(f"/content/file/id/{third['fileId']}"), 202)["status"] == "pending"
        key_of_third = blob_key_of(third["fileUploadUrl"], "/uploads/")
        assert not blob_path(server, key_of_third).exists()

        trap.files["quota.wav"] = tone_wav
        fetched = ok(_transfer(http, f"{trap.url}/file/quota.wav", "quota/fetched.wav"))
        assert "full" in failed_reason(http, fetched["fileId"])

        # Room again once a file is gone: the same URL now takes the bytes.
        assert ok(http.delete(f"/content/file/id/{tickets[0]['fileId']}")) == {}
        assert httpx.put(third["fileUploadUrl"], content=body).status_code == 200
        assert ready(http, third["fileId"])["size"] == len(body)


# -- probing --------------------------------------------------------------------------------


def test_a_wav_that_is_not_audio_fails_with_the_reason(
    client: httpx.Client, deployment: Any
) -> None:
    path = f"{unique('fake')}/fake.wav"
    created = create(client, path)
    put = httpx.put(created["fileUploadUrl"], content=b"this is not a RIFF file\n" * 200)
    assert put.status_code == 200
    reason = failed_reason(client, created["fileId"])
    assert reason.startswith("file: "), reason
    assert "audio" in reason or "readable" in reason, reason
    # Not kept as audio: the bytes are gone, and search shows it failed, with the reason.
    key = blob_key_of(created["fileUploadUrl"], "/uploads/")
    assert not blob_path(deployment.server, key).exists()
    (item,) = search(client, path=path.split("/")[0])["items"]
    assert item["status"] == "failed" and item["url"] is None
    assert item["failReason"] and item["failReason"] in reason


@pytest.mark.parametrize(
    ("name", "rate", "channels", "seconds"),
    [
        ("tone.mp3", 44100, 2, 2.5),
        ("tone.wav", 48000, 1, 1.75),
        ("tone.flac", 22050, 2, 3.0),
        ("tone.ogg", 48000, 2, 2.0),
        ("tone.aiff", 16000, 1, 1.0),
    ],
)
def test_real_audio_is_probed(
    client: httpx.Client,
    tmp_path: Path,
    name: str,
    rate: int,
    channels: int,
    seconds: float,
) -> None:
    audio = make_audio(tmp_path, name, seconds, rate=rate, channels=channels).read_bytes()
    _, final = upload_legacy(client, f"{unique('probe')}/{name}", audio)
    data = ok(final)
    assert data["status"] == "ready" and data["size"] == len(audio)
    info = data["fileMetadata"]["data"]
    assert close_to(info["length"], seconds), info
    assert info["sampleRate"] == rate
    assert info["channels"] == channels
    assert info["format"] == name.rsplit(".", 1)[1]
    # The download says what the library says the file is.
    download = httpx.get(data["url"])
    assert download.content == audio
    assert download.headers["content-type"] == data["fileMetadata"]["type"]


# -- paths ----------------------------------------------------------------------------------

BAD_PATHS = {
    "parent": "../{u}.wav",
    "absolute": "/{u}.wav",
    "escaping": "{u}/../../{u}.wav",
    "nul": "{u}\x00.wav",
    "control": "{u}/a\x1fb.wav",
    "backslash-parent": "{u}\\..\\..\\{u}.wav",
    "drive": "C:\\{u}.wav",
    "empty": "",
    "only-slashes": "//",
}


def _assert_nothing_created(client: httpx.Client, token: str) -> None:
    assert search(client, name=token)["total"] == 0
    error_of(client.get("/content/folder", params={"folder": token}), 404)


@pytest.mark.parametrize("case", list(BAD_PATHS))
def test_bad_file_paths_are_refused_and_create_nothing(client: httpx.Client, case: str) -> None:
    token = unique("bad")
    file_path = BAD_PATHS[case].format(u=token)
    response = client.post("/content/file/create-upload-url", json={"filePath": file_path})
    body = error_of(response, 422)
    assert any(e.startswith("filePath:") for e in body["errors"]), body
    transfer = client.put(
        "/content/file/transfer-file",
        json={"filePath": file_path, "url": "https://example.com/a.wav"},
    )
    assert any(e.startswith("filePath:") for e in error_of(transfer, 422)["errors"])
    _assert_nothing_created(client, token)


@pytest.mark.parametrize("field", ["category", "source", "tags"])
def test_nul_in_text_fields_is_422_on_every_backend(client: httpx.Client, field: str) -> None:
    token = unique("nul")
    value: Any = ["fine", "a\x00b"] if field == "tags" else "a\x00b"
    created = client.post(
        "/content/file/create-upload-url", json={"filePath": f"{token}/a.wav", field: value}
    )
    assert error_of(created, 422)["errors"] == [f"{field}: may not contain NUL characters"]
    _assert_nothing_created(client, token)
    if field != "source":
        kept = create(client, f"{token}/kept.wav", category="kept", tags=["kept"])
        patched = client.patch(f"/content/file/id/{kept['fileId']}", json={field: value})
        assert error_of(patched, 422)["errors"] == [f"{field}: may not contain NUL characters"]
        (item,) = search(client, path=token)["items"]
        assert item["category"] == "kept" and item["tags"] == ["kept"]
    # Free-form metadata is JSON, where an escaped NUL is just a character.
    stored = create(client, f"{token}/meta.wav", metadata={"k": "a\x00b"})
    assert stored["metadata"] == {"k": "a\x00b"}


def test_paths_are_normalised(client: httpx.Client) -> None:
    root = unique("norm")
    created = create(client, f"{root}//a/./b/ c.wav")
    assert created["filePath"] == f"{root}/a/b/c.wav"
    assert paths_of(search(client, path=f"{root}/a/b")) == [f"{root}/a/b/c.wav"]


def test_missing_and_invalid_fields(client: httpx.Client) -> None:
    error_of(client.post("/content/file/create-upload-url", json={}), 422)
    missing_url = client.put("/content/file/transfer-file", json={"filePath": "a/b.wav"})
    assert error_of(missing_url, 422)["errors"] == ["url: is required"]
    bad_tags = client.post(
        "/content/file/create-upload-url", json={"filePath": "x.wav", "tags": "not-a-list"}
    )
    assert any("tags" in e for e in error_of(bad_tags, 422)["errors"])
    error_of(client.get(f"/content/file/id/{unique('nope')}"), 404)


# -- search, patch, delete ------------------------------------------------------------------


@pytest.fixture
def shelf(client: httpx.Client) -> dict[str, Any]:
    """Four files under one unique root, created in this order."""
    root = unique("shelf")
    files = [
        create(client, f"{root}/music/Bed-One.wav", category="music", tags=["bed", "calm"]),
        create(
            client,
            f"{root}/music/deep/bed-two.mp3",
            category="music",
            source="pythonSDK",
            tags=["bed"],
        ),
        create(client, f"{root}/voice/Sample.txt", category="voice", tags=["calm"]),
        create(client, f"{root}/musical/Other.wav", category="Music", tags=["bed", "loud"]),
    ]
    return {"root": root, "ids": [f["fileId"] for f in files]}


def test_search_filters(client: httpx.Client, shelf: dict[str, Any]) -> None:
    root = shelf["root"]
    one, two, sample, other = (
        f"{root}/{p}"
        for p in (
            "music/Bed-One.wav",
            "music/deep/bed-two.mp3",
            "voice/Sample.txt",
            "musical/Other.wav",
        )
    )

    def found(**params: Any) -> set[str]:
        data = search(client, path=root, **params)
        assert data["total"] == len(data["items"])
        return set(paths_of(data))

    assert found() == {one, two, sample, other}
    # path is a folder prefix, not a string prefix: music does not match musical.
    assert set(paths_of(search(client, path=f"{root}/music"))) == {one, two}
    assert paths_of(search(client, path=f"{root}/music/deep")) == [two]
    assert search(client, path=f"{root}/mus")["total"] == 0
    # The path is normalised like any other: a trailing slash or a doubled one change nothing.
    assert set(paths_of(search(client, path=f"{root}/music/"))) == {one, two}
    assert paths_of(search(client, path=f"./{root}//music/deep/")) == [two]
    for bad in ("../", f"{root}/../..", f"/{root}"):
        refused = client.get("/content/file/search", params={"path": bad})
        assert error_of(refused, 422)["errors"][0].startswith("path:"), bad
    # name: substring of the file name, any case.
    assert found(name="BED") == {one, two}
    assert found(name="-t") == {two}
    assert found(name="%") == set()  # a LIKE wildcard is matched literally
    assert found(source="pythonSDK") == {two}
    assert found(source="api") == {one, sample, other}
    assert found(fileType="audio") == {one, two, other}
    assert found(fileType="document") == {sample}
    assert found(category="music") == {one, two}  # exact, so "Music" is another category
    assert found(tags="bed") == {one, two, other}
    assert found(tags="bed,calm") == {one}
    assert found(tags=["bed", "calm"]) == {one}
    assert found(tags=["bed,loud", "calm"]) == set()
    assert found(tags=["bed", "loud"]) == {other}
    assert found(tags="bed", category="music", name="one") == {one}


def test_search_sorting_and_paging(client: httpx.Client, shelf: dict[str, Any]) -> None:
    root = shelf["root"]
    by_name = ["Bed-One.wav", "bed-two.mp3", "Other.wav", "Sample.txt"]

    def names(**params: Any) -> list[str]:
        return [p.rsplit("/", 1)[1] for p in paths_of(search(client, path=root, **params))]

    # Default: newest first.
    ids = [item["fileId"] for item in search(client, path=root)["items"]]
    assert ids == shelf["ids"][::-1]
    assert [i["fileId"] for i in search(client, path=root, sortBy="dateCreated")["items"]] == (
        shelf["ids"]
    )
    ascending = names(sortBy="name")
    # Binary (SQLite, C collation) or linguistic (PostgreSQL locales) order: either is sorted.
    assert ascending in (sorted(by_name), sorted(by_name, key=str.lower)), ascending
    assert names(sortBy="-name") == ascending[::-1]
    assert names(soryBy="-name") == ascending[::-1]  # the SDK's spelling
    assert names(sortBy="fileName") == ascending

    first = search(client, path=root, sortBy="dateCreated", pageLimit=3)
    second = search(client, path=root, sortBy="dateCreated", pageLimit=3, page=2)
    beyond = search(client, path=root, sortBy="dateCreated", pageLimit=3, page=3)
    assert first["total"] == second["total"] == beyond["total"] == 4
    assert [i["fileId"] for i in first["items"] + second["items"]] == shelf["ids"]
    assert beyond["items"] == []

    for params, field in [
        ({"sortBy": "password"}, "sortBy"),
        ({"page": "0"}, "page"),
        ({"pageLimit": "-1"}, "pageLimit"),
        ({"pageLimit": "5000"}, "pageLimit"),
        ({"page": "two"}, "page"),
    ]:
        body = error_of(client.get("/content/file/search", params=params), 422)
        assert body["errors"][0].startswith(f"{field}:"), body


def test_patch_moves_and_replaces(client: httpx.Client, anon: httpx.Client) -> None:
    root = unique("patch")
    created, _ = upload_legacy(
        client,
        f"{root}/inbox/take.txt",
        b"take one",
        category="draft",
        tags=["old", "keep"],
        metadata={"a": 1, "b": 2},
    )
    file_id = created["fileId"]
    patched = ok(
        client.patch(
            f"/content/file/id/{file_id}",
            json={
                "filePath": f"{root}/archive/2024/take-final.txt",
                "category": "final",
                "tags": ["new"],
                "metadata": {"c": 3},
            },
        )
    )
    assert patched["filePath"] == f"{root}/archive/2024/take-final.txt"
    assert patched["fileName"] == "take-final.txt"
    assert patched["category"] == "final"
    assert patched["tags"] == ["new"]
    assert patched["metadata"] == {"c": 3}
    assert patched["dateModified"] >= patched["dateCreated"]

    assert paths_of(search(client, path=f"{root}/archive")) == [patched["filePath"]]
    assert search(client, path=f"{root}/inbox")["total"] == 0
    assert search(client, path=root, tags="old")["total"] == 0
    assert search(client, path=root, tags="new")["total"] == 1
    assert search(client, path=root, category="draft")["total"] == 0
    # Moving changes the library, not the stored bytes.
    assert anon.get(ready(client, file_id)["url"]).content == b"take one"

    # A partial patch changes only what it names.
    tags_only = ok(client.patch(f"/content/file/id/{file_id}", json={"tags": ["x", "y"]}))
    assert tags_only["tags"] == ["x", "y"]
    assert tags_only["category"] == "final" and tags_only["metadata"] == {"c": 3}
    assert tags_only["filePath"] == patched["filePath"]

    # A bad path is refused and moves nothing.
    bad = client.patch(f"/content/file/id/{file_id}", json={"filePath": "../escape.txt"})
    assert error_of(bad, 422)["errors"][0].startswith("filePath:")
    assert ready(client, file_id)["filePath"] == patched["filePath"]
    error_of(client.patch(f"/content/file/id/{unique('nope')}", json={"category": "x"}), 404)


def test_delete_removes_the_file_and_its_download(
    client: httpx.Client, anon: httpx.Client, deployment: Any
) -> None:
    created, final = upload_legacy(client, f"{unique('delete')}/gone.txt", b"short lived")
    file_id, url = created["fileId"], ok(final)["url"]
    key = blob_key_of(url, "/assets/")
    assert blob_path(deployment.server, key).exists()
    assert ok(client.delete(f"/content/file/id/{file_id}")) == {}
    error_of(client.get(f"/content/file/id/{file_id}"), 404)
    error_of(anon.get(url), 404)
    assert not blob_path(deployment.server, key).exists()
    error_of(client.delete(f"/content/file/id/{file_id}"), 404)
    # The upload URL of a deleted file takes nothing either.
    assert httpx.put(created["fileUploadUrl"], content=b"again").status_code == 404


# -- transfers ------------------------------------------------------------------------------


def _transfer(client: httpx.Client, url: str, file_path: str, **fields: Any) -> httpx.Response:
    body = {"url": url, "filePath": file_path, **fields}
    return client.put("/content/file/transfer-file", json=body)


def test_transfers_never_reach_private_addresses(
    client: httpx.Client, deployment: Any, trap: LocalWebServer
) -> None:
    port = deployment.server.port
    canary = unique("canary")
    hits_before = len(trap.hits)  # the trap is shared with tests that may fetch from it
    attempts = [
        (f"http://127.0.0.1:{port}/{canary}", "loopback"),
        (f"http://localhost:{port}/{canary}", "loopback"),
        (f"http://127.1:{port}/{canary}", "loopback"),
        (f"http://[::1]:{port}/{canary}", "loopback"),
        (f"http://[::ffff:127.0.0.1]:{port}/{canary}", "loopback"),
        (f"http://0.0.0.0:{port}/{canary}", "unspecified"),
        (f"{trap.url}/file/tone.wav", "loopback"),
        (f"{trap.url}/redirect?to=http://10.0.0.1/", "loopback"),  # refused at the first hop
        ("http://10.0.0.1/a.wav", "private"),
        ("http://192.168.1.1/a.wav", "private"),
        ("http://172.16.0.1/a.wav", "private"),
        ("http://169.254.169.254/latest/meta-data", "link-local"),
        ("http://100.64.0.1/a.wav", "carrier-grade NAT"),
        ("http://[fd00::1]/a.wav", "private"),
        (f"http://user:secret@127.0.0.1:{port}/{canary}", "user name or password"),
        ("ftp://example.com/a.wav", "http"),
        ("file:///etc/passwd", "http"),
        ("gopher://127.0.0.1:70/", "http"),
    ]
    started: list[tuple[str, str, str]] = []
    for url, why in attempts:
        response = _transfer(client, url, f"{unique('ssrf')}/a.wav")
        if response.status_code >= 400:
            body = error_of(response, 422)
            assert body["errors"][0].startswith("url:") and why in body["errors"][0], (url, body)
            continue
        data = ok(response)
        assert data["status"] == "pending"
        started.append((url, why, data["fileId"]))
    assert len(started) >= 15
    for url, why, file_id in started:
        reason = failed_reason(client, file_id)
        assert reason.startswith("url:") and why in reason, (url, reason)
    assert trap.hits[hits_before:] == [], "a transfer reached the loopback web server"
    assert f" /{canary}" not in deployment.server.log(), "a transfer fetched the server itself"


def test_transfer_from_an_allowed_server(
    open_fetch: tuple[LiveServer, httpx.Client], trap: LocalWebServer, tmp_path: Path
) -> None:
    _, http = open_fetch
    audio = make_audio(tmp_path, "tone.mp3", 2.0).read_bytes()
    trap.files["transfer.mp3"] = audio
    root = unique("transfer")
    response = _transfer(
        http,
        f"{trap.url}/file/transfer.mp3",
        f"{root}/in/tone.mp3",
        category="music",
        tags=["fetched"],
        metadata={"from": "test"},
    )
    created = ok(response)
    assert created["status"] == "pending" and created["filePath"] == f"{root}/in/tone.mp3"
    data = ready(http, created["fileId"])
    assert data["size"] == len(audio)
    assert close_to(data["fileMetadata"]["data"]["length"], 2.0)
    assert data["category"] == "music" and data["tags"] == ["fetched"]
    assert data["metadata"] == {"from": "test"}
    assert httpx.get(data["url"]).content == audio
    assert trap.hits_on("/file/transfer.mp3") == 1

    # Redirects are followed (each hop checked and allowed here).
    redirected = ok(_transfer(http, f"{trap.url}/redirect?to=/file/transfer.mp3", f"{root}/r.mp3"))
    assert ready(http, redirected["fileId"])["size"] == len(audio)

    # An origin that answers 404, and an origin that is not audio.
    missing = ok(_transfer(http, f"{trap.url}/file/missing.wav", f"{root}/missing.wav"))
    assert "404" in failed_reason(http, missing["fileId"])
    trap.files["junk.wav"] = b"<html>not audio</html>"
    junk = ok(_transfer(http, f"{trap.url}/file/junk.wav", f"{root}/junk.wav"))
    assert failed_reason(http, junk["fileId"]).startswith("file:")


def test_every_redirect_hop_is_checked_and_size_is_bounded(
    limited: tuple[LiveServer, httpx.Client], trap: LocalWebServer, tone_wav: bytes
) -> None:
    _, http = limited
    trap.files["small.wav"] = tone_wav
    trap.files["large.bin"] = b"\0" * (UPLOAD_LIMIT + 1)
    root = unique("hops")
    port = urlsplit(trap.url).port

    # 127.0.0.1 is trusted by name on this server, so the first hop is fetched...
    direct = ok(_transfer(http, f"{trap.url}/file/small.wav", f"{root}/direct.wav"))
    assert ready(http, direct["fileId"])["size"] == len(tone_wav)
    before = trap.hits_on("/file/small.wav")

    # ...but a redirect from it to anything untrusted is refused before it is dialled.
    cases = [
        (f"http://localhost:{port}/file/small.wav", "redirect to a loopback address"),
        ("http://10.0.0.1/small.wav", "redirect to a private address 10.0.0.1"),
        ("http://169.254.169.254/latest/meta-data", "redirect to a link-local address"),
        ("ftp://example.com/small.wav", "redirect to scheme ftp refused"),
    ]
    started = []
    for target, why in cases:
        source = str(httpx.URL(f"{trap.url}/redirect", params={"to": target}))
        started.append((why, ok(_transfer(http, source, f"{root}/r.wav"))["fileId"]))
    for why, file_id in started:
        reason = failed_reason(http, file_id)
        assert why in reason, reason
    assert trap.hits_on("/file/small.wav") == before, "a refused redirect target was fetched"

    too_big = ok(_transfer(http, f"{trap.url}/file/large.bin", f"{root}/large.bin"))
    assert "larger than" in failed_reason(http, too_big["fileId"])


# -- folders --------------------------------------------------------------------------------


def test_folders_create_list_and_delete(
    client: httpx.Client, anon: httpx.Client, deployment: Any
) -> None:
    root = unique("folders")
    assert (
        ok(client.post("/content/folder", json={"folder": f"{root}/empty/inner"}))["folder"]
        == f"{root}/empty/inner"
    )
    # Creating an existing folder is harmless.
    assert ok(client.post("/content/folder", json={"folder": f"{root}/empty"}))["folder"] == (
        f"{root}/empty"
    )
    stored, final = upload_legacy(client, f"{root}/full/a.txt", b"aaa")
    url = ok(final)["url"]
    waiting = create(client, f"{root}/full/deeper/b.wav")

    top = ok(client.get("/content/folder", params={"folder": root}))
    assert [f["filePath"] for f in top["folders"]] == [f"{root}/empty", f"{root}/full"]
    assert top["files"] == []
    full = ok(client.get("/content/folder", params={"folder": f"{root}/full"}))
    assert [f["filePath"] for f in full["folders"]] == [f"{root}/full/deeper"]
    assert [f["fileId"] for f in full["files"]] == [stored["fileId"]]
    assert full["files"][0]["url"]
    error_of(client.get("/content/folder", params={"folder": f"{root}/nowhere"}), 404)

    # Non-empty: 409 unless forced.
    refused = client.delete("/content/folder", params={"folder": f"{root}/full"})
    assert "forceDelete" in " ".join(error_of(refused, 409)["errors"])
    refused = client.delete(
        "/content/folder", params={"folder": f"{root}/full", "forceDelete": "False"}
    )
    error_of(refused, 409)
    assert ok(client.delete("/content/folder", params={"folder": f"{root}/empty/inner"})) == {}
    forced = client.delete(
        "/content/folder", params={"folder": f"{root}/full", "forceDelete": "true"}
    )
    assert ok(forced) == {}
    for file_id in (stored["fileId"], waiting["fileId"]):
        error_of(client.get(f"/content/file/id/{file_id}"), 404)
    error_of(anon.get(url), 404)
    assert not blob_path(deployment.server, blob_key_of(url, "/assets/")).exists()
    error_of(client.get("/content/folder", params={"folder": f"{root}/full/deeper"}), 404)
    remaining = ok(client.get("/content/folder", params={"folder": root}))
    assert [f["filePath"] for f in remaining["folders"]] == [f"{root}/empty"]

    assert (
        ok(client.delete("/content/folder", params={"folder": root, "forceDelete": "True"})) == {}
    )
    error_of(client.get("/content/folder", params={"folder": root}), 404)


@pytest.mark.parametrize("folder", ["../up", "/abs", "a/../../b", "a\x07b", ""])
def test_bad_folder_paths(client: httpx.Client, folder: str) -> None:
    created = client.post("/content/folder", json={"folder": folder})
    assert error_of(created, 422)["errors"][0].startswith("folder:")
    deleted = client.delete("/content/folder", params={"folder": folder, "forceDelete": "true"})
    assert error_of(deleted, 422)["errors"][0].startswith("folder:")


def test_root_folder_cannot_be_deleted(client: httpx.Client) -> None:
    error_of(client.delete("/content/folder", params={"folder": "./", "forceDelete": "true"}), 409)


# -- what the server produced ---------------------------------------------------------------

TWO_SECTIONS = (
    "<as:section name='intro'>Files test, part one.</as:section>"
    "<as:section name='main'>And part two of the files test.</as:section>"
)


def test_speech_sections_are_library_files(client: httpx.Client, anon: httpx.Client) -> None:
    script = ok(client.post("/content/script", json={"scriptText": TWO_SECTIONS}))
    speech = render(client, {"scriptId": script["scriptId"], "voice": "isaac"})
    speech_id = speech["speechId"]
    sections = {s["sectionName"]: s for s in speech["sections"]}

    everything = search(client, path="generated", pageLimit=1000)
    mine = {
        item["fileName"]: item
        for item in everything["items"]
        if item["filePath"].startswith(f"generated/speeches/{speech_id}/")
    }
    assert set(mine) == {"intro.wav", "main.wav"}
    assert search(client, path=f"generated/speeches/{speech_id}")["total"] == 2
    for name, item in mine.items():
        section = sections[name.removesuffix(".wav")]
        assert item["status"] == "ready" and item["fileType"] == "audio"
        assert item["extension"] == "wav" and item["generated"] is True
        assert item["fileMetadata"]["type"] == "audio/wav"
        library_bytes = anon.get(item["url"]).content
        assert library_bytes == anon.get(section["url"]).content
        with wave.open(io.BytesIO(library_bytes)) as reader:
            rate, channels, frames = (
                reader.getframerate(),
                reader.getnchannels(),
                reader.getnframes(),
            )
        info = item["fileMetadata"]["data"]
        assert (info["sampleRate"], info["channels"]) == (rate, channels)
        assert info["length"] == pytest.approx(section["duration"], abs=0.002)
        assert info["length"] == pytest.approx(frames / rate, abs=0.002)
        assert item["size"] == len(library_bytes)

    intro, main = mine["intro.wav"]["fileId"], mine["main.wav"]["fileId"]
    in_use = error_of(client.delete(f"/content/file/id/{intro}"), 409)
    assert speech_id in " ".join(in_use["errors"])
    assert ready(client, intro)["fileId"] == intro
    assert ok(client.delete(f"/content/file/id/{intro}", params={"force": "true"})) == {}
    error_of(client.get(f"/content/file/id/{intro}"), 404)

    assert ok(client.delete(f"/speech/tts/{speech_id}")) == {}
    error_of(client.get(f"/content/file/id/{main}"), 404)
    assert search(client, path=f"generated/speeches/{speech_id}")["total"] == 0


# -- the same through the LowCodeAPI gateway ------------------------------------------------


def test_gateway_flow_with_api_token_and_old_format(
    gateway: httpx.Client, client: httpx.Client, tmp_path: Path
) -> None:
    root = unique("gateway")
    audio = make_audio(tmp_path, "gw.wav", 1.0, rate=16000, channels=1).read_bytes()
    created = ok(
        gateway.post(
            "/content/file/create-upload-url",
            json={"filePath": f"{root}/in/gw.wav", "tags": ["gw"], "category": "voice"},
        )
    )
    file_id = created["fileId"]
    assert created["url"] == created["fileUploadUrl"]
    # Old Format: the id travels as ?id=, next to api_token.
    old = "/content/file/id/fileid"
    assert ok(gateway.get(old, params={"id": file_id}), 202)["fileId"] == file_id
    assert httpx.put(created["url"], content=audio).status_code == 200
    data = ready(gateway, file_id)
    assert data == ok(client.get(f"/content/file/id/{file_id}")) | {"url": data["url"]}
    polled = gateway.get(old, params={"id": file_id})
    assert ok(polled)["fileId"] == file_id and close_to(
        ok(polled)["fileMetadata"]["data"]["length"], 1.0
    )
    assert httpx.get(data["url"]).content == audio

    found = ok(gateway.get("/content/file/search", params={"path": root, "tags": "gw"}))
    assert [i["fileId"] for i in found["files"]] == [file_id] and found["items"] == found["files"]
    moved = ok(gateway.patch(old, params={"id": file_id}, json={"filePath": f"{root}/out/gw.wav"}))
    assert moved["filePath"] == f"{root}/out/gw.wav"
    assert (
        ok(gateway.patch(f"/content/file/id/{file_id}", json={"category": "music"}))["category"]
        == "music"
    )

    assert ok(gateway.post("/content/folder", json={"folder": f"{root}/extra"}))["folder"] == (
        f"{root}/extra"
    )
    error_of(gateway.delete("/content/folder", params={"folder": root}), 409)
    refused = gateway.put(
        "/content/file/transfer-file", json={"filePath": f"{root}/t.wav", "url": "ftp://x/y"}
    )
    error_of(refused, 422)
    ssrf = ok(
        gateway.put(
            "/content/file/transfer-file",
            json={"filePath": f"{root}/t.wav", "url": "http://169.254.169.254/latest/meta-data"},
        )
    )
    assert "link-local" in failed_reason(gateway, ssrf["fileId"])

    assert ok(gateway.delete(old, params={"id": file_id})) == {}
    error_of(gateway.get(f"/content/file/id/{file_id}"), 404)
    error_of(gateway.get(old, params={"id": file_id}), 404)
    assert (
        ok(gateway.delete("/content/folder", params={"folder": root, "forceDelete": "true"})) == {}
    )
    error_of(client.get(f"/content/file/id/{ssrf['fileId']}"), 404)

    # No token, no library.
    with httpx.Client(base_url=gateway.base_url, timeout=60) as bare:
        error_of(bare.get("/content/file/search"), 401)
