"""The envelope, request ids and error bodies; bad input of every kind is a 4xx, never a 500."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from support.api_checks import error_of, ok

JSON = {"content-type": "application/json"}
BODY_ROUTES = [
    ("POST", "/content/script"),
    ("PUT", "/content/script"),
    ("POST", "/speech/tts"),
    ("POST", "/speech/tts/section"),
    ("POST", "/speech/tts/preview"),
    ("POST", "/audiostack/content/script"),
]


def test_every_json_response_is_an_envelope(
    client: httpx.Client, greeting: dict[str, Any], greeting_speech: dict[str, Any]
) -> None:
    for path in [
        "/content/scripts",
        f"/content/script/{greeting['scriptId']}",
        "/content/list_projects",
        "/speech/voice?pageLimit=3",
        "/speech/voice/isaac",
        "/speech/voice/parameter",
        "/speech/tts",
        f"/speech/tts/{greeting_speech['speechId']}",
        "/audiostack/speech/voice/isaac",
    ]:
        ok(client.get(path))  # checks message, warnings, errors, meta{...}, data, x-request-id
    request_ids = {client.get("/speech/voice/isaac").headers["x-request-id"] for _ in range(3)}
    assert len(request_ids) == 3, "a new request id for every request"


def test_request_id_and_trace_id(
    anon: httpx.Client, client: httpx.Client, greeting_speech: dict[str, Any], deployment: Any
) -> None:
    headers = {"x-request-id": "req-from-caller", "x-customer-trace-id": "trace-123"}
    response = client.get("/speech/voice/isaac", headers=headers)
    assert response.json()["meta"]["requestId"] == "req-from-caller"
    assert response.headers["x-customer-trace-id"] == "trace-123"

    traced = {"x-customer-trace-id": "trace-456"}
    failed = client.get("/speech/voice/nobody", headers=traced)
    assert failed.status_code == 404 and failed.headers["x-customer-trace-id"] == "trace-456"
    assert failed.json()["meta"]["requestId"] == failed.headers["x-request-id"]
    preview = client.post(
        "/speech/tts/preview", json={"text": "Hi.", "voice": "isaac"}, headers=traced
    )
    assert preview.headers["content-type"] == "audio/wav"
    assert preview.headers["x-customer-trace-id"] == "trace-456"
    assert preview.headers["x-request-id"]
    asset = anon.get(greeting_speech["sections"][0]["url"], headers=traced)
    assert asset.headers["x-customer-trace-id"] == "trace-456" and asset.headers["x-request-id"]
    anonymous = anon.get(f"{deployment.url}/content/scripts", headers=traced)
    assert anonymous.status_code == 401 and anonymous.headers["x-customer-trace-id"] == "trace-456"


@pytest.mark.parametrize(("method", "path"), BODY_ROUTES)
@pytest.mark.parametrize("raw", [b"{bad", b'{"scriptText": "x",}', b"{'a': 1}", b'{"a": tru}'])
def test_invalid_json_is_400(client: httpx.Client, method: str, path: str, raw: bytes) -> None:
    body = error_of(client.request(method, path, content=raw, headers=JSON), 400)
    assert body["errors"][0].startswith("body")


def test_json_without_a_content_type_is_still_json(client: httpx.Client) -> None:
    response = client.post("/content/script", content=b'{"scriptText": "No header."}')
    assert ok(response)["scriptText"] == "No header."


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/content/script", {"scriptText": 5}, "scriptText"),
        ("POST", "/content/script", {"scriptText": ["a"]}, "scriptText"),
        ("POST", "/content/script", {"scriptText": "Hi.", "metadata": "x"}, "metadata"),
        ("POST", "/content/script", {"scriptText": "Hi.", "projectName": 7}, "projectName"),
        ("POST", "/content/script", {"scriptText": "Hi.", "projectName": "p" * 201}, "projectName"),
        ("POST", "/content/script", {"scriptText": "Hi.", "scriptName": "a\u0000b"}, "scriptName"),
        ("POST", "/content/script", {"scriptText": "Hi \u0000 there."}, "scriptText"),
        ("PUT", "/content/script", {"scriptId": 5, "scriptText": "Hi."}, "scriptId"),
        ("POST", "/speech/tts", {"scriptId": "x", "speed": "fast"}, "speed"),
        ("POST", "/speech/tts", {"scriptId": "x", "audience": [1, 2]}, "audience"),
        ("POST", "/speech/tts", {"scriptId": "x", "sections": ["a"]}, "sections"),
        ("POST", "/speech/tts", {"scriptId": "x", "sections": {"a": "fast"}}, "sections.a"),
        ("POST", "/speech/tts", {"scriptId": "x", "public": "maybe"}, "public"),
        ("POST", "/speech/tts", {"scriptId": "x", "sync": {"a": 1}}, "sync"),
        ("POST", "/speech/tts/preview", {"text": 5, "voice": "isaac"}, "text"),
        ("GET", "/speech/voice?page=x", None, "page"),
        ("GET", "/speech/tts?verbose=perhaps", None, "verbose"),
    ],
)
def test_validation_errors_name_the_field(
    client: httpx.Client, method: str, path: str, body: Any, field: str
) -> None:
    problem = error_of(client.request(method, path, json=body), 422)
    assert problem["errors"][0].startswith(field), problem


def test_markup_and_tts_errors_name_the_field(client: httpx.Client) -> None:
    script_id = ok(
        client.post(
            "/content/script",
            json={"scriptText": "<as:section name='a'>Hi <as:placeholder id='who'/></as:section>"},
        )
    )["scriptId"]
    cases = [
        ({"audience": {"who": {"nested": 1}}}, "audience.who"),
        ({"audience": {"who": [["deep"]]}}, "audience.who"),
        (
            {"audience": {"who": "x", "n": [str(i) for i in range(11)], "m": list("abcdefghij")}},
            "audience",
        ),
        ({"audience": {"who": "x"}, "silencePadding": "soon"}, "silencePadding"),
        ({"audience": {"who": "x"}, "silencePadding": "100s"}, "silencePadding"),
        ({"audience": {"who": "x"}, "sections": {"a": {"silencePadding": "x"}}}, "sections.a"),
    ]
    for extra, field in cases:
        body = {"scriptId": script_id, "voice": "isaac", **extra}
        problem = error_of(client.post("/speech/tts", json=body), 422)
        assert problem["errors"][0].startswith(field), problem


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/nope"),
        ("GET", "/content/nope"),
        ("POST", "/speech/nope"),
        ("GET", "/audiostack/nope"),
        ("GET", "/audiostack/speech/voice/isaac/extra/segments"),
        ("GET", "/speech/tts/a/b/c"),
    ],
)
def test_unknown_route_is_404_in_the_audiostack_shape(
    client: httpx.Client, method: str, path: str
) -> None:
    body = error_of(client.request(method, path), 404)
    assert body["errors"][0].startswith("path")


def test_wrong_method_is_405_in_the_audiostack_shape(client: httpx.Client) -> None:
    error_of(client.patch("/content/script", json={}), 405)
    error_of(client.post("/speech/voice", json={}), 405)


def test_nul_characters_in_the_url_are_400(client: httpx.Client) -> None:
    for path in ["/content/script/%00", "/speech/tts/a%00b", "/content/scripts?projectName=%00"]:
        assert "NUL" in error_of(client.get(path), 400)["errors"][0]


def _junk_requests(script_id: str) -> list[tuple[str, str, dict[str, Any]]]:
    huge_int = b"1" + b"0" * 5000
    deep = b'{"scriptText": "Hi.", "metadata": ' + b'{"a":' * 3000 + b"1" + b"}" * 3001
    text_junk = [
        "🎉 héllo \u202e مرحبا 你好 \u200b\u00a0" * 20,
        "<as:prosody volume='+99999999dB'>Loud</as:prosody>",
        "<as:prosody pitch='+999999st'>High</as:prosody>",
        "<as:prosody rate='1" + "0" * 400 + "%'>Fast</as:prosody>",
        "<as:break time='1" + "0" * 400 + "s'/>Late",
        "<say-as interpret-as='cardinal'>1" + "0" * 400 + "</say-as>",
        "<say-as interpret-as='ordinal'>1" + "0" * 400 + "</say-as>",
        "<say-as interpret-as='date'>1" + "0" * 400 + "</say-as>",
        "Pay $1" + "0" * 400 + " on the 1" + "0" * 400 + "th",
        "<as:section name='" + "n" * 300 + "'>Named</as:section>",
        "<<<>>>&&&;;</as:sub><as:sub>",
        "&#0; &#xD800; &#99999999999; &bogus;",
    ]
    requests: list[tuple[str, str, dict[str, Any]]] = []
    for text in text_junk:
        requests.append(("POST", "/content/script", {"json": {"scriptText": text}}))
        requests.append(("POST", "/speech/tts/preview", {"json": {"text": text, "voice": "isaac"}}))
    for value in [10**400, -(10**400), 1e308, -1e308, 1e-320, True, [[[]]], {"a": {"b": None}}]:
        requests += [
            ("POST", "/speech/tts", {"json": {"scriptId": script_id, "speed": value}}),
            ("POST", "/speech/tts", {"json": {"scriptId": script_id, "silencePadding": value}}),
            ("POST", "/speech/tts", {"json": {"scriptId": script_id, "audience": {"x": value}}}),
            ("POST", "/speech/tts", {"json": {"scriptId": value}}),
            ("POST", "/speech/tts", {"json": {"scriptId": script_id, "voice": value}}),
            ("POST", "/speech/tts", {"json": {"scriptId": script_id, "version": value}}),
            ("PUT", "/content/script", {"json": {"scriptId": script_id, "scriptText": value}}),
            ("POST", "/content/script", {"json": {"scriptText": "Hi.", "metadata": value}}),
        ]
    for raw in [
        b'{"scriptId": "x", "speed": NaN}',
        b'{"scriptId": "x", "speed": Infinity}',
        b'{"scriptId": "x", "speed": 1' + b"0" * 5000 + b"}",
        b'{"scriptId": ' + huge_int + b"}",
        b'{"scriptId": "\\ud800"}',
        b'{"scriptId": "x", "audience": {"\\udc00": "a"}}',
        b"[" * 5000 + b"]" * 5000,
        b"\xff\xfe{}",
        b"null",
        b"[]",
        b'"text"',
    ]:
        requests.append(("POST", "/speech/tts", {"content": raw, "headers": JSON}))
    for raw in [
        deep,
        b'{"scriptText": "\\ud800 lone"}',
        b'{"scriptText": "Hi", "metadata": {"k": "\\udfff"}}',
    ]:
        requests.append(("POST", "/content/script", {"content": raw, "headers": JSON}))
    long_id = "x" * 5000
    for path in [
        f"/content/script/{long_id}",
        f"/speech/tts/{long_id}",
        "/speech/voice/%ED%A0%80",
        "/speech/voice/%FF%FE",
        "/content/script/%FF",
        "/speech/tts/%E2%80%AE",
        "/assets/%FF",
        "/content/scripts?projectName=%FF&moduleName=%ED%A0%80",
        f"/speech/tts?scriptId={long_id}&paginationToken=%FF",
        "/speech/voice?tags=%FF,%00x&page=99999999999999999999&pageLimit=-1",
        "/speech/voice?offset=99999999999999999999999&limit=1",
        "/speech/voice?sort=-&isMultilingual=perhaps",
        "/audiostack/content/script/scriptid?scriptId=%FF",
        "/audiostack/content/script/scriptid/version?scriptId=a&version=%2F..%2F",
    ]:
        requests.append(("GET", path, {}))
    return requests


def test_no_bad_input_is_a_500(client: httpx.Client, greeting: dict[str, Any]) -> None:
    served_500 = []
    for method, path, kwargs in _junk_requests(greeting["scriptId"]):
        response = client.request(method, path, **kwargs)
        if response.status_code >= 500:
            served_500.append((method, path[:80], str(kwargs)[:120], response.text[:200]))
            continue
        if response.status_code >= 400:
            error_of(response, response.status_code)
    assert not served_500, served_500
    ok(client.get("/speech/voice/isaac"))  # and the server is still fine
