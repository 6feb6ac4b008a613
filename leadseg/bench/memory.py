"""Resident memory of this process and every process it started, sampled from /proc.

``getrusage(RUSAGE_CHILDREN)`` only reports children that have exited and were waited for,
and says nothing about the DuckDB running inside this process; so a background thread
sums the RSS of the whole process tree a few times a second instead. Summing RSS counts
pages shared between processes more than once, so this errs on the high side.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
MIB = 1024 * 1024


def _parent_pids() -> dict[int, int]:
    """pid -> parent pid of every visible process."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # exited meanwhile
        # the command name may hold spaces and parentheses: fields follow the last ")"
        fields = stat[stat.rfind(")") + 2 :].split()
        parents[int(entry.name)] = int(fields[1])
    return parents


def tree_pids(root: int, parents: dict[int, int]) -> set[int]:
    """``root`` and all its descendants."""
    children: dict[int, list[int]] = {}
    for pid, ppid in parents.items():
        children.setdefault(ppid, []).append(pid)
    found, todo = {root}, [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def rss_bytes(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss_bytes(root: int | None = None) -> int:
    root = os.getpid() if root is None else root
    return sum(rss_bytes(pid) for pid in tree_pids(root, _parent_pids()))


class MemorySampler:
    """``with MemorySampler() as m: ...``; then ``m.peak_mib(start, end)`` for any window."""

    def __init__(self, interval: float = 0.25) -> None:
        self.interval = interval
        self.samples: list[tuple[float, int]] = []  # (unix time, bytes)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="memory-sampler", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.time(), tree_rss_bytes()))
            self._stop.wait(self.interval)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append((time.time(), tree_rss_bytes()))

    def peak_mib(self, windows: list[tuple[float, float]] | None = None) -> float | None:
        """Highest sample inside any of ``windows`` (all samples when None), in MiB."""
        values = [
            b
            for t, b in self.samples
            if windows is None or any(start <= t <= end for start, end in windows)
        ]
        return max(values) / MIB if values else None
