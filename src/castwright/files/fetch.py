"""Server-side transfers: download a URL to a file without becoming an SSRF proxy.

Only http and https; every hop's host is resolved, checked and dialled by address
(``guarded_network``); redirects are followed by hand so each one is checked; the body is
bounded in size and the whole transfer in time. Refusals are ``Invalid`` on field "url".
"""

from __future__ import annotations

import os
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path

import httpcore
import httpx

from castwright.config import FetchSettings
from castwright.errors import Invalid
from castwright.files.guarded_network import (
    AddressGuard,
    GuardedBackend,
    Resolver,
    system_resolver,
)
from castwright.storage.base import too_large

__all__ = ["FetchResult", "Resolver", "fetch_to_file", "system_resolver"]

_REDIRECTS = {301, 302, 303, 307, 308}
_HEADERS = [
    (b"User-Agent", b"Castwright-Fetch/1"),
    (b"Accept", b"*/*"),
    (b"Accept-Encoding", b"identity"),  # store the bytes as served, not a gzip of them
]


@dataclass(frozen=True)
class FetchResult:
    final_url: str
    content_type: str  # the media type without parameters; "" when the server sent none
    size: int


def fetch_to_file(
    url: str,
    target: Path,
    settings: FetchSettings,
    *,
    resolver: Resolver | None = None,
    ssl_context: ssl.SSLContext | None = None,
) -> FetchResult:
    """Download ``url`` into ``target`` (replaced only when the download is complete).

    ``resolver`` replaces DNS (tests, split-horizon setups); ``ssl_context`` replaces the
    default certificate store (certifi) for servers signed by a private authority.
    """
    guard = AddressGuard(settings, resolver or system_resolver)
    current = _parse(url, redirect=False)
    backend = GuardedBackend(guard)
    with httpcore.ConnectionPool(
        ssl_context=ssl_context, network_backend=backend, retries=0
    ) as pool:
        for hop in range(settings.max_redirects + 1):
            guard.redirected = hop > 0
            guard.check_literal(_host(current))  # IP literals are refused without dialling
            try:
                location = _get(pool, guard, current, target, settings)
            except httpcore.TimeoutException:
                raise Invalid(
                    f"timed out after {settings.timeout_seconds:g} seconds", field="url"
                ) from None
            except httpcore.NetworkError as exc:
                reason = str(exc) or type(exc).__name__
                raise Invalid(f"could not be fetched ({reason})", field="url") from None
            except httpcore.ProtocolError as exc:
                raise Invalid(f"answered with broken HTTP ({exc})", field="url") from None
            if isinstance(location, FetchResult):
                return location
            current = _parse(str(current.join(location)), redirect=True)
    raise Invalid(f"redirected more than {settings.max_redirects} times", field="url")


def _parse(raw: str, *, redirect: bool) -> httpx.URL:
    where = "redirect to a URL that " if redirect else ""
    try:
        url = httpx.URL(raw)
    except (httpx.InvalidURL, ValueError, TypeError):
        raise Invalid(f"{where}is not a valid URL", field="url") from None
    if url.scheme not in ("http", "https"):
        scheme = url.scheme or "(none)"
        refused = f"redirect to scheme {scheme} refused" if redirect else f"scheme {scheme}"
        raise Invalid(f"{refused} is not allowed: use http or https", field="url")
    if not url.host:
        raise Invalid(f"{where}has no host", field="url")
    if url.userinfo:
        raise Invalid(f"{where}may not contain a user name or password", field="url")
    return url


def _host(url: httpx.URL) -> str:
    return url.raw_host.decode("ascii")


def _get(
    pool: httpcore.ConnectionPool,
    guard: AddressGuard,
    url: httpx.URL,
    target: Path,
    settings: FetchSettings,
) -> FetchResult | str:
    """One GET: the result, or the Location of a redirect to follow."""
    left = guard.clip(None, httpcore.PoolTimeout)
    request_url = httpcore.URL(
        scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
    )
    timeouts = {"connect": left, "read": left, "write": left, "pool": left}
    with pool.stream(
        "GET", request_url, headers=_HEADERS, extensions={"timeout": timeouts}
    ) as response:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in response.headers}
        if response.status in _REDIRECTS:
            location = headers.get("location", "").strip()
            if not location:
                raise Invalid(f"responded {response.status} without a Location", field="url")
            return location
        if not 200 <= response.status < 300:
            raise Invalid(f"responded {response.status}", field="url")
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > settings.max_bytes:
            raise too_large(settings.max_bytes, "download", field="url")
        size = _save(response, target, settings.max_bytes)
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    return FetchResult(final_url=str(url), content_type=content_type, size=size)


def _save(response: httpcore.Response, target: Path, max_bytes: int) -> int:
    """Stream the body beside ``target`` and rename it there only when it is complete."""
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=".fetch-")
    size = 0
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in response.iter_stream():
                size += len(chunk)
                if size > max_bytes:
                    raise too_large(max_bytes, "download", field="url")
                handle.write(chunk)
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return size
