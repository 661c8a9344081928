"""Benchmark 11 (issue #9): render jobs through the Celery queue with 1 and 2 workers, against
the inline queue, in the same run, on the same PostgreSQL.

Per configuration, on a fresh schema and data directory:

* inline: one `castwright serve` whose own worker pool renders (one process per core);
* Celery, 1 worker / 2 workers: one `castwright serve` (CASTWRIGHT_QUEUE=celery) publishing
  to a Redis of this benchmark's own, and that many `castwright worker --concurrency 1`.

Measured:

* throughput: a fixed batch of distinct render jobs (``POST /speech/tts`` sync=false,
  useCache=false), all posted at once and polled to their 200s; audio minutes per wall minute,
  from the first POST to the last 200;
* API latency under that load: two closed-loop clients reading one finished speech
  (``GET /speech/tts/{id}``, database read and signed URLs) for as long as the batch runs;
* the queue's added latency per job, idle: sequential one-sentence renders (sync=true), each
  job's ``started_at - created_at`` from its row (the hand-off alone: commit, publish, a worker
  picking it up), and the whole POST-to-200 round trip.

    .venv/bin/python -m bench.scaleout [--jobs N] [--sequential N]   # on its own
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from bench.client import Client
from bench.search import PostgresSchema, postgres_base_url
from bench.servers import CastwrightServer, _Process, free_port
from bench.stats import median, percentile
from bench.synthesis import create_script, finish_speech, post_speech, ten_minute_text

__all__ = ["QueueRun", "ScaleoutResult", "scaleout", "scaleout_section"]

Log = Callable[[str], None]

WORDS_PER_JOB = 60  # about 25 s of speech in voice isaac
READ_CLIENTS = 2
JOB_TIMEOUT_SECONDS = 600.0  # a batch that takes longer is a failure, not a figure
SECRET = "bench-scaleout"


@dataclass
class QueueRun:
    label: str
    renderers: int  # processes that render jobs
    audio_seconds: float = 0.0
    wall_seconds: float = 0.0
    read_ms: list[float] = field(default_factory=list)  # GETs during the batch
    wait_ms: list[float] = field(default_factory=list)  # idle: started_at - created_at
    round_trip_ms: list[float] = field(default_factory=list)  # idle: POST sync to 200

    @property
    def rate(self) -> float:
        """Audio minutes per wall minute (the same as seconds per second)."""
        return self.audio_seconds / self.wall_seconds if self.wall_seconds else 0.0


@dataclass
class ScaleoutResult:
    jobs: int
    sequential: int
    words_per_job: int = WORDS_PER_JOB
    runs: list[QueueRun] = field(default_factory=list)
    postgres_version: str = ""
    redis_version: str = ""
    skipped: str = ""


def batch_texts(jobs: int) -> list[str]:
    """Distinct texts of about WORDS_PER_JOB words each, from the ten-minute text."""
    words = ten_minute_text().split()
    texts = []
    for n in range(jobs):
        start = (n * WORDS_PER_JOB) % max(1, len(words) - WORDS_PER_JOB)
        texts.append(f"Part {n + 1}. " + " ".join(words[start : start + WORDS_PER_JOB]))
    return texts


class _Redis:
    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        argv = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        argv += ["--appendonly", "no", "--dir", str(self.directory)]
        self.process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True,
                              text=True).stdout.strip() == "PONG":  # fmt: skip
                return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def _environment(extra: dict[str, str]) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CASTWRIGHT_")}
    clean.pop("PROMETHEUS_MULTIPROC_DIR", None)
    return {**clean, "NO_COLOR": "1", **extra}


class _Api(CastwrightServer):
    def __init__(self, data_dir: Path, database_url: str, extra: dict[str, str]) -> None:
        super().__init__(data_dir, database_url)
        self.extra = extra

    def settings_env(self) -> dict[str, str]:
        return {**super().settings_env(), **self.extra}


class _Worker(_Process):
    """`castwright worker --concurrency 1`, ready once Celery logs so."""

    def __init__(self, name: str, data_dir: Path, env: dict[str, str]) -> None:
        super().__init__(f"castwright worker {name}", data_dir / f"{name}.log")
        self.node, self.env, self.data_dir = f"{name}@bench", env, data_dir

    def start(self) -> _Worker:
        argv = [sys.executable, "-m", "castwright.cli.main", "worker", "-c", "1", "-n", self.node]
        self._spawn(argv, _environment(self.env), self.data_dir)
        deadline = time.monotonic() + 120
        while " ready." not in self.log():
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.log()[-2000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} not ready:\n{self.log()[-2000:]}")
            time.sleep(0.1)
        return self


def _read_load(port: int, key: str, path: str, stop: threading.Event, into: list[float]) -> None:
    with Client(port, key) as client:
        while not stop.is_set():
            started = time.perf_counter()
            reply = client.get(path)
            if reply.status == 200:
                into.append((time.perf_counter() - started) * 1000)


def _batch(client: Client, server: _Api, texts: list[str], read_path: str, run: QueueRun) -> None:
    scripts = [create_script(client, text, f"bench-scaleout-{n}") for n, text in enumerate(texts)]
    stop, readers = threading.Event(), []
    for _ in range(READ_CLIENTS):
        reader = threading.Thread(
            target=_read_load, args=(server.port, server.api_key, read_path, stop, run.read_ms)
        )
        reader.start()
        readers.append(reader)
    started = time.perf_counter()
    try:
        pending = [post_speech(client, s, sync=False, use_cache=False).data()["speechId"]
                   for s in scripts]  # fmt: skip
        deadline = time.monotonic() + JOB_TIMEOUT_SECONDS
        while pending:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{len(pending)} render(s) unfinished after the time limit")
            time.sleep(0.05)
            for speech_id in list(pending):
                reply = client.get(f"/speech/tts/{speech_id}")
                if reply.status == 200:
                    sections = reply.data()["sections"]
                    run.audio_seconds += sum(float(s["duration"]) for s in sections)
                    pending.remove(speech_id)
                elif reply.status != 202:
                    raise RuntimeError(f"render {speech_id}: {reply.status} {reply.body[:300]!r}")
        run.wall_seconds = time.perf_counter() - started
    finally:
        stop.set()
        for reader in readers:
            reader.join()


def _sequential(client: Client, database_url: str, count: int, run: QueueRun) -> None:
    for n in range(count):
        script = create_script(client, f"Sentence {n + 1} for the hand-off.", f"bench-hand-{n}")
        started = time.perf_counter()
        finish_speech(client, post_speech(client, script, sync=True, use_cache=False))
        run.round_trip_ms.append((time.perf_counter() - started) * 1000)
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "select created_at, started_at from job where kind = 'speech.render' "
                    "order by created_at desc limit :n"
                ),
                {"n": count},
            ).all()
    finally:
        engine.dispose()
    run.wait_ms = [(started - created).total_seconds() * 1000 for created, started in rows]


def _one_configuration(
    work: Path, label: str, workers: int, broker: str, texts: list[str], sequential: int,
    log: Log, on_cleanup: Callable[[Callable[[], None]], None] | None,
) -> QueueRun:  # fmt: skip
    schema = PostgresSchema(postgres_base_url())
    url = schema.create()
    if on_cleanup is not None:
        on_cleanup(schema.drop)
    data_dir = work / label.split(",")[0].replace(" ", "-").lower() / f"w{workers}"
    data_dir.mkdir(parents=True, exist_ok=True)
    extra = {"CASTWRIGHT_SECRET_KEY": SECRET, "CASTWRIGHT_SPEECH__RENDER_PROCESSES": "1"}
    if broker:
        extra |= {"CASTWRIGHT_QUEUE": "celery", "CASTWRIGHT_BROKER_URL": broker}
    server = _Api(data_dir, url, extra)
    processes: list[_Process] = [server]
    if on_cleanup is not None:
        on_cleanup(server.stop)
    run = QueueRun(label, renderers=workers or os.cpu_count() or 1)
    try:
        server.start()
        for n in range(workers if broker else 0):
            env = {**extra, "CASTWRIGHT_DATA_DIR": str(data_dir), "CASTWRIGHT_DATABASE_URL": url}
            worker = _Worker(f"w{n + 1}", data_dir, env)
            processes.append(worker)
            if on_cleanup is not None:
                on_cleanup(worker.stop)
            worker.start()
        with Client(server.port, server.api_key) as client:
            # One untimed render first: engines load, connections open, templates install.
            warm_script = create_script(client, texts[0], "bench-scaleout-warm-up")
            warm = finish_speech(client, post_speech(client, warm_script, sync=True))
            _sequential(client, url, sequential, run)
            _batch(client, server, texts[1:], f"/speech/tts/{warm['speechId']}", run)
        log(
            f"  {label}: {run.rate:.1f} audio min / wall min ({run.audio_seconds:.0f} s in "
            f"{run.wall_seconds:.1f} s), GET p99 {percentile(run.read_ms, 99):.1f} ms, "
            f"hand-off median {median(run.wait_ms):.1f} ms"
        )
    finally:
        for process in reversed(processes):
            process.stop()
        schema.drop()
    return run


def scaleout(
    work: Path,
    jobs: int,
    sequential: int,
    log: Log,
    on_cleanup: Callable[[Callable[[], None]], None] | None = None,
) -> ScaleoutResult:
    """Benchmark 11: the inline queue, then Celery with 1 and 2 workers."""
    result = ScaleoutResult(jobs=jobs, sequential=sequential)
    probe = PostgresSchema(postgres_base_url())
    reason = probe.unavailable()
    if reason is None and shutil.which("redis-server") is None:
        reason = "redis-server is not installed (make system-deps)"
    if reason:
        log(f"  skipped: {reason}")
        result.skipped = reason
        return result
    result.postgres_version = probe.version()
    probe.drop()
    version = subprocess.run(["redis-server", "--version"], capture_output=True, text=True)
    result.redis_version = (
        version.stdout.split("v=")[1].split()[0] if "v=" in version.stdout else ""
    )
    redis = _Redis(work / "redis")
    redis.start()
    if on_cleanup is not None:
        on_cleanup(redis.stop)
    texts = batch_texts(jobs + 1)  # the first warms the renderers up, untimed
    try:
        cpus = os.cpu_count() or 1
        configurations = [
            (f"inline, {cpus} worker processes", cpus, ""),
            ("Celery, 1 worker", 1, redis.url),
            ("Celery, 2 workers", 2, redis.url),
        ]
        for label, workers, broker in configurations:
            result.runs.append(
                _one_configuration(work, label, workers, broker, texts, sequential, log, on_cleanup)
            )
    finally:
        redis.stop()
    return result


def scaleout_section(s: ScaleoutResult) -> list[str]:
    lines = [
        "## 11. Scale-out: the Celery queue with 1 and 2 workers, against the inline queue",
        "",
    ]
    if s.skipped:
        return [*lines, f"Skipped: {s.skipped}."]
    inline = s.runs[0]
    rows = [
        [
            f"**{run.label}**",
            str(run.renderers),
            f"{run.audio_seconds:.0f}",
            f"{run.wall_seconds:.1f}",
            f"**{run.rate:.1f}**",
            "baseline" if run is inline else f"{run.rate / inline.rate:.2f}x",
            f"{percentile(run.read_ms, 50):.1f}",
            f"**{percentile(run.read_ms, 99):.1f}**",
            f"{median(run.wait_ms):.1f}",
            f"{percentile(run.wait_ms, 90):.1f}",
            f"{median(run.round_trip_ms):.1f}",
        ]
        for run in s.runs
    ]
    header = [
        "queue",
        "rendering processes",
        "audio s",
        "wall s",
        "audio min / wall min",
        "/ inline",
        "GET p50 ms (under load)",
        "GET p99 ms (under load)",
        "hand-off median ms",
        "hand-off p90 ms",
        "sync TTS round trip median ms",
    ]
    table = [
        "| " + " | ".join(header) + " |",
        "|---|" + "---:|" * (len(header) - 1),
        *("| " + " | ".join(row) + " |" for row in rows),
    ]
    return [
        *lines,
        f"Each configuration on a fresh PostgreSQL {s.postgres_version} schema and data "
        f"directory; Celery on a Redis {s.redis_version} of the benchmark's own; each worker "
        f"`castwright worker --concurrency 1`. After one untimed render, hand-off: "
        f"{s.sequential} one-sentence renders one after another on the idle server, each job's "
        "`started_at - created_at` from its row (commit, publish, a worker taking it), and the "
        f"POST (sync=true) to 200 round trip. Throughput: {s.jobs} distinct renders of about "
        f"{s.words_per_job} words (`POST /speech/tts` sync=false, useCache=false) posted at "
        "once and polled to their 200s; audio minutes per wall minute from the first POST to "
        f"the last 200. Meanwhile {READ_CLIENTS} closed-loop clients read one finished speech "
        "(`GET /speech/tts/{id}`): the API's latency under that load.",
        "",
        *table,
        "",
        "With the inline queue the API process hands a job to its own pool; with Celery the id "
        "goes through Redis to a worker process, which could be on another host, and a "
        "synchronous POST is woken by the worker's notice over Redis pub/sub (the job row is "
        "polled as the fallback). Here every process shares the same cores, with whatever else "
        "ran on the machine, so the figures show what the queue costs, not what more hosts "
        "gain: a worker on a host of its own adds that host's cores to the throughput.",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=6)
    parser.add_argument("--sequential", type=int, default=5)
    args = parser.parse_args(argv)
    import tempfile

    with tempfile.TemporaryDirectory(prefix="castwright-scaleout-") as temp:
        result = scaleout(Path(temp), args.jobs, args.sequential, lambda m: print(m, flush=True))
    print("\n".join(scaleout_section(result)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
