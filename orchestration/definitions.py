"""The one Dagster code location of leadseg: `dagster dev -m orchestration.definitions`."""

from __future__ import annotations

from dagster import Definitions

from leadseg.config import Settings

from .assets.dbt import leadseg_dbt_assets
from .assets.ingestion import ingestion_assets
from .jobs import leadseg_all_job
from .resources import build_resources
from .schedules import daily_refresh


def build_definitions(settings: Settings | None = None) -> Definitions:
    return Definitions(
        assets=[*ingestion_assets, leadseg_dbt_assets],
        jobs=[leadseg_all_job],
        schedules=[daily_refresh],
        resources=build_resources(settings),
    )


defs = build_definitions()
