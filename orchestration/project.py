"""The dbt project as Dagster sees it.

dagster-dbt builds its assets from ``target/manifest.json``. Under ``dagster dev`` the
manifest is re-parsed on load; ``leadseg run`` and the tests call :func:`prepare_manifest`
first, so the definitions never load against a stale or missing manifest.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from dagster_dbt import DbtProject

from leadseg.config import PROJECT_DIR


def _put_venv_on_path() -> None:
    # dagster-dbt shells out to `dbt`; the one beside this interpreter is the locked version.
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


_put_venv_on_path()

dbt_project = DbtProject(
    project_dir=PROJECT_DIR,
    profiles_dir=PROJECT_DIR,
    target=os.environ.get("LEADSEG_TARGET", "duckdb"),
    # dbt's own DBT_TARGET_PATH, honoured here too: runs against different warehouses from
    # one checkout (tests, the bench) keep their manifests and partial-parse state apart.
    target_path=os.environ.get("DBT_TARGET_PATH") or "target",
)
dbt_project.prepare_if_dev()


def prepare_manifest(dbt_vars: Mapping[str, str] | None = None) -> Path:
    """Parse the dbt project so the manifest matches the models on disk.

    Pass the vars the coming `dbt build` will use: dbt drops its partial-parse cache when
    vars change, so parsing with the same vars spares that build a full re-parse.
    """
    if dbt_vars:
        from .resources import LeadsegDbtCliResource

        LeadsegDbtCliResource(project_dir=dbt_project).cli(
            ["parse", "--quiet", "--vars", json.dumps(dict(dbt_vars))],
            target_path=dbt_project.target_path,
        ).wait()
    else:
        dbt_project.preparer.prepare(dbt_project)
    return dbt_project.manifest_path


if not dbt_project.manifest_path.exists():
    # A fresh checkout has no manifest yet; parse once rather than fail to load.
    prepare_manifest()
