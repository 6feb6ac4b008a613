from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from leadseg.config import Settings

ENV_VARS = [
    "LEADSEG_LANDING_DIR",
    "LEADSEG_WAREHOUSE",
    "LEADSEG_EXPORT_DIR",
    "LEADSEG_TARGET",
    "LEADSEG_AS_OF",
]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_paths_are_made_absolute_so_dbt_and_python_share_one_warehouse(clean_env, tmp_path):
    clean_env.chdir(tmp_path)
    clean_env.setenv("LEADSEG_WAREHOUSE", "rel/wh.duckdb")
    settings = Settings.from_env()
    assert settings.warehouse == tmp_path / "rel" / "wh.duckdb"
    assert settings.warehouse.is_absolute()


def test_cli_overrides_win_over_environment(clean_env, tmp_path):
    clean_env.setenv("LEADSEG_LANDING_DIR", str(tmp_path / "from-env"))
    clean_env.setenv("LEADSEG_AS_OF", "2026-01-31")
    settings = Settings.from_env(landing_dir=tmp_path / "from-flag", as_of=None)
    assert settings.landing_dir == tmp_path / "from-flag"
    assert settings.as_of == dt.date(2026, 1, 31)


def test_unknown_target_is_an_actionable_error(clean_env):
    clean_env.setenv("LEADSEG_TARGET", "oracle")
    with pytest.raises(ValueError, match="LEADSEG_TARGET must be one of duckdb, postgres"):
        Settings.from_env()


def test_bad_as_of_date_names_the_expected_format(clean_env):
    clean_env.setenv("LEADSEG_AS_OF", "02/11/2026")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        Settings.from_env()


def test_export_env_publishes_absolute_paths(clean_env, tmp_path: Path):
    settings = Settings(landing_dir=tmp_path / "l", warehouse=tmp_path / "w.duckdb")
    settings.export_env()
    import os

    assert os.environ["LEADSEG_WAREHOUSE"] == str(tmp_path / "w.duckdb")
    assert os.environ["LEADSEG_AS_OF"] == settings.as_of.isoformat()
