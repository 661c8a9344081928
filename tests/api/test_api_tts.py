"""Text to speech over HTTP: render, poll, audio checked numerically, list, delete, preview."""

from __future__ import annotations

import base64
import itertools
import time
import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from support.api_checks import error_of, fetch_wav, ok, poll, render
from support.audio import WavInfo, analyse_wav, leading_silence, trailing_silence

# Long enough that espeak-ng's rate scales duration as 1/speed (a very short sentence does not).
SPEED_TEXT = (
    "Fresh bread arrives every morning, and the coffee is always hot, so come and see us soon "
    "at the corner of the market square."
)
AUDIENCE_TEXT = (
    "<as:section name='hello'>Hello <as:placeholder id='name'/>, welcome to "
    "<as:placeholder id='city'>town</as:placeholder>.</as:section>"
)
TWIN_TEXT = (
    "<as:section name='a'>The same words are spoken in both of these sections.</as:section>"
    "<as:section name='b'>The same words are spoken in both of these sections.</as:section>"
)
SECTION_KEYS = {"sectionId", "sectionName", "url", "audience", "duration", "format", "voice"}


def new_script(client: httpx.Client, text: str, **fields: Any) -> str:
    script_id: str = ok(client.post("/content/script", json={"scriptText": text, **fields}))[
        "scriptId"
    ]
    return script_id


def assert_speech_audio(info: WavInfo, duration: float) -> None:
    assert info.sample_rate == 22050  # espeak-ng delivers at its own rate
    assert info.duration == pytest.approx(duration, abs=0.01)
    assert info.rms_dbfs > -35, "speech energy, well above silence"
    assert info.peak > 0.05


@pytest.fixture(scope="session")
def speed_script(api: httpx.Client) -> str:
    return new_script(api, SPEED_TEXT)


@pytest.fixture(scope="session")
def normal_speed(api: httpx.Client, speed_script: str) -> tuple[dict[str, Any], bytes, WavInfo]:
    speech = render(api, {"scriptId": speed_script, "voice": "isaac", "speed": 1.0})
    data, info = fetch_wav(speech["sections"][0]["url"])
    return speech, data, info


# -- the speech object and its audio -------------------------------------------------------


def test_speech_object_and_section_audio(
    client: httpx.Client, greeting: dict[str, Any], greeting_speech: dict[str, Any]
) -> None:
    speech = greeting_speech
    assert speech["scriptId"] == greeting["scriptId"]
    assert (speech["version"], speech["voice"], speech["speed"], speech["public"]) == (
        "v1",
        "isaac",
        1.0,
        False,
    )
    assert speech["scriptMetadata"] == {}
    assert (speech["projectName"], speech["moduleName"], speech["scriptName"]) == ("default",) * 3
    assert speech["creationDate"].endswith("Z")
    assert [s["sectionName"] for s in speech["sections"]] == ["intro", "main"]
    for section in speech["sections"]:
        assert set(section) >= SECTION_KEYS
        assert section["audience"] == {}  # always an object, even with no audience
        assert (section["format"], section["voice"], section["parentSectionName"]) == (
            "wav",
            "isaac",
            None,
        )
        _, info = fetch_wav(section["url"])
        assert_speech_audio(info, section["duration"])
    assert speech["sections"][0]["preview"] == "Hello friend!"
    # The gateway's fields next to the SDK's sections.
    assert speech["status"] == "completed"
    assert speech["url"] == speech["sections"][0]["url"]
    total = sum(s["duration"] for s in speech["sections"])
    assert speech["duration"] == pytest.approx(total, abs=0.002)

    again = ok(client.get(f"/speech/tts/{speech['speechId']}"))
    assert again["speechId"] == speech["speechId"]
    assert [s["sectionId"] for s in again["sections"]] == [
        s["sectionId"] for s in speech["sections"]
    ]


def test_voice_by_any_case_or_voice_id(client: httpx.Client, greeting: dict[str, Any]) -> None:
    for voice in ("ISAAC", "en-us+m3"):
        speech = render(client, {"scriptId": greeting["scriptId"], "voice": voice})
        assert speech["voice"] == "isaac"
        assert {s["voice"] for s in speech["sections"]} == {"isaac"}


def test_public_urls_live_longer(client: httpx.Client, greeting_speech: dict[str, Any]) -> None:
    def lifetime(url: str) -> float:
        return int(parse_qs(urlsplit(url).query)["expires"][0]) - time.time()

    speech_id = greeting_speech["speechId"]
    private = ok(client.get(f"/speech/tts/{speech_id}", params={"public": "False"}))
    public = ok(client.get(f"/speech/tts/{speech_id}", params={"public": "True"}))
    assert (private["public"], public["public"]) == (False, True)
    assert lifetime(private["sections"][0]["url"]) <= 3600 + 60
    assert lifetime(public["sections"][0]["url"]) > 6 * 24 * 3600
    fetch_wav(public["sections"][0]["url"])


def test_speed_scales_duration(
    client: httpx.Client, speed_script: str, normal_speed: tuple[dict[str, Any], bytes, WavInfo]
) -> None:
    _, _, normal = normal_speed
    durations = {}
    for speed in (2.0, 0.5):
        speech = render(client, {"scriptId": speed_script, "voice": "isaac", "speed": speed})
        assert speech["speed"] == speed and speech["sections"][0]["speed"] == speed
        _, info = fetch_wav(speech["sections"][0]["url"])
        assert_speech_audio(info, speech["sections"][0]["duration"])
        durations[speed] = info.duration
    assert durations[2.0] / normal.duration == pytest.approx(0.5, rel=0.2)
    assert durations[0.5] / normal.duration == pytest.approx(2.0, rel=0.2)


def test_silence_padding_is_split_between_start_and_end(
    client: httpx.Client, speed_script: str, normal_speed: tuple[dict[str, Any], bytes, WavInfo]
) -> None:
    _, _, normal = normal_speed
    body = {"scriptId": speed_script, "voice": "isaac", "silencePadding": "1000000"}
    speech = render(client, body)
    _, padded = fetch_wav(speech["sections"][0]["url"])
    assert_speech_audio(padded, speech["sections"][0]["duration"])
    assert padded.duration == pytest.approx(normal.duration + 1.0, abs=0.05)
    assert leading_silence(padded) == pytest.approx(leading_silence(normal) + 0.5, abs=0.05)
    assert trailing_silence(padded) == pytest.approx(trailing_silence(normal) + 0.5, abs=0.05)


def test_identical_request_is_served_from_the_cache(
    client: httpx.Client, speed_script: str, normal_speed: tuple[dict[str, Any], bytes, WavInfo]
) -> None:
    first, first_audio, _ = normal_speed
    second = render(client, {"scriptId": speed_script, "voice": "isaac", "speed": 1.0})
    assert second["speechId"] != first["speechId"]
    assert second["sections"][0]["url"] != first["sections"][0]["url"]
    second_audio, _ = fetch_wav(second["sections"][0]["url"])
    assert second_audio == first_audio
    assert second["sections"][0]["duration"] == first["sections"][0]["duration"]


def test_version_selects_the_text(client: httpx.Client) -> None:
    script_id = new_script(client, "Version one.")
    ok(client.put("/content/script", json={"scriptId": script_id, "scriptText": "Version two."}))
    older = render(client, {"scriptId": script_id, "voice": "isaac", "version": "v1"})
    assert (older["version"], older["sections"][0]["preview"]) == ("v1", "Version one.")
    latest = render(client, {"scriptId": script_id, "voice": "isaac"})
    assert (latest["version"], latest["sections"][0]["preview"]) == ("v2", "Version two.")
    body = {"scriptId": script_id, "version": "v7"}
    assert error_of(client.post("/speech/tts", json=body), 404)["errors"][0].startswith("version")


# -- audience, sections, single sections -----------------------------------------------------


def test_audience_fills_placeholders_and_arrays_expand(client: httpx.Client) -> None:
    script_id = new_script(client, AUDIENCE_TEXT)
    missing = error_of(client.post("/speech/tts", json={"scriptId": script_id}), 422)
    assert missing["errors"][0].startswith("audience.name")

    names, cities = ["Al", "Bartholomew Montgomery"], ["Rome", "Paris"]
    body = {"scriptId": script_id, "voice": "isaac", "audience": {"name": names, "city": cities}}
    speech = render(client, body)
    sections = speech["sections"]
    combos = [(s["audience"]["name"], s["audience"]["city"]) for s in sections]
    assert sorted(combos) == sorted(itertools.product(names, cities))
    assert {s["sectionName"] for s in sections} == {"hello"}
    assert len({s["url"] for s in sections}) == 4
    duration = {}
    for section in sections:
        name, city = section["audience"]["name"], section["audience"]["city"]
        assert section["preview"] == f"Hello {name}, welcome to {city}."
        _, info = fetch_wav(section["url"])
        assert_speech_audio(info, section["duration"])
        duration[name, city] = info.duration
    for city in cities:
        assert duration["Bartholomew Montgomery", city] > duration["Al", city] + 0.3
    assert speech["duration"] == pytest.approx(sections[0]["duration"], abs=0.002)


def test_audience_default_and_single_value(
    client: httpx.Client, greeting: dict[str, Any], greeting_speech: dict[str, Any]
) -> None:
    body = {"scriptId": greeting["scriptId"], "voice": "isaac", "audience": {"name": "Ada"}}
    speech = render(client, body)
    intro, main = speech["sections"]
    assert (intro["audience"], intro["preview"]) == ({"name": "Ada"}, "Hello Ada!")
    assert main["audience"] == {}  # the placeholder is not in this section
    default_intro = greeting_speech["sections"][0]
    assert intro["duration"] != default_intro["duration"]


def test_sections_override_voice_and_speed(client: httpx.Client) -> None:
    script_id = new_script(client, TWIN_TEXT)
    body = {
        "scriptId": script_id,
        "voice": "isaac",
        "sections": {"b": {"voice": "joanna", "speed": 2.0}},
    }
    speech = render(client, body)
    a, b = speech["sections"]
    assert (a["sectionName"], a["voice"], a["speed"]) == ("a", "isaac", 1.0)
    assert (b["sectionName"], b["voice"], b["speed"]) == ("b", "joanna", 2.0)
    _, audio_a = fetch_wav(a["url"])
    _, audio_b = fetch_wav(b["url"])
    assert audio_b.duration < 0.75 * audio_a.duration

    for sections, field in [
        ({"nope": {"speed": 1.2}}, "sections.nope"),
        ({"b": {"speed": 3.5}}, "sections.b.speed"),
        ({"b": {"voice": "nobody"}}, "sections.b.voice"),
    ]:
        problem = error_of(client.post("/speech/tts", json={**body, "sections": sections}), 422)
        assert problem["errors"][0].startswith(field), problem


def test_section_to_produce_python_flow(client: httpx.Client, greeting: dict[str, Any]) -> None:
    body = {
        "scriptId": greeting["scriptId"],
        "voice": "isaac",
        "sectionToProduce": "main",
        "sync": False,
    }
    response = client.post("/speech/tts", json=body)
    assert response.status_code in (200, 202)
    speech_id = ok(response, response.status_code)["speechId"]
    speech = poll(client, f"/speech/tts/section/{speech_id}", public="False")
    assert [s["sectionName"] for s in speech["sections"]] == ["main"]
    same = ok(client.get(f"/speech/tts/{speech_id}"))["sections"]
    assert [s["sectionId"] for s in same] == [s["sectionId"] for s in speech["sections"]]
    _, info = fetch_wav(speech["sections"][0]["url"])
    assert_speech_audio(info, speech["sections"][0]["duration"])


def test_section_route_js_and_gateway_flow(client: httpx.Client, greeting: dict[str, Any]) -> None:
    body = {"scriptId": greeting["scriptId"], "voice": "isaac", "sectionToProduce": "intro"}
    speech = render(client, body, route="/speech/tts/section")
    assert [s["sectionName"] for s in speech["sections"]] == ["intro"]
    required = error_of(
        client.post("/speech/tts/section", json={**body, "sectionToProduce": ""}), 422
    )
    assert required["errors"][0].startswith("sectionToProduce")
    unknown = error_of(client.post("/speech/tts", json={**body, "sectionToProduce": "outro"}), 422)
    assert unknown["errors"][0].startswith("sectionToProduce")


# -- bad requests --------------------------------------------------------------------------


@pytest.mark.parametrize("speed", [0.49, 3.01, 0, -1, 100])
def test_speed_out_of_range(client: httpx.Client, greeting: dict[str, Any], speed: float) -> None:
    body = {"scriptId": greeting["scriptId"], "speed": speed}
    assert error_of(client.post("/speech/tts", json=body), 422)["errors"][0].startswith("speed")


def test_unknown_voice_script_and_speech(client: httpx.Client, greeting: dict[str, Any]) -> None:
    body = {"scriptId": greeting["scriptId"], "voice": "nobody"}
    assert error_of(client.post("/speech/tts", json=body), 422)["errors"][0].startswith("voice")
    unknown_script = error_of(client.post("/speech/tts", json={"scriptId": "no-such-id"}), 404)
    assert unknown_script["errors"][0].startswith("scriptId")
    assert error_of(client.post("/speech/tts", json={}), 422)["errors"][0].startswith("scriptId")
    for path in ("/speech/tts/no-such-id", "/speech/tts/section/no-such-id"):
        error_of(client.get(path), 404)
    error_of(client.delete("/speech/tts/no-such-id"), 404)


# -- asynchronous jobs -----------------------------------------------------------------------


def test_async_request_polls_and_identical_posts_share_one_job(client: httpx.Client) -> None:
    # Rendering about 4,000 characters takes hundreds of milliseconds; sending the same request
    # again takes a few, so the second POST always finds the first job queued or running.
    text = " ".join(f"Sentence number {n} keeps the render busy for a while." for n in range(75))
    script_id = new_script(client, text)
    body = {"scriptId": script_id, "voice": "isaac", "sync": False}
    first = ok(client.post("/speech/tts", json=body), 202)
    second = ok(client.post("/speech/tts", json=body), 202)
    assert first["status"] in ("queued", "in_progress")
    assert second["speechId"] == first["speechId"]

    speech = poll(client, f"/speech/tts/{first['speechId']}")
    assert speech["status"] == "completed"
    assert len(text) / 30 < speech["sections"][0]["duration"] < len(text) / 7
    # Once finished, the same request is new work again (served from the cache).
    third = render(client, {**body, "sync": True})
    assert third["speechId"] != first["speechId"]


# -- list and delete -----------------------------------------------------------------------


def test_list_filters_and_pagination_token(client: httpx.Client) -> None:
    project = f"paged-{uuid.uuid4().hex[:8]}"
    script_id = new_script(client, "Paged.", projectName=project, moduleName="m", scriptName="s")
    created = [render(client, {"scriptId": script_id, "voice": "isaac"})["speechId"]]
    # 100 more: distinct requests (an audience key the script does not use) of cached audio.
    for n in range(100):
        body = {"scriptId": script_id, "voice": "isaac", "sync": False, "audience": {"n": str(n)}}
        response = client.post("/speech/tts", json=body)
        assert response.status_code in (200, 202), response.text
        created.append(response.json()["data"]["speechId"])
    assert len(set(created)) == 101

    first = ok(client.get("/speech/tts", params={"projectName": project}))
    assert len(first["speechIds"]) == 100 and first["paginationToken"]
    assert first["speechIds"][0]["speechId"] == created[-1]  # newest first
    params = {"projectName": project, "paginationToken": first["paginationToken"]}
    rest = ok(client.get("/speech/tts", params=params))
    assert rest["paginationToken"] is None
    listed = [s["speechId"] for s in first["speechIds"] + rest["speechIds"]]
    assert sorted(listed) == sorted(created)

    for filters in [
        {"scriptId": script_id},
        {"projectName": project, "moduleName": "m", "scriptName": "s"},
    ]:
        page = ok(client.get("/speech/tts", params=filters))
        assert len(page["speechIds"]) == 100 and page["paginationToken"]
    for filters in [{"projectName": project, "moduleName": "other"}, {"scriptName": project}]:
        assert ok(client.get("/speech/tts", params=filters))["speechIds"] == []
    bad = error_of(client.get("/speech/tts", params={"paginationToken": "nonsense"}), 422)
    assert bad["errors"][0].startswith("paginationToken")


def test_list_holds_full_speech_objects(
    client: httpx.Client, greeting: dict[str, Any], greeting_speech: dict[str, Any]
) -> None:
    found = ok(client.get("/speech/tts", params={"scriptId": greeting["scriptId"]}))["speechIds"]
    item = next(s for s in found if s["speechId"] == greeting_speech["speechId"])
    assert item["sections"][0]["sectionName"] == "intro" and item["sections"][0]["preview"]
    quiet = ok(
        client.get("/speech/tts", params={"scriptId": greeting["scriptId"], "verbose": "False"})
    )["speechIds"]
    item = next(s for s in quiet if s["speechId"] == greeting_speech["speechId"])
    assert "preview" not in item["sections"][0]


def test_delete_removes_the_speech_and_its_audio(
    anon: httpx.Client, client: httpx.Client, greeting: dict[str, Any]
) -> None:
    body = {"scriptId": greeting["scriptId"], "voice": "isaac", "audience": {"name": "Delia"}}
    speech = render(client, body)
    url = speech["sections"][0]["url"]
    fetch_wav(url)
    assert ok(client.delete(f"/speech/tts/{speech['speechId']}")) == {}
    error_of(client.get(f"/speech/tts/{speech['speechId']}"), 404)
    gone = anon.get(url)
    assert gone.status_code == 404
    error_of(client.delete(f"/speech/tts/{speech['speechId']}"), 404)
    # The same request renders again (its cached audio went with the deleted speech).
    again = render(client, body)
    _, info = fetch_wav(again["sections"][0]["url"])
    assert_speech_audio(info, again["sections"][0]["duration"])


# -- preview -------------------------------------------------------------------------------


def test_preview_returns_wav_bytes_or_the_sdk_envelope(client: httpx.Client) -> None:
    body = {"text": "Hello from the preview.", "voice": "isaac"}
    raw = client.post("/speech/tts/preview", json=body)
    assert raw.status_code == 200 and raw.headers["content-type"] == "audio/wav"
    info = analyse_wav(raw.content)
    assert info.sample_rate == 22050 and 0.5 < info.duration < 5
    assert info.rms_dbfs > -35

    sdk = client.post("/speech/tts/preview", json=body, headers={"x-python-sdk-version": "4.0.0"})
    data = ok(sdk)
    assert (data["voice"], data["format"]) == ("isaac", "wav")
    decoded = analyse_wav(base64.b64decode(sdk.json()["bytes"]))
    assert decoded.sample_rate == 22050
    assert decoded.duration == pytest.approx(info.duration, abs=0.01)
    assert data["duration"] == pytest.approx(decoded.duration, abs=0.01)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "x" * 251, "voice": "isaac"}, "text"),
        ({"text": "", "voice": "isaac"}, "text"),
        ({"text": "Hello."}, "voice"),
        ({"text": "Hello.", "voice": "nobody"}, "voice"),
    ],
    ids=["too-long", "no-text", "no-voice", "unknown-voice"],
)
def test_preview_rejects(client: httpx.Client, body: dict[str, Any], field: str) -> None:
    assert error_of(client.post("/speech/tts/preview", json=body), 422)["errors"][0].startswith(
        field
    )
