"""Every dbt seed, model, snapshot and test, as Dagster assets and asset checks."""

import json

from dagster import AssetExecutionContext, Config
from dagster_dbt import DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from leadseg.config import Settings, parse_date

from ..project import dbt_project
from ..translator import LeadsegTranslator


class DbtBuildConfig(Config):
    """`as_of_date` (YYYY-MM-DD) for features, segments and scores.

    Empty means LEADSEG_AS_OF, or today (UTC) when that is unset too.
    """

    as_of_date: str = ""


def resolve_as_of(config: DbtBuildConfig) -> str:
    if config.as_of_date:
        return parse_date(config.as_of_date).isoformat()
    return Settings.from_env().as_of.isoformat()


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=LeadsegTranslator(
        settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)
    ),
)
def leadseg_dbt_assets(context: AssetExecutionContext, dbt: DbtCliResource, config: DbtBuildConfig):
    dbt_vars = {"as_of_date": resolve_as_of(config)}
    context.log.info("dbt build with vars %s", dbt_vars)
    yield from dbt.cli(["build", "--vars", json.dumps(dbt_vars)], context=context).stream()
