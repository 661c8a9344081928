"""Benchmark 8 (issue #8): streaming speech through the OpenAI face (POST /v1/audio/speech).

* Time to first audio byte for a 5,000-word input, in mp3 and wav, against the raw engine's
  time for the stream's first sentence, measured in the same run in this process.
* Sustained concurrent streams: closed-loop clients each streaming a paragraph after
  another, at 1, 2, 4 ... clients, until the p99 first byte passes 500 ms (or the server's
  bounded queue starts answering 429).
* Total throughput, seconds of audio delivered per wall second, at 1, 4 and 16 clients.

Clients are threads on http.client in this process (cheap, and what a real client does:
read the body as it arrives); they share the machine's cores with the server.
"""

from __future__ import annotations

import http.client
import json
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.servers import CastwrightServer
from bench.stats import median, percentile
from bench.synthesis import VOICE, EngineBaseline, ten_minute_text
from castwright.speech.render import SpeechRun
from castwright.speech.streaming.request import StreamRequest, prepare
from castwright.speech.text.chunking import split_sentences

__all__ = ["StreamingResult", "five_thousand_words", "streaming", "streaming_section"]

Log = Callable[[str], None]

WORDS = 5_000
FIRST_BYTE_LIMIT_MS = 500.0
THROUGHPUT_CLIENTS = (1, 4, 16)
PATH = "/v1/audio/speech"


def five_thousand_words() -> str:
    words = ten_minute_text().split()
    return " ".join((words * (WORDS // len(words) + 1))[:WORDS])


def paragraph() -> str:
    """About 100 words: a typical assistant answer, for the concurrency levels."""
    return " ".join(ten_minute_text().split()[:100])


@dataclass(frozen=True)
class Level:
    clients: int
    streams: int
    refused: int
    first_byte_ms: list[float]

    @property
    def p50(self) -> float:
        return percentile(self.first_byte_ms, 50)

    @property
    def p99(self) -> float:
        return percentile(self.first_byte_ms, 99)


@dataclass(frozen=True)
class Throughput:
    clients: int
    streams: int
    audio_seconds: float
    wall_seconds: float

    @property
    def ratio(self) -> float:
        return self.audio_seconds / self.wall_seconds if self.wall_seconds else 0.0


@dataclass
class StreamingResult:
    words: int
    first_sentence: str
    engine_first_sentence_ms: list[float]
    first_byte_ms: dict[str, list[float]] = field(default_factory=dict)
    levels: list[Level] = field(default_factory=list)
    throughput: list[Throughput] = field(default_factory=list)
    level_seconds: float = 0.0
    throughput_seconds: float = 0.0

    @property
    def sustained(self) -> int:
        """The most clients whose p99 first byte stayed within the limit, none refused."""
        fine = [
            lv.clients for lv in self.levels if lv.p99 <= FIRST_BYTE_LIMIT_MS and not lv.refused
        ]
        return max(fine, default=0)


class _Refused(Exception):
    pass


def _open(
    port: int, key: str, text: str, fmt: str
) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    body = json.dumps({"model": "tts-1", "voice": VOICE, "input": text, "response_format": fmt})
    connection.request(
        "POST",
        PATH,
        body=body,
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    reply = connection.getresponse()
    if reply.status == 429:
        reply.read()
        connection.close()
        raise _Refused
    if reply.status != 200:
        raise RuntimeError(f"POST {PATH}: {reply.status} {reply.read()[:300]!r}")
    return connection, reply


def _first_byte(port: int, key: str, text: str, fmt: str) -> float:
    """Seconds from sending the request to holding the first byte of audio; then hang up
    (the server stops that stream's synthesis)."""
    started = time.perf_counter()
    connection, reply = _open(port, key, text, fmt)
    if not reply.read(1):
        raise RuntimeError("empty stream")
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def _whole_stream(port: int, key: str, text: str) -> tuple[float, float]:
    """(first-byte seconds, audio seconds) for one wav stream read to its end."""
    started = time.perf_counter()
    connection, reply = _open(port, key, text, "wav")
    header = reply.read(44)
    first = time.perf_counter() - started
    rate = struct.unpack("<I", header[24:28])[0]
    size = 0
    while chunk := reply.read(65536):
        size += len(chunk)
    connection.close()
    return first, size / 2 / rate


def _closed_loop(
    port: int, key: str, text: str, clients: int, seconds: float
) -> tuple[list[float], list[float], int, float]:
    """``clients`` threads streaming ``text`` back to back for ``seconds``: first-byte
    seconds, audio seconds per stream, streams refused, and the wall time until the last
    stream finished."""
    firsts: list[float] = []
    audio: list[float] = []
    refused = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client() -> None:
        nonlocal refused
        while time.perf_counter() < deadline:
            try:
                first, spoken = _whole_stream(port, key, text)
            except _Refused:
                with lock:
                    refused += 1
                time.sleep(0.05)
                continue
            with lock:
                firsts.append(first)
                audio.append(spoken)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return firsts, audio, refused, time.perf_counter() - started


def _engine_first_sentence(baseline: EngineBaseline, text: str) -> str:
    """The first piece the stream synthesises: planned (normalised) as the server plans it."""
    prepared = prepare(StreamRequest(text=text, voice=VOICE, org_id="bench"), baseline.catalogue)
    first_plan = next(iter(prepared.plans))
    first_run = next(s for s in first_plan.segments if isinstance(s, SpeechRun))
    return split_sentences(first_run.text)[0]


def streaming(
    work: Path,
    baseline: EngineBaseline,
    requests: int,
    levels: tuple[int, ...],
    level_seconds: float,
    throughput_seconds: float,
    log: Log,
    on_cleanup: Callable[[Callable[[], None]], None],
) -> StreamingResult:
    text = five_thousand_words()
    first = _engine_first_sentence(baseline, text)
    engine_ms = []
    for _ in range(requests):
        started = time.perf_counter()
        baseline.synthesize(first)
        engine_ms.append((time.perf_counter() - started) * 1000)
    result = StreamingResult(len(text.split()), first, engine_ms)
    result.level_seconds, result.throughput_seconds = level_seconds, throughput_seconds

    server = CastwrightServer(work / "data")
    on_cleanup(server.stop)
    server.start()
    port, key = server.port, server.api_key
    _first_byte(port, key, "Warm the server up.", "mp3")
    for fmt in ("mp3", "wav"):
        samples = [_first_byte(port, key, text, fmt) * 1000 for _ in range(requests)]
        result.first_byte_ms[fmt] = samples
        log(
            f"  {fmt}: first byte p50 {percentile(samples, 50):.1f} ms, "
            f"p99 {percentile(samples, 99):.1f} ms (engine's first sentence "
            f"{median(engine_ms):.1f} ms)"
        )
    short = paragraph()
    for clients in levels:
        firsts, _, refused, _ = _closed_loop(port, key, short, clients, level_seconds)
        level = Level(clients, len(firsts), refused, [f * 1000 for f in firsts])
        result.levels.append(level)
        log(
            f"  {clients} clients: {level.streams} streams, first byte p50 {level.p50:.0f} ms, "
            f"p99 {level.p99:.0f} ms, {refused} refused"
        )
        if level.p99 > FIRST_BYTE_LIMIT_MS or refused:
            break
    long_text = " ".join(ten_minute_text().split()[:400])
    for clients in THROUGHPUT_CLIENTS:
        _, audio, _, wall = _closed_loop(port, key, long_text, clients, throughput_seconds)
        done = Throughput(clients, len(audio), sum(audio), wall)
        result.throughput.append(done)
        log(
            f"  throughput, {clients} clients: {done.audio_seconds:.0f} s of audio in "
            f"{done.wall_seconds:.1f} s ({done.ratio:.0f}x real time)"
        )
    server.stop()
    return result


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def streaming_section(r: StreamingResult) -> list[str]:
    engine = median(r.engine_first_sentence_ms)
    lines = [
        "## 8. Streaming speech (OpenAI face)",
        "",
        f"`POST /v1/audio/speech`, voice {VOICE}, read with http.client as the bytes arrive. "
        f"Time to first audio byte for a {r.words:,}-word input (the stream is dropped after "
        "its first byte, which also stops its synthesis), against the raw espeak-ng engine "
        f"synthesising the stream's first sentence in this process ({len(r.first_sentence)} "
        "characters, normalised as the server normalises it).",
        "",
        "| | p50 | p99 | engine, first sentence (p50) |",
        "|---|---:|---:|---:|",
    ]
    for fmt, samples in r.first_byte_ms.items():
        lines.append(
            f"| {fmt} | {_fmt(percentile(samples, 50))} ms | {_fmt(percentile(samples, 99))} ms "
            f"| {_fmt(engine)} ms |"
        )
    lines += [
        "",
        f"Concurrent streams: closed-loop clients, each streaming a 100-word paragraph (wav) "
        f"after another for {r.level_seconds:.0f} s per level; the ramp stops when p99 first "
        f"byte passes {FIRST_BYTE_LIMIT_MS:.0f} ms or the bounded queue answers 429. "
        f"**Sustained: {r.sustained} concurrent streams.**",
        "",
        "| clients | streams | first byte p50 | p99 | refused (429) |",
        "|---:|---:|---:|---:|---:|",
        *(
            f"| {lv.clients} | {lv.streams} | {lv.p50:.0f} ms | {lv.p99:.0f} ms | {lv.refused} |"
            for lv in r.levels
        ),
        "",
        f"Throughput: clients streaming a 400-word text (wav) back to back for "
        f"{r.throughput_seconds:.0f} s; audio seconds delivered per wall second.",
        "",
        "| clients | streams | audio | wall | audio s / wall s |",
        "|---:|---:|---:|---:|---:|",
        *(
            f"| {t.clients} | {t.streams} | {t.audio_seconds:.0f} s | {t.wall_seconds:.1f} s "
            f"| {t.ratio:.0f} |"
            for t in r.throughput
        ),
    ]
    return lines
