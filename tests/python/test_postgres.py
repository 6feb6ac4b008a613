"""The same project on PostgreSQL: same landing data, same marts, BI role limited to marts.

One extra full `leadseg run` on PostgreSQL into a throwaway database (created and dropped
here, never the shared `test` database's public schema), compared with the session's
DuckDB run of the same landing data. Skipped with the reason when PostgreSQL is not
reachable (`.ci/run` starts the server first on these machines).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import decimal
import math
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import duckdb
import psycopg
import pytest
from forget_support import (
    BOOKKEEPING,
    files_containing,
    needles,
    person_with_web_activity,
    tables_containing,
)
from psycopg import sql

from leadseg.cli import main
from leadseg.config import Settings
from leadseg.ingest.postgres import PostgresWriter, pg_conninfo
from leadseg.runner import RunOutcome, run_pipeline
from leadseg.warehouse import Warehouse

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

BI_ROLE = "leadseg_bi"
REL_TOL = 1e-9
ABS_TOL = 1e-6


def _connect(**overrides: object) -> psycopg.Connection:
    info = {**pg_conninfo(), "connect_timeout": 3, **overrides}
    return psycopg.connect(**info, autocommit=True)  # type: ignore[arg-type]


@contextlib.contextmanager
def _throwaway_database() -> Iterator[str]:
    """A fresh database `leadseg_test_<random>`, dropped afterwards; skip if no server."""
    info = pg_conninfo()
    try:
        admin = _connect()
    except psycopg.OperationalError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        pytest.skip(f"PostgreSQL not reachable at {info['host']}:{info['port']}: {first_line}")
    name = f"leadseg_test_{secrets.token_hex(4)}"
    admin.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        drop = sql.SQL("drop database if exists {} with (force)")
        admin.execute(drop.format(sql.Identifier(name)))
        admin.close()


@pytest.fixture(scope="module")
def pg_database() -> Iterator[str]:
    with _throwaway_database() as name:
        yield name


@pytest.fixture(scope="module")
def pg_settings(demo_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    work = tmp_path_factory.mktemp("postgres")
    return dataclasses.replace(
        demo_settings,
        target="postgres",
        warehouse=work / "unused.duckdb",
        export_dir=work / "exports",
    )


@pytest.fixture(scope="module")
def pg_pipeline(
    wh: duckdb.DuckDBPyConnection, pg_database: str, pg_settings: Settings
) -> Iterator[RunOutcome]:
    """`leadseg run` on PostgreSQL (after the DuckDB session run: `wh` asserts it passed).

    run_pipeline publishes its settings to the environment; put the environment back
    afterwards so the rest of the session still sees the DuckDB run's settings.
    """
    saved = dict(os.environ)
    os.environ["PGDATABASE"] = pg_database
    try:
        yield run_pipeline(pg_settings, quiet=True)
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture(scope="module")
def pg_spare_database(pg_pipeline: RunOutcome, pg_database: str) -> Iterator[str]:
    """A copy of the database as the run left it, for tests that change data (`leadseg
    forget`). Taken before `pg` connects: CREATE DATABASE ... TEMPLATE needs an idle source."""
    name = f"{pg_database}_spare"
    with _connect() as admin:
        create = sql.SQL("create database {} template {}").format(
            sql.Identifier(name), sql.Identifier(pg_database)
        )
        try:
            admin.execute(create)
        except psycopg.errors.ObjectInUse:  # a connection the run left open (ours): end it
            admin.execute(
                "select pg_terminate_backend(pid) from pg_stat_activity"
                " where datname = %s and pid <> pg_backend_pid()",
                (pg_database,),
            )
            admin.execute(create)
    try:
        yield name
    finally:
        with _connect() as admin:
            admin.execute(
                sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name))
            )


@pytest.fixture(scope="module")
def pg(
    pg_pipeline: RunOutcome, pg_database: str, pg_spare_database: str
) -> Iterator[psycopg.Connection]:
    assert pg_pipeline.ok, (
        "the PostgreSQL pipeline run failed:\n"
        + "\n".join(
            f"{s}: {m}"
            for s, m in zip(pg_pipeline.failed_steps, pg_pipeline.failure_messages, strict=True)
        )
        + "\n".join(f"check {c.asset}/{c.check}" for c in pg_pipeline.failed_error_checks)
    )
    con = _connect(dbname=pg_database)
    yield con
    con.close()


# --- comparing result sets ------------------------------------------------------------


def _norm(value: object) -> object:
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def _is_number(value: object) -> bool:
    return isinstance(value, float)


def _sort_key(row: tuple, float_cols: set[int]) -> tuple:
    # Exact columns first (None sorts first), floats rounded so near-equal values sort alike.
    exact = tuple((v is not None, str(v)) for i, v in enumerate(row) if i not in float_cols)
    approx = tuple(
        (v is not None, round(v, 4) if isinstance(v, float) else 0)
        for i, v in enumerate(row)
        if i in float_cols
    )
    return exact + approx


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    if isinstance(a, float | int) and isinstance(b, float | int) and not isinstance(a, bool):
        return math.isclose(float(a), float(b), rel_tol=REL_TOL, abs_tol=ABS_TOL)
    return a == b


def compare_rows(columns: list[str], left: list[tuple], right: list[tuple]) -> list[str]:
    """Differences between two result sets, order-independent, floats within a tolerance."""
    left = [tuple(_norm(v) for v in r) for r in left]
    right = [tuple(_norm(v) for v in r) for r in right]
    if len(left) != len(right):
        return [f"row counts differ: duckdb {len(left)}, postgres {len(right)}"]
    float_cols = {i for r in (*left, *right) for i, v in enumerate(r) if _is_number(v)}
    left.sort(key=lambda r: _sort_key(r, float_cols))
    right.sort(key=lambda r: _sort_key(r, float_cols))
    problems = []
    for lrow, rrow in zip(left, right, strict=True):
        diffs = [
            f"{col}: duckdb {lv!r} != postgres {rv!r}"
            for col, lv, rv in zip(columns, lrow, rrow, strict=True)
            if not _same(lv, rv)
        ]
        if diffs:
            problems.append("; ".join(diffs))
    return problems


def test_compare_rows_tolerates_float_noise_and_order() -> None:
    cols = ["id", "score"]
    assert compare_rows(cols, [(1, 0.1 + 0.2), (2, 1.0)], [(2, 1.0), (1, 0.3)]) == []
    assert compare_rows(cols, [(1, 0.5)], [(1, 0.6)]) == ["score: duckdb 0.5 != postgres 0.6"]
    assert compare_rows(cols, [(1, None)], [(1, 0.0)]) != []
    assert compare_rows(cols, [(1, 1.0)], []) == ["row counts differ: duckdb 1, postgres 0"]


# --- the COPY writer on its own (fast: a tiny landing folder) --------------------------


def test_copy_writer_quarantine_nulls_and_failed_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from leadseg.ingest import LandingFileError, load_table

    landing = tmp_path / "landing"
    (landing / "salesforce" / "lead").mkdir(parents=True)
    (landing / "salesforce" / "lead" / "1.csv").write_bytes(
        b"id,email,first_name\n"
        b'00Q1,,"Ann, ""the"" first"\n'  # empty email: NULL, quotes and commas kept
        b"00Q2\n"  # too few fields: quarantined
        b'00Q3,"",Cy\n'  # quoted empty string: the reader makes blank fields NULL
        b"00Q4,d@x.com,D\xe9sir\xe9e\n"  # not UTF-8: quarantined
        b"00Q5,e@x.com,Multi\\nline\n"
        b"00Q6,f@x.com,Fay,\n"  # an empty surplus field (trailing delimiter): quarantined
    )
    (landing / "salesforce" / "lead" / "2.csv").write_text("email\nz@x.com\n")  # no id
    with _throwaway_database() as name:
        monkeypatch.setenv("PGDATABASE", name)
        monkeypatch.setenv("LEADSEG_TARGET", "postgres")
        with pytest.raises(LandingFileError, match=r"salesforce/lead/2\.csv") as info:
            load_table(landing, tmp_path / "unused.duckdb", "salesforce__lead")
        assert [f.status for f in info.value.report.files] == ["loaded", "failed"]
        with _connect(dbname=name) as con:
            loaded = con.execute(
                "select id, email, first_name, _file_row_number, _file_path"
                " from raw.salesforce__lead order by _file_row_number"
            ).fetchall()
            quarantined = con.execute(
                "select file_row_number, table_name from raw._load_quarantine order by 1"
            ).fetchall()
            # An empty string the reader does produce stays an empty string through COPY.
            writer = PostgresWriter(con)
            writer.insert_rows("salesforce__lead", ["id", "email"],
                               "select 'Z1' as id, '' as email, 99 as _file_row_number",
                               "x.csv", "z", dt.datetime(2026, 1, 1))  # fmt: skip
            assert con.execute(
                "select email, _loaded_at from raw.salesforce__lead where id = 'Z1'"
            ).fetchall() == [("", dt.datetime(2026, 1, 1))]
            con.execute("delete from raw.salesforce__lead where id = 'Z1'")
            log = con.execute(
                "select file_path, status, rows_read, rows_loaded, rows_quarantined"
                " from raw._load_log order by file_path"
            ).fetchall()
    # The DuckDB writer gives the same rows for the same files.
    monkeypatch.setenv("LEADSEG_TARGET", "duckdb")
    with pytest.raises(LandingFileError):
        load_table(landing, tmp_path / "same.duckdb", "salesforce__lead")
    with duckdb.connect(str(tmp_path / "same.duckdb")) as duck:
        assert (
            loaded
            == duck.execute(
                "select id, email, first_name, _file_row_number, _file_path"
                " from raw.salesforce__lead order by _file_row_number"
            ).fetchall()
        )
    first_names = {r[0]: r[2] for r in loaded}
    assert [r[0] for r in loaded] == ["00Q1", "00Q3", "00Q5"]
    assert [r[1] for r in loaded] == [None, None, "e@x.com"]
    assert first_names["00Q1"] == 'Ann, "the" first'
    assert {r[4] for r in loaded} == {"salesforce/lead/1.csv"}
    assert quarantined == [(2, "lead"), (4, "lead"), (6, "lead")]
    assert log == [
        ("salesforce/lead/1.csv", "loaded", 6, 3, 3),
        ("salesforce/lead/2.csv", "failed", 0, 0, 0),
    ]


# --- the PostgreSQL run ------------------------------------------------------------------


def _pg_rows(pg: psycopg.Connection, query: str, params: tuple = ()) -> list[tuple]:
    with pg.cursor() as cur:
        cur.execute(query, params)
        return cur.fetchall()


def _tables(pg: psycopg.Connection, schema: str) -> list[str]:
    return [
        r[0]
        for r in _pg_rows(
            pg,
            "select table_name from information_schema.tables where table_schema = %s"
            " order by table_name",
            (schema,),
        )
    ]


def test_ingestion_loads_the_same_raw_rows(pg: psycopg.Connection, wh) -> None:
    duck = wh.execute("select table_name from duckdb_tables() where schema_name = 'raw'").fetchall()
    assert duck, "the DuckDB run loaded no raw tables"
    for (table,) in duck:
        duck_n = wh.execute(f'select count(*) from raw."{table}"').fetchone()[0]
        pg_n = _pg_rows(pg, f'select count(*) from raw."{table}"')[0][0]
        assert pg_n == duck_n, f"raw.{table}: duckdb {duck_n} rows, postgres {pg_n}"
    # Same files logged once each, with the same row accounting.
    log_sql = (
        "select file_path, status, rows_read, rows_loaded, rows_quarantined from raw._load_log"
    )
    assert sorted(_pg_rows(pg, log_sql)) == sorted(wh.execute(log_sql).fetchall())
    # NULL and empty text survive COPY as they are.
    nulls_sql = (
        "select count(*) filter (where email is null), count(*) filter (where email = '')"
        " from raw.salesforce__lead"
    )
    assert tuple(_pg_rows(pg, nulls_sql)[0]) == tuple(wh.execute(nulls_sql).fetchone())


def test_rerun_loads_nothing_twice(
    pg: psycopg.Connection, pg_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from leadseg.ingest import load_landing

    before = _pg_rows(pg, "select count(*) from raw._load_log")[0][0]
    monkeypatch.setenv("PGDATABASE", pg.info.dbname)
    monkeypatch.setenv("LEADSEG_TARGET", "postgres")
    reports = load_landing(pg_settings.landing_dir, pg_settings.warehouse)
    assert sum(r.files_loaded for r in reports) == 0
    assert sum(r.files_skipped for r in reports) == before
    assert _pg_rows(pg, "select count(*) from raw._load_log")[0][0] == before


def test_every_mart_matches_duckdb_row_for_row(pg: psycopg.Connection, wh) -> None:
    duck_marts = sorted(
        r[0]
        for r in wh.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()
    )
    assert duck_marts, "the DuckDB run built no marts"
    assert _tables(pg, "marts") == duck_marts
    problems: dict[str, list[str]] = {}
    for mart in duck_marts:
        columns = [
            r[0]
            for r in wh.execute(
                "select column_name from information_schema.columns"
                " where table_schema = 'marts' and table_name = ? order by ordinal_position",
                [mart],
            ).fetchall()
        ]
        select = "select " + ", ".join(f'"{c}"' for c in columns) + f' from marts."{mart}"'
        found = compare_rows(columns, wh.execute(select).fetchall(), _pg_rows(pg, select))
        if found:
            problems[mart] = found[:5] + ([f"... {len(found) - 5} more"] if len(found) > 5 else [])
    assert not problems, "marts differ between DuckDB and PostgreSQL:\n" + "\n".join(
        f"{mart}:\n  " + "\n  ".join(lines) for mart, lines in problems.items()
    )


def test_bi_role_reads_marts_only(pg: psycopg.Connection) -> None:
    """As `leadseg_bi` (SET ROLE: the role is nologin; BI users are granted membership)."""
    mart = _tables(pg, "marts")[0]
    staging_view = _pg_rows(
        pg,
        "select table_name from information_schema.views where table_schema = 'staging'"
        " order by table_name limit 1",
    )[0][0]
    with pg.cursor() as cur:
        cur.execute(sql.SQL("set role {}").format(sql.Identifier(BI_ROLE)))
        try:
            cur.execute(f'select count(*) from marts."{mart}"')
            assert cur.fetchone()[0] >= 0
            for relation in ("raw.salesforce__lead", f'staging."{staging_view}"'):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    cur.execute(f"select count(*) from {relation}")
        finally:
            cur.execute("reset role")


# --- leadseg forget on PostgreSQL (on the spare copy: the tests above compare the run) -----


@pytest.fixture(scope="module")
def pg_forgotten(
    pg: psycopg.Connection,
    pg_spare_database: str,
    pg_settings: Settings,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict]:
    """`leadseg forget --target postgres` for one person with web activity, on the spare
    copy; what it found before and the CLI's exit code, for the tests below."""
    work = tmp_path_factory.mktemp("pg_forget")
    registry, exports = work / "forgotten_identifiers.csv", work / "exports"
    exports.mkdir()
    mp = pytest.MonkeyPatch()
    mp.setenv("PGDATABASE", pg_spare_database)
    mp.setenv("LEADSEG_FORGET_REGISTRY", str(registry))
    try:
        with _connect(dbname=pg_spare_database) as con:
            wh = Warehouse(con, "postgres")
            email = person_with_web_activity(wh)
            assert email, "the demo data should have a lead with web activity"
            lead_key = wh.scalar("select lead_id from marts.dim_leads where email = ?", [email])
            texts = [*needles(email), lead_key]
            before = tables_containing(wh, texts)
        (exports / "audience.csv").write_text(
            f"lead_email,segment\n{email},hot\nsomeone.else@example.com,cold\n"
        )
        exit_code = main(
            ["forget", "--email", email.upper(), "--target", "postgres",
             "--export-dir", str(exports), "--landing", str(pg_settings.landing_dir)]
        )  # fmt: skip
        yield dict(
            email=email, texts=texts, before=before, exit_code=exit_code,
            registry=registry, exports=exports, database=pg_spare_database,
        )  # fmt: skip
    finally:
        mp.undo()


def test_forget_on_postgres_removes_the_person_from_every_schema(pg_forgotten: dict) -> None:
    f = pg_forgotten
    assert f["exit_code"] == 0
    # the search can fail: before the request the person was in every layer
    assert {t.split(".")[0] for t in f["before"]} >= {"raw", "staging", "intermediate", "marts"}
    with _connect(dbname=f["database"]) as con:
        wh = Warehouse(con, "postgres")
        assert [t for t in tables_containing(wh, f["texts"]) if t not in BOOKKEEPING] == []
        requests = wh.query(
            "select request_hash, raw_rows_removed, derived_rows_removed from raw._forget_requests"
        )
    digest = needles(f["email"])[1]
    assert [r[0] for r in requests] == [digest]
    assert requests[0][1] > 0 and requests[0][2] > 0
    assert files_containing(f["exports"], f["texts"]) == []
    assert "someone.else@example.com" in (f["exports"] / "audience.csv").read_text()
    registry = f["registry"].read_text()
    assert digest in registry and f["email"] not in registry


def test_postgres_reload_leaves_the_person_out_and_logs_the_rows(
    pg_forgotten: dict, pg_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same landing files loaded into an empty PostgreSQL database (a rebuild's
    ingestion): the loader drops exactly the rows `forget` erased from raw, and logs them
    per file in raw._forget_log, so every file's rows still add up."""
    from leadseg.ingest import load_landing

    monkeypatch.setenv("LEADSEG_FORGET_REGISTRY", str(pg_forgotten["registry"]))
    monkeypatch.setenv("LEADSEG_TARGET", "postgres")
    with _connect(dbname=pg_forgotten["database"]) as con:
        erased = Warehouse(con, "postgres").query(
            "select file_path, source_table, rows_removed from raw._forget_log"
            " where source_table in (select table_name from information_schema.tables"
            "   where table_schema = 'raw')"
        )
    with _throwaway_database() as name:
        monkeypatch.setenv("PGDATABASE", name)
        load_landing(pg_settings.landing_dir, pg_settings.warehouse)
        with _connect(dbname=name) as con:
            wh = Warehouse(con, "postgres")
            assert [t for t in tables_containing(wh, pg_forgotten["texts"])
                    if t not in BOOKKEEPING] == []  # fmt: skip
            dropped = wh.query(
                "select file_path, source_table, rows_removed, request_hash is null"
                " from raw._forget_log"
            )
            unbalanced = wh.query(
                "select l.file_path, l.rows_read, l.rows_loaded, l.rows_quarantined, f.n"
                " from raw._load_log as l left join (select file_path, sum(rows_removed) as n"
                "   from raw._forget_log group by 1) as f on f.file_path = l.file_path"
                " where l.status = 'loaded'"
                "   and l.rows_read <> l.rows_loaded + l.rows_quarantined + coalesce(f.n, 0)"
            )
    assert erased, "forget erased no raw rows"
    assert sorted(d[:3] for d in dropped) == sorted(erased)
    assert {d[3] for d in dropped} == {True}  # the loader's entries: no request hash
    assert unbalanced == []
