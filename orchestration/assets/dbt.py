"""Every dbt seed, model, snapshot and test, as Dagster assets and asset checks.

Two groups of one dbt project: the models the Python model-training and clustering assets
read (staging to features and rule scores), and the marts built on what those assets write
(models tagged `after_ml`: lead scores with predictions, segment membership with clusters,
activation). Dagster orders them: dbt → scikit-learn → dbt → exports.
"""

import json

from dagster import AssetExecutionContext
from dagster_dbt import DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from ..config import AsOfConfig, resolve_as_of
from ..project import dbt_project
from ..translator import LeadsegTranslator

AFTER_ML_SELECTOR = "tag:after_ml"

_translator = LeadsegTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


def _build(context: AssetExecutionContext, dbt: DbtCliResource, config: AsOfConfig):
    dbt_vars = {"as_of_date": resolve_as_of(config)}
    context.log.info("dbt build with vars %s", dbt_vars)
    yield from dbt.cli(["build", "--vars", json.dumps(dbt_vars)], context=context).stream()


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    exclude=AFTER_ML_SELECTOR,
    dagster_dbt_translator=_translator,
)
def leadseg_dbt_assets(context: AssetExecutionContext, dbt: DbtCliResource, config: AsOfConfig):
    yield from _build(context, dbt, config)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    select=AFTER_ML_SELECTOR,
    name="leadseg_dbt_after_ml_assets",
    dagster_dbt_translator=_translator,
)
def leadseg_dbt_after_ml_assets(
    context: AssetExecutionContext, dbt: DbtCliResource, config: AsOfConfig
):
    yield from _build(context, dbt, config)
