"""Incremental web models equal a full refresh, day by day, with events arriving days late.

A copy of the demo warehouse replays its Segment data (pages, tracks, identifies) as it
would have arrived: each row lands on its event's day, except one in twenty, which lands two
days late (within the default `web_lookback_days` of 3). The identity and web models are
built incrementally after each day; at the end their contents must equal a `--full-refresh`
build of the same data, row for row.

Identity changes on the last day re-map earlier events: a new identify joins a visitor who
browsed anonymously days before to a known person, and an analyst's pair exclusion takes an
anonymous id out of its person; the incremental int_lead_events must follow both.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import pytest
from _support import DEMO_AS_OF, rows, run_dbt, scalar

from leadseg.config import Settings
from leadseg.runner import RunOutcome

PROJECT = Path(__file__).resolve().parents[2]
MODELS = [
    # the raw rows' parsed copies (tables), so each replayed day reaches staging
    "base_segment__pages",
    "base_segment__tracks",
    "base_segment__identifies",
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
    "int_lead_events": ["sessionized_at"],
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
    _plan_identity_changes(con, last_day)
    con.close()

    cuts = [last_day - dt.timedelta(days=n) for n in (4, 3, 2, 1, 0)]
    cuts.append(last_day + dt.timedelta(days=LATE_DAYS + 1))
    for n, cut in enumerate(cuts):
        con = duckdb.connect(str(warehouse))
        if n == len(cuts) - 1:
            # the analyst's exclusion lands with the last day's data
            con.execute(
                """
                insert into reference.identity_exclusions
                    (exclusion_type, identifier, other_identifier, reason)
                select 'pair', email, 'anon:' || anonymous_id, 'test: a wrong merge'
                from hold.identity_changes
                where change = 'excluded'
                """
            )
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


def _plan_identity_changes(con: duckdb.DuckDBPyConnection, last_day: dt.date) -> None:
    """Pick from the full data, before the replay: a visitor never identified whose first
    session lies before the replay's first incremental day, who identifies on the last day
    with a known person's email (a held identify row); and an anonymous id that belongs to
    a person only through an identify with the person's email, to be excluded."""
    early = (last_day - dt.timedelta(days=6)).isoformat()
    con.execute(
        f"""
        create table hold.identity_changes as
        with
        anonymous_visitor as (
            select min(anonymous_id) as anonymous_id
            from intermediate.int_web_sessions
            where lead_id is null and anonymous_id is not null and not is_bot
                and started_at < date '{early}'
                and 'anon:' || anonymous_id not in (
                    select from_identifier from intermediate.int_identity_links
                    union all
                    select to_identifier from intermediate.int_identity_links
                )
        ),
        known_email as (
            select min(identifier) as email
            from intermediate.int_identity_resolved
            where identifier_type = 'email' and lead_id is not null and not is_merge_blocked
        ),
        wrong_merge as (
            select min(links.to_identifier) as email, min(anon.identifier_value) as anonymous_id
            from intermediate.int_identity_links as links
            inner join intermediate.int_identity_resolved as anon
                on anon.identifier = links.from_identifier
            where links.is_linked and anon.identifier_type = 'anon'
                and anon.identifier in (
                    select 'anon:' || anonymous_id from intermediate.int_lead_events
                    where event_at < date '{early}'
                )
            group by anon.identifier
            -- linked to its person by one email only: excluding the pair takes it out
            having count(distinct links.to_identifier) = 1
                and min(links.to_type) = 'email'
            order by anon.identifier
            limit 1
        )
        select
            'identified' as change,
            anonymous_visitor.anonymous_id,
            known_email.email,
            resolved.lead_id
        from anonymous_visitor
        cross join known_email
        inner join intermediate.int_identity_resolved as resolved
            on resolved.identifier = known_email.email
        union all
        select 'excluded', wrong_merge.anonymous_id, wrong_merge.email, resolved.lead_id
        from wrong_merge
        inner join intermediate.int_identity_resolved as resolved
            on resolved.identifier = wrong_merge.email
        """
    )
    identified_at = f"{last_day.isoformat()} 12:00:00.000 UTC"
    con.execute(
        f"""
        insert into hold.segment__identifies
        select template.* replace (
            'test-late-identify' as id,
            changes.anonymous_id as anonymous_id,
            cast(null as varchar) as user_id,
            substr(changes.email, length('email:') + 1) as email,
            '{identified_at}' as "timestamp",
            '{identified_at}' as received_at,
            '{identified_at}' as sent_at,
            date '{last_day.isoformat()}' as _arrival_day,
            false as _is_late
        )
        from (select * from hold.segment__identifies order by id limit 1) as template
        cross join hold.identity_changes as changes
        where changes.change = 'identified'
        """
    )


def test_identity_changes_remap_earlier_events(replay: Path) -> None:
    con = duckdb.connect(str(replay), read_only=True)
    changes = {
        change: (anonymous_id, lead_id)
        for change, anonymous_id, lead_id in rows(
            con, "select change, anonymous_id, lead_id from hold.identity_changes"
        )
    }

    def events_of(change: str) -> tuple[int, int]:
        anonymous_id, lead_id = changes[change]
        return rows(
            con,
            f"""
            select
                count(case when lead_id = '{lead_id}' then 1 end),
                count(case when lead_id = '{lead_id}' and event_at < (
                    select min(event_at) + interval 1 day from incremental.int_lead_events
                    where anonymous_id = '{anonymous_id}'
                ) then 1 end)
            from incremental.int_lead_events
            where anonymous_id = '{anonymous_id}'
            """,
        )[0]

    identified, identified_first_day = events_of("identified")
    excluded, _ = events_of("excluded")
    con.close()
    assert set(changes) == {"identified", "excluded"}
    # the visitor's first day of browsing, loaded by the first (full) build, was re-mapped
    assert identified > 0 and identified_first_day > 0
    # the excluded anonymous id no longer counts for the person
    assert excluded == 0


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
