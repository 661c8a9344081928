"""Benchmark 10 (issue #6): content intelligence and voice cloning.

* The sentence-embedding model: load time (SHA-256 check included) and resident memory, in a
  fresh process; then the label and taxonomy vectors, computed (first start) and read back
  from the data directory's cache (every later start).
* Recommendation latency per request through the API, p50 and p99, per route, over texts of
  the evaluation set (tests/content/data), after one request has loaded the model.
* Voice cloning: seconds of work per minute of sample audio, measured in this process with
  the built-in cloner on one and three minutes of generated speech; the first build of a
  process also measures espeak-ng's candidate voices once, reported on its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.client import Client
from bench.memory import memory_of
from bench.servers import ROOT, CastwrightServer
from bench.stats import median, percentile

__all__ = ["ContentResult", "content", "content_section"]

Log = Callable[[str], None]
EVALUATION_SET = ROOT / "tests" / "content" / "data" / "evaluation_set.json"
ROUTES = ("tone", "mood", "tag", "iab_category")

_LOAD_SCRIPT = r"""
import json, sys, time
from pathlib import Path

def rss_mib():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

started = time.perf_counter()
import numpy
before = rss_mib()
from castwright.nlp.embeddings import load_encoder
from castwright.nlp.recommend import Recommender
imported = time.perf_counter()
encoder = load_encoder()
loaded = time.perf_counter()
after_load = rss_mib()
recommender = Recommender(encoder, Path(sys.argv[1]))
recommender.warm_up()
warmed = time.perf_counter()
recommender.tones("A first request, once everything is loaded.", 3)
print(json.dumps({
    "import_s": imported - started, "load_s": loaded - imported, "warm_s": warmed - loaded,
    "rss_before_mib": before, "rss_loaded_mib": after_load, "rss_warm_mib": rss_mib(),
}))
"""


@dataclass
class ModelLoad:
    import_s: float
    load_s: float
    warm_s: float
    rss_before_mib: float
    rss_loaded_mib: float
    rss_warm_mib: float


@dataclass
class CloneTiming:
    audio_minutes: float
    seconds: float
    voice: str

    @property
    def per_minute(self) -> float:
        return self.seconds / self.audio_minutes


@dataclass
class ContentResult:
    cold: ModelLoad | None = None  # first start: vectors computed
    cached: ModelLoad | None = None  # later starts: vectors read from the cache
    first_request_ms: float = 0.0  # through the API, the model loading with it
    latencies_ms: dict[str, list[float]] = field(default_factory=dict)
    server_rss_mib: float = 0.0
    candidate_voices_s: float = 0.0
    clones: list[CloneTiming] = field(default_factory=list)


def _load_in_fresh_process(cache: Path) -> ModelLoad:
    output = subprocess.run(
        [sys.executable, "-c", _LOAD_SCRIPT, str(cache)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return ModelLoad(**json.loads(output.strip().splitlines()[-1]))


def _texts(count: int) -> tuple[list[str], list[str]]:
    data = json.loads(EVALUATION_SET.read_text())
    texts = [t["text"] for t in data["texts"]]
    return (texts * (count // len(texts) + 1))[:count], data["topics"]


def _body(route: str, text: str, topics: list[str]) -> dict[str, object]:
    if route == "tag":
        return {"text": text, "tags": topics, "category": "topic", "number_of_results": 3}
    if route == "iab_category":
        return {"text": text, "num_tags": 3, "language": "en"}
    return {"text": text, "number_of_results": 3}


def _clone_timings(minutes: tuple[float, ...], log: Log) -> tuple[float, list[CloneTiming]]:
    from bench.synthesis import ten_minute_text
    from castwright.cloning.espeak_cloner import EspeakCloner
    from castwright.speech.engines.base import SynthesisParams
    from castwright.speech.engines.registry import EngineRegistry

    cloner = EspeakCloner(EngineRegistry.load(["espeak-ng"]))
    params = SynthesisParams(rate=1.2, pitch=0.85, variant="m2")
    words = ten_minute_text().split()
    started = time.perf_counter()
    warm_up = cloner.engine.synthesize(" ".join(words[:60]), "en-gb", params)
    cloner.build([warm_up], None, None)  # measures the candidate voices: once per process
    candidates = time.perf_counter() - started
    timings = []
    for wanted in minutes:
        text, audio = words, None
        # About 190 words a minute at this rate; grow the text until the audio is long enough.
        count = int(wanted * 200)
        while True:
            audio = cloner.engine.synthesize(" ".join((text * 4)[:count]), "en-gb", params)
            if audio.duration >= wanted * 60 * 0.97:
                break
            count = int(count * 1.1) + 10
        began = time.perf_counter()
        voice = cloner.build([audio], None, None)
        seconds = time.perf_counter() - began
        timing = CloneTiming(
            audio.duration / 60, seconds, f"{voice.engine_voice_id}+{voice.variant}"
        )
        timings.append(timing)
        log(
            f"  cloning {timing.audio_minutes:.2f} min of speech: {seconds:.2f} s "
            f"({timing.per_minute:.2f} s per minute of audio)"
        )
    return candidates, timings


def content(
    work: Path,
    requests: int,
    clone_minutes: tuple[float, ...],
    log: Log,
    on_cleanup: Callable[[Callable[[], None]], None],
) -> ContentResult:
    result = ContentResult()
    cache = work / "nlp-cache"
    cache.mkdir(parents=True, exist_ok=True)
    result.cold = _load_in_fresh_process(cache)
    result.cached = _load_in_fresh_process(cache)
    log(
        f"  model load {result.cold.load_s:.2f} s, RSS "
        f"+{result.cold.rss_loaded_mib - result.cold.rss_before_mib:.0f} MiB; "
        f"label and taxonomy vectors {result.cold.warm_s:.2f} s computed, "
        f"{result.cached.warm_s:.2f} s from the cache"
    )

    server = CastwrightServer(work / "data")
    on_cleanup(server.stop)
    server.start()
    texts, topics = _texts(requests)
    with Client(server.port, server.api_key) as client:
        started = time.perf_counter()
        first = client.post("/content/recommend/tone", {"text": texts[0]})
        result.first_request_ms = (time.perf_counter() - started) * 1000
        assert first.status == 200, first.body[:300]
        for route in ROUTES:
            client.post(f"/content/recommend/{route}", _body(route, texts[0], topics))  # warm
            samples = []
            for text in texts:
                began = time.perf_counter()
                response = client.post(f"/content/recommend/{route}", _body(route, text, topics))
                samples.append((time.perf_counter() - began) * 1000)
                assert response.status == 200, response.body[:300]
            result.latencies_ms[route] = samples
            log(
                f"  {route}: p50 {percentile(samples, 50):.1f} ms, "
                f"p99 {percentile(samples, 99):.1f} ms over {len(samples)} requests"
            )
    result.server_rss_mib = memory_of(server.pid)[0].rss_mib
    server.stop()

    result.candidate_voices_s, result.clones = _clone_timings(clone_minutes, log)
    return result


def content_section(r: ContentResult) -> list[str]:
    lines = [
        "## 10. Content intelligence and voice cloning",
        "",
        "all-MiniLM-L6-v2 (numpy forward pass, one BLAS thread per request). Model figures are "
        "from a fresh process: load includes reading the 87 MiB weights and their SHA-256 "
        "check; the label and taxonomy vectors (14 tones and 14 moods from 112 example "
        "lines, 704 IAB nodes) are computed on a server's first start and read from its data "
        "directory afterwards.",
        "",
        "| | seconds | RSS after (MiB) |",
        "|---|---:|---:|",
    ]
    if r.cold and r.cached:
        lines += [
            f"| import (numpy, tokenizers, safetensors) | {r.cold.import_s:.2f} | "
            f"{r.cold.rss_before_mib:.0f} |",
            f"| load the model | {r.cold.load_s:.2f} | {r.cold.rss_loaded_mib:.0f} |",
            f"| label and taxonomy vectors, computed | {r.cold.warm_s:.2f} | "
            f"{r.cold.rss_warm_mib:.0f} |",
            f"| label and taxonomy vectors, from the cache | {r.cached.warm_s:.2f} | "
            f"{r.cached.rss_warm_mib:.0f} |",
        ]
    lines += [
        "",
        f"Through the API (one keep-alive client, texts of the evaluation set, 17 to 33 "
        f"words): the first request, which loads the model, took {r.first_request_ms:.0f} ms; "
        f"the API process's RSS afterwards was {r.server_rss_mib:.0f} MiB.",
        "",
        "| route | requests | p50 | p99 |",
        "|---|---:|---:|---:|",
    ]
    for route, samples in r.latencies_ms.items():
        lines.append(
            f"| /content/recommend/{route} | {len(samples)} | {percentile(samples, 50):.1f} ms "
            f"| {percentile(samples, 99):.1f} ms |"
        )
    lines += [
        "",
        "Voice cloning with the built-in cloner, in one process (analysis of the samples, "
        "three candidate voices fitted on a 20-second calibration text). The first build of "
        f"a process also measured the candidate voices once: {r.candidate_voices_s:.1f} s.",
        "",
        "| sample audio | build time | per minute of audio | voice chosen |",
        "|---:|---:|---:|---|",
    ]
    for timing in r.clones:
        lines.append(
            f"| {timing.audio_minutes:.2f} min | {timing.seconds:.2f} s | "
            f"{timing.per_minute:.2f} s | {timing.voice} |"
        )
    if len(r.clones) >= 2:
        # Two lengths give the fixed part (fitting, independent of the samples) and the part
        # that grows with the samples (decoding and analysing them).
        short, long = r.clones[0], r.clones[-1]
        slope = (long.seconds - short.seconds) / (long.audio_minutes - short.audio_minutes)
        fixed = short.seconds - slope * short.audio_minutes
        lines += [
            "",
            f"From the two lengths: {fixed:.2f} s fixed (fitting the voice) plus "
            f"{slope:.2f} s per minute of sample audio (analysing it).",
        ]
    elif r.clones:
        per_minute = median([t.per_minute for t in r.clones])
        lines += ["", f"Per minute of audio: {per_minute:.2f} s."]
    return lines
