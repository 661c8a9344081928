"""The runner's claim under several workers (duplicates, silent workers, heartbeats, poison
jobs, retries with backoff) and the sweep, on a real SQLite and PostgreSQL database.

A second "worker" is the same runner called with another worker name, from inside the first
one's handler: exactly the interleaving a redelivered message produces, made deterministic.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from castwright.auth.service import create_key
from castwright.config import JobSettings, Settings
from castwright.db.base import utcnow
from castwright.db.migrate import upgrade
from castwright.jobs import registry
from castwright.jobs.registry import job_handler
from castwright.jobs.runner import BUSY, RETRY, SUPERSEDED, run_job_once
from castwright.jobs.sweep import sweep_once
from castwright.models.api_key import ApiKey
from castwright.models.job import Job, JobStatus
from castwright.runtime import Runtime, build_runtime
from support.databases import postgres_available, postgres_schema_url

HOUR_AGO = timedelta(hours=1)


@pytest.fixture(params=["sqlite", "postgresql"])
def runtime(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Runtime]:
    with ExitStack() as stack:
        url = ""
        if request.param == "postgresql":
            if reason := postgres_available():
                pytest.skip(reason)
            url = stack.enter_context(postgres_schema_url())
        settings = Settings(
            _env_file=None,
            data_dir=tmp_path / "data",
            database_url=url,
            secret_key="claims-test",
            jobs=JobSettings(
                max_attempts=3,
                retry_backoff_seconds=2.0,
                retry_backoff_max_seconds=300.0,
                heartbeat_seconds=0.2,
                stale_after_seconds=5.0,
                requeue_after_seconds=60.0,
            ),
        )
        upgrade(settings)
        runtime = build_runtime(settings, with_queue=False)
        yield runtime
        runtime.db.dispose()


Behaviour = Callable[[Runtime, Session, str, int], None]


@pytest.fixture
def register() -> Iterator[Callable[..., tuple[str, list[str], list[str]]]]:
    """A handler under a fresh kind: (kind, targets handled, failure reasons recorded)."""
    kinds: list[str] = []

    def add(behaviour: Behaviour) -> tuple[str, list[str], list[str]]:
        kind = f"test.{uuid.uuid4().hex[:8]}"
        handled: list[str] = []
        failures: list[str] = []

        def on_failure(runtime: Runtime, session: Session, target: str, reason: str) -> None:
            failures.append(reason)

        @job_handler(kind, on_failure=on_failure)
        def handler(runtime: Runtime, session: Session, target_id: str) -> None:
            handled.append(target_id)
            behaviour(runtime, session, target_id, len(handled))

        kinds.append(kind)
        return kind, handled, failures

    yield add
    for kind in kinds:
        registry._HANDLERS.pop(kind, None)


def new_job(runtime: Runtime, kind: str, **columns: object) -> str:
    # An explicit None would let the column default fire: NULLs are written afterwards.
    nulls = {name: None for name, value in columns.items() if value is None}
    with runtime.db.session() as session:
        values = {k: v for k, v in columns.items() if v is not None}
        job = Job(kind=kind, target_id=str(uuid.uuid4()), **values)
        session.add(job)
        session.flush()
        job_id = job.id
    if nulls:
        set_columns(runtime, job_id, **nulls)
    return job_id


def row(runtime: Runtime, job_id: str) -> Job:
    with runtime.db.session() as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def set_columns(runtime: Runtime, job_id: str, **values: object) -> None:
    with runtime.db.session() as session:
        session.execute(update(Job).where(Job.id == job_id).values(**values))


def key_names(runtime: Runtime) -> set[str]:
    with runtime.db.session() as session:
        return set(session.scalars(select(ApiKey.name)))


def test_a_duplicate_delivery_while_a_live_worker_runs_it_is_skipped(
    runtime: Runtime, register: Callable[..., tuple[str, list[str], list[str]]]
) -> None:
    outcomes: list[str] = []

    def behaviour(runtime: Runtime, session: Session, target: str, n: int) -> None:
        if n == 1:  # the broker hands the same job to a second worker meanwhile
            outcomes.append(run_job_once(runtime, job_id, worker="worker-b").status)

    kind, handled, _ = register(behaviour)
    job_id = new_job(runtime, kind)
    assert run_job_once(runtime, job_id, worker="worker-a").status == JobStatus.DONE
    assert outcomes == [BUSY]
    assert len(handled) == 1
    job = row(runtime, job_id)
    assert (job.status, job.attempts, job.worker) == (JobStatus.DONE, 1, "worker-a")
    # A late duplicate of a finished job changes nothing either.
    assert run_job_once(runtime, job_id, worker="worker-b").status == JobStatus.DONE
    assert len(handled) == 1


def test_a_silent_workers_job_is_taken_over_and_its_late_finish_discarded(
    runtime: Runtime, register: Callable[..., tuple[str, list[str], list[str]]]
) -> None:
    outcomes: list[str] = []

    def behaviour(runtime: Runtime, session: Session, target: str, n: int) -> None:
        if n == 1:
            # Worker A stalls long enough to look dead; worker B gets the job and finishes.
            old = utcnow() - HOUR_AGO
            set_columns(runtime, job_id, started_at=old, heartbeat_at=old)
            outcomes.append(run_job_once(runtime, job_id, worker="worker-b").status)
        create_key(session, name=f"run-{n}")  # the work each run does

    kind, handled, failures = register(behaviour)
    job_id = new_job(runtime, kind)
    assert run_job_once(runtime, job_id, worker="worker-a").status == SUPERSEDED
    assert outcomes == [JobStatus.DONE]
    job = row(runtime, job_id)
    assert (job.status, job.attempts, job.worker) == (JobStatus.DONE, 2, "worker-b")
    names = key_names(runtime)
    assert "run-2" in names  # B's work committed with its finish
    assert "run-1" not in names  # A's came too late and was rolled back
    assert len(handled) == 2 and failures == []


def test_the_heartbeat_keeps_a_long_job_claimed(
    runtime: Runtime, register: Callable[..., tuple[str, list[str], list[str]]]
) -> None:
    seen: list[str] = []

    def behaviour(runtime: Runtime, session: Session, target: str, n: int) -> None:
        started = row(runtime, job_id).started_at
        assert started is not None
        # Make the claim itself look old: only the heartbeat can keep the job this worker's.
        set_columns(runtime, job_id, started_at=started - HOUR_AGO, heartbeat_at=None)
        deadline = time.monotonic() + 60  # a guard, not a timing expectation
        while row(runtime, job_id).heartbeat_at is None:
            assert time.monotonic() < deadline, "no heartbeat was written"
            time.sleep(0.05)
        seen.append(run_job_once(runtime, job_id, worker="worker-b").status)

    kind, handled, _ = register(behaviour)
    job_id = new_job(runtime, kind)
    outcome = run_job_once(runtime, job_id, worker="worker-a", heartbeat=True)
    assert outcome.status == JobStatus.DONE
    assert seen == [BUSY]
    assert len(handled) == 1
    assert row(runtime, job_id).heartbeat_at is None  # cleared when it finished


def test_a_job_whose_worker_keeps_dying_is_dead_lettered(
    runtime: Runtime, register: Callable[..., tuple[str, list[str], list[str]]]
) -> None:
    kind, handled, failures = register(lambda runtime, session, target, n: None)
    old = utcnow() - HOUR_AGO
    job_id = new_job(
        runtime,
        kind,
        status=JobStatus.RUNNING,
        attempts=3,
        started_at=old,
        heartbeat_at=old,
        worker="worker-a",
    )
    assert run_job_once(runtime, job_id, worker="worker-b").status == JobStatus.DEAD
    assert handled == []
    job = row(runtime, job_id)
    assert job.status == JobStatus.DEAD and job.finished_at is not None
    assert job.error == failures[0]
    assert "gave up after 3 attempts" in failures[0] and "worker-a" in failures[0]


def test_transient_faults_are_retried_with_exponential_backoff_then_dead_lettered(
    runtime: Runtime, register: Callable[..., tuple[str, list[str], list[str]]]
) -> None:
    def behaviour(runtime: Runtime, session: Session, target: str, n: int) -> None:
        raise ConnectionError(f"database went away ({n})")

    kind, handled, failures = register(behaviour)
    job_id = new_job(runtime, kind)
    delays = []
    for _ in range(2):
        before = utcnow()
        outcome = run_job_once(runtime, job_id)
        assert outcome.status == RETRY
        delays.append(outcome.retry_in)
        job = row(runtime, job_id)
        assert job.status == JobStatus.QUEUED and "database went away" in (job.error or "")
        # Due again after the backoff: the sweep does not resend it before then.
        assert job.enqueued_at is not None and job.enqueued_at >= before + timedelta(
            seconds=outcome.retry_in
        )
    assert delays == [2.0, 4.0]
    assert run_job_once(runtime, job_id).status == JobStatus.DEAD
    job = row(runtime, job_id)
    assert job.attempts == 3 and len(handled) == 3
    assert failures == [job.error]
    assert job.error == "gave up after 3 attempts: ConnectionError('database went away (3)')"


# -- the sweep ----------------------------------------------------------------------------------


class Broker:
    """Records what the sweep publishes; can be made unreachable."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.down = False

    def publish(self, job_id: str, kind: str) -> None:
        if self.down:
            raise ConnectionError("broker unreachable")
        self.sent.append((job_id, kind))


def test_the_sweep_revives_silent_jobs_and_sends_lost_ones(runtime: Runtime) -> None:
    jobs = runtime.settings.jobs
    old = utcnow() - HOUR_AGO
    silent = new_job(runtime, "speech.render", status=JobStatus.RUNNING, attempts=1,
                     started_at=old, heartbeat_at=old)  # fmt: skip
    beating = new_job(runtime, "speech.render", status=JobStatus.RUNNING, attempts=1,
                      started_at=old, heartbeat_at=utcnow())  # fmt: skip
    never_sent = new_job(runtime, "file.probe", enqueued_at=None)
    sent_long_ago = new_job(runtime, "production.mix", enqueued_at=old)
    just_sent = new_job(runtime, "speech.render")
    finished = new_job(runtime, "speech.render", status=JobStatus.DONE, enqueued_at=None)

    broker = Broker()
    result = sweep_once(runtime.db, jobs, broker.publish)
    assert (result.revived, result.sent, result.unsent) == (1, 3, 0)
    assert sorted(broker.sent) == sorted(
        [(silent, "speech.render"), (never_sent, "file.probe"), (sent_long_ago, "production.mix")]
    )
    revived = row(runtime, silent)
    assert revived.status == JobStatus.QUEUED and revived.attempts == 1
    assert row(runtime, beating).status == JobStatus.RUNNING
    assert row(runtime, finished).status == JobStatus.DONE
    for job_id in (silent, never_sent, sent_long_ago):
        enqueued = row(runtime, job_id).enqueued_at
        assert enqueued is not None and enqueued > old

    # Just sent: nothing is due until requeue_after_seconds passes.
    assert sweep_once(runtime.db, jobs, broker.publish).sent == 0
    assert just_sent not in [job_id for job_id, _ in broker.sent]


def test_a_sweep_with_the_broker_down_keeps_the_jobs_for_the_next(runtime: Runtime) -> None:
    waiting = [new_job(runtime, "speech.render", enqueued_at=None) for _ in range(3)]
    broker = Broker()
    broker.down = True
    result = sweep_once(runtime.db, runtime.settings.jobs, broker.publish)
    assert (result.sent, result.unsent) == (0, 3)
    assert all(row(runtime, job_id).enqueued_at is None for job_id in waiting)
    broker.down = False
    assert sweep_once(runtime.db, runtime.settings.jobs, broker.publish).sent == 3
    assert sorted(job_id for job_id, _ in broker.sent) == sorted(waiting)
