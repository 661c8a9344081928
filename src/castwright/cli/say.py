"""castwright say: render text (or a whole script) to a WAV file on this machine."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from castwright.audio.wav import encode_wav
from castwright.config import Settings
from castwright.errors import CastwrightError
from castwright.speech.render import SpeechRun, render_plans
from castwright.speech.text.markup import parse_script
from castwright.speeches.planning import TtsOptions, plan_speech
from castwright.voices.local import local_catalogue, local_engines

__all__ = ["say"]

console = Console(stderr=True)


def _read_text(text: str | None, file: Path | None) -> str:
    if file is not None:
        return file.read_text(encoding="utf-8")
    if text is None or text == "-":
        if sys.stdin.isatty():
            raise typer.BadParameter("give TEXT, --file, or pipe text on stdin")
        return sys.stdin.read()
    return text


def say(
    text: str = typer.Argument(None, help="Text or script markup; '-' or omitted reads stdin."),
    voice: str = typer.Option("", "--voice", "-v", help="Voice alias (see castwright voices)."),
    output: Path = typer.Option(Path("say.wav"), "--output", "-o", help="WAV file to write."),
    file: Path = typer.Option(None, "--file", "-f", help="Read the text from this file."),
    speed: float = typer.Option(1.0, "--speed", help="0.5-3.0"),
) -> None:
    settings = Settings()
    source = _read_text(text, file)
    engines = local_engines(settings)
    catalogue = local_catalogue(settings, engines)
    try:
        plans = plan_speech(
            parse_script(source),
            TtsOptions(voice=voice or None, speed=speed, voice_intelligence=True),
            catalogue,
        )
    except CastwrightError as error:
        console.print(f"[red]{error.message}[/red]")
        for detail in error.errors:
            console.print(f"  {detail}")
        raise typer.Exit(2) from None
    total = sum(len(s.text) for p in plans for s in p.segments if isinstance(s, SpeechRun))
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task(f"rendering with {plans[0].voice.alias}", total=max(total, 1))
        audio = render_plans(
            plans,
            engines,
            settings.speech.sample_rate,
            settings.speech.chunk_chars,
            on_chunk=lambda chunk: progress.advance(task, len(chunk.text)),
        )
    output.write_bytes(encode_wav(audio))
    console.print(f"wrote {output} ({audio.duration:.1f} s, {audio.sample_rate} Hz)")
