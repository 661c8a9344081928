"""HMAC-signed, expiring URLs on the server's own host, for downloads and uploads.

The official SDK downloads assets with its API-key headers, so URLs must never point at a
third-party host; the signature lets the same URL work without a key until it expires.
A signature covers the HTTP method and the route prefix as well as the key, expiry and
filename, so a download link cannot be replayed as an upload and vice versa.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import quote, urlencode

__all__ = ["UrlSigner"]


def _prefix(path_prefix: str) -> str:
    return "/" + path_prefix.strip("/")


class UrlSigner:
    def __init__(self, secret: bytes, base_url: str) -> None:
        self._secret = secret
        self.base_url = base_url.rstrip("/")

    def _signature(self, method: str, prefix: str, key: str, expires: int, filename: str) -> str:
        # Every field before the filename is newline-free (keys cannot hold control
        # characters), so the message parses one way only.
        message = f"{method.upper()}\n{_prefix(prefix)}\n{key}\n{expires}\n{filename}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def url(
        self,
        key: str,
        ttl_seconds: int,
        filename: str = "",
        now: float | None = None,
        *,
        method: str = "GET",
        path_prefix: str = "/assets",
    ) -> str:
        expires = int((now if now is not None else time.time()) + ttl_seconds)
        signature = self._signature(method, path_prefix, key, expires, filename)
        query = {"expires": str(expires), "sig": signature}
        if filename:
            query["filename"] = filename
        return f"{self.base_url}{_prefix(path_prefix)}/{quote(key)}?{urlencode(query)}"

    def verify(
        self,
        key: str,
        expires: str,
        signature: str,
        filename: str = "",
        now: float | None = None,
        *,
        method: str = "GET",
        path_prefix: str = "/assets",
    ) -> bool:
        try:
            expires_at = int(expires)
        except ValueError:
            return False
        if expires_at < (now if now is not None else time.time()):
            return False
        expected = self._signature(method, path_prefix, key, expires_at, filename)
        return hmac.compare_digest(expected, signature)
