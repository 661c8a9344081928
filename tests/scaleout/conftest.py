"""The distributed deployment the scale-out tests drive: PostgreSQL, a Redis broker of the
test's own, two API processes (one of them two uvicorn workers) and two Celery workers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from castwright.auth.service import create_key
from castwright.config import Settings
from castwright.db.migrate import upgrade
from castwright.runtime import database_for
from support.cluster import ApiProcess, Cluster, RedisServer, WorkerProcess, redis_unavailable
from support.databases import postgres_available, postgres_schema_url
from support.live_server import free_port

# Short intervals so that recovery happens within a test; the defaults suit production.
FAST_RECOVERY = {
    "CASTWRIGHT_JOBS__SYNC_WAIT_SECONDS": "0.2",  # POSTs answer 202 at once: many in flight
    "CASTWRIGHT_JOBS__HEARTBEAT_SECONDS": "1",
    "CASTWRIGHT_JOBS__STALE_AFTER_SECONDS": "5",
    "CASTWRIGHT_JOBS__SWEEP_INTERVAL_SECONDS": "1",
    "CASTWRIGHT_JOBS__REQUEUE_AFTER_SECONDS": "8",
    "CASTWRIGHT_JOBS__RETRY_BACKOFF_SECONDS": "0.5",
    "CASTWRIGHT_JOBS__RETRY_BACKOFF_MAX_SECONDS": "5",
    "CASTWRIGHT_JOBS__VISIBILITY_TIMEOUT_SECONDS": "120",
}


def _environment(data_dir: Path, database_url: str, broker_url: str) -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("CASTWRIGHT_")}
    inherited.pop("PROMETHEUS_MULTIPROC_DIR", None)
    return {
        **inherited,
        "CASTWRIGHT_DATA_DIR": str(data_dir),  # one blob store, as a shared volume would be
        "CASTWRIGHT_DATABASE_URL": database_url,
        "CASTWRIGHT_QUEUE": "celery",  # the short names the deployment guide uses
        "CASTWRIGHT_BROKER_URL": broker_url,
        "CASTWRIGHT_SECRET_KEY": "scale-out-test-secret",  # signed URLs valid on every host
        "CASTWRIGHT_LOG_FORMAT": "json",
        "CASTWRIGHT_SPEECH__RENDER_PROCESSES": "1",
        "CASTWRIGHT_DATABASE__POOL_SIZE": "3",
        "CASTWRIGHT_DATABASE__MAX_OVERFLOW": "5",
        "NO_COLOR": "1",
        **FAST_RECOVERY,
    }


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    for reason in (postgres_available(), redis_unavailable()):
        if reason:
            pytest.skip(reason)
    with ExitStack() as stack:
        database_url = stack.enter_context(postgres_schema_url())
        directory: Path = tmp_path_factory.mktemp("cluster")
        redis = RedisServer(directory / "redis").start()
        stack.callback(redis.kill)
        env = _environment(directory / "data", database_url, redis.url)
        settings = Settings(_env_file=None, data_dir=directory / "data", database_url=database_url)
        upgrade(settings)
        with database_for(settings).session() as session:
            _, api_key = create_key(session, name="cluster")
        cluster = Cluster(directory, database_url, redis, env, api_key)
        stack.callback(cluster.stop)
        metrics_env = {**env, "CASTWRIGHT_HOST": "127.0.0.1"}
        for name in ("w1", "w2"):
            worker = WorkerProcess(name, metrics_env, directory, metrics_port=free_port())
            cluster.workers.append(worker.start())
        cluster.apis.append(ApiProcess("api-a", env, directory).start())
        cluster.apis.append(ApiProcess("api-b", env, directory, workers=2).start())
        yield cluster
