"""The run's as-of date, shared by every asset that computes something as of a date."""

from dagster import AssetExecutionContext, Config

from leadseg.config import Settings, parse_date

from .partitions import as_of_for_partition

# The ops that take AsOfConfig; the runner, schedule and sensor configure all of them.
AS_OF_OPS = (
    "leadseg_dbt_assets",
    "leadseg_dbt_after_ml_assets",
    "ml__lead_predictions",
    "ml__lead_clusters",
    "exports__segment_exports",
)


class AsOfConfig(Config):
    """`as_of_date` (YYYY-MM-DD) for features, segments, scores and exports.

    Empty means the end of the run's daily partition; in an unpartitioned materialisation,
    LEADSEG_AS_OF, or today (UTC) when that is unset too.
    """

    as_of_date: str = ""


def resolve_as_of(config: AsOfConfig, context: AssetExecutionContext | None = None) -> str:
    from_partition = (
        as_of_for_partition(context.partition_key)
        if context is not None and context.has_partition_key
        else None
    )
    if config.as_of_date:
        as_of = parse_date(config.as_of_date).isoformat()
        if from_partition and from_partition != as_of:
            raise ValueError(
                f"as_of_date {as_of} in the run config contradicts partition "
                f"{context.partition_key} (as of {from_partition}): leave as_of_date empty, "
                "or launch the partition of the day before the as-of date"
            )
        return as_of
    return from_partition or Settings.from_env().as_of.isoformat()


def as_of_run_config(as_of: str) -> dict:
    """Run config giving every as-of op the same date."""
    return {"ops": {op: {"config": {"as_of_date": as_of}} for op in AS_OF_OPS}}
