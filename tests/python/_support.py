"""Constants and small query helpers shared by the pytest modules."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import duckdb

DEMO_LEADS = 600
DEMO_SEED = 7
DEMO_END_DATE = dt.date(2026, 11, 1)
DEMO_AS_OF = dt.date(2026, 11, 2)


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def scalar(con: duckdb.DuckDBPyConnection, sql: str):
    return con.execute(sql).fetchone()[0]


def run_dbt(project: Path, warehouse: Path, work: Path, *args: str) -> subprocess.CompletedProcess:
    """`dbt <args>` on a DuckDB warehouse (usually a copy), with target and logs under `work`
    so concurrent builds never share dbt's state. Returns the finished process."""
    env = dict(
        os.environ,
        LEADSEG_WAREHOUSE=str(warehouse),
        LEADSEG_TARGET="duckdb",
        DBT_PROFILES_DIR=str(project),
        DBT_TARGET_PATH=str(work / "target"),
        DBT_LOG_PATH=str(work / "logs"),
    )
    dbt = Path(sys.executable).with_name("dbt")
    return subprocess.run(
        [str(dbt), *args], cwd=project, env=env, capture_output=True, text=True, timeout=600
    )
