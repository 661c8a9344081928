"""jobs/: the runner's retry and failure rules, idempotence, enqueue-after-commit, and the
inline queue, on a real SQLite database with an in-process Runtime."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from castwright.audio.wav import decode_wav
from castwright.auth.service import create_key
from castwright.config import JobSettings, Settings, SpeechSettings, VoiceAlias
from castwright.db.migrate import upgrade
from castwright.errors import Invalid
from castwright.jobs import registry
from castwright.jobs.base import JobQueue
from castwright.jobs.inline import InlineJobQueue
from castwright.jobs.registry import job_handler
from castwright.jobs.runner import run_job
from castwright.jobs.submit import submit_job
from castwright.models.api_key import ApiKey
from castwright.models.job import Job, JobStatus
from castwright.models.speech import Speech, SpeechStatus
from castwright.runtime import Runtime, build_runtime
from castwright.scripts.service import ScriptFields, ScriptService
from castwright.speeches.planning import TtsOptions
from castwright.speeches.service import RENDER_JOB, SpeechService

HUM = VoiceAlias(alias="hum", engine="fake", voice_id="fake")


def make_settings(data_dir: Path, *aliases: VoiceAlias, max_attempts: int = 3) -> Settings:
    return Settings(
        data_dir=data_dir,
        database_url="",
        secret_key="unit-test-secret",
        speech=SpeechSettings(engines=["fake"], default_voice="hum", voice_aliases=[HUM, *aliases]),
        # No backoff: the retry rules are under test here, not the waiting.
        jobs=JobSettings(max_attempts=max_attempts, workers=1, retry_backoff_seconds=0),
    )


@pytest.fixture
def runtime(tmp_path: Path) -> Runtime:
    settings = make_settings(tmp_path / "data")
    upgrade(settings)
    return build_runtime(settings, with_queue=False)


class Calls:
    """What the test handlers saw, in this process."""

    def __init__(self) -> None:
        self.handled: list[str] = []
        self.failed: list[tuple[str, str]] = []


@pytest.fixture
def calls() -> Calls:
    return Calls()


@pytest.fixture
def register(calls: Calls) -> Iterator[Callable[..., str]]:
    """Register a handler under a fresh kind, through the public decorator; removed afterwards."""
    kinds: list[str] = []

    def add(behaviour: Callable[[Session, str, int], None]) -> str:
        kind = f"test.{uuid.uuid4().hex[:8]}"
        kinds.append(kind)

        def on_failure(runtime: Runtime, session: Session, target_id: str, reason: str) -> None:
            calls.failed.append((target_id, reason))
            create_key(session, name=f"failure-of-{target_id}")  # committed by the runner

        @job_handler(kind, on_failure=on_failure)
        def handler(runtime: Runtime, session: Session, target_id: str) -> None:
            calls.handled.append(target_id)
            behaviour(session, target_id, len(calls.handled))

        return kind

    yield add
    for kind in kinds:
        registry._HANDLERS.pop(kind, None)


def new_job(runtime: Runtime, kind: str, status: str = JobStatus.QUEUED, attempts: int = 0) -> str:
    with runtime.db.session() as session:
        job = Job(kind=kind, target_id=str(uuid.uuid4()), status=status, attempts=attempts)
        session.add(job)
        session.flush()
        return job.id


def job_row(runtime: Runtime, job_id: str) -> Job:
    with runtime.db.session() as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def key_names(runtime: Runtime) -> set[str]:
    with runtime.db.session() as session:
        return set(session.scalars(select(ApiKey.name)))


# -- the runner ---------------------------------------------------------------------------------


def test_success_is_done_and_commits_the_work(
    runtime: Runtime, register: Callable[..., str], calls: Calls
) -> None:
    kind = register(lambda session, target, n: create_key(session, name=f"work-{target}"))
    job_id = new_job(runtime, kind)
    assert run_job(runtime, job_id) == JobStatus.DONE
    job = job_row(runtime, job_id)
    assert (job.status, job.attempts, job.error) == (JobStatus.DONE, 1, None)
    assert job.started_at is not None and job.finished_at is not None
    assert f"work-{job.target_id}" in key_names(runtime)
    assert calls.failed == []


def test_castwright_error_fails_permanently_and_calls_on_failure(
    runtime: Runtime, register: Callable[..., str], calls: Calls
) -> None:
    def behaviour(session: Session, target: str, n: int) -> None:
        create_key(session, name=f"half-done-{target}")
        raise Invalid("unknown voice 'x'", field="voice")

    job_id = new_job(runtime, register(behaviour))
    assert run_job(runtime, job_id) == JobStatus.FAILED
    job = job_row(runtime, job_id)
    assert (job.status, job.attempts) == (JobStatus.FAILED, 1)  # no retry: it would fail again
    assert job.error == "voice: unknown voice 'x'"
    assert job.finished_at is not None
    assert calls.handled == [job.target_id]
    assert calls.failed == [(job.target_id, "voice: unknown voice 'x'")]
    names = key_names(runtime)
    assert f"half-done-{job.target_id}" not in names  # the failed attempt was rolled back
    assert f"failure-of-{job.target_id}" in names  # on_failure's writes were committed


def test_other_errors_are_retried_up_to_max_attempts(
    runtime: Runtime, register: Callable[..., str], calls: Calls
) -> None:
    def behaviour(session: Session, target: str, n: int) -> None:
        raise RuntimeError(f"engine crashed on attempt {n}")

    job_id = new_job(runtime, register(behaviour))
    assert runtime.settings.jobs.max_attempts == 3
    assert run_job(runtime, job_id) == JobStatus.DEAD
    job = job_row(runtime, job_id)
    assert (job.status, job.attempts) == (JobStatus.DEAD, 3)  # dead-lettered, with the reason
    assert len(calls.handled) == 3
    assert len(calls.failed) == 1  # once, when giving up
    assert "engine crashed on attempt 3" in calls.failed[0][1]
    assert calls.failed[0][1].startswith("gave up after 3 attempts: ")
    assert job.error is not None and "RuntimeError" in job.error


def test_a_transient_error_then_success(
    runtime: Runtime, register: Callable[..., str], calls: Calls
) -> None:
    def behaviour(session: Session, target: str, n: int) -> None:
        if n < 3:
            raise ConnectionError("database went away")

    job_id = new_job(runtime, register(behaviour))
    assert run_job(runtime, job_id) == JobStatus.DONE
    job = job_row(runtime, job_id)
    assert (job.status, job.attempts, job.error) == (JobStatus.DONE, 3, None)
    assert calls.failed == []


def test_max_attempts_of_one_means_no_retry(tmp_path: Path, calls: Calls) -> None:
    settings = make_settings(tmp_path / "data", max_attempts=1)
    upgrade(settings)
    runtime = build_runtime(settings, with_queue=False)
    kind = f"test.{uuid.uuid4().hex[:8]}"

    @job_handler(kind)
    def always_fails(runtime: Runtime, session: Session, target_id: str) -> None:
        calls.handled.append(target_id)
        raise OSError("disk full")

    try:
        job_id = new_job(runtime, kind)
        assert run_job(runtime, job_id) == JobStatus.DEAD
        assert len(calls.handled) == 1
        assert job_row(runtime, job_id).attempts == 1
    finally:
        registry._HANDLERS.pop(kind, None)


def test_finished_jobs_are_not_run_again(
    runtime: Runtime, register: Callable[..., str], calls: Calls
) -> None:
    kind = register(lambda session, target, n: None)
    done = new_job(runtime, kind, JobStatus.DONE, attempts=1)
    failed = new_job(runtime, kind, JobStatus.FAILED, attempts=3)
    assert run_job(runtime, done) == JobStatus.DONE
    assert run_job(runtime, failed) == JobStatus.FAILED
    assert calls.handled == []
    assert job_row(runtime, done).attempts == 1
    assert job_row(runtime, failed).attempts == 3

    fresh = new_job(runtime, kind)
    assert run_job(runtime, fresh) == JobStatus.DONE
    assert run_job(runtime, fresh) == JobStatus.DONE  # a duplicate delivery does nothing
    assert len(calls.handled) == 1


def test_a_job_left_running_by_a_crash_runs_again(
    runtime: Runtime, register: Callable[..., str], calls: Calls
) -> None:
    job_id = new_job(runtime, register(lambda session, target, n: None), JobStatus.RUNNING, 1)
    assert run_job(runtime, job_id) == JobStatus.DONE
    assert job_row(runtime, job_id).attempts == 2
    assert len(calls.handled) == 1


def test_missing_job(runtime: Runtime) -> None:
    assert run_job(runtime, str(uuid.uuid4())) == "missing"


# -- enqueue after commit -----------------------------------------------------------------------


class RecordingQueue:
    """A JobQueue that records what it is given and whether the row was committed by then."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.enqueued: list[tuple[str, bool]] = []

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def enqueue(self, job_id: str, kind: str) -> None:
        with self.runtime.db.session() as other:  # another connection sees only committed rows
            self.enqueued.append((job_id, other.get(Job, job_id) is not None))

    async def wait(self, job_id: str, timeout: float) -> bool:
        return True

    def check(self) -> str:
        return "recording"


def test_jobs_are_enqueued_only_after_commit(runtime: Runtime) -> None:
    queue = RecordingQueue(runtime)
    assert isinstance(queue, JobQueue)
    runtime.queue = queue
    with runtime.unit_of_work() as session:
        first = submit_job(session, "speech.render", str(uuid.uuid4())).id
        second = submit_job(session, "speech.render", str(uuid.uuid4())).id
        assert queue.enqueued == []  # nothing before the commit
    assert queue.enqueued == [(first, True), (second, True)]

    with pytest.raises(RuntimeError), runtime.unit_of_work() as session:
        doomed = submit_job(session, "speech.render", str(uuid.uuid4())).id
        raise RuntimeError("request failed after submitting")
    assert doomed not in [job_id for job_id, _ in queue.enqueued]  # dropped with the rollback
    with runtime.db.session() as session:
        assert session.get(Job, doomed) is None


# -- the real speech render job, on the fake engine ---------------------------------------------


def create_speech(
    runtime: Runtime, text: str, voice: str | None = None, use_cache: bool = True, **options: Any
) -> str:
    with runtime.unit_of_work() as session:
        script, _ = ScriptService(session, "org-1").create(text, ScriptFields())
        speech = SpeechService(runtime, session, "org-1").create(
            script.id, None, TtsOptions(voice=voice, **options), use_cache=use_cache
        )
        assert speech.job_id is not None
        return speech.job_id


def speech_for(runtime: Runtime, job_id: str) -> Speech:
    with runtime.db.session() as session:
        speech = session.scalars(select(Speech).where(Speech.job_id == job_id)).one()
        session.expunge(speech)
        return speech


SCRIPT = (
    "<as:section name='intro'>Hello <as:placeholder id='name'>friend</as:placeholder>!"
    "</as:section><as:section name='main'>The shop opens at nine.</as:section>"
)


def test_render_job_stores_one_wav_per_section_and_is_idempotent(runtime: Runtime) -> None:
    job_id = create_speech(runtime, SCRIPT, audience={"name": ["Ada", "Bob"]})
    assert speech_for(runtime, job_id).status == SpeechStatus.QUEUED
    assert run_job(runtime, job_id) == JobStatus.DONE
    speech = speech_for(runtime, job_id)
    assert speech.status == SpeechStatus.COMPLETED and speech.finished_at is not None
    assert [s["sectionName"] for s in speech.sections] == ["intro", "intro", "main"]
    assert [s["audience"] for s in speech.sections] == [{"name": "Ada"}, {"name": "Bob"}, {}]
    for section in speech.sections:
        assert section["blobKey"].startswith(f"orgs/org-1/speeches/{speech.id}/")
        audio = decode_wav(runtime.blobs.read_bytes(section["blobKey"]))
        assert audio.sample_rate == 22050
        assert audio.duration == pytest.approx(section["duration"], abs=0.002)
        assert section["voice"] == "hum"

    # Delivered twice (a restart re-enqueues it): the finished speech is left alone.
    with runtime.db.session() as session:
        job = session.get(Job, job_id)
        assert job is not None
        job.status = JobStatus.QUEUED
    assert run_job(runtime, job_id) == JobStatus.DONE
    again = speech_for(runtime, job_id)
    assert [s["sectionId"] for s in again.sections] == [s["sectionId"] for s in speech.sections]


def test_render_job_reuses_cached_audio_unless_told_not_to(runtime: Runtime) -> None:
    first = create_speech(runtime, SCRIPT, speed=1.5)
    run_job(runtime, first)
    cached_key = speech_for(runtime, first).sections[1]["blobKey"]
    real_wav = runtime.blobs.read_bytes(cached_key)
    runtime.blobs.put_bytes(cached_key, b"marker: served from the render cache")

    # Another script with the same section audio: the cached file is copied, not re-rendered.
    second = create_speech(runtime, SCRIPT + " ", speed=1.5)
    run_job(runtime, second)
    copied = speech_for(runtime, second).sections[1]
    assert copied["blobKey"] != cached_key  # each speech owns its files
    assert runtime.blobs.read_bytes(copied["blobKey"]) == b"marker: served from the render cache"

    # useCache false renders afresh (and the deterministic fake engine gives the same audio).
    third = create_speech(runtime, SCRIPT + "  ", use_cache=False, speed=1.5)
    run_job(runtime, third)
    fresh = speech_for(runtime, third).sections[1]
    assert runtime.blobs.read_bytes(fresh["blobKey"]) == real_wav


def test_render_job_failing_permanently_marks_the_speech_failed(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    temp = VoiceAlias(alias="temp", engine="fake", voice_id="fake", variant="t")
    with_alias = make_settings(data_dir, temp)
    upgrade(with_alias)
    job_id = create_speech(build_runtime(with_alias, with_queue=False), SCRIPT, voice="temp")

    # The operator removes the alias before the job runs: the render cannot succeed, ever.
    without = build_runtime(make_settings(data_dir), with_queue=False)
    assert run_job(without, job_id) == JobStatus.FAILED
    job = job_row(without, job_id)
    assert job.attempts == 1
    speech = speech_for(without, job_id)
    assert speech.status == SpeechStatus.FAILED
    assert speech.error is not None and "'temp'" in speech.error
    assert speech.finished_at is not None


# -- the inline queue, with a real worker process -----------------------------------------------


def test_inline_queue_runs_jobs_and_resumes_unfinished_ones(runtime: Runtime) -> None:
    left_running = create_speech(runtime, "Left running by a crash.")
    with runtime.db.session() as session:
        job = session.get(Job, left_running)
        assert job is not None
        job.status, job.attempts = JobStatus.RUNNING, 1

    queue = InlineJobQueue(runtime.settings)
    runtime.queue = queue
    queue.start()  # resubmits the job a crash left running
    try:
        fresh = create_speech(runtime, "Submitted after start.")  # enqueued after commit
        for job_id in (left_running, fresh):
            assert asyncio.run(queue.wait(job_id, 120))
            assert job_row(runtime, job_id).status == JobStatus.DONE
            assert speech_for(runtime, job_id).status == SpeechStatus.COMPLETED
        assert job_row(runtime, left_running).attempts == 2
    finally:
        queue.stop()
    assert RENDER_JOB in registry.registered_kinds()
