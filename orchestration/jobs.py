from __future__ import annotations

from dagster import AssetSelection, define_asset_job, in_process_executor

# DuckDB allows one writing process at a time, so every step runs in the run's own process.
leadseg_all_job = define_asset_job(
    "leadseg_all",
    selection=AssetSelection.all(),
    executor_def=in_process_executor,
    description="Load new landing files, then build every dbt model, test and export.",
)
