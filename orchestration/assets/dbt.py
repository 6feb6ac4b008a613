"""Every dbt seed, model, snapshot and test, as Dagster assets and asset checks.

Two groups of one dbt project: the models the Python model-training and clustering assets
read (staging to features and rule scores), and the marts built on what those assets write
(models tagged `after_ml`: lead scores with predictions, segment membership with clusters,
activation). Dagster orders them: dbt → scikit-learn → dbt → exports.

Both are daily-partitioned (`orchestration/partitions.py`): partition D builds as of D + 1,
and in a backfill the web event models re-process day D alone.
"""

import json

from dagster import AssetExecutionContext, BackfillPolicy
from dagster_dbt import DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from ..config import AsOfConfig, resolve_as_of
from ..partitions import backfill_window_vars, event_days
from ..project import dbt_project
from ..translator import LeadsegTranslator

AFTER_ML_SELECTOR = "tag:after_ml"

# dagster-dbt would backfill a date range in one run; each day here is its own as-of date
# and its own web window, built in order, so every day gets a run of its own.
ONE_DAY_PER_RUN = BackfillPolicy.multi_run(max_partitions_per_run=1)

_translator = LeadsegTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


def dbt_vars_for_run(context: AssetExecutionContext, config: AsOfConfig) -> dict[str, str]:
    dbt_vars = {"as_of_date": resolve_as_of(config, context)}
    if context.has_partition_key:
        dbt_vars.update(backfill_window_vars(context.partition_key, context.run.tags))
    return dbt_vars


def _build(context: AssetExecutionContext, dbt: DbtCliResource, config: AsOfConfig):
    dbt_vars = dbt_vars_for_run(context, config)
    context.log.info("dbt build with vars %s", dbt_vars)
    yield from dbt.cli(["build", "--vars", json.dumps(dbt_vars)], context=context).stream()


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    exclude=AFTER_ML_SELECTOR,
    dagster_dbt_translator=_translator,
    partitions_def=event_days,
    backfill_policy=ONE_DAY_PER_RUN,
)
def leadseg_dbt_assets(context: AssetExecutionContext, dbt: DbtCliResource, config: AsOfConfig):
    yield from _build(context, dbt, config)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    select=AFTER_ML_SELECTOR,
    name="leadseg_dbt_after_ml_assets",
    dagster_dbt_translator=_translator,
    partitions_def=event_days,
    backfill_policy=ONE_DAY_PER_RUN,
)
def leadseg_dbt_after_ml_assets(
    context: AssetExecutionContext, dbt: DbtCliResource, config: AsOfConfig
):
    yield from _build(context, dbt, config)
