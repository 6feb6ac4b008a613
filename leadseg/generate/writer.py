"""Atomic file writing in the landing formats: CSV, Parquet, NDJSON, optionally gzip."""

from __future__ import annotations

import io
import os
import zlib
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .arrow_text import json_lines


def gzip_bytes(data: bytes, level: int = 6) -> bytes:
    """gzip with a fixed header (no name, mtime 0), so output is reproducible."""
    comp = zlib.compressobj(level, zlib.DEFLATED, 31)
    return comp.compress(data) + comp.flush()


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a hidden temporary name in the same folder, then rename into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def csv_bytes(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pacsv.write_csv(table, sink, pacsv.WriteOptions(include_header=True))
    return sink.getvalue()


def parquet_bytes(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="snappy")
    return sink.getvalue()


def jsonl_bytes(table: pa.Table) -> bytes:
    return json_lines(
        {name: table.column(name).combine_chunks() for name in table.column_names},
        table.num_rows,
        keep_order=True,
    )


def encode(table: pa.Table, fmt: str) -> bytes:
    """``fmt`` is the file suffix: csv, csv.gz, parquet, jsonl, jsonl.gz."""
    base, _, gz = fmt.partition(".")
    if base == "csv":
        data = csv_bytes(table)
    elif base == "parquet":
        return parquet_bytes(table)
    elif base == "jsonl":
        data = jsonl_bytes(table)
    else:
        raise ValueError(f"unknown format {fmt}")
    return gzip_bytes(data, 6 if len(data) < 4_000_000 else 1) if gz == "gz" else data
