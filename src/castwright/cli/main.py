"""castwright serve | keys | say | voices | migrate."""

from __future__ import annotations

import logging
import sys

import typer
from rich.console import Console

from castwright import __version__
from castwright.cli.keys import keys_app
from castwright.cli.output import print_table
from castwright.cli.say import say
from castwright.config import Settings

__all__ = ["app", "main"]

app = typer.Typer(
    help="Castwright: a self-hosted audio production server.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(keys_app, name="keys")
app.command(help="Render text to an audio file locally, without a server.")(say)
console = Console()


def _logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


@app.command()
def serve(
    host: str = typer.Option(None, help="Interface to bind (default 127.0.0.1)."),
    port: int = typer.Option(None, help="Port (default 8000)."),
) -> None:
    """Start the API server with its job workers; Ctrl-C stops it without losing jobs."""
    import uvicorn

    from castwright.app import create_app
    from castwright.cli.keys import ensure_first_key
    from castwright.db.migrate import upgrade

    overrides = {k: v for k, v in {"host": host, "port": port}.items() if v is not None}
    settings = Settings().model_copy(update=overrides)
    _logging(settings.log_level)
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
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level="warning",
        access_log=False,
    )


@app.command()
def migrate() -> None:
    """Bring the database schema up to date."""
    from castwright.db.migrate import upgrade

    settings = Settings()
    upgrade(settings)
    console.print(f"database at {settings.effective_database_url} is up to date")


@app.command()
def voices(
    language: str = typer.Option("", "--language", "-l", help="Language code prefix, e.g. en."),
    gender: str = typer.Option("", "--gender", "-g"),
    provider: str = typer.Option("", "--provider", "-p", help="Engine: espeak-ng, festival..."),
    search: str = typer.Option("", "--search", "-s", help="Text in the alias or description."),
) -> None:
    """List the voices this machine can speak with."""
    from castwright.voices.local import local_catalogue

    rows: list[list[str]] = []
    for voice in local_catalogue(Settings()):
        if language and not voice.language_code.lower().startswith(language.lower()):
            continue
        if gender and voice.gender != gender.lower():
            continue
        if provider and voice.provider != provider.lower():
            continue
        if search and search.lower() not in f"{voice.alias} {voice.description}".lower():
            continue
        rows.append(
            [
                voice.alias,
                voice.display_name,
                voice.gender,
                voice.age_bracket,
                voice.language_code,
                voice.accent,
                voice.provider,
            ]
        )
    columns = ["alias", "name", "gender", "age", "language", "accent", "provider"]
    print_table(console, f"Castwright voices ({len(rows)})", columns, rows)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
