"""The BlobStore contract, run against every backend: a local directory and S3.

S3 is moto's server mode, started by the tests on 127.0.0.1 on a free port; the S3 cases are
skipped, with the reason, when it cannot start.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from castwright.errors import Invalid, NotFound, QuotaExceeded
from castwright.storage import BlobStore, LocalBlobStore

MiB = 1024 * 1024
BAD_KEYS = ["", "../secret", "orgs/../x", "/etc/passwd", "orgs/a\x00b", "orgs/a\nb", "orgs/\x1b[1m"]


@dataclass
class Backend:
    name: str
    store: Any  # LocalBlobStore | S3BlobStore
    # Every name the backend holds, visible or not: temp files, unfinished multipart uploads.
    leftovers: Callable[[], set[str]]


@pytest.fixture(scope="module")
def moto_client() -> Iterator[Any]:
    """A boto3 client for moto's server; stores share it (building clients is slow)."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as exc:
        pytest.skip(f"moto[server] is not installed ({exc}): pip install -e '.[dev]'")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    # start() waits forever if the server thread dies, so wait for it from the side.
    starter = threading.Thread(target=server.start, daemon=True)
    starter.start()
    starter.join(timeout=30)
    if starter.is_alive():
        pytest.skip("moto's S3 server did not start on 127.0.0.1 within 30 seconds")
    host, port = server.get_host_and_port()
    from castwright.storage.s3 import S3BlobStore

    first = S3BlobStore(
        "castwright-contract",
        region="us-east-1",
        endpoint_url=f"http://{host}:{port}",
        access_key_id="testing",
        secret_access_key="testing",
    )
    yield first.client
    server.stop()


def _local(tmp_path: Path) -> Backend:
    store = LocalBlobStore(tmp_path / "blobs")

    def leftovers() -> set[str]:
        return {str(p.relative_to(store.root)) for p in store.root.rglob("*") if p.is_file()}

    return Backend("local", store, leftovers)


def _s3(client: Any) -> Backend:
    from castwright.storage.s3 import S3BlobStore

    bucket = f"castwright-{uuid.uuid4().hex[:12]}"  # a fresh bucket per test
    store = S3BlobStore(bucket, prefix="contract", part_size=5 * MiB, client=client)
    store.client.create_bucket(Bucket=store.bucket)

    def leftovers() -> set[str]:
        objects = store.client.list_objects_v2(Bucket=store.bucket).get("Contents", [])
        uploads = store.client.list_multipart_uploads(Bucket=store.bucket).get("Uploads", [])
        return {o["Key"] for o in objects} | {f"upload:{u['Key']}" for u in uploads}

    return Backend("s3", store, leftovers)


@pytest.fixture(params=["local", "s3"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    if request.param == "local":
        return _local(tmp_path)
    return _s3(request.getfixturevalue("moto_client"))


@pytest.fixture
def store(backend: Backend) -> Any:
    return backend.store


def test_implements_the_protocol(store: Any) -> None:
    assert isinstance(store, BlobStore)


def test_round_trip_and_metadata(store: Any) -> None:
    store.put_bytes("orgs/a/one.wav", b"hello world")
    assert store.exists("orgs/a/one.wav")
    assert store.read_bytes("orgs/a/one.wav") == b"hello world"
    assert store.size("orgs/a/one.wav") == 11
    assert not store.exists("orgs/a/two.wav")
    assert not store.exists("orgs/a")  # a "directory" is not a blob
    store.put_bytes("orgs/a/one.wav", b"replaced")
    assert store.read_bytes("orgs/a/one.wav") == b"replaced"
    store.put_bytes("orgs/a/empty.bin", b"")
    assert store.size("orgs/a/empty.bin") == 0
    assert store.read_bytes("orgs/a/empty.bin") == b""


def test_put_file_moves_into_the_store(store: Any, tmp_path: Path) -> None:
    source = tmp_path / "rendered.wav"
    source.write_bytes(b"RIFF....")
    store.put_file("orgs/a/rendered.wav", source)
    assert not source.exists()
    assert store.read_bytes("orgs/a/rendered.wav") == b"RIFF...."


def test_missing_blobs_are_not_found(store: Any) -> None:
    for operation in (
        lambda: store.read_bytes("orgs/none.wav"),
        lambda: store.size("orgs/none.wav"),
        lambda: list(store.iter_bytes("orgs/none.wav")),
        lambda: list(store.iter_bytes("orgs/none.wav", 5, 10)),
        lambda: store.copy("orgs/none.wav", "orgs/copy.wav"),
    ):
        with pytest.raises(NotFound):
            operation()
    with pytest.raises(NotFound), store.local_copy("orgs/none.wav"):
        pass
    assert not store.exists("orgs/copy.wav")
    store.delete("orgs/none.wav")  # deleting a missing blob is fine
    store.delete_prefix("orgs/nothing-here")


@pytest.fixture
def big(store: Any) -> bytes:
    data = os.urandom(700 * 1024)  # several read blocks
    store.put_bytes("orgs/a/big.bin", data)
    return data


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (0, None),
        (0, 0),
        (1, 1),
        (10, 20),
        (0, 256 * 1024 - 1),
        (256 * 1024 - 1, 256 * 1024),
        (100_000, 600_000),
        (700 * 1024 - 1, None),
        (500_000, 10_000_000),  # an end past the blob stops at its last byte
    ],
)
def test_ranges_are_inclusive_and_exact(
    store: Any, big: bytes, start: int, end: int | None
) -> None:
    got = b"".join(store.iter_bytes("orgs/a/big.bin", start, end))
    assert got == (big[start:] if end is None else big[start : end + 1])


def test_ranges_past_the_end_or_backwards_are_empty(store: Any, big: bytes) -> None:
    assert b"".join(store.iter_bytes("orgs/a/big.bin", len(big), None)) == b""
    assert b"".join(store.iter_bytes("orgs/a/big.bin", len(big) + 10, len(big) + 20)) == b""
    assert b"".join(store.iter_bytes("orgs/a/big.bin", 20, 10)) == b""


def _chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    for offset in range(0, total, size):
        yield bytes([offset // size % 251]) * min(size, total - offset)


def test_put_stream_stores_and_returns_the_size(store: Any) -> None:
    assert store.put_stream("orgs/a/up.bin", _chunks(300_000), max_bytes=300_000) == 300_000
    assert store.read_bytes("orgs/a/up.bin") == b"".join(_chunks(300_000))
    assert store.put_stream("orgs/a/nothing.bin", iter(()), max_bytes=10) == 0
    assert store.exists("orgs/a/nothing.bin")
    assert store.size("orgs/a/nothing.bin") == 0


def test_oversize_stream_leaves_nothing_and_keeps_the_old_blob(
    backend: Backend, store: Any
) -> None:
    store.put_bytes("orgs/a/kept.bin", b"the old contents")
    before = backend.leftovers()
    with pytest.raises(QuotaExceeded) as caught:
        store.put_stream("orgs/a/kept.bin", _chunks(200_000), max_bytes=100 * 1024)
    assert caught.value.status == 413
    assert "100 KiB" in caught.value.message
    with pytest.raises(QuotaExceeded):
        store.put_stream("orgs/a/new.bin", _chunks(200_000), max_bytes=100 * 1024)
    assert store.read_bytes("orgs/a/kept.bin") == b"the old contents"
    assert not store.exists("orgs/a/new.bin")
    assert backend.leftovers() == before


def test_interrupted_stream_leaves_nothing(backend: Backend, store: Any) -> None:
    def broken() -> Iterator[bytes]:
        yield b"x" * 100_000
        raise ConnectionResetError("client went away")

    before = backend.leftovers()
    with pytest.raises(ConnectionResetError):
        store.put_stream("orgs/a/broken.bin", broken(), max_bytes=MiB)
    assert not store.exists("orgs/a/broken.bin")
    assert backend.leftovers() == before


def test_copy(store: Any) -> None:
    store.put_bytes("orgs/a/source.wav", b"source bytes")
    store.put_bytes("orgs/b/target.wav", b"old target")
    store.copy("orgs/a/source.wav", "orgs/b/target.wav")
    store.copy("orgs/a/source.wav", "orgs/c/deeper/new.wav")
    assert store.read_bytes("orgs/b/target.wav") == b"source bytes"
    assert store.read_bytes("orgs/c/deeper/new.wav") == b"source bytes"
    assert store.read_bytes("orgs/a/source.wav") == b"source bytes"


def test_delete_and_delete_prefix(store: Any) -> None:
    for name in ("000.wav", "001.wav", "sub/002.wav"):
        store.put_bytes(f"orgs/a/speeches/s1/{name}", name.encode())
    store.put_bytes("orgs/a/speeches/s10/000.wav", b"a sibling sharing the prefix text")
    store.put_bytes("orgs/a/speeches/s2/000.wav", b"keep")
    store.delete("orgs/a/speeches/s1/000.wav")
    assert not store.exists("orgs/a/speeches/s1/000.wav")
    store.delete_prefix("orgs/a/speeches/s1/")
    for name in ("001.wav", "sub/002.wav"):
        assert not store.exists(f"orgs/a/speeches/s1/{name}")
    assert store.read_bytes("orgs/a/speeches/s10/000.wav").startswith(b"a sibling")
    assert store.read_bytes("orgs/a/speeches/s2/000.wav") == b"keep"
    store.delete_prefix("orgs/a/speeches/s2/000.wav")  # a prefix naming one blob
    assert not store.exists("orgs/a/speeches/s2/000.wav")


def test_local_copy_is_a_readable_file(backend: Backend, store: Any) -> None:
    store.put_bytes("orgs/a/take.wav", b"RIFF take one")
    with store.local_copy("orgs/a/take.wav") as path:
        assert path.name == "take.wav"  # probing tools look at the extension
        assert path.read_bytes() == b"RIFF take one"
    if backend.name == "s3":
        assert not path.exists()  # the temporary download is gone
    assert store.read_bytes("orgs/a/take.wav") == b"RIFF take one"


def test_presign(backend: Backend, store: Any) -> None:
    store.put_bytes("orgs/a/intro.wav", b"RIFF intro")
    get = store.presign("orgs/a/intro.wav", "GET", 300, filename="My intro.wav")
    put = store.presign("orgs/a/upload.mp3", "PUT", 300, content_type="audio/mpeg")
    if backend.name == "local":
        # The server signs its own /assets and /uploads URLs (UrlSigner) instead.
        assert get is None
        assert put is None
        return
    with httpx.Client(trust_env=False, timeout=30) as http:
        downloaded = http.get(get)
        assert downloaded.status_code == 200
        assert downloaded.content == b"RIFF intro"
        assert 'filename="My intro.wav"' in downloaded.headers["content-disposition"]
        uploaded = http.put(put, content=b"ID3 upload", headers={"content-type": "audio/mpeg"})
        assert uploaded.status_code == 200, uploaded.text
    assert store.read_bytes("orgs/a/upload.mp3") == b"ID3 upload"


@pytest.mark.parametrize("key", BAD_KEYS)
def test_every_operation_validates_keys(store: Any, tmp_path: Path, key: str) -> None:
    store.put_bytes("orgs/a/good.wav", b"good")
    source = tmp_path / "source.bin"
    source.write_bytes(b"x")
    operations: list[Callable[[], object]] = [
        lambda: store.put_bytes(key, b"x"),
        lambda: store.put_file(key, source),
        lambda: store.put_stream(key, iter([b"x"]), 10),
        lambda: store.read_bytes(key),
        lambda: list(store.iter_bytes(key)),
        lambda: store.size(key),
        lambda: store.exists(key),
        lambda: store.copy("orgs/a/good.wav", key),
        lambda: store.copy(key, "orgs/a/copy.wav"),
        lambda: store.presign(key, "GET", 60),
        lambda: store.presign(key, "PUT", 60),
        lambda: store.delete(key),
        lambda: store.delete_prefix(key),
    ]
    for operation in operations:
        with pytest.raises(Invalid) as caught:
            operation()
        assert caught.value.field == "key"
    with pytest.raises(Invalid), store.local_copy(key):
        pass
    assert source.exists()
    assert not store.exists("orgs/a/copy.wav")


# -- S3 only: multipart streams and copies, and the key prefix ---------------------------


@pytest.fixture
def s3(moto_client: Any) -> Backend:
    return _s3(moto_client)


def test_s3_large_stream_goes_multipart_and_copies_server_side(s3: Backend) -> None:
    store = s3.store
    total = 11 * MiB + 123  # three parts of the 5 MiB part size
    data = b"".join(_chunks(total, MiB))
    assert store.put_stream("orgs/a/long.wav", _chunks(total, MiB), max_bytes=12 * MiB) == total
    head = store.client.head_object(Bucket=store.bucket, Key="contract/orgs/a/long.wav")
    assert head["ETag"].strip('"').endswith("-3")  # a multipart object's ETag counts its parts
    assert store.read_bytes("orgs/a/long.wav") == data
    store.copy("orgs/a/long.wav", "orgs/b/long.wav")
    assert store.size("orgs/b/long.wav") == total
    assert (
        b"".join(store.iter_bytes("orgs/b/long.wav", 6 * MiB, 6 * MiB + 9))
        == data[6 * MiB : 6 * MiB + 10]
    )
    assert s3.leftovers() == {"contract/orgs/a/long.wav", "contract/orgs/b/long.wav"}


def test_s3_oversize_multipart_stream_is_aborted(s3: Backend) -> None:
    with pytest.raises(QuotaExceeded):
        s3.store.put_stream("orgs/a/huge.wav", _chunks(12 * MiB, MiB), max_bytes=7 * MiB)
    assert s3.leftovers() == set()  # no object and no unfinished upload


def test_s3_interrupted_multipart_stream_is_aborted(s3: Backend) -> None:
    def broken() -> Iterator[bytes]:
        yield from _chunks(6 * MiB, MiB)  # one whole part already uploaded
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        s3.store.put_stream("orgs/a/cut.wav", broken(), max_bytes=64 * MiB)
    assert s3.leftovers() == set()


def test_s3_keys_live_under_the_prefix(s3: Backend) -> None:
    s3.store.put_bytes("orgs/a/one.wav", b"1")
    assert s3.leftovers() == {"contract/orgs/a/one.wav"}
    s3.store.delete_prefix("orgs")
    assert s3.leftovers() == set()
