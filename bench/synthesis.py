"""Benchmarks 1 and 2: synthesis throughput on a 10-minute text, and one-sentence latency.

Each compares the HTTP API with its baseline measured in the same run: the raw espeak-ng
engine (``EspeakEngine.synthesize``) in this process, single-threaded, over the same text with
the same ``SynthesisParams`` the voice uses.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import procfs
from bench.client import Client, Response
from bench.stats import median, percentile
from castwright.audio.wav import encode_wav
from castwright.config import SpeechSettings
from castwright.speech.engines.base import SynthesisParams
from castwright.speech.engines.espeak import EspeakEngine
from castwright.speech.engines.registry import EngineRegistry
from castwright.speech.render import SectionPlan, SpeechRun, render_plan
from castwright.speech.text.chunking import chunk_text
from castwright.speech.text.markup import parse_script
from castwright.speeches.planning import TtsOptions, plan_speech
from castwright.storage import LocalBlobStore
from castwright.voices.catalogue import Voice, VoiceCatalogue

__all__ = [
    "VOICE",
    "EngineBaseline",
    "LatencyResult",
    "ThroughputResult",
    "create_script",
    "finish_speech",
    "latency",
    "one_sentence_texts",
    "post_speech",
    "ten_minute_text",
    "throughput",
]

VOICE = "isaac"
TEXT_PATH = Path(__file__).resolve().parent / "texts" / "ten_minutes.txt"
POLL_SECONDS = 0.02
RENDER_TIMEOUT_SECONDS = 120.0  # a render that takes longer is a failure, not a figure

Log = Callable[[str], None]
Speech = dict[str, Any]


def ten_minute_text() -> str:
    return TEXT_PATH.read_text(encoding="utf-8").strip()


_NAMES = ("Ada", "Bram", "Chloe", "Dev", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jonah")
_MONTHS = ("January", "March", "April", "June", "July", "August", "October", "November")
_TEMPLATES = (
    "{name}'s order number {n} left the warehouse on {month} {day} and should arrive by Friday.",
    "The meeting with {name} moves to {hour}:{minute:02d} on {month} {day}, in room {room}.",
    "{name} ran {km} kilometres this morning, the fastest time since {year}.",
    "Please remind {name} that the invoice for {amount} dollars is due on the {day}th.",
    "At {hour} o'clock, {name} will present {count} new designs to the board.",
    "{name} found {count} typing errors in chapter {room} of the {year} edition.",
    "The train carrying {name} is running {minute} minutes late and arrives at platform {room}.",
    "Our store on {name} Street opens at {hour}:{minute:02d} on {month} {day}.",
    "{name} says the temperature reached {km} degrees on {month} {day}, {year}.",
    "Ask {name} whether the {count} boxes for order {n} were sent on time.",
)


def one_sentence_texts(count: int = 100) -> list[str]:
    """``count`` distinct one-sentence scripts, the same every run."""
    texts = []
    for index in range(count):
        template = _TEMPLATES[index % len(_TEMPLATES)]
        values = {
            "name": _NAMES[(index // len(_TEMPLATES)) % len(_NAMES)],
            "n": 40_000 + index * 137,
            "month": _MONTHS[index % len(_MONTHS)],
            "day": 1 + index % 28,
            "hour": 1 + index % 12,
            "minute": (index * 7) % 60,
            "room": 2 + index % 40,
            "km": 5 + index % 31,
            "year": 1990 + index % 35,
            "amount": 120 + index * 13,
            "count": 3 + index % 17,
        }
        texts.append(template.format(**values))
    if len(set(texts)) != len(texts):
        raise AssertionError("the one-sentence texts must be distinct")
    return texts


# -- the raw engine --------------------------------------------------------------------------


@dataclass
class EngineBaseline:
    """EspeakEngine with the voice's own parameters, as the renderer would call it."""

    engine: EspeakEngine
    voice: Voice
    params: SynthesisParams
    speech: SpeechSettings
    engines: EngineRegistry
    catalogue: VoiceCatalogue

    @classmethod
    def load(cls, alias: str = VOICE) -> EngineBaseline:
        speech = SpeechSettings()  # the defaults, whatever the environment says
        engines = EngineRegistry.load(speech.engines, include_fake=speech.enable_fake_engine)
        catalogue = VoiceCatalogue.build(engines, speech)
        voice = catalogue.resolve(alias)
        if voice.engine != EspeakEngine.name:
            raise RuntimeError(f"voice {alias} is not an espeak-ng voice: {voice.engine}")
        engine = EspeakEngine()
        baseline = cls(engine, voice, voice.params(), speech, engines, catalogue)
        baseline.synthesize("Warm up the engine.")
        return baseline

    @property
    def espeak_version(self) -> str:
        return self.engine.version.split("+")[0]

    def synthesize(self, text: str) -> float:
        """Seconds of audio for ``text``."""
        return self.engine.synthesize(text, self.voice.engine_voice_id, self.params).duration

    def chunks(self, text: str) -> list[str]:
        return chunk_text(text, max_chars=self.speech.chunk_chars)

    def plans(self, text: str) -> list[SectionPlan]:
        """What the server plans for ``text`` as a script, with the request the benchmark sends."""
        return plan_speech(parse_script(text), TtsOptions(voice=VOICE), self.catalogue)

    def api_chunks(self, text: str) -> list[str]:
        """The chunks the server's renderer will synthesise for ``text`` as a script."""
        return [
            piece
            for plan in self.plans(text)
            for segment in plan.segments
            if isinstance(segment, SpeechRun)
            for piece in chunk_text(segment.text, max_chars=self.speech.chunk_chars)
        ]


# -- the API ---------------------------------------------------------------------------------


def create_script(client: Client, text: str, name: str) -> str:
    reply = client.post("/content/script", {"scriptText": text, "scriptName": name})
    if reply.status != 200:
        raise RuntimeError(f"POST /content/script: {reply.status} {reply.body[:300]!r}")
    return str(reply.data()["scriptId"])


def finish_speech(client: Client, reply: Response, where: str = "POST /speech/tts") -> Speech:
    """The finished speech for a TTS POST's reply: polls GET /speech/tts/{id} after a 202."""
    deadline = time.monotonic() + RENDER_TIMEOUT_SECONDS
    while reply.status == 202:
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"speech {reply.data()['speechId']} not finished after "
                f"{RENDER_TIMEOUT_SECONDS:.0f} s (see the server log below)"
            )
        time.sleep(POLL_SECONDS)
        where = "GET /speech/tts"
        reply = client.get(f"/speech/tts/{reply.data()['speechId']}")
    if reply.status != 200:
        raise RuntimeError(f"{where}: {reply.status} {reply.body[:300]!r}")
    data: Speech = reply.data()
    sections = data.get("sections") or []
    if not sections or not all(s.get("url") for s in sections):
        raise RuntimeError(f"a finished speech without section URLs: {data!r}"[:500])
    return data


def post_speech(client: Client, script_id: str, *, sync: bool, use_cache: bool = True) -> Response:
    body = {"scriptId": script_id, "voice": VOICE, "sync": sync, "useCache": use_cache}
    return client.post("/speech/tts", body)


def audio_seconds(speech: Speech) -> float:
    return sum(float(section["duration"]) for section in speech["sections"])


# -- benchmark 1 -----------------------------------------------------------------------------


@dataclass
class ThroughputResult:
    words: int
    chunks: int
    chunks_match_api: bool
    engine_audio: list[float] = field(default_factory=list)
    engine_wall: list[float] = field(default_factory=list)
    api_audio: list[float] = field(default_factory=list)
    api_wall: list[float] = field(default_factory=list)
    # Per run, from schedstat: seconds on a CPU and seconds runnable but waiting for one.
    engine_cpu: list[float] = field(default_factory=list)  # this process
    engine_wait: list[float] = field(default_factory=list)
    api_cpu: list[float] = field(default_factory=list)  # the worker processes
    api_wait: list[float] = field(default_factory=list)
    server_cpu: list[float] = field(default_factory=list)  # the server process
    breakdown: list[tuple[str, float]] = field(default_factory=list)

    @property
    def render_cpu(self) -> float:
        """CPU seconds of the worker's render, replayed in this process (``render_breakdown``)."""
        return sum(seconds for _, seconds in self.breakdown)

    @property
    def engine_rate(self) -> float:
        return median([a / w for a, w in zip(self.engine_audio, self.engine_wall, strict=True)])

    @property
    def api_rate(self) -> float:
        return median([a / w for a, w in zip(self.api_audio, self.api_wall, strict=True)])

    @property
    def ratio(self) -> float:
        return self.api_rate / self.engine_rate

    @property
    def engine_cpu_rate(self) -> float:
        return median([a / c for a, c in zip(self.engine_audio, self.engine_cpu, strict=True)])

    @property
    def api_cpu_rate(self) -> float:
        return median([a / c for a, c in zip(self.api_audio, self.api_cpu, strict=True)])

    @property
    def cpu_ratio(self) -> float:
        """API worker over engine in audio seconds per CPU second: cost, whatever else ran."""
        return self.api_cpu_rate / self.engine_cpu_rate


def throughput(
    client: Client, server_pid: int, baseline: EngineBaseline, runs: int, log: Log
) -> ThroughputResult:
    text = ten_minute_text()
    chunks = baseline.chunks(text)
    result = ThroughputResult(
        words=len(text.split()),
        chunks=len(chunks),
        chunks_match_api=chunks == baseline.api_chunks(text),
    )
    me = os.getpid()

    def engine_run() -> tuple[float, float, procfs.Sched]:
        before, started = procfs.sched(me), time.perf_counter()
        audio = sum(baseline.synthesize(chunk) for chunk in chunks)
        return audio, time.perf_counter() - started, procfs.sched(me).since(before)

    def api_run(name: str) -> tuple[float, float, procfs.Sched, procfs.Sched]:
        script_id = create_script(client, text, name)
        before, started = procfs.tree_sched(server_pid), time.perf_counter()
        speech = finish_speech(client, post_speech(client, script_id, sync=False, use_cache=False))
        wall = time.perf_counter() - started
        used = {
            pid: now.since(before.get(pid, procfs.Sched(0.0, 0.0)))
            for pid, now in procfs.tree_sched(server_pid).items()
        }
        server = used.pop(server_pid)
        workers = procfs.Sched(
            sum(u.on_cpu for u in used.values()), sum(u.waiting for u in used.values())
        )
        return audio_seconds(speech), wall, workers, server

    # One untimed pass of each first: a process's first long render pays for growing its heap.
    engine_run()
    api_run("bench-throughput-warm-up")
    render_breakdown(baseline, text)
    breakdowns: list[list[tuple[str, float]]] = []
    for run in range(1, runs + 1):
        # Engine, API and replay alternate, so drift in the machine's speed hits all alike.
        audio, wall, engine = engine_run()
        result.engine_audio.append(audio)
        result.engine_wall.append(wall)
        result.engine_cpu.append(engine.on_cpu)
        result.engine_wait.append(engine.waiting)
        audio, wall, workers, server = api_run(f"bench-throughput-{run}")
        result.api_audio.append(audio)
        result.api_wall.append(wall)
        result.api_cpu.append(workers.on_cpu)
        result.api_wait.append(workers.waiting)
        result.server_cpu.append(server.on_cpu)
        breakdowns.append(render_breakdown(baseline, text))
        log(
            f"  run {run}: engine {audio:.1f} s of audio in {result.engine_wall[-1]:.3f} s "
            f"(on CPU {engine.on_cpu:.2f} s, waiting for one {engine.waiting:.2f} s); "
            f"API in {wall:.3f} s (worker on CPU {workers.on_cpu:.2f} s, waiting "
            f"{workers.waiting:.2f} s; server on CPU {server.on_cpu:.2f} s)"
        )
    result.breakdown = [
        (label, median([b[index][1] for b in breakdowns]))
        for index, (label, _) in enumerate(breakdowns[0])
    ]
    log(
        "  render replayed in-process, CPU s (median): "
        + ", ".join(
            f"{label.split(' (')[0]} {seconds:.3f} s" for label, seconds in result.breakdown
        )
    )
    return result


# Where a render's time goes: (label, file suffix, function) of the steps a worker runs.
_STEPS = (
    ("espeak-ng synthesis (`EspeakEngine.synthesize`)", "engines/espeak.py", "synthesize"),
    ("resampling to the delivery rate (`dsp.resample`)", "dsp/basic.py", "resample"),
    ("fades, joining, padding (`dsp`)", "dsp/basic.py", ("fade_edges", "concatenate", "pad")),
    ("WAV encoding (`encode_wav`)", "audio/wav.py", "encode_wav"),
    ("blob write (`LocalBlobStore.put_bytes`)", "storage/local.py", "put_bytes"),
)


def render_breakdown(baseline: EngineBaseline, text: str) -> list[tuple[str, float]]:
    """The worker's render of ``text`` (plan, synthesis, DSP, WAV, blob) replayed in this
    process under cProfile timed by CPU time, so other work on the machine does not inflate
    it: CPU seconds per step, with everything else as the last entry.

    Resampling inside ``concatenate`` is a no-op here (pieces already match the rate), so the
    steps do not overlap.
    """
    rate = baseline.speech.sample_rate
    profile = cProfile.Profile(time.process_time)
    with tempfile.TemporaryDirectory(prefix="castwright-bench-blobs-") as root:
        blobs = LocalBlobStore(Path(root))
        profile.enable()
        started = time.process_time()
        for index, plan in enumerate(baseline.plans(text)):
            audio = render_plan(plan, baseline.engines, rate, baseline.speech.chunk_chars)
            blobs.put_bytes(f"bench/{index:03d}.wav", encode_wav(audio))
        total = time.process_time() - started
        profile.disable()
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    steps: list[tuple[str, float]] = []
    for label, suffix, names in _STEPS:
        wanted = {names} if isinstance(names, str) else set(names)
        seconds = sum(
            row[3]  # cumulative time
            for (filename, _line, function), row in stats.items()
            if filename.replace("\\", "/").endswith(suffix) and function in wanted
        )
        steps.append((label, seconds))
    steps.append(
        ("planning, chunking and the rest of the render", total - sum(s for _, s in steps))
    )
    return steps


# -- benchmark 2 -----------------------------------------------------------------------------


@dataclass
class LatencyResult:
    api: list[float] = field(default_factory=list)  # seconds per request
    engine: list[float] = field(default_factory=list)  # seconds per sentence
    polled: int = 0  # requests that came back 202 and had to be polled
    audio: list[float] = field(default_factory=list)

    def api_ms(self, q: float) -> float:
        return percentile(self.api, q) * 1000

    def engine_ms(self, q: float) -> float:
        return percentile(self.engine, q) * 1000


def latency(client: Client, baseline: EngineBaseline, count: int, log: Log) -> LatencyResult:
    texts = one_sentence_texts(count)
    script_ids = [create_script(client, text, f"bench-latency-{i}") for i, text in enumerate(texts)]
    result = LatencyResult()
    for script_id in script_ids:
        started = time.perf_counter()
        reply = post_speech(client, script_id, sync=True)
        if reply.status == 202:
            result.polled += 1  # the sync wait ran out: counted, and timed to the 200
        speech = finish_speech(client, reply)
        result.api.append(time.perf_counter() - started)
        result.audio.append(audio_seconds(speech))
    for text in texts:
        started = time.perf_counter()
        baseline.synthesize(text)
        result.engine.append(time.perf_counter() - started)
    log(
        f"  API p50 {result.api_ms(50):.1f} ms, p95 {result.api_ms(95):.1f} ms; "
        f"engine p50 {result.engine_ms(50):.1f} ms"
    )
    return result
