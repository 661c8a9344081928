"""BlobStore seam: a local directory by default, or an S3-compatible bucket; URLs are signed."""

from castwright.storage.base import BlobStore, validate_key
from castwright.storage.factory import blob_store_for
from castwright.storage.local import LocalBlobStore
from castwright.storage.signing import UrlSigner

__all__ = ["BlobStore", "LocalBlobStore", "UrlSigner", "blob_store_for", "validate_key"]
