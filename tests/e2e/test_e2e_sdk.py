"""The official `audiostack` SDK, unchanged, against a live Castwright on SQLite and PostgreSQL.

Every call goes through the SDK's own request code (headers, empty-value pruning, 202 polling,
downloads), and every WAV it saves is measured: sample rate, duration against the speed and
padding asked for, speech energy and clipping.
"""

from __future__ import annotations

import base64
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import audiostack
import httpx
import pytest

from support.audio import WavInfo, analyse_wav, leading_silence, trailing_silence

pytestmark = pytest.mark.e2e

ISSUE_SCRIPT = (
    "<as:section name='intro'>Hello <as:placeholder id='name'>friend</as:placeholder>!"
    "</as:section><as:section name='main'>Our store opens at 9:30 on May 3rd. "
    "Prices from $5.99.</as:section>"
)
SAMPLE_RATE = 22050  # espeak-ng voices are delivered at the engine rate
SPEED_TOLERANCE = 0.20  # rendered duration at speed s is about duration at 1.0 / s
PADDING_TOLERANCE = 0.05  # seconds; padding is inserted exactly, so this is generous


@contextmanager
def sdk_pointed_at(url: str, key: str) -> Iterator[None]:
    """Point the SDK's module globals at a server, and put them back afterwards."""
    saved = audiostack.api_base, audiostack.api_key
    audiostack.api_base, audiostack.api_key = url, key
    try:
        yield
    finally:
        audiostack.api_base, audiostack.api_key = saved


@pytest.fixture
def sdk(deployment: Any) -> Iterator[None]:
    with sdk_pointed_at(deployment.url, deployment.api_key):
        yield


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def assert_speech_audio(info: WavInfo) -> None:
    """A delivered section: 24 kHz mono speech, clearly above silence, never clipped."""
    assert info.sample_rate == SAMPLE_RATE
    assert info.channels == 1
    assert info.duration > 0.2
    assert info.rms_dbfs > -35.0, f"speech too quiet: {info.rms_dbfs:.1f} dBFS"
    assert info.peak <= 1.0
    clipped = int((abs(info.samples) >= 0.999).sum())
    assert clipped == 0, f"{clipped} clipped samples"


def downloaded(speech: Any, directory: Path, **options: Any) -> dict[str, WavInfo]:
    directory.mkdir(parents=True, exist_ok=True)
    speech.download(path=str(directory), **options)
    return {path.name: analyse_wav(path.read_bytes()) for path in sorted(directory.iterdir())}


def by_name(speech: Any) -> dict[str, dict[str, Any]]:
    return {section["sectionName"]: section for section in speech.data["sections"]}


def assert_ratio(actual: float, expected: float, tolerance: float = SPEED_TOLERANCE) -> None:
    assert abs(actual / expected - 1.0) <= tolerance, (
        f"{actual:.3f} s is not within {tolerance:.0%} of {expected:.3f} s"
    )


# -- scripts ------------------------------------------------------------------------------------


def test_script_create_get_update_versions_list_and_delete(sdk: None) -> None:
    Script = audiostack.Content.Script
    project, module, name = unique("e2e-project"), unique("module"), unique("script")
    created = Script.create(
        scriptText=ISSUE_SCRIPT,
        projectName=project,
        moduleName=module,
        scriptName=name,
        metadata={"campaign": "spring"},
    )
    assert (created.projectName, created.moduleName, created.scriptName) == (project, module, name)
    assert created.scriptText == ISSUE_SCRIPT
    assert created.data["version"] == "v1"
    assert created.data["availableVersions"] == ["v1"]
    assert created.data["metadata"] == {"campaign": "spring"}
    assert [s["name"] for s in created.data["sections"]] == ["intro", "main"]
    assert created.data["sections"][0]["placeholders"] == ["name"]

    fetched = Script.get(created.scriptId)
    assert fetched.scriptId == created.scriptId
    assert fetched.scriptText == ISSUE_SCRIPT

    second_text = "<as:section name='main'>Doors open at 10:15.</as:section>"
    second = created.update(scriptText=second_text)  # PUT without a version: appends v2
    assert second.data["version"] == "v2"
    assert second.data["availableVersions"] == ["v1", "v2"]

    replaced_text = "<as:section name='main'>A replaced first version.</as:section>"
    replaced = Script.update(scriptId=created.scriptId, scriptText=replaced_text, version="v1")
    assert replaced.data["version"] == "v1"
    assert replaced.data["availableVersions"] == ["v1", "v2"]

    assert Script.get(created.scriptId).scriptText == second_text  # the latest
    assert Script.get(created.scriptId, version="v1").scriptText == replaced_text
    assert Script.get(created.scriptId, version="v2").scriptText == second_text
    with pytest.raises(Exception, match=r"(?i)not found"):
        Script.get(created.scriptId, version="v9")

    other = Script.create(
        scriptText="Another script.", projectName=project, moduleName=module, scriptName="other"
    )
    in_project = Script.list(projectName=project)
    assert {item.scriptId for item in in_project} == {created.scriptId, other.scriptId}
    latest = {item.scriptId: item.scriptText for item in Script.list(projectName=project)}
    assert latest[created.scriptId] == second_text  # lists show the latest version
    named = Script.list(projectName=project, moduleName=module, scriptName=name)
    assert [item.scriptId for item in named] == [created.scriptId]
    assert [item.scriptId for item in Script.list(scriptId=other.scriptId)] == [other.scriptId]
    assert list(Script.list(projectName=project, scriptName=unique("nobody"))) == []

    Script.delete(created.scriptId, version="v1")  # one version only
    remaining = Script.get(created.scriptId)
    assert remaining.data["availableVersions"] == ["v2"]
    with pytest.raises(Exception, match=r"(?i)not found"):
        Script.get(created.scriptId, version="v1")

    created.delete()  # the whole script
    with pytest.raises(Exception, match=r"(?i)not found"):
        Script.get(created.scriptId)
    other.delete()
    assert list(Script.list(projectName=project)) == []


def test_list_projects_and_list_modules(sdk: None) -> None:
    Script = audiostack.Content.Script
    first, second = unique("e2e-project"), unique("e2e-project")
    made = [
        Script.create(scriptText="One.", projectName=first, moduleName="alpha"),
        Script.create(scriptText="Two.", projectName=first, moduleName="beta"),
        Script.create(scriptText="Three.", projectName=first, moduleName="alpha"),
        Script.create(scriptText="Four.", projectName=second, moduleName="gamma"),
    ]
    projects = audiostack.Content.list_projects()
    assert projects.status_code == 200
    assert {first, second} <= set(projects.data["projects"])

    modules = audiostack.Content.list_modules(projectName=first)
    assert modules.data["projectName"] == first
    assert modules.data["modules"] == ["alpha", "beta"]
    assert audiostack.Content.list_modules(projectName=second).data["modules"] == ["gamma"]
    for script in made:
        script.delete()


# -- voices -------------------------------------------------------------------------------------


def test_voice_list_and_parameters(sdk: None) -> None:
    voices = list(audiostack.Speech.Voice.list())
    aliases = [voice.alias for voice in voices]
    assert len(aliases) == len(set(aliases)), "aliases must be unique"
    assert {"isaac", "joanna", "sara", "oliver"} <= set(aliases)
    assert all(voice.provider for voice in voices)
    isaac = next(voice for voice in voices if voice.alias == "isaac")
    assert isaac.data["gender"] == "male"
    assert isaac.data["languageCode"] == "en-US"
    assert isaac.data["audioSample"].startswith(audiostack.api_base)

    parameters = audiostack.Speech.Voice.Parameter.get()
    assert parameters.status_code == 200
    values = parameters.data
    assert {"female", "male"} <= set(values["gender"])
    assert "espeak-ng" in values["provider"]
    assert "en-US" in values["languageCode"]
    for voice in voices:  # every listed voice is described by the parameter values
        assert voice.data["gender"] in values["gender"]
        assert voice.data["provider"] in values["provider"]
        assert voice.data["languageCode"] in values["languageCode"]


# -- TTS: the issue's example -------------------------------------------------------------------


@dataclass
class IssueSpeeches:
    project: str
    script: Any
    voice: str
    other_voice: str
    baseline: Any  # voice, speed 1, no padding
    fast: Any  # voice, speed 2
    other: Any  # other_voice, speed 1
    full: Any  # speed 2, padding 1 s, and "main" overridden to other_voice at speed 1


def _pick_voices() -> tuple[str, str]:
    """Two English espeak-ng personas from the SDK's own voice list (not hard-coded aliases)."""
    personas = [
        voice.data
        for voice in audiostack.Speech.Voice.list()
        if voice.provider == "espeak-ng"
        and voice.data["languageCode"] == "en-US"
        and "multilingual-catalogue" not in voice.data["tags"]
    ]
    male = sorted(v["alias"] for v in personas if v["gender"] == "male")
    female = sorted(v["alias"] for v in personas if v["gender"] == "female")
    assert male and female, "expected English male and female espeak-ng personas"
    return male[0], female[0]


@pytest.fixture(scope="module")
def issue(deployment: Any) -> Iterator[IssueSpeeches]:
    with sdk_pointed_at(deployment.url, deployment.api_key):
        project = unique("e2e-tts")
        script = audiostack.Content.Script.create(
            scriptText=ISSUE_SCRIPT, projectName=project, moduleName="ads", scriptName="store"
        )
        voice, other_voice = _pick_voices()
        TTS = audiostack.Speech.TTS
        audience = {"name": "Ada"}
        yield IssueSpeeches(
            project=project,
            script=script,
            voice=voice,
            other_voice=other_voice,
            baseline=TTS.create(scriptItem=script, voice=voice, audience=audience),
            fast=TTS.create(scriptItem=script, voice=voice, audience=audience, speed=2.0),
            other=TTS.create(scriptItem=script, voice=other_voice, audience=audience),
            full=TTS.create(
                scriptItem=script,
                voice=voice,
                audience=audience,
                speed=2.0,
                silencePadding="1000000",  # microseconds, as a string: one second
                sections={"main": {"voice": other_voice, "speed": 1.0}},
            ),
        )


def test_sections_preview_the_normalised_reading(issue: IssueSpeeches) -> None:
    for speech in (issue.baseline, issue.fast, issue.full):
        assert speech.status_code == 200
        sections = by_name(speech)
        assert list(sections) == ["intro", "main"]
        intro, main = sections["intro"], sections["main"]
        assert intro["audience"] == {"name": "Ada"}
        assert intro["preview"] == "Hello Ada!"
        assert main["audience"] == {}
        for reading in ("nine thirty", "May third", "five dollars and ninety-nine cents"):
            assert reading in main["preview"], main["preview"]
        assert not re.search(r"\d|\$", main["preview"]), main["preview"]
    assert issue.baseline.data["scriptId"] == issue.script.scriptId
    assert issue.baseline.data["projectName"] == issue.project


def test_download_writes_one_wav_per_section(issue: IssueSpeeches, tmp_path: Path) -> None:
    files = downloaded(issue.baseline, tmp_path)
    assert sorted(files) == ["intro.wav", "main.wav"]
    for name, info in files.items():
        assert_speech_audio(info)
        reported = by_name(issue.baseline)[name.removesuffix(".wav")]["duration"]
        assert info.duration == pytest.approx(reported, abs=0.01)
    assert files["main.wav"].duration > files["intro.wav"].duration


def test_speed_two_takes_about_half_as_long(issue: IssueSpeeches, tmp_path: Path) -> None:
    slow = downloaded(issue.baseline, tmp_path / "speed1")
    fast = downloaded(issue.fast, tmp_path / "speed2")
    for name in ("intro.wav", "main.wav"):
        assert_speech_audio(fast[name])
        assert_ratio(fast[name].duration, slow[name].duration / 2)
    assert {s["speed"] for s in issue.fast.data["sections"]} == {2.0}


def test_padding_and_per_section_voice_and_speed(issue: IssueSpeeches, tmp_path: Path) -> None:
    full = downloaded(issue.full, tmp_path / "full")
    fast = downloaded(issue.fast, tmp_path / "fast")
    other = downloaded(issue.other, tmp_path / "other")
    sections = by_name(issue.full)

    # intro: the request's voice at speed 2, with one second of padding split over both ends.
    assert (sections["intro"]["voice"], sections["intro"]["speed"]) == (issue.voice, 2.0)
    intro = full["intro.wav"]
    assert_speech_audio(intro)
    assert intro.duration == pytest.approx(fast["intro.wav"].duration + 1.0, abs=PADDING_TOLERANCE)

    # main: overridden to the other voice at speed 1, padded the same way.
    assert (sections["main"]["voice"], sections["main"]["speed"]) == (issue.other_voice, 1.0)
    main = full["main.wav"]
    assert_speech_audio(main)
    assert main.duration == pytest.approx(other["main.wav"].duration + 1.0, abs=PADDING_TOLERANCE)

    for info in (intro, main):
        assert 0.5 - PADDING_TOLERANCE <= leading_silence(info) <= 0.5 + 0.25
        assert 0.5 - PADDING_TOLERANCE <= trailing_silence(info) <= 0.5 + 0.25


def test_auto_name_downloads_name_files_after_the_audience(
    sdk: None, issue: IssueSpeeches, tmp_path: Path
) -> None:
    speech = audiostack.Speech.TTS.create(
        scriptItem=issue.script, voice=issue.voice, audience={"name": ["Ada", "Grace"]}
    )
    intros = [s for s in speech.data["sections"] if s["sectionName"] == "intro"]
    assert [s["audience"] for s in intros] == [{"name": "Ada"}, {"name": "Grace"}]
    assert [s["preview"] for s in intros] == ["Hello Ada!", "Hello Grace!"]

    files = downloaded(speech, tmp_path, autoName=True)
    assert {"name=Ada.wav", "name=Grace.wav"} <= set(files)
    for name in ("name=Ada.wav", "name=Grace.wav"):
        assert_speech_audio(files[name])
    assert files["name=Grace.wav"].duration > files["name=Ada.wav"].duration


def test_get_list_and_delete(sdk: None, issue: IssueSpeeches, client: httpx.Client) -> None:
    TTS = audiostack.Speech.TTS
    again = TTS.get(issue.baseline.speechId)
    assert again.speechId == issue.baseline.speechId
    assert [(s["sectionName"], s["duration"]) for s in again.data["sections"]] == [
        (s["sectionName"], s["duration"]) for s in issue.baseline.data["sections"]
    ]

    ours = {issue.baseline.speechId, issue.fast.speechId, issue.other.speechId}
    ours.add(issue.full.speechId)
    by_script = {item.speechId for item in TTS.list(scriptId=issue.script.scriptId)}
    assert ours <= by_script
    by_project = {item.speechId for item in TTS.list(projectName=issue.project)}
    assert ours <= by_project
    assert list(TTS.list(projectName=unique("no-such-project"))) == []

    doomed = TTS.create(
        scriptItem=issue.script, voice=issue.voice, audience={"name": "Ada"}, speed=1.25
    )
    url = doomed.data["sections"][0]["url"]
    assert client.get(url).status_code == 200
    deleted = doomed.delete()
    assert deleted.status_code == 200
    with pytest.raises(Exception, match=r"(?i)not found"):
        TTS.get(doomed.speechId)
    assert doomed.speechId not in {item.speechId for item in TTS.list(projectName=issue.project)}
    assert client.get(url).status_code == 404  # its audio went with it


def test_section_create_renders_one_section_and_polls_the_section_route(
    sdk: None, issue: IssueSpeeches, deployment: Any, tmp_path: Path
) -> None:
    log_start = len(deployment.server.log())
    speech = audiostack.Speech.TTS.Section.create(
        sectionToProduce="main",
        scriptItem=issue.script,
        voice=issue.voice,
        speed=1.5,
        sync=False,  # answer 202 at once, so the SDK polls
        useCache=False,
    )
    assert speech.status_code == 200
    assert [s["sectionName"] for s in speech.data["sections"]] == ["main"]
    files = downloaded(speech, tmp_path)
    assert list(files) == ["main.wav"]
    assert_speech_audio(files["main.wav"])

    # The Python SDK POSTs /speech/tts with sectionToProduce, then polls the section route.
    log = deployment.server.log()[log_start:]
    posted = re.findall(r"POST /speech/tts (\d{3})", log)
    assert posted, log
    polls = re.findall(rf"GET (/speech/tts/\S*){speech.speechId}\S* (\d{{3}})", log)
    assert all(path == "/speech/tts/section/" for path, _ in polls), polls
    if posted[-1] == "202":
        assert polls and polls[-1][1] == "200", log


def test_preview_returns_base64_wav(sdk: None, issue: IssueSpeeches) -> None:
    preview = audiostack.Speech.TTS.preview(text="Doors open at 9:30 sharp.", voice=issue.voice)
    assert preview.status_code == 200
    assert isinstance(preview.bytes, str)
    info = analyse_wav(base64.b64decode(preview.bytes))
    assert_speech_audio(info)
    assert preview.data["format"] == "wav"
    assert preview.data["duration"] == pytest.approx(info.duration, abs=0.01)


def test_sdk_reports_a_bad_voice_by_field(sdk: None, issue: IssueSpeeches) -> None:
    with pytest.raises(Exception, match="voice"):
        audiostack.Speech.TTS.create(scriptItem=issue.script, voice="no-such-voice")
    with pytest.raises(Exception, match=r"sections\.nowhere"):
        audiostack.Speech.TTS.create(
            scriptItem=issue.script, voice=issue.voice, sections={"nowhere": {"speed": 1.2}}
        )
