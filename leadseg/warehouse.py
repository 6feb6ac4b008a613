"""Read-only access to the warehouse for the CLI's summary, reports and the tests."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from typing import Any

from .config import Settings


class Warehouse:
    """A thin wrapper giving DuckDB and PostgreSQL one query interface (`?` placeholders)."""

    def __init__(self, con: Any, kind: str) -> None:
        self.con = con
        self.kind = kind

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        if self.kind == "postgres":
            sql = sql.replace("?", "%s")
            with self.con.cursor() as cur:
                cur.execute(sql, params)
                return cur.fetchall() if cur.description else []
        return self.con.execute(sql, list(params)).fetchall()

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = self.query(sql, params)
        return rows[0][0] if rows else None

    def table_exists(self, schema: str, table: str) -> bool:
        return bool(
            self.scalar(
                "select count(*) from information_schema.tables"
                " where table_schema = ? and table_name = ?",
                (schema, table),
            )
        )

    def tables(self, schema: str) -> list[str]:
        rows = self.query(
            "select table_name from information_schema.tables where table_schema = ?"
            " order by table_name",
            (schema,),
        )
        return [r[0] for r in rows]


@contextlib.contextmanager
def connect(settings: Settings, read_only: bool = True) -> Iterator[Warehouse]:
    """The target warehouse (a DuckDB file or PostgreSQL from the PG* variables)."""
    if settings.target == "duckdb":
        import duckdb

        if read_only and not settings.warehouse.exists():
            raise FileNotFoundError(
                f"no warehouse at {settings.warehouse}: run `leadseg run` first "
                "(or set LEADSEG_WAREHOUSE to an existing DuckDB file)"
            )
        con = duckdb.connect(str(settings.warehouse), read_only=read_only)
    else:
        import psycopg

        con = psycopg.connect(
            host=os.environ.get("PGHOST", "127.0.0.1"),
            port=int(os.environ.get("PGPORT", "5432")),
            user=os.environ.get("PGUSER", "postgres"),
            password=os.environ.get("PGPASSWORD", ""),
            dbname=os.environ.get("PGDATABASE", "test"),
            autocommit=True,
        )
    try:
        yield Warehouse(con, settings.target)
    finally:
        con.close()
