"""The scheduled lifecycle job: a thread of the server process that sweeps expired files.

Every ``carrierx.lifecycle_interval_seconds`` (30 by default: the contract allows a file to
expire up to a minute late) it runs ``lifecycle.sweep`` with the real clock. A sweep is
idempotent (each file is re-checked under a lock), so two servers on one database may both
run it.
"""

from __future__ import annotations

import logging
import threading

from castwright.carrierx.lifecycle import sweep
from castwright.runtime import Runtime

__all__ = ["LifecycleScheduler"]

log = logging.getLogger("castwright.carrierx")


class LifecycleScheduler:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.interval = runtime.settings.carrierx.lifecycle_interval_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name="carrierx-lifecycle", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                sweep(self.runtime)
            except Exception:  # the next sweep tries again; the server must not lose the thread
                log.exception("lifecycle sweep failed")
