"""dbt tests are Dagster asset checks with dbt's severities, and a failed error-severity
test stops everything downstream of it from being built."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from _support import run_dbt

from leadseg.config import PROJECT_DIR, Settings
from leadseg.runner import RunOutcome

PROJECT_PARTS = ["dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "snapshots"]


@pytest.fixture(scope="module")
def test_severities(dbt_manifest: Path) -> dict[str, str]:
    """dbt test name -> configured severity (ERROR / WARN), from the manifest."""
    manifest = json.loads(dbt_manifest.read_text())
    return {
        node["name"]: node["config"]["severity"].upper()
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test"
    }


def test_dbt_tests_arrive_as_checks_with_their_severity(
    pipeline: RunOutcome, test_severities: dict[str, str]
):
    dbt_checks = [c for c in pipeline.checks if c.check in test_severities]
    assert len(dbt_checks) > 50, "the session run reported few dbt tests as asset checks"
    failed = [c for c in dbt_checks if not c.passed]
    # The demo data is messy on purpose: some warn-severity tests fail, and say so.
    assert any(c.severity == "WARN" for c in failed), "no failed warn-severity dbt test"
    for check in failed:  # dagster-dbt reports a passing test as ERROR severity
        assert check.severity == test_severities[check.check], check


def test_marts_have_freshness_checks(pipeline: RunOutcome):
    fresh = {c.asset for c in pipeline.checks if c.check == "freshness_check"}
    assert "marts/dim_leads" in fresh and "marts/fct_lead_scores" in fresh
    assert all(c.severity == "WARN" for c in pipeline.checks if c.check == "freshness_check")


def test_dbt_source_freshness_is_a_check_on_every_raw_table(pipeline: RunOutcome):
    from leadseg.schema import RAW_TABLES

    fresh = {c.asset: c for c in pipeline.checks if c.check == "dbt_source_freshness"}
    # every raw table that declares loaded_at_field + freshness (segment users does not)
    expected = {f"raw/{t.relation}" for t in RAW_TABLES if t.relation != "segment__users"}
    assert set(fresh) == expected
    # the session run has just loaded every table: dbt says pass
    assert all(c.passed for c in fresh.values()), [c for c in fresh.values() if not c.passed]


def test_failed_error_test_blocks_downstream_marts(wh, demo_settings: Settings, tmp_path: Path):
    """Plant a duplicate segment id in a copy of the project: the seed's `unique` test (error
    severity) fails, and dbt build — what the Dagster dbt asset runs — skips the marts built
    on that seed, so Dagster never materialises them."""
    project = tmp_path / "project"
    project.mkdir()
    for part in PROJECT_PARTS:
        src = PROJECT_DIR / part
        if src.is_dir():
            shutil.copytree(src, project / part)
        elif src.exists():
            shutil.copy2(src, project / part)
    (project / "tests" / "dbt").mkdir(parents=True)
    seed = project / "seeds" / "segments" / "segment_definitions.csv"
    lines = seed.read_text().splitlines()
    seed.write_text("\n".join([*lines, lines[1]]) + "\n")  # the first segment, twice

    warehouse = tmp_path / "wh.duckdb"
    shutil.copy2(demo_settings.warehouse, warehouse)
    vars_ = json.dumps({"as_of_date": demo_settings.as_of.isoformat()})
    proc = run_dbt(
        project, warehouse, tmp_path, "build", "--select", "segment_definitions+", "--vars", vars_
    )
    assert proc.returncode != 0, proc.stdout[-3000:]
    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    status = {r["unique_id"]: r["status"] for r in results}
    failed_tests = [uid for uid, s in status.items() if uid.startswith("test.") and s == "fail"]
    assert any("unique_segment_definitions_segment_id" in t for t in failed_tests), status
    assert status.get("model.leadseg.dim_segments") == "skipped", status
    assert status.get("model.leadseg.fct_segment_membership") == "skipped", status
