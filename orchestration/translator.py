"""How dbt nodes become Dagster assets: keys and groups follow the folder layout."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dagster import AssetKey
from dagster_dbt import DagsterDbtTranslator


class LeadsegTranslator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        resource_type = dbt_resource_props["resource_type"]
        if resource_type == "source":
            # Sources declare the ingestion asset that loads them in meta.dagster.asset_key.
            meta_key = dbt_resource_props.get("meta", {}).get("dagster", {}).get("asset_key")
            if meta_key:
                return AssetKey(meta_key)
            return AssetKey(["raw", dbt_resource_props["name"]])
        schema = dbt_resource_props.get("schema") or "main"
        return AssetKey([schema, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        resource_type = dbt_resource_props["resource_type"]
        if resource_type == "seed":
            return "reference"
        fqn = dbt_resource_props.get("fqn", [])
        # fqn = [project, layer, domain, ..., name]: group by layer, and domain inside marts.
        if len(fqn) >= 4 and fqn[1] == "marts":
            return f"marts_{fqn[2]}"
        if len(fqn) >= 3:
            return fqn[1]
        return "dbt"
