"""Production over HTTP: mixes, validation, the LowCodeAPI routes, timelines, sound templates.

Timelines are checked on the audio. Most mixes here lie over a private template of three sine
tones (intro 440 Hz, main 660 Hz, outro 880 Hz), mastered with ``none`` and exporting their
speech track: the mix minus that track is then exactly the music, so which tone sounds where
shows which segment lies where. Speech onsets are read from the speech track, lengths from
the WAVs' frame counts, and media inserted at an ``<as:media>`` tag is a 1500 Hz tone.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import numpy as np
import pytest

from castwright.production.timeline import BED_CROSSFADE, DEFAULT_LEAD_IN, DEFAULT_TAIL
from support.api_checks import error_of, fetch_wav, ok, render
from support.library import unique
from support.media import band_level, level, onset
from support.production import finish, mp3_tone, produce, tone, upload

INTRO_HZ, MAIN_HZ, OUTRO_HZ, MEDIA_HZ = 440.0, 660.0, 880.0, 1500.0
SEGMENTS = {"intro": (INTRO_HZ, 3.0), "main": (MAIN_HZ, 4.0), "outro": (OUTRO_HZ, 2.5)}
TONES = (INTRO_HZ, MAIN_HZ, OUTRO_HZ, MEDIA_HZ)
MEDIA_SECONDS = 2.0
LENGTH_TOLERANCE = 0.02  # seconds: layouts are exact, this is the frame rounding and more
ONSET_TOLERANCE = 0.01
TAGGED = (
    "<as:section name='a' soundsegment='intro'>Welcome to the show.</as:section>"
    "<as:section name='b' soundsegment='main'>Here is the news <as:fx name='ding' id='f1'/> "
    "and the weather.</as:section>"
    "<as:section name='c' soundsegment='outro'>Goodbye <as:media id='m1' name='logo'/> "
    "for now.</as:section>"
)


@dataclass(frozen=True)
class Heard:
    """A finished mix and its audio (channels averaged: every source here is centred)."""

    data: dict[str, Any]
    mix: np.ndarray
    speech: np.ndarray | None
    rate: int

    @property
    def length(self) -> float:
        return self.mix.size / self.rate

    @property
    def music(self) -> np.ndarray:
        assert self.speech is not None, "mix without exportSettings.ttsTrack"
        music: np.ndarray = self.mix - self.speech
        return music

    def spans(self) -> dict[str, tuple[float, float]]:
        entries = [e for e in self.data["timeline"] if e["kind"] == "speech"]
        return {e["name"]: (e["start"], e["end"]) for e in entries}

    def dominant(self, start: float, end: float, source: str = "music") -> float:
        """The tone (of TONES) sounding loudest in [start, end) of the music or the speech."""
        samples = self.music if source == "music" else self.speech
        assert samples is not None
        levels = {f: band_level(samples, self.rate, start, end, f) for f in TONES}
        loudest = max(levels, key=lambda f: levels[f])
        others = max(v for f, v in levels.items() if f != loudest)
        assert levels[loudest] - others >= 30, f"no clear tone in {start:.2f}..{end:.2f}: {levels}"
        return loudest


def hear(data: dict[str, Any]) -> Heard:
    files = {f["kind"]: f for f in data["files"]}
    _, mix = fetch_wav(files["mix"]["url"])
    assert (mix.sample_rate, mix.channels) == (48000, 2)
    assert mix.duration == pytest.approx(files["mix"]["duration"], abs=0.002)
    speech = None
    if "ttsTrack" in files:
        _, track = fetch_wav(files["ttsTrack"]["url"])
        assert (track.sample_rate, track.channels, track.samples.size) == (
            48000,
            2,
            mix.samples.size,
        )
        speech = track.samples.astype(np.float64)
    return Heard(data, mix.samples.astype(np.float64), speech, mix.sample_rate)


def mix_and_hear(client: httpx.Client, **body: Any) -> Heard:
    body.setdefault("masteringPreset", "none")
    body.setdefault("exportSettings", {"ttsTrack": True})
    return hear(produce(client, body))


@dataclass(frozen=True)
class Section:
    name: str
    duration: float
    onset: float  # where the voice starts inside the section's own audio


def sections_of(speech: dict[str, Any]) -> list[Section]:
    found = []
    for section in speech["sections"]:
        _, audio = fetch_wav(section["url"])
        found.append(
            Section(section["sectionName"], audio.duration, onset(audio.samples, audio.sample_rate))
        )
    return found


# -- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tones(api: httpx.Client) -> str:
    """A private template whose segments are sine tones, made from uploaded WAVs."""
    name = unique("tones")
    ok(api.post("/production/sound/template", json={"templateName": name}))
    for index, (segment, (frequency, seconds)) in enumerate(SEGMENTS.items()):
        file_id = upload(api, f"{segment}.wav", tone(frequency, seconds))
        key = "mediaId" if index == 1 else "fileId"  # the Python SDK sends mediaId
        body = {"templateName": name, "segmentName": segment, key: file_id}
        template = ok(api.post("/production/sound/segment", json=body))["template"]
        assert template["segmentNames"] == list(SEGMENTS)[: index + 1]
        assert template["durations"][segment] == pytest.approx(seconds, abs=0.001)
    return name


@pytest.fixture(scope="module")
def media_file(api: httpx.Client) -> str:
    return upload(api, "logo.wav", tone(MEDIA_HZ, MEDIA_SECONDS, channels=1))


@pytest.fixture(scope="module")
def greeting_sections(greeting_speech: dict[str, Any]) -> list[Section]:
    return sections_of(greeting_speech)


@pytest.fixture(scope="module")
def tagged(api: httpx.Client) -> dict[str, Any]:
    """Sections over named segments, an effect tag and a media tag."""
    script = ok(api.post("/content/script", json={"scriptText": TAGGED}))
    speech: dict[str, Any] = render(api, {"scriptId": script["scriptId"], "voice": "isaac"})
    return speech


@pytest.fixture(scope="module")
def baseline(api: httpx.Client, greeting_speech: dict[str, Any], tones: str) -> Heard:
    """The greeting over the tones, with nothing but the defaults."""
    return mix_and_hear(api, speechId=greeting_speech["speechId"], soundTemplate=tones)


@pytest.fixture
def gateway(deployment: Any) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=f"{deployment.url}/audiostack",
        params={"api_token": deployment.api_key},
        timeout=60,
    ) as http:
        yield http


# -- the mix object and its routes -----------------------------------------------------------


def test_create_get_list_and_delete_a_mix(
    client: httpx.Client, greeting_speech: dict[str, Any], tones: str
) -> None:
    body = {"speechId": greeting_speech["speechId"], "soundTemplate": tones}
    response = client.post("/production/mix", json=body | {"masteringPreset": "Balanced"})
    assert response.status_code in (200, 202), response.text  # 202: poll until it is done
    created = finish(client, response, "/production/mix", "productionId")
    assert created["status"] == "completed"
    production_id = created["productionId"]
    assert created["speechId"] == greeting_speech["speechId"]
    assert created["scriptId"] == greeting_speech["scriptId"]
    for key in ("projectName", "moduleName", "scriptName"):
        assert created[key] == greeting_speech[key]
    assert created["creationDate"].endswith("Z") and created["timelineId"]
    assert (created["soundTemplate"], created["masteringPreset"]) == (tones, "balanced")
    assert created["warnings"] == []
    [file] = created["files"]
    assert (file["filename"], file["format"], file["kind"]) == ("mix", "wav", "mix")
    assert file["fileId"] and file["duration"] > 0
    heard = hear(created)  # the signed URL needs no key
    assert heard.length == pytest.approx(file["duration"], abs=0.002)
    assert created["loudness"]["integrated"] == pytest.approx(-16.0, abs=0.5)

    fetched = ok(client.get(f"/production/mix/{production_id}"))
    assert fetched["productionId"] == production_id
    assert [f["fileId"] for f in fetched["files"]] == [file["fileId"]]
    listed = ok(client.get("/production/mixes", params={"scriptId": created["scriptId"]}))
    mine = [m for m in listed["productionIds"] if m["productionId"] == production_id]
    assert mine and mine[0]["files"][0]["fileId"] == file["fileId"]

    assert ok(client.delete(f"/production/mix/{production_id}")) == {}
    gone = error_of(client.get(f"/production/mix/{production_id}"), 404)
    assert gone["errors"][0].startswith("productionId")
    error_of(client.delete(f"/production/mix/{production_id}"), 404)
    assert httpx.get(file["url"], timeout=60).status_code == 404


def test_mastering_presets_are_listed_and_matched_in_any_case(
    client: httpx.Client, greeting_speech: dict[str, Any]
) -> None:
    presets = ok(client.get("/production/mix/presets"))["presets"]
    assert [p["name"] for p in presets] == [
        "balanced",
        "lightducking",
        "heavyducking",
        "voiceenhanced",
        "musicenhanced",
        "none",
    ]
    assert all(p["description"] for p in presets)
    speech_id = greeting_speech["speechId"]
    for asked, applied in [("heavyDucking", "heavyducking"), ("recommended", "balanced")]:
        checked = ok(
            client.post(
                "/production/validate", json={"speechId": speech_id, "masteringPreset": asked}
            )
        )
        assert checked["masteringPreset"] == applied
    default = ok(client.post("/production/validate", json={"speechId": speech_id}))
    assert default["masteringPreset"] == "balanced"


def test_validate_checks_everything_and_renders_nothing(
    client: httpx.Client, greeting_speech: dict[str, Any], tagged: dict[str, Any], tones: str
) -> None:
    good = {"speechId": greeting_speech["speechId"], "soundTemplate": tones}
    checked = ok(client.post("/production/validate", json=good))
    assert (checked["status"], checked["files"]) == ("completed", [])
    assert checked["validation"] == {"valid": True, "errors": [], "warnings": []}
    again = ok(client.get(f"/production/mix/{checked['productionId']}"))
    assert (again["files"], again["validation"]) == ([], checked["validation"])
    listed = ok(client.get("/production/mixes", params={"scriptId": again["scriptId"]}))
    assert checked["productionId"] not in [m["productionId"] for m in listed["productionIds"]]

    for bad, field in [
        (good | {"soundTemplate": "no-such-template"}, "soundTemplate"),
        (good | {"masteringPreset": "loudest"}, "masteringPreset"),
        (good | {"timelineProperties": {"forceLength": 1}}, "timelineProperties.forceLength"),
        ({"speechId": tagged["speechId"]}, "mediaFiles.m1"),
        ({}, "speechId"),
    ]:
        response = client.post("/production/validate", json=bad)
        found = ok(response)["validation"]
        assert (found["valid"], found["warnings"]) == (False, []), found
        assert len(found["errors"]) == 1 and found["errors"][0].startswith(field), found

    lenient = {"speechId": tagged["speechId"], "strictValidation": False}
    response = client.post("/production/validate", json=lenient)
    found = ok(response)["validation"]
    assert found["valid"] and found["errors"] == []
    assert [w.split(":")[0] for w in found["warnings"]] == ["mediaFiles.m1"]
    assert response.json()["warnings"] == found["warnings"]  # mirrored into the envelope


def test_a_script_is_rendered_first_and_mixes_are_found_by_its_names(
    client: httpx.Client,
) -> None:
    names = {
        "projectName": unique("mix-project"),
        "moduleName": "spots",
        "scriptName": unique("spot"),
    }
    text = "<as:section name='main'>Castwright renders this script before mixing.</as:section>"
    script = ok(client.post("/content/script", json={"scriptText": text, **names}))
    mixed = produce(client, {"scriptId": script["scriptId"]})  # no template: speech only
    assert mixed["scriptId"] == script["scriptId"] and mixed["speechId"]
    speech = ok(client.get(f"/speech/tts/{mixed['speechId']}"))
    assert (speech["scriptId"], speech["status"]) == (script["scriptId"], "completed")
    spoken = sum(section.duration for section in sections_of(speech))
    assert hear(mixed).length == pytest.approx(spoken, abs=LENGTH_TOLERANCE)

    for filters in [
        {"projectName": names["projectName"]},
        {"projectName": names["projectName"], "moduleName": "spots"},
        {"scriptName": names["scriptName"]},
        {"scriptId": script["scriptId"]},
    ]:
        found = ok(client.get("/production/mixes", params=filters))["productionIds"]
        assert [m["productionId"] for m in found] == [mixed["productionId"]], filters
        assert found[0]["files"][0]["kind"] == "mix"
    nothing = {"projectName": names["projectName"], "moduleName": "elsewhere"}
    assert ok(client.get("/production/mixes", params=nothing))["productionIds"] == []


def test_lowcodeapi_mixing_routes_answer_with_a_mix_id(
    gateway: httpx.Client, greeting_speech: dict[str, Any], tones: str
) -> None:
    body = {"speechId": greeting_speech["speechId"], "soundTemplate": tones}
    produced = produce(gateway, body, route="/mixing/produce", poll_path="/mixing")
    mix_id = produced["mixId"]
    assert mix_id == produced["productionId"]
    assert produced["files"][0]["kind"] == "mix"
    new_format = ok(gateway.get(f"/mixing/{mix_id}"))
    old_format = ok(gateway.get("/mixing/mixid", params={"mixId": mix_id}))
    for fetched in (new_format, old_format):
        assert (fetched["mixId"], fetched["productionId"]) == (mix_id, mix_id)
        assert fetched["files"][0]["fileId"] == produced["files"][0]["fileId"]
    missing = error_of(gateway.get(f"/mixing/{uuid.uuid4()}"), 404)
    assert missing["errors"][0].startswith("productionId")


# -- timelines, on the audio --------------------------------------------------------------------


def test_default_layout_intro_main_under_the_speech_then_outro(
    baseline: Heard, greeting_sections: list[Section]
) -> None:
    spoken = sum(s.duration for s in greeting_sections)
    outro = SEGMENTS["outro"][1]
    assert baseline.length == pytest.approx(
        DEFAULT_LEAD_IN + spoken + DEFAULT_TAIL + outro, abs=LENGTH_TOLERANCE
    )
    assert baseline.speech is not None
    first_word = onset(baseline.speech, baseline.rate)
    assert first_word == pytest.approx(
        DEFAULT_LEAD_IN + greeting_sections[0].onset, abs=ONSET_TOLERANCE
    )
    speech_end = DEFAULT_LEAD_IN + spoken
    assert baseline.dominant(0.2, DEFAULT_LEAD_IN - 0.2) == INTRO_HZ
    assert baseline.dominant(DEFAULT_LEAD_IN + 0.6, speech_end) == MAIN_HZ
    assert baseline.dominant(speech_end + DEFAULT_TAIL + 0.6, baseline.length - 0.1) == OUTRO_HZ


def test_force_length_gives_exactly_that_length(
    client: httpx.Client, greeting_speech: dict[str, Any], tones: str
) -> None:
    speech_id = greeting_speech["speechId"]
    forced = mix_and_hear(
        client, speechId=speech_id, soundTemplate=tones, timelineProperties={"forceLength": 20}
    )
    assert forced.length == pytest.approx(20.0, abs=LENGTH_TOLERANCE)
    assert forced.dominant(20.0 - SEGMENTS["outro"][1] + 0.6, 19.9) == OUTRO_HZ  # ends on it
    assert forced.dominant(10.0, 14.0) == MAIN_HZ  # the main bed loops to get there

    plain = mix_and_hear(client, speechId=speech_id, timelineProperties={"forceLength": 9.5})
    assert plain.length == pytest.approx(9.5, abs=LENGTH_TOLERANCE)


def test_speech_start_sound_tail_fades_and_padding(
    client: httpx.Client,
    greeting_speech: dict[str, Any],
    tones: str,
    greeting_sections: list[Section],
) -> None:
    timeline = {"speechStart": 3.5, "soundTail": 2.0, "fadeIn": 1.0, "fadeOut": 1.5, "padding": 1.0}
    heard = mix_and_hear(
        client,
        speechId=greeting_speech["speechId"],
        soundTemplate=tones,
        timelineProperties=timeline,
    )
    spoken = sum(s.duration for s in greeting_sections)
    speech_end = 3.5 + spoken
    outro_end = speech_end + 2.0 + SEGMENTS["outro"][1]
    assert heard.length == pytest.approx(outro_end + 1.0, abs=LENGTH_TOLERANCE)
    assert heard.speech is not None
    assert onset(heard.speech, heard.rate) == pytest.approx(
        3.5 + greeting_sections[0].onset, abs=ONSET_TOLERANCE
    )
    # The tail is the main bed going on after the last word; the outro follows it.
    assert heard.dominant(speech_end + 0.2, speech_end + 1.9) == MAIN_HZ
    assert heard.dominant(speech_end + 2.6, outro_end - 0.1) == OUTRO_HZ

    mix, rate = heard.mix, heard.rate
    assert level(mix, rate, 0.0, 0.1) <= level(mix, rate, 1.2, 1.6) - 15  # faded in
    # The fade-out ends where the sound does; the padding after it is silence.
    steady = level(mix, rate, outro_end - 2.0, outro_end - 1.6)
    assert level(mix, rate, outro_end - 0.85, outro_end - 0.65) <= steady - 1.5
    assert level(mix, rate, outro_end - 0.15, outro_end) <= steady - 12
    assert level(mix, rate, outro_end + 0.01, heard.length) < -80


def test_section_properties_move_the_speech(
    client: httpx.Client,
    greeting_speech: dict[str, Any],
    tones: str,
    greeting_sections: list[Section],
    baseline: Heard,
) -> None:
    intro, main = greeting_sections
    body = {"speechId": greeting_speech["speechId"], "soundTemplate": tones}

    placed = mix_and_hear(
        client,
        **body,
        sectionProperties={"main": {"startAt": 6.0, "endAt": 12.0, "alignment": "right"}},
    )
    assert placed.spans()["main"] == pytest.approx((12.0 - main.duration, 12.0), abs=0.002)
    assert placed.speech is not None
    second = onset(placed.speech, placed.rate, after=DEFAULT_LEAD_IN + intro.duration + 0.05)
    assert second == pytest.approx(12.0 - main.duration + main.onset, abs=ONSET_TOLERANCE)
    outro = SEGMENTS["outro"][1]
    assert placed.length == pytest.approx(12.0 + DEFAULT_TAIL + outro, abs=LENGTH_TOLERANCE)

    padded = mix_and_hear(client, **body, sectionProperties={"intro": {"padding": 1.0}})
    assert padded.speech is not None
    after_intro = DEFAULT_LEAD_IN + intro.duration
    second = onset(padded.speech, padded.rate, after=after_intro + 0.05)
    assert second == pytest.approx(after_intro + 1.0 + main.onset, abs=ONSET_TOLERANCE)
    assert padded.length == pytest.approx(baseline.length + 1.0, abs=LENGTH_TOLERANCE)


def test_validation_counts_the_media_and_effects_a_mix_inserts(
    client: httpx.Client, tagged: dict[str, Any], media_file: str
) -> None:
    speech_alone = sum(s.duration for s in sections_of(tagged))
    body = {"speechId": tagged["speechId"], "mediaFiles": {"m1": media_file}}
    # Room for the speech alone, not for the speech with its 2 s of media and its ding.
    tight = body | {"timelineProperties": {"forceLength": round(speech_alone + 1.0, 2)}}
    found = ok(client.post("/production/validate", json=tight))["validation"]
    assert not found["valid"]
    assert found["errors"][0].startswith("timelineProperties.forceLength"), found
    roomy = body | {"timelineProperties": {"forceLength": round(speech_alone + 6.0, 2)}}
    assert ok(client.post("/production/validate", json=roomy))["validation"]["valid"]


def test_sections_lie_over_their_segments_with_effects_and_media_inserted(
    client: httpx.Client, tagged: dict[str, Any], tones: str, media_file: str
) -> None:
    rendered = {s.name: s for s in sections_of(tagged)}
    marker = next(s for s in tagged["sections"] if s["sectionName"] == "c")["markers"][0]
    assert (marker["kind"], marker["id"], marker["name"]) == ("media", "m1", "logo")
    body = {"speechId": tagged["speechId"], "soundTemplate": tones}

    full = mix_and_hear(client, **body, mediaFiles={"m1": media_file})
    spans = full.spans()
    assert list(spans) == ["a", "b", "c"]
    assert [e["segment"] for e in full.data["timeline"] if e["kind"] == "music"] == [
        "intro",
        "main",
        "outro",
    ]
    a1, (b0, b1), (c0, c1) = spans["a"][1], spans["b"], spans["c"]
    assert full.dominant(0.2, a1 - 0.1) == INTRO_HZ  # from the very start, under section a
    assert full.dominant(b0 + 0.3, b1 - 0.3) == MAIN_HZ
    assert full.dominant(c0 + 0.3, full.length - 0.3) == OUTRO_HZ
    # The media plays in the speech, at its tag, and the section grows by its length.
    media_at = c0 + marker["offset"]
    assert full.dominant(media_at + 0.05, media_at + MEDIA_SECONDS - 0.05, "speech") == MEDIA_HZ
    assert c1 - c0 == pytest.approx(rendered["c"].duration + MEDIA_SECONDS, abs=0.01)
    ding = (b1 - b0) - rendered["b"].duration  # the built-in effect its <as:fx> tag names
    assert ding > 0.3

    # Non-strict: the media tag without a file is skipped with a warning; a named effect
    # replaces the tag's own; section b's bed gets its own fades.
    lenient = mix_and_hear(
        client,
        **body,
        strictValidation=False,
        fxFiles={"f1": "chime"},
        sectionProperties={"b": {"fadeIn": 1.5, "fadeOut": 1.5}},
    )
    assert [w.split(":")[0] for w in lenient.data["warnings"]] == ["mediaFiles.m1"]
    spans2 = lenient.spans()
    (lb0, lb1), (lc0, lc1) = spans2["b"], spans2["c"]
    assert lc1 - lc0 == pytest.approx(rendered["c"].duration, abs=0.01)
    chime = (lb1 - lb0) - rendered["b"].duration
    assert chime > 0.3 and abs(chime - ding) > 0.05
    assert full.length - lenient.length == pytest.approx(
        MEDIA_SECONDS + ding - chime, abs=LENGTH_TOLERANCE
    )

    # Longer fades: the main bed comes in later and leaves earlier.
    def main_level(heard: Heard, start: float, end: float) -> float:
        return band_level(heard.music, heard.rate, start, end, MAIN_HZ)

    assert main_level(lenient, lb0, lb0 + 0.3) <= main_level(full, b0, b0 + 0.3) - 4
    assert main_level(lenient, lc0 - 0.55, lc0 - 0.25) <= main_level(full, c0 - 0.55, c0 - 0.25) - 2


# -- refused requests ---------------------------------------------------------------------------

Body = Callable[[dict[str, Any], dict[str, Any], str], dict[str, Any]]


def _greeting(greeting: dict[str, Any], tones: str, **extra: Any) -> dict[str, Any]:
    return {"speechId": greeting["speechId"], "soundTemplate": tones, **extra}


REFUSALS: list[tuple[str, Body, int, str]] = [
    (
        "unknown template",
        lambda g, t, s: _greeting(g, "no-such-template"),
        404,
        "soundTemplate",
    ),
    (
        "unknown mastering preset",
        lambda g, t, s: _greeting(g, s, masteringPreset="loudest"),
        422,
        "masteringPreset",
    ),
    (
        "unknown segment",
        lambda g, t, s: _greeting(g, s, sections={"main": {"soundSegment": "bridge"}}),
        422,
        "sections.main.soundSegment",
    ),
    (
        "endAt before startAt",
        lambda g, t, s: _greeting(g, s, sectionProperties={"main": {"startAt": 5, "endAt": 4}}),
        422,
        "sectionProperties.main.endAt",
    ),
    (
        "endAt too early for the speech",
        lambda g, t, s: _greeting(g, s, sectionProperties={"main": {"startAt": 5, "endAt": 5.2}}),
        422,
        "sectionProperties.main.endAt",
    ),
    (
        "forceLength shorter than the speech",
        lambda g, t, s: _greeting(g, s, timelineProperties={"forceLength": 1.0}),
        422,
        "timelineProperties.forceLength",
    ),
    (
        "both speechId and scriptId",
        lambda g, t, s: _greeting(g, s, scriptId=g["scriptId"]),
        422,
        "speechId",
    ),
    ("neither speechId nor scriptId", lambda g, t, s: {"soundTemplate": s}, 422, "speechId"),
    (
        "a media tag without a file",
        lambda g, t, s: {"speechId": t["speechId"]},
        422,
        "mediaFiles.m1",
    ),
    (
        "an unknown media file",
        lambda g, t, s: {"speechId": t["speechId"], "mediaFiles": {"m1": str(uuid.uuid4())}},
        404,
        "mediaFiles.m1",
    ),
    (
        "properties of a section the speech lacks",
        lambda g, t, s: _greeting(g, s, sectionProperties={"outro": {"padding": 1}}),
        422,
        "sectionProperties.outro",
    ),
    (
        "an unknown timeline property",
        lambda g, t, s: _greeting(g, s, timelineProperties={"length": 3}),
        422,
        "timelineProperties.length",
    ),
    (
        "an unknown speech",
        lambda g, t, s: {"speechId": str(uuid.uuid4())},
        404,
        "speechId",
    ),
]


@pytest.mark.parametrize(
    ("build", "status", "field"),
    [(build, status, field) for _, build, status, field in REFUSALS],
    ids=[case for case, *_ in REFUSALS],
)
def test_bad_requests_are_refused_naming_the_field(
    client: httpx.Client,
    greeting_speech: dict[str, Any],
    tagged: dict[str, Any],
    tones: str,
    build: Body,
    status: int,
    field: str,
) -> None:
    body = build(greeting_speech, tagged, tones)
    refused = error_of(client.post("/production/mix", json=body), status)
    assert any(e.startswith(f"{field}:") for e in refused["errors"]), refused
    if status == 422:
        assert refused["message"].startswith(field), refused


def test_unknown_mastering_preset_lists_the_valid_ones(
    client: httpx.Client, greeting_speech: dict[str, Any]
) -> None:
    body = {"speechId": greeting_speech["speechId"], "masteringPreset": "loudest"}
    message = error_of(client.post("/production/mix", json=body), 422)["message"]
    assert all(name in message for name in ("balanced", "heavyducking", "none"))


# -- sound templates ----------------------------------------------------------------------------


def test_the_built_in_library_and_its_filters(client: httpx.Client, tones: str) -> None:
    everything = ok(client.get("/production/sound/template"))["templates"]
    built_in = [t for t in everything if t["accessType"] == "public"]
    assert len(built_in) >= 8
    for template in built_in:
        assert template["segmentNames"] == ["intro", "main", "outro"]
        assert all(template["durations"][s] > 0 for s in template["segmentNames"])
        assert template["labels"]["moods"] and template["labels"]["genres"]
        assert template["license_type"] and template["isElastic"] is False
    moods = [m for t in built_in for m in t["labels"]["moods"]]
    mood = max(set(moods), key=moods.count)
    calm = ok(client.get("/production/sound/template", params={"moods": mood}))["templates"]
    assert calm and all(mood in t["labels"]["moods"] for t in calm)
    assert len(calm) == sum(mood in t["labels"]["moods"] for t in everything)
    first = built_in[0]["labels"]
    both = f"{first['moods'][0]},{first['moods'][1]}"  # every value must match
    matched = ok(client.get("/production/sound/template", params={"moods": both}))["templates"]
    assert built_in[0]["name"] in [t["name"] for t in matched]
    assert all(set(first["moods"][:2]) <= set(t["labels"]["moods"]) for t in matched)
    genre = first["genres"][0]
    by_genre = ok(client.get("/production/sound/template", params={"genres": genre}))
    assert [t["name"] for t in by_genre["templates"]] == [
        t["name"] for t in everything if genre in t["labels"]["genres"]
    ]

    public = ok(client.get("/production/sound/template", params={"access_type": "public"}))
    assert {t["name"] for t in public["templates"]} == {t["name"] for t in built_in}
    private = ok(client.get("/production/sound/template", params={"access_type": "private"}))
    assert tones in [t["name"] for t in private["templates"]]
    assert all(t["accessType"] == "private" for t in private["templates"])
    bad = error_of(client.get("/production/sound/template", params={"access_type": "all"}), 422)
    assert bad["errors"][0].startswith("access_type")


def test_a_template_by_alias(client: httpx.Client) -> None:
    listed = ok(client.get("/production/sound/template"))["templates"]
    name = next(t["name"] for t in listed if t["accessType"] == "public")
    by_alias = ok(client.get(f"/production/sound/template/alias/{name.upper()}"))
    assert (by_alias["name"], by_alias["alias"]) == (name, name)
    assert by_alias["soundTemplateId"] == next(
        t["soundTemplateId"] for t in listed if t["name"] == name
    )
    missing = error_of(client.get("/production/sound/template/alias/no-such-template"), 404)
    assert missing["errors"][0].startswith("alias")


def test_template_create_segments_mix_and_delete(
    client: httpx.Client, greeting_speech: dict[str, Any]
) -> None:
    name = unique("bed")
    created = ok(
        client.post(
            "/production/sound/template",
            json={"templateName": name, "description": "a steady tone"},
        )
    )["template"]
    assert (created["name"], created["description"], created["accessType"]) == (
        name,
        "a steady tone",
        "private",
    )
    assert created["segmentNames"] == [] and created["isElastic"] is False
    for taken in (name, name.upper()):
        conflict = error_of(
            client.post("/production/sound/template", json={"templateName": taken}), 409
        )
        assert conflict["errors"][0].startswith("templateName")
    error_of(client.post("/production/sound/template", json={}), 422)

    not_wav = upload(client, "bed.mp3", mp3_tone(550, 1.0))
    body = {"templateName": name, "segmentName": "main", "fileId": not_wav}
    refused = error_of(client.post("/production/sound/segment", json=body), 422)
    assert refused["errors"][0].startswith("fileId")
    wav = upload(client, "bed.wav", tone(550.0, 2.0))
    body = {"templateName": name, "segmentName": "main", "mediaId": wav}
    updated = ok(client.post("/production/sound/segment", json=body))["template"]
    assert updated["segments"] == [{"segmentName": "main", "fileId": wav, "duration": 2.0}]

    built_in = next(
        t["name"]
        for t in ok(client.get("/production/sound/template"))["templates"]
        if t["accessType"] == "public"
    )
    body = {"templateName": built_in, "segmentName": "main", "fileId": wav}
    error_of(client.post("/production/sound/segment", json=body), 403)
    error_of(client.delete(f"/production/sound/template/{built_in}"), 403)

    # A one-segment template: its tone loops under everything, from the first moment.
    heard = mix_and_hear(client, speechId=greeting_speech["speechId"], soundTemplate=name)
    assert heard.data["soundTemplate"] == name
    assert (
        band_level(heard.music, heard.rate, 0.2, 1.8, 550.0)
        > band_level(heard.music, heard.rate, 0.2, 1.8, MAIN_HZ) + 30
    )
    speech_end = max(end for _, end in heard.spans().values())
    assert heard.length == pytest.approx(
        speech_end + DEFAULT_TAIL + BED_CROSSFADE, abs=LENGTH_TOLERANCE
    )

    assert ok(client.delete(f"/production/sound/template/{name}")) == {}
    error_of(client.delete(f"/production/sound/template/{name}"), 404)
    body = {"speechId": greeting_speech["speechId"], "soundTemplate": name}
    error_of(client.post("/production/mix", json=body), 404)


def test_template_parameters_gather_every_label(client: httpx.Client, tones: str) -> None:
    parameters = ok(client.get("/production/sound/parameter"))
    assert set(parameters) == {"genres", "moods", "instruments", "collections"}
    templates = ok(client.get("/production/sound/template"))["templates"]
    for kind, values in parameters.items():
        assert values == sorted(values)
        assert set(values) == {v for t in templates for v in t["labels"][kind]}
    assert "custom" in parameters["collections"]  # the private tones template's collection
