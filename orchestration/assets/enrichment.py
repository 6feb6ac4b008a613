"""Lookups Python fills before dbt runs: parsed user agents (technographics)."""

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, asset

from leadseg.ingest.user_agents import LOOKUP_TABLE, SOURCE_RELATIONS, refresh_user_agents
from leadseg.schema import RAW_SCHEMA
from leadseg.warehouse import connect

from ..resources import LeadsegPaths, warehouse_settings


@asset(
    key=AssetKey([RAW_SCHEMA, LOOKUP_TABLE]),
    deps=[AssetKey([RAW_SCHEMA, relation]) for relation in SOURCE_RELATIONS],
    group_name="raw_segment",
    kinds={"python"},
    description=(
        "Every distinct web user agent of the raw Segment tables parsed once by the maintained "
        "ua-parser library into `raw.user_agents` (browser, OS, device family and class): the "
        "source of the technographic features."
    ),
)
def raw_user_agents(context: AssetExecutionContext, paths: LeadsegPaths) -> MaterializeResult:
    with connect(warehouse_settings(paths), read_only=False) as wh:
        parsed = refresh_user_agents(wh)
        total = wh.scalar(f"select count(*) from {RAW_SCHEMA}.{LOOKUP_TABLE}")
    context.log.info("parsed %s new user agent(s); %s known", parsed, total)
    return MaterializeResult(metadata={"parsed": parsed, "known_user_agents": int(total or 0)})
