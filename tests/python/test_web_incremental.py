"""Incremental web models equal a full refresh, day by day, with events arriving days late.

A copy of the demo warehouse replays its Segment data (pages, tracks, identifies) as it
would have arrived: each row lands on its event's day, except one in twenty, which lands two
days late (within the default `web_lookback_days` of 3). The identity and web models are
built incrementally after each day; at the end their contents must equal a `--full-refresh`
build of the same data, row for row.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import pytest
from _support import DEMO_AS_OF, run_dbt, scalar

from leadseg.config import Settings
from leadseg.runner import RunOutcome

PROJECT = Path(__file__).resolve().parents[2]
MODELS = [
    "int_identity_edges",
    "int_identity_links",
    "int_identity_resolved",
    "int_web_events_sessionized",
    "int_web_sessions",
    "int_lead_events",
]
# Tables compared, minus the columns that record when a row was processed.
COMPARED = {
    "int_web_events_sessionized": ["processed_at"],
    "int_web_sessions": ["events_processed_at"],
    "int_lead_events": [],
}
SEGMENT = {
    "segment__pages": "stg_segment__pages",
    "segment__tracks": "stg_segment__tracks",
    "segment__identifies": "stg_segment__identifies",
}
LATE_DAYS = 2


def _dbt(warehouse: Path, work: Path, *args: str) -> None:
    vars_ = json.dumps({"as_of_date": DEMO_AS_OF.isoformat()})
    done = run_dbt(
        PROJECT, warehouse, work, "run", "--select", " ".join(MODELS), "--vars", vars_, *args
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


@pytest.fixture(scope="module")
def replay(pipeline: RunOutcome, demo_settings: Settings, tmp_path_factory) -> Path:
    assert pipeline.ok
    work = tmp_path_factory.mktemp("web_incremental")
    warehouse = work / "replay.duckdb"
    shutil.copy(demo_settings.warehouse, warehouse)

    con = duckdb.connect(str(warehouse))
    con.execute("create schema hold")
    for raw, staged in SEGMENT.items():
        # Arrival day: the event's day, or two days later for one row in twenty.
        con.execute(
            f"""
            create table hold.{raw} as
            select
                raw.*,
                coalesce(cast(staged.event_at as date), date '1900-01-01')
                    + case when hash(raw.id) % 20 = 0 then {LATE_DAYS} else 0 end as _arrival_day,
                hash(raw.id) % 20 = 0 and staged.event_at is not null as _is_late
            from raw.{raw} as raw
            left join (select distinct event_id, event_at from staging.{staged}) as staged
                on staged.event_id = raw.id
            """
        )
        con.execute(f"delete from raw.{raw}")
    last_day = scalar(con, "select max(_arrival_day) from hold.segment__pages where not _is_late")
    con.close()

    cuts = [last_day - dt.timedelta(days=n) for n in (4, 3, 2, 1, 0)]
    cuts.append(last_day + dt.timedelta(days=LATE_DAYS + 1))
    for n, cut in enumerate(cuts):
        con = duckdb.connect(str(warehouse))
        for raw in SEGMENT:
            columns = [r[0] for r in con.execute(f"describe raw.{raw}").fetchall()]
            cols = ", ".join(f'"{c}"' for c in columns)
            con.execute(
                f"insert into raw.{raw} ({cols}) select {cols} from hold.{raw}"
                f" where _arrival_day < date '{cut.isoformat()}'"
                f" and _arrival_day >= coalesce(?, date '1900-01-01')",
                [cuts[n - 1] if n else None],
            )
        con.close()
        _dbt(warehouse, work, *(["--full-refresh"] if n == 0 else []))

    con = duckdb.connect(str(warehouse))
    con.execute("create schema incremental")
    for table in COMPARED:
        con.execute(f"create table incremental.{table} as select * from intermediate.{table}")
    con.close()
    _dbt(warehouse, work, "--full-refresh")
    return warehouse


def test_late_events_were_replayed(replay: Path) -> None:
    con = duckdb.connect(str(replay), read_only=True)
    late = scalar(con, "select count(*) from hold.segment__pages where _is_late")
    late_in_sessions = scalar(
        con,
        """
        select count(*)
        from hold.segment__pages as held
        inner join incremental.int_web_events_sessionized as events on events.event_id = held.id
        where held._is_late
        """,
    )
    # the incremental runs rewrote only the visitors they touched: rows of several runs remain
    runs = scalar(
        con, "select count(distinct processed_at) from incremental.int_web_events_sessionized"
    )
    con.close()
    assert late > 20
    # every late page view that staging keeps was sessionized by an incremental run
    assert late_in_sessions > 0.9 * late
    assert runs >= 3


@pytest.mark.parametrize("table", sorted(COMPARED))
def test_incremental_build_equals_full_refresh(replay: Path, table: str) -> None:
    con = duckdb.connect(str(replay), read_only=True)
    skip = set(COMPARED[table])
    columns = [
        r[0] for r in con.execute(f"describe intermediate.{table}").fetchall() if r[0] not in skip
    ]
    cols = ", ".join(f'"{c}"' for c in columns)
    full = scalar(con, f"select count(*) from intermediate.{table}")
    only_incremental = scalar(
        con,
        f"select count(*) from (select {cols} from incremental.{table}"
        f" except all select {cols} from intermediate.{table})",
    )
    only_full = scalar(
        con,
        f"select count(*) from (select {cols} from intermediate.{table}"
        f" except all select {cols} from incremental.{table})",
    )
    con.close()
    assert full > 100
    assert (only_incremental, only_full) == (0, 0)
