"""Process facts from /proc: descendants, CPU time and resident memory (Linux only)."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Sched", "cpu_seconds", "process_tree", "rss_kib", "sched", "tree_sched"]

_TICKS = os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants, parents first."""
    tree = [pid]
    index = 0
    while index < len(tree):
        tree.extend(c for c in _children(tree[index]) if c not in tree)
        index += 1
    return tree


def cpu_seconds(pid: int, with_children: bool = False) -> float:
    """User plus system CPU time of one process (every thread it has had, ended ones too), 0
    if it is gone; ``with_children`` adds its ended children that it has waited for."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])
    if with_children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / _TICKS


@dataclass(frozen=True)
class Sched:
    """Seconds a process spent running on a CPU, and runnable but waiting for one."""

    on_cpu: float
    waiting: float

    def since(self, earlier: Sched) -> Sched:
        return Sched(self.on_cpu - earlier.on_cpu, self.waiting - earlier.waiting)


def sched(pid: int) -> Sched:
    """Summed over the process's threads from /proc/<pid>/task/*/schedstat. Where the kernel
    keeps no schedstat, on-CPU time comes from /proc/<pid>/stat and waiting is NaN.

    schedstat only covers live threads, so on-CPU time is at least /proc/<pid>/stat's user +
    system time, which keeps that of ended threads and of reaped children (a render's
    synthesis thread and the helpers it forks end before a benchmark reads them). Their
    waiting time is lost with them: waiting is a lower bound.
    """
    on_cpu = waiting = 0
    counted = 0
    tasks = Path(f"/proc/{pid}/task")
    try:
        entries = list(tasks.iterdir())
    except OSError:
        return Sched(0.0, 0.0)  # gone
    for task in entries:
        try:
            running, queued, _ = (task / "schedstat").read_text().split()
        except OSError:
            continue  # the thread ended meanwhile, or no schedstat
        on_cpu += int(running)
        waiting += int(queued)
        counted += 1
    if not counted:
        return Sched(cpu_seconds(pid, with_children=True), math.nan)
    return Sched(max(on_cpu / 1e9, cpu_seconds(pid, with_children=True)), waiting / 1e9)


def tree_sched(pid: int) -> dict[int, Sched]:
    """``sched`` of ``pid`` and each descendant, by pid."""
    return {p: sched(p) for p in process_tree(pid)}


def rss_kib(pid: int) -> int:
    """VmRSS from /proc/<pid>/status; 0 for a zombie, which has none."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0
