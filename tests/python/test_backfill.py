"""A backfill of a date range re-processes each day's web events alone, through Dagster.

The session warehouse is copied; the sessionized events of two days are deleted from the
copy, as if those days had been lost; `leadseg backfill --from D1 --to D2` (one run of the
partitioned `web_events` job per day, in order) must bring back exactly what was there.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import duckdb
from _support import dbt_unit_tests_left_out, rows, scalar

from leadseg.cli import main as leadseg_main
from leadseg.config import Settings
from leadseg.runner import RunOutcome

FIRST = dt.date(2026, 10, 20)
LAST = dt.date(2026, 10, 21)

EVENTS = "intermediate.int_web_events_sessionized"


def _events(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    # processed_at says when a row was written, which a backfill changes by design
    return rows(con, f"select * exclude (processed_at) from {EVENTS} order by event_id")


def _sessions(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return rows(
        con,
        "select * exclude (events_processed_at) from intermediate.int_web_sessions "
        "order by session_id",
    )


def test_backfilling_two_lost_days_restores_them_exactly(
    wh: duckdb.DuckDBPyConnection,
    pipeline: RunOutcome,
    demo_settings: Settings,
    tmp_path: Path,
    capsys,
) -> None:
    events_before = _events(wh)
    sessions_before = _sessions(wh)
    lost_window = f"event_at >= '{FIRST}' and event_at < '{LAST + dt.timedelta(days=1)}'"
    lost = scalar(wh, f"select count(*) from {EVENTS} where {lost_window}")
    assert lost > 100, "the demo should have web events on the days this test loses"

    settings = dataclasses.replace(
        demo_settings, warehouse=tmp_path / "leadseg.duckdb", export_dir=tmp_path / "exports"
    )
    shutil.copy(demo_settings.warehouse, settings.warehouse)
    with duckdb.connect(str(settings.warehouse)) as con:
        con.execute(f"delete from {EVENTS} where {lost_window}")
        assert scalar(con, f"select count(*) from {EVENTS} where {lost_window}") == 0

    with dbt_unit_tests_left_out():
        code = leadseg_main(
            [
                "backfill",
                "--from",
                FIRST.isoformat(),
                "--to",
                LAST.isoformat(),
                "--warehouse",
                str(settings.warehouse),
                "--landing",
                str(settings.landing_dir),
                "--export-dir",
                str(settings.export_dir),
            ]
        )
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert f"{FIRST}: ok" in printed and f"{LAST}: ok" in printed, printed

    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        assert _events(con) == events_before
        assert _sessions(con) == sessions_before


def test_a_backfill_range_ending_before_it_starts_is_refused(capsys) -> None:
    code = leadseg_main(["backfill", "--from", "2026-10-21", "--to", "2026-10-20"])
    assert code == 2
    assert "after" in capsys.readouterr().err
