"""Freshness checks: every mart must have been rebuilt after the daily refresh.

The `daily_refresh` schedule starts at 05:00 UTC; a full run takes minutes. Each mart is
therefore expected to have a materialisation newer than 05:00 UTC by 07:00 UTC every day
(``deadline_cron`` 07:00, ``lower_bound_delta`` 2 hours); a sensor-triggered run later in
the day counts too. An overdue mart shows as a failed WARN check in the UI. The sensor
built here evaluates the checks; it is on by default under ``dagster dev``.

dbt source freshness (``loaded_at_field: _loaded_at`` + ``warn_after`` in the sources YAML)
is surfaced as one ``dbt_source_freshness`` check per raw table: how long ago the table last
received a landing file, dbt's own verdict.
"""

from __future__ import annotations

import datetime as dt
import json
import warnings
from pathlib import Path

from dagster import (
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    AssetsDefinition,
    DefaultSensorStatus,
    SensorDefinition,
    build_last_update_freshness_checks,
    build_sensor_for_freshness_checks,
    multi_asset_check,
)
from dagster_dbt import DbtCliResource

from leadseg.config import Settings

from .translator import LeadsegTranslator

MART_DEADLINE_CRON = "0 7 * * *"
MART_LOWER_BOUND = dt.timedelta(hours=2)


def mart_keys(dbt_assets: AssetsDefinition) -> list[AssetKey]:
    """The dbt models under models/marts/** (their Dagster groups are ``marts_<domain>``)."""
    groups = dbt_assets.group_names_by_key
    return sorted(
        (key for key, group in groups.items() if group and group.startswith("marts_")),
        key=lambda k: k.path,
    )


def build_mart_freshness_checks(dbt_assets: AssetsDefinition) -> list[AssetChecksDefinition]:
    # Dagster now prefers FreshnessPolicy, which open-source Dagster only evaluates in its
    # daemon; these checks show a pass/fail per mart in the UI and in every run.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*is superseded.*")
        return list(
            build_last_update_freshness_checks(
                assets=mart_keys(dbt_assets),
                lower_bound_delta=MART_LOWER_BOUND,
                deadline_cron=MART_DEADLINE_CRON,
                timezone="UTC",
            )
        )


def build_freshness_sensor(checks: list[AssetChecksDefinition]) -> SensorDefinition:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*is superseded.*")
        return build_sensor_for_freshness_checks(
            freshness_checks=checks,
            name="mart_freshness_sensor",
            minimum_interval_seconds=300,
            default_status=DefaultSensorStatus.RUNNING,
        )


# dbt source freshness as Dagster checks on the raw tables -------------------------------

SOURCE_FRESHNESS_CHECK = "dbt_source_freshness"


def freshness_sources(manifest_path: Path) -> dict[AssetKey, str]:
    """Raw asset -> dbt source unique_id, for sources with ``loaded_at_field`` + freshness."""
    manifest = json.loads(Path(manifest_path).read_text())
    translator = LeadsegTranslator()
    found: dict[AssetKey, str] = {}
    for unique_id, source in manifest.get("sources", {}).items():
        freshness = source.get("freshness") or {}
        limits = [(freshness.get(k) or {}).get("count") for k in ("warn_after", "error_after")]
        if source.get("loaded_at_field") and any(limits):
            found[translator.get_asset_key(source)] = unique_id
    return found


def _severity(status: str) -> AssetCheckSeverity:
    return AssetCheckSeverity.ERROR if status == "error" else AssetCheckSeverity.WARN


def build_source_freshness_checks(manifest_path: Path) -> list[AssetChecksDefinition]:
    """One check per raw table, all answered by one ``dbt source freshness`` call.

    dbt's verdict maps to the check: ``pass`` passes, ``warn`` fails with WARN severity,
    ``error`` with ERROR; a freshness query that could not run fails with WARN (monitoring
    trouble must not stop the pipeline).
    """
    sources = freshness_sources(manifest_path)
    if not sources:
        return []
    specs = [
        AssetCheckSpec(
            SOURCE_FRESHNESS_CHECK,
            asset=key,
            description=(
                "dbt source freshness: how long ago this raw table last received a landing "
                "file (`_loaded_at`), against warn_after/error_after in the sources YAML."
            ),
        )
        for key in sorted(sources, key=lambda k: k.path)
    ]

    @multi_asset_check(
        specs=specs, name=SOURCE_FRESHNESS_CHECK, can_subset=True, compute_kind="dbt"
    )
    def _dbt_source_freshness(context, dbt: DbtCliResource):  # noqa: ANN001 - dagster wants it bare
        selected = sorted(context.selected_asset_check_keys, key=lambda k: k.asset_key.path)
        selectors = []
        for check_key in selected:
            source = sources[check_key.asset_key].split(".", 2)[-1]  # source_name.table
            selectors.append(f"source:{source}")
        try:
            # The build's vars, so this call reuses dbt's partial-parse cache too.
            dbt_vars = json.dumps({"as_of_date": Settings.from_env().as_of.isoformat()})
            invocation = dbt.cli(
                ["source", "freshness", "--select", " ".join(selectors), "--vars", dbt_vars],
                raise_on_error=False,
                manifest=manifest_path,
            )
            invocation.wait()
            results = json.loads((invocation.target_path / "sources.json").read_text())
            by_id = {r["unique_id"]: r for r in results.get("results", [])}
        except Exception as exc:  # report, never fail the run over monitoring
            by_id = {}
            problem = f"dbt source freshness could not run: {exc}"
        else:
            problem = "dbt source freshness returned no result for this source"
        for check_key in selected:
            result = by_id.get(sources[check_key.asset_key])
            if result is None:
                yield AssetCheckResult(
                    asset_key=check_key.asset_key,
                    check_name=SOURCE_FRESHNESS_CHECK,
                    passed=False,
                    severity=AssetCheckSeverity.WARN,
                    description=problem,
                )
                continue
            status = str(result.get("status"))
            age = result.get("max_loaded_at_time_ago_in_s")
            metadata = {"dbt_status": status, "max_loaded_at": str(result.get("max_loaded_at"))}
            if age is not None:
                metadata["hours_since_last_load"] = round(float(age) / 3600, 2)
            yield AssetCheckResult(
                asset_key=check_key.asset_key,
                check_name=SOURCE_FRESHNESS_CHECK,
                passed=status == "pass",
                severity=_severity(status),
                description=(
                    f"dbt source freshness: {status}"
                    + (
                        f" ({float(age) / 3600:.1f} h since the last load)"
                        if age is not None
                        else ""
                    )
                ),
                metadata=metadata,
            )

    return [_dbt_source_freshness]
