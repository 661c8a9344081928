"""castwright keys create | list | revoke."""

from __future__ import annotations

import typer
from rich.console import Console

from castwright.auth.service import count_keys, create_key, list_keys, revoke_key
from castwright.cli.output import print_table
from castwright.config import Settings
from castwright.db.migrate import upgrade
from castwright.errors import CastwrightError
from castwright.runtime import database_for

__all__ = ["ensure_first_key", "keys_app"]

keys_app = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)
console = Console()


def ensure_first_key(settings: Settings) -> str | None:
    """On first run, create a key so the server is usable at once; returns its secret."""
    with database_for(settings).session() as session:
        if count_keys(session):
            return None
        _, secret = create_key(session, name="first key")
        return secret


@keys_app.command("create")
def create(name: str = typer.Option("", "--name", "-n", help="A label for the key.")) -> None:
    """Create a key and print its secret (shown once; only a hash is stored)."""
    settings = Settings()
    upgrade(settings)
    with database_for(settings).session() as session:
        row, secret = create_key(session, name=name)
        key_id = row.id
    console.print(f"id {key_id}\n{secret}")


@keys_app.command("list")
def list_() -> None:
    """List keys (secrets are never shown again)."""
    settings = Settings()
    upgrade(settings)
    with database_for(settings).session() as session:
        rows = [
            [
                key.id,
                key.prefix + "…",
                key.name,
                f"{key.created_at:%Y-%m-%d %H:%M}",
                f"{key.last_used_at:%Y-%m-%d %H:%M}" if key.last_used_at else "-",
                f"{key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "-",
            ]
            for key in list_keys(session)
        ]
    columns = ["id", "prefix", "name", "created", "last used", "revoked"]
    print_table(console, "API keys", columns, rows)


@keys_app.command("revoke")
def revoke(key: str = typer.Argument(..., help="Key id or prefix.")) -> None:
    """Revoke a key: requests with it get 403 from now on."""
    settings = Settings()
    upgrade(settings)
    try:
        with database_for(settings).session() as session:
            row = revoke_key(session, key)
            key_id = row.id
    except CastwrightError as error:
        console.print(f"[red]{error.message}[/red]")
        raise typer.Exit(1) from None
    console.print(f"revoked {key_id}")
