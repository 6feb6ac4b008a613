"""The dbt docs site describes every mart and every mart column."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _support import rows

from leadseg.config import PROJECT_DIR


@pytest.fixture(scope="module")
def manifest(dbt_manifest: Path) -> dict:
    return json.loads(dbt_manifest.read_text())


@pytest.fixture(scope="module")
def marts(manifest: dict) -> dict[str, dict]:
    nodes = {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["original_file_path"].startswith("models/marts/")
    }
    assert nodes, "no models under models/marts in the manifest"
    return nodes


def test_every_mart_file_is_in_the_manifest(marts):
    on_disk = {p.stem for p in (PROJECT_DIR / "models" / "marts").rglob("*.sql")}
    assert on_disk == set(marts)


def test_every_mart_and_mart_column_has_a_description(marts):
    problems = []
    for name, node in sorted(marts.items()):
        if not node.get("description", "").strip():
            problems.append(f"{name}: no description")
        if not node["columns"]:
            problems.append(f"{name}: no columns documented")
        for column, spec in node["columns"].items():
            if not (spec.get("description") or "").strip():
                problems.append(f"{name}.{column}: no description")
    assert not problems, "\n".join(problems)


def test_doc_blocks_are_rendered_not_left_as_jinja(marts):
    for name, node in marts.items():
        for column, spec in node["columns"].items():
            assert "{{" not in spec["description"], f"{name}.{column}"


def test_every_built_mart_column_is_documented(marts, wh):
    """What the warehouse really holds, not only what the YAML declares."""
    built = rows(
        wh,
        "select table_name, column_name from duckdb_columns() where schema_name = 'marts'",
    )
    missing = [
        f"{table}.{column}"
        for table, column in built
        if table in marts and column not in marts[table]["columns"]
    ]
    assert not missing, f"mart columns without documentation: {missing}"


def test_relation_names_fit_postgres(manifest):
    """PostgreSQL truncates identifiers at 63 characters and dbt refuses longer relation names:
    a model, seed or unit test (dbt names its temporary relation after the test) must fit."""
    too_long = [
        node["unique_id"]
        for node in [*manifest["nodes"].values(), *manifest.get("unit_tests", {}).values()]
        if node["resource_type"] in ("model", "seed", "snapshot", "unit_test")
        and len(node.get("alias") or node["name"]) > 63
    ]
    assert not too_long, f"names longer than 63 characters: {too_long}"
