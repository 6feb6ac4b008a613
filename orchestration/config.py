"""The run's as-of date, shared by every asset that computes something as of a date."""

from dagster import Config

from leadseg.config import Settings, parse_date

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

    Empty means LEADSEG_AS_OF, or today (UTC) when that is unset too.
    """

    as_of_date: str = ""


def resolve_as_of(config: AsOfConfig) -> str:
    if config.as_of_date:
        return parse_date(config.as_of_date).isoformat()
    return Settings.from_env().as_of.isoformat()


def as_of_run_config(as_of: str) -> dict:
    """Run config giving every as-of op the same date."""
    return {"ops": {op: {"config": {"as_of_date": as_of}} for op in AS_OF_OPS}}
