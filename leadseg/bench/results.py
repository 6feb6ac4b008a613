"""The benchmark history, ``bench/results.csv``: one row per step of every run."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

HEADER = ["date", "commit", "scale", "step", "seconds", "rows", "peak_mib"]
LEADS_AT_SCALE_1 = 100_000  # the old header had ``leads`` where ``scale`` is now


@dataclass(frozen=True)
class ResultRow:
    date: str
    commit: str
    scale: float
    step: str
    seconds: float
    rows: int | None
    peak_mib: float | None

    def cells(self) -> list[str]:
        return [
            self.date,
            self.commit,
            f"{self.scale:g}",
            self.step,
            f"{self.seconds:.3f}",
            "" if self.rows is None else str(self.rows),
            "" if self.peak_mib is None else f"{self.peak_mib:.0f}",
        ]


def _migrated(old: dict[str, str]) -> list[str]:
    """An old row under the current header (``leads`` becomes ``scale``)."""
    row = dict(old)
    if not row.get("scale") and row.get("leads"):
        row["scale"] = f"{int(row['leads']) / LEADS_AT_SCALE_1:g}"
    return [row.get(column) or "" for column in HEADER]


def append_results(path: Path, rows: Iterable[ResultRow]) -> None:
    """Append ``rows``; a file written under another header is rewritten under this one."""
    path = Path(path)
    if path.exists() and path.stat().st_size:
        with path.open(newline="") as fh:
            reader = csv.DictReader(fh)
            history = None if reader.fieldnames == HEADER else [_migrated(r) for r in reader]
        if history is not None:
            with path.open("w", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(HEADER)
                writer.writerows(history)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="") as out:
            csv.writer(out).writerow(HEADER)
    with path.open("a", newline="") as fh:
        csv.writer(fh).writerows(r.cells() for r in rows)
