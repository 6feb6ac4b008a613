"""One more day of web events for an existing landing folder: what arrives overnight.

``land_next_day(landing, day)`` replays the Segment events of ``day`` one day later: the
same visitors (anonymous ids, user ids, emails) doing the same kind of things, with every
timestamp moved forward by a day and fresh message ids, written as new files in the formats
the generator uses (``segment/pages/<day+1>.jsonl.gz``, ``segment/tracks/<day+1>.jsonl``,
``segment/identifies/<day+1>.parquet``). Existing files are never touched, so a run after it
finds exactly one day of new data. Only well-formed events of ``day`` are replayed (the
deliberately broken lines are left behind), so every written event falls on ``day + 1``.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .writer import gzip_bytes, write_atomic

# Timestamp fields in raw Segment JSON messages and in the flat warehouse shape.
JSON_TIME_KEYS = ("timestamp", "originalTimestamp", "sentAt", "receivedAt")
FLAT_TIME_COLUMNS = ("timestamp", "original_timestamp", "sent_at", "received_at")
ID_KEYS = ("messageId", "id")


def _shift(value: object, day: str, next_day: str) -> str | None:
    """``value`` moved to ``next_day`` when it is an ISO-style timestamp text on ``day``."""
    if isinstance(value, str) and value.startswith(day):
        return next_day + value[len(day) :]
    return None


def _replay_record(record: dict, keys: Iterable[str], id_keys: Iterable[str], day: str, nxt: str):
    """The record a day later, or None when a timestamp is missing or not on ``day``."""
    out = dict(record)
    shifted = 0
    for key in keys:
        value = record.get(key)
        if value is None:
            continue
        moved = _shift(value, day, nxt)
        if moved is None:
            return None
        out[key] = moved
        shifted += 1
    if not shifted:
        return None
    for key in id_keys:
        if isinstance(record.get(key), str) and record[key]:
            out[key] = f"{record[key]}-{nxt.replace('-', '')}"
    return out


def _sample(records: list, limit: int | None, rng: np.random.Generator) -> list:
    """At most ``limit`` of ``records``, drawn at random, in their original order."""
    if limit is None or len(records) <= limit:
        return records
    return [records[i] for i in np.sort(rng.choice(len(records), size=limit, replace=False))]


def _replay_json_file(
    src: Path, dest: Path, day: str, nxt: str, limit: int | None, rng: np.random.Generator
) -> int:
    raw = src.read_bytes()
    if src.name.endswith(".gz"):
        raw = gzip.decompress(raw)
    records = []
    for line in raw.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue  # a deliberately broken line
        if isinstance(record, dict):
            replayed = _replay_record(record, JSON_TIME_KEYS, ID_KEYS, day, nxt)
            if replayed is not None:
                records.append(replayed)
    records = _sample(records, limit, rng)
    data = b"".join(json.dumps(r, separators=(",", ":")).encode() + b"\n" for r in records)
    write_atomic(dest, gzip_bytes(data) if dest.name.endswith(".gz") else data)
    return len(records)


def _replay_identifies(
    sources: list[Path], dest: Path, day: str, nxt: str, limit: int | None, rng: np.random.Generator
) -> int:
    table = pa.concat_tables([pq.read_table(src) for src in sources], promote_options="default")
    on_day = pc.starts_with(table.column("timestamp").fill_null(""), day)
    rows = [
        replayed
        for record in table.filter(on_day).to_pylist()
        if (replayed := _replay_record(record, FLAT_TIME_COLUMNS, ("id",), day, nxt)) is not None
    ]
    rows = _sample(rows, limit, rng)
    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), sink, compression="snappy")
    write_atomic(dest, sink.getvalue().to_pybytes())
    return len(rows)


def land_next_day(
    landing: Path, day: dt.date, limit: Mapping[str, int] | None = None, seed: int = 0
) -> dict[str, int]:
    """Write ``day``'s Segment events again on ``day + 1``; rows written per table.

    ``limit`` (per table: ``pages``, ``tracks``, ``identifies``) caps the replayed events of
    a table, drawn at random with ``seed``: e.g. to land an average day's share of the
    history when ``day`` was busier than that.
    """
    seg = Path(landing) / "segment"
    day_s, next_s = day.isoformat(), (day + dt.timedelta(days=1)).isoformat()
    rng = np.random.default_rng([seed, 365])

    def limit_of(table: str) -> int | None:
        return None if limit is None else limit.get(table)

    written: dict[str, int] = {}
    for table in ("pages", "tracks"):
        sources = sorted((seg / table).glob(f"{day_s}.json*")) if (seg / table).is_dir() else []
        for src in sources:
            dest = src.with_name(next_s + src.name[len(day_s) :])
            if dest.exists():
                raise FileExistsError(f"{dest} already exists: that day has landed")
            n = _replay_json_file(src, dest, day_s, next_s, limit_of(table), rng)
            written[table] = written.get(table, 0) + n
    # the generator's one file, and the files earlier next days added
    sources = [seg / "identifies.parquet", seg / "identifies" / f"{day_s}.parquet"]
    sources = [src for src in sources if src.is_file()]
    if sources:
        dest = seg / "identifies" / f"{next_s}.parquet"
        if dest.exists():
            raise FileExistsError(f"{dest} already exists: that day has landed")
        written["identifies"] = _replay_identifies(
            sources, dest, day_s, next_s, limit_of("identifies"), rng
        )
    return written
