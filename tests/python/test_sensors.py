"""The landing sensor: new files start a run of their raw tables and everything downstream."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from dagster import AssetKey, AssetSelection, build_sensor_context

from leadseg.config import Settings

PAGES = AssetKey(["raw", "segment__pages"])
LEAD = AssetKey(["raw", "salesforce__lead"])

LANDING_FILES = [
    "salesforce/account.csv",
    "salesforce/lead/part-0001.csv.gz",
    "segment/pages/2026-10-31.jsonl.gz",
    "segment/tracks/2026-10.csv.gz",
    "segment/identifies.parquet",
]


@pytest.fixture(scope="module")
def defs(dbt_manifest):
    from orchestration.definitions import build_definitions

    return build_definitions()


@pytest.fixture(scope="module")
def sensor(defs):
    return defs.resolve_sensor_def("landing_files_sensor")


def _paths(landing: Path, warehouse: Path):
    from orchestration.resources import LeadsegPaths

    return LeadsegPaths(
        landing_dir=str(landing),
        warehouse=str(warehouse),
        export_dir=str(landing.parent / "exports"),
        target="duckdb",
    )


def _touch(landing: Path, rel: str, content: bytes = b"x") -> None:
    path = landing / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def _tick(defs, sensor, landing: Path, warehouse: Path, cursor: str | None = None):
    context = build_sensor_context(
        definitions=defs, resources={"paths": _paths(landing, warehouse)}, cursor=cursor
    )
    return sensor.evaluate_tick(context)


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    # The sensor only lists files; their content does not matter here.
    root = tmp_path / "landing"
    for rel in LANDING_FILES:
        _touch(root, rel)
    return root


def test_first_tick_without_warehouse_requests_every_raw_table(defs, sensor, landing, tmp_path):
    result = _tick(defs, sensor, landing, tmp_path / "missing.duckdb")
    assert len(result.run_requests) == 1
    selected = set(result.run_requests[0].asset_selection)
    assert {PAGES, LEAD, AssetKey(["raw", "salesforce__account"])} <= selected
    assert set(json.loads(result.cursor)["files"]) == set(LANDING_FILES)


def test_new_pages_file_requests_exactly_pages_and_downstream(
    defs, sensor, landing, tmp_path, monkeypatch
):
    monkeypatch.setenv("LEADSEG_AS_OF", "2026-11-02")
    first = _tick(defs, sensor, landing, tmp_path / "missing.duckdb")
    _touch(landing, "segment/pages/2026-11-01.jsonl.gz", b"{}")
    result = _tick(defs, sensor, landing, tmp_path / "missing.duckdb", cursor=first.cursor)

    assert len(result.run_requests) == 1
    request = result.run_requests[0]
    graph = defs.resolve_asset_graph()
    expected = AssetSelection.assets(PAGES).downstream().resolve(graph)
    assert set(request.asset_selection) == expected
    assert PAGES in expected and AssetKey(["marts", "fct_web_sessions"]) in expected
    # nothing that only depends on other raw tables
    assert LEAD not in expected
    assert AssetKey(["raw", "segment__tracks"]) not in expected
    assert AssetKey(["staging", "stg_salesforce__leads"]) not in request.asset_selection
    assert request.tags["leadseg/raw_tables"] == "segment__pages"
    # as of today, like the schedule: yesterday's daily partition
    assert request.partition_key == "2026-11-01"
    assert "segment/pages/2026-11-01.jsonl.gz" in json.loads(result.cursor)["files"]


def test_changed_file_counts_as_new(defs, sensor, landing, tmp_path):
    first = _tick(defs, sensor, landing, tmp_path / "missing.duckdb")
    _touch(landing, "salesforce/lead/part-0001.csv.gz", b"a longer content")
    result = _tick(defs, sensor, landing, tmp_path / "missing.duckdb", cursor=first.cursor)
    assert result.run_requests[0].tags["leadseg/raw_tables"] == "salesforce__lead"
    assert LEAD in result.run_requests[0].asset_selection
    assert PAGES not in result.run_requests[0].asset_selection


def test_no_new_file_requests_nothing(defs, sensor, landing, tmp_path):
    first = _tick(defs, sensor, landing, tmp_path / "missing.duckdb")
    result = _tick(defs, sensor, landing, tmp_path / "missing.duckdb", cursor=first.cursor)
    assert result.run_requests == []
    assert "no new files" in (result.skip_message or "")
    assert result.cursor == first.cursor


def test_first_tick_after_a_run_compares_with_the_load_log(
    defs, sensor, pipeline, demo_settings: Settings
):
    """After `leadseg run` loaded every landing file, the sensor's first tick launches nothing."""
    assert pipeline.run_id  # the session run has loaded the landing folder (ingestion steps)
    result = _tick(defs, sensor, demo_settings.landing_dir, demo_settings.warehouse)
    assert result.run_requests == []
    assert json.loads(result.cursor)["files"], "the cursor should remember the loaded files"


def test_busy_warehouse_skips_the_first_tick(defs, sensor, landing, tmp_path):
    warehouse = tmp_path / "busy.duckdb"
    writer = duckdb.connect(str(warehouse))  # a run holding the file open for writing
    try:
        result = _tick(defs, sensor, landing, warehouse)
    finally:
        writer.close()
    assert result.run_requests == []
    assert "in use" in (result.skip_message or "")
    assert result.cursor is None
