"""Constants and small query helpers shared by the pytest modules."""

from __future__ import annotations

import datetime as dt

import duckdb

DEMO_LEADS = 600
DEMO_SEED = 7
DEMO_END_DATE = dt.date(2026, 11, 1)
DEMO_AS_OF = dt.date(2026, 11, 2)


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def scalar(con: duckdb.DuckDBPyConnection, sql: str):
    return con.execute(sql).fetchone()[0]
