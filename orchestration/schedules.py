from __future__ import annotations

from dagster import RunRequest, ScheduleEvaluationContext, schedule

from .jobs import leadseg_all_job

DBT_OP = "leadseg_dbt_assets"


@schedule(job=leadseg_all_job, cron_schedule="0 5 * * *", execution_timezone="UTC")
def daily_refresh(context: ScheduleEvaluationContext) -> RunRequest:
    """Every morning: load what landed, and compute features, segments and scores as of today."""
    as_of = context.scheduled_execution_time.date().isoformat()
    return RunRequest(
        run_key=f"daily-{as_of}",
        run_config={"ops": {DBT_OP: {"config": {"as_of_date": as_of}}}},
        tags={"leadseg/as_of_date": as_of},
    )
