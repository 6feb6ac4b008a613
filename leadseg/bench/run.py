"""`leadseg bench --scale S` / `make bench`: the pipeline at scale, against a baseline.

1. Generate landing data at scale S (``scale.volumes``): a year of history.
2. Full run: every asset through Dagster on DuckDB, as of the day after the data ends;
   one table of step, rows, seconds, rows per second and peak memory (``steps``).
3. Baseline: ``bench/baseline.sql`` on a copy of the raw tables that run loaded, timed per
   step; ratio pipeline ÷ baseline.
4. Incremental: land one more day of events (an average day of the history) and run again
   as of the next day; ratio incremental ÷ full.
5. Append every step of every run to ``bench/results.csv``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import subprocess
import tempfile
import time
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

from ..config import PROJECT_DIR, Settings
from .memory import MemorySampler
from .results import ResultRow, append_results
from .scale import volumes
from .steps import (
    INGESTION,
    OVERHEAD_DAGSTER,
    OVERHEAD_DBT,
    STEPS,
    StepTimes,
    attribute,
    dbt_runs_of,
)

BASELINE_SQL = PROJECT_DIR / "bench" / "baseline.sql"
RESULTS_CSV = PROJECT_DIR / "bench" / "results.csv"
END_DATE = dt.date(2026, 11, 1)
# The steps the baseline script also does (the like-for-like comparison).
BASELINE_STEPS = ("staging", "identity", "sessions", "features", "segments", "scores")


@dataclass
class StepRow:
    step: str
    rows: int | None
    seconds: float
    peak_mib: float | None
    test_seconds: float = 0.0

    @property
    def rate(self) -> str:
        return f"{self.rows / self.seconds:,.0f}" if self.rows and self.seconds > 0.05 else ""


@dataclass
class RunReport:
    name: str
    ok: bool
    seconds: float
    peak_mib: float | None
    steps: list[StepRow]
    log: Path
    nodes: list[tuple[str, str, float]] = field(default_factory=list)  # (node, step, seconds)

    def seconds_of(self, *names: str) -> float:
        return sum(s.seconds for s in self.steps if s.step in names)


# -- machine --------------------------------------------------------------------------
def machine() -> str:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kib = int(Path("/proc/meminfo").read_text().split()[1])
    return f"{os.cpu_count()} cores ({cpu}), {mem_kib / 1024 / 1024:.0f} GiB RAM"


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def commit() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "--no-optional-locks", *args], capture_output=True, text=True, cwd=PROJECT_DIR
        )
        return done.stdout.strip()

    sha = git("rev-parse", "--short", "HEAD") or "unknown"
    return sha + ("-dirty" if git("status", "--porcelain", "--untracked-files=no") else "")


# -- one pipeline run -------------------------------------------------------------------
def _dagster_steps(instance, run_id: str) -> list[tuple[str, float, float]]:
    """(step key, start, end) of every step of a run, from the instance's event log."""
    starts: dict[str, float] = {}
    out = []
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None or not entry.step_key:
            continue
        kind = event.event_type_value
        if kind == "STEP_START":
            starts[entry.step_key] = entry.timestamp
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE") and entry.step_key in starts:
            out.append((entry.step_key, starts.pop(entry.step_key), entry.timestamp))
    return out


def _target_root() -> Path:
    root = Path(os.environ.get("DBT_TARGET_PATH", "target"))
    return root if root.is_absolute() else PROJECT_DIR / root


def _rows_per_step(settings: Settings, since: dt.datetime, times: StepTimes) -> dict[str, int]:
    """Rows each step produced: raw rows loaded by this run for ingestion; for dbt steps
    the rows their tables hold (DuckDB's count), plus the raw rows staging (views) reads."""
    import duckdb

    rows: dict[str, int] = dict(times.dbt_rows)
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        loaded = con.execute(
            "select coalesce(sum(rows_loaded), 0) from raw._load_log where loaded_at >= ?",
            [since.replace(tzinfo=None)],
        ).fetchone()[0]
        rows[INGESTION] = int(loaded)
        sizes = {
            (schema, name): int(size)
            for schema, name, size in con.execute(
                "select schema_name, table_name, estimated_size from duckdb_tables()"
            ).fetchall()
        }
    finally:
        con.close()
    rows["staging"] = sum(n for (schema, _), n in sizes.items() if schema == "raw")
    for uid, step, _ in times.nodes:
        relation = times.relations.get(uid)
        if relation in sizes and step != "staging" and not times.dbt_rows.get(step):
            rows[step] = rows.get(step, 0) + sizes[relation]
    rows["ML models (Python)"] = sum(n for (schema, _), n in sizes.items() if schema == "ml")
    return rows


def run_once(name: str, settings: Settings, log: Path) -> RunReport:
    """Materialise every asset once, timed and attributed to steps."""
    from dagster import DagsterInstance

    from ..runner import run_pipeline

    since = dt.datetime.now(dt.UTC)
    with DagsterInstance.ephemeral() as instance, MemorySampler() as memory:
        started = time.time()
        with log.open("w") as fh, redirect_stdout(fh), redirect_stderr(fh):
            outcome = run_pipeline(settings, quiet=True, instance=instance)
        ended = time.time()
        dagster_steps = _dagster_steps(instance, outcome.run_id)
    times = attribute((started, ended), dagster_steps, dbt_runs_of(_target_root(), outcome.run_id))
    rows = _rows_per_step(settings, since, times) if settings.warehouse.exists() else {}
    covered = [w for windows in times.windows.values() for w in windows]
    steps = []
    for step in STEPS:
        if step not in times.seconds:
            continue
        if step == OVERHEAD_DAGSTER:
            peak = memory.peak_mib(list(_gaps((started, ended), covered)))
        elif step == OVERHEAD_DBT:
            peak = None
        else:
            peak = memory.peak_mib(times.windows[step])
        steps.append(
            StepRow(step, rows.get(step), times.seconds[step], peak, times.test_seconds[step])
        )
    if not outcome.ok:
        for message in outcome.failure_messages[:5]:
            print(f"  {name} run failed: {message[:300]}")
    return RunReport(
        name,
        outcome.ok,
        ended - started,
        memory.peak_mib(),
        steps,
        log,
        sorted(times.nodes, key=lambda n: -n[2]),
    )


def _gaps(total: tuple[float, float], windows: list[tuple[float, float]]):
    """The parts of ``total`` no window covers."""
    cursor = total[0]
    for start, end in sorted(windows):
        if start > cursor:
            yield cursor, start
        cursor = max(cursor, end)
    if cursor < total[1]:
        yield cursor, total[1]


# -- baseline -----------------------------------------------------------------------------
def baseline_blocks(sql: str) -> list[tuple[str, str]]:
    """(step, statements) for each ``-- step: name`` block of the baseline script."""
    parts = re.split(r"^-- step: *(\S+) *$", sql, flags=re.MULTILINE)
    return [(parts[i], parts[i + 1]) for i in range(1, len(parts) - 1, 2)]


def run_baseline(warehouse: Path, work: Path, as_of: dt.date) -> RunReport:
    """Copy the raw tables into a fresh database (not timed), then time baseline.sql."""
    import duckdb

    db = work / "baseline.duckdb"
    db.unlink(missing_ok=True)
    con = duckdb.connect(str(db))
    try:
        con.execute(f"attach '{warehouse}' as wh (read_only)")
        con.execute("create schema raw")
        tables = con.execute(
            "select table_name from duckdb_tables() where database_name = 'wh' "
            "and schema_name = 'raw' and not starts_with(table_name, '_')"
        ).fetchall()
        for (table,) in tables:
            con.execute(f'create table raw."{table}" as select * from wh.raw."{table}"')
        con.execute("detach wh")
        con.execute("checkpoint")
        con.execute(f"set variable as_of = date '{as_of.isoformat()}'")
        steps = []
        with MemorySampler() as memory:
            started = time.time()
            for step, block in baseline_blocks(BASELINE_SQL.read_text()):
                t0 = time.time()
                con.execute(block)
                t1 = time.time()
                steps.append(StepRow(step, None, t1 - t0, memory.peak_mib([(t0, t1)])))
            ended = time.time()
        outputs = {
            "staging": "b.leads, b.contacts, b.pages, b.tracks, b.identifies",
            "identity": "b.identity",
            "sessions": "b.web_events",
            "features": "b.features",
            "segments": "b.segment_membership",
            "scores": "b.lead_scores",
        }
        for row in steps:
            if row.step in outputs:
                row.rows = sum(
                    con.execute(f"select count(*) from {t}").fetchone()[0]
                    for t in outputs[row.step].split(", ")
                )
    finally:
        con.close()
    return RunReport("baseline", True, ended - started, memory.peak_mib(), steps, db)


# -- printing -----------------------------------------------------------------------------
SLOWEST = 12
ROW = "  {:38} {:>12} {:>9} {:>14} {:>11} {:>9}"


def print_table(report: RunReport) -> None:
    peak = report.peak_mib or 0
    print(f"\n{report.name} run: {report.seconds:,.1f} s, peak memory {peak:,.0f} MiB")
    print(ROW.format("step", "rows", "seconds", "of which tests", "rows/s", "peak MiB"))
    for s in report.steps:
        print(
            ROW.format(
                s.step,
                f"{s.rows:,}" if s.rows is not None else "",
                f"{s.seconds:.1f}",
                f"{s.test_seconds:.1f}" if s.test_seconds else "",
                s.rate,
                f"{s.peak_mib:,.0f}" if s.peak_mib is not None else "",
            )
        )
    print(ROW.format("total", "", f"{report.seconds:.1f}", "", "", f"{peak:,.0f}"))
    if report.nodes:
        kinds: dict[str, float] = {}
        for uid, _, seconds in report.nodes:
            kinds[uid.split(".")[0]] = kinds.get(uid.split(".")[0], 0.0) + seconds
        print("  dbt node time by kind: " + ", ".join(f"{k} {v:,.1f} s" for k, v in kinds.items()))
        print("  slowest dbt nodes (share of wall time):")
        for uid, step, seconds in report.nodes[:SLOWEST]:
            print(f"    {seconds:7.1f} s  {step:12} {uid}")


def result_rows(report: RunReport, today: str, sha: str, scale: float) -> list[ResultRow]:
    rows = [
        ResultRow(today, sha, scale, f"{report.name}: {s.step}", s.seconds, s.rows, s.peak_mib)
        for s in report.steps
    ]
    rows.append(
        ResultRow(today, sha, scale, f"{report.name}: total", report.seconds, None, report.peak_mib)
    )
    return rows


# -- main ---------------------------------------------------------------------------------
def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scale", type=float, default=1.0, help="S=1: 100k leads, 2.5M page views")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--work-dir", type=Path, help="where to generate and build (default: a temp dir)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--skip-incremental", action="store_true")
    parser.add_argument(
        "--results", type=Path, default=RESULTS_CSV, help="history CSV to append to"
    )


def run_bench(args: argparse.Namespace) -> int:
    from ..generate import generate
    from ..generate.nextday import land_next_day

    vol = volumes(args.scale)
    work = Path(args.work_dir or tempfile.mkdtemp(prefix="leadseg-bench-")).resolve()
    work.mkdir(parents=True, exist_ok=True)
    sha, today = commit(), dt.datetime.now(dt.UTC).date().isoformat()
    print(
        f"leadseg bench: scale {vol.scale:g} ({vol.leads:,} leads, ~{vol.accounts:,} accounts, "
        f"~{vol.page_views:,} page views, ~{vol.email_events:,} email events over {vol.days} days)"
    )
    print(f"  commit {sha}; {machine()}; load average {load_average()}; work folder {work}")

    landing = work / "landing"
    shutil.rmtree(landing, ignore_errors=True)
    with MemorySampler() as memory:
        started = time.perf_counter()
        report = generate(landing, seed=args.seed, end_date=END_DATE, **vol.generate_kwargs())
        gen_seconds = time.perf_counter() - started
    s = report.stats
    print(
        f"\ngenerated {report.total_rows:,} rows in {len(report.files)} files "
        f"in {gen_seconds:,.0f} s "
        f"(peak {memory.peak_mib() or 0:,.0f} MiB): {s['accounts']:,.0f} accounts, "
        f"{s['page_views']:,.0f} page views, {s['email_events']:,.0f} email events"
    )

    settings = Settings(
        landing_dir=landing,
        warehouse=work / "warehouse.duckdb",
        export_dir=work / "exports",
        as_of=END_DATE + dt.timedelta(days=1),
    )
    settings.warehouse.unlink(missing_ok=True)
    generated = ResultRow(
        today, sha, vol.scale, "generate", gen_seconds, report.total_rows, memory.peak_mib()
    )
    append_results(args.results, [generated])

    def record(run: RunReport) -> None:
        print_table(run)
        append_results(args.results, result_rows(run, today, sha, vol.scale))

    full = run_once("full", settings, work / "full-run.log")
    record(full)
    if not full.ok:
        print(f"\nfull run failed; log: {full.log}")
        return 1
    ok = True

    if not args.skip_baseline:
        base = run_baseline(settings.warehouse, work, settings.as_of)
        record(base)
        print_ratios(full, base)

    if not args.skip_incremental:
        per_day = {
            table: max(1, round(report.rows.get(f"segment/{table}", 0) / vol.days))
            for table in ("pages", "tracks", "identifies")
        }
        landed = land_next_day(landing, END_DATE, limit=per_day, seed=args.seed)
        print(
            f"\nlanded one more day ({END_DATE + dt.timedelta(days=1)}, an average day): "
            + ", ".join(f"{n:,} {t}" for t, n in landed.items())
        )
        next_settings = Settings(
            landing_dir=landing,
            warehouse=settings.warehouse,
            export_dir=settings.export_dir,
            as_of=settings.as_of + dt.timedelta(days=1),
        )
        incr = run_once("incremental", next_settings, work / "incremental-run.log")
        record(incr)
        ok = incr.ok
        print(
            f"\nincremental ÷ full (whole runs, ingestion included in both): "
            f"{incr.seconds:,.1f} s ÷ {full.seconds:,.1f} s = {incr.seconds / full.seconds:.2f}"
        )
        if not incr.ok:
            print(f"incremental run failed; log: {incr.log}")

    print(f"\nresults appended to {args.results}; load average now {load_average()}")
    if not args.keep and args.work_dir is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


def print_ratios(full: RunReport, base: RunReport) -> None:
    transform = full.seconds - full.seconds_of(INGESTION)
    models = sum(s.seconds - s.test_seconds for s in full.steps if s.step in BASELINE_STEPS)
    print("\npipeline ÷ baseline (ingestion excluded from both; the same raw tables in):")
    print(
        f"  everything after ingestion (dbt models + tests, ML, exports, overhead) "
        f"{transform:,.1f} s ÷ {base.seconds:,.1f} s = {transform / base.seconds:.2f}"
    )
    print(
        f"  dbt models of the same steps ({', '.join(BASELINE_STEPS)}), no tests "
        f"{models:,.1f} s ÷ {base.seconds:,.1f} s = {models / base.seconds:.2f}"
    )
    for step in BASELINE_STEPS:
        b = next((r.seconds for r in base.steps if r.step == step), 0.0)
        p = full.seconds_of(step)
        print(f"    {step:10} pipeline {p:8.1f} s  baseline {b:8.1f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="leadseg bench", description=__doc__)
    add_arguments(parser)
    return run_bench(parser.parse_args(argv))


__all__ = ["add_arguments", "main", "run_bench"]
