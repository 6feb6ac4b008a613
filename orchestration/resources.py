"""Resources shared by the assets: where things are, and the dbt CLI."""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from pathlib import Path

from dagster import ConfigurableResource
from dagster_dbt import DbtCliResource
from packaging.version import Version

from leadseg.config import Settings

from .project import dbt_project


class LeadsegPaths(ConfigurableResource):
    """Landing folder, warehouse and export folder; defaults come from LEADSEG_* variables."""

    landing_dir: str
    warehouse: str
    export_dir: str
    target: str

    @classmethod
    def from_settings(cls, settings: Settings) -> LeadsegPaths:
        return cls(
            landing_dir=str(settings.landing_dir),
            warehouse=str(settings.warehouse),
            export_dir=str(settings.export_dir),
            target=settings.target,
        )

    @property
    def landing_path(self) -> Path:
        return Path(self.landing_dir)

    @property
    def warehouse_path(self) -> Path:
        return Path(self.warehouse)

    @property
    def export_path(self) -> Path:
        return Path(self.export_dir)


@functools.cache
def _dbt_cli_version(executable: str) -> Version:
    output = subprocess.check_output([executable, "--version"], text=True)
    match = re.search(r"(\d+\.\d+\.\d+)", output)
    if not match:
        raise ValueError(f"could not parse the dbt version from `{executable} --version`: {output}")
    return Version(match.group(1))


class LeadsegDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt CLI resource, asking `dbt --version` once per process.

    dagster-dbt runs `dbt --version` (a whole dbt start-up, ~6 s) once per resource
    instance, and a run, `prepare_manifest` and every test build their own instance.
    """

    @property
    def _cli_version(self) -> Version:
        return _dbt_cli_version(shutil.which(self.dbt_executable) or self.dbt_executable)


def build_resources(settings: Settings | None = None) -> dict[str, object]:
    settings = settings or Settings.from_env()
    return {
        "paths": LeadsegPaths.from_settings(settings),
        "dbt": LeadsegDbtCliResource(project_dir=dbt_project, target=settings.target),
    }


def warehouse_settings(paths: LeadsegPaths) -> Settings:
    """Settings pointing at the resource's warehouse, for leadseg.warehouse.connect."""
    return Settings(
        landing_dir=paths.landing_path,
        warehouse=paths.warehouse_path,
        export_dir=paths.export_path,
        target=paths.target,
    )
