"""An httpcore network backend that connects only to checked addresses, within a deadline.

The host name is resolved once, every address is checked, and the socket is opened to the
checked address itself, so a DNS answer that changes between check and connect (rebinding)
cannot redirect the connection. TLS still verifies the certificate against the original
host name: httpcore passes it to ``start_tls`` separately from the address we dial.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import httpcore

from castwright.config import FetchSettings
from castwright.errors import Invalid
from castwright.files.addresses import parse_ip, refusal

__all__ = ["AddressGuard", "GuardedBackend", "Resolver", "system_resolver"]

Resolver = Callable[[str, int], Sequence[str]]
"""(host, port) -> IP address strings, best first."""


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _host_key(host: str) -> str:
    ip = parse_ip(host)
    return str(ip) if ip is not None else host.lower().rstrip(".")


class AddressGuard:
    """The fetch's rules and clock: which hosts and addresses are allowed, and time left."""

    def __init__(self, settings: FetchSettings, resolver: Resolver) -> None:
        self.allow_private = settings.allow_private_addresses
        self.allowed_hosts = {_host_key(host) for host in settings.allowed_hosts}
        self.deadline = time.monotonic() + settings.timeout_seconds
        self.resolver = resolver
        self.redirected = False  # set once the fetch follows a redirect: messages say so

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def clip(self, timeout: float | None, expired: type[httpcore.TimeoutException]) -> float:
        """A per-operation timeout that never runs past the whole fetch's deadline."""
        left = self.remaining()
        if left <= 0:
            raise expired("the transfer ran out of time")
        return left if timeout is None else min(timeout, left)

    def trusts(self, host: str) -> bool:
        return self.allow_private or _host_key(host) in self.allowed_hosts

    def check_literal(self, host: str) -> None:
        """Refuse an IP-literal host before any connection is attempted."""
        ip = parse_ip(host)
        if ip is not None and not self.trusts(host):
            self._check(host, str(ip))

    def addresses(self, host: str, port: int) -> list[str]:
        """Resolve ``host`` and return its addresses once every one of them has passed."""
        if parse_ip(host) is not None:
            found: Sequence[str] = [str(parse_ip(host))]
        else:
            found = self._resolve(host, port)
        if not self.trusts(host):
            for address in found:
                self._check(host, address)
        return list(found)

    def _check(self, host: str, address: str) -> None:
        ip = parse_ip(address)
        why = "an unparseable address" if ip is None else refusal(ip)
        if why is None:
            return
        target = f"{why} {address}"
        if self.redirected:
            named = "" if parse_ip(host) is not None else f" ({host})"
            raise Invalid(f"redirect to {target}{named} refused", field="url")
        if parse_ip(host) is not None:
            raise Invalid(f"points to {target}", field="url")
        raise Invalid(f"host {host} resolves to {target}", field="url")

    def _resolve(self, host: str, port: int) -> Sequence[str]:
        # getaddrinfo cannot be given a timeout, so wait for it from the side.
        outcome: list[Sequence[str] | BaseException] = []

        def run() -> None:
            try:
                outcome.append(self.resolver(host, port))
            except BaseException as exc:  # handed to the waiting thread below
                outcome.append(exc)

        worker = threading.Thread(target=run, name="castwright-resolve", daemon=True)
        worker.start()
        worker.join(self.clip(None, httpcore.ConnectTimeout))
        if not outcome:
            raise httpcore.ConnectTimeout(f"resolving {host} took too long")
        result = outcome[0]
        if isinstance(result, BaseException):
            raise Invalid(f"host {host} could not be resolved ({result})", field="url")
        if not result:
            raise Invalid(f"host {host} has no addresses", field="url")
        return result


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream, guard: AddressGuard) -> None:
        self._inner, self._guard = inner, guard

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._guard.clip(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._guard.clip(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        timeout = self._guard.clip(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(
            self._inner.start_tls(ssl_context, server_hostname, timeout), self._guard
        )

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """Dials only addresses the guard has passed; every stream honours its deadline."""

    def __init__(self, guard: AddressGuard) -> None:
        self._guard = guard
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        def dial(address: str) -> httpcore.NetworkStream:
            # The checked address, never the name again.
            connect_timeout = self._guard.clip(timeout, httpcore.ConnectTimeout)
            stream = self._inner.connect_tcp(
                address, port, connect_timeout, local_address, socket_options
            )
            return _DeadlineStream(stream, self._guard)

        *others, last = self._guard.addresses(host, port)
        for address in others:
            try:
                return dial(address)
            except (httpcore.ConnectError, httpcore.ConnectTimeout):
                continue  # try the host's next address, as a browser would
        return dial(last)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("fetches never use unix sockets")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)
