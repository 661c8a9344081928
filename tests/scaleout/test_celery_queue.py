"""The API side of the Celery queue against a real Redis: routing by weight, publishing only
committed jobs, a broker that is down, waiting on the job row, and the readiness check."""

from __future__ import annotations

import asyncio
import base64
import json
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy import update

from castwright.config import JobSettings, Settings
from castwright.db.migrate import upgrade
from castwright.jobs.celery_queue import TASK_NAME, CeleryJobQueue, queue_for_kind, redacted
from castwright.jobs.submit import submit_job
from castwright.models.job import Job, JobStatus
from castwright.runtime import Runtime, build_runtime
from support.cluster import RedisServer, redis_unavailable
from support.live_server import free_port


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    if reason := redis_unavailable():
        pytest.skip(reason)
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.kill()


def celery_runtime(data_dir: Path, broker_url: str) -> Runtime:
    settings = Settings(
        _env_file=None,
        data_dir=data_dir,
        secret_key="celery-queue-test",
        queue="celery",
        broker_url=broker_url,
        jobs=JobSettings(publish_timeout_seconds=1.0),
    )
    upgrade(settings)
    runtime = build_runtime(settings)
    assert isinstance(runtime.queue, CeleryJobQueue)
    return runtime


def messages(url: str, queue: str) -> list[str]:
    """The job ids waiting in a broker queue, read from kombu's Redis message format."""
    client = redis.Redis.from_url(url)
    ids = []
    for raw in client.lrange(queue, 0, -1):
        message = json.loads(raw)
        assert message["headers"]["task"] == TASK_NAME
        args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
        ids.append(args[0])
    client.close()
    return ids


def test_jobs_go_to_the_heavy_or_light_queue_after_commit(
    broker: RedisServer, tmp_path: Path
) -> None:
    runtime = celery_runtime(tmp_path / "data", broker.url)
    jobs = runtime.settings.jobs
    assert queue_for_kind(jobs, "speech.render") == jobs.heavy_queue
    assert queue_for_kind(jobs, "file.probe") == jobs.light_queue
    with runtime.unit_of_work() as session:
        render = submit_job(session, "speech.render", str(uuid.uuid4())).id
        mix = submit_job(session, "production.mix", str(uuid.uuid4())).id
        probe = submit_job(session, "file.probe", str(uuid.uuid4())).id
        assert messages(broker.url, jobs.heavy_queue) == []  # nothing before the commit
    with pytest.raises(RuntimeError), runtime.unit_of_work() as session:
        submit_job(session, "speech.render", str(uuid.uuid4()))
        raise RuntimeError("the request failed: its job is never published")
    # Redis lists are pushed on the left and consumed from the right.
    assert messages(broker.url, jobs.heavy_queue) == [mix, render]
    assert messages(broker.url, jobs.light_queue) == [probe]
    runtime.close()


def test_a_broker_that_is_down_leaves_the_job_for_the_sweep(tmp_path: Path) -> None:
    runtime = celery_runtime(tmp_path / "data", f"redis://127.0.0.1:{free_port()}/0")
    assert runtime.queue is not None
    with runtime.unit_of_work() as session:  # the request itself succeeds
        job_id = submit_job(session, "speech.render", str(uuid.uuid4())).id
    with runtime.db.session() as session:
        job = session.get(Job, job_id)
        assert job is not None
        assert job.status == JobStatus.QUEUED and job.enqueued_at is None  # the sweep's cue
    with pytest.raises(Exception, match=r"(?i)connect"):
        runtime.queue.check()
    runtime.close()


def test_wait_follows_the_job_row(broker: RedisServer, tmp_path: Path) -> None:
    runtime = celery_runtime(tmp_path / "data", broker.url)
    queue = runtime.queue
    assert queue is not None
    assert "celery via redis://127.0.0.1" in queue.check()
    with runtime.unit_of_work() as session:
        job_id = submit_job(session, "speech.render", str(uuid.uuid4())).id
    assert asyncio.run(queue.wait(job_id, 0.3)) is False  # nobody runs it

    def finish_later() -> None:
        time.sleep(0.3)
        with runtime.db.session() as session:
            session.execute(update(Job).where(Job.id == job_id).values(status=JobStatus.DONE))

    worker = threading.Thread(target=finish_later)
    worker.start()
    assert asyncio.run(queue.wait(job_id, 60)) is True
    worker.join()
    assert asyncio.run(queue.wait(str(uuid.uuid4()), 1)) is True  # unknown: nothing to wait for
    runtime.close()


def test_broker_passwords_stay_out_of_logs() -> None:
    assert redacted("redis://:hunter2@cache:6379/0") == "redis://:***@cache:6379/0"
    assert redacted("rediss://user:pw@cache/1") == "rediss://user:***@cache/1"
    assert redacted("redis://cache:6379/0") == "redis://cache:6379/0"


def test_a_workers_notice_wakes_the_waiting_request(broker: RedisServer, tmp_path: Path) -> None:
    from castwright.jobs.notify import announce_finished

    runtime = celery_runtime(tmp_path / "data", broker.url)
    queue = runtime.queue
    assert queue is not None
    queue.start()  # subscribes to the notices
    try:
        with runtime.unit_of_work() as session:
            job_id = submit_job(session, "speech.render", str(uuid.uuid4())).id

        def announce_later() -> None:
            time.sleep(0.5)
            announce_finished(broker.url, job_id)  # as a worker on another host does

        worker = threading.Thread(target=announce_later)
        worker.start()
        # The row still says queued: only the notice can end this wait before its timeout.
        assert asyncio.run(queue.wait(job_id, 60)) is True
        worker.join()
        with runtime.db.session() as session:
            job = session.get(Job, job_id)
            assert job is not None and job.status == JobStatus.QUEUED
    finally:
        runtime.close()
