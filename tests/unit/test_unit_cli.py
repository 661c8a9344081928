"""The `castwright` command, run as a person would: a subprocess with its own data directory."""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Protocol

import pytest

from castwright.auth.service import verify_key
from castwright.config import Settings
from castwright.errors import Forbidden
from castwright.runtime import database_for
from castwright.voices.local import local_catalogue, local_engines
from support.audio import WavInfo, analyse_wav

PARAGRAPH = (
    "Castwright renders scripts on your own machine. It reads numbers like 9:30 and $5.99 the "
    "way a person would, and it never sends your text anywhere else. Long text is split at "
    "sentence boundaries and joined again without seams."
)


class Runner(Protocol):
    def __call__(
        self, *args: str, stdin: str | None = None, ok: bool = True
    ) -> subprocess.CompletedProcess[str]: ...


def castwright_command() -> list[str]:
    script = Path(sys.executable).with_name("castwright")  # the installed console script
    return [str(script)] if script.exists() else [sys.executable, "-m", "castwright.cli.main"]


@pytest.fixture
def run(tmp_path: Path) -> Runner:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASTWRIGHT_")}
    env.update(CASTWRIGHT_DATA_DIR=str(tmp_path / "data"), COLUMNS="200", NO_COLOR="1")

    def run(
        *args: str, stdin: str | None = None, ok: bool = True
    ) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [*castwright_command(), *args],
            cwd=tmp_path,  # no stray .env is picked up
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if ok:
            assert done.returncode == 0, f"{args}: {done.returncode}\n{done.stdout}\n{done.stderr}"
        return done

    return run


def table_rows(output: str) -> list[list[str]]:
    """Rows of a listing; piped output is tab-separated with a header line."""
    lines = [line.split("\t") for line in output.splitlines() if "\t" in line]
    return lines[1:]


@functools.cache
def native_rate(voice: str = "") -> int:
    """The sample rate a voice speaks at here ("": the default voice, the most natural one
    installed: Festival's 32 kHz where installed, espeak-ng's 22.05 kHz otherwise)."""
    settings = Settings()
    engines = local_engines(settings)
    chosen = local_catalogue(settings, engines).resolve(voice or None)
    engine = engines.get(chosen.engine)
    return engine.synthesize("Hi.", chosen.engine_voice_id, chosen.params()).sample_rate


def assert_speech(info: WavInfo, text: str, voice: str = "") -> None:
    assert (info.sample_rate, info.channels) == (native_rate(voice), 1)
    assert info.rms_dbfs > -35.0
    assert info.peak <= 1.0
    # Between 5 and 30 characters a second: a sensible speaking rate for the text given.
    assert len(text) / 30 < info.duration < len(text) / 5, info.duration


# -- say ----------------------------------------------------------------------------------------


def test_say_from_an_argument(run: Runner, tmp_path: Path) -> None:
    done = run("say", "Hello there, world.", "-v", "joanna", "-o", "hello.wav")
    info = analyse_wav((tmp_path / "hello.wav").read_bytes())
    assert_speech(info, "Hello there, world.", "joanna")
    assert info.sample_rate == 22050  # joanna is an espeak-ng voice
    assert "wrote hello.wav" in done.stderr + done.stdout


def test_say_from_a_file_and_faster(run: Runner, tmp_path: Path) -> None:
    (tmp_path / "script.txt").write_text(PARAGRAPH, encoding="utf-8")
    run("say", "--file", "script.txt", "-o", "normal.wav")
    run("say", "-f", "script.txt", "--speed", "2", "-o", "fast.wav")
    normal = analyse_wav((tmp_path / "normal.wav").read_bytes())
    fast = analyse_wav((tmp_path / "fast.wav").read_bytes())
    assert_speech(normal, PARAGRAPH)
    assert abs(fast.duration / (normal.duration / 2) - 1) <= 0.2


def test_say_from_stdin(run: Runner, tmp_path: Path) -> None:
    run("say", "-o", "piped.wav", stdin=PARAGRAPH)
    run("say", "-", "-o", "dash.wav", stdin="Just a few words.")
    assert_speech(analyse_wav((tmp_path / "piped.wav").read_bytes()), PARAGRAPH)
    assert_speech(analyse_wav((tmp_path / "dash.wav").read_bytes()), "Just a few words.")


def test_say_with_markup_sections_renders_them_all(run: Runner, tmp_path: Path) -> None:
    script = (
        "<as:section name='a'>First section here.</as:section>"
        "<as:break time='1s'/><as:section name='b'>Second section here.</as:section>"
    )
    run("say", script, "-o", "sections.wav")
    run("say", "First section here.", "-o", "first.wav")
    both = analyse_wav((tmp_path / "sections.wav").read_bytes())
    first = analyse_wav((tmp_path / "first.wav").read_bytes())
    assert both.duration > first.duration * 1.6


def test_say_with_an_unknown_voice_fails_clearly(run: Runner, tmp_path: Path) -> None:
    done = run("say", "Hello.", "-v", "nobody-at-all", "-o", "x.wav", ok=False)
    assert done.returncode == 2
    assert "nobody-at-all" in done.stderr + done.stdout
    assert not (tmp_path / "x.wav").exists()


# -- voices -------------------------------------------------------------------------------------


def test_voices_filtered_by_language_and_gender(run: Runner) -> None:
    done = run("voices", "-l", "en", "-g", "female")
    rows = table_rows(done.stdout)
    assert rows
    header = ["alias", "name", "gender", "age", "language", "accent", "provider", "quality"]
    header.append("installed")
    for row in rows:
        record = dict(zip(header, row, strict=True))
        assert record["gender"] == "female", row
        assert record["language"].lower().startswith("en"), row
    aliases = {row[0] for row in rows}
    assert {"joanna", "sara", "nora"} <= aliases
    assert not {"isaac", "oliver"} & aliases


def test_voices_filtered_by_provider_and_language(run: Runner) -> None:
    rows = table_rows(run("voices", "-l", "de", "-p", "espeak-ng").stdout)
    assert rows
    assert all(row[4].lower().startswith("de") and row[6] == "espeak-ng" for row in rows)


# -- keys ---------------------------------------------------------------------------------------


def created_key(output: str) -> tuple[str, str]:
    match = re.search(r"id (\S+)\s+(cw_\S+)", output)
    assert match, output
    return match.group(1), match.group(2)


def test_keys_create_list_revoke(run: Runner, tmp_path: Path) -> None:
    laptop_id, laptop_secret = created_key(run("keys", "create", "-n", "laptop").stdout)
    server_id, server_secret = created_key(run("keys", "create", "--name", "server").stdout)
    assert laptop_secret != server_secret

    listed = run("keys", "list").stdout
    rows = {row[0]: row for row in table_rows(listed)}
    assert set(rows) == {laptop_id, server_id}
    assert rows[laptop_id][1] == laptop_secret[:9] + "…"
    assert (rows[laptop_id][2], rows[server_id][2]) == ("laptop", "server")
    assert rows[laptop_id][5] == rows[server_id][5] == "-"
    for secret in (laptop_secret, server_secret):  # never shown again, not even in part
        assert secret not in listed
        assert secret[9:20] not in listed

    revoked = run("keys", "revoke", laptop_id).stdout
    assert f"revoked {laptop_id}" in revoked
    rows = {row[0]: row for row in table_rows(run("keys", "list").stdout)}
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d", rows[laptop_id][5])
    assert rows[server_id][5] == "-"

    settings = Settings(data_dir=tmp_path / "data", database_url="")
    with database_for(settings).session() as session:
        assert verify_key(session, server_secret).key_id == server_id
        with pytest.raises(Forbidden, match="revoked"):
            verify_key(session, laptop_secret)

    missing = run("keys", "revoke", "no-such-key", ok=False)
    assert missing.returncode == 1
    assert "no-such-key" in missing.stdout + missing.stderr
