"""scikit-learn assets: the predictive conversion model and the data-driven segments.

They read the point-in-time feature snapshots dbt builds and write tables in schema `ml`
that the `after_ml` dbt models read (sources `ml.*`).
"""

import datetime as dt
import os
from pathlib import Path

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    MaterializeResult,
    MetadataValue,
    multi_asset,
)

from leadseg.ml.clustering import ClusterConfig, run_clustering
from leadseg.ml.predictive import ModelConfig, run_conversion_model
from leadseg.warehouse import connect

from ..config import AsOfConfig, resolve_as_of
from ..partitions import event_days
from ..resources import LeadsegPaths, warehouse_settings

FEATURES = AssetKey(["intermediate", "int_lead_features_wide"])
LABELS = AssetKey(["intermediate", "int_lead_conversion_labels"])
RULE_SCORES = AssetKey(["intermediate", "int_lead_rule_scores"])


def model_dir(paths: LeadsegPaths) -> Path:
    """Model files live next to the warehouse unless LEADSEG_MODEL_DIR says otherwise."""
    configured = os.environ.get("LEADSEG_MODEL_DIR")
    return Path(configured) if configured else paths.warehouse_path.parent / "models"


def _specs(tables: dict[str, str], deps: list[AssetKey]) -> list[AssetSpec]:
    return [
        AssetSpec(
            AssetKey(["ml", table]),
            deps=deps,
            group_name="ml",
            kinds={"python", "scikitlearn"},
            description=description,
        )
        for table, description in tables.items()
    ]


@multi_asset(
    name="ml__lead_predictions",
    partitions_def=event_days,
    specs=_specs(
        {
            "lead_predictions": (
                "conversion_probability and score_reasons (in words) per lead for the as-of "
                "date, from the published conversion model (logistic regression on "
                "standardised point-in-time features; trained on earlier snapshots, evaluated "
                "on the latest complete one; published only with enough conversions and an "
                "AUC above the floor)."
            ),
            "model_evaluations": (
                "Per training run: status (published or refused, and why), ROC AUC of the "
                "model and of the rule score on the same later snapshot, top-decile precision "
                "and lift, Brier score."
            ),
            "model_calibration": "Predicted vs observed conversion rate in ten bins.",
        },
        [FEATURES, LABELS, RULE_SCORES],
    ),
)
def lead_predictions(context: AssetExecutionContext, paths: LeadsegPaths, config: AsOfConfig):
    as_of = dt.date.fromisoformat(resolve_as_of(config, context))
    model_config = ModelConfig.from_env(model_dir=model_dir(paths))
    with connect(warehouse_settings(paths), read_only=False) as wh:
        result = run_conversion_model(wh, as_of, model_config)
    log = context.log.info if result.is_published else context.log.warning
    log("conversion model: %s — %s", result.status, result.message)
    metadata = {k: v for k, v in result.metadata().items() if v is not None}
    yield MaterializeResult(
        asset_key=AssetKey(["ml", "lead_predictions"]),
        metadata={
            **{k: v for k, v in metadata.items() if not isinstance(v, list | dict)},
            "train_dates": MetadataValue.json(metadata.get("train_dates", [])),
            "eval_dates": MetadataValue.json(metadata.get("eval_dates", [])),
            "model_dir": MetadataValue.path(str(model_config.model_dir)),
        },
    )
    yield MaterializeResult(
        asset_key=AssetKey(["ml", "model_evaluations"]),
        metadata={"status": result.status, "message": result.message},
    )
    yield MaterializeResult(asset_key=AssetKey(["ml", "model_calibration"]))


@multi_asset(
    name="ml__lead_clusters",
    partitions_def=event_days,
    specs=_specs(
        {
            "lead_clusters": (
                "Data-driven segments: the cluster of each of the as-of date's leads, by k-means "
                "(seeded) on standardised behavioural and firmographic features. The fitted "
                "clusters are kept and reused (refitted every 28 days), so a segment means the "
                "same thing from day to day."
            ),
            "cluster_profiles": (
                "One row per cluster segment: a generated name and a plain-words profile of "
                "what sets it apart (the personas)."
            ),
        },
        [FEATURES],
    ),
)
def lead_clusters(context: AssetExecutionContext, paths: LeadsegPaths, config: AsOfConfig):
    as_of = dt.date.fromisoformat(resolve_as_of(config, context))
    with connect(warehouse_settings(paths), read_only=False) as wh:
        result = run_clustering(wh, as_of, ClusterConfig.from_env(model_dir=model_dir(paths)))
    meta = result.metadata()
    for segment_id, label in meta["segments"].items():
        context.log.info("%s: %s", segment_id, label)
    yield MaterializeResult(
        asset_key=AssetKey(["ml", "lead_clusters"]),
        metadata={
            "k": meta["k"],
            "leads": meta["leads"],
            "refitted": meta["refitted"],
            "fitted_on": meta["fitted_on"] or "",
            "features": MetadataValue.json(meta["features"]),
        },
    )
    yield MaterializeResult(
        asset_key=AssetKey(["ml", "cluster_profiles"]),
        metadata={"segments": MetadataValue.json(meta["segments"])},
    )
