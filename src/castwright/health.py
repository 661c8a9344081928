"""Readiness: can this process serve work now? Database, broker (Celery), storage, engines.

Liveness (GET /healthz) only says the process answers; readiness (GET /readyz) is what a load
balancer uses to send it traffic, so each check is bounded in time and reported on its own.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import text

from castwright.runtime import Runtime
from castwright.storage.local import LocalBlobStore

__all__ = ["CHECK_TIMEOUT_SECONDS", "CheckResult", "Readiness", "check_readiness"]

CHECK_TIMEOUT_SECONDS = 5.0
_PROBE_KEY = "castwright-readyz/probe"  # read, never written: exists() answering is enough


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str
    seconds: float

    def as_json(self) -> dict[str, object]:
        return {
            "status": "ok" if self.ok else "fail",
            "detail": self.detail,
            "ms": round(self.seconds * 1000, 1),
        }


@dataclass(frozen=True)
class Readiness:
    checks: list[CheckResult]

    @property
    def ready(self) -> bool:
        return all(check.ok for check in self.checks)

    def as_json(self) -> dict[str, object]:
        return {
            "status": "ready" if self.ready else "not ready",
            "checks": {check.name: check.as_json() for check in self.checks},
        }


def _database(runtime: Runtime) -> str:
    with runtime.db.engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    return runtime.db.engine.dialect.name


def _queue(runtime: Runtime) -> str:
    assert runtime.queue is not None
    return runtime.queue.check()


def _storage(runtime: Runtime) -> str:
    blobs = runtime.blobs
    if isinstance(blobs, LocalBlobStore):
        if not os.access(blobs.root, os.W_OK | os.X_OK):
            raise PermissionError(f"{blobs.root} is not writable")
        return f"local {blobs.root}"
    blobs.exists(_PROBE_KEY)  # raises when the bucket cannot be reached or read
    return type(blobs).__name__


def _engines(runtime: Runtime) -> str:
    available = sorted(runtime.engines.available())
    if not available:
        missing = "; ".join(f"{n}: {r}" for n, r in runtime.engines.unavailable().items())
        raise RuntimeError(f"no speech engine is available ({missing})")
    default = runtime.settings.speech.default_voice or runtime.voices.default_alias
    if runtime.voices.find(default) is None:
        raise RuntimeError(f"the default voice {default!r} is not in the catalogue")
    return ", ".join(available)


async def _run(name: str, check: Callable[[Runtime], str], runtime: Runtime) -> CheckResult:
    started = time.perf_counter()
    try:
        detail = await asyncio.wait_for(asyncio.to_thread(check, runtime), CHECK_TIMEOUT_SECONDS)
        ok = True
    except TimeoutError:
        detail, ok = f"no answer within {CHECK_TIMEOUT_SECONDS:.0f} s", False
    except Exception as error:  # a failed check is reported, not raised
        detail, ok = f"{type(error).__name__}: {error}"[:500], False
    return CheckResult(name, ok, detail, time.perf_counter() - started)


async def check_readiness(runtime: Runtime) -> Readiness:
    checks: list[tuple[str, Callable[[Runtime], str]]] = [("database", _database)]
    if runtime.queue is not None:
        checks.append(("broker" if runtime.settings.jobs.backend == "celery" else "queue", _queue))
    checks += [("storage", _storage), ("engines", _engines)]
    results = await asyncio.gather(*(_run(name, check, runtime) for name, check in checks))
    return Readiness(list(results))
