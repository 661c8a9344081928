"""Blobs in an S3-compatible bucket (AWS S3, MinIO, Ceph, R2, ...).

boto3 is an optional extra (``castwright[s3]``): it is imported when a store is built, never
at import time, so the core install does not need it.
"""

from __future__ import annotations

import logging
import math
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from castwright.errors import Invalid, NotFound
from castwright.storage.base import PresignMethod, too_large, validate_key

__all__ = ["S3BlobStore", "S3StorageError", "StorageUnavailable"]

log = logging.getLogger("castwright.storage")

_READ_SIZE = 1024 * 1024  # fewer, larger blocks: each one costs a thread hop when served
_MIN_PART = 5 * 1024 * 1024  # S3's smallest part (except the last)
_MAX_PARTS = 10_000  # S3's most parts per upload
_MAX_PRESIGN_SECONDS = 7 * 24 * 3600  # SigV4 refuses longer-lived URLs
_DELETE_BATCH = 1000  # DeleteObjects takes at most this many keys


class StorageUnavailable(RuntimeError):
    """The configured backend cannot be used here (its extra is not installed)."""


class S3StorageError(RuntimeError):
    """S3 answered, but refused part of what was asked (a partial batch delete)."""


def _status(error: Exception) -> tuple[int, str]:
    response: dict[str, Any] = getattr(error, "response", None) or {}
    status = int(response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
    return status, str(response.get("Error", {}).get("Code", ""))


def _is_missing(error: Exception) -> bool:
    status, code = _status(error)
    return code != "NoSuchBucket" and (status == 404 or code in {"NoSuchKey", "NotFound", "404"})


@contextmanager
def _missing_is_not_found() -> Iterator[None]:
    try:
        yield
    except Exception as error:
        if _is_missing(error):
            raise NotFound("blob not found") from None
        raise


def _attachment(filename: str) -> str:
    """Content-Disposition for a download: an ASCII fallback plus the exact UTF-8 name."""
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "_" for c in filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


class S3BlobStore:
    """Keys map to ``<prefix>/<key>`` in one bucket; access is through one boto3 client.

    Credentials default to boto3's chain (environment, profile, instance role) when no key
    pair is given. A custom ``endpoint_url`` (MinIO and friends) uses path-style addressing.
    """

    def __init__(
        self,
        bucket: str,
        *,
        region: str = "",
        endpoint_url: str = "",
        access_key_id: str = "",
        secret_access_key: str = "",
        prefix: str = "",
        part_size: int = 8 * 1024 * 1024,
        client: Any = None,
    ) -> None:
        if not bucket:
            raise ValueError("an S3 bucket name is required")
        self.bucket = bucket
        prefix = prefix.strip("/")
        self.prefix = f"{validate_key(prefix)}/" if prefix else ""
        self.part_size = max(part_size, _MIN_PART)
        # An existing client may be shared by several stores (one per bucket or prefix).
        if client is None:
            client = self._make_client(region, endpoint_url, access_key_id, secret_access_key)
        self.client: Any = client

    @staticmethod
    def _make_client(region: str, endpoint_url: str, key_id: str, secret: str) -> Any:
        try:
            import boto3
            from botocore.config import Config
        except ImportError as exc:
            raise StorageUnavailable(
                f"the S3 storage backend needs boto3 ({exc}): pip install 'castwright[s3]'"
            ) from exc
        config = Config(
            signature_version="s3v4",
            s3={"addressing_style": "path" if endpoint_url else "auto"},
            retries={"mode": "standard", "max_attempts": 5},
        )
        # A session per store: boto3's default session is not safe to share across threads.
        return boto3.session.Session().client(
            "s3",
            region_name=region or None,
            endpoint_url=endpoint_url or None,
            aws_access_key_id=key_id or None,
            aws_secret_access_key=secret or None,
            config=config,
        )

    def _name(self, key: str) -> str:
        return self.prefix + validate_key(key)

    def _transfer_config(self) -> Any:
        from boto3.s3.transfer import TransferConfig

        size = self.part_size
        return TransferConfig(multipart_threshold=size, multipart_chunksize=size)

    # -- writing ---------------------------------------------------------------------------

    def put_bytes(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._name(key), Body=data)

    def put_file(self, key: str, source: Path) -> None:
        # The managed upload goes multipart for big files and aborts the upload if it fails.
        self.client.upload_file(
            str(source), self.bucket, self._name(key), Config=self._transfer_config()
        )
        source.unlink()

    def put_stream(self, key: str, chunks: Iterable[bytes], max_bytes: int) -> int:
        name = self._name(key)
        # Parts must stay under S3's part-count limit even for a stream at the full limit.
        part_size = max(self.part_size, math.ceil(max_bytes / _MAX_PARTS))
        buffer = bytearray()
        size = 0
        upload: _MultipartUpload | None = None
        try:
            for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise too_large(max_bytes)
                buffer += chunk
                while len(buffer) >= part_size:
                    if upload is None:
                        upload = _MultipartUpload(self.client, self.bucket, name)
                    upload.add_part(bytes(buffer[:part_size]))
                    del buffer[:part_size]
            if upload is None:
                self.client.put_object(Bucket=self.bucket, Key=name, Body=bytes(buffer))
            else:
                if buffer:
                    upload.add_part(bytes(buffer))
                upload.complete()
        except BaseException:
            # An unfinished multipart upload is never visible as an object; abort it so its
            # parts do not linger (and cost) in the bucket.
            if upload is not None:
                upload.abort()
            raise
        return size

    def copy(self, source_key: str, target_key: str) -> None:
        source = {"Bucket": self.bucket, "Key": self._name(source_key)}
        target = self._name(target_key)
        with _missing_is_not_found():
            # Server-side: a single CopyObject, or a multipart copy past the part size.
            self.client.copy(source, self.bucket, target, Config=self._transfer_config())

    # -- reading ---------------------------------------------------------------------------

    def read_bytes(self, key: str) -> bytes:
        with _missing_is_not_found():
            response = self.client.get_object(Bucket=self.bucket, Key=self._name(key))
        body = response["Body"]
        try:
            data: bytes = body.read()
        finally:
            body.close()
        return data

    def iter_bytes(self, key: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        name = self._name(key)
        if end is not None and end < start:
            return  # S3 would ignore such a Range and send the whole object
        extra = {}
        if start or end is not None:
            extra["Range"] = f"bytes={start}-{'' if end is None else end}"
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=name, **extra)
        except Exception as error:
            if _status(error)[0] == 416:
                return  # a start past the end reads as empty, like a local file
            if _is_missing(error):
                raise NotFound("blob not found") from None
            raise
        body = response["Body"]
        try:
            yield from body.iter_chunks(_READ_SIZE)
        finally:
            body.close()

    def size(self, key: str) -> int:
        with _missing_is_not_found():
            head = self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        return int(head["ContentLength"])

    def exists(self, key: str) -> bool:
        try:
            self.size(key)
        except NotFound:
            return False
        return True

    @contextmanager
    def local_copy(self, key: str) -> Iterator[Path]:
        name = self._name(key)
        with tempfile.TemporaryDirectory(prefix="castwright-s3-") as tmp:
            # Keep the key's last segment: probing tools look at the extension.
            path = Path(tmp) / key.rsplit("/", 1)[-1]
            with _missing_is_not_found():
                self.client.download_file(self.bucket, name, str(path))
            yield path

    def presign(
        self,
        key: str,
        method: PresignMethod,
        ttl_seconds: int,
        filename: str = "",
        content_type: str = "",
    ) -> str | None:
        params: dict[str, str] = {"Bucket": self.bucket, "Key": self._name(key)}
        if method == "GET":
            operation = "get_object"
            if filename:
                params["ResponseContentDisposition"] = _attachment(filename)
            if content_type:
                params["ResponseContentType"] = content_type
        elif method == "PUT":
            operation = "put_object"
            if content_type:
                params["ContentType"] = content_type  # signed: the client must send the same
        else:
            raise Invalid("must be GET or PUT", field="method")
        expires = max(1, min(ttl_seconds, _MAX_PRESIGN_SECONDS))
        url: str = self.client.generate_presigned_url(operation, Params=params, ExpiresIn=expires)
        return url

    # -- deleting --------------------------------------------------------------------------

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))

    def delete_prefix(self, prefix: str) -> None:
        # Like a directory: "a/b" removes the blob a/b and everything under a/b/, never a/bc.
        base = self._name(prefix.rstrip("/"))
        self.client.delete_object(Bucket=self.bucket, Key=base)
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=base + "/", PaginationConfig={"PageSize": _DELETE_BATCH}
        )
        for page in pages:
            keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
            if keys:
                self._delete_batch(keys)

    def _delete_batch(self, keys: list[dict[str, str]]) -> None:
        response = self.client.delete_objects(
            Bucket=self.bucket, Delete={"Objects": keys, "Quiet": True}
        )
        errors = response.get("Errors") or []
        if errors:
            first = errors[0]
            raise S3StorageError(
                f"S3 refused to delete {len(errors)} of {len(keys)} objects "
                f"(first: {first.get('Key')}: {first.get('Code')} {first.get('Message')})"
            )


class _MultipartUpload:
    """One multipart upload: parts in order, then complete or abort."""

    def __init__(self, client: Any, bucket: str, key: str) -> None:
        self._client, self._bucket, self._key = client, bucket, key
        created = client.create_multipart_upload(Bucket=bucket, Key=key)
        self._upload_id: str = created["UploadId"]
        self._parts: list[dict[str, Any]] = []

    def add_part(self, data: bytes) -> None:
        number = len(self._parts) + 1
        response = self._client.upload_part(
            Bucket=self._bucket,
            Key=self._key,
            UploadId=self._upload_id,
            PartNumber=number,
            Body=data,
        )
        self._parts.append({"PartNumber": number, "ETag": response["ETag"]})

    def complete(self) -> None:
        self._client.complete_multipart_upload(
            Bucket=self._bucket,
            Key=self._key,
            UploadId=self._upload_id,
            MultipartUpload={"Parts": self._parts},
        )

    def abort(self) -> None:
        try:
            self._client.abort_multipart_upload(
                Bucket=self._bucket, Key=self._key, UploadId=self._upload_id
            )
        except Exception:
            # The object was never completed, so nothing is visible either way; a bucket
            # lifecycle rule (AbortIncompleteMultipartUpload) reclaims the parts later.
            log.warning("could not abort multipart upload of %s", self._key, exc_info=True)
