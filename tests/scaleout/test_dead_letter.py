"""A job that keeps failing for a transient reason is dead-lettered: the API shows why, the
operator lists it and sends it round again."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from castwright.app import create_app
from castwright.auth.service import create_key
from castwright.cli.main import app as cli
from castwright.config import JobSettings, Settings
from castwright.db.migrate import upgrade
from castwright.jobs.runner import run_job
from castwright.models.job import JobStatus
from castwright.runtime import build_runtime
from castwright.scripts.service import ScriptFields, ScriptService
from castwright.speeches import tasks as speech_tasks
from castwright.speeches.planning import TtsOptions
from castwright.speeches.service import SpeechService


def test_a_dead_lettered_render_is_visible_listed_and_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in list(os.environ):
        if name.startswith("CASTWRIGHT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    data_dir = tmp_path / "data"
    monkeypatch.setenv("CASTWRIGHT_DATA_DIR", str(data_dir))
    settings = Settings(data_dir=data_dir, jobs=JobSettings(retry_backoff_seconds=0))
    upgrade(settings)
    runtime = build_runtime(settings, with_queue=False)
    with runtime.db.session() as session:
        key, secret = create_key(session, name="dead-letter")
        org = key.org_id
    with runtime.unit_of_work() as session:
        script, _ = ScriptService(session, org).create(
            "The storage is unreachable.", ScriptFields()
        )
        speech = SpeechService(runtime, session, org).create(script.id, None, TtsOptions())
        speech_id, job_id = speech.id, speech.job_id
    assert job_id is not None

    def unreachable(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("object store unreachable")

    # The outside world failing: every attempt meets the same transient fault.
    monkeypatch.setattr(speech_tasks, "render_section_wav", unreachable)
    assert run_job(runtime, job_id) == JobStatus.DEAD

    api = TestClient(create_app(settings, runtime))
    failed = api.get(f"/speech/tts/{speech_id}", headers={"x-api-key": secret})
    assert failed.status_code == 422
    reason = "gave up after 3 attempts: ConnectionError('object store unreachable')"
    assert failed.json()["errors"] == [reason]

    listed = CliRunner().invoke(cli, ["jobs", "list", "--status", "dead"])
    assert listed.exit_code == 0, listed.output
    [line] = [row for row in listed.output.splitlines() if row.startswith(job_id)]
    assert line.split("\t")[1:4] == ["speech.render", "dead", "3"] and reason in line

    assert CliRunner().invoke(cli, ["jobs", "retry", job_id]).exit_code == 0
    refused = CliRunner().invoke(cli, ["jobs", "retry", job_id])  # queued now, not dead
    assert refused.exit_code == 1 and "only dead or failed jobs" in refused.output

    monkeypatch.undo()  # the store is back
    assert run_job(runtime, job_id) == JobStatus.DONE
    done = api.get(f"/speech/tts/{speech_id}", headers={"x-api-key": secret})
    assert done.status_code == 200
    [section] = done.json()["data"]["sections"]
    assert section["duration"] > 1.0
