"""Tables for people on a terminal, tab-separated lines for pipes and scripts."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

__all__ = ["print_table"]


def print_table(console: Console, title: str, columns: list[str], rows: list[list[str]]) -> None:
    if not console.is_terminal:
        # Never truncate when the output is read by a program (ids must come out whole).
        print("\t".join(columns))
        for row in rows:
            print("\t".join(row))
        return
    table = Table(*columns, title=title)
    for row in rows:
        table.add_row(*row)
    console.print(table)
