"""Constants and small query helpers shared by the pytest modules."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

DEMO_LEADS = 600
DEMO_SEED = 7
DEMO_END_DATE = dt.date(2026, 11, 1)
DEMO_AS_OF = dt.date(2026, 11, 2)


@contextmanager
def dbt_unit_tests_left_out() -> Iterator[None]:
    """For a further DuckDB pipeline run in the session: dbt builds without its unit tests.

    A dbt unit test checks a model's SQL on the fixed rows it gives, not the warehouse's data,
    so on the same project, target and vars it has one outcome. The session run (conftest.py)
    runs every one of them, and its failure fails every test that uses it; a run after that
    would repeat them (about 20 s each). dbt's own `--exclude-resource-type unit_test`, set
    through its environment variable, which the dbt processes of the run inherit. Every data
    test still runs. Not for PostgreSQL runs: there the unit tests meet another engine.
    """
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DBT_EXCLUDE_RESOURCE_TYPES", "unit_test")
        yield


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
