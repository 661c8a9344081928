"""Benchmark 3: read throughput of two API routes against a bare FastAPI route (the ceiling)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bench.client import Client
from bench.loadgen import LoadResult, run_load
from bench.stats import percentile

__all__ = ["ReadResult", "measure_route"]


@dataclass(frozen=True)
class ReadResult:
    label: str
    route: str  # the path as a template, for the report
    body_bytes: int
    load: LoadResult
    warmup: float

    @property
    def rps(self) -> float:
        return self.load.rps

    def ms(self, q: float) -> float:
        return percentile(self.load.latencies, q) * 1000

    @property
    def client_cpu_share(self) -> float:
        """The generator's CPU time over the wall time it ran (warm-up included)."""
        return self.load.client_cpu / (self.load.duration + self.warmup)


def measure_route(
    label: str,
    route: str,
    port: int,
    path: str,
    api_key: str,
    *,
    connections: int,
    duration: float,
    warmup: float,
    log: Callable[[str], None],
) -> ReadResult:
    with Client(port, api_key) as client:
        reply = client.get(path)
    if reply.status != 200:
        raise RuntimeError(f"GET {path}: {reply.status} {reply.body[:300]!r}")
    headers = {"x-api-key": api_key} if api_key else {}
    load = run_load(port, path, headers, connections=connections, duration=duration, warmup=warmup)
    result = ReadResult(label, route, len(reply.body), load, warmup)
    log(
        f"  {label}: {result.rps:,.0f} req/s, p50 {result.ms(50):.2f} ms, "
        f"p99 {result.ms(99):.2f} ms, errors {load.errors}"
    )
    return result
