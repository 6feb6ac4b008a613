"""Daily partitions: partition D is the day D's events, and what is computed from them.

Every asset that is computed as of a date (the dbt models, the scikit-learn assets) is
partitioned by day. Partition D holds day D's web events; its features, segments and scores
are as of the end of that day, so their ``as_of_date`` is D + 1. The daily schedule running
on the morning of day T therefore materialises partition T - 1, as of T.

The raw tables are not partitioned: a landing file holds whatever days it holds, and the
loader takes each file once. The exports are not partitioned either: they send today's
segments, and the exporter refuses to go back in time.

A run that is part of a backfill rebuilds the web event models for its own day only
(`web_window_start` / `web_window_end`, with `web_lookback_days` before them), so one day
can be re-processed alone; every other run catches up on whatever arrived since the last.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping

from dagster import DailyPartitionsDefinition

from leadseg.config import parse_date

# The first day a partition exists for; days before it can still be loaded and are covered
# by the first run (a first build takes the whole history), they just cannot be backfilled
# one by one.
FIRST_EVENT_DAY_ENV = "LEADSEG_FIRST_EVENT_DAY"
DEFAULT_FIRST_EVENT_DAY = "2024-01-01"

# Run tags that mark a run as part of a backfill: Dagster's own (UI, `dagster job
# backfill`) and the one `leadseg backfill` sets for its in-process runs.
BACKFILL_TAGS = ("dagster/backfill", "leadseg/backfill")


def first_event_day() -> dt.date:
    return parse_date(os.environ.get(FIRST_EVENT_DAY_ENV) or DEFAULT_FIRST_EVENT_DAY)


event_days = DailyPartitionsDefinition(
    start_date=first_event_day().isoformat(),
    timezone="UTC",
    # Today's partition exists (as of tomorrow) so `leadseg run --as-of <tomorrow>` works
    # on the day itself; the schedule still only runs complete days.
    end_offset=1,
)


def partition_for_as_of(as_of: dt.date | str) -> str:
    """The partition whose run computes features as of ``as_of``: the day before it."""
    day = parse_date(as_of) if isinstance(as_of, str) else as_of
    key = (day - dt.timedelta(days=1)).isoformat()
    first = first_event_day()
    if day - dt.timedelta(days=1) < first:
        raise ValueError(
            f"as-of date {day.isoformat()} is before the first daily partition "
            f"({first.isoformat()} as of {(first + dt.timedelta(days=1)).isoformat()}); "
            f"set {FIRST_EVENT_DAY_ENV} to an earlier day"
        )
    return key


def as_of_for_partition(partition_key: str) -> str:
    """Features of partition D are as of the end of day D."""
    return (parse_date(partition_key) + dt.timedelta(days=1)).isoformat()


def backfill_window_vars(partition_key: str, run_tags: Mapping[str, str]) -> dict[str, str]:
    """dbt vars that limit the web event models to the partition's day, in a backfill run."""
    if not any(tag in run_tags for tag in BACKFILL_TAGS):
        return {}
    return {
        "web_window_start": parse_date(partition_key).isoformat(),
        "web_window_end": as_of_for_partition(partition_key),
    }
