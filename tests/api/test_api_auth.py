"""Authentication over HTTP: the three ways to send a key, 401/403, revocation, organisations."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
import pytest

from castwright.auth.service import create_key, revoke_key
from castwright.runtime import database_for
from support.api_checks import error_of, ok

PROTECTED = [
    ("GET", "/speech/voice"),
    ("GET", "/speech/voice/isaac"),
    ("GET", "/speech/voice/parameter"),
    ("GET", "/content/scripts"),
    ("GET", "/content/script/some-id"),
    ("GET", "/content/script/some-id/v1"),
    ("DELETE", "/content/script/some-id"),
    ("POST", "/content/script"),
    ("PUT", "/content/script"),
    ("GET", "/content/list_projects"),
    ("GET", "/content/list_modules"),
    ("POST", "/speech/tts"),
    ("POST", "/speech/tts/section"),
    ("POST", "/speech/tts/preview"),
    ("GET", "/speech/tts"),
    ("GET", "/speech/tts/some-id"),
    ("GET", "/speech/tts/section/some-id"),
    ("DELETE", "/speech/tts/some-id"),
    ("GET", "/audiostack/speech/voice"),
    ("POST", "/audiostack/content/script"),
]


def new_key(deployment: Any, org_id: str = "default") -> tuple[str, str]:
    """A fresh key straight in the deployment's database: (key id, secret)."""
    with database_for(deployment.server.settings).session() as session:
        row, secret = create_key(session, name="api-test", org_id=org_id)
        return row.id, secret


@pytest.mark.parametrize(
    "how",
    ["x-api-key", "Bearer", "bearer", "BEARER", "api_token"],
)
def test_each_way_of_sending_the_key(anon: httpx.Client, deployment: Any, how: str) -> None:
    key = deployment.api_key
    url = f"{deployment.url}/speech/voice/isaac"
    if how == "x-api-key":
        response = anon.get(url, headers={"x-api-key": key})
    elif how == "api_token":
        response = anon.get(url, params={"api_token": key})
    else:
        response = anon.get(url, headers={"Authorization": f"{how} {key}"})
    assert ok(response)["alias"] == "isaac"


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_no_credential_is_401(anon: httpx.Client, deployment: Any, method: str, path: str) -> None:
    response = anon.request(method, deployment.url + path, json={"scriptText": "Hi."})
    body = error_of(response, 401)
    assert "API key" in body["message"]


@pytest.mark.parametrize(
    "headers",
    [{"x-api-key": ""}, {"Authorization": "Bearer"}, {"Authorization": f"Basic {'x' * 20}"}],
    ids=["empty-x-api-key", "empty-bearer", "basic-scheme"],
)
def test_empty_or_foreign_credentials_are_401(
    anon: httpx.Client, deployment: Any, headers: dict[str, str]
) -> None:
    error_of(anon.get(f"{deployment.url}/speech/voice", headers=headers), 401)


def test_unknown_key_is_403(anon: httpx.Client, deployment: Any) -> None:
    url = f"{deployment.url}/content/scripts"
    for response in [
        anon.get(url, headers={"x-api-key": "cw_unknown"}),
        anon.get(url, headers={"Authorization": "Bearer cw_unknown"}),
        anon.get(url, params={"api_token": "cw_unknown"}),
    ]:
        assert "API key" in error_of(response, 403)["message"]


def test_revoked_key_is_403(anon: httpx.Client, deployment: Any) -> None:
    key_id, secret = new_key(deployment)
    url = f"{deployment.url}/content/list_projects"
    ok(anon.get(url, headers={"x-api-key": secret}))
    with database_for(deployment.server.settings).session() as session:
        revoke_key(session, key_id)
    for response in [
        anon.get(url, headers={"x-api-key": secret}),
        anon.get(url, params={"api_token": secret}),
    ]:
        assert "revoked" in error_of(response, 403)["message"]
    ok(anon.get(url, headers={"x-api-key": deployment.api_key}))  # other keys are unaffected


def test_first_credential_present_decides(anon: httpx.Client, deployment: Any) -> None:
    url = f"{deployment.url}/speech/voice/isaac"
    good, bad = deployment.api_key, "cw_unknown"
    ok(anon.get(url, headers={"x-api-key": good, "Authorization": f"Bearer {bad}"}))
    error_of(anon.get(url, headers={"x-api-key": bad, "Authorization": f"Bearer {good}"}), 403)
    ok(anon.get(url, headers={"Authorization": f"Bearer {good}"}, params={"api_token": bad}))


def test_api_token_is_not_read_as_a_filter(
    anon: httpx.Client, client: httpx.Client, deployment: Any
) -> None:
    with_header = ok(client.get("/speech/voice"))
    with_token = ok(anon.get(f"{deployment.url}/speech/voice?api_token={deployment.api_key}"))
    assert with_token["total"] == with_header["total"] > 1


def test_api_token_never_reaches_the_log(anon: httpx.Client, deployment: Any) -> None:
    probe = f"cw_probe_{uuid.uuid4().hex}"
    base = deployment.url
    masked_before = deployment.server.log().count("api_token=***")
    anon.get(f"{base}/speech/voice/isaac?api_token={deployment.api_key}")
    anon.get(f"{base}/audiostack/speech/voice/name?name=isaac&api_token={deployment.api_key}")
    anon.get(f"{base}/content/scripts?api_token={probe}")
    anon.get(f"{base}/content/scripts?projectName=p&api%5Ftoken={probe}")
    # The access line is written as the response finishes: wait until all four are there.
    deadline = time.monotonic() + 60
    while deployment.server.log().count("api_token=***") < masked_before + 4:
        assert time.monotonic() < deadline, "the four requests were not logged"
        time.sleep(0.05)
    log = deployment.server.log()
    assert deployment.api_key not in log
    assert probe not in log


def test_keys_only_reach_their_own_organisation(
    deployment: Any, greeting: dict[str, Any], greeting_speech: dict[str, Any]
) -> None:
    _, other = new_key(deployment, org_id=f"org-{uuid.uuid4().hex[:8]}")
    with httpx.Client(base_url=deployment.url, headers={"x-api-key": other}) as outsider:
        error_of(outsider.get(f"/content/script/{greeting['scriptId']}"), 404)
        error_of(outsider.get(f"/speech/tts/{greeting_speech['speechId']}"), 404)
        error_of(outsider.delete(f"/speech/tts/{greeting_speech['speechId']}"), 404)
        assert ok(outsider.get("/content/scripts"))["scripts"] == []
        assert ok(outsider.get("/speech/tts"))["speechIds"] == []
        mine = ok(outsider.post("/content/script", json={"scriptText": "Mine."}))["scriptId"]
        assert [s["scriptId"] for s in ok(outsider.get("/content/scripts"))["scripts"]] == [mine]
        body = {"scriptId": greeting["scriptId"], "voice": "isaac"}
        error_of(outsider.post("/speech/tts", json=body), 404)
