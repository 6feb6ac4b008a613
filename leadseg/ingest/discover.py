"""Find landing files and work out which raw table each belongs to."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from leadseg.ingest.naming import match_table
from leadseg.schema import SOURCES

log = logging.getLogger(__name__)

FORMATS: dict[str, str] = {
    "csv": "csv",
    "parquet": "parquet",
    "jsonl": "json",
    "ndjson": "json",
    "json": "json",
}
SUPPORTED = (
    "'.csv', '.parquet', '.jsonl', '.ndjson', '.json' (newline-delimited), each optionally '.gz'"
)


@dataclass(frozen=True)
class LandingFile:
    path: Path  # absolute
    rel_path: str  # relative to the landing folder, forward slashes
    source: str
    table: str  # schema table name, e.g. "lead"
    file_format: str | None  # csv | parquet | json, None when the extension is not supported
    compression: str  # "gzip" or "none"

    @property
    def relation(self) -> str:
        return f"{self.source}__{self.table}"


@dataclass
class LandingScan:
    files: dict[str, list[LandingFile]] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)  # rel paths of files of unknown tables


def file_format(name: str) -> tuple[str | None, str]:
    """(format, compression) from a file name; format None when not supported."""
    lower = name.lower()
    compression = "none"
    if lower.endswith(".gz"):
        compression = "gzip"
        lower = lower[:-3]
    ext = lower.rsplit(".", 1)[-1] if "." in lower else ""
    return FORMATS.get(ext), compression


def _stem(name: str) -> str:
    """Table name of a file placed directly in the source folder: ``Lead.csv.gz`` -> ``Lead``."""
    stem = name
    if stem.lower().endswith(".gz"):
        stem = stem[:-3]
    if "." in stem:
        stem = stem.rsplit(".", 1)[0]
    return stem


def _hidden(part: str) -> bool:
    return part.startswith((".", "_"))


def scan_landing(landing_dir: Path) -> LandingScan:
    """Every loadable file under ``landing_dir``, grouped by relation, sorted by path."""
    landing_dir = Path(landing_dir)
    scan = LandingScan()
    if not landing_dir.is_dir():
        return scan
    for source in SOURCES:
        source_dir = landing_dir / source
        if not source_dir.is_dir():
            continue
        for path in sorted(source_dir.rglob("*")):
            rel_parts = path.relative_to(source_dir).parts
            if any(_hidden(p) for p in rel_parts) or not path.is_file():
                continue
            raw_name = _stem(rel_parts[0]) if len(rel_parts) == 1 else rel_parts[0]
            table = match_table(source, raw_name)
            rel = path.relative_to(landing_dir).as_posix()
            if table is None:
                log.warning(
                    "skipping %s: %r is not a known %s table (expected one of the tables in "
                    "leadseg/schema.py)",
                    rel,
                    raw_name,
                    source,
                )
                scan.unknown.append(rel)
                continue
            fmt, compression = file_format(path.name)
            lf = LandingFile(path.resolve(), rel, source, table, fmt, compression)
            scan.files.setdefault(lf.relation, []).append(lf)
    for files in scan.files.values():
        files.sort(key=lambda f: f.rel_path)
    return scan
