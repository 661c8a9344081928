"""The file library under test: real audio made by sox/ffmpeg, uploads, polls, a trap server."""

from __future__ import annotations

import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import httpx

from support.api_checks import POLL_LIMIT_SECONDS, ok

__all__ = [
    "LocalWebServer",
    "blob_key_of",
    "make_audio",
    "poll_legacy",
    "poll_v4",
    "unique",
    "upload_legacy",
    "web_server",
]


def unique(prefix: str = "lib") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def make_audio(
    directory: Path, name: str, seconds: float, rate: int = 44100, channels: int = 2
) -> Path:
    """A sine tone of exactly ``seconds`` in the format the name's extension asks for.

    WAV and FLAC come from sox, MP3 (and anything else) from ffmpeg.
    """
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / name
    if target.suffix in (".wav", ".flac"):
        command = ["sox", "-n", "-r", str(rate), "-c", str(channels), "-b", "16", str(target)]
        command += ["synth", f"{seconds}", "sine", "440", "vol", "0.5"]
    else:
        command = ["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi"]
        command += ["-i", f"sine=frequency=440:duration={seconds}:sample_rate={rate}"]
        command += ["-ac", str(channels), str(target)]
    subprocess.run(command, check=True, capture_output=True)
    return target


def blob_key_of(url: str, prefix: str) -> str:
    """The storage key inside a signed /uploads/... or /assets/... URL."""
    return unquote(urlsplit(url).path.removeprefix(prefix))


def poll_legacy(client: httpx.Client, file_id: str, **params: Any) -> httpx.Response:
    """GET /content/file/id/{id} while it answers 202; the first other response.

    Every 202 must carry the id and a pending state (spec 5, rule 1).
    """
    deadline = time.monotonic() + POLL_LIMIT_SECONDS
    while True:
        response = client.get(f"/content/file/id/{file_id}", params=params)
        if response.status_code != 202:
            return response
        pending = ok(response, 202)
        assert pending["fileId"] == file_id, pending
        assert pending["status"] in ("pending", "processing"), pending
        assert time.monotonic() < deadline, f"file {file_id} still pending after the poll limit"
        time.sleep(0.05)


def poll_v4(client: httpx.Client, file_id: str) -> dict[str, Any]:
    """GET /files/{id} until its status leaves "pending" (the SDK's own completion signal)."""
    deadline = time.monotonic() + POLL_LIMIT_SECONDS
    while True:
        response = client.get(f"/files/{file_id}")
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        if body["status"] != "pending":
            return body
        assert time.monotonic() < deadline, f"file {file_id} still pending after the poll limit"
        time.sleep(0.05)


def upload_legacy(
    client: httpx.Client, file_path: str, content: bytes, **fields: Any
) -> tuple[dict[str, Any], httpx.Response]:
    """create-upload-url, PUT the bytes with no credentials, poll: (created data, final GET)."""
    created: dict[str, Any] = ok(
        client.post("/content/file/create-upload-url", json={"filePath": file_path, **fields})
    )
    put = httpx.put(created["fileUploadUrl"], content=content, timeout=60)
    assert put.status_code == 200, put.text
    return created, poll_legacy(client, created["fileId"])


@dataclass
class LocalWebServer:
    """An HTTP server on 127.0.0.1 that records every request it is sent.

    Routes: ``/file/<name>`` serves ``files[name]``, ``/redirect?to=<url>`` answers 302,
    anything else 404.
    """

    url: str = ""
    files: dict[str, bytes] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)

    def hits_on(self, path: str) -> int:
        return sum(1 for hit in self.hits if urlsplit(hit).path == path)


@contextmanager
def web_server() -> Iterator[LocalWebServer]:
    state = LocalWebServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.hits.append(self.path)
            parts = urlsplit(self.path)
            if parts.path == "/redirect":
                self.send_response(302)
                self.send_header("Location", parse_qs(parts.query)["to"][0])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            name = parts.path.removeprefix("/file/")
            body = state.files.get(name) if parts.path.startswith("/file/") else None
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="test-web-server", daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
