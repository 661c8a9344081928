"""Prometheus metrics: HTTP latency by route template, job durations and queue waits by kind,
synthesis real-time factor, and, read from the job table at each scrape, queue depth and age.

Several processes: prometheus_client's multi-process mode, switched on by the environment
variable PROMETHEUS_MULTIPROC_DIR before prometheus_client is first imported (so it is imported
lazily here). `castwright serve` and `castwright worker` set it up (docs/deploy.md); every
process of the server then writes its figures to files there and /metrics adds them up.
Without it, one process's own figures are served.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from castwright.config import prometheus_multiprocess_dir

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry, Counter, Histogram
    from prometheus_client.core import Metric

    from castwright.runtime import Runtime

__all__ = [
    "observe_job",
    "observe_queue_wait",
    "observe_request",
    "observe_synthesis",
    "render_metrics",
]

log = logging.getLogger("castwright.metrics")

_SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
_JOB_SECONDS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 900.0, 3600.0)
_WAIT_SECONDS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0)
_RTF = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0)


@dataclass(frozen=True)
class _Instruments:
    registry: CollectorRegistry  # this process's (single-process mode)
    request_seconds: Histogram
    responses: Counter
    job_seconds: Histogram
    queue_wait_seconds: Histogram
    synthesis_rtf: Histogram
    synthesis_audio_seconds: Counter


@functools.cache
def _instruments() -> _Instruments:
    from prometheus_client import CollectorRegistry, Counter, Histogram

    registry = CollectorRegistry(auto_describe=True)
    return _Instruments(
        registry=registry,
        request_seconds=Histogram(
            "castwright_http_request_duration_seconds",
            "HTTP request latency, to the end of the response body, by route template.",
            ["method", "route"],
            buckets=_SECONDS,
            registry=registry,
        ),
        responses=Counter(
            "castwright_http_responses",
            "HTTP responses by route template and status code (errors: status >= 400).",
            ["method", "route", "status"],
            registry=registry,
        ),
        job_seconds=Histogram(
            "castwright_job_duration_seconds",
            "Time a worker spent on one attempt at a job, by kind and outcome "
            "(done, failed, dead, retry).",
            ["kind", "outcome"],
            buckets=_JOB_SECONDS,
            registry=registry,
        ),
        queue_wait_seconds=Histogram(
            "castwright_job_queue_wait_seconds",
            "Time from a job being handed to the queue to a worker starting it.",
            ["kind"],
            buckets=_WAIT_SECONDS,
            registry=registry,
        ),
        synthesis_rtf=Histogram(
            "castwright_synthesis_real_time_factor",
            "Synthesis wall time divided by the duration of the audio made (below 1: faster "
            "than real time), per rendered section or stream, by engine.",
            ["engine"],
            buckets=_RTF,
            registry=registry,
        ),
        synthesis_audio_seconds=Counter(
            "castwright_synthesis_audio_seconds",
            "Seconds of speech synthesised, by engine.",
            ["engine"],
            registry=registry,
        ),
    )


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    metrics = _instruments()
    metrics.request_seconds.labels(method, route).observe(seconds)
    metrics.responses.labels(method, route, str(status)).inc()


def observe_job(kind: str, outcome: str, seconds: float) -> None:
    _instruments().job_seconds.labels(kind, outcome).observe(seconds)


def observe_queue_wait(kind: str, seconds: float) -> None:
    _instruments().queue_wait_seconds.labels(kind).observe(seconds)


def observe_synthesis(engine: str, seconds: float, audio_seconds: float) -> None:
    """Wall ``seconds`` spent making ``audio_seconds`` of speech with ``engine``."""
    if audio_seconds <= 0:
        return
    metrics = _instruments()
    metrics.synthesis_rtf.labels(engine).observe(seconds / audio_seconds)
    metrics.synthesis_audio_seconds.labels(engine).inc(audio_seconds)


class _JobTable:
    """Queue depth and age from the job table, the truth every process shares, at scrape."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def collect(self) -> Iterator[Metric]:
        from prometheus_client.core import GaugeMetricFamily

        from castwright.db.base import utcnow
        from castwright.jobs.registry import registered_kinds
        from castwright.jobs.repository import JobRepository
        from castwright.models.job import JobStatus

        counted = (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.DEAD)

        jobs = GaugeMetricFamily(
            "castwright_jobs",
            "Jobs queued, running and dead-lettered, by kind.",
            labels=["kind", "status"],
        )
        oldest = GaugeMetricFamily(
            "castwright_job_oldest_age_seconds",
            "Age of the oldest queued or running job, by kind.",
            labels=["kind", "status"],
        )
        up = GaugeMetricFamily("castwright_job_table_up", "1 when the job table could be read.")
        try:
            with self.runtime.db.session() as session:
                figures = JobRepository(session).figures()
        except Exception as error:  # a scrape must answer even with the database down
            log.warning("metrics: could not read the job table: %r", error)
            up.add_metric([], 0.0)
            yield up
            return
        up.add_metric([], 1.0)
        now = utcnow()
        # Every kind and status appears, 0 when empty: an absent series would hide an alert.
        counts = {(kind, status): 0.0 for kind in registered_kinds() for status in counted}
        ages = {(kind, status): 0.0 for kind, status in counts if status != JobStatus.DEAD}
        for figure in figures:
            counts[figure.kind, figure.status] = float(figure.count)
            if figure.status != JobStatus.DEAD and figure.oldest is not None:
                ages[figure.kind, figure.status] = max(0.0, (now - figure.oldest).total_seconds())
        for labels, value in sorted(counts.items()):
            jobs.add_metric(list(labels), value)
        for labels, value in sorted(ages.items()):
            oldest.add_metric(list(labels), value)
        yield from (jobs, oldest, up)


class _Forward:
    """Another registry's metrics, as one collector."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry

    def collect(self) -> Iterator[Metric]:
        yield from self.registry.collect()


def render_metrics(runtime: Runtime) -> tuple[bytes, str]:
    """The text exposition for GET /metrics, and its content type."""
    from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

    registry = CollectorRegistry(auto_describe=False)
    if prometheus_multiprocess_dir() is not None:
        from prometheus_client.multiprocess import MultiProcessCollector

        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        forwarded: Any = _Forward(_instruments().registry)
        registry.register(forwarded)
    table: Any = _JobTable(runtime)
    registry.register(table)
    return generate_latest(registry), CONTENT_TYPE_LATEST
