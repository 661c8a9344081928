"""Benchmark 4: resident memory of a server process and its children, from /proc."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bench import procfs

__all__ = ["ProcessMemory", "memory_of"]


@dataclass(frozen=True)
class ProcessMemory:
    pid: int
    role: str
    rss_kib: int

    @property
    def rss_mib(self) -> float:
        return self.rss_kib / 1024


def _role(pid: int, root: int) -> str:
    if pid == root:
        return "server (uvicorn, API)"
    argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    command = " ".join(part.decode(errors="replace") for part in argv)
    if "resource_tracker" in command:
        return "multiprocessing resource tracker"
    if "spawn_main" in command or "--multiprocessing-fork" in command:
        return "synthesis worker"
    return Path(argv[0].decode(errors="replace")).name or f"pid {pid}"


def memory_of(root: int) -> list[ProcessMemory]:
    """RSS of ``root`` and every descendant, the server first, workers numbered."""
    found: list[ProcessMemory] = []
    for pid in procfs.process_tree(root):
        try:
            found.append(ProcessMemory(pid, _role(pid, root), procfs.rss_kib(pid)))
        except (FileNotFoundError, ProcessLookupError):
            continue  # exited between listing and reading
    workers = [m for m in found if m.role == "synthesis worker"]
    if len(workers) > 1:
        numbered = {m.pid: f"synthesis worker {i}" for i, m in enumerate(workers, 1)}
        found = [ProcessMemory(m.pid, numbered.get(m.pid, m.role), m.rss_kib) for m in found]
    return found
