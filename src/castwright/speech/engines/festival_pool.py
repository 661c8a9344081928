"""Long-lived Festival processes (``festival --pipe``), lent out one synthesis at a time.

Starting Festival and loading its HTS voice takes longer than speaking a sentence, so the
engine keeps a few processes running and sends each one Scheme over its stdin. Text never
becomes Scheme: it is written to a file the process reads with ``tts_file``, exactly as
``text2wave`` does, and the audio comes back in a WAV file. After each request the process
writes a marker line on stderr (unbuffered, unlike its stdout); everything before it is that
request's diagnostics, where Festival reports errors ("SIOD ERROR ...") and carries on.

Festival's server mode (``--server``) would also avoid the start-up cost, but it listens on
a TCP port where any local user could send it Scheme (which can run shell commands); a pipe
is private to this process.

A process that times out, dies or misbehaves is killed and replaced on the next request.
After a fork (speech/fanout.py) the child starts processes of its own rather than sharing
the parent's pipes.
"""

from __future__ import annotations

import atexit
import itertools
import os
import queue
import re
import select
import subprocess
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["FestivalError", "FestivalPool", "FestivalProcess"]

# Defined once per process; ``castwright_synth`` is text2wave's main loop as a function.
_SETUP = r"""
(gc-status nil)
(defvar castwright_fp nil)
(defvar castwright_total 0)
(defvar castwright_last nil)
(define (castwright_save utt)
  (if (eq? castwright_total 0)
      (wave.save.header castwright_fp (utt.wave utt) 'riff nil (list (list "numsamples" 0))))
  (set! castwright_total (+ castwright_total (get_param 'num_samples (wave.info (utt.wave utt)) 0)))
  (wave.save.data.fp (utt.wave utt) castwright_fp 'riff nil)
  (set! castwright_last utt))
(define (castwright_synth textfile outfile)
  (set! castwright_total 0)
  (set! castwright_last nil)
  (set! castwright_fp (fopen outfile "wb"))
  (set! tts_hooks (list utt.synth castwright_save))
  (tts_file textfile nil)
  (if castwright_last
      (begin
        (fseek castwright_fp 0 0)
        (wave.save.header castwright_fp (utt.wave castwright_last) 'riff nil
                          (list (list "numsamples" castwright_total)))))
  (fclose castwright_fp))
"""
# Paths go into Scheme strings: only characters that need no escaping.
_SAFE_PATH = re.compile(r"^[A-Za-z0-9_./-]+$")
_START_TIMEOUT = 60.0


class FestivalError(RuntimeError):
    """Festival reported an error, timed out or died."""


class FestivalProcess:
    """One ``festival --pipe``; not thread-safe (the pool lends it to one caller at a time)."""

    _markers = itertools.count()

    def __init__(self, festival: str) -> None:
        self._process = subprocess.Popen(
            [festival, "--pipe"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,  # never read, so it must not be a pipe that can fill
            stderr=subprocess.PIPE,
            start_new_session=True,  # a Ctrl-C in the terminal is the server's to handle
        )
        self._buffer = b""
        self.send(_SETUP, _START_TIMEOUT)

    @property
    def alive(self) -> bool:
        return self._process.poll() is None

    def send(self, scheme: str, timeout: float) -> list[str]:
        """Evaluate ``scheme``; returns its diagnostics, raises FestivalError on an error."""
        assert self._process.stdin is not None
        marker = f"castwright-done-{next(self._markers)}"
        try:
            self._process.stdin.write(f'{scheme}\n(format stderr "{marker}\\n")\n'.encode())
            self._process.stdin.flush()
        except OSError as exc:  # BrokenPipeError: it died
            self.close()
            raise FestivalError(f"festival is not running: {exc}") from exc
        lines = self._read_until(marker, timeout)
        errors = [line for line in lines if "ERROR" in line]
        if errors:
            raise FestivalError("; ".join(errors)[-500:])
        return lines

    def _read_until(self, marker: str, timeout: float) -> list[str]:
        assert self._process.stderr is not None
        fd = self._process.stderr.fileno()
        deadline = time.monotonic() + timeout
        wanted = marker.encode()
        while True:
            lines = self._buffer.split(b"\n")
            for index, line in enumerate(lines[:-1]):
                if line.strip() == wanted:
                    self._buffer = b"\n".join(lines[index + 1 :])
                    return [text.decode("utf-8", "replace") for text in lines[:index]]
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.close()
                raise FestivalError(f"festival took longer than {timeout:g} s")
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                self.close()
                raise FestivalError("festival exited: " + self._buffer.decode("utf-8", "replace"))
            self._buffer += chunk

    def synthesize(self, prelude: str, text_file: Path, output: Path, timeout: float) -> None:
        """Run ``prelude`` (voice and parameters), then speak ``text_file`` into ``output``."""
        for path in (text_file, output):
            if not _SAFE_PATH.match(str(path)):
                raise ValueError(f"unsafe path for festival: {path}")
        self.send(f'{prelude} (castwright_synth "{text_file}" "{output}")', timeout)

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for stream in (self._process.stdin, self._process.stderr):
            if stream is not None:
                stream.close()


class FestivalPool:
    """Up to ``size`` processes, started on demand; ``lease()`` lends one to one caller."""

    def __init__(self, festival: str, size: int) -> None:
        self._festival = festival
        self._size = max(1, size)
        self._owner = os.getpid()
        self._idle: queue.LifoQueue[FestivalProcess] = queue.LifoQueue()
        self._started = 0
        self._lock = threading.Lock()
        self._all: list[FestivalProcess] = []
        _POOLS.add(self)

    @property
    def size(self) -> int:
        return self._size

    @property
    def running(self) -> int:
        """Processes started and still alive (for tests and health)."""
        return sum(1 for process in self._all if process.alive)

    def _forget_parent(self) -> None:
        # After a fork the pipes belong to the parent's processes: start afresh, and leave
        # them alone (closing would kill the parent's Festival).
        if os.getpid() != self._owner:
            with self._lock:
                self._owner = os.getpid()
                self._idle = queue.LifoQueue()
                self._started = 0
                self._all = []

    def _take(self) -> FestivalProcess:
        while True:
            try:
                process = self._idle.get_nowait()
            except queue.Empty:
                with self._lock:
                    if self._started < self._size:
                        self._started += 1
                        break
                process = self._idle.get()  # all busy: wait for one to come back
            if process.alive:
                return process
            self._retire(process)
        try:
            process = FestivalProcess(self._festival)
        except BaseException:
            with self._lock:
                self._started -= 1
            raise
        with self._lock:
            self._all.append(process)
        return process

    def _retire(self, process: FestivalProcess) -> None:
        process.close()
        with self._lock:
            self._started -= 1
            if process in self._all:
                self._all.remove(process)

    @contextmanager
    def lease(self) -> Iterator[FestivalProcess]:
        self._forget_parent()
        process = self._take()
        try:
            yield process
        except BaseException:
            if not process.alive:
                self._retire(process)
            else:
                self._idle.put(process)
            raise
        if process.alive:
            self._idle.put(process)
        else:
            self._retire(process)

    def close(self) -> None:
        """Stop every process this pool started (in this process)."""
        if os.getpid() != self._owner:
            return
        with self._lock:
            processes, self._all = self._all, []
            self._started = 0
            self._idle = queue.LifoQueue()
        for process in processes:
            process.close()


_POOLS: weakref.WeakSet[FestivalPool] = weakref.WeakSet()


@atexit.register
def _close_pools() -> None:
    for pool in list(_POOLS):
        pool.close()
