"""Build the configured BlobStore from Settings."""

from __future__ import annotations

from castwright.config import Settings
from castwright.storage.base import BlobStore
from castwright.storage.local import LocalBlobStore

__all__ = ["blob_store_for"]


def blob_store_for(settings: Settings) -> BlobStore:
    """The local directory under data_dir by default; an S3 bucket when configured."""
    storage = settings.storage
    if storage.backend == "s3":
        from castwright.storage.s3 import S3BlobStore  # boto3 only when S3 is chosen

        return S3BlobStore(
            storage.s3_bucket,
            region=storage.s3_region,
            endpoint_url=storage.s3_endpoint_url,
            access_key_id=storage.s3_access_key_id,
            secret_access_key=storage.s3_secret_access_key.get_secret_value(),
            prefix=storage.s3_prefix,
        )
    return LocalBlobStore(settings.blob_root)
