"""castwright worker: run jobs from the Celery queue (docs/deploy.md)."""

from __future__ import annotations

import os

import typer
from rich.console import Console

from castwright.config import Settings

__all__ = ["worker"]

console = Console(stderr=True)

QUEUE_CHOICES = ("heavy", "light")


def worker(
    queues: str = typer.Option(
        "heavy,light",
        "--queues",
        "-Q",
        help="heavy (renders, mixes, encodes), light (probes, transfers), or both.",
    ),
    concurrency: int = typer.Option(
        0,
        "--concurrency",
        "-c",
        min=0,
        help="Jobs at once, each in its own process; 0: jobs.workers, or one per core.",
    ),
    name: str = typer.Option("", "--name", "-n", help="Worker name (default castwright-PID@host)."),
    metrics_port: int = typer.Option(
        0, "--metrics-port", min=0, help="Serve this worker's Prometheus metrics here (0: off)."
    ),
) -> None:
    """Run jobs from the Celery queue; SIGTERM or Ctrl-C finishes the running ones first."""
    settings = Settings()
    if settings.jobs.backend != "celery":
        console.print(
            "castwright worker runs jobs from the Celery queue: set CASTWRIGHT_QUEUE=celery and "
            "CASTWRIGHT_BROKER_URL=redis://host:6379/0 (the inline queue's workers live inside "
            "castwright serve)."
        )
        raise typer.Exit(2)
    chosen = [q.strip() for q in queues.split(",") if q.strip()]
    unknown = [q for q in chosen if q not in QUEUE_CHOICES]
    if unknown or not chosen:
        console.print(
            f"--queues: {', '.join(unknown) or 'none given'}; choose heavy, light or both"
        )
        raise typer.Exit(2)

    from castwright.cli.processes import prepare_metrics_dir, sharing_warnings, start_logging

    prepare_metrics_dir("worker")  # before prometheus_client is imported, and before forking
    start_logging(settings)
    sharing_warnings(settings)
    from castwright.db.migrate import upgrade
    from castwright.jobs.celery_worker import run_worker

    upgrade(settings)
    if metrics_port:
        _serve_metrics(settings.host, metrics_port)
    jobs = settings.jobs
    names = {"heavy": jobs.heavy_queue, "light": jobs.light_queue}
    run_worker(
        settings,
        [names[q] for q in chosen],
        concurrency or jobs.workers or os.cpu_count() or 1,
        name or f"castwright-{os.getpid()}@%h",
    )


def _serve_metrics(host: str, port: int) -> None:
    from prometheus_client import CollectorRegistry, start_http_server
    from prometheus_client.multiprocess import MultiProcessCollector

    registry = CollectorRegistry()
    MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    start_http_server(port, addr=host, registry=registry)
