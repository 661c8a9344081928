"""docs/benchmarks.md, written whole from one run's results."""

from __future__ import annotations

from dataclasses import dataclass

from bench.machine import Machine
from bench.memory import ProcessMemory
from bench.reads import ReadResult
from bench.stats import median
from bench.synthesis import POLL_SECONDS, LatencyResult, ThroughputResult

__all__ = [
    "LATENCY_P50_MS",
    "LATENCY_P95_MS",
    "THROUGHPUT_RATIO",
    "Results",
    "render",
]

THROUGHPUT_RATIO = 0.90
LATENCY_P50_MS = 100.0
LATENCY_P95_MS = 250.0


@dataclass
class Results:
    date: str
    machine: Machine
    workers: int
    server_start_seconds: float
    run_seconds: float
    load_before: float
    load_after: float
    throughput: ThroughputResult
    latency: LatencyResult
    reads: list[ReadResult]
    connections: int
    read_seconds: float
    idle_seconds: float
    memory_idle: list[ProcessMemory]
    memory_after: list[ProcessMemory]


def _verdict(ok: bool) -> str:
    return "**pass**" if ok else "**miss**"


def _table(header: list[str], rows: list[list[str]], align: str = "") -> list[str]:
    align = align or "l" + "r" * (len(header) - 1)
    marks = {"l": "---", "r": "---:", "c": ":---:"}
    return [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(marks[a] for a in align) + "|",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def _seconds(values: list[float]) -> str:
    return " / ".join(f"{v:.3f}" for v in values)


def throughput_section(r: Results) -> list[str]:
    t = r.throughput
    runs = len(t.api_wall)
    engine_audio, api_audio = t.engine_audio[0], t.api_audio[0]
    rows = [
        [
            "raw engine (`EspeakEngine.synthesize`, 1 thread)",
            f"{engine_audio:.1f}",
            _seconds(t.engine_wall),
            f"**{t.engine_rate:,.0f}**",
            "baseline",
            "",
            f"{median(t.engine_cpu):.2f}",
            f"{median(t.engine_wait):.2f}",
            f"{t.engine_cpu_rate:,.0f}",
            "baseline",
        ],
        [
            "API (`POST /speech/tts` sync=false, poll to 200)",
            f"{api_audio:.1f}",
            _seconds(t.api_wall),
            f"**{t.api_rate:,.0f}**",
            f"**{t.ratio:.1%}**",
            f"≥ {THROUGHPUT_RATIO:.0%} {_verdict(t.ratio >= THROUGHPUT_RATIO)}",
            f"{median(t.api_cpu):.2f}",
            f"{median(t.api_wait):.2f}",
            f"{t.api_cpu_rate:,.0f}",
            f"{t.cpu_ratio:.1%}",
        ],
    ]
    return [
        "## 1. Synthesis throughput (10-minute text)",
        "",
        f"`bench/texts/ten_minutes.txt`: {t.words:,} words of English prose with numbers, "
        f"dates, times and prices, {engine_audio / 60:.1f} minutes of audio in voice `isaac`, "
        f"{t.chunks} chunks (the engine baseline's chunks "
        f"{'are' if t.chunks_match_api else 'are NOT'} the ones the server renders). "
        f"{runs} timed runs of each after one untimed pass, alternating; rates are medians. "
        "The target is on wall time. CPU columns (medians, from `/proc/<pid>/task/*/schedstat`: "
        "this process for the engine, the worker processes for the API) separate the work "
        "itself from time spent runnable but waiting for a CPU that other processes held.",
        "",
        *_table(
            [
                "path",
                "audio s",
                "wall s (each run)",
                "audio s / wall s",
                "API / engine",
                "target",
                "on CPU s",
                "waiting for a CPU s",
                "audio s / CPU s",
                "API / engine by CPU",
            ],
            rows,
            "lrrrrlrrrr",
        ),
        "",
        *_breakdown(r),
    ]


def _breakdown(r: Results) -> list[str]:
    t = r.throughput
    wall, cpu, wait = median(t.api_wall), median(t.api_cpu), median(t.api_wait)
    rest = wall - cpu - wait
    render = t.render_cpu
    steps = [[label, f"{seconds:.3f}", f"{seconds / render:.0%}"] for label, seconds in t.breakdown]
    steps.append(["**the whole render**", f"**{render:.3f}**", "100%"])
    return [
        f"The API's median wall time, {wall:.3f} s, is the worker on a CPU for {cpu:.3f} s, "
        f"waiting for one for {wait:.3f} s and {rest:.3f} s for the rest (hand-off to the "
        f"worker, database, HTTP, the {POLL_SECONDS * 1000:.0f} ms poll; the server process "
        f"itself used {median(t.server_cpu):.3f} s of CPU answering polls). What the worker's "
        "CPU time is spent on: its render (plan, synthesis, DSP, WAV, blob write) replayed in "
        "the benchmark process under cProfile, timed by CPU time, after each API run "
        "(medians):",
        "",
        *_table(["step", "CPU s", "share of the render"], steps, "lrr"),
    ]


def latency_section(r: Results) -> list[str]:
    lat = r.latency
    qs = (50, 95, 99, 100)
    api = [lat.api_ms(q) for q in qs]
    engine = [lat.engine_ms(q) for q in qs]
    rows = [
        [
            f"API (`POST /speech/tts` sync=true, {len(lat.api)} requests)",
            *(f"{v:.1f}" for v in api),
        ],
        ["raw engine, same sentences", *(f"{v:.1f}" for v in engine)],
        ["API / engine", *(f"{a / e:.1f}x" for a, e in zip(api, engine, strict=True))],
        ["API - engine (overhead)", *(f"{a - e:.1f}" for a, e in zip(api, engine, strict=True))],
        [
            "target (API)",
            f"< {LATENCY_P50_MS:.0f} {_verdict(api[0] < LATENCY_P50_MS)}",
            f"< {LATENCY_P95_MS:.0f} {_verdict(api[1] < LATENCY_P95_MS)}",
            "—",
            "—",
        ],
    ]
    mean_audio = sum(lat.audio) / len(lat.audio)
    return [
        "## 2. One-sentence TTS latency",
        "",
        f"{len(lat.api)} sequential requests, each for its own script with a distinct sentence "
        f"(on average {mean_audio:.1f} s of audio), timed from the POST to a 200 carrying section "
        f"URLs. {lat.polled} came back 202 and were polled to their 200.",
        "",
        *_table(["ms", "p50", "p95", "p99", "max"], rows, "lrrrr"),
    ]


def reads_section(r: Results) -> list[str]:
    ceiling = next(x for x in r.reads if x.route == "/bare")
    rows = [
        [
            f"{x.label} `GET {x.route}`",
            f"{x.body_bytes:,}",
            f"{x.rps:,.0f}",
            f"{x.ms(50):.2f}",
            f"{x.ms(99):.2f}",
            str(x.load.errors),
            "ceiling" if x is ceiling else f"{x.rps / ceiling.rps:.1%}",
            f"{x.client_cpu_share:.0%}",
        ]
        for x in r.reads
    ]
    return [
        "## 3. Read throughput",
        "",
        f"{r.connections} keep-alive connections, closed loop, {r.read_seconds:.0f} s per route "
        "after 1 s of warm-up. No targets: the ratio to the bare route is the figure to watch.",
        "",
        *_table(
            [
                "route",
                "body bytes",
                "requests/s",
                "p50 ms",
                "p99 ms",
                "errors",
                "rps / bare",
                "client CPU",
            ],
            rows,
            "lrrrrrrr",
        ),
    ]


def _memory_rows(memory: list[ProcessMemory]) -> list[list[str]]:
    rows = [[m.role, str(m.pid), f"{m.rss_mib:.1f}"] for m in memory]
    rows.append(["**total**", "", f"**{sum(m.rss_mib for m in memory):.1f}**"])
    return rows


def memory_section(r: Results) -> list[str]:
    idle = r.memory_idle
    workers = [m for m in idle if m.role.startswith("synthesis worker")]
    lines = [
        "## 4. Resident memory of the idle server",
        "",
        f"VmRSS from `/proc/<pid>/status` for the server and every descendant "
        f"(`/proc/<pid>/task/*/children`), after start, one TTS request and {r.idle_seconds:.0f} s "
        "idle.",
        "",
        *_table(["process", "pid", "RSS MiB"], _memory_rows(idle), "lrr"),
        "",
    ]
    if workers and len(workers) < r.workers:
        # The spawn-context pool starts workers on demand, up to one per core.
        full = sum(m.rss_mib for m in idle) + (r.workers - len(workers)) * workers[0].rss_mib
        lines += [
            f"The worker pool (spawn context) starts workers on demand, up to {r.workers} here "
            f"(one per core); with {'both' if r.workers == 2 else f'all {r.workers}'} running "
            f"the total would be about {full:.0f} MiB.",
            "",
        ]
    after_total = sum(m.rss_mib for m in r.memory_after)
    lines += [
        "After the whole run (benchmarks 1 to 3): "
        + ", ".join(f"{m.role} {m.rss_mib:.1f}" for m in r.memory_after)
        + f"; total {after_total:.1f} MiB.",
    ]
    return lines


def machine_section(r: Results) -> list[str]:
    m = r.machine
    rows = [
        ["CPU", m.cpu],
        ["cores", str(m.cores)],
        ["RAM", f"{m.ram_gib:.1f} GiB"],
        ["OS", m.kernel],
        ["Python", m.python],
        ["espeak-ng", m.espeak],
        ["packages", m.packages],
        ["commit", m.commit],
        ["date", r.date],
        ["command", "`make bench`"],
        ["run time", f"{r.run_seconds:.0f} s (server start {r.server_start_seconds:.1f} s)"],
        [
            "load average (1 min)",
            f"{r.load_before:.2f} before, {r.load_after:.2f} after the run (includes the run)",
        ],
    ]
    return ["## Machine", "", *_table(["", ""], rows, "ll")]


def method_section(r: Results) -> list[str]:
    return [
        "## Method",
        "",
        "`make bench` installs the project and runs `python -m bench.run`, which starts "
        "`castwright serve` in a fresh temporary data directory on 127.0.0.1 with every setting "
        "at its default (SQLite, local blob files, the inline queue with one worker process per "
        f"core, here {r.workers}; espeak-ng; voice `isaac`), creates an API key, and drives it "
        "over HTTP/1.1 keep-alive from the same machine. Every benchmark has a baseline measured "
        "in the same run: the raw `EspeakEngine.synthesize` in the benchmark process, "
        "single-threaded, over the same sentence chunks (`chunk_text`) with the voice's own "
        "`SynthesisParams`, for synthesis; a bare FastAPI route served by uvicorn in its own "
        "process with the server's uvicorn settings (log level warning, no access log), for "
        "reads. Throughput is audio seconds per wall second, wall time from the TTS POST to the "
        f"200 of a poll every {POLL_SECONDS * 1000:.0f} ms (`useCache=false`), the median of "
        "alternating runs; CPU and run-queue seconds come from `/proc/<pid>/task/*/schedstat`. "
        "Latency requests are "
        "sequential, scripts created beforehand and untimed. The server keeps its default "
        "`info` log level, so its one log line per request (to a file) is part of its cost. "
        "The read load "
        "generator (`bench/loadgen.py`) is a closed-loop asyncio client on raw streams with "
        "uvloop; it shares the machine's cores with the server, and its own CPU share is shown. "
        "Memory is VmRSS, which counts shared library pages in every process that maps them, so "
        "the total overstates the unique memory a little. Servers and temporary files are "
        "removed at the end. On a machine that is busy with other work (see the load average) "
        "wall times vary by tens of percent between runs, the API's most, since it needs "
        "several processes scheduled; CPU times vary less. Compare ratios, not absolute "
        "numbers, across machines.",
    ]


def render(r: Results) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Issue #2. Written by `make bench` (`bench/run.py`); do not edit by hand, run it again.",
        "",
        *throughput_section(r),
        "",
        *latency_section(r),
        "",
        *reads_section(r),
        "",
        *memory_section(r),
        "",
        *machine_section(r),
        "",
        *method_section(r),
    ]
    return "\n".join(lines) + "\n"
