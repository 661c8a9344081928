"""LocalBlobStore: keys can never reach outside the root; writes are atomic; ranges are exact."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from castwright.errors import CastwrightError, Invalid, NotFound
from castwright.storage import BlobStore, LocalBlobStore, validate_key

BAD_KEYS = [
    "",
    "..",
    "../secret",
    "orgs/../../etc/passwd",
    "orgs/a/../b",
    "./orgs/a",
    "orgs/./a",
    "/etc/passwd",
    "/abs/key",
    "orgs//a",
    "orgs/a/",
    ".hidden",
    "orgs/.tmp-x",
    "orgs\\..\\x",
    "orgs/a b",
    "orgs/a\x00b",
    "orgs/" + "x" * 201,
    "a/" * 600,
]
# delete_prefix accepts one trailing slash ("orgs/a/" names a directory), so that key is only
# invalid as a blob key.
ESCAPING_KEYS = [key for key in BAD_KEYS if key != "orgs/a/"]


@pytest.fixture
def store(tmp_path: Path) -> LocalBlobStore:
    return LocalBlobStore(tmp_path / "blobs")


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    target = tmp_path / "outside"
    target.mkdir()
    (target / "secret.txt").write_bytes(b"top secret")
    return target


def test_local_store_implements_the_protocol(store: LocalBlobStore) -> None:
    assert isinstance(store, BlobStore)


@pytest.mark.parametrize("key", BAD_KEYS)
def test_bad_keys_are_invalid(key: str) -> None:
    with pytest.raises(Invalid) as caught:
        validate_key(key)
    assert caught.value.field == "key"


@pytest.mark.parametrize("key", ["a", "orgs/default/speeches/1234/000.wav", "A-b_c.d/e.F"])
def test_good_keys_pass_unchanged(key: str) -> None:
    assert validate_key(key) == key


@pytest.mark.parametrize("key", ESCAPING_KEYS)
def test_every_operation_refuses_escaping_keys(
    store: LocalBlobStore, outside: Path, key: str
) -> None:
    operations = [
        lambda: store.put_bytes(key, b"x"),
        lambda: store.read_bytes(key),
        lambda: list(store.iter_bytes(key)),
        lambda: store.size(key),
        lambda: store.exists(key),
        lambda: store.delete(key),
        lambda: store.delete_prefix(key),
    ]
    for operation in operations:
        with pytest.raises(CastwrightError):
            operation()
    assert (outside / "secret.txt").read_bytes() == b"top secret"


def test_symlinked_directory_pointing_outside_is_refused(
    store: LocalBlobStore, outside: Path
) -> None:
    (store.root / "orgs").mkdir()
    (store.root / "orgs" / "evil").symlink_to(outside, target_is_directory=True)
    for operation in (
        lambda: store.read_bytes("orgs/evil/secret.txt"),
        lambda: store.put_bytes("orgs/evil/planted.txt", b"planted"),
        lambda: store.size("orgs/evil/secret.txt"),
        lambda: store.exists("orgs/evil/secret.txt"),
        lambda: store.delete("orgs/evil/secret.txt"),
        lambda: store.delete_prefix("orgs/evil"),
    ):
        with pytest.raises(NotFound):
            operation()
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]
    assert (outside / "secret.txt").read_bytes() == b"top secret"


def test_symlinked_file_pointing_outside_is_refused(store: LocalBlobStore, outside: Path) -> None:
    (store.root / "link.wav").symlink_to(outside / "secret.txt")
    with pytest.raises(NotFound):
        store.read_bytes("link.wav")
    with pytest.raises(NotFound):
        list(store.iter_bytes("link.wav"))
    with pytest.raises(NotFound):
        store.put_bytes("link.wav", b"overwrite")
    assert (outside / "secret.txt").read_bytes() == b"top secret"


def test_symlinks_inside_the_root_still_work(store: LocalBlobStore) -> None:
    store.put_bytes("real/data.bin", b"inside")
    (store.root / "alias").symlink_to(store.root / "real", target_is_directory=True)
    assert store.read_bytes("alias/data.bin") == b"inside"


def test_round_trip_and_metadata(store: LocalBlobStore) -> None:
    store.put_bytes("orgs/a/one.wav", b"hello world")
    assert store.exists("orgs/a/one.wav")
    assert store.read_bytes("orgs/a/one.wav") == b"hello world"
    assert store.size("orgs/a/one.wav") == 11
    assert not store.exists("orgs/a/two.wav")
    assert not store.exists("orgs/a")  # a directory is not a blob


def test_missing_blobs_are_not_found(store: LocalBlobStore) -> None:
    for operation in (
        lambda: store.read_bytes("orgs/none.wav"),
        lambda: store.size("orgs/none.wav"),
        lambda: list(store.iter_bytes("orgs/none.wav")),
    ):
        with pytest.raises(NotFound):
            operation()
    store.delete("orgs/none.wav")  # deleting a missing blob is fine
    store.delete_prefix("orgs/nothing-here")


def test_writes_are_atomic_renames(store: LocalBlobStore) -> None:
    store.put_bytes("orgs/a/file.bin", b"old contents")
    with (store.root / "orgs/a/file.bin").open("rb") as reader:
        store.put_bytes("orgs/a/file.bin", b"new")
        # A reader that opened the old file keeps reading the whole old file: the new one was
        # written elsewhere and renamed over it, never truncated in place.
        assert reader.read() == b"old contents"
    assert store.read_bytes("orgs/a/file.bin") == b"new"
    leftovers = [p.name for p in (store.root / "orgs/a").iterdir() if p.name != "file.bin"]
    assert leftovers == []


def test_put_file_moves_into_the_store(store: LocalBlobStore, tmp_path: Path) -> None:
    source = tmp_path / "rendered.wav"
    source.write_bytes(b"RIFF....")
    store.put_file("orgs/a/rendered.wav", source)
    assert not source.exists()
    assert store.read_bytes("orgs/a/rendered.wav") == b"RIFF...."


def test_delete_and_delete_prefix(store: LocalBlobStore) -> None:
    for name in ("000.wav", "001.wav", "sub/002.wav"):
        store.put_bytes(f"orgs/a/speeches/s1/{name}", name.encode())
    store.put_bytes("orgs/a/speeches/s2/000.wav", b"keep")
    store.delete("orgs/a/speeches/s1/000.wav")
    assert not store.exists("orgs/a/speeches/s1/000.wav")
    store.delete_prefix("orgs/a/speeches/s1/")
    assert not (store.root / "orgs/a/speeches/s1").exists()
    assert store.read_bytes("orgs/a/speeches/s2/000.wav") == b"keep"
    store.delete_prefix("orgs/a/speeches/s2/000.wav")  # a prefix naming one file
    assert not store.exists("orgs/a/speeches/s2/000.wav")


@pytest.fixture
def big(store: LocalBlobStore) -> bytes:
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
    store: LocalBlobStore, big: bytes, start: int, end: int | None
) -> None:
    got = b"".join(store.iter_bytes("orgs/a/big.bin", start, end))
    expected = big[start:] if end is None else big[start : end + 1]
    assert got == expected


def test_range_past_the_end_is_empty(store: LocalBlobStore, big: bytes) -> None:
    assert b"".join(store.iter_bytes("orgs/a/big.bin", len(big), None)) == b""
