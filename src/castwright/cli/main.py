"""castwright serve | worker | jobs | keys | say | voices | migrate."""

from __future__ import annotations

import typer
from rich.console import Console

from castwright import __version__
from castwright.cli.jobs import jobs_app
from castwright.cli.keys import keys_app
from castwright.cli.say import say
from castwright.cli.voices import voices_app
from castwright.cli.worker import worker
from castwright.config import Settings, export_settings_to_children

__all__ = ["app", "main"]

app = typer.Typer(
    help="Castwright: a self-hosted audio production server.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(keys_app, name="keys")
app.add_typer(jobs_app, name="jobs")
app.add_typer(voices_app, name="voices")
app.command(help="Run jobs from the Celery queue (CASTWRIGHT_QUEUE=celery).")(worker)
app.command(help="Render text to an audio file locally, without a server.")(say)
console = Console()


@app.command()
def serve(
    host: str = typer.Option(None, help="Interface to bind (default 127.0.0.1)."),
    port: int = typer.Option(None, help="Port (default 8000)."),
    wyoming: int = typer.Option(
        None, help="Also serve Home Assistant's Wyoming protocol on this TCP port (e.g. 10200)."
    ),
    workers: int = typer.Option(
        1,
        "--workers",
        "-w",
        min=1,
        help="API processes on this port. More than one needs the Celery queue.",
    ),
) -> None:
    """Start the API server with its job workers; Ctrl-C stops it without losing jobs."""
    import uvicorn

    from castwright.cli.keys import ensure_first_key
    from castwright.cli.processes import prepare_metrics_dir, sharing_warnings, start_logging
    from castwright.db.migrate import upgrade

    overrides = {k: v for k, v in {"host": host, "port": port}.items() if v is not None}
    settings = Settings().model_copy(update=overrides)
    if wyoming is not None:
        settings = settings.model_copy(
            update={"wyoming": settings.wyoming.model_copy(update={"port": wyoming})}
        )
    _refuse_unsafe_workers(settings, workers)
    prepare_metrics_dir("serve")  # before the app (and prometheus_client) is imported
    start_logging(settings)
    sharing_warnings(settings)
    upgrade(settings)
    secret = ensure_first_key(settings)
    console.print(
        f"[bold]Castwright {__version__}[/bold] at "
        f"[cyan]{settings.effective_public_url}[/cyan]  (data in {settings.data_dir})"
    )
    if secret:
        console.print(f"API key (shown once, stored hashed): [bold green]{secret}[/bold green]")
    else:
        console.print("API keys exist already; create another with: castwright keys create")
    if workers > 1:
        # Each process builds its own app from the same settings (overrides included).
        export_settings_to_children(settings)
        uvicorn.run(
            "castwright.cli.asgi:worker_app",
            factory=True,
            workers=workers,
            host=settings.host,
            port=settings.port,
            log_level="warning",
            access_log=False,
            log_config=None,  # uvicorn's own lines go through ours (JSON when chosen)
        )
        return
    from castwright.app import create_app

    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level="warning",
        access_log=False,
        log_config=None,  # uvicorn's own lines go through ours (JSON when chosen)
    )


def _refuse_unsafe_workers(settings: Settings, workers: int) -> None:
    if workers == 1:
        return
    if settings.jobs.backend != "celery":
        console.print(
            f"--workers {workers}: several API processes need the Celery queue. With the inline "
            "queue every process would own a worker pool and, at start, take back the jobs the "
            "others are running. Set CASTWRIGHT_QUEUE=celery and CASTWRIGHT_BROKER_URL, and run "
            "castwright worker (docs/deploy.md), or serve with one process."
        )
        raise typer.Exit(2)
    if settings.wyoming.port:
        console.print(
            f"--workers {workers} with Wyoming: only one process can listen on the Wyoming port; "
            "run it in a castwright serve --wyoming of its own."
        )
        raise typer.Exit(2)


@app.command()
def migrate() -> None:
    """Bring the database schema up to date."""
    from castwright.db.migrate import upgrade

    settings = Settings()
    upgrade(settings)
    console.print(f"database at {settings.effective_database_url} is up to date")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
