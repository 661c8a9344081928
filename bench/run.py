"""`make bench`: run the benchmarks of issues #2 (1-4), #3 (5-6), #4 (7), #8 (8), #7 (9),
#6 (10), #9 (11), #11 (12) and #5 (13); rewrite docs/benchmarks.md.

.venv/bin/python -m bench.run [--quick] [--no-write] [--output PATH]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

from bench.carrierx import CarrierXResult, carrierx_tts
from bench.client import Client
from bench.content import ContentResult, content
from bench.files import TransferResult, transfer
from bench.machine import describe_machine
from bench.memory import memory_of
from bench.predict import PredictResult, predict_latency
from bench.production import ProductionResult, production
from bench.reads import ReadResult, measure_route
from bench.report import Results, render
from bench.scaleout import ScaleoutResult, scaleout
from bench.search import SearchResult, search
from bench.servers import ROOT, BareServer, CastwrightServer
from bench.streaming import StreamingResult, streaming
from bench.synthesis import (
    EngineBaseline,
    create_script,
    finish_speech,
    latency,
    post_speech,
    throughput,
)
from bench.voices_quality import VoiceQualityResult, voices_quality

__all__ = ["main"]

DOC = ROOT / "docs" / "benchmarks.md"


def log(message: str) -> None:
    print(message, flush=True)


class _Cleanup:
    """Stops the servers and removes the temporary directory, once, however the run ends.

    Ctrl-C and SIGTERM clean up in the handler and exit there: an exception raised from a
    signal handler would be swallowed if it arrived inside espeak-ng's ctypes callback.
    """

    def __init__(self, temp: Path, *servers: CastwrightServer | BareServer) -> None:
        self.temp = temp
        self.servers = servers
        self.later: list[Callable[[], None]] = []  # added during the run; undone last first
        self.state = "pending"  # pending | running | done

    def add(self, undo: Callable[[], None]) -> None:
        self.later.append(undo)

    def __call__(self) -> None:
        if self.state != "pending":
            return
        self.state = "running"
        for undo in reversed(self.later):
            try:
                undo()
            except Exception as error:  # the rest must still be cleaned up
                log(f"cleanup: {undo!r} failed: {error}")
        for server in self.servers:
            server.stop()
        shutil.rmtree(self.temp, ignore_errors=True)
        self.state = "done"

    def on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self.state == "running":
            return  # already stopping the servers: let that finish
        log(f"\nsignal {signum}: stopping the servers")
        self()
        os._exit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short runs, for trying it out")
    parser.add_argument("--no-write", action="store_true", help="leave docs/benchmarks.md")
    parser.add_argument("--output", type=Path, default=DOC, help="where to write the report")
    args = parser.parse_args(argv)
    runs, sentences, read_seconds, idle_seconds = (3, 100, 10.0, 5.0)
    library_files, search_seconds = 100_000, 10.0
    if args.quick:
        runs, sentences, read_seconds, idle_seconds = (1, 20, 2.0, 1.0)
        library_files, search_seconds = 20_000, 2.0
        if args.output == DOC:
            args.no_write = True  # quick figures never replace the real ones
    connections, warmup = 16, 1.0
    stream_requests, stream_levels, stream_seconds = 30, (1, 2, 4, 8, 12, 16, 24, 32), 10.0
    if args.quick:
        stream_requests, stream_levels, stream_seconds = 5, (1, 2, 4), 2.0
    cx_requests, cx_levels, cx_seconds = 20, (1, 2, 4, 8, 12, 16, 24, 32), 10.0
    if args.quick:
        cx_requests, cx_levels, cx_seconds = 3, (1, 2, 4), 2.0
    recommend_requests, clone_minutes = 200, (1.0, 5.0)
    if args.quick:
        recommend_requests, clone_minutes = 20, (0.5, 1.0)
    scaleout_jobs, scaleout_sequential = (12, 5) if args.quick else (48, 20)

    began = time.monotonic()
    load_before = os.getloadavg()[0]
    if load_before > 0.5:
        log(f"note: load average {load_before:.2f} before the run; other work skews the figures")
    temp = Path(tempfile.mkdtemp(prefix="castwright-bench-"))
    server = CastwrightServer(temp / "data")
    bare = BareServer(temp)
    cleanup = _Cleanup(temp, bare, server)
    signal.signal(signal.SIGTERM, cleanup.on_signal)
    signal.signal(signal.SIGINT, cleanup.on_signal)
    try:
        log("loading the espeak-ng baseline (voice isaac)")
        baseline = EngineBaseline.load()
        machine = describe_machine(baseline.espeak_version, ROOT)
        workers = os.cpu_count() or 1  # the default: one worker process per core

        log(f"starting castwright serve on {server.url}")
        started = time.monotonic()
        server.start()
        server_start = time.monotonic() - started
        with Client(server.port, server.api_key) as client:
            warm = create_script(client, "One request to warm the server up.", "bench-warm-up")
            finish_speech(client, post_speech(client, warm, sync=True))
            log(f"4. idle memory: warmed up with one TTS request, idle {idle_seconds:.0f} s")
            time.sleep(idle_seconds)
            memory_idle = memory_of(server.pid)
            for m in memory_idle:
                log(f"  {m.role} (pid {m.pid}): {m.rss_mib:.1f} MiB")

            log(f"1. synthesis throughput, {runs} run(s)")
            through = throughput(client, server.pid, baseline, runs, log)
            log(
                f"  API / engine: {through.ratio:.1%} by wall time, "
                f"{through.cpu_ratio:.1%} by CPU time"
            )

            log(f"2. one-sentence latency, {sentences} requests")
            lat = latency(client, baseline, sentences, log)
            read_script = create_script(
                client, "A short script to read back, with one sentence.", "bench-read"
            )

        log(f"3. read throughput, {connections} connections, {read_seconds:.0f} s per route")
        bare.start()
        reads: list[ReadResult] = []
        script_path = f"/content/script/{read_script}"
        targets = [
            ("bare FastAPI, async def", "/bare", bare.port, "/bare", ""),
            ("bare FastAPI, plain def", "/bare-sync", bare.port, "/bare-sync", ""),
            ("voice list", "/speech/voice", server.port, "/speech/voice", server.api_key),
            ("one script", "/content/script/{id}", server.port, script_path, server.api_key),
        ]
        for label, route, port, path, key in targets:
            reads.append(
                measure_route(
                    label,
                    route,
                    port,
                    path,
                    key,
                    connections=connections,
                    duration=read_seconds,
                    warmup=warmup,
                    log=log,
                )
            )
        bare.stop()
        memory_after = memory_of(server.pid)

        log(f"5. file upload and download, 100 MB WAV, {runs} run(s)")
        with Client(server.port, server.api_key) as client:
            moved: TransferResult = transfer(client, server.pid, temp / "transfer", runs, log)
        server.stop()  # benchmark 6 brings its own servers

        log(f"6. file search with {library_files:,} files, SQLite then PostgreSQL")
        found: SearchResult = search(
            temp / "search",
            files=library_files,
            duration=search_seconds,
            log=log,
            on_cleanup=cleanup.add,
        )

        # More runs than the others: the comparison is a ratio of two timings on a shared
        # machine, and five alternating runs steady its median.
        production_runs = 1 if args.quick else 5
        log(f"7. a one-minute production through the API and with ffmpeg, {production_runs} runs")
        made: ProductionResult = production(
            temp / "production", production_runs, log, on_cleanup=cleanup.add
        )

        log("8. streaming speech through the OpenAI face")
        streamed: StreamingResult = streaming(
            temp / "streaming",
            baseline,
            requests=stream_requests,
            levels=stream_levels,
            level_seconds=stream_seconds,
            throughput_seconds=stream_seconds,
            log=log,
            on_cleanup=cleanup.add,
        )

        log("9. CarrierX TTS streams: 1, 10 and 100 sentences, then concurrent streams")
        carried: CarrierXResult = carrierx_tts(
            temp / "carrierx",
            requests=cx_requests,
            levels=cx_levels,
            level_seconds=cx_seconds,
            log=log,
            on_cleanup=cleanup.add,
        )

        log("10. content intelligence (model, recommendation latency) and voice cloning")
        intelligence: ContentResult = content(
            temp / "content",
            requests=recommend_requests,
            clone_minutes=clone_minutes,
            log=log,
            on_cleanup=cleanup.add,
        )

        log("11. scale-out: render jobs through Celery with 1 and 2 workers, and inline")
        scaled: ScaleoutResult = scaleout(
            temp / "scaleout",
            jobs=scaleout_jobs,
            sequential=scaleout_sequential,
            log=log,
            on_cleanup=cleanup.add,
        )

        log("12. voice quality: every installed English voice, transcribed offline")
        heard: VoiceQualityResult = voices_quality(log, sentences=3 if args.quick else 10)

        log("13. length prediction of a 1,000-word script, next to rendering it")
        predicted: PredictResult = predict_latency(
            temp / "predict",
            requests=20 if args.quick else 200,
            renders=1 if args.quick else 3,
            log=log,
            on_cleanup=cleanup.add,
        )
    except BaseException:
        for process in (server, bare):
            # Without the one-line-per-request access log, which would bury the error.
            lines = [line for line in process.log().splitlines() if "castwright.http:" not in line]
            if lines:
                log(f"--- {process.name} log, last lines ---")
                log("\n".join(lines[-40:]))
        raise
    finally:
        cleanup()

    results = Results(
        date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        machine=machine,
        workers=workers,
        server_start_seconds=server_start,
        run_seconds=time.monotonic() - began,
        load_before=load_before,
        load_after=os.getloadavg()[0],
        throughput=through,
        latency=lat,
        reads=reads,
        connections=connections,
        read_seconds=read_seconds,
        idle_seconds=idle_seconds,
        memory_idle=memory_idle,
        memory_after=memory_after,
        transfer=moved,
        search=found,
        production=made,
        streaming=streamed,
        carrierx=carried,
        voices=heard,
        content=intelligence,
        scaleout=scaled,
        predict=predicted,
    )
    report = render(results)
    log("")
    log(report)
    if not args.no_write:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(report, encoding="utf-8")
        log(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
