"""The project on Apache Spark: dbt-spark in session mode (local PySpark, `local[2]`).

Opt-in: `make test-spark` installs the `spark` extra (dbt-spark[session], pyspark) and runs
this module; plain `make test` does not collect it. The landing data is loaded with the
DuckDB loader, exported to parquet and registered as `raw.*` in the in-memory catalog, then
`dbt build --target spark` runs in this process (dbtRunner), so the JVM starts once.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
from pathlib import Path

import duckdb
import pytest

from leadseg.config import PROJECT_DIR

pytest.importorskip("pyspark", reason="pyspark is not installed: run `make test-spark`")
pytest.importorskip("dbt.adapters.spark", reason="dbt-spark is not installed: `make test-spark`")
if shutil.which("java") is None:
    pytest.skip("no `java` on PATH: Spark needs Java 17+", allow_module_level=True)

LEADS = 200
SEED = 7
AS_OF = "2026-11-02"


def _dbt(args: list[str], work: Path):
    from dbt.cli.main import dbtRunner

    common = ["--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)]
    common += ["--target", "spark", "--target-path", str(work / "target")]
    common += ["--log-path", str(work / "logs")]
    return dbtRunner().invoke([*args, *common])


@pytest.fixture(scope="session")
def spark_build(tmp_path_factory: pytest.TempPathFactory):
    from leadseg.generate import generate
    from leadseg.ingest import load_landing

    work = tmp_path_factory.mktemp("spark")
    (work / "tmp").mkdir()
    os.environ["LEADSEG_SPARK_DIR"] = str(work)
    landing = work / "landing"
    generate(landing, leads=LEADS, seed=SEED, end_date=dt.date(2026, 11, 1))
    raw_db = work / "loaded.duckdb"  # not raw.duckdb: the catalog would shadow schema raw
    os.environ["LEADSEG_TARGET"] = "duckdb"
    load_landing(landing, raw_db)
    parquet = work / "parquet"
    parquet.mkdir()
    con = duckdb.connect(str(raw_db))
    tables = [
        r[0]
        for r in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'raw'"
        ).fetchall()
    ]
    for table in tables:
        # One folder per table; Spark skips files whose names start with "_" (_load_log).
        (parquet / f"t{table}").mkdir()
        con.execute(f"copy raw.\"{table}\" to '{parquet}/t{table}/data.parquet' (format parquet)")
    con.close()
    register = _dbt(
        ["run-operation", "spark_register_raw_parquet", "--args",
         json.dumps({"directory": str(parquet), "tables": tables})],
        work,
    )  # fmt: skip
    assert register.success, register.exception
    started = time.monotonic()
    build = _dbt(["build", "--vars", json.dumps({"as_of_date": AS_OF})], work)
    elapsed = time.monotonic() - started
    print(f"\ndbt build --target spark: {elapsed:.0f} s")
    return build, elapsed


def test_spark_build_passes(spark_build) -> None:
    build, _ = spark_build
    failed = [
        f"{r.node.unique_id}: {r.status}: {(r.message or '').splitlines()[0][:300]}"
        for r in (build.result or [])
        if str(r.status) in ("error", "fail")
    ]
    assert build.success and not failed, "\n".join(failed) or str(build.exception)
