"""Asset downloads: signed URLs, the owner's key when a signature expired, Range, traversal."""

from __future__ import annotations

import http.client
import uuid
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import httpx
import pytest

from castwright.auth.service import create_key
from castwright.config import Settings
from castwright.runtime import database_for
from castwright.storage.signing import UrlSigner
from support.api_checks import error_of, fetch_wav


@pytest.fixture
def section_url(greeting_speech: dict[str, Any]) -> str:
    url: str = greeting_speech["sections"][0]["url"]
    return url


@pytest.fixture
def full_audio(section_url: str) -> bytes:
    data, _ = fetch_wav(section_url)
    return data


def blob_key(url: str) -> str:
    return unquote(urlsplit(url).path.removeprefix("/assets/"))


def expired_url(deployment: Any, url: str) -> str:
    """The same asset signed with the server's own secret, but already expired."""
    settings = deployment.server.settings
    secret = Settings(data_dir=settings.data_dir, port=settings.port).effective_secret_key()
    filename = parse_qs(urlsplit(url).query)["filename"][0]
    return UrlSigner(secret, deployment.url).url(blob_key(url), -60, filename)


def test_signed_url_works_without_a_key(anon: httpx.Client, section_url: str) -> None:
    response = anon.get(section_url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/wav"
    assert int(response.headers["content-length"]) == len(response.content)
    assert response.headers["content-disposition"] == 'attachment; filename="intro.wav"'
    assert response.headers["accept-ranges"] == "bytes"
    assert response.content[:4] == b"RIFF" and response.content[8:12] == b"WAVE"


def test_urls_are_on_the_server_itself(section_url: str, deployment: Any) -> None:
    assert section_url.startswith(f"{deployment.url}/assets/orgs/")


@pytest.mark.parametrize("part", ["sig", "expires", "filename", "path"])
def test_tampered_urls_are_403(anon: httpx.Client, section_url: str, part: str) -> None:
    parts = urlsplit(section_url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    path = parts.path
    if part == "sig":
        query["sig"] = ("0" if query["sig"][0] != "0" else "1") + query["sig"][1:]
    elif part == "expires":
        query["expires"] = str(int(query["expires"]) + 1)
    elif part == "filename":
        query["filename"] = "other.wav"
    else:
        path = path.replace("000.wav", "001.wav")
    response = anon.get(f"{parts.scheme}://{parts.netloc}{path}", params=query)
    error_of(response, 403)


def test_missing_signature_is_403(anon: httpx.Client, section_url: str) -> None:
    error_of(anon.get(section_url.split("?")[0]), 403)


def test_expired_signature_needs_the_owners_key(
    anon: httpx.Client, section_url: str, full_audio: bytes, deployment: Any
) -> None:
    url = expired_url(deployment, section_url)
    assert "signature" in error_of(anon.get(url), 403)["message"]
    with_key = anon.get(url, headers={"x-api-key": deployment.api_key})
    assert with_key.status_code == 200 and with_key.content == full_audio
    with_token = anon.get(url, params={"api_token": deployment.api_key})
    assert with_token.status_code == 200
    error_of(anon.get(url, headers={"x-api-key": "cw_unknown"}), 403)

    with database_for(deployment.server.settings).session() as session:
        _, stranger = create_key(session, name="stranger", org_id=f"org-{uuid.uuid4().hex[:8]}")
    error_of(anon.get(url, headers={"x-api-key": stranger}), 403)
    # A key of the owner also fetches the bare path, without any signature.
    bare = anon.get(section_url.split("?")[0], headers={"x-api-key": deployment.api_key})
    assert bare.status_code == 200 and bare.content == full_audio


@pytest.mark.parametrize(
    ("header", "span"),
    [
        ("bytes=0-99", (0, 99)),
        ("bytes=100-", (100, None)),
        ("bytes=-50", (-50, None)),
        ("bytes=44-44", (44, 44)),
        ("bytes=10-999999999", (10, None)),
    ],
)
def test_range_requests(
    anon: httpx.Client,
    section_url: str,
    full_audio: bytes,
    header: str,
    span: tuple[int, int | None],
) -> None:
    size = len(full_audio)
    first, last = span
    start = size + first if first < 0 else first
    end = size - 1 if last is None else last
    response = anon.get(section_url, headers={"Range": header})
    assert response.status_code == 206
    assert response.content == full_audio[start : end + 1]
    assert response.headers["content-range"] == f"bytes {start}-{end}/{size}"
    assert int(response.headers["content-length"]) == end - start + 1


def test_unsatisfiable_and_malformed_ranges(
    anon: httpx.Client, section_url: str, full_audio: bytes
) -> None:
    size = len(full_audio)
    error_of(anon.get(section_url, headers={"Range": f"bytes={size}-"}), 416)
    error_of(anon.get(section_url, headers={"Range": "bytes=50-10"}), 416)
    for malformed in ["bytes=abc", "pages=1-2", "bytes=-"]:
        ignored = anon.get(section_url, headers={"Range": malformed})
        assert ignored.status_code == 200 and ignored.content == full_audio


def _raw_get(deployment: Any, raw_path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    """GET with the path sent byte for byte (httpx would normalise the dot segments away)."""
    parts = urlsplit(deployment.url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=60)
    try:
        connection.request("GET", raw_path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("with_key", [False, True], ids=["anonymous", "keyed"])
def test_traversal_never_leaves_the_store(
    deployment: Any, section_url: str, with_key: bool
) -> None:
    data_dir = deployment.server.settings.data_dir
    secret = (data_dir / "secret.key").read_bytes().strip()
    query = urlsplit(section_url).query
    org_dir = "/assets/orgs/default"
    headers = {"x-api-key": deployment.api_key} if with_key else {}
    for raw_path in [
        "/assets/../secret.key",
        "/assets/../../etc/passwd",
        "/assets/%2e%2e/secret.key",
        "/assets/%2E%2E%2Fsecret.key",
        "/assets/..%2fsecret.key",
        "/assets/..%5csecret.key",
        "/assets/%252e%252e%252fsecret.key",
        f"{org_dir}/../../../secret.key",
        f"{org_dir}/%2e%2e/%2e%2e/%2e%2e/secret.key",
        f"{org_dir}/..%2f..%2f..%2fcastwright.db",
        "/assets//etc/passwd",
        "/assets/%2fetc%2fpasswd",
        "/assets/orgs/default/./speeches",
        f"/assets/..%2f..%2fsecret.key?{query}",
    ]:
        status, body = _raw_get(deployment, raw_path, headers)
        assert status in (403, 404), (raw_path, status)
        assert secret not in body and b"SQLite" not in body and b"root:" not in body
