"""The one Dagster code location of leadseg: `dagster dev -m orchestration.definitions`."""

from __future__ import annotations

from dagster import Definitions

from leadseg.config import Settings

from .assets.activation import segment_exports
from .assets.dbt import leadseg_dbt_after_ml_assets, leadseg_dbt_assets
from .assets.enrichment import raw_user_agents
from .assets.ingestion import ingestion_assets
from .assets.ml import lead_clusters, lead_predictions
from .checks import asset_checks as python_asset_checks
from .freshness import (
    build_freshness_sensor,
    build_mart_freshness_checks,
    build_source_freshness_checks,
)
from .jobs import leadseg_all_job, web_events_job
from .project import dbt_project
from .resources import build_resources
from .schedules import daily_refresh
from .sensors import landing_files_sensor


def build_definitions(settings: Settings | None = None) -> Definitions:
    freshness_checks = build_mart_freshness_checks(
        leadseg_dbt_assets
    ) + build_mart_freshness_checks(leadseg_dbt_after_ml_assets)
    return Definitions(
        assets=[
            *ingestion_assets,
            raw_user_agents,
            leadseg_dbt_assets,
            lead_predictions,
            lead_clusters,
            leadseg_dbt_after_ml_assets,
            segment_exports,
        ],
        asset_checks=[
            *freshness_checks,
            *build_source_freshness_checks(dbt_project.manifest_path),
            *python_asset_checks,
        ],
        jobs=[leadseg_all_job, web_events_job],
        schedules=[daily_refresh],
        sensors=[landing_files_sensor, build_freshness_sensor(freshness_checks)],
        resources=build_resources(settings),
    )


defs = build_definitions()
