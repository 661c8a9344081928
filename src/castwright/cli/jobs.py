"""castwright jobs list | retry: what is stuck or dead-lettered, and running it again."""

from __future__ import annotations

import typer
from rich.console import Console

from castwright.cli.output import print_table
from castwright.config import Settings
from castwright.errors import CastwrightError
from castwright.models.job import JobStatus

__all__ = ["jobs_app"]

jobs_app = typer.Typer(help="List jobs by status; retry dead-lettered ones.", no_args_is_help=True)
console = Console()

_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.DONE, JobStatus.FAILED, JobStatus.DEAD)


@jobs_app.command("list")
def list_command(
    status: list[str] = typer.Option(
        [JobStatus.DEAD], "--status", "-s", help="queued, running, done, failed or dead (repeat)."
    ),
    limit: int = typer.Option(100, "--limit", min=1, max=10_000),
) -> None:
    """Newest first, with the reason of each failure."""
    from castwright.jobs.service import list_jobs
    from castwright.runtime import build_runtime

    unknown = [s for s in status if s not in _STATUSES]
    if unknown:
        console.print(f"--status: unknown {', '.join(unknown)}; one of {', '.join(_STATUSES)}")
        raise typer.Exit(2)
    runtime = build_runtime(Settings(), with_queue=False)
    rows = [
        [
            job.id,
            job.kind,
            job.status,
            str(job.attempts),
            job.created_at.isoformat(timespec="seconds"),
            job.worker or "",
            job.request_id or "",
            (job.error or "").replace("\n", " ")[:200],
        ]
        for job in list_jobs(runtime, status, limit)
    ]
    columns = ["id", "kind", "status", "attempts", "created", "worker", "request", "reason"]
    print_table(console, f"Jobs ({', '.join(status)}): {len(rows)}", columns, rows)


@jobs_app.command("retry")
def retry_command(job_id: str = typer.Argument(..., help="A dead or failed job's id.")) -> None:
    """Queue a dead-lettered or failed job again, with fresh attempts."""
    from castwright.jobs.service import retry_job
    from castwright.runtime import build_runtime

    settings = Settings()
    runtime = build_runtime(settings, with_queue=settings.jobs.backend == "celery")
    try:
        job = retry_job(runtime, job_id)
    except CastwrightError as error:
        console.print(error.message)
        raise typer.Exit(1) from None
    where = (
        "sent to the Celery workers"
        if settings.jobs.backend == "celery"
        else "it runs when castwright serve next starts"
    )
    console.print(f"job {job.id} ({job.kind}) queued again; {where}")
