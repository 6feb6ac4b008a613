from __future__ import annotations

from dagster import RunRequest, ScheduleEvaluationContext, schedule

from .config import as_of_run_config
from .jobs import leadseg_all_job
from .partitions import partition_for_as_of


@schedule(job=leadseg_all_job, cron_schedule="0 5 * * *", execution_timezone="UTC")
def daily_refresh(context: ScheduleEvaluationContext) -> RunRequest:
    """Every morning: load what landed, and compute features, segments and scores as of today
    (yesterday's partition: its events are complete)."""
    as_of = context.scheduled_execution_time.date().isoformat()
    return RunRequest(
        run_key=f"daily-{as_of}",
        partition_key=partition_for_as_of(as_of),
        run_config=as_of_run_config(as_of),
        tags={"leadseg/as_of_date": as_of},
    )
