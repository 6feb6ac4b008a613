"""The `leadseg` command: actionable errors and exit codes."""

from __future__ import annotations

import datetime as dt

import pytest

from leadseg.cli import main
from leadseg.config import Settings
from leadseg.runner import run_pipeline


def test_run_without_a_landing_folder_says_how_to_get_one(tmp_path, capsys):
    code = main(
        ["run", "--landing", str(tmp_path / "nowhere"), "--warehouse", str(tmp_path / "wh.duckdb")]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and "leadseg generate" in err


def test_bad_as_of_is_rejected_by_the_parser(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["run", "--landing", str(tmp_path), "--as-of", "yesterday"])
    assert exc.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_a_broken_landing_file_fails_the_run_naming_the_file(tmp_path):
    landing = tmp_path / "landing"
    (landing / "salesforce").mkdir(parents=True)
    # A lead file without the required id column is broken as a whole.
    (landing / "salesforce" / "lead.csv").write_text("email,last_name\na@b.com,Lovelace\n")
    settings = Settings(
        landing_dir=landing,
        warehouse=tmp_path / "wh.duckdb",
        export_dir=tmp_path / "exports",
        as_of=dt.date(2026, 11, 2),
    )
    outcome = run_pipeline(settings, quiet=True)
    assert not outcome.ok
    assert any("raw__salesforce__lead" in step for step in outcome.failed_steps), (
        outcome.failed_steps
    )
    message = " ".join(outcome.failure_messages)
    assert "salesforce/lead.csv" in message and "id" in message
