"""Settings for running distributed, and the commands that refuse what cannot work."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError
from typer.testing import CliRunner

from castwright.cli.main import app
from castwright.config import (
    DatabaseSettings,
    JobSettings,
    Settings,
    StorageSettings,
    dump_settings,
)
from castwright.db import Database
from castwright.jobs.celery_queue import CeleryJobQueue
from castwright.jobs.inline import InlineJobQueue
from castwright.runtime import queue_for
from support.databases import PG_URL, postgres_available


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in list(os.environ):
        if name.startswith("CASTWRIGHT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no stray .env file
    monkeypatch.setenv("CASTWRIGHT_DATA_DIR", str(tmp_path / "data"))
    return monkeypatch


def test_the_deployment_guides_short_names_choose_the_queue(clean_env: pytest.MonkeyPatch) -> None:
    assert Settings().jobs.backend == "inline"
    assert isinstance(queue_for(Settings()), InlineJobQueue)
    clean_env.setenv("CASTWRIGHT_QUEUE", "celery")
    clean_env.setenv("CASTWRIGHT_BROKER_URL", "redis://broker:6379/0")
    settings = Settings()
    assert (settings.jobs.backend, settings.jobs.broker_url) == ("celery", "redis://broker:6379/0")
    assert settings.effective_redis_url == "redis://broker:6379/0"  # rate limits go there too
    assert isinstance(queue_for(settings), CeleryJobQueue)
    # The nested names win where both are given.
    clean_env.setenv("CASTWRIGHT_JOBS__BACKEND", "inline")
    assert Settings().jobs.backend == "inline"


def test_celery_without_a_broker_is_refused_with_the_setting_to_use(
    clean_env: pytest.MonkeyPatch,
) -> None:
    clean_env.setenv("CASTWRIGHT_QUEUE", "celery")
    with pytest.raises(ValidationError, match="CASTWRIGHT_BROKER_URL"):
        Settings()


def test_job_timings_must_leave_room_for_heartbeats_and_retries() -> None:
    with pytest.raises(ValidationError, match="stale_after_seconds"):
        JobSettings(heartbeat_seconds=10, stale_after_seconds=15)
    with pytest.raises(ValidationError, match="visibility_timeout_seconds"):
        JobSettings(retry_backoff_max_seconds=600, visibility_timeout_seconds=1000)


def test_settings_reach_child_processes_whole(tmp_path: Path) -> None:
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path,
        port=9123,
        storage=StorageSettings(
            backend="s3", s3_bucket="audio", s3_secret_access_key=SecretStr("s3cr3t")
        ),
    )
    copy = Settings.model_validate_json(dump_settings(settings))
    assert copy == settings
    assert copy.storage.s3_secret_access_key.get_secret_value() == "s3cr3t"  # not "**********"


def test_serve_refuses_several_processes_with_the_inline_queue(
    clean_env: pytest.MonkeyPatch,
) -> None:
    result = CliRunner().invoke(app, ["serve", "--workers", "2"])
    assert result.exit_code == 2
    assert "Celery" in result.output and "CASTWRIGHT_QUEUE=celery" in result.output


def test_worker_needs_the_celery_queue(clean_env: pytest.MonkeyPatch) -> None:
    result = CliRunner().invoke(app, ["worker"])
    assert result.exit_code == 2
    assert "CASTWRIGHT_QUEUE=celery" in result.output
    clean_env.setenv("CASTWRIGHT_QUEUE", "celery")
    clean_env.setenv("CASTWRIGHT_BROKER_URL", "redis://127.0.0.1:1/0")
    result = CliRunner().invoke(app, ["worker", "--queues", "heavy,fast"])
    assert result.exit_code == 2 and "fast" in result.output


def test_the_pool_settings_reach_the_postgresql_engine() -> None:
    if reason := postgres_available():
        pytest.skip(reason)
    pool = DatabaseSettings(pool_size=3, max_overflow=4, pool_timeout_seconds=7)
    database = Database(f"{PG_URL}?application_name=pool-{uuid.uuid4().hex[:6]}", pool)
    try:
        engine_pool = database.engine.pool
        assert engine_pool.size() == 3  # type: ignore[attr-defined]
        assert engine_pool._max_overflow == 4  # type: ignore[attr-defined]
        assert engine_pool._timeout == 7  # type: ignore[attr-defined]
        assert engine_pool._pre_ping is True
        with database.session() as session:
            assert session.connection().exec_driver_sql("select 1").scalar() == 1
    finally:
        database.dispose()


def test_a_distributed_setup_is_told_what_its_hosts_must_share(tmp_path: Path) -> None:
    from castwright.cli.processes import sharing_warnings

    alone = Settings(_env_file=None, data_dir=tmp_path)
    assert sharing_warnings(alone) == []  # one machine: nothing to share
    spread = Settings(
        _env_file=None, data_dir=tmp_path, queue="celery", broker_url="redis://broker/0"
    )
    warnings = sharing_warnings(spread)
    assert len(warnings) == 2
    assert "CASTWRIGHT_SECRET_KEY" in warnings[0] and "shared volume" in warnings[1]
    shared = spread.model_copy(
        update={
            "secret_key": "one-for-all",
            "storage": StorageSettings(backend="s3", s3_bucket="audio"),
        }
    )
    assert sharing_warnings(shared) == []
