from __future__ import annotations

from dagster import AssetSelection, define_asset_job, in_process_executor
from dagster_dbt import build_dbt_asset_selection

from .assets.dbt import leadseg_dbt_assets
from .partitions import event_days

# The web event models and the session mart on them: what a one-day backfill rebuilds.
WEB_EVENT_MODELS = "path:models/intermediate/web fct_web_sessions"

# DuckDB allows one writing process at a time, so every step runs in the run's own process.
leadseg_all_job = define_asset_job(
    "leadseg_all",
    selection=AssetSelection.all(),
    executor_def=in_process_executor,
    partitions_def=event_days,
    description=(
        "Load new landing files, then build every dbt model, test and export. Partition D "
        "computes features, segments and scores as of D + 1."
    ),
)

web_events_job = define_asset_job(
    "web_events",
    selection=build_dbt_asset_selection([leadseg_dbt_assets], dbt_select=WEB_EVENT_MODELS),
    executor_def=in_process_executor,
    partitions_def=event_days,
    description=(
        "Re-process the web events of one day (sessions, lead events) with their dbt tests: "
        "backfill a date range of this job to rebuild those days alone."
    ),
)
