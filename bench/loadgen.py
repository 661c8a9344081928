"""A small closed-loop HTTP/1.1 load generator on raw asyncio streams (uvloop when installed).

Each of ``connections`` keep-alive connections sends one GET, reads the whole response, and
sends the next, for ``duration`` seconds after a warm-up. Parsing is the least that HTTP/1.1
needs (status line, Content-Length or chunked), so the client costs far less CPU than the
server it measures.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

__all__ = ["LoadResult", "run_load"]


@dataclass
class LoadResult:
    duration: float
    connections: int
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    client_cpu: float = 0.0  # CPU seconds the generator itself used, warm-up included

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return self.requests / self.duration


class _Closed(Exception):
    pass


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response; returns (status, whether the server keeps the connection)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length = -1
    chunked = False
    keep_alive = True
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
        elif name == b"connection":
            keep_alive = b"close" not in value.lower()
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length >= 0:
        await reader.readexactly(length)
    else:
        await reader.read()  # no length: the body ends with the connection
        keep_alive = False
    return status, keep_alive


async def _connection_loop(
    host: str,
    port: int,
    request: bytes,
    start: float,
    end: float,
    result: LoadResult,
) -> None:
    clock = time.perf_counter
    writer: asyncio.StreamWriter | None = None
    reader: asyncio.StreamReader | None = None
    while clock() < end:
        if writer is None:
            try:
                reader, writer = await asyncio.open_connection(host, port)
            except OSError:
                result.errors += 1
                await asyncio.sleep(0.01)
                continue
        assert reader is not None
        sent = clock()
        try:
            writer.write(request)
            status, keep_alive = await _read_response(reader)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            if sent >= start:
                result.errors += 1
            writer.close()
            writer = reader = None
            continue
        done = clock()
        if start <= sent and done <= end:
            result.statuses[status] = result.statuses.get(status, 0) + 1
            if 200 <= status < 300:
                result.latencies.append(done - sent)
            else:
                result.errors += 1
        if not keep_alive:
            writer.close()
            writer = reader = None
    if writer is not None:
        writer.close()


async def _run(
    host: str, port: int, request: bytes, connections: int, duration: float, warmup: float
) -> LoadResult:
    result = LoadResult(duration=duration, connections=connections)
    start = time.perf_counter() + warmup
    end = start + duration
    await asyncio.gather(
        *(_connection_loop(host, port, request, start, end, result) for _ in range(connections))
    )
    return result


def _runner() -> Callable[[Coroutine[Any, Any, LoadResult]], LoadResult]:
    try:
        import uvloop
    except ImportError:
        return asyncio.run
    return lambda main: asyncio.Runner(loop_factory=uvloop.new_event_loop).run(main)


def run_load(
    port: int,
    path: str,
    headers: dict[str, str] | None = None,
    *,
    connections: int = 16,
    duration: float = 10.0,
    warmup: float = 1.0,
    host: str = "127.0.0.1",
) -> LoadResult:
    """GET ``path`` over ``connections`` connections for ``duration`` seconds after ``warmup``."""
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    cpu = time.process_time()
    result = _runner()(_run(host, port, request, connections, duration, warmup))
    result.client_cpu = time.process_time() - cpu
    return result
