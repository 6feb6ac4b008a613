"""Write staged file rows into the warehouse (DuckDB now; PostgreSQL COPY can follow).

The writer receives, per target table, a ``SELECT`` over the reader's DuckDB connection
(see ``readers.py``). For DuckDB the reader's connection *is* the warehouse connection, so
writing is ``INSERT INTO raw.x SELECT ...``. A PostgreSQL writer would run the same SELECT
on an in-memory DuckDB, fetch Arrow record batches and ``COPY`` them, implementing the
same methods.
"""

from __future__ import annotations

import contextlib
import datetime as dt

import duckdb

from leadseg.ingest.readers import q
from leadseg.schema import RAW_SCHEMA, RAW_TABLES, RawTable, create_table_sql

LOAD_LOG = "_load_log"
LOAD_QUARANTINE = "_load_quarantine"

LOAD_LOG_COLUMNS: dict[str, str] = {
    "load_id": "VARCHAR",
    "file_path": "VARCHAR",
    "source": "VARCHAR",
    "table_name": "VARCHAR",
    "file_format": "VARCHAR",
    "compression": "VARCHAR",
    "size_bytes": "BIGINT",
    "sha256": "VARCHAR",
    "rows_read": "BIGINT",
    "rows_loaded": "BIGINT",
    "rows_quarantined": "BIGINT",
    "status": "VARCHAR",  # loaded | duplicate_content | failed
    "error": "VARCHAR",
    "loaded_at": "TIMESTAMP",
}
LOAD_QUARANTINE_COLUMNS: dict[str, str] = {
    "load_id": "VARCHAR",
    "file_path": "VARCHAR",
    "file_row_number": "BIGINT",
    "source": "VARCHAR",
    "table_name": "VARCHAR",
    "reason": "VARCHAR",
    "raw_record": "VARCHAR",
    "quarantined_at": "TIMESTAMP",
}


def _ddl(name: str, columns: dict[str, str]) -> str:
    cols = ", ".join(f"{q(c)} {t}" for c, t in columns.items())
    return f"CREATE TABLE IF NOT EXISTS {RAW_SCHEMA}.{q(name)} ({cols})"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class LoadLogQueries:
    """The `raw._load_log` reads and writes both writers share.

    A writer says how its driver spells a parameter (`placeholder`) and how it runs a
    statement (`_execute`) and a query returning rows (`_fetch`).
    """

    placeholder = "?"

    def _execute(self, sql: str, params: list) -> None:
        raise NotImplementedError

    def _fetch(self, sql: str, params: list) -> tuple[list[str], list[tuple]]:
        raise NotImplementedError

    def log(self, **values: object) -> None:
        cols = list(LOAD_LOG_COLUMNS)
        self._execute(
            f"INSERT INTO {RAW_SCHEMA}.{LOAD_LOG} ({', '.join(cols)}) "
            f"VALUES ({', '.join(self.placeholder for _ in cols)})",
            [values.get(c) for c in cols],
        )

    def log_entries(self, file_path: str | None = None, sha256: str | None = None) -> list[dict]:
        where, params = [], []
        if file_path is not None:
            where.append(f"file_path = {self.placeholder}")
            params.append(file_path)
        if sha256 is not None:
            where.append(f"sha256 = {self.placeholder}")
            params.append(sha256)
        sql = f"SELECT * FROM {RAW_SCHEMA}.{LOAD_LOG}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        names, rows = self._fetch(sql + " ORDER BY loaded_at", params)
        return [dict(zip(names, row, strict=True)) for row in rows]


class DuckDBWriter(LoadLogQueries):
    """Raw-layer writes on an open DuckDB warehouse connection."""

    def _execute(self, sql: str, params: list) -> None:
        self.con.execute(sql, params)

    def _fetch(self, sql: str, params: list) -> tuple[list[str], list[tuple]]:
        cur = self.con.execute(sql, params)
        return [d[0] for d in cur.description], cur.fetchall()

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        con.execute("SET enable_progress_bar = false")  # no progress bars in Dagster logs

    # schema ---------------------------------------------------------------
    def ensure_schema(self) -> None:
        self.con.execute(f"CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA}")
        for table in RAW_TABLES:
            self.ensure_table(table)
        self.con.execute(_ddl(LOAD_LOG, LOAD_LOG_COLUMNS))
        self.con.execute(_ddl(LOAD_QUARANTINE, LOAD_QUARANTINE_COLUMNS))

    def ensure_table(self, table: RawTable) -> None:
        self.con.execute(create_table_sql(table))

    def columns(self, relation: str) -> list[str]:
        rows = self.con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? "
            "AND database_name = current_database() ORDER BY column_index",
            [RAW_SCHEMA, relation],
        ).fetchall()
        return [r[0] for r in rows]

    def add_columns(self, relation: str, columns: list[str]) -> list[str]:
        existing = set(self.columns(relation))
        added = [c for c in columns if c not in existing]
        for column in added:
            self.con.execute(
                f"ALTER TABLE {RAW_SCHEMA}.{q(relation)} ADD COLUMN {q(column)} VARCHAR"
            )
        return added

    # transactions -------------------------------------------------------
    def begin(self) -> None:
        self.con.execute("BEGIN TRANSACTION")

    def commit(self) -> None:
        self.con.execute("COMMIT")

    def rollback(self) -> None:
        with contextlib.suppress(duckdb.Error):  # no transaction open
            self.con.execute("ROLLBACK")

    # rows ---------------------------------------------------------------
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
        inserted = self.con.execute(
            f"INSERT INTO {RAW_SCHEMA}.{q(relation)} "
            f"({cols}, _file_row_number, _file_path, _load_id, _loaded_at) "
            f"SELECT {cols}, _file_row_number, ?, ?, ? FROM ({select_sql})",
            [file_path, load_id, loaded_at],
        ).fetchone()
        return int(inserted[0]) if inserted else 0

    def insert_quarantine(
        self,
        select_sql: str,
        load_id: str,
        file_path: str,
        source: str,
        table_name: str,
        at: dt.datetime,
    ) -> int:
        inserted = self.con.execute(
            f"INSERT INTO {RAW_SCHEMA}.{LOAD_QUARANTINE} "
            "SELECT ?, ?, file_row_number, ?, ?, reason, raw_record, ? "
            f"FROM ({select_sql})",
            [load_id, file_path, source, table_name, at],
        ).fetchone()
        return int(inserted[0]) if inserted else 0
