"""Every /core/v2 answer that is not a success is CarrierX's error body, whatever raised it;
the other faces keep their own shapes."""

from __future__ import annotations

from typing import Any

import httpx

from support.carrierx import cx_error


def test_unknown_routes_and_methods_under_core_v2(cx: httpx.Client) -> None:
    body = cx_error(cx.get("/storage/buckets"), 404)
    assert body["message"] == "Not Found"
    cx_error(cx.delete("/tts/voices"), 405)
    cx_error(cx.get("/tts/texts"), 405)  # a TTS text is not a resource of its own


def test_the_other_faces_keep_their_error_shapes(deployment: Any) -> None:
    audiostack = httpx.get(f"{deployment.url}/speech/voice", headers={"x-api-key": "wrong"})
    assert audiostack.status_code in (401, 403)
    assert isinstance(audiostack.json()["errors"][0], str)  # AudioStack: a list of strings


def test_requests_refused_before_routing_keep_each_faces_shape(
    deployment: Any, cx: httpx.Client
) -> None:
    """An oversized body or a NUL in the URL is answered by the middleware, before any route,
    still in the shape of the face the path belongs to."""
    big = b"x" * (deployment.server.settings.max_body_bytes + 1)
    too_large = cx.post("/storage/containers", content=big)
    assert too_large.status_code == 413
    assert isinstance(too_large.json()["errors"][0], dict)  # CarrierX: objects with a field
    nul = cx.get("/storage/containers", params={"filter": "name eq 'a\x00'"})
    assert nul.status_code == 400 and isinstance(nul.json()["errors"][0], dict)
    openai = httpx.post(f"{deployment.url}/v1/audio/speech", content=big, timeout=60)
    assert openai.status_code == 413 and "message" in openai.json()["error"]
    audiostack = httpx.post(f"{deployment.url}/content/script", content=big, timeout=60)
    assert audiostack.status_code == 413
    assert isinstance(audiostack.json()["errors"][0], str)


def test_errors_carry_field_message_and_reference_sid(cx: httpx.Client) -> None:
    body = cx_error(cx.post("/storage/containers", json={"quota_files": "many"}), 422)
    assert body["errors"] == [
        {"field": "quota_files", "message": "must be an integer", "reference_sid": None}
    ]
    missing = cx_error(cx.get("/storage/files/not-a-sid"), 404, "file_sid")
    assert missing["message"] == "Cannot find item by SID"


def test_cors_is_allowed_on_carrierx_routes_only(deployment: Any, cx: httpx.Client) -> None:
    preflight = httpx.options(
        f"{deployment.url}/core/v2/tts/texts",
        headers={
            "Origin": "https://app.example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert preflight.headers["access-control-allow-headers"] == "authorization, content-type"
    listed = cx.get("/storage/containers", headers={"Origin": "https://app.example.org"})
    assert listed.headers["access-control-allow-origin"] == "*"
    refused = cx.get("/storage/containers/none", headers={"Origin": "https://app.example.org"})
    assert refused.status_code == 404 and refused.headers["access-control-allow-origin"] == "*"
    audiostack = httpx.get(f"{deployment.url}/healthz", headers={"Origin": "https://x.org"})
    assert "access-control-allow-origin" not in audiostack.headers
