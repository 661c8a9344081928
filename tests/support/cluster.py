"""A Castwright deployment spread over processes on this machine, as it would be over hosts:
PostgreSQL, a Redis broker of our own (so a test can restart it), API processes and Celery
workers sharing one data directory (the blob store) and one secret key."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from support.live_server import free_port

__all__ = [
    "ApiProcess",
    "Cluster",
    "RedisServer",
    "WorkerProcess",
    "json_lines",
    "redis_unavailable",
]

_STOP_SECONDS = 20.0


def redis_unavailable() -> str | None:
    """None when a redis-server binary exists for the test to run (and restart)."""
    if shutil.which("redis-server") is None:
        return "redis-server is not installed (apt-get install redis-server)"
    return None


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class RedisServer:
    """redis-server on a free port, without persistence: a restart loses every message, the
    worst a broker can do."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> RedisServer:
        self.directory.mkdir(parents=True, exist_ok=True)
        argv = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        argv += ["--save", "", "--appendonly", "no", "--dir", str(self.directory)]
        log = (self.directory / "redis.log").open("ab")
        self.process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while not _port_open(self.port):
            assert self.process.poll() is None, "redis-server exited"
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
        return self

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def restart(self, down_seconds: float = 0.0) -> None:
        self.kill()
        time.sleep(down_seconds)
        self.start()


def json_lines(path: Path) -> list[dict[str, Any]]:
    """The JSON log records of a process's log file (other lines, e.g. banners, skipped)."""
    records = []
    if path.exists():
        for line in path.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError:
                    continue
    return records


class _Process:
    def __init__(self, name: str, argv: list[str], env: dict[str, str], log_path: Path) -> None:
        self.name = name
        self.argv = argv
        self.env = env
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def spawn(self) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.argv,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: the children die with it
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def records(self) -> list[dict[str, Any]]:
        return json_lines(self.log_path)

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL to the whole group: a crash with no chance to clean up."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.kill()


class ApiProcess(_Process):
    """`castwright serve` (optionally with several uvicorn worker processes)."""

    def __init__(self, name: str, env: dict[str, str], log_dir: Path, workers: int = 1) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        argv = [sys.executable, "-m", "castwright.cli.main", "serve", "--workers", str(workers)]
        super().__init__(
            name, argv, {**env, "CASTWRIGHT_PORT": str(self.port)}, log_dir / f"{name}.log"
        )

    def start(self, timeout: float = 120.0) -> ApiProcess:
        self.spawn()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.alive, f"{self.name} exited:\n{self.log()[-3000:]}"
            try:
                if httpx.get(f"{self.url}/readyz", timeout=10).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.kill()
        raise AssertionError(f"{self.name} was not ready in {timeout}s:\n{self.log()[-3000:]}")


class WorkerProcess(_Process):
    """`castwright worker` with one job at a time, consuming both queues."""

    def __init__(
        self, name: str, env: dict[str, str], log_dir: Path, metrics_port: int = 0
    ) -> None:
        self.node = f"{name}@cluster"
        argv = [sys.executable, "-m", "castwright.cli.main", "worker"]
        argv += ["--concurrency", "1", "--name", self.node]
        if metrics_port:
            argv += ["--metrics-port", str(metrics_port)]
        self.metrics_url = f"http://127.0.0.1:{metrics_port}/metrics" if metrics_port else ""
        super().__init__(name, argv, env, log_dir / f"{name}.log")

    def start(self, timeout: float = 120.0) -> WorkerProcess:
        seen = len(self.records())
        self.spawn()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.alive, f"{self.name} exited:\n{self.log()[-3000:]}"
            if any(
                r.get("logger") == "celery.apps.worker" and "ready" in r.get("message", "")
                for r in self.records()[seen:]
            ):
                return self
            time.sleep(0.2)
        self.kill()
        raise AssertionError(f"{self.name} was not ready in {timeout}s:\n{self.log()[-3000:]}")


@dataclass
class Cluster:
    directory: Path
    database_url: str
    redis: RedisServer
    env: dict[str, str]
    api_key: str = ""
    apis: list[ApiProcess] = field(default_factory=list)
    workers: list[WorkerProcess] = field(default_factory=list)

    def engine(self) -> sa.Engine:
        return sa.create_engine(self.database_url)

    def jobs(self, where: str = "true", **params: Any) -> list[sa.Row[Any]]:
        engine = self.engine()
        try:
            with engine.connect() as connection:
                query = f"SELECT * FROM job WHERE {where} ORDER BY created_at"
                return list(connection.execute(sa.text(query), params))
        finally:
            engine.dispose()

    def worker_records(self) -> Iterator[dict[str, Any]]:
        for worker in self.workers:
            yield from worker.records()

    def stop(self) -> None:
        for process in [*self.apis, *self.workers]:
            process.stop()
        self.redis.kill()
