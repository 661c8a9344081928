"""Server processes for the benchmarks: `castwright serve` on the embedded defaults, and the bare
FastAPI ceiling. Both bind to 127.0.0.1 on a free port, in their own process group, and are
stopped with Ctrl-C (SIGINT) and, failing that, SIGKILL.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

from bench.client import Client
from bench.procfs import process_tree

__all__ = ["ROOT", "BareServer", "CastwrightServer", "free_port"]

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _clean_environment() -> dict[str, str]:
    """The caller's environment without any CASTWRIGHT_ setting: the defaults are measured."""
    return {k: v for k, v in os.environ.items() if not k.startswith("CASTWRIGHT_")}


class _Process:
    """A server subprocess in its own session, logging to a file."""

    def __init__(self, name: str, log_path: Path) -> None:
        self.name = name
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    def _spawn(self, argv: list[str], env: dict[str, str], cwd: Path) -> None:
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            argv,
            env=env,
            cwd=cwd,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )

    def wait_ready(self, path: str, timeout: float = 90.0) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited early:\n{self.log()}")
            try:
                with Client(self.port, timeout=2) as client:
                    if client.request("GET", path).status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.name} did not start in {timeout:.0f}s:\n{self.log()}")

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self, timeout: float = 30.0) -> None:
        """Ctrl-C to the process group (the server and its workers), then SIGKILL if needed."""
        process = self.process
        if process is not None and process.poll() is None:
            tree = process_tree(process.pid)
            try:
                os.killpg(process.pid, signal.SIGINT)
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
            except ProcessLookupError:
                pass
            # Workers or helpers that outlived the server (still in its group): end them too.
            for pid in tree[1:]:
                try:
                    if os.getpgid(pid) == process.pid:
                        os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        if self._log is not None:
            self._log.close()
            self._log = None


class CastwrightServer(_Process):
    """`castwright serve` with a fresh data directory and otherwise default settings (or the
    database at ``database_url``, for the PostgreSQL benchmarks)."""

    def __init__(self, data_dir: Path, database_url: str = "") -> None:
        super().__init__("castwright serve", data_dir / "server.log")
        self.data_dir = data_dir
        self.database_url = database_url
        self.api_key = ""

    def settings_env(self) -> dict[str, str]:
        env = {
            "CASTWRIGHT_DATA_DIR": str(self.data_dir),
            "CASTWRIGHT_HOST": HOST,
            "CASTWRIGHT_PORT": str(self.port),
        }
        if self.database_url:
            env["CASTWRIGHT_DATABASE_URL"] = self.database_url
        return env

    def create_key(self) -> str:
        """Migrate and create an API key in-process, as `castwright keys create` would."""
        from castwright.auth.service import create_key
        from castwright.config import Settings
        from castwright.db.migrate import upgrade
        from castwright.runtime import database_for

        settings = Settings(
            _env_file=None,
            data_dir=self.data_dir,
            database_url=self.database_url,
            host=HOST,
            port=self.port,
        )
        upgrade(settings)
        database = database_for(settings)
        with database.session() as session:
            _, secret = create_key(session, name="bench")
        database.dispose()
        self.api_key = secret
        return secret

    def start(self) -> CastwrightServer:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if not self.api_key:
            self.create_key()
        env = {**_clean_environment(), **self.settings_env(), "NO_COLOR": "1"}
        # The data directory as working directory: no stray .env file is read.
        self._spawn([sys.executable, "-m", "castwright.cli.main", "serve"], env, self.data_dir)
        self.wait_ready("/healthz")
        return self


class BareServer(_Process):
    """bench.bare_app under uvicorn with the settings `castwright serve` uses."""

    def __init__(self, log_dir: Path) -> None:
        super().__init__("bare uvicorn", log_dir / "bare.log")

    def start(self) -> BareServer:
        argv = [sys.executable, "-m", "bench.bare_app", "--port", str(self.port)]
        self._spawn(argv, _clean_environment(), ROOT)
        self.wait_ready("/bare")
        return self
