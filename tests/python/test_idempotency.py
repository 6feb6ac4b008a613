"""Re-running is safe: a second run changes nothing, a run killed half way through
ingestion recovers to the same warehouse as one clean run, and a file that reappears under
a new name is not loaded twice."""

from __future__ import annotations

import dataclasses
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
from _support import dbt_unit_tests_left_out

from leadseg.config import Settings
from leadseg.ingest import discover_files, load_table
from leadseg.runner import RunOutcome, run_pipeline

# Columns that say *when* something was loaded or built, not what the data is.
RUN_TIME_COLUMNS = {
    "_loaded_at",
    "_load_id",
    "loaded_at",
    "last_loaded_at",
    "quarantined_at",
    "load_id",
    "parsed_at",
}


def _read(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _contents(warehouse: Path, schemas: tuple[str, ...]) -> dict[str, list[tuple]]:
    """Every row of every table in ``schemas``, sorted, without run-time columns."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            f"where table_schema in ({', '.join('?' for _ in schemas)}) "
            "and table_name not like '\\_%' escape '\\' order by 1, 2",
            list(schemas),
        ).fetchall()
        out = {}
        for schema, table in tables:
            columns = [
                r[0]
                for r in con.execute(
                    "select column_name from information_schema.columns where table_schema = ? "
                    "and table_name = ? order by ordinal_position",
                    [schema, table],
                ).fetchall()
                if r[0] not in RUN_TIME_COLUMNS
            ]
            select = ", ".join(f'"{c}"' for c in columns)
            out[f"{schema}.{table}"] = con.execute(
                f'select {select} from {schema}."{table}" order by all'
            ).fetchall()
        return out
    finally:
        con.close()


def _assert_same(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> None:
    assert sorted(after) == sorted(before)
    changed = [name for name in before if before[name] != after[name]]
    assert not changed, "tables that differ: " + ", ".join(
        f"{n} ({len(before[n])} -> {len(after[n])} rows)" for n in changed
    )


def _assert_ok(outcome: RunOutcome) -> None:
    failures = zip(outcome.failed_steps, outcome.failure_messages, strict=True)
    assert outcome.ok, "\n".join(
        [f"{s}: {m}" for s, m in failures]
        + [f"check {c.asset}/{c.check}" for c in outcome.failed_error_checks]
    )


def test_a_second_run_changes_nothing(
    pipeline: RunOutcome, demo_settings: Settings, tmp_path: Path
) -> None:
    _assert_ok(pipeline)
    # Run again on a copy, so the session warehouse other tests read stays as it was.
    settings = dataclasses.replace(
        demo_settings, warehouse=tmp_path / "leadseg.duckdb", export_dir=tmp_path / "exports"
    )
    shutil.copy(demo_settings.warehouse, settings.warehouse)
    if demo_settings.export_dir.is_dir():
        shutil.copytree(demo_settings.export_dir, settings.export_dir)
    before = _contents(settings.warehouse, ("marts", "raw", "audit"))
    exports_before = {
        p.relative_to(settings.export_dir): p.read_bytes()
        for p in sorted(settings.export_dir.rglob("*"))
        if p.is_file()
    }
    log_before = _read(settings.warehouse, "select count(*) from raw._load_log")

    with dbt_unit_tests_left_out():
        _assert_ok(run_pipeline(settings, quiet=True))

    _assert_same(before, _contents(settings.warehouse, ("marts", "raw", "audit")))
    # nothing was loaded again: every file is skipped without even a log entry
    assert _read(settings.warehouse, "select count(*) from raw._load_log") == log_before
    exports_after = {
        p.relative_to(settings.export_dir): p.read_bytes()
        for p in sorted(settings.export_dir.rglob("*"))
        if p.is_file()
    }
    assert sorted(exports_after) == sorted(exports_before)
    assert [k for k in exports_before if exports_after[k] != exports_before[k]] == []


KILLER = textwrap.dedent(
    """
    import datetime as dt, os, signal, sys
    from leadseg.config import Settings
    from leadseg.ingest import writer
    from leadseg.runner import run_pipeline

    landing, warehouse, exports, as_of, kill_at = sys.argv[1:]
    calls = 0
    log = writer.DuckDBWriter.log

    def log_then_die(self, **values):
        # log() runs inside the file's transaction, after its rows were inserted and
        # before COMMIT: the process dies with a file half written.
        global calls
        calls += 1
        if calls == int(kill_at):
            os.kill(os.getpid(), signal.SIGKILL)
        return log(self, **values)

    writer.DuckDBWriter.log = log_then_die
    run_pipeline(Settings(landing_dir=landing, warehouse=warehouse, export_dir=exports,
                          target="duckdb", as_of=dt.date.fromisoformat(as_of)), quiet=True)
    """
)


def test_a_run_killed_during_ingestion_recovers_to_a_clean_run(
    pipeline: RunOutcome, demo_settings: Settings, tmp_path: Path
) -> None:
    _assert_ok(pipeline)
    files = sum(len(v) for v in discover_files(demo_settings.landing_dir).values())
    settings = dataclasses.replace(
        demo_settings, warehouse=tmp_path / "leadseg.duckdb", export_dir=tmp_path / "exports"
    )
    killed = subprocess.run(
        [sys.executable, "-c", KILLER, str(settings.landing_dir), str(settings.warehouse),
         str(settings.export_dir), settings.as_of.isoformat(), str(files // 2)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    # some files made it, the half-written one did not, and no row is without its log entry
    logged = _read(settings.warehouse, "select count(*) from raw._load_log")[0][0]
    assert 0 < logged < files
    orphans = _read(
        settings.warehouse,
        "select count(*) from raw.salesforce__lead "
        "where _load_id not in (select load_id from raw._load_log)",
    )
    assert orphans == [(0,)]

    with dbt_unit_tests_left_out():
        _assert_ok(run_pipeline(settings, quiet=True))

    schemas = ("marts", "raw", "audit")
    _assert_same(
        _contents(demo_settings.warehouse, schemas), _contents(settings.warehouse, schemas)
    )


def test_same_content_under_a_new_name_is_not_loaded_twice(
    pipeline: RunOutcome, demo_settings: Settings, tmp_path: Path
) -> None:
    _assert_ok(pipeline)
    warehouse = tmp_path / "leadseg.duckdb"
    shutil.copy(demo_settings.warehouse, warehouse)
    original = discover_files(demo_settings.landing_dir)["salesforce__lead"][0]
    resent = tmp_path / "landing" / "salesforce" / "lead" / f"resent-{original.name}"
    resent.parent.mkdir(parents=True)
    shutil.copy(original, resent)
    before = _read(warehouse, "select count(*) from raw.salesforce__lead")

    report = load_table(tmp_path / "landing", warehouse, "salesforce__lead")

    assert [f.status for f in report.files] == ["duplicate_content"]
    assert original.relative_to(demo_settings.landing_dir).as_posix() in report.files[0].message
    assert _read(warehouse, "select count(*) from raw.salesforce__lead") == before
    assert (
        _read(
            warehouse,
            "select sha256 from raw._load_log where status = 'loaded' "
            "group by sha256 having count(*) > 1",
        )
        == []
    )
