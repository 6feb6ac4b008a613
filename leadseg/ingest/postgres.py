"""Write staged file rows into PostgreSQL with COPY, behind the same API as ``DuckDBWriter``.

The readers normalise each landing file into a ``SELECT`` over a DuckDB connection. Here
that connection is an in-memory DuckDB (``self.con``): the writer asks it to stream the
rows as CSV into a temporary file and sends that file with ``COPY ... FROM STDIN`` — one
round trip per file and table, never row-by-row inserts. Load log, quarantine and the
once-per-file rules live in the loader and are the same on both targets; the bookkeeping
tables sit in schema ``raw`` next to the raw tables.

Connection settings come from the usual libpq variables (``PGHOST``, ``PGPORT``,
``PGUSER``, ``PGPASSWORD``, ``PGDATABASE``) with the defaults profiles.yml uses.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from pathlib import Path

import duckdb
import psycopg

from leadseg.ingest.readers import lit, q
from leadseg.ingest.writer import (
    LOAD_LOG,
    LOAD_LOG_COLUMNS,
    LOAD_QUARANTINE,
    LOAD_QUARANTINE_COLUMNS,
    LoadLogQueries,
    _ddl,
)
from leadseg.schema import RAW_SCHEMA, RAW_TABLES, RawTable, create_table_sql

_COPY_CHUNK = 1 << 20


def pg_conninfo() -> dict[str, object]:
    """psycopg connection keywords from the PG* variables (profiles.yml's defaults)."""
    env = os.environ
    return {
        "host": env.get("PGHOST", "127.0.0.1"),
        "port": int(env.get("PGPORT", "5432")),
        "user": env.get("PGUSER", "postgres"),
        "password": env.get("PGPASSWORD", ""),
        "dbname": env.get("PGDATABASE", "test"),
    }


def _sql_literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, dt.datetime):
        return f"TIMESTAMP {lit(value.isoformat(sep=' '))}"
    return lit(str(value))


class PostgresWriter(LoadLogQueries):
    """Raw-layer writes to PostgreSQL; ``con`` is the readers' in-memory DuckDB."""

    # Errors the loader turns into a failed file (beside DuckDB's and the OS's).
    errors: tuple[type[BaseException], ...] = (psycopg.Error,)

    def __init__(self, pg: psycopg.Connection, con: duckdb.DuckDBPyConnection | None = None):
        self.pg = pg
        self.pg.autocommit = True  # transactions are explicit: begin/commit/rollback
        self.con = con if con is not None else duckdb.connect(":memory:")
        self.con.execute("SET enable_progress_bar = false")
        self._tmpdir = tempfile.TemporaryDirectory(prefix="leadseg-copy-")

    @classmethod
    def connect(cls) -> PostgresWriter:
        return cls(psycopg.connect(**pg_conninfo(), autocommit=True))  # type: ignore[arg-type]

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.con.close()
        with contextlib.suppress(Exception):
            self.pg.close()
        self._tmpdir.cleanup()

    def _exec(self, sql: str, params: tuple | list | None = None) -> psycopg.Cursor:
        return self.pg.execute(sql, params)  # type: ignore[arg-type]

    placeholder = "%s"

    def _execute(self, sql: str, params: list) -> None:
        self._exec(sql, params)

    def _fetch(self, sql: str, params: list) -> tuple[list[str], list[tuple]]:
        with self.pg.cursor() as cur:
            cur.execute(sql, params)
            return [d[0] for d in cur.description or []], cur.fetchall()

    # schema ---------------------------------------------------------------
    def ensure_schema(self) -> None:
        self._exec(f"CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA}")
        for table in RAW_TABLES:
            self.ensure_table(table)
        self._exec(_ddl(LOAD_LOG, LOAD_LOG_COLUMNS))
        self._exec(_ddl(LOAD_QUARANTINE, LOAD_QUARANTINE_COLUMNS))

    def ensure_table(self, table: RawTable) -> None:
        self._exec(create_table_sql(table))

    def columns(self, relation: str) -> list[str]:
        rows = self._exec(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
            (RAW_SCHEMA, relation),
        ).fetchall()
        return [r[0] for r in rows]

    def add_columns(self, relation: str, columns: list[str]) -> list[str]:
        existing = set(self.columns(relation))
        added = [c for c in columns if c not in existing]
        for column in added:
            self._exec(f"ALTER TABLE {RAW_SCHEMA}.{q(relation)} ADD COLUMN {q(column)} VARCHAR")
        return added

    # transactions -------------------------------------------------------
    def begin(self) -> None:
        self._exec("BEGIN")

    def commit(self) -> None:
        self._exec("COMMIT")

    def rollback(self) -> None:
        # Outside a transaction PostgreSQL only warns; a broken connection is not our business.
        with contextlib.suppress(psycopg.Error):
            self._exec("ROLLBACK")

    # rows ---------------------------------------------------------------
    def _copy(self, relation: str, columns: list[str], select_sql: str) -> int:
        """Stream ``select_sql`` (on the DuckDB side) into ``raw.relation`` with COPY."""
        path = Path(self._tmpdir.name) / "rows.csv"
        # DuckDB writes NULL as an empty field and an empty string as "" — exactly how
        # PostgreSQL's CSV COPY tells the two apart.
        self.con.execute(
            f"COPY ({select_sql}) TO {lit(str(path))} (FORMAT csv, HEADER false, QUOTE '\"', "
            "ESCAPE '\"', NULLSTR '')"
        )
        cols = ", ".join(q(c) for c in columns)
        copy_sql = f"COPY {RAW_SCHEMA}.{q(relation)} ({cols}) FROM STDIN (FORMAT csv)"
        try:
            with self.pg.cursor() as cur, open(path, "rb") as fh:
                with cur.copy(copy_sql) as cp:
                    while chunk := fh.read(_COPY_CHUNK):
                        cp.write(chunk)
                return max(cur.rowcount, 0)
        finally:
            path.unlink(missing_ok=True)

    def insert_rows(
        self,
        relation: str,
        columns: list[str],
        select_sql: str,
        file_path: str,
        load_id: str,
        loaded_at: dt.datetime,
    ) -> int:
        cols = ", ".join(q(c) for c in columns)
        select = (
            f"SELECT {cols}, _file_row_number, {_sql_literal(file_path)}, "
            f"{_sql_literal(load_id)}, {_sql_literal(loaded_at)} FROM ({select_sql})"
        )
        meta = ["_file_row_number", "_file_path", "_load_id", "_loaded_at"]
        return self._copy(relation, [*columns, *meta], select)

    def insert_quarantine(
        self,
        select_sql: str,
        load_id: str,
        file_path: str,
        source: str,
        table_name: str,
        at: dt.datetime,
    ) -> int:
        select = (
            f"SELECT {_sql_literal(load_id)}, {_sql_literal(file_path)}, file_row_number, "
            f"{_sql_literal(source)}, {_sql_literal(table_name)}, reason, raw_record, "
            f"{_sql_literal(at)} FROM ({select_sql})"
        )
        return self._copy(LOAD_QUARANTINE, list(LOAD_QUARANTINE_COLUMNS), select)
