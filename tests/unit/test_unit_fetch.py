"""Server-side fetch against a real HTTP server on 127.0.0.1: SSRF refusals, limits, redirects."""

from __future__ import annotations

import datetime
import socket
import ssl
import threading
import time
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from castwright.config import FetchSettings
from castwright.errors import Invalid, QuotaExceeded
from castwright.files.fetch import Resolver, fetch_to_file

BODY = bytes(range(256)) * 40  # 10 KiB
PRIVATE_OK = FetchSettings(allow_private_addresses=True, timeout_seconds=10)


class Handler(BaseHTTPRequestHandler):
    hits: list[tuple[str, str]]  # (path, Host header), set per server

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        self.hits.append((self.path, self.headers.get("host", "")))
        split = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(split.query).items()}
        route = split.path
        if route == "/audio":
            self._send(200, BODY, {"Content-Type": "audio/mpeg; charset=binary"})
        elif route == "/redirect":
            self._send(302, b"", {"Location": query["to"]})
        elif route.startswith("/chain/"):
            left = int(route.removeprefix("/chain/"))
            if left:
                self._send(302, b"", {"Location": f"/chain/{left - 1}"})
            else:
                self._send(200, b"end of chain", {"Content-Type": "text/plain"})
        elif route == "/relative":
            self._send(301, b"", {"Location": "audio"})
        elif route == "/big":  # no Content-Length: the size is only known by reading
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"x" * 5000)
        elif route == "/big-declared":
            self._send(200, b"x" * 5000, {})
        elif route == "/slow":  # headers at once, then a byte every 100 ms
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self._trickle(30)
        elif route == "/stall":  # says nothing at all for a while
            time.sleep(2)
        else:
            self._send(404, b"no such thing", {})

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _trickle(self, count: int) -> None:
        try:
            for _ in range(count):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass  # the client gave up, as it should


class Server:
    def __init__(self) -> None:
        self.hits: list[tuple[str, str]] = []
        handler = type("BoundHandler", (Handler,), {"hits": self.hits})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    running = Server()
    running.thread.start()
    yield running
    running.httpd.shutdown()
    running.httpd.server_close()


@pytest.fixture(autouse=True)
def _fresh_hits(server: Server) -> None:
    server.hits.clear()


@pytest.fixture
def target(tmp_path: Path) -> Path:
    return tmp_path / "download"


def no_dns(host: str, port: int) -> Sequence[str]:
    raise AssertionError(f"nothing should be resolved, but {host} was")


def refused(
    url: str,
    target: Path,
    settings: FetchSettings | None = None,
    *,
    resolver: Resolver | None = None,
    ssl_context: ssl.SSLContext | None = None,
) -> str:
    """The refusal's message, after checking that nothing was left at the target."""
    settings = settings or FetchSettings(timeout_seconds=5)
    with pytest.raises(Invalid) as caught:
        fetch_to_file(url, target, settings, resolver=resolver, ssl_context=ssl_context)
    assert caught.value.field == "url"
    assert not target.exists()
    assert list(target.parent.iterdir()) == []  # no temporary file left either
    return caught.value.message


# -- refused by default ------------------------------------------------------------------


def test_loopback_is_refused_by_default(server: Server, target: Path) -> None:
    message = refused(server.url("/audio"), target)
    assert message == "url: points to a loopback address 127.0.0.1"
    assert server.hits == []


def test_a_name_resolving_to_loopback_is_refused(server: Server, target: Path) -> None:
    message = refused(server.url("/audio", host="localhost"), target)
    assert "host localhost resolves to a loopback address" in message
    assert server.hits == []


@pytest.mark.parametrize(
    ("host", "why"),
    [
        ("10.0.0.1", "a private address 10.0.0.1"),
        ("192.168.1.20", "a private address 192.168.1.20"),
        ("169.254.169.254", "a link-local address 169.254.169.254"),
        ("100.64.0.1", "a carrier-grade NAT address 100.64.0.1"),
        ("0.0.0.0", "an unspecified address 0.0.0.0"),
        ("[::1]", "a loopback address ::1"),
        ("[::ffff:127.0.0.1]", "a loopback address ::ffff:7f00:1"),
        ("[::ffff:169.254.169.254]", "a link-local address ::ffff:a9fe:a9fe"),
        ("[fd00:ec2::254]", "a private address fd00:ec2::254"),
        ("[fe80::1]", "a link-local address fe80::1"),
        ("[::]", "an unspecified address ::"),
        ("224.0.0.1", "a multicast address 224.0.0.1"),
    ],
)
def test_literal_addresses_are_refused_without_connecting(
    server: Server, target: Path, host: str, why: str
) -> None:
    started = time.monotonic()
    message = refused(server.url("/audio", host=host), target, resolver=no_dns)
    assert message == f"url: points to {why}"
    assert time.monotonic() - started < 1
    assert server.hits == []


def test_names_are_checked_after_resolution(target: Path) -> None:
    def resolver(host: str, port: int) -> Sequence[str]:
        return {"files.example": ["93.184.216.34", "10.0.0.5"]}.get(host, ["169.254.169.254"])

    message = refused("https://files.example/a.mp3", target, resolver=resolver)
    assert message == "url: host files.example resolves to a private address 10.0.0.5"
    message = refused("http://metadata.example/latest/", target, resolver=resolver)
    assert "resolves to a link-local address 169.254.169.254" in message


def test_unresolvable_names_are_invalid(target: Path) -> None:
    def resolver(host: str, port: int) -> Sequence[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    message = refused("http://nowhere.example/a.wav", target, resolver=resolver)
    assert "host nowhere.example could not be resolved" in message


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("ftp://files.example/a.wav", "scheme ftp is not allowed"),
        ("file:///etc/passwd", "scheme file is not allowed"),
        ("gopher://files.example/", "scheme gopher is not allowed"),
        ("//files.example/a.wav", "scheme (none) is not allowed"),
        ("http://user:secret@files.example/a.wav", "may not contain a user name or password"),
        ("http:///a.wav", "has no host"),
        ("http://[::1/a.wav", "is not a valid URL"),
    ],
)
def test_unsupported_urls_are_refused(target: Path, url: str, why: str) -> None:
    assert why in refused(url, target, resolver=no_dns)


# -- allowed -----------------------------------------------------------------------------


def test_private_addresses_can_be_allowed(server: Server, target: Path) -> None:
    result = fetch_to_file(server.url("/audio"), target, PRIVATE_OK)
    assert target.read_bytes() == BODY
    assert (result.size, result.content_type) == (len(BODY), "audio/mpeg")
    assert result.final_url == server.url("/audio")
    assert list(target.parent.iterdir()) == [target]


def test_allowed_hosts_are_trusted_by_name(server: Server, target: Path) -> None:
    settings = FetchSettings(allowed_hosts=["LOCALHOST."], timeout_seconds=10)
    result = fetch_to_file(server.url("/audio", host="localhost"), target, settings)
    assert result.size == len(BODY)


def test_the_checked_address_is_the_one_dialled(server: Server, target: Path) -> None:
    """No second lookup between check and connect: a rebinding DNS answer cannot sneak in."""
    lookups: list[str] = []

    def resolver(host: str, port: int) -> Sequence[str]:
        lookups.append(host)
        return ["127.0.0.1"]

    settings = FetchSettings(allowed_hosts=["rebind.test"], timeout_seconds=10)
    fetch_to_file(f"http://rebind.test:{server.port}/audio", target, settings, resolver=resolver)
    assert lookups == ["rebind.test"]  # the system resolver (which knows no such name) unused
    assert server.hits == [("/audio", f"rebind.test:{server.port}")]  # Host is still the name
    assert target.read_bytes() == BODY


# -- redirects ---------------------------------------------------------------------------


def test_redirect_from_an_allowed_host_to_loopback_is_refused(server: Server, target: Path) -> None:
    settings = FetchSettings(allowed_hosts=["localhost"], timeout_seconds=10)
    url = server.url(f"/redirect?to={server.url('/audio')}", host="localhost")
    message = refused(url, target, settings)
    assert message == "url: redirect to a loopback address 127.0.0.1 refused"
    assert [path for path, _ in server.hits] == [f"/redirect?to={server.url('/audio')}"]


def test_redirect_to_another_scheme_is_refused(server: Server, target: Path) -> None:
    url = server.url("/redirect?to=file:///etc/passwd")
    assert "redirect to scheme file refused" in refused(url, target, PRIVATE_OK)


def test_redirects_are_followed_and_counted(server: Server, target: Path) -> None:
    result = fetch_to_file(server.url("/chain/3"), target, PRIVATE_OK)
    assert target.read_bytes() == b"end of chain"
    assert result.final_url == server.url("/chain/0")
    relative = fetch_to_file(server.url("/relative"), target, PRIVATE_OK)
    assert relative.final_url == server.url("/audio")
    strict = FetchSettings(allow_private_addresses=True, max_redirects=2, timeout_seconds=10)
    target.unlink()
    assert "redirected more than 2 times" in refused(server.url("/chain/3"), target, strict)


# -- limits ------------------------------------------------------------------------------


def test_error_statuses_are_reported(server: Server, target: Path) -> None:
    assert refused(server.url("/missing"), target, PRIVATE_OK) == "url: responded 404"


@pytest.mark.parametrize("path", ["/big", "/big-declared"])
def test_oversize_bodies_leave_nothing(server: Server, target: Path, path: str) -> None:
    settings = FetchSettings(allow_private_addresses=True, max_bytes=1000, timeout_seconds=10)
    with pytest.raises(QuotaExceeded) as caught:
        fetch_to_file(server.url(path), target, settings)
    assert caught.value.status == 413
    assert "1000 bytes" in caught.value.message
    assert list(target.parent.iterdir()) == []


@pytest.mark.parametrize("path", ["/slow", "/stall"])
def test_the_whole_transfer_is_bounded_in_time(server: Server, target: Path, path: str) -> None:
    settings = FetchSettings(allow_private_addresses=True, timeout_seconds=0.5)
    started = time.monotonic()
    message = refused(server.url(path), target, settings)
    elapsed = time.monotonic() - started
    assert message == "url: timed out after 0.5 seconds"
    assert 0.4 < elapsed < 1.5


# -- TLS with a pinned address ------------------------------------------------------------


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, ssl.SSLContext]]:
    """HTTPS on 127.0.0.1 with a certificate for files.test only, from a throwaway CA."""
    x509 = pytest.importorskip("cryptography.x509", reason="cryptography (from moto) is missing")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    def name(common: str) -> Any:
        return x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, common)])

    now = datetime.datetime.now(datetime.UTC)
    ca_key, leaf_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("castwright test CA"))
        .issuer_name(name("castwright test CA"))
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    leaf = (
        x509.CertificateBuilder()
        .subject_name(name("files.test"))
        .issuer_name(ca.subject)
        .public_key(leaf_key.public_key())
        .serial_number(2)
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("files.test")]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    root = tmp_path_factory.mktemp("tls")
    (root / "leaf.pem").write_bytes(
        leaf.public_bytes(serialization.Encoding.PEM)
        + leaf_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    serving = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    serving.load_cert_chain(root / "leaf.pem")
    trusting = ssl.create_default_context(
        cadata=ca.public_bytes(serialization.Encoding.PEM).decode()
    )
    running = Server()
    running.httpd.socket = serving.wrap_socket(running.httpd.socket, server_side=True)
    running.thread.start()
    yield running, trusting
    running.httpd.shutdown()
    running.httpd.server_close()


def test_tls_verifies_the_name_not_the_pinned_address(
    tls_server: tuple[Server, ssl.SSLContext], target: Path
) -> None:
    server, trusting = tls_server

    def resolver(host: str, port: int) -> Sequence[str]:
        return ["127.0.0.1"]  # every name is pinned to the same local server

    settings = FetchSettings(allowed_hosts=["files.test", "evil.test"], timeout_seconds=10)
    good = f"https://files.test:{server.port}/audio"
    result = fetch_to_file(good, target, settings, resolver=resolver, ssl_context=trusting)
    assert (result.size, target.read_bytes()) == (len(BODY), BODY)
    target.unlink()
    # Same address, another name: the certificate does not cover it, so nothing is fetched.
    evil = f"https://evil.test:{server.port}/audio"
    message = refused(evil, target, settings, resolver=resolver, ssl_context=trusting)
    assert "could not be fetched" in message
    assert "certificate is not valid for 'evil.test'" in message
