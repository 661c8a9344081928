"""Benchmark 5: a 100 MB WAV through the server (upload, probing, download) against a plain copy
of the same file on the same disk, measured in the same run.

Each run: copy the WAV with ``shutil.copyfile`` and fsync it (the baseline), copy it again
without the fsync (the page cache alone), then ``POST /content/file/create-upload-url``, PUT
the bytes to the upload URL, poll ``GET /content/file/id/{id}`` until it answers 200 (the
server has probed the file: decoded it to the end with PyAV), and GET the download URL,
streaming it to a file. ``os.sync()`` (untimed) before every timed step, so no step pays for
writing back the previous one's dirty pages. Medians of ``runs`` runs after an untimed
warm-up with a small file.

    .venv/bin/python -m bench.files [--runs N]    # on its own, with its own server
"""

from __future__ import annotations

import argparse
import filecmp
import http.client
import os
import shutil
import tempfile
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from bench import procfs
from bench.client import Client
from bench.stats import median

__all__ = ["MB", "TransferResult", "make_wav", "transfer"]

MB = 1_000_000  # throughput is in MB/s, 10^6 bytes a second
SIZE = 100 * MB
RATE, CHANNELS, SAMPLE_BYTES = 48_000, 2, 2
BLOCK = 1 << 20  # what the client reads and sends at a time
POLL_SECONDS = 0.02
READY_TIMEOUT_SECONDS = 120.0

Log = Callable[[str], None]
Sched = procfs.Sched
_ZERO = Sched(0.0, 0.0)


def make_wav(path: Path, size: int = SIZE, seed: int = 3) -> float:
    """A 16-bit stereo 48 kHz WAV of ``size`` bytes (to the frame) of noise; its seconds."""
    frame_bytes = CHANNELS * SAMPLE_BYTES
    frames = (size - 44) // frame_bytes
    rng = np.random.default_rng(seed)
    step = RATE * 60  # a minute at a time: no 100 MB array in memory
    with wave.open(str(path), "wb") as out:
        out.setnchannels(CHANNELS)
        out.setsampwidth(SAMPLE_BYTES)
        out.setframerate(RATE)
        for start in range(0, frames, step):
            count = min(step, frames - start)
            noise = rng.integers(-12_000, 12_000, size=count * CHANNELS, dtype=np.int16)
            out.writeframesraw(noise.tobytes())
    return frames / RATE


@dataclass
class StepCost:
    """Seconds on a CPU and waiting for one, of the server side and of this process."""

    server: Sched = _ZERO
    client: Sched = _ZERO


@dataclass
class TransferResult:
    size: int  # bytes of the WAV
    audio_seconds: float
    probed_seconds: float = 0.0  # what the server's probe found
    # Seconds per run.
    copy_fsync: list[float] = field(default_factory=list)
    copy_cache: list[float] = field(default_factory=list)
    upload: list[float] = field(default_factory=list)  # the PUT, first byte sent to reply
    ready: list[float] = field(default_factory=list)  # PUT reply to the GET that says 200
    polls: list[int] = field(default_factory=list)
    download: list[float] = field(default_factory=list)  # GET to the last byte written
    cost: dict[str, list[StepCost]] = field(default_factory=dict)

    def rate(self, step: str) -> float:
        """Median MB/s of a step (median of the per-run rates)."""
        seconds: list[float] = getattr(self, step)
        return median([self.size / MB / s for s in seconds])

    def seconds(self, step: str) -> float:
        return median(getattr(self, step))

    def ratio(self, step: str, baseline: str = "copy_fsync") -> float:
        return self.rate(step) / self.rate(baseline)

    def cpu(self, step: str) -> tuple[float, float, float, float]:
        """Medians: server on CPU, server waiting, client on CPU, client waiting (seconds)."""
        costs = self.cost.get(step, [])
        return (
            median([c.server.on_cpu for c in costs]),
            median([c.server.waiting for c in costs]),
            median([c.client.on_cpu for c in costs]),
            median([c.client.waiting for c in costs]),
        )


def _target(url: str) -> tuple[int, str]:
    parts = urlsplit(url)
    if parts.hostname != "127.0.0.1" or parts.port is None:
        raise RuntimeError(f"the server handed out a URL off this machine: {url}")
    return parts.port, parts.path + (f"?{parts.query}" if parts.query else "")


def _put(url: str, path: Path) -> float:
    port, target = _target(url)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300, blocksize=BLOCK)
    size = path.stat().st_size
    try:
        with path.open("rb") as body:
            started = time.perf_counter()
            connection.request(
                "PUT",
                target,
                body=body,
                headers={"Content-Length": str(size), "Content-Type": "audio/wav"},
            )
            reply = connection.getresponse()
            answer = reply.read()
            seconds = time.perf_counter() - started
    finally:
        connection.close()
    if reply.status != 200:
        raise RuntimeError(f"PUT upload URL: {reply.status} {answer[:300]!r}")
    return seconds


def _get_to_file(url: str, path: Path) -> float:
    port, target = _target(url)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        started = time.perf_counter()
        connection.request("GET", target)
        reply = connection.getresponse()
        if reply.status != 200:
            raise RuntimeError(f"GET download URL: {reply.status} {reply.read()[:300]!r}")
        with path.open("wb") as out:
            shutil.copyfileobj(reply, out, BLOCK)
        seconds = time.perf_counter() - started
    finally:
        connection.close()
    return seconds


def _copy(source: Path, target: Path, fsync: bool) -> float:
    started = time.perf_counter()
    shutil.copyfile(source, target)
    if fsync:
        fd = os.open(target, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    return time.perf_counter() - started


class _Meter:
    """schedstat deltas of the server's process tree (or its workers) and of this process."""

    def __init__(self, server_pid: int, workers_only: bool = False) -> None:
        self.server_pid = server_pid
        self.workers_only = workers_only

    def __enter__(self) -> _Meter:
        self.before = procfs.tree_sched(self.server_pid)
        self.me = procfs.sched(os.getpid())
        return self

    def __exit__(self, *exc: object) -> None:
        used = {
            pid: now.since(self.before.get(pid, _ZERO))
            for pid, now in procfs.tree_sched(self.server_pid).items()
        }
        if self.workers_only:
            used.pop(self.server_pid, None)
        self.cost = StepCost(
            server=Sched(
                sum(u.on_cpu for u in used.values()), sum(u.waiting for u in used.values())
            ),
            client=procfs.sched(os.getpid()).since(self.me),
        )


def _create_upload(client: Client, file_path: str) -> tuple[str, str]:
    reply = client.post("/content/file/create-upload-url", {"filePath": file_path})
    if reply.status != 200:
        raise RuntimeError(f"POST /content/file/create-upload-url: {reply.status} {reply.body!r}")
    data = reply.data()
    return str(data["fileId"]), str(data["url"])


def _wait_ready(client: Client, file_id: str) -> tuple[dict[str, Any], int]:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    polls = 0
    while True:
        reply = client.get(f"/content/file/id/{file_id}")
        polls += 1
        if reply.status == 200:
            data: dict[str, Any] = reply.data()
            return data, polls
        if reply.status != 202:
            raise RuntimeError(f"GET /content/file/id: {reply.status} {reply.body[:300]!r}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"file {file_id} not ready after {READY_TIMEOUT_SECONDS:.0f} s")
        time.sleep(POLL_SECONDS)


def _one_pass(
    client: Client, server_pid: int, wav: Path, name: str, work: Path
) -> tuple[float, float, int, float, dict[str, Any], dict[str, StepCost]]:
    """Upload, wait for probing, download; (put s, ready s, polls, download s, file, costs)."""
    file_id, upload_url = _create_upload(client, f"bench/transfer/{name}.wav")
    costs: dict[str, StepCost] = {}
    os.sync()
    with _Meter(server_pid) as meter:
        put = _put(upload_url, wav)
    costs["upload"] = meter.cost
    started = time.perf_counter()
    with _Meter(server_pid, workers_only=True) as meter:
        data, polls = _wait_ready(client, file_id)
    ready = time.perf_counter() - started
    costs["ready"] = meter.cost
    downloaded = work / f"{name}-download.wav"
    os.sync()
    with _Meter(server_pid) as meter:
        download = _get_to_file(str(data["url"]), downloaded)
    costs["download"] = meter.cost
    if not filecmp.cmp(wav, downloaded, shallow=False):
        raise RuntimeError("the downloaded file differs from the uploaded one")
    downloaded.unlink()
    reply = client.request("DELETE", f"/content/file/id/{file_id}")
    if reply.status != 200:
        raise RuntimeError(f"DELETE /content/file/id: {reply.status} {reply.body[:300]!r}")
    return put, ready, polls, download, data, costs


def transfer(
    client: Client, server_pid: int, work: Path, runs: int, log: Log, size: int = SIZE
) -> TransferResult:
    """Benchmark 5 against a running server; ``work`` is a directory on the server's disk."""
    work.mkdir(parents=True, exist_ok=True)
    wav = work / "bench-100mb.wav"
    started = time.perf_counter()
    audio = make_wav(wav, size)
    result = TransferResult(size=wav.stat().st_size, audio_seconds=audio)
    log(
        f"  {result.size / MB:.1f} MB WAV ({audio / 60:.1f} min of 48 kHz stereo noise) "
        f"written in {time.perf_counter() - started:.1f} s"
    )
    small = work / "bench-warm-up.wav"
    make_wav(small, 2 * MB)
    _one_pass(client, server_pid, small, "warm-up", work)  # untimed: first probe imports PyAV
    small.unlink()
    for step in ("copy_fsync", "copy_cache", "upload", "ready", "download"):
        result.cost[step] = []
    for run in range(1, runs + 1):
        for step, fsync in (("copy_fsync", True), ("copy_cache", False)):
            copy = work / f"copy-{run}.wav"
            os.sync()
            with _Meter(server_pid) as meter:
                getattr(result, step).append(_copy(wav, copy, fsync))
            result.cost[step].append(StepCost(client=meter.cost.client))
            copy.unlink()
        put, ready, polls, download, data, costs = _one_pass(
            client, server_pid, wav, f"run-{run}", work
        )
        result.upload.append(put)
        result.ready.append(ready)
        result.polls.append(polls)
        result.download.append(download)
        for step, cost in costs.items():
            result.cost[step].append(cost)
        result.probed_seconds = float(data["fileMetadata"]["data"]["length"] or 0.0)
        mb = result.size / MB
        log(
            f"  run {run}: copy+fsync {mb / result.copy_fsync[-1]:,.0f} MB/s, "
            f"copy {mb / result.copy_cache[-1]:,.0f} MB/s, upload {mb / put:,.0f} MB/s, "
            f"ready {ready:.2f} s after ({polls} polls), download {mb / download:,.0f} MB/s"
        )
    wav.unlink()
    log(
        f"  medians: upload / copy+fsync {result.ratio('upload'):.1%}, "
        f"download / copy+fsync {result.ratio('download'):.1%}"
    )
    return result


def main(argv: list[str] | None = None) -> int:
    from bench.report import transfer_section
    from bench.servers import CastwrightServer

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    temp = Path(tempfile.mkdtemp(prefix="castwright-bench-"))
    server = CastwrightServer(temp / "data")
    try:
        server.start()
        with Client(server.port, server.api_key) as client:
            result = transfer(client, server.pid, temp / "work", args.runs, print)
    finally:
        server.stop()
        shutil.rmtree(temp, ignore_errors=True)
    print("\n".join(transfer_section(result)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
