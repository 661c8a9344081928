"""Nothing accepted is lost: queued jobs survive a crash (SIGKILL) and a Ctrl-C.

Each test runs its own server with one worker, queues several renders of a long-ish script
with ``sync: false`` (so they are still queued), stops the server the hard or the gentle way,
starts a new server on the same data directory and database, and checks every job finishes
with real audio. The new server listens on another port, so speeches are fetched through its
API: the signed URLs it hands out carry its own public URL.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from castwright.models.job import Job, JobStatus
from castwright.models.speech import Speech, SpeechStatus
from castwright.runtime import database_for
from support.audio import analyse_wav
from support.databases import postgres_available, postgres_schema_url
from support.live_server import LiveServer

pytestmark = pytest.mark.e2e

# About 70 seconds of speech at speed 1: long enough that, with one worker, most of the jobs
# are still waiting when the server goes down.
LONG_SCRIPT = " ".join(
    f"Paragraph {n}: the ferry to the {place} island leaves the harbour at dawn, "
    f"and the crew checks the ropes twice."
    for n, place in enumerate(
        ["north", "south", "east", "west", "green", "quiet", "windy", "far", "old", "new"] * 2,
        start=1,
    )
)
SPEEDS = (1.0, 1.25, 1.5, 2.0)  # distinct requests: identical ones would be deduplicated
FINISH_WITHIN = 180.0  # seconds; a ceiling for a stuck job, not a performance assertion


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "sqlite":
        yield ""
        return
    reason = postgres_available()
    if reason:
        pytest.skip(reason)
    with postgres_schema_url() as url:
        yield url


def queue_renders(server: LiveServer, key: str) -> list[str]:
    headers = {"x-api-key": key}
    with httpx.Client(base_url=server.url, headers=headers, timeout=30) as http:
        created = http.post("/content/script", json={"scriptText": LONG_SCRIPT})
        assert created.status_code == 200, created.text
        script_id = created.json()["data"]["scriptId"]
        ids = []
        for speed in SPEEDS:
            answer = http.post(
                "/speech/tts",
                json={"scriptId": script_id, "voice": "isaac", "speed": speed, "sync": False},
            )
            assert answer.status_code == 202, answer.text
            assert answer.json()["data"]["status"] == SpeechStatus.QUEUED
            ids.append(answer.json()["data"]["speechId"])
    return ids


def job_states(server: LiveServer, speech_ids: list[str]) -> dict[str, tuple[str, str]]:
    """speechId -> (job status, speech status), read straight from the database."""
    with database_for(server.settings).session() as session:
        speeches = session.scalars(select(Speech).where(Speech.id.in_(speech_ids))).all()
        jobs = {j.id: j for j in session.scalars(select(Job).where(Job.target_id.in_(speech_ids)))}
        return {s.id: (jobs[str(s.job_id)].status, s.status) for s in speeches}


def wait_for_speech(http: httpx.Client, speech_id: str) -> httpx.Response:
    deadline = time.monotonic() + FINISH_WITHIN
    while True:
        answer = http.get(f"/speech/tts/{speech_id}")
        if answer.status_code != 202 or time.monotonic() > deadline:
            return answer
        time.sleep(0.1)


def assert_all_complete(server: LiveServer, key: str, speech_ids: list[str]) -> None:
    """Every speech answers 200 through this server, with audio whose length fits its speed."""
    durations = {}
    with httpx.Client(base_url=server.url, headers={"x-api-key": key}, timeout=60) as http:
        for speech_id, speed in zip(speech_ids, SPEEDS, strict=True):
            answer = wait_for_speech(http, speech_id)
            assert answer.status_code == 200, f"{speech_id}: {answer.text}\n{server.log()}"
            speech = answer.json()["data"]
            assert speech["status"] == SpeechStatus.COMPLETED
            (section,) = speech["sections"]
            assert section["url"].startswith(server.url + "/assets/")
            audio = httpx.get(section["url"], timeout=60)  # signed: no key needed
            assert audio.status_code == 200
            info = analyse_wav(audio.content)
            assert info.sample_rate == 22050  # espeak-ng delivers at its own rate
            assert info.rms_dbfs > -35.0
            assert info.peak <= 1.0
            assert info.duration == pytest.approx(section["duration"], abs=0.01)
            durations[speed] = info.duration
    assert durations[1.0] > 30.0  # the whole long script, not a fragment
    for speed, duration in durations.items():
        assert abs(duration * speed / durations[1.0] - 1.0) <= 0.2, durations
    states = job_states(server, speech_ids)
    assert set(states.values()) == {(JobStatus.DONE, SpeechStatus.COMPLETED)}


def test_queued_jobs_survive_sigkill(tmp_path: Path, database_url: str) -> None:
    data_dir = tmp_path / "data"
    first = LiveServer(data_dir, database_url, workers=1)
    key = first.create_key()
    first.start()
    try:
        speech_ids = queue_renders(first, key)
    finally:
        first.kill()  # the server and its worker, with no chance to clean up

    unfinished = [
        sid for sid, (job, _) in job_states(first, speech_ids).items() if job != JobStatus.DONE
    ]
    assert unfinished, "every job finished before the crash: the test proved nothing"

    second = LiveServer(data_dir, database_url, workers=1).start()
    try:
        assert second.port != first.port
        assert_all_complete(second, key, speech_ids)
        assert "resuming" in second.log()
    finally:
        assert second.stop() == 0


def test_ctrl_c_stops_cleanly_and_keeps_queued_jobs(tmp_path: Path, database_url: str) -> None:
    data_dir = tmp_path / "data"
    first = LiveServer(data_dir, database_url, workers=1)
    key = first.create_key()
    first.start()
    try:
        speech_ids = queue_renders(first, key)
        exit_code = first.stop(timeout=60)  # SIGINT to the process group, as a terminal sends
    finally:
        first.kill()
    log = first.log()
    assert exit_code == 0, log
    assert "Traceback" not in log, log
    assert "worker pool broke" not in log, log

    # A running job finishes; queued ones stay queued. Nothing is half-done or failed.
    states = job_states(first, speech_ids)
    assert set(states.values()) <= {
        (JobStatus.DONE, SpeechStatus.COMPLETED),
        (JobStatus.QUEUED, SpeechStatus.QUEUED),
    }, states
    assert (JobStatus.QUEUED, SpeechStatus.QUEUED) in states.values()

    second = LiveServer(data_dir, database_url, workers=1).start()
    try:
        assert_all_complete(second, key, speech_ids)
    finally:
        assert second.stop() == 0
