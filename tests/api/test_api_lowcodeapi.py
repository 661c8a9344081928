"""The LowCodeAPI gateway face: /audiostack with api_token, Old Format URLs, discovery."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from support.api_checks import error_of, ok, render


@pytest.fixture
def gateway(deployment: Any) -> Iterator[httpx.Client]:
    """A client as LowCodeAPI callers use it: /audiostack prefix, api_token, no headers."""
    with httpx.Client(
        base_url=f"{deployment.url}/audiostack",
        params={"api_token": deployment.api_key},
        timeout=60,
    ) as http:
        yield http


def test_every_route_works_under_the_prefix_with_api_token(
    gateway: httpx.Client, client: httpx.Client
) -> None:
    script = ok(gateway.post("/content/script", json={"scriptText": "Gateway says hello."}))
    script_id = script["scriptId"]
    ok(gateway.put("/content/script", json={"scriptId": script_id, "scriptText": "Take two."}))
    listed = ok(gateway.get("/content/scripts", params={"scriptId": script_id}))["scripts"]
    assert [s["version"] for s in listed] == ["v2"]
    assert ok(gateway.get(f"/content/script/{script_id}"))["scriptText"] == "Take two."
    assert ok(gateway.get(f"/content/script/{script_id}/v1"))["scriptText"] == "Gateway says hello."
    assert "default" in ok(gateway.get("/content/list_projects"))["projects"]
    assert (
        "default"
        in ok(gateway.get("/content/list_modules", params={"projectName": "default"}))["modules"]
    )

    females = ok(gateway.get("/speech/voice", params={"gender": "female"}))
    assert females == ok(client.get("/speech/voice", params={"gender": "female"}))
    assert ok(gateway.get("/speech/voice/parameter"))["gender"]
    assert ok(gateway.get("/speech/voice/isaac"))["name"] == "isaac"

    # The gateway's one-call TTS: 200 with url, duration and status next to the sections.
    speech = render(gateway, {"scriptId": script_id, "voice": "isaac"})
    assert speech["status"] == "completed"
    assert speech["url"] == speech["sections"][0]["url"]
    assert speech["duration"] == pytest.approx(speech["sections"][0]["duration"], abs=0.002)
    speech_id = speech["speechId"]
    assert ok(gateway.get(f"/speech/tts/{speech_id}"))["speechId"] == speech_id
    assert ok(gateway.get(f"/speech/tts/section/{speech_id}"))["speechId"] == speech_id
    found = ok(gateway.get("/speech/tts", params={"scriptId": script_id}))["speechIds"]
    assert [s["speechId"] for s in found] == [speech_id]
    body = {"scriptId": script_id, "voice": "isaac", "sectionToProduce": "default"}
    assert render(gateway, body, route="/speech/tts/section")["sections"][0]["sectionName"] == (
        "default"
    )
    preview = gateway.post("/speech/tts/preview", json={"text": "Hi.", "voice": "isaac"})
    assert preview.status_code == 200 and preview.headers["content-type"] == "audio/wav"

    assert ok(gateway.delete(f"/speech/tts/{speech_id}")) == {}
    assert ok(gateway.delete(f"/content/script/{script_id}/v1")) == {}
    assert ok(gateway.delete(f"/content/script/{script_id}")) == {}
    error_of(client.get(f"/content/script/{script_id}"), 404)


def test_old_format_urls_are_rewritten(
    gateway: httpx.Client, greeting_speech: dict[str, Any]
) -> None:
    script_id = ok(gateway.post("/content/script", json={"scriptText": "Old format."}))["scriptId"]
    ok(gateway.put("/content/script", json={"scriptId": script_id, "scriptText": "Newer."}))

    for params in [{"scriptId": script_id}, {"scriptid": script_id}, {"id": script_id}]:
        latest = ok(gateway.get("/content/script/scriptid", params=params))
        assert (latest["scriptId"], latest["version"]) == (script_id, "v2")
    version = ok(
        gateway.get(
            "/content/script/scriptid/version", params={"scriptId": script_id, "version": "v1"}
        )
    )
    assert (version["scriptId"], version["version"]) == (script_id, "v1")

    speech_id = greeting_speech["speechId"]
    for path in ("/speech/tts/speechid", "/speech/tts/section/speechid"):
        speech = ok(gateway.get(path, params={"speechId": speech_id, "public": "True"}))
        assert speech["speechId"] == speech_id
        assert speech["public"] is True  # the other query parameters stay
    for name in ("isaac", "ISAAC"):
        assert ok(gateway.get("/speech/voice/name", params={"name": name}))["alias"] == "isaac"

    deleted = gateway.delete(
        "/content/script/scriptid/version", params={"scriptId": script_id, "version": "v1"}
    )
    assert ok(deleted) == {}
    assert ok(gateway.get(f"/content/script/{script_id}"))["availableVersions"] == ["v2"]
    ok(gateway.delete("/content/script/scriptid", params={"scriptId": script_id}))
    error_of(gateway.get(f"/content/script/{script_id}"), 404)


def test_old_format_deletes_a_speech(gateway: httpx.Client, greeting: dict[str, Any]) -> None:
    body = {"scriptId": greeting["scriptId"], "voice": "isaac", "audience": {"name": "Olga"}}
    speech_id = render(gateway, body)["speechId"]
    ok(gateway.delete("/speech/tts/speechid", params={"speechId": speech_id}))
    error_of(gateway.get(f"/speech/tts/{speech_id}"), 404)


@pytest.mark.parametrize(
    ("path", "params", "literal"),
    [
        ("/content/script/scriptid", {}, "scriptid"),
        ("/content/script/scriptid", {"scriptId": ""}, "scriptid"),
        ("/content/script/scriptid/version", {"scriptId": "abc"}, "scriptid"),
        ("/speech/tts/speechid", {"other": "x"}, "speechid"),
        ("/speech/voice/name", {}, "name"),
    ],
)
def test_without_a_value_the_path_is_taken_literally(
    gateway: httpx.Client, path: str, params: dict[str, str], literal: str
) -> None:
    body = error_of(gateway.get(path, params=params), 404)
    assert literal in body["errors"][0]


def test_openapi_document_in_new_format(anon: httpx.Client, deployment: Any) -> None:
    response = anon.get(f"{deployment.url}/audiostack/openapi")  # no credentials needed
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"] == "3.1.0"
    paths = document["paths"]
    for expected in (
        "/audiostack/content/script",
        "/audiostack/content/scripts",
        "/audiostack/content/script/{scriptId}",
        "/audiostack/content/script/{scriptId}/{version}",
        "/audiostack/content/list_projects",
        "/audiostack/speech/voice",
        "/audiostack/speech/voice/parameter",
        "/audiostack/speech/voice/{name}",
        "/audiostack/speech/tts",
        "/audiostack/speech/tts/section",
        "/audiostack/speech/tts/preview",
        "/audiostack/speech/tts/{speechId}",
    ):
        assert expected in paths, expected
    assert all(p.startswith("/audiostack/") for p in paths)
    assert not any(re.search(r"/(scriptid|speechid|name)(/|$)", p) for p in paths)
    assert {"get", "post"} <= set(paths["/audiostack/speech/tts"])
    assert {"get", "delete"} <= set(paths["/audiostack/content/script/{scriptId}"])


def test_definition_lists_old_format_paths_and_params(anon: httpx.Client, deployment: Any) -> None:
    response = anon.get(f"{deployment.url}/audiostack/definition")  # no credentials needed
    assert response.status_code == 200
    entries = response.json()
    assert isinstance(entries, list) and entries
    by_route = {(e["method"], e["path"]): e for e in entries}
    assert len(by_route) == len(entries), "each method and path once"
    for entry in entries:
        assert set(entry) >= {"method", "path", "category", "description", "params"}
        assert set(entry["params"]) == {"path", "query", "body"}
        assert "{" not in entry["path"] and entry["path"].startswith("/")
        assert set(entry["params"]["path"]) <= set(entry["params"]["query"])

    one = by_route["GET", "/content/script/scriptid"]
    assert one["params"]["path"] == ["scriptId"] and one["category"] == "Script"
    assert by_route["GET", "/content/script/scriptid/version"]["params"]["path"] == [
        "scriptId",
        "version",
    ]
    assert ("DELETE", "/content/script/scriptid/version") in by_route
    assert by_route["GET", "/speech/tts/speechid"]["params"]["query"][0] == "speechId"
    assert ("DELETE", "/speech/tts/speechid") in by_route
    assert "name" in by_route["GET", "/speech/voice/name"]["params"]["query"]
    assert {"scriptId", "voice", "speed", "audience", "sections", "silencePadding"} <= set(
        by_route["POST", "/speech/tts"]["params"]["body"]
    )
    assert {"projectName", "moduleName", "scriptName", "scriptId"} <= set(
        by_route["GET", "/content/scripts"]["params"]["query"]
    )

    # The same endpoints as the OpenAPI document, sanitised.
    paths = anon.get(f"{deployment.url}/audiostack/openapi").json()["paths"]
    sanitised = {
        (
            method.upper(),
            re.sub(r"\{(\w+)\}", lambda m: m.group(1).lower(), path[len("/audiostack") :]),
        )
        for path, operations in paths.items()
        for method in operations
    }
    assert sanitised == set(by_route)


def test_trailing_slash_is_accepted_everywhere(
    anon: httpx.Client,
    client: httpx.Client,
    gateway: httpx.Client,
    deployment: Any,
    greeting: dict[str, Any],
    greeting_speech: dict[str, Any],
) -> None:
    script_id, speech_id = greeting["scriptId"], greeting_speech["speechId"]
    for path in [
        "/content/scripts/",
        f"/content/script/{script_id}/",
        f"/content/script/{script_id}/v1/",
        "/content/list_projects/",
        "/speech/voice/",
        "/speech/voice/isaac/",
        "/speech/voice/parameter/",
        "/speech/tts/",
        f"/speech/tts/{speech_id}/",
        f"/speech/tts/section/{speech_id}/",
    ]:
        ok(client.get(path))
        ok(gateway.get(path))
    assert (
        ok(gateway.get("/content/script/scriptid/", params={"scriptId": script_id}))["scriptId"]
        == script_id
    )
    ok(client.post("/content/script/", json={"scriptText": "Slash."}))
    preview = client.post("/speech/tts/preview/", json={"text": "Slash.", "voice": "isaac"})
    assert preview.status_code == 200
    assert anon.get(f"{deployment.url}/audiostack/openapi/").status_code == 200
    assert anon.get(f"{deployment.url}/audiostack/definition/").status_code == 200
