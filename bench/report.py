"""docs/benchmarks.md, written whole from one run's results."""

from __future__ import annotations

from dataclasses import dataclass

from bench import files as transfer_bench
from bench import production as production_bench
from bench.carrierx import CarrierXResult, carrierx_section
from bench.content import ContentResult, content_section
from bench.files import MB, TransferResult
from bench.machine import Machine
from bench.memory import ProcessMemory
from bench.predict import PredictResult, predict_section
from bench.production import ProductionResult
from bench.reads import ReadResult
from bench.scaleout import ScaleoutResult, scaleout_section
from bench.search import SLOW_MS, BackendResult, KindResult, SearchResult
from bench.stats import median
from bench.streaming import StreamingResult, streaming_section
from bench.synthesis import POLL_SECONDS, LatencyResult, ThroughputResult
from bench.voices_quality import VoiceQualityResult, voices_section

__all__ = [
    "LATENCY_P50_MS",
    "LATENCY_P95_MS",
    "THROUGHPUT_RATIO",
    "Results",
    "production_section",
    "render",
    "search_section",
    "transfer_section",
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
    transfer: TransferResult | None = None  # issue #3: benchmark 5
    search: SearchResult | None = None  # issue #3: benchmark 6
    production: ProductionResult | None = None  # issue #4: benchmark 7
    streaming: StreamingResult | None = None  # issue #8: benchmark 8
    carrierx: CarrierXResult | None = None  # issue #7: benchmark 9
    voices: VoiceQualityResult | None = None  # issue #11: benchmark 12
    content: ContentResult | None = None  # issue #6: benchmark 10
    scaleout: ScaleoutResult | None = None  # issue #9: benchmark 11
    predict: PredictResult | None = None  # issue #5: benchmark 13


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
        "itself from time spent runnable but waiting for a CPU that other processes held. "
        "The server spreads one long section's synthesis over the cores (forked helpers, "
        "`speech.render_processes`, one per core by default), the baseline is one thread: "
        "the wall-time ratio is what a user waits, the CPU ratio is the work each does.",
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
    if rest >= 0:
        split = (
            f"The API's median wall time, {wall:.3f} s, is the worker on a CPU for {cpu:.3f} s, "
            f"waiting for one for {wait:.3f} s and {rest:.3f} s for the rest (hand-off to the "
            f"worker, database, HTTP, the {POLL_SECONDS * 1000:.0f} ms poll; "
        )
    else:  # the render ran on several cores at once: its CPU seconds exceed the wall's
        split = (
            f"In the API's median wall time, {wall:.3f} s, the worker and the helpers it forked "
            f"were on a CPU for {cpu:.3f} s in all ({cpu / wall:.1f} cores busy on average) and "
            f"waiting for one for {wait:.3f} s ("
        )
    return [
        split + f"the server process "
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


MOVES = ("upload", "download")  # the steps through the server, set against the copies


def _cpu_cells(values: tuple[float, float, float, float], server: bool = True) -> list[str]:
    server_cpu, server_wait, client_cpu, client_wait = values
    cells = [f"{server_cpu:.2f}", f"{server_wait:.2f}"] if server else ["—", "—"]
    return [*cells, f"{client_cpu:.2f}", f"{client_wait:.2f}"]


def transfer_section(t: TransferResult) -> list[str]:
    runs = len(t.upload)
    mb = t.size / MB

    def row(label: str, step: str, server: bool = True) -> list[str]:
        return [
            label,
            _seconds(getattr(t, step)),
            f"**{t.rate(step):,.0f}**",
            "baseline" if step == "copy_fsync" else _bold(f"{t.ratio(step):.1%}", step in MOVES),
            f"{t.ratio(step, 'copy_cache'):.1%}",
            *_cpu_cells(t.cpu(step), server),
        ]

    rows = [
        row("plain copy: `shutil.copyfile` + `fsync`", "copy_fsync", server=False),
        row("plain copy: `shutil.copyfile` (page cache)", "copy_cache", server=False),
        row("**upload**: `PUT` the bytes to the upload URL, to its reply", "upload"),
        row("**download**: `GET` the download URL, streamed to a file", "download"),
    ]
    ready = t.cpu("ready")
    polls = median([float(p) for p in t.polls])
    return [
        "## 5. File upload and download (100 MB WAV)",
        "",
        f"A {mb:.0f} MB WAV (1 MB = 10^6 bytes; {t.audio_seconds / 60:.1f} minutes of 48 kHz "
        "16-bit stereo noise, so probing decodes real audio) through the legacy flow "
        "(`POST /content/file/create-upload-url`, `PUT` to the upload URL, `GET "
        "/content/file/id/{id}` until 200, `GET` the download URL) against a plain copy of the "
        "same file on the same disk (the temporary directory that holds the server's data "
        f"directory), in the same run. {runs} run{'s' if runs != 1 else ''} after an untimed "
        "warm-up with a 2 MB WAV; "
        "rates are medians of the per-run rates. `os.sync()` (untimed) before each timed step. "
        "The client sends and reads 1 MiB blocks. CPU columns as in benchmark 1 (medians; "
        "server = the server process and its workers, client = this process).",
        "",
        *_table(
            [
                "path",
                "seconds (each run)",
                "MB/s",
                "/ copy + fsync",
                "/ copy (page cache)",
                "server on CPU s",
                "server waiting s",
                "client on CPU s",
                "client waiting s",
            ],
            rows,
            "lrrrrrrrr",
        ),
        "",
        f"**Time to ready** (the upload's reply to the first `GET /content/file/id` that answers "
        f"200, i.e. probing): **{t.seconds('ready'):.3f} s** median "
        f"({_seconds(t.ready)}; polled every {transfer_bench.POLL_SECONDS * 1000:.0f} ms, "
        f"{polls:.0f} polls), the worker on a CPU for {ready[0]:.3f} s and waiting for one "
        f"{ready[1]:.3f} s. The probe decoded {t.probed_seconds:.2f} s of audio "
        f"(the file holds {t.audio_seconds:.2f} s). Upload plus probing: "
        f"{mb / (t.seconds('upload') + t.seconds('ready')):,.0f} MB/s end to end.",
    ]


def _bold(text: str, bold: bool = True) -> str:
    return f"**{text}**" if bold else text


def _ms(value: float) -> str:
    return f"**{value:.1f}**" if value > SLOW_MS else f"{value:.1f}"


def search_section(s: SearchResult) -> list[str]:
    ran = [b for b in s.backends if not b.skipped]
    lines = [
        f"## 6. File search with {s.files:,} files",
        "",
    ]
    library = next((b.library for b in ran if b.library), None)
    if library is not None:
        lines += [
            f"{library.files:,} files in {library.folders:,} folders (10 areas x 10 kinds x "
            "10 years, e.g. `music/beds/2021`, about 100 files per leaf folder), names like "
            "`storm-echo-004217.wav`, six categories (one uncategorised) and 0 to 3 of 20 tags "
            f"per file ({library.tags:,} tag rows), created a few minutes apart over a year, "
            "generated from a fixed seed (`bench/library.py`) and inserted through SQLAlchemy "
            "into the server's freshly migrated database before `castwright serve` starts on it. "
            "PostgreSQL then gets `VACUUM ANALYZE` (the state autovacuum keeps a library of this "
            "size in); SQLite gets nothing, as Castwright never runs `ANALYZE`.",
            "",
        ]
    lines += [
        f"Per query kind: sequential requests on one keep-alive connection (two warm-up, then "
        f"up to {s.sequential_max} or {s.sequential_seconds:.0f} s, at least 10), then "
        f"{s.connections} connections in a closed loop for {s.duration:.0f} s after 1 s of "
        "warm-up. Every search sorts by `-dateCreated` (the route's default) and answers one "
        f"page of at most 100 files, each with a signed URL. p50 above {SLOW_MS:.0f} ms in "
        "**bold**.",
        "",
    ]
    rows = [
        [
            f"{k.label} `?{k.query}`",
            backend.name,
            f"{k.total:,} / {k.page}",
            _ms(k.seq_ms(50)),
            f"{k.seq_ms(99):.1f}",
            _ms(k.load_ms(50)),
            f"{k.load_ms(99):.1f}",
            f"{k.load.rps:,.1f}" if k.load else "—",
            str(k.load.errors) if k.load else "—",
        ]
        for backend, k in _kind_rows(s)
    ]
    lines += _table(
        [
            "query",
            "backend",
            "files matching / on the page",
            "sequential p50 ms",
            "sequential p99 ms",
            f"{s.connections} conn. p50 ms",
            f"{s.connections} conn. p99 ms",
            "requests/s",
            "errors",
        ],
        rows,
        "llrrrrrrr",
    )
    cost_rows = [
        [
            k.label,
            backend.name,
            f"{k.sql_count * 1000:.1f} / {k.sql_count_cpu * 1000:.1f}",
            f"{k.sql_page * 1000:.1f} / {k.sql_page_cpu * 1000:.1f}",
            f"{k.server.on_cpu:.1f}",
            f"{k.server.waiting:.1f}",
            f"{k.database.on_cpu:.1f}" if k.database else "(in the server)",
            f"{k.database.waiting:.1f}" if k.database else "",
            f"{k.client_cpu_share:.0%}",
        ]
        for backend, k in _kind_rows(s)
    ]
    lines += [
        "",
        "Where the time goes. SQL: the two statements the repository runs (the count, then "
        "the page), captured and replayed in the benchmark process after the server stopped, "
        "medians of 5, wall time and the CPU time of the database engine (SQLite: this "
        "thread; PostgreSQL: the connection's backend, without any parallel workers). The rest "
        "of a sequential request's time is the server's Python (loading the rows, a signed URL "
        "and the JSON of each file) and, on this shared machine, waiting for a CPU. "
        "CPU: seconds on a CPU and runnable but waiting for one during the "
        f"{s.duration:.0f} s concurrent run (plus its warm-up), for the server process and, on "
        "PostgreSQL, its database backends (`/proc/<pid>/task/*/schedstat`).",
        "",
        *_table(
            [
                "query",
                "backend",
                "SQL count ms, wall / CPU",
                "SQL page ms, wall / CPU",
                "server on CPU s",
                "server waiting s",
                "DB backends on CPU s",
                "DB backends waiting s",
                "load generator CPU",
            ],
            cost_rows,
            "llrrrrrrr",
        ),
        "",
    ]
    slow = [
        f"{k.label} on {b.name} ({k.seq_ms(50):.0f} ms; its SQL {k.sql_count * 1000:.0f} ms "
        f"count + {k.sql_page * 1000:.0f} ms page)"
        for b, k in _kind_rows(s)
        if k.slow
    ]
    lines += [
        f"Sequential p50 over {SLOW_MS:.0f} ms: " + ("; ".join(slow) if slow else "none") + ".",
        "",
    ]
    for backend in s.backends:
        if backend.skipped:
            lines += [f"{backend.name}: not measured ({backend.skipped}).", ""]
        elif backend.library is not None:
            lib = backend.library
            vacuum = (
                f", `VACUUM ANALYZE` {lib.analyze_seconds:.1f} s"
                if lib.analyze_seconds is not None
                else ""
            )
            lines += [
                f"{backend.name} {backend.version}: bulk insert {lib.seconds:.1f} s{vacuum}; "
                f"server start {backend.server_start:.1f} s.",
                "",
            ]
    lines += ["<details><summary>Query plans (count, then page)</summary>", ""]
    for backend, k in _kind_rows(s):
        explain = "EXPLAIN (COSTS OFF)" if backend.name == "PostgreSQL" else "EXPLAIN QUERY PLAN"
        lines += [
            f"{k.label}, {backend.name} (`{explain}`):",
            "",
            "```",
            *("\n--\n".join(k.plans).splitlines()),
            "```",
            "",
        ]
    lines.append("</details>")
    return lines


def _kind_rows(s: SearchResult) -> list[tuple[BackendResult, KindResult]]:
    """(backend, result) of every query kind, grouped by kind: the backends side by side."""
    ran = [b for b in s.backends if not b.skipped and b.kinds]
    return [(b, b.kinds[i]) for i in range(len(ran[0].kinds)) for b in ran] if ran else []


def _speed(ratio: float) -> str:
    return f"{ratio:.2f}x"


def production_section(p: ProductionResult) -> list[str]:
    lines = ["## 7. A one-minute production, against the ffmpeg command line", ""]
    if p.skipped:
        return [*lines, f"Not measured: {p.skipped}."]
    runs = len(p.mix)
    cw, ff, plain = p.meters["castwright"], p.meters["ffmpeg"], p.meters["plain"]
    lines += [
        "On a `castwright serve` of its own (a fresh data directory, every setting at its "
        f"default): {p.words} words of `bench/texts/ten_minutes.txt` as one script "
        "(`POST /content/script`), "
        f"spoken by `POST /speech/tts` (voice `isaac`, `sync`, `useCache=false`: "
        f"{p.speech_seconds:.1f} s of speech), then, timed, `POST /production/mix` {{speechId, "
        f'soundTemplate "{production_bench.TEMPLATE}", masteringPreset '
        f'"{production_bench.MASTERING_PRESET}"}} to its 200 and `POST /delivery/encoder` '
        f'{{productionId, preset "{production_bench.ENCODER_PRESET}", loudnessPreset '
        f'"{production_bench.LOUDNESS_PRESET}"}} to its 200 (each POST waits for its job; '
        "a 202 would be polled every "
        f"{production_bench.POLL_SECONDS * 1000:.0f} ms: {sum(p.mix_polls + p.encode_polls)} "
        f"polls were needed). The programme is {p.programme_seconds:.1f} s: intro, the main bed "
        f"looped under the voice, outro; delivered as {cw.sample_rate / 1000:g} kHz stereo MP3 "
        f"at {cw.bit_rate // 1000} kbps CBR, -16 LUFS and -1 dBTP. "
        "The first mix over a built-in template renders its music (then kept in the library), "
        f"so one untimed run came first: its mix took {p.warm_up_mix:.2f} s and its encode "
        f"{p.warm_up_encode:.2f} s. Then {runs} timed run{'s' if runs != 1 else ''}, each "
        "followed by both ffmpeg "
        "command lines (alternating, so drift in the machine hits all alike); medians.",
        "",
        "The baseline is one `ffmpeg` command doing the same work from the same inputs: the "
        "speech section's WAV (downloaded from its URL) and the template's intro, main and "
        "outro WAVs (read from the server's blob store), laid out on the timeline the mixer "
        "reports (checked: "
        + ("the same to the millisecond" if p.layout_matches else "**it differs**")
        + f"). ffmpeg {p.ffmpeg_version}. Its CPU is the child's user + system time; "
        "Castwright's is the worker processes' time on a CPU and waiting for one "
        "(`/proc/<pid>/task/*/schedstat`).",
        "",
    ]
    cw_total, ff_time = median(p.total), median(p.ffmpeg)
    goal = production_bench.GOAL_RATIO
    mix_cpu = [m.on_cpu for m in p.mix_workers]
    encode_cpu = [e.on_cpu for e in p.encode_workers]
    waiting = [m.waiting + e.waiting for m, e in zip(p.mix_workers, p.encode_workers, strict=True)]
    rows = [
        [
            "Castwright: mix (`POST /production/mix` to 200)",
            _seconds(p.mix),
            f"{median(p.mix):.2f}",
            "",
            "",
            f"{median(mix_cpu):.2f}",
            f"{median([m.waiting for m in p.mix_workers]):.2f}",
        ],
        [
            "Castwright: encode (`POST /delivery/encoder` to 200)",
            _seconds(p.encode),
            f"{median(p.encode):.2f}",
            "",
            "",
            f"{median(encode_cpu):.2f}",
            f"{median([e.waiting for e in p.encode_workers]):.2f}",
        ],
        [
            "**Castwright: mix + encode**",
            _seconds(p.total),
            f"**{cw_total:.2f}**",
            f"**{_speed(p.ratio)}**",
            f"≥ {goal:.0f}x {_verdict(p.ratio >= goal)}",
            f"{median(p.worker_cpu):.2f}",
            f"{median(waiting):.2f}",
        ],
        [
            "Castwright: script + TTS + mix + encode",
            _seconds(p.with_tts),
            f"{median(p.with_tts):.2f}",
            _speed(ff_time / median(p.with_tts)),
            "",
            "",
            "",
        ],
        [
            "**ffmpeg command line, the same work**",
            _seconds(p.ffmpeg),
            f"**{ff_time:.2f}**",
            "baseline",
            "",
            f"{median(p.ffmpeg_cpu):.2f}",
            "—",
        ],
        [
            "ffmpeg without the speech clean-up (the issue's four filters)",
            _seconds(p.plain),
            f"{median(p.plain):.2f}",
            _speed(ff_time / median(p.plain)),
            "",
            f"{median(p.plain_cpu):.2f}",
            "—",
        ],
    ]
    lines += _table(
        [
            "path",
            "seconds (each run)",
            "median s",
            "ffmpeg / this",
            "goal",
            "on CPU s",
            "waiting for a CPU s",
        ],
        rows,
        "lrrrlrr",
    )
    lines += [
        "",
        f"Script and TTS took {median(p.script):.2f} s and {median(p.tts):.2f} s (medians); the "
        f"server process itself used {median(p.server_cpu):.2f} s of CPU during the two jobs. "
        f"By CPU time, ffmpeg / Castwright (mix + encode) is {_speed(p.cpu_ratio)}.",
        "",
        "Loudness of the delivered files, each decoded and measured by one independent meter, "
        "ffmpeg's `ebur128=peak=true` (the last frame's integrated loudness and the largest true "
        "peak, from its three-decimal metadata):",
        "",
    ]
    closer = "Castwright" if cw.miss < ff.miss else "ffmpeg" if ff.miss < cw.miss else "neither"

    def meter_row(label: str, m: production_bench.Loudness) -> list[str]:
        ceiling = production_bench.TARGET_TRUE_PEAK
        peak = f"{m.true_peak:.2f}" + ("" if m.true_peak <= ceiling + 0.005 else " **over**")
        return [
            label,
            f"{m.integrated:.2f}",
            f"{m.miss:.2f}",
            peak,
            f"{m.lra:.1f}",
            f"{m.duration:.2f}",
            f"{m.sample_rate} Hz, {m.channels} ch, {m.bit_rate // 1000} kb/s",
        ]

    lines += _table(
        [
            "output",
            "integrated LUFS",
            "LU from -16",
            "true peak dBTP (ceiling -1)",
            "LRA LU",
            "duration s",
            "format",
        ],
        [
            meter_row("Castwright MP3", cw),
            meter_row("ffmpeg MP3, the same work", ff),
            meter_row("ffmpeg MP3, without the speech clean-up", plain),
        ],
        "lrrrrrl",
    )
    reported = p.reported
    lines += [
        "",
        f"Closer to the -16 LUFS target: **{closer}** ({cw.miss:.2f} LU against {ff.miss:.2f} "
        "LU). Castwright's encoding reports "
        f"{reported.get('integrated', float('nan')):.2f} LUFS and "
        f"{reported.get('truePeak', float('nan')):.2f} dBTP for itself. espeak-ng's output "
        "differs by a few milliseconds from one render to the next (here the speech lasted "
        f"{min(p.speech_runs):.3f} to {max(p.speech_runs):.3f} s), so each run's command line "
        "took that run's speech; the meters read the last run's files.",
        "",
        "The command (file names shortened; the music gain is the one that puts the main bed "
        f"{production_bench.MUSIC_UNDER_SPEECH_LU:.0f} LU under this speech, as the preset "
        "does, measured once beforehand; the ducking is set so the music dips about 10 dB "
        "under this speech (median over 100 ms windows), near the preset's 9 dB; `qsin` "
        "fades are the mixer's equal-power ones; `loudnorm` in one pass, as it is usually "
        "run, then `aresample` to the MP3's rate, as `loudnorm` works at 192 kHz):",
        "",
        "```sh",
        p.command,
        "```",
        "",
    ]
    total_mix, total_encode = p.profile[-1][1], p.profile[-1][2]
    both = total_mix + total_encode
    profile_rows = [
        [label, f"{mix:.3f}", f"{encode:.3f}", f"{(mix + encode) / both:.0%}"]
        for label, mix, encode in p.profile[:-1]
    ]
    profile_rows.append(
        ["**the whole job**", f"**{total_mix:.3f}**", f"**{total_encode:.3f}**", "100%"]
    )
    lines += [
        "Where Castwright's time goes: the two jobs' audio work (decoding the inputs, "
        "`render_mix`, the WAV it stores; decoding that, `_encode_to_target` with its "
        "normalisation, LAME encode, decode and check of the MP3, and the loudness figures the "
        "encoding records) replayed in the benchmark process on the same inputs under cProfile, "
        "timed by CPU time, without the database and HTTP:",
        "",
        *_table(["step", "mix job CPU s", "encode job CPU s", "share"], profile_rows, "lrrr"),
        "",
    ]

    def cpu_of(*prefixes: str) -> float:
        return sum(m + e for label, m, e in p.profile[:-1] if label.startswith(prefixes))

    lame, decoding = cpu_of("MP3"), cpu_of("decoding")
    meters = cpu_of("loudness meter", "true-peak meter")
    lines.append(
        f"Of the {both:.2f} s, LAME took {lame:.2f} s ({lame / both:.0%}; it is in ffmpeg's "
        f"time too), the loudness and true-peak meters {meters:.2f} s ({meters / both:.0%}: the "
        "mix measures the speech, the music and each normalisation pass, the encode job "
        "normalises the mastered mix again before encoding and meters the decoded MP3), and "
        f"decoding {decoding:.2f} s ({decoding / both:.0%}). Through the API the workers were "
        f"on a CPU for {median(p.worker_cpu):.2f} s and waiting for one "
        f"{median(waiting):.2f} s (medians, summed over threads: the true-peak FFTs use "
        f"every core) in {cw_total:.2f} s of mix + encode."
    )
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
        *_database_rows(r),
        ["date", r.date],
        ["command", "`make bench`"],
        ["run time", f"{r.run_seconds:.0f} s (server start {r.server_start_seconds:.1f} s)"],
        [
            "load average (1 min)",
            f"{r.load_before:.2f} before, {r.load_after:.2f} after the run (includes the run)",
        ],
    ]
    return ["## Machine", "", *_table(["", ""], rows, "ll")]


def _database_rows(r: Results) -> list[list[str]]:
    if r.search is None:
        return []
    return [
        [b.name, b.version if not b.skipped else f"not measured: {b.skipped}"]
        for b in r.search.backends
    ]


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
        "",
        "Benchmark 5 (issue #3) runs on the same server after benchmarks 1 to 4 (so the memory "
        "figures above do not include it), then stops it; benchmark 6 starts two servers of "
        "its own, one on SQLite (the default) and one on PostgreSQL (`CASTWRIGHT_DATABASE_URL` "
        "pointing at a fresh schema of the local test database, dropped at the end; "
        "`CASTWRIGHT_BENCH_POSTGRES_URL` picks another server), each on a library inserted "
        "before it starts. Their own sections say how they measure. This machine has 2 cores "
        "and was shared with other work while the figures were taken: the schedstat columns "
        "show how long processes were runnable but waiting for a CPU, summed over threads "
        "(the server's thread pool has many, so its waiting seconds exceed the wall time), and "
        "the CPU columns are the steadier figures to compare.",
    ]


def render(r: Results) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Issues #2 (sections 1 to 4), #3 (files: sections 5 and 6), #4 (production: "
        "section 7), #8 (streaming: section 8), #7 (CarrierX: section 9), #6 (content and "
        "cloning: section 10), #9 (scale-out: section 11), #11 (voice quality: section 12), "
        "#5 (length prediction: section 13). "
        "Written by `make bench` "
        "(`bench/run.py`); do not edit by hand, run it again.",
        "",
        *throughput_section(r),
        "",
        *latency_section(r),
        "",
        *reads_section(r),
        "",
        *memory_section(r),
        "",
        *([*transfer_section(r.transfer), ""] if r.transfer else []),
        *([*search_section(r.search), ""] if r.search else []),
        *([*production_section(r.production), ""] if r.production else []),
        *([*streaming_section(r.streaming), ""] if r.streaming else []),
        *([*carrierx_section(r.carrierx), ""] if r.carrierx else []),
        *([*content_section(r.content), ""] if r.content else []),
        *([*scaleout_section(r.scaleout), ""] if r.scaleout else []),
        *([*voices_section(r.voices), ""] if r.voices else []),
        *([*predict_section(r.predict), ""] if r.predict else []),
        *machine_section(r),
        "",
        *method_section(r),
    ]
    return "\n".join(lines) + "\n"
