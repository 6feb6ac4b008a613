"""`leadseg forget`: a person is erased from raw, dbt tables and exports, the request is
kept only as a hash, and the person does not come back on a reload or a rebuild."""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest
from _support import dbt_unit_tests_left_out
from forget_support import (
    BOOKKEEPING,
    files_containing,
    needles,
    person_with_web_activity,
    tables_containing,
)

from leadseg.cli import main
from leadseg.config import Settings
from leadseg.ingest import load_landing
from leadseg.runner import RunOutcome, run_pipeline
from leadseg.warehouse import Warehouse


def _find(warehouse: Path, texts: list[str]) -> list[str]:
    """Every table or view of the DuckDB warehouse containing one of the texts."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return tables_containing(Warehouse(con, "duckdb"), texts)
    finally:
        con.close()


@pytest.fixture(scope="module")
def forgotten(
    pipeline: RunOutcome, demo_settings: Settings, tmp_path_factory: pytest.TempPathFactory
):
    assert pipeline.ok
    work = tmp_path_factory.mktemp("forget")
    settings = dataclasses.replace(
        demo_settings, warehouse=work / "leadseg.duckdb", export_dir=work / "exports"
    )
    shutil.copy(demo_settings.warehouse, settings.warehouse)
    if demo_settings.export_dir.is_dir():
        shutil.copytree(demo_settings.export_dir, settings.export_dir)
    else:
        settings.export_dir.mkdir()
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        email = person_with_web_activity(Warehouse(con, "duckdb"))
        assert email, "the demo data should have a lead with web activity"
        # the person's key in the marts: features and scores carry no email, only this
        (lead_key,) = con.execute(
            "select lead_id from marts.dim_leads where email = ?", [email]
        ).fetchone()
    finally:
        con.close()
    # an export file that mentions the person, as an activation export would
    (settings.export_dir / "audience.csv").write_text(
        f"lead_email,segment\n{email},hot\nsomeone.else@example.com,cold\n"
    )
    registry = work / "forgotten_identifiers.csv"
    mp = pytest.MonkeyPatch()
    mp.setenv("LEADSEG_FORGET_REGISTRY", str(registry))
    exit_code = main(
        ["forget", "--email", f"  {email.upper()} ", "--warehouse", str(settings.warehouse),
         "--export-dir", str(settings.export_dir), "--landing", str(settings.landing_dir)]
    )  # fmt: skip
    yield email, settings, registry, exit_code, lead_key
    mp.undo()


def test_forget_removes_the_person_everywhere(forgotten) -> None:
    email, settings, _, exit_code, lead_key = forgotten
    assert exit_code == 0
    texts = [*needles(email), lead_key]
    assert [t for t in _find(settings.warehouse, texts) if t not in BOOKKEEPING] == []
    assert files_containing(settings.export_dir, texts) == []
    assert "someone.else@example.com" in (settings.export_dir / "audience.csv").read_text()


def test_the_request_is_recorded_by_hash_only(forgotten) -> None:
    email, settings, registry, _, _ = forgotten
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        requests = con.execute(
            "select request_hash, raw_rows_removed, derived_rows_removed from raw._forget_requests"
        ).fetchall()
    finally:
        con.close()
    digest = hashlib.sha256(email.encode()).hexdigest()
    assert [r[0] for r in requests] == [digest]
    assert requests[0][1] > 0 and requests[0][2] > 0
    assert email not in registry.read_text()
    assert digest in registry.read_text()


def test_reloading_the_same_files_does_not_bring_the_person_back(forgotten) -> None:
    email, settings, _, _, _ = forgotten
    load_landing(settings.landing_dir, settings.warehouse)
    assert [t for t in _find(settings.warehouse, [email]) if t.startswith("raw.")] == []


def test_a_rebuild_from_scratch_does_not_bring_the_person_back(forgotten, tmp_path: Path) -> None:
    email, settings, _, _, _ = forgotten
    rebuilt = dataclasses.replace(
        settings, warehouse=tmp_path / "rebuilt.duckdb", export_dir=tmp_path / "exports"
    )
    with dbt_unit_tests_left_out():
        outcome = run_pipeline(rebuilt, quiet=True)

    failures = zip(outcome.failed_steps, outcome.failure_messages, strict=True)
    assert outcome.ok, "\n".join(
        [f"{s}: {m}" for s, m in failures]
        + [f"check {c.asset}/{c.check}" for c in outcome.failed_error_checks]
    )
    # the loader dropped the person's rows and logged them, so the accounting check passed
    assert [
        c.passed for c in outcome.checks if c.check == "rows_read_equal_rows_accounted_for"
    ] == [True]
    texts = needles(email)
    assert [t for t in _find(rebuilt.warehouse, texts) if t not in BOOKKEEPING] == []
    assert files_containing(rebuilt.export_dir, texts) == []


def test_batch_requests_table(forgotten, tmp_path: Path) -> None:
    _, settings, _, _, _ = forgotten
    warehouse = tmp_path / "batch.duckdb"
    shutil.copy(settings.warehouse, warehouse)
    con = duckdb.connect(str(warehouse))
    try:
        other = con.execute("select min(email) from marts.dim_leads").fetchone()[0]
        con.execute("create table raw.forget_requests (email varchar)")
        con.execute("insert into raw.forget_requests values (?)", [other])
    finally:
        con.close()

    assert main(["forget", "--batch", "--warehouse", str(warehouse),
                 "--export-dir", str(tmp_path / "exports")]) == 0  # fmt: skip

    assert [t for t in _find(warehouse, [other]) if t not in BOOKKEEPING] == []


def test_loader_drops_forgotten_people_and_logs_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bad_input_corpus as corpus

    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse.duckdb"
    corpus.write_good_leads(landing)  # leads 60, 61, 62
    registry = tmp_path / "registry.csv"
    digest = hashlib.sha256(b"corpus61@example-corpus.test").hexdigest()
    registry.write_text(
        f"identifier_kind,identifier_hash,request_hash,forgotten_at\nemail,{digest},x,\n"
    )
    monkeypatch.setenv("LEADSEG_FORGET_REGISTRY", str(registry))

    report = load_landing(landing, warehouse)

    lead = next(r for r in report if r.relation == "salesforce__lead")
    assert [(f.rows_read, f.rows_loaded) for f in lead.files] == [(3, 2)]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        ids = {r[0] for r in con.execute("select id from raw.salesforce__lead").fetchall()}
        erased = con.execute("select file_path, rows_removed from raw._forget_log").fetchall()
    finally:
        con.close()
    assert ids == {corpus.lead_id(60), corpus.lead_id(62)}
    assert erased == [(f"{corpus.LEAD_DIR}/aa-good.csv", 1)]
