"""Time the pipeline on generated data: `make bench` (BENCH_LEADS=N to scale).

Prints one row per step (generation, ingestion, each dbt layer, Dagster overhead) with rows,
seconds and rows per second, and appends the figures to bench/results.csv so a regression
shows up in the history.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from leadseg.config import Settings  # noqa: E402
from leadseg.generate import generate  # noqa: E402
from leadseg.runner import run_pipeline  # noqa: E402


def _peak_rss_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def _dbt_layer_timings(target_dir: Path) -> dict[str, float]:
    """Seconds per dbt layer from the newest run_results.json dagster-dbt left behind."""
    results = sorted(target_dir.rglob("run_results.json"), key=lambda p: p.stat().st_mtime)
    if not results:
        return {}
    layers: dict[str, float] = defaultdict(float)
    for result in json.loads(results[-1].read_text())["results"]:
        uid = result["unique_id"]
        kind = uid.split(".")[0]
        if kind == "model":
            prefix = uid.split(".")[2].split("_")[0]  # stg / base / int / dim / fct / feat
            layer = {"base": "stg"}.get(prefix, prefix)
            if layer not in {"stg", "int", "dim", "fct", "feat"}:
                layer = "audit"
        else:
            layer = kind
        layers[f"dbt {layer}"] += float(result.get("execution_time") or 0.0)
    return dict(layers)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--leads", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the generated data")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="leadseg-bench-"))
    steps: list[tuple[str, int | None, float]] = []

    started = time.perf_counter()
    report = generate(work / "landing", leads=args.leads, seed=args.seed)
    steps.append(("generate", sum(report.rows.values()), time.perf_counter() - started))

    settings = Settings(
        landing_dir=work / "landing",
        warehouse=work / "bench.duckdb",
        export_dir=work / "exports",
        as_of=dt.date(2026, 11, 2),
    )
    started = time.perf_counter()
    log_path = work / "pipeline.log"
    with log_path.open("w") as log, redirect_stdout(log), redirect_stderr(log):
        outcome = run_pipeline(settings, quiet=True)
    pipeline_s = time.perf_counter() - started
    if not outcome.ok:
        print("pipeline failed:", *outcome.failure_messages, sep="\n", file=sys.stderr)
        print(f"full log: {log_path}", file=sys.stderr)
        return 1

    import duckdb

    con = duckdb.connect(str(settings.warehouse), read_only=True)
    raw_rows = con.execute("select sum(rows_loaded), max(loaded_at) from raw._load_log").fetchone()
    con.close()
    layers = _dbt_layer_timings(ROOT / "target")
    accounted = sum(layers.values())
    for name, seconds in sorted(layers.items()):
        steps.append((name, None, seconds))
    steps.append(("pipeline total (Dagster)", int(raw_rows[0] or 0), pipeline_s))
    steps.append(("overhead (pipeline - dbt nodes)", None, pipeline_s - accounted))

    peak = _peak_rss_mib()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    print(f"\nleadseg bench: {args.leads:,} leads, commit {commit}, peak RSS {peak:,.0f} MiB\n")
    print(f"{'step':34} {'rows':>12} {'seconds':>9} {'rows/s':>12}")
    for name, rows, seconds in steps:
        rate = f"{rows / seconds:,.0f}" if rows and seconds > 0 else ""
        print(f"{name:34} {rows if rows is not None else '':>12} {seconds:9.2f} {rate:>12}")

    results = ROOT / "bench" / "results.csv"
    new = not results.exists()
    with results.open("a", newline="") as fh:
        writer = csv.writer(fh)
        if new:
            writer.writerow(["date", "commit", "leads", "step", "seconds", "rows", "peak_mib"])
        today = dt.datetime.now(dt.UTC).date().isoformat()
        for name, rows, seconds in steps:
            writer.writerow(
                [today, commit, args.leads, name, f"{seconds:.3f}", rows or "", f"{peak:.0f}"]
            )
    if not args.keep:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
