"""Helpers for the CarrierX face tests: its error body, containers, uploads, clean decoding."""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Any

import httpx

__all__ = [
    "ISO_MS_Z",
    "TIGHT_CONTAINERS",
    "TIGHT_DOMAIN",
    "TIGHT_MAX_UPLOAD",
    "cx_error",
    "cx_ok",
    "decode_clean",
    "delete_container",
    "is_uuid",
    "new_container",
    "scoped_token",
    "upload_multipart",
    "upload_raw",
]

# The tight server of tests/carrierx/conftest.py.
TIGHT_MAX_UPLOAD = 300_000
TIGHT_CONTAINERS = 3
TIGHT_DOMAIN = "https://audio.example.org"

ISO_MS_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def is_uuid(value: Any) -> bool:
    try:
        return str(uuid.UUID(str(value))) == value
    except ValueError:
        return False


def cx_ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, (
        f"{response.request.method} {response.request.url}: expected {status}, "
        f"got {response.status_code}: {response.text[:600]}"
    )
    if status == 204:
        assert response.content == b""
        return None
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    if isinstance(body, dict):
        assert list(body) == sorted(body), "CarrierX objects list their keys alphabetically"
    return body


def cx_error(response: httpx.Response, status: int, field: str | None = "") -> dict[str, Any]:
    """CarrierX's error body; ``field`` ("" = any) must be the field of one of the errors."""
    assert response.status_code == status, (
        f"{response.request.method} {response.request.url}: expected {status}, "
        f"got {response.status_code}: {response.text[:600]}"
    )
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert set(body) == {"message", "errors"}, body
    assert isinstance(body["message"], str) and body["message"], body
    assert isinstance(body["errors"], list), body
    for error in body["errors"]:
        assert set(error) == {"field", "message", "reference_sid"}, error
        assert isinstance(error["message"], str) and error["message"], error
    if status == 422:
        assert body["message"] == "object validation error", body
    if field != "":
        assert field in [e["field"] for e in body["errors"]], body
    return body


def new_container(cx: httpx.Client, **fields: Any) -> dict[str, Any]:
    fields.setdefault("name", f"test-{uuid.uuid4().hex[:8]}")
    container: dict[str, Any] = cx_ok(cx.post("/storage/containers", json=fields))
    return container


def delete_container(cx: httpx.Client, container_sid: str) -> None:
    """Empty the container, then delete it (cleanup for tests that leave files behind)."""
    listed = cx.get("/storage/files", params={"filter": f'container_sid eq "{container_sid}"'})
    for item in listed.json().get("items", []) if listed.status_code == 200 else []:
        cx.delete(f"/storage/files/{item['file_sid']}")
    cx.delete(f"/storage/containers/{container_sid}")


def upload_raw(cx: httpx.Client, content: bytes, status: int = 201, **fields: Any) -> Any:
    response = cx.post(
        "/storage/files",
        params={k: str(v) for k, v in fields.items()},
        content=content,
        headers={"Content-Type": "application/octet-stream"},
    )
    return cx_ok(response, status) if status < 300 else response


def upload_multipart(
    cx: httpx.Client, content: bytes, filename: str, status: int = 201, **fields: Any
) -> Any:
    response = cx.post(
        "/storage/files",
        files={"data": (filename, content, "application/octet-stream")},
        data={"file_object": json.dumps(fields)},
    )
    return cx_ok(response, status) if status < 300 else response


def scoped_token(base_url: str, api_key: str, scopes: list[str], **extra: str) -> str:
    """An OAuth token with exactly ``scopes``, issued as the Ruby gem asks (form-encoded)."""
    form = {"grant_type": "password", "username": "partner", "password": api_key, **extra}
    if scopes:
        form["scope"] = " ".join(scopes)
    response = httpx.post(f"{base_url}/core/v2/oauth/token", data=form, timeout=30)
    token: dict[str, Any] = cx_ok(response)
    assert token["scopes"] == (scopes or token["scopes"])
    access: str = token["access_token"]
    return access


def decode_clean(data: bytes, suffix: str) -> tuple[float, int, int]:
    """Seconds, sample rate and channels as FFmpeg decodes ``data`` to the end; any decoder
    complaint (a damaged frame, a truncated stream, trailing garbage) fails the test."""
    with tempfile.TemporaryDirectory(prefix="cx-decode-") as folder:
        path = Path(folder) / f"audio.{suffix}"
        path.write_bytes(data)
        probe = subprocess.run(
            [
                "ffprobe",
                "-v",
                "error",
                "-select_streams",
                "a:0",
                "-show_entries",
                "stream=sample_rate,channels",
                "-of",
                "json",
                str(path),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        stream = json.loads(probe.stdout)["streams"][0]
        rate, channels = int(stream["sample_rate"]), int(stream["channels"])
        decoded = subprocess.run(
            ["ffmpeg", "-v", "error", "-i", str(path), "-f", "s16le", "-acodec", "pcm_s16le", "-"],
            capture_output=True,
        )
    complaints = decoded.stderr.decode(errors="replace").strip()
    assert decoded.returncode == 0 and not complaints, f"ffmpeg: {complaints}"
    frames = len(decoded.stdout) // (2 * channels)
    return frames / rate, rate, channels
