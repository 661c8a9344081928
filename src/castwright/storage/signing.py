"""HMAC-signed, expiring asset URLs on the server's own host.

The official SDK downloads assets with its API-key headers, so URLs must never point at a
third-party host; the signature lets the same URL work without a key until it expires.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import quote, urlencode

__all__ = ["UrlSigner"]


class UrlSigner:
    def __init__(self, secret: bytes, base_url: str) -> None:
        self._secret = secret
        self.base_url = base_url.rstrip("/")

    def _signature(self, key: str, expires: int, filename: str) -> str:
        message = f"{key}\n{expires}\n{filename}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def url(self, key: str, ttl_seconds: int, filename: str = "", now: float | None = None) -> str:
        expires = int((now if now is not None else time.time()) + ttl_seconds)
        query = {"expires": str(expires), "sig": self._signature(key, expires, filename)}
        if filename:
            query["filename"] = filename
        return f"{self.base_url}/assets/{quote(key)}?{urlencode(query)}"

    def verify(
        self, key: str, expires: str, signature: str, filename: str = "", now: float | None = None
    ) -> bool:
        try:
            expires_at = int(expires)
        except ValueError:
            return False
        if expires_at < (now if now is not None else time.time()):
            return False
        expected = self._signature(key, expires_at, filename)
        return hmac.compare_digest(expected, signature)
