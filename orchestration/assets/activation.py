"""Activation: segment audiences as files an email tool or ad platform loads."""

import datetime as dt

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from leadseg.activation import export_from_warehouse
from leadseg.warehouse import connect

from ..config import AsOfConfig, resolve_as_of
from ..resources import LeadsegPaths, warehouse_settings


@asset(
    key=AssetKey(["exports", "segment_exports"]),
    deps=[AssetKey(["activation", "fct_segment_activation"])],
    group_name="activation",
    kinds={"python", "csv"},
    description=(
        "For each active segment with activation destinations: the full audience and a delta "
        "(entered / exited since the last export to that destination) as CSV under "
        "LEADSEG_EXPORT_DIR/<destination>/<segment_id>/. Email files hold opted-in leads only; "
        "ads files hold SHA-256 email hashes only; holdout (control) leads are withheld."
    ),
)
def segment_exports(
    context: AssetExecutionContext, paths: LeadsegPaths, config: AsOfConfig
) -> MaterializeResult:
    as_of = dt.date.fromisoformat(resolve_as_of(config, context))
    with connect(warehouse_settings(paths)) as wh:
        summaries = export_from_warehouse(wh, paths.export_path, as_of)
    for summary in summaries:
        context.log.info(summary.describe())
    return MaterializeResult(
        metadata={
            "export_dir": MetadataValue.path(str(paths.export_path)),
            "files": len(summaries),
            "rows_exported": sum(s.rows_exported for s in summaries),
            "holdouts_withheld": sum(s.holdouts_withheld for s in summaries),
            "opted_out_dropped": sum(s.opted_out_dropped for s in summaries),
            **{f"{s.destination}/{s.segment_id}": s.as_metadata() for s in summaries},
        }
    )
