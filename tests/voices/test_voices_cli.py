"""`castwright voices` as an operator runs it: list, install, import, remove, against a local
server laid out like the public catalogues."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.audio import analyse_wav
from support.tiny_voices import CatalogueServer, write_piper_voice

LESSAC = "en_US-lessac-medium"


@pytest.fixture(scope="module")
def catalogue() -> Iterator[CatalogueServer]:
    server = CatalogueServer()
    server.add_piper_voice(LESSAC, "lessac")
    server.add_kokoro({"af_heart": 0.1, "bm_george": -0.1})
    server.start()
    yield server
    server.stop()


def castwright(
    tmp_path: Path, catalogue: CatalogueServer, *args: str
) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("castwright")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "castwright.cli.main"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASTWRIGHT_")}
    env.update(
        CASTWRIGHT_DATA_DIR=str(tmp_path / "data"),
        CASTWRIGHT_VOICE_LIBRARY__PIPER_URL=catalogue.piper_url,
        CASTWRIGHT_VOICE_LIBRARY__KOKORO_URL=catalogue.kokoro_url,
        COLUMNS="200",
        NO_COLOR="1",
    )
    return subprocess.run(
        [*command, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180
    )


def rows(output: str) -> dict[str, dict[str, str]]:
    lines = [line.split("\t") for line in output.splitlines() if "\t" in line]
    header, body = lines[0], lines[1:]
    return {row[0]: dict(zip(header, row, strict=True)) for row in body}


def test_install_list_speak_and_remove(tmp_path: Path, catalogue: CatalogueServer) -> None:
    before = rows(castwright(tmp_path, catalogue, "voices", "-p", "kokoro").stdout)
    assert before["harper"]["installed"] == "no" and before["harper"]["quality"] == "neural"

    done = castwright(
        tmp_path, catalogue, "voices", "install", f"piper:{LESSAC}", "kokoro:af_heart"
    )
    assert done.returncode == 0, done.stderr + done.stdout
    assert f"installed piper:{LESSAC}" in done.stdout and "installed kokoro:af_heart" in done.stdout

    listed = rows(castwright(tmp_path, catalogue, "voices", "-l", "en").stdout)
    for alias, provider in (("harper", "kokoro"), ("leslie", "piper")):
        assert listed[alias]["provider"] == provider
        assert (listed[alias]["quality"], listed[alias]["installed"]) == ("neural", "yes")
    assert listed["bella"]["installed"] == "no"  # another Kokoro voice, not installed
    assert listed["isaac"]["quality"] == "robotic"

    said = castwright(tmp_path, catalogue, "say", "Hello there.", "-o", "hello.wav")
    assert said.returncode == 0, said.stderr
    info = analyse_wav((tmp_path / "hello.wav").read_bytes())
    assert info.sample_rate == 24000  # the default is now the installed Kokoro voice
    assert info.duration > 0.3

    removed = castwright(tmp_path, catalogue, "voices", "remove", "kokoro:af_heart")
    assert removed.returncode == 0 and "removed kokoro:af_heart" in removed.stdout
    again = castwright(tmp_path, catalogue, "voices", "remove", "kokoro:af_heart")
    assert again.returncode == 2 and "not installed" in again.stderr


def test_unknown_voices_and_imports(tmp_path: Path, catalogue: CatalogueServer) -> None:
    unknown = castwright(tmp_path, catalogue, "voices", "install", "piper:en_US-lessac-mediun")
    assert unknown.returncode == 2
    assert "piper has no voice 'en_US-lessac-mediun'" in unknown.stderr
    assert "did you mean en_US-lessac-medium" in unknown.stderr

    by_hand = write_piper_voice(tmp_path / "by-hand", "en_GB-alan-medium", "alan", "en_GB")
    imported = castwright(tmp_path, catalogue, "voices", "import", str(by_hand))
    assert imported.returncode == 0, imported.stderr
    assert "piper:en_GB-alan-medium" in imported.stdout
    listed = rows(castwright(tmp_path, catalogue, "voices", "--installed", "-p", "piper").stdout)
    assert listed["alan"]["installed"] == "yes" and listed["alan"]["language"] == "en-GB"

    available = castwright(tmp_path, catalogue, "voices", "available", "kokoro")
    assert rows(available.stdout).keys() == {"kokoro:af_heart", "kokoro:bm_george"}
