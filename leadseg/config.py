"""Run settings from the environment, with working defaults.

dbt and the Python assets must agree on one absolute warehouse path (a relative path would
resolve against different working directories), so every path is made absolute here and
exported back to the environment that dbt's ``profiles.yml`` reads.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_DIR / "data"
TARGETS = ("duckdb", "postgres")


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


@dataclass(frozen=True)
class Settings:
    landing_dir: Path = field(default_factory=lambda: DEFAULT_DATA_DIR / "landing")
    warehouse: Path = field(default_factory=lambda: DEFAULT_DATA_DIR / "warehouse.duckdb")
    export_dir: Path = field(default_factory=lambda: DEFAULT_DATA_DIR / "exports")
    target: str = "duckdb"
    as_of: dt.date = field(default_factory=_today)

    def __post_init__(self) -> None:
        if self.target not in TARGETS:
            choices = ", ".join(TARGETS)
            raise ValueError(
                f"unknown target {self.target!r}: LEADSEG_TARGET must be one of {choices}"
            )
        for name in ("landing_dir", "warehouse", "export_dir"):
            object.__setattr__(self, name, Path(getattr(self, name)).expanduser().resolve())

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from LEADSEG_* variables; explicit overrides (CLI flags) win when not None."""
        env = os.environ
        values: dict[str, object] = {}
        if env.get("LEADSEG_LANDING_DIR"):
            values["landing_dir"] = Path(env["LEADSEG_LANDING_DIR"])
        if env.get("LEADSEG_WAREHOUSE"):
            values["warehouse"] = Path(env["LEADSEG_WAREHOUSE"])
        if env.get("LEADSEG_EXPORT_DIR"):
            values["export_dir"] = Path(env["LEADSEG_EXPORT_DIR"])
        if env.get("LEADSEG_TARGET"):
            values["target"] = env["LEADSEG_TARGET"]
        if env.get("LEADSEG_AS_OF"):
            values["as_of"] = parse_date(env["LEADSEG_AS_OF"])
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    def export_env(self) -> None:
        """Publish these settings to the environment dbt (profiles.yml) and Dagster read."""
        os.environ["LEADSEG_LANDING_DIR"] = str(self.landing_dir)
        os.environ["LEADSEG_WAREHOUSE"] = str(self.warehouse)
        os.environ["LEADSEG_EXPORT_DIR"] = str(self.export_dir)
        os.environ["LEADSEG_TARGET"] = self.target
        os.environ["LEADSEG_AS_OF"] = self.as_of.isoformat()


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"not a date: {text!r} (expected YYYY-MM-DD)") from exc
