"""A real `castwright serve` process on a free port, for tests that drive it over HTTP."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from castwright.auth.service import create_key
from castwright.config import Settings
from castwright.db.migrate import upgrade
from castwright.runtime import database_for

__all__ = ["LiveServer", "free_port"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    def __init__(
        self,
        data_dir: Path,
        database_url: str = "",
        workers: int = 2,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "CASTWRIGHT_DATA_DIR": str(data_dir),
            "CASTWRIGHT_DATABASE_URL": database_url,
            "CASTWRIGHT_PORT": str(self.port),
            "CASTWRIGHT_JOBS__WORKERS": str(workers),
            "NO_COLOR": "1",
            **(extra_env or {}),
        }
        self.settings = Settings(data_dir=data_dir, database_url=database_url, port=self.port)
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = data_dir / "server.log"

    def create_key(self, name: str = "test") -> str:
        upgrade(self.settings)
        with database_for(self.settings).session() as session:
            _, secret = create_key(session, name=name)
        return secret

    def start(self, timeout: float = 60.0) -> LiveServer:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "castwright.cli.main", "serve"],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"server did not start in {timeout}s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self, timeout: float = 30.0) -> int | None:
        """Ctrl-C, as a person would, then wait."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def kill(self) -> None:
        """SIGKILL the server and its workers: a crash, with no chance to clean up."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
