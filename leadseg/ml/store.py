"""Reading frames from and writing frames to the warehouse, the same on DuckDB and PostgreSQL.

Writes replace one as-of date's rows (delete, then insert) so that re-running a day is
idempotent, and several tables can be replaced inside one transaction so that readers never
see predictions from one model next to the evaluation of another.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa

from ..warehouse import Warehouse

# PostgreSQL's type oid for `numeric` (psycopg loads it as decimal.Decimal).
_PG_NUMERIC_OID = 1700
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")

# One spelling per type that both DuckDB and PostgreSQL accept.
_ARROW_TYPES: dict[str, pa.DataType] = {
    "varchar": pa.string(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us"),
    "double precision": pa.float64(),
    "bigint": pa.int64(),
    "integer": pa.int32(),
    "boolean": pa.bool_(),
}


@dataclass(frozen=True)
class TableSpec:
    """A table this package owns: its columns, their types, and the column runs replace by."""

    schema: str
    name: str
    columns: tuple[tuple[str, str], ...]
    replace_key: str = "as_of_date"

    def __post_init__(self) -> None:
        for ident in (self.schema, self.name, *(c for c, _ in self.columns)):
            if not _IDENTIFIER.match(ident):
                raise ValueError(f"not a plain SQL identifier: {ident!r}")
        for column, sql_type in self.columns:
            if sql_type not in _ARROW_TYPES:
                raise ValueError(f"unsupported type {sql_type!r} for column {column!r}")
        if self.replace_key not in self.column_names:
            raise ValueError(f"replace key {self.replace_key!r} is not a column of {self.name}")

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def column_names(self) -> list[str]:
        return [c for c, _ in self.columns]

    def create_sql(self) -> str:
        body = ", ".join(f"{c} {t}" for c, t in self.columns)
        return f"create table if not exists {self.qualified} ({body})"


def read_frame(wh: Warehouse, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    """Run a query and return a frame with the same value types on both warehouses.

    Decimals (PostgreSQL numeric, DuckDB decimal) become floats; dates stay `datetime.date`.
    Integers with NULLs become floats (NaN); booleans with NULLs and columns that are NULL
    throughout hold `None` in object columns, as a frame built from Python rows would.
    """
    if wh.kind == "postgres":
        return _read_postgres(wh, sql, params)
    table = wh.con.sql(sql, params=list(params)).to_arrow_table()
    frame = table.to_pandas(date_as_object=True)
    for position, column in enumerate(table.columns):
        if column.null_count == len(column):
            frame.isetitem(position, pd.Series([None] * len(column), dtype=object))
        elif pa.types.is_decimal(column.type):
            frame.isetitem(position, frame.iloc[:, position].astype("float64"))
    return frame


def _read_postgres(wh: Warehouse, sql: str, params: Sequence[Any]) -> pd.DataFrame:
    with wh.con.cursor() as cur:
        cur.execute(sql.replace("?", "%s"), params)
        columns = [d.name for d in cur.description]
        numeric = [d.type_code == _PG_NUMERIC_OID for d in cur.description]
        rows = cur.fetchall()
    frame = pd.DataFrame.from_records(rows, columns=columns)
    for position, is_numeric in enumerate(numeric):
        # numeric values arrive as Decimal; a column of NULLs only stays as it is.
        if is_numeric and frame.iloc[:, position].notna().any():
            frame.isetitem(position, frame.iloc[:, position].astype("float64"))
    return frame


@contextlib.contextmanager
def transaction(wh: Warehouse) -> Iterator[None]:
    """One transaction on either warehouse (commit on success, roll back on error)."""
    if wh.kind == "postgres":
        with wh.con.transaction():
            yield
        return
    wh.con.begin()
    try:
        yield
    except BaseException:
        wh.con.rollback()
        raise
    wh.con.commit()


def ensure_table(wh: Warehouse, spec: TableSpec) -> None:
    wh.query(f"create schema if not exists {spec.schema}")
    wh.query(spec.create_sql())


def replace_rows(wh: Warehouse, spec: TableSpec, frame: pd.DataFrame, key_value: Any) -> int:
    """Replace the rows whose replace key equals `key_value` with `frame`; returns rows written.

    Call inside `transaction(wh)` to make the delete and insert atomic (and to group tables).
    """
    missing = [c for c in spec.column_names if c not in frame.columns]
    if missing:
        raise ValueError(f"{spec.qualified}: frame lacks columns {missing}")
    normalise = _as_date if isinstance(key_value, dt.date) else (lambda v: v)
    if any(normalise(v) != key_value for v in frame[spec.replace_key]):
        raise ValueError(f"{spec.qualified}: frame holds rows for another {spec.replace_key}")
    ensure_table(wh, spec)
    wh.query(f"delete from {spec.qualified} where {spec.replace_key} = ?", (key_value,))
    if frame.empty:
        return 0
    table = _to_arrow(frame, spec)
    columns = ", ".join(spec.column_names)
    if wh.kind == "postgres":
        with (
            wh.con.cursor() as cur,
            cur.copy(f"copy {spec.qualified} ({columns}) from stdin") as copy,
        ):
            for row in table.to_pylist():
                copy.write_row([row[c] for c in spec.column_names])
    else:
        view = f"_leadseg_ml_{spec.name}"
        wh.con.register(view, table)
        try:
            wh.con.execute(f"insert into {spec.qualified} ({columns}) select {columns} from {view}")
        finally:
            wh.con.unregister(view)
    return table.num_rows


def _to_arrow(frame: pd.DataFrame, spec: TableSpec) -> pa.Table:
    """Typed Arrow columns: NaN and None both become NULL, dates and timestamps are normalised."""
    arrays = []
    for column, sql_type in spec.columns:
        values = frame[column]
        if sql_type == "date":
            values = [_as_date(v) for v in values]
        elif sql_type == "timestamp":
            values = [None if _is_null(v) else pd.Timestamp(v).to_pydatetime() for v in values]
        elif sql_type in ("bigint", "integer"):
            values = [None if _is_null(v) else int(v) for v in values]
        elif sql_type == "boolean":
            values = [None if _is_null(v) else bool(v) for v in values]
        elif sql_type == "double precision":
            values = [None if _is_null(v) else float(v) for v in values]
        else:
            values = [None if _is_null(v) else str(v) for v in values]
        arrays.append(pa.array(values, type=_ARROW_TYPES[sql_type]))
    return pa.Table.from_arrays(arrays, names=spec.column_names)


def _is_null(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _as_date(value: Any) -> dt.date | None:
    if _is_null(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()
