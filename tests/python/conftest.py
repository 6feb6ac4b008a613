"""Shared fixtures: one small demo data set, materialised once through Dagster per session.

Everything downstream (dbt seeds, models, data tests and unit tests) runs inside that one
`leadseg run`, so a broken model or a failing error-severity test fails the session's
first assertion on `pipeline.ok` with the step and the dbt message.

`make test` runs the modules on two pytest-xdist workers (`--dist loadgroup`): each module
stays on one worker (its module fixtures build once), the PostgreSQL tests share one worker
(they share the server's database), and each worker parses dbt into its own target folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from leadseg.config import PROJECT_DIR, Settings

if os.environ.get("PYTEST_XDIST_WORKER") and not os.environ.get("DBT_TARGET_PATH"):
    # Before anything imports orchestration.project, which reads it: two workers writing
    # one manifest and partial-parse file would read each other's half-written files.
    os.environ["DBT_TARGET_PATH"] = str(
        PROJECT_DIR / "target" / f"xdist-{os.environ['PYTEST_XDIST_WORKER']}"
    )

from _support import DEMO_AS_OF, DEMO_END_DATE, DEMO_LEADS, DEMO_SEED  # noqa: E402

from leadseg.runner import RunOutcome, run_pipeline  # noqa: E402


@pytest.fixture(scope="session")
def dbt_manifest() -> Path:
    """The dbt project parsed once per session, for the tests that read the manifest or load
    the Dagster definitions (nothing under the project changes while the tests run)."""
    from orchestration.project import prepare_manifest

    return prepare_manifest()


@pytest.fixture(scope="session")
def demo_landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from leadseg.generate import generate

    out = tmp_path_factory.mktemp("landing")
    generate(out, leads=DEMO_LEADS, seed=DEMO_SEED, end_date=DEMO_END_DATE)
    return out


@pytest.fixture(scope="session")
def demo_settings(demo_landing: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    work = tmp_path_factory.mktemp("warehouse")
    return Settings(
        landing_dir=demo_landing,
        warehouse=work / "leadseg.duckdb",
        export_dir=work / "exports",
        target="duckdb",
        as_of=DEMO_AS_OF,
    )


@pytest.fixture(scope="session")
def pipeline(demo_settings: Settings) -> RunOutcome:
    return run_pipeline(demo_settings, quiet=True)


@pytest.fixture(scope="session")
def wh(pipeline: RunOutcome, demo_settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    assert pipeline.ok, (
        "the demo pipeline run failed:\n"
        + "\n".join(
            f"{s}: {m}"
            for s, m in zip(pipeline.failed_steps, pipeline.failure_messages, strict=True)
        )
        + "\n".join(f"check {c.asset}/{c.check}" for c in pipeline.failed_error_checks)
    )
    con = duckdb.connect(str(demo_settings.warehouse), read_only=True)
    yield con
    con.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """xdist groups (used under `--dist loadgroup`, ignored otherwise): one per module, and
    one for every test that needs the PostgreSQL server."""
    for item in items:
        if item.get_closest_marker("xdist_group"):
            continue
        group = "postgres" if item.get_closest_marker("postgres") else item.module.__name__
        item.add_marker(pytest.mark.xdist_group(group))
