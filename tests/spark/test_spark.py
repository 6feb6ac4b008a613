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

# Models that cannot be built on Spark, with the reason; the same list is in the README's
# portability table (docs/portability.md). The build must fail on exactly these (and skip
# only what depends on them): a model that starts to pass, or a new failure, fails the test.
NOT_PORTABLE: dict[str, str] = {}

# dbt unit tests left out on Spark only, with the reason (they run on DuckDB and PostgreSQL).
# A unit test renders the identity walk's rounds as one statement of nested CTEs; Spark
# inlines every CTE at each reference, so the plan grows with rounds × references and the
# 3 GB driver ran out of heap planning it (355–387 s, even capped at 4 rounds). The models
# themselves build on Spark: while dbt builds, the walk runs one statement per round.
UNIT_TESTS_LEFT_OUT: dict[str, str] = {
    name: "one statement of unrolled walk rounds: Spark's plan outgrows the driver heap"
    for name in (
        "identity_links_merge_protection_and_exclusions",
        "identity_people_and_stable_lead_ids",
        "identity_components_of_a_path",
    )
}


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
    left_out = [f"unit_test:{name}" for name in UNIT_TESTS_LEFT_OUT]
    build = _dbt(
        ["build", "--vars", json.dumps({"as_of_date": AS_OF}), "--exclude", *left_out], work
    )
    elapsed = time.monotonic() - started
    statuses: dict[str, int] = {}
    for result in build.result or []:
        statuses[str(result.status)] = statuses.get(str(result.status), 0) + 1
    print(f"\ndbt build --target spark: {elapsed:.0f} s ({LEADS} leads), {statuses}")
    (work / "build_seconds.txt").write_text(f"{elapsed:.1f}\n")
    return build, elapsed


def test_spark_build_passes(spark_build, record_property) -> None:
    build, elapsed = spark_build
    record_property("spark_build_seconds", round(elapsed, 1))
    results = build.result or []
    assert results, str(build.exception)
    failed = {
        r.node.unique_id: f"{r.status}: {(r.message or '').splitlines()[0][:300]}"
        for r in results
        if str(r.status) in ("error", "fail", "runtime error")
    }
    unexpected = {k: v for k, v in failed.items() if k not in NOT_PORTABLE}
    assert not unexpected, "\n".join(f"{k}: {v}" for k, v in unexpected.items())
    assert set(failed) == set(NOT_PORTABLE), f"now portable: {set(NOT_PORTABLE) - set(failed)}"
    if not NOT_PORTABLE:
        assert build.success, str(build.exception)


def test_spark_marts_have_rows(spark_build) -> None:
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.getOrCreate()  # the session dbt-spark created in-process
    marts = [r.tableName for r in spark.sql("show tables in marts").collect()]
    assert len(marts) >= 17, marts
    empty = [t for t in marts if spark.sql(f"select count(*) from marts.{t}").first()[0] == 0]
    # No clusters or predictions without the Python assets: those marts may be empty here.
    assert not [t for t in empty if t not in ("fct_segment_overlap",)], empty
