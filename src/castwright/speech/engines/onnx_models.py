"""Neural voice models in memory: loaded on first use, unloaded when left idle.

A Piper model takes 60-120 MB loaded and a Kokoro model 100-350 MB, and a server may have
many installed, so a model is loaded when a request first needs it and dropped once it has
gone ``idle_seconds`` without use (a background thread looks every few seconds; 0 keeps
models for the life of the process). A model in use is never dropped under its caller.

onnxruntime's sessions are safe to run from several threads at once, so one loaded copy
serves every thread. After a fork (speech/fanout.py) the child loads its own copies: the
parent's sessions own thread pools that do not survive a fork, so the child leaves them
alone rather than use or free them.
"""

from __future__ import annotations

import os
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from castwright.speech.engines.base import EngineUnavailable

__all__ = ["ModelCache", "onnx_session", "onnxruntime_version"]

Model = TypeVar("Model")

# Kept alive (never freed) after a fork: see the module docstring.
_INHERITED: list[object] = []


def onnxruntime_version(extra: str) -> str:
    """onnxruntime's version, or EngineUnavailable naming the extra that installs it."""
    try:
        import onnxruntime
    except ImportError as exc:
        raise EngineUnavailable(
            f"onnxruntime is not installed: pip install 'castwright[{extra}]'"
        ) from exc
    return str(onnxruntime.__version__)


def onnx_session(path: Path, threads: int = 0) -> Any:
    """An onnxruntime InferenceSession for the model at ``path``, on the CPU."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    if threads:
        options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # errors only: model warnings are not the operator's
    return onnxruntime.InferenceSession(
        str(path), sess_options=options, providers=["CPUExecutionProvider"]
    )


@dataclass
class _Entry(Generic[Model]):
    model: Model | None = None
    last_used: float = 0.0
    users: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class ModelCache(Generic[Model]):
    """Models by key: ``with cache.use(key, load) as model`` loads once, then shares."""

    def __init__(self, idle_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.idle_seconds = idle_seconds
        self._clock = clock
        self._entries: dict[str, _Entry[Model]] = {}
        self._lock = threading.Lock()
        self._owner = os.getpid()
        self._reaper: threading.Thread | None = None
        self._stop = threading.Event()
        self.loads = 0  # how many times a model was loaded (tests, metrics)

    def _entry(self, key: str) -> _Entry[Model]:
        with self._lock:
            if os.getpid() != self._owner:
                _INHERITED.append(self._entries)
                self._entries, self._owner, self._reaper = {}, os.getpid(), None
            entry = self._entries.get(key)
            if entry is None:
                entry = self._entries[key] = _Entry()
            return entry

    @contextmanager
    def use(self, key: str, load: Callable[[], Model]) -> Iterator[Model]:
        entry = self._entry(key)
        with entry.lock:
            if entry.model is None:
                entry.model = load()
                self.loads += 1
                self._start_reaper()
            entry.users += 1
            model = entry.model
        try:
            yield model
        finally:
            with entry.lock:
                entry.users -= 1
                entry.last_used = self._clock()

    def loaded(self) -> list[str]:
        """Keys of the models in memory now."""
        with self._lock:
            entries = list(self._entries.items())
        return sorted(key for key, entry in entries if entry.model is not None)

    def unload_idle(self) -> list[str]:
        """Drop every model unused for ``idle_seconds``; returns their keys."""
        if self.idle_seconds <= 0:
            return []
        now = self._clock()
        dropped: list[str] = []
        with self._lock:
            entries = list(self._entries.items())
        for key, entry in entries:
            with entry.lock:
                idle = now - entry.last_used >= self.idle_seconds
                if entry.model is not None and entry.users == 0 and idle:
                    entry.model = None
                    dropped.append(key)
        return dropped

    def clear(self) -> None:
        """Drop every model now (tests, shutdown)."""
        with self._lock:
            entries = list(self._entries.values())
        for entry in entries:
            with entry.lock:
                entry.model = None
        self._stop.set()

    def _start_reaper(self) -> None:
        if self.idle_seconds <= 0 or (self._reaper is not None and self._reaper.is_alive()):
            return
        self._stop.clear()
        interval = max(0.05, min(self.idle_seconds / 4, 10.0))
        reference = weakref.ref(self)
        stop = self._stop

        def reap() -> None:
            while not stop.wait(interval):
                cache = reference()
                if cache is None:
                    return
                cache.unload_idle()
                del cache  # no strong reference while asleep: the cache may be collected

        self._reaper = threading.Thread(target=reap, name="castwright-model-reaper", daemon=True)
        self._reaper.start()
