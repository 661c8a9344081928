"""BlobStore seam: local directory by default (S3 in a later issue); URLs are signed."""

from castwright.storage.base import BlobStore, validate_key
from castwright.storage.local import LocalBlobStore
from castwright.storage.signing import UrlSigner

__all__ = ["BlobStore", "LocalBlobStore", "UrlSigner", "validate_key"]
