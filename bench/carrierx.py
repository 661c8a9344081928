"""Benchmark 9 (issue #7): CarrierX TTS, ``POST /core/v2/tts/texts`` as a call flow uses it.

* Time to the first audio byte and to the last byte for texts of 1, 10 and 100 sentences
  (mp3 at the face's defaults: voice ``man``, 16 kbit/s, 16 kHz), read as the bytes arrive.
* Concurrent streams: closed-loop clients each streaming a two-sentence prompt after another,
  at 1, 2, 4 ... clients, until the p99 first byte passes 250 ms (or the bounded synthesis
  queue answers 429); the answer is the most clients that stayed within it.

Clients are threads on http.client in this process, sharing the machine's cores with the
server, as in benchmark 8.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.servers import CastwrightServer
from bench.stats import median, percentile

__all__ = ["CarrierXResult", "carrierx_section", "carrierx_tts", "sentences"]

Log = Callable[[str], None]

PATH = "/core/v2/tts/texts"
SIZES = (1, 10, 100)
FIRST_BYTE_LIMIT_MS = 250.0
PROMPT = "Thank you for calling. Please hold while we connect you to the next agent."


def sentences(count: int) -> str:
    """``count`` distinct sentences of about a dozen words, as an IVR script reads."""
    return " ".join(
        f"Message {n + 1}: your order number {1000 + n} is ready for collection at the front desk."
        for n in range(count)
    )


@dataclass(frozen=True)
class SizeResult:
    sentences: int
    first_byte_ms: list[float]
    last_byte_ms: list[float]
    audio_seconds: float  # of one stream (16 kbit/s CBR: bytes / 2000)


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


@dataclass
class CarrierXResult:
    requests: int
    sizes: list[SizeResult] = field(default_factory=list)
    levels: list[Level] = field(default_factory=list)
    level_seconds: float = 0.0

    @property
    def sustained(self) -> int:
        """The most clients whose p99 first byte stayed within the limit, none refused."""
        fine = [
            lv.clients for lv in self.levels if lv.p99 <= FIRST_BYTE_LIMIT_MS and not lv.refused
        ]
        return max(fine, default=0)


class _Refused(Exception):
    pass


def _stream(port: int, key: str, text: str) -> tuple[float, float, int]:
    """(first-byte seconds, last-byte seconds, bytes) of one mp3 stream read to its end."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    connection.request(
        "POST",
        PATH,
        body=json.dumps({"text": text}),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    reply = connection.getresponse()
    if reply.status == 429:
        reply.read()
        connection.close()
        raise _Refused
    if reply.status != 200:
        raise RuntimeError(f"POST {PATH}: {reply.status} {reply.read()[:300]!r}")
    first_chunk = reply.read1(65536)
    if not first_chunk:
        raise RuntimeError("empty stream")
    first = time.perf_counter() - started
    size = len(first_chunk)
    while chunk := reply.read1(65536):
        size += len(chunk)
    last = time.perf_counter() - started
    connection.close()
    return first, last, size


def _closed_loop(
    port: int, key: str, text: str, clients: int, seconds: float
) -> tuple[list[float], int]:
    firsts: list[float] = []
    refused = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client() -> None:
        nonlocal refused
        while time.perf_counter() < deadline:
            try:
                first, _, _ = _stream(port, key, text)
            except _Refused:
                with lock:
                    refused += 1
                time.sleep(0.05)
                continue
            with lock:
                firsts.append(first)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return firsts, refused


def carrierx_tts(
    work: Path,
    requests: int,
    levels: tuple[int, ...],
    level_seconds: float,
    log: Log,
    on_cleanup: Callable[[Callable[[], None]], None],
    sizes: tuple[int, ...] = SIZES,
) -> CarrierXResult:
    result = CarrierXResult(requests, level_seconds=level_seconds)
    server = CastwrightServer(work / "data")
    on_cleanup(server.stop)
    server.start()
    port, key = server.port, server.api_key
    _stream(port, key, "Warm the server up.")
    for count in sizes:
        text = sentences(count)
        runs = [
            _stream(port, key, text) for _ in range(requests if count < 100 else 1 + requests // 4)
        ]
        done = SizeResult(
            count,
            [r[0] * 1000 for r in runs],
            [r[1] * 1000 for r in runs],
            runs[0][2] / 2000,
        )
        result.sizes.append(done)
        log(
            f"  {count} sentence(s), {done.audio_seconds:.0f} s of audio: first byte p50 "
            f"{median(done.first_byte_ms):.0f} ms, last byte p50 {median(done.last_byte_ms):.0f} ms"
        )
    for clients in levels:
        firsts, refused = _closed_loop(port, key, PROMPT, clients, level_seconds)
        level = Level(clients, len(firsts), refused, [f * 1000 for f in firsts])
        result.levels.append(level)
        log(
            f"  {clients} clients: {level.streams} streams, first byte p50 {level.p50:.0f} ms, "
            f"p99 {level.p99:.0f} ms, {refused} refused"
        )
        if level.p99 > FIRST_BYTE_LIMIT_MS or refused:
            break
    server.stop()
    return result


def carrierx_section(r: CarrierXResult) -> list[str]:
    lines = [
        "## 9. CarrierX TTS streams",
        "",
        '`POST /core/v2/tts/texts` with `{"text": ...}` at the face\'s defaults (voice `man`, '
        "mp3, 16 kbit/s, 16 kHz mono), read with http.client as the bytes arrive. Times run "
        "from sending the request; audio length from the stream's size (constant bit rate).",
        "",
        "| sentences | audio | requests | first byte p50 | p99 | last byte p50 | p99 |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in r.sizes:
        lines.append(
            f"| {s.sentences} | {s.audio_seconds:.0f} s | {len(s.first_byte_ms)} "
            f"| {median(s.first_byte_ms):.0f} ms | {percentile(s.first_byte_ms, 99):.0f} ms "
            f"| {median(s.last_byte_ms):.0f} ms | {percentile(s.last_byte_ms, 99):.0f} ms |"
        )
    lines += [
        "",
        f"Concurrent streams: closed-loop clients, each streaming a two-sentence prompt after "
        f"another for {r.level_seconds:.0f} s per level; the ramp stops when p99 first byte "
        f"passes {FIRST_BYTE_LIMIT_MS:.0f} ms or the bounded queue answers 429. "
        f"**Held within {FIRST_BYTE_LIMIT_MS:.0f} ms: {r.sustained} concurrent streams.**",
        "",
        "| clients | streams | first byte p50 | p99 | refused (429) |",
        "|---:|---:|---:|---:|---:|",
        *(
            f"| {lv.clients} | {lv.streams} | {lv.p50:.0f} ms | {lv.p99:.0f} ms | {lv.refused} |"
            for lv in r.levels
        ),
    ]
    return lines
