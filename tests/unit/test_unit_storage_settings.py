"""Storage and fetch settings: defaults, environment, and the store they build."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from castwright.config import Settings
from castwright.storage import LocalBlobStore, blob_store_for

MiB = 1024 * 1024


def test_defaults(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert settings.storage.backend == "local"
    assert settings.storage.max_upload_bytes == 512 * MiB
    assert settings.storage.max_org_bytes == 50 * 1024 * MiB
    assert settings.storage.upload_url_ttl_seconds == 3600
    assert settings.fetch.allow_private_addresses is False
    assert settings.fetch.allowed_hosts == []
    assert (settings.fetch.max_bytes, settings.fetch.max_redirects) == (512 * MiB, 5)
    assert settings.fetch.timeout_seconds == 60
    store = blob_store_for(settings)
    assert isinstance(store, LocalBlobStore)
    assert store.root == tmp_path / "blobs"


def test_environment_selects_s3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("boto3", reason="the [s3] extra is not installed")
    from castwright.storage.s3 import S3BlobStore

    for name, value in {
        "CASTWRIGHT_STORAGE__BACKEND": "s3",
        "CASTWRIGHT_STORAGE__S3_BUCKET": "castwright-media",
        "CASTWRIGHT_STORAGE__S3_REGION": "eu-west-1",
        "CASTWRIGHT_STORAGE__S3_ENDPOINT_URL": "http://127.0.0.1:9",
        "CASTWRIGHT_STORAGE__S3_ACCESS_KEY_ID": "key-id",
        "CASTWRIGHT_STORAGE__S3_SECRET_ACCESS_KEY": "very-secret",
        "CASTWRIGHT_STORAGE__S3_PREFIX": "/castwright/prod/",
        "CASTWRIGHT_FETCH__ALLOWED_HOSTS": '["media.internal"]',
    }.items():
        monkeypatch.setenv(name, value)
    settings = Settings(data_dir=tmp_path)
    assert "very-secret" not in repr(settings)  # secrets stay out of logs
    assert settings.fetch.allowed_hosts == ["media.internal"]
    store = blob_store_for(settings)  # builds a client; talks to nobody yet
    assert isinstance(store, S3BlobStore)
    assert (store.bucket, store.prefix) == ("castwright-media", "castwright/prod/")
    assert store.client.meta.region_name == "eu-west-1"
    assert store.client.meta.endpoint_url == "http://127.0.0.1:9"


def test_s3_needs_a_bucket(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="s3_bucket is required"):
        Settings(data_dir=tmp_path, storage={"backend": "s3"})
    with pytest.raises(ValidationError):
        Settings(data_dir=tmp_path, storage={"backend": "ftp"})
