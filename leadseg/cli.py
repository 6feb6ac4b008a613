"""`leadseg`: generate demo data, run the pipeline, show what it produced."""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from .config import Settings, parse_date


def _date_arg(text: str):
    try:
        return parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, got {text}")
    return value


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(
        landing_dir=getattr(args, "landing", None),
        warehouse=getattr(args, "warehouse", None),
        export_dir=getattr(args, "export_dir", None),
        target=getattr(args, "target", None),
        as_of=getattr(args, "as_of", None),
    )


def cmd_generate(args: argparse.Namespace) -> int:
    from .generate import generate

    started = time.perf_counter()
    report = generate(
        Path(args.out), leads=args.leads, seed=args.seed, end_date=args.end_date, days=args.days
    )
    print(report.summary())
    print(f"generated in {time.perf_counter() - started:.1f}s into {Path(args.out).resolve()}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from .runner import run_pipeline
    from .summary import collect, render

    settings = _settings(args)
    if not settings.landing_dir.is_dir():
        print(
            f"leadseg run: landing folder {settings.landing_dir} does not exist; "
            "create it (e.g. `leadseg generate --out DIR`) or pass --landing / set "
            "LEADSEG_LANDING_DIR",
            file=sys.stderr,
        )
        return 2
    started = time.perf_counter()
    if args.verbose:
        outcome = run_pipeline(settings)
    else:
        log_path = _run_log_path(settings)
        print(f"leadseg run: as of {settings.as_of}, landing {settings.landing_dir}")
        print(f"  Dagster and dbt output go to {log_path} (--verbose to show them here)")
        with log_path.open("w") as log, redirect_stdout(log), redirect_stderr(log):
            outcome = run_pipeline(settings, quiet=False)
        print()
    elapsed = time.perf_counter() - started
    try:
        summary = collect(settings)
    except Exception as exc:  # the run's own failure is the news; say why no summary
        print(f"(no summary: {exc})", file=sys.stderr)
        summary = None
    if summary is not None:
        print(render(summary, outcome, settings))
    print(f"\nfinished in {elapsed:.0f}s")
    balanced = summary is None or summary.balances  # row accounting (leadseg.summary)
    return 0 if outcome.ok and balanced else 1


def cmd_backfill(args: argparse.Namespace) -> int:
    from .runner import run_backfill

    settings = _settings(args)
    if args.last_day < args.first_day:
        raise ValueError(f"--from {args.first_day} is after --to {args.last_day}: nothing to do")
    log_path = _run_log_path(settings)
    terminal = sys.stdout  # Dagster's and dbt's own output goes to the log file
    print(
        f"leadseg backfill: web events of {args.first_day} to {args.last_day}, one run of "
        f"job web_events per day, warehouse {settings.warehouse}\n"
        f"  Dagster and dbt output go to {log_path}"
    )

    def report(day: str, outcome) -> None:
        print(f"  {day}: {'ok' if outcome.ok else 'FAILED'}", file=terminal, flush=True)
        for step, message in zip(outcome.failed_steps, outcome.failure_messages, strict=True):
            print(f"    {step}: {message}", file=terminal)
        for check in outcome.failed_error_checks:
            print(f"    check {check.asset}/{check.check}: {check.description}", file=terminal)

    with log_path.open("w") as log, redirect_stdout(log), redirect_stderr(log):
        outcomes = run_backfill(settings, args.first_day, args.last_day, on_day=report)
    if any(not outcome.ok for outcome in outcomes):
        print("stopped at the first failed day; later days were not run", file=sys.stderr)
        return 1
    print(f"backfilled {len(outcomes)} day(s)")
    return 0


def _run_log_path(settings: Settings) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    log_dir = settings.warehouse.parent / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    return log_dir / f"leadseg-run-{stamp}.log"


def cmd_summary(args: argparse.Namespace) -> int:
    from .summary import collect, render

    settings = _settings(args)
    print(render(collect(settings), None, settings))
    return 0


def _add_location_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--landing", type=Path, help="landing folder (env LEADSEG_LANDING_DIR)")
    p.add_argument("--warehouse", type=Path, help="DuckDB file (env LEADSEG_WAREHOUSE)")
    p.add_argument("--export-dir", type=Path, help="export folder (env LEADSEG_EXPORT_DIR)")
    p.add_argument(
        "--target", choices=["duckdb", "postgres"], help="warehouse engine (env LEADSEG_TARGET)"
    )


def cmd_report(args: argparse.Namespace) -> int:
    from .report import write_report

    files = write_report(_settings(args), args.out)
    print(f"report written to {files.html}")
    for path in [files.markdown, *files.charts]:
        print(f"  {path}")
    return 0


def cmd_forget(args: argparse.Namespace) -> int:
    from .forget import describe, forget_batch, forget_email

    settings = _settings(args)  # leadseg.forget says when the warehouse is missing
    reports = forget_batch(settings) if args.batch else [forget_email(settings, args.email)]
    for report in reports:
        print(describe(report))
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from .bench import run_bench

    return run_bench(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="leadseg", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    gen = sub.add_parser("generate", help="write realistic demo landing data")
    gen.add_argument("--out", required=True, help="landing folder to write")
    gen.add_argument("--leads", type=_positive_int, default=2000)
    gen.add_argument("--seed", type=int, default=42)
    gen.add_argument(
        "--end-date",
        type=_date_arg,
        default=parse_date("2026-11-01"),
        help="last day of generated activity (default 2026-11-01)",
    )
    gen.add_argument("--days", type=_positive_int, default=180, help="days of history")
    gen.set_defaults(func=cmd_generate)

    run = sub.add_parser("run", help="materialise every asset through Dagster, print a summary")
    _add_location_args(run)
    run.add_argument("--as-of", type=_date_arg, help="as-of date YYYY-MM-DD (env LEADSEG_AS_OF)")
    run.add_argument(
        "--verbose", action="store_true", help="stream Dagster and dbt output instead of a log file"
    )
    run.set_defaults(func=cmd_run)

    backfill = sub.add_parser(
        "backfill",
        help="re-process the web events of a date range, one daily partition at a time",
    )
    backfill.add_argument("--from", dest="first_day", type=_date_arg, required=True)
    backfill.add_argument("--to", dest="last_day", type=_date_arg, required=True)
    _add_location_args(backfill)
    backfill.set_defaults(func=cmd_backfill)

    summ = sub.add_parser("summary", help="print the summary of an existing warehouse")
    _add_location_args(summ)
    summ.set_defaults(func=cmd_summary)

    rep = sub.add_parser("report", help="write a report with charts of the latest run")
    _add_location_args(rep)
    rep.add_argument("--out", type=Path, help="report folder (default <export dir>/report)")
    rep.set_defaults(func=cmd_report)

    forget = sub.add_parser(
        "forget", help="erase a person everywhere (raw, dbt tables, exports); see leadseg/forget.py"
    )
    _add_location_args(forget)
    who = forget.add_mutually_exclusive_group(required=True)
    who.add_argument("--email", help="the person's email address")
    who.add_argument(
        "--batch", action="store_true", help="every address in the table raw.forget_requests"
    )
    forget.set_defaults(func=cmd_forget)

    from .bench.run import add_arguments as add_bench_arguments

    bench = sub.add_parser(
        "bench", help="time the pipeline at scale S against a hand-written baseline (docs/bench.md)"
    )
    add_bench_arguments(bench)
    bench.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (ValueError, FileNotFoundError) as exc:
        print(f"leadseg {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
