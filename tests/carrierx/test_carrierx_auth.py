"""Credentials and scopes: OAuth tokens (issue, refresh, revoke, whoami, expiry), API keys as
Bearer or Basic, and the scope each endpoint demands."""

from __future__ import annotations

import base64
import time
from typing import Any

import httpx
import pytest

from castwright.auth.service import revoke_key
from castwright.runtime import database_for
from support.carrierx import ISO_MS_Z, cx_error, cx_ok, is_uuid, new_container, scoped_token

SAMPLE = {"text": "Your call is important to us."}


def bearer(deployment: Any, token: str) -> httpx.Client:
    return httpx.Client(
        base_url=f"{deployment.url}/core/v2",
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
    )


def test_requests_without_good_credentials_are_401(deployment: Any) -> None:
    base = f"{deployment.url}/core/v2"
    for headers in (
        {},
        {"Authorization": "Bearer 5ebc03d6-8b2b-44ad-bf65-72d4f1491dda"},
        {"Authorization": "Token abc"},
        {"Authorization": "Basic !!!not-base64"},
        {"Authorization": "Basic " + base64.b64encode(b"user:wrong").decode()},
    ):
        for method, path in (("GET", "/storage/containers"), ("POST", "/tts/texts")):
            body = cx_error(httpx.request(method, base + path, headers=headers, json={}), 401)
            assert body == {"message": "Bad credentials", "errors": []}


def test_api_keys_work_as_bearer_and_as_basic_password(deployment: Any) -> None:
    basic = base64.b64encode(f"anyone:{deployment.api_key}".encode()).decode()
    response = httpx.get(
        f"{deployment.url}/core/v2/storage/containers", headers={"Authorization": f"Basic {basic}"}
    )
    assert cx_ok(response)["limit"] == 1000
    lower = httpx.get(
        f"{deployment.url}/core/v2/storage/containers",
        headers={"Authorization": f"bearer {deployment.api_key}"},  # the scheme ignores case
    )
    cx_ok(lower)


def test_the_token_endpoint_issues_scoped_tokens(anon: httpx.Client, deployment: Any) -> None:
    form = {
        "grant_type": "password",
        "client_id": "my-app",
        "client_secret": "unused",
        "username": "partner",
        "password": deployment.api_key,
        "name": "ivr",
        "scope": "tts.create,storage.read",
    }
    token = cx_ok(anon.post("/core/v2/oauth/token", data=form))
    assert set(token) == {
        "access_token", "client_id", "date_created", "date_expiration_access_token",
        "date_expiration_refresh_token", "date_last_accessed", "ip_last_accessed", "name",
        "partner_sid", "refresh_token", "scopes", "token_sid", "token_type",
    }  # fmt: skip
    assert is_uuid(token["access_token"]) and is_uuid(token["refresh_token"])
    assert (token["token_type"], token["client_id"], token["name"]) == ("bearer", "my-app", "ivr")
    assert token["scopes"] == ["tts.create", "storage.read"]
    assert ISO_MS_Z.match(token["date_created"]) and token["date_expiration_access_token"] is None
    # JSON works too, with a list of scopes, and the Ruby gem's repeated form fields.
    as_json = anon.post(
        "/core/v2/oauth/token",
        json={"password": deployment.api_key, "scope": ["storage.manage"]},
    )
    assert cx_ok(as_json)["scopes"] == ["storage.manage"]
    repeated = anon.post(
        "/core/v2/oauth/token",
        content=f"password={deployment.api_key}&scope=tts.read&scope=storage.read",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert cx_ok(repeated)["scopes"] == ["tts.read", "storage.read"]
    cx_error(anon.post("/core/v2/oauth/token", data={"password": "nope"}), 401)
    cx_error(anon.post("/core/v2/oauth/token", data={**form, "scope": "tts.fly"}), 422, "scope")
    cx_error(
        anon.post("/core/v2/oauth/token", data={**form, "grant_type": "magic"}), 422, "grant_type"
    )


def test_refresh_whoami_and_revoke(anon: httpx.Client, deployment: Any) -> None:
    issued = cx_ok(
        anon.post(
            "/core/v2/oauth/token", data={"password": deployment.api_key, "scope": "storage.read"}
        )
    )
    with bearer(deployment, issued["access_token"]) as client:
        me = cx_ok(client.get("/oauth/whoami"))
        assert me["token_sid"] == issued["token_sid"] and me["refresh_token"] is None
        assert me["access_token"] == issued["access_token"]
        assert me["scopes"] == ["storage.read"] and me["date_last_accessed"] is not None
    refreshed = cx_ok(
        anon.post(
            "/core/v2/oauth/token",
            data={"grant_type": "refresh_token", "refresh_token": issued["refresh_token"]},
        )
    )
    assert refreshed["token_sid"] == issued["token_sid"]
    assert refreshed["access_token"] != issued["access_token"]
    with bearer(deployment, issued["access_token"]) as old:
        cx_error(old.get("/storage/containers"), 401)  # the old access secret is replaced
    with bearer(deployment, refreshed["access_token"]) as client:
        cx_ok(client.get("/storage/containers"))
        cx_ok(client.post("/oauth/revoke", data={"token": refreshed["access_token"]}), 204)
        cx_error(client.get("/storage/containers"), 401)
    with bearer(deployment, deployment.api_key) as keyed:
        me = cx_ok(keyed.get("/oauth/whoami"))
        assert me["access_token"] is None and "tts.create" in me["scopes"]


def test_expired_tokens_are_refused(anon: httpx.Client, deployment: Any) -> None:
    issued = cx_ok(
        anon.post(
            "/core/v2/oauth/token",
            data={"password": deployment.api_key, "access_token_expires_in": "1"},
        )
    )
    assert issued["date_expiration_access_token"] > issued["date_created"]
    with bearer(deployment, issued["access_token"]) as client:
        deadline = time.monotonic() + 30  # a hang guard: the token lives one second
        while client.get("/storage/containers").status_code == 200:
            assert time.monotonic() < deadline, "the token never expired"
            time.sleep(0.2)
        cx_error(client.get("/storage/containers"), 401)


def test_tokens_die_with_the_key_that_issued_them(deployment: Any) -> None:
    key = deployment.server.create_key("short-lived")
    token = scoped_token(deployment.url, key, ["storage.read"])
    with bearer(deployment, token) as client:
        cx_ok(client.get("/storage/containers"))
        with database_for(deployment.server.settings).session() as session:
            revoke_key(session, key[:9])
        cx_error(client.get("/storage/containers"), 401)


ENDPOINTS = [
    # (method, path, body kind, a scope that passes, one that does not)
    ("POST", "/tts/texts", "tts", "tts.create", "storage.manage"),
    ("POST", "/tts/texts", "tts", "tts.manage", "tts.read"),
    ("GET", "/tts/voices", None, "tts.read", "storage.read"),
    ("GET", "/tts/voices/man", None, "tts.create", "storage.manage"),
    ("POST", "/storage/containers", "json", "storage.create", "storage.read"),
    ("GET", "/storage/containers", None, "storage.read", "storage.create"),
    ("GET", "/storage/containers/{container}", None, "storage.manage", "tts.manage"),
    ("PATCH", "/storage/containers/{container}", "json", "storage.update", "storage.read"),
    ("PUT", "/storage/containers/{container}", "json", "storage.update", "storage.create"),
    ("DELETE", "/storage/containers/{spare}", None, "storage.delete", "storage.update"),
    ("POST", "/storage/files", "upload", "storage.create", "storage.read"),
    ("GET", "/storage/files", None, "storage.read", "tts.manage"),
    ("GET", "/storage/files/{file}", None, "storage.read", "storage.delete"),
    ("GET", "/storage/files/{file}/data", None, "storage.read", "storage.update"),
    ("PATCH", "/storage/files/{file}", "json", "storage.update", "storage.create"),
    ("PUT", "/storage/files/{file}", "json", "storage.manage", "storage.read"),
    ("DELETE", "/storage/files/{file}", None, "storage.delete", "storage.read"),
]


@pytest.mark.parametrize(("method", "path", "kind", "allowed", "denied"), ENDPOINTS)
def test_each_endpoint_demands_one_of_its_scopes(
    cx: httpx.Client,
    deployment: Any,
    method: str,
    path: str,
    kind: str | None,
    allowed: str,
    denied: str,
) -> None:
    container = new_container(cx)
    spare = new_container(cx)
    sid = container["container_sid"]
    file = cx_ok(
        cx.post(
            "/storage/files",
            params={"container_sid": sid, "name": "scope.txt"},
            content=b"scoped\n",
            headers={"Content-Type": "application/octet-stream"},
        ),
        201,
    )
    url = path.format(container=sid, spare=spare["container_sid"], file=file["file_sid"])
    request: dict[str, Any] = {}
    if kind == "tts":
        request = {"json": SAMPLE}
    elif kind == "json":
        request = {"json": {"string_key_1": "scoped"}}
    elif kind == "upload":
        request = {
            "params": {"container_sid": sid},
            "content": b"more\n",
            "headers": {"Content-Type": "application/octet-stream"},
        }
    try:
        denied_token = scoped_token(deployment.url, deployment.api_key, [denied])
        with bearer(deployment, denied_token) as client:
            body = cx_error(client.request(method, url, **request), 403)
            assert body["message"] == "Forbidden"
        allowed_token = scoped_token(deployment.url, deployment.api_key, [allowed])
        with bearer(deployment, allowed_token) as client:
            response = client.request(method, url, **request)
            assert response.status_code in (200, 201, 204), response.text[:300]
    finally:
        cx.delete(f"/storage/files/{file['file_sid']}")
        for made in (container, spare):
            listed = cx.get(
                "/storage/files", params={"filter": f"container_sid eq {made['container_sid']}"}
            )
            for item in listed.json()["items"]:
                cx.delete(f"/storage/files/{item['file_sid']}")
            cx.delete(f"/storage/containers/{made['container_sid']}")


def test_tts_file_mode_needs_no_storage_scope(cx: httpx.Client, deployment: Any) -> None:
    container = new_container(cx)
    token = scoped_token(deployment.url, deployment.api_key, ["tts.create"])
    with bearer(deployment, token) as client:
        response = client.post(
            "/tts/texts",
            params={
                "response_format": "file",
                "response_container_sid": container["container_sid"],
            },
            json=SAMPLE,
        )
        file = cx_ok(response)
        cx_error(client.get(f"/storage/files/{file['file_sid']}"), 403)
    cx.delete(f"/storage/files/{file['file_sid']}")
    cx.delete(f"/storage/containers/{container['container_sid']}")


def test_partner_tokens_hold_at_most_the_callers_scopes(deployment: Any) -> None:
    token = scoped_token(deployment.url, deployment.api_key, ["storage.read", "tts.create"])
    with bearer(deployment, token) as client:
        partner = cx_ok(client.get("/oauth/whoami"))["partner_sid"]
        issued = cx_ok(client.post(f"/oauth/token/{partner}", data={"scope": "storage.read"}))
        assert issued["scopes"] == ["storage.read"] and issued["partner_sid"] == partner
        cx_error(client.post(f"/oauth/token/{partner}", data={"scope": "storage.manage"}), 403)
        other = "00000000-0000-4000-8000-000000000000"
        cx_error(client.post(f"/oauth/token/{other}", data={}), 404, "partner_sid")
    with bearer(deployment, issued["access_token"]) as narrower:
        cx_ok(narrower.get("/storage/containers"))
        cx_error(narrower.post("/tts/texts", json=SAMPLE), 403)
