"""castwright voices [list] | install | remove | import | available."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TransferSpeedColumn,
)

from castwright.cli.output import print_table
from castwright.config import Settings
from castwright.errors import CastwrightError
from castwright.voices.catalogue import Voice
from castwright.voices.library.remote import KokoroCatalogue, PiperCatalogue, split_name
from castwright.voices.library.store import InstallStep, VoiceLibrary
from castwright.voices.personas import PERSONAS, Persona
from castwright.voices.quality import named_tier

__all__ = ["voices_app"]

voices_app = typer.Typer(
    help="The voices this machine can speak with; install, import and remove neural voices.",
    invoke_without_command=True,
)
console = Console()
errors = Console(stderr=True)
_RESTART = "restart castwright serve (and workers) to offer it"


def _fail(error: Exception, code: int = 1) -> typer.Exit:
    message = error.message if isinstance(error, CastwrightError) else str(error)
    errors.print(f"[red]{message}[/red]")
    return typer.Exit(code)


@voices_app.callback()
def list_voices(
    context: typer.Context,
    language: str = typer.Option("", "--language", "-l", help="Language code prefix, e.g. en."),
    gender: str = typer.Option("", "--gender", "-g"),
    provider: str = typer.Option("", "--provider", "-p", help="Engine: espeak-ng, festival..."),
    search: str = typer.Option("", "--search", "-s", help="Text in the alias or description."),
    installed_only: bool = typer.Option(False, "--installed", help="Only voices that speak now."),
) -> None:
    """List voices: engine, language, quality tier, and whether each is installed."""
    if context.invoked_subcommand is not None:
        return
    from castwright.voices.local import local_catalogue

    settings = Settings()
    catalogue = local_catalogue(settings)
    listed = [(voice, "yes") for voice in catalogue]
    if not installed_only:  # the personas one `voices install` (or apt-get) away
        listed += [
            (_uninstalled(persona), "no")
            for persona in PERSONAS
            if catalogue.find(persona.alias) is None
        ]
    rows: list[list[str]] = []
    for voice, installed in listed:
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
                voice.tier,
                installed,
            ]
        )
    columns = ["alias", "name", "gender", "age", "language", "accent", "provider", "quality"]
    print_table(console, f"Castwright voices ({len(rows)})", [*columns, "installed"], rows)
    if console.is_terminal:
        console.print(f"default voice: [bold]{catalogue.default_alias}[/bold]")


_INSTALL = {
    "piper": "castwright voices install piper:{voice}",
    "kokoro": "castwright voices install kokoro:{voice}",
    "festival": "sudo apt-get install festival festvox-us-slt-hts (or make)",
    "flite": "sudo apt-get install flite (or make)",
}
_REGIONAL = {"british", "scottish", "northern english"}


def _uninstalled(persona: Persona) -> Voice:
    """A persona's catalogue entry while its engine voice is missing (for the listing)."""
    if persona.engine == "piper":
        code = persona.voice_id.split("-")[0].replace("_", "-")
    elif persona.engine == "kokoro":
        code = {"a": "en-US", "b": "en-GB"}.get(persona.voice_id[:1], "")
    else:
        code = "en-GB" if persona.accent in _REGIONAL else "en-US"
    hint = _INSTALL.get(persona.engine, "").format(voice=persona.voice_id)
    return Voice(
        alias=persona.alias,
        display_name=persona.display_name,
        engine=persona.engine,
        engine_voice_id=persona.voice_id,
        variant=persona.variant,
        rate=persona.rate,
        pitch=persona.pitch,
        gender=persona.gender,
        age_bracket=persona.age_bracket,
        language="english",
        language_code=code,
        accent=persona.accent,
        type="",
        tags=persona.tags,
        description=f"{persona.description} Install: {hint}" if hint else persona.description,
        quality=named_tier(persona.engine, persona.voice_id),
    )


class _Bars:
    """One progress bar per file being downloaded."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: TaskID | None = None

    def step(self, step: InstallStep) -> None:
        name = step.remote.target
        if step.skipped:
            self.progress.console.print(f"  {name}: already here, verified")
            self.task = None
            return
        self.task = self.progress.add_task(name, total=step.remote.size or None)

    def advance(self, done: int, total: int) -> None:
        if self.task is not None:
            self.progress.update(self.task, completed=done, total=total or None)


@voices_app.command("install")
def install(
    names: list[str] = typer.Argument(..., help="ENGINE:VOICE, e.g. piper:en_US-lessac-medium."),
) -> None:
    """Download voices from their engine's public catalogue, verifying every file.

    An interrupted download resumes where it stopped when run again."""
    library = VoiceLibrary(Settings())
    for name in names:
        with Progress(
            TextColumn("  {task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            console=console,
            transient=False,
        ) as progress:
            bars = _Bars(progress)
            try:
                voice = library.install(name, on_step=bars.step, progress=bars.advance)
            except CastwrightError as error:
                raise _fail(error, 2 if error.status in (404, 422) else 1) from None
        console.print(
            f"installed {voice.name} ({voice.size / 1e6:.1f} MB) in {library.root}; {_RESTART}"
        )


@voices_app.command("remove")
def remove(
    names: list[str] = typer.Argument(..., help="ENGINE:VOICE, e.g. kokoro:af_heart."),
) -> None:
    """Delete installed neural voices (a Kokoro model goes with its last voice)."""
    library = VoiceLibrary(Settings())
    for name in names:
        try:
            removed = library.remove(name)
        except CastwrightError as error:
            raise _fail(error, 2) from None
        console.print(f"removed {name} ({len(removed)} files)")


@voices_app.command("import")
def import_voices(
    paths: list[Path] = typer.Argument(..., help="Voice files or folders brought by hand."),
) -> None:
    """Add Piper or Kokoro files you already have (no download)."""
    library = VoiceLibrary(Settings())
    for path in paths:
        try:
            found = library.import_path(path)
        except (CastwrightError, ValueError) as error:
            raise _fail(error, 2) from None
        listed = ", ".join(found) or "supporting files (model or vocabulary)"
        console.print(f"imported {path}: {listed}; {_RESTART}")


@voices_app.command("available")
def available(
    engine: str = typer.Argument(..., help="piper or kokoro."),
    language: str = typer.Option("", "--language", "-l", help="Key prefix, e.g. en_GB or b."),
) -> None:
    """List the voices an engine's public catalogue offers (reads it over the network)."""
    settings = Settings()
    library = VoiceLibrary(settings)
    try:
        kind, _ = split_name(f"{engine}:x")
        with library.client() as client:
            catalogue = (
                PiperCatalogue(settings.voice_library.piper_url, client)
                if kind == "piper"
                else KokoroCatalogue(
                    settings.voice_library.kokoro_url, settings.voice_library.kokoro_model, client
                )
            )
            names = [n for n in catalogue.names() if n.startswith(language)]
    except CastwrightError as error:
        raise _fail(error) from None
    installed = set(library.installed())
    rows = [[f"{kind}:{n}", "yes" if f"{kind}:{n}" in installed else "no"] for n in names]
    print_table(console, f"{kind} catalogue ({len(rows)})", ["name", "installed"], rows)
