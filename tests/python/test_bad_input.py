"""The bad-input corpus (bad_input_corpus.py): what happens to every kind of broken input.

File-level cases run the loader directly (fast); the row-level cases go through one
pipeline run over a small demo data set with the corpus files added, so the assertions
see staging and audit.quarantined_rows as BI and analysts would.
"""

from __future__ import annotations

import datetime as dt
import gzip
import shutil
from collections.abc import Iterator
from pathlib import Path

import bad_input_corpus as corpus
import duckdb
import pytest
from _support import DEMO_AS_OF, DEMO_END_DATE

from leadseg.config import Settings
from leadseg.ingest import LandingFileError, load_landing, load_table
from leadseg.runner import RunOutcome, run_pipeline
from leadseg.summary import collect, render


def _query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


# ---------------------------------------------------------------- file-level (loader only)


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    path = tmp_path / "landing"
    path.mkdir()
    return path


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"


def test_truncated_gzip_stops_only_its_table_and_keeps_what_was_loaded(
    landing: Path, warehouse: Path
) -> None:
    corpus.write_good_leads(landing)
    corpus.write_good_accounts(landing)
    load_landing(landing, warehouse)  # an earlier, clean run
    corpus.write_good_leads(landing, f"{corpus.LEAD_DIR}/ab-good.csv", first=70)
    broken = corpus.write_truncated_gzip(landing)
    rel = broken.relative_to(landing).as_posix()

    with pytest.raises(LandingFileError) as info:
        load_landing(landing, warehouse)

    assert info.value.file_path == rel
    assert str(info.value).startswith(f"{rel}: ")
    assert "truncated gzip" in str(info.value)
    # nothing already loaded is lost: the first run's rows, and the file loaded before the
    # broken one in this run, are all there; the other table is untouched
    ids = {r[0] for r in _query(warehouse, "select id from raw.salesforce__lead")}
    assert ids == {corpus.lead_id(n) for n in (60, 61, 62, 70, 71, 72)}
    assert _query(warehouse, "select count(*) from raw.salesforce__account") == [(1,)]
    log = dict(
        _query(
            warehouse,
            "select status, error from raw._load_log where file_path = ?",
            [rel],
        )
    )
    assert "truncated gzip" in log["failed"]
    assert _query(
        warehouse, "select count(*) from raw.salesforce__lead where _file_path = ?", [rel]
    ) == [(0,)]

    # once the file is re-copied whole, the next run loads it
    broken.write_bytes(gzip.compress(corpus.lead_csv().encode()))
    report = load_table(landing, warehouse, "salesforce__lead")
    assert [f.status for f in report.files if f.file_path == rel] == ["loaded"]


def test_missing_required_column_rejects_the_file_with_a_reason(
    landing: Path, warehouse: Path
) -> None:
    corpus.write_good_leads(landing)
    broken = corpus.write_missing_required_column(landing)
    rel = broken.relative_to(landing).as_posix()

    with pytest.raises(LandingFileError) as info:
        load_table(landing, warehouse, "salesforce__lead")

    assert info.value.file_path == rel
    assert "missing required column 'id'" in str(info.value)
    assert _query(warehouse, "select count(*) from raw.salesforce__lead") == [(3,)]


def test_empty_file_loads_zero_rows(landing: Path, warehouse: Path) -> None:
    (landing / corpus.LEAD_DIR).mkdir(parents=True)
    (landing / corpus.EMPTY_FILE).write_bytes(b"")

    report = load_table(landing, warehouse, "salesforce__lead")

    assert [(f.status, f.rows_read) for f in report.files] == [("loaded", 0)]
    assert _query(warehouse, "select count(*) from raw.salesforce__lead") == [(0,)]


def test_row_level_cases_reach_raw_or_the_loader_quarantine(landing: Path, warehouse: Path) -> None:
    corpus.write_row_cases(landing)

    lead_report = load_table(landing, warehouse, "salesforce__lead")
    pages_report = load_table(landing, warehouse, "segment__pages")

    by_file = {f.file_path: f for f in [*lead_report.files, *pages_report.files]}
    # the same bytes under a second name are not loaded twice
    assert by_file[corpus.LEAD_COPY].status == "duplicate_content"
    assert corpus.LEAD_FILE in by_file[corpus.LEAD_COPY].message
    assert by_file[corpus.LEAD_FILE].rows_loaded == len(corpus.LEAD_ROWS)
    # every row read is loaded or quarantined by the loader
    for detail in by_file.values():
        assert detail.rows_read == detail.rows_loaded + detail.rows_quarantined
    quarantine = {
        (path, row): reason
        for path, row, reason in _query(
            warehouse, "select file_path, file_row_number, reason from raw._load_quarantine"
        )
    }
    assert quarantine == {
        (corpus.SHIFTED_FILE, 2): "CSV row has 16 fields, header has 15",
        # empty surplus fields (trailing delimiters) are surplus fields too, also in gzip
        (corpus.TRAILING_FILE, 1): "CSV row has 16 fields, header has 15",
        (corpus.TRAILING_FILE, 2): "CSV row has 18 fields, header has 15",
        (corpus.TRAILING_FILE, 4): "CSV row has 16 fields, header has 15",
        (corpus.LATIN1_FILE, 2): (
            "row contains bytes that are not valid UTF-8 (shown as ? in raw_record); "
            "export the file as UTF-8"
        ),
        (corpus.PAGES_FILE, 2): "line is not valid JSON",
    }
    # an unknown extra column is kept as text
    assert (
        _query(
            warehouse,
            "select favourite_colour from raw.salesforce__lead where id = ?",
            [corpus.lead_id(31)],
        )
        == []
    )  # the shifted row never reached raw
    assert _query(
        warehouse,
        "select data_type from duckdb_columns() where schema_name = 'raw' "
        "and table_name = 'salesforce__lead' and column_name = 'favourite_colour'",
    ) == [("VARCHAR",)]
    assert _query(
        warehouse,
        "select _file_row_number from raw.salesforce__lead where id = ?",
        [corpus.lead_id(32)],
    ) == [(3,)]


# ---------------------------------------------------------------- row-level (whole pipeline)


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunOutcome, Path]]:
    from leadseg.generate import generate

    landing = tmp_path_factory.mktemp("corpus_landing")
    generate(landing, leads=60, seed=11, end_date=DEMO_END_DATE)
    corpus.write_row_cases(landing)
    work = tmp_path_factory.mktemp("corpus_warehouse")
    settings = Settings(
        landing_dir=landing,
        warehouse=work / "leadseg.duckdb",
        export_dir=work / "exports",
        target="duckdb",
        as_of=DEMO_AS_OF,
    )
    outcome = run_pipeline(settings, quiet=True)
    yield outcome, settings.warehouse
    shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="module")
def cwh(corpus_run: tuple[RunOutcome, Path]) -> Iterator[duckdb.DuckDBPyConnection]:
    outcome, warehouse = corpus_run
    failures = zip(outcome.failed_steps, outcome.failure_messages, strict=True)
    assert outcome.ok, "\n".join(
        [f"{s}: {m}" for s, m in failures]
        + [f"check {c.asset}/{c.check}" for c in outcome.failed_error_checks]
    )
    con = duckdb.connect(str(warehouse), read_only=True)
    yield con
    con.close()


def _staged_lead(cwh: duckdb.DuckDBPyConnection, n: int) -> dict | None:
    cur = cwh.execute(
        "select * from staging.stg_salesforce__leads where lead_id = ?", [corpus.lead_id(n)]
    )
    names = [d[0] for d in cur.description]
    found = cur.fetchall()
    assert len(found) <= 1
    return dict(zip(names, found[0], strict=True)) if found else None


@pytest.mark.parametrize("case", corpus.ROW_CASES, ids=lambda c: c.name)
def test_every_row_case_is_staged_or_quarantined_with_a_reason(
    cwh: duckdb.DuckDBPyConnection, case: corpus.RowCase
) -> None:
    quarantined = cwh.execute(
        "select reason, record_id from audit.quarantined_rows "
        "where file_path = ? and file_row_number = ?",
        [case.file, case.row],
    ).fetchall()
    if case.outcome == "quarantined":
        assert len(quarantined) == 1, f"{case.name}: expected one quarantine row"
        reason, record_id = quarantined[0]
        assert case.quarantine in reason
        if case.file == corpus.LEAD_FILE:
            assert record_id == (case.record_id.strip() or None if case.record_id else None)
        return
    assert quarantined == [], f"{case.name} was quarantined: {quarantined}"
    if case.file == corpus.PAGES_FILE:
        staged = cwh.execute(
            "select count(*) from staging.stg_segment__pages "
            "where _file_path = ? and _file_row_number = ?",
            [case.file, case.row],
        ).fetchone()[0]
    else:
        staged = cwh.execute(
            "select count(*) from staging.stg_salesforce__leads "
            "where _file_path = ? and _file_row_number = ?",
            [case.file, case.row],
        ).fetchone()[0]
    assert staged == (1 if case.outcome == "staged" else 0), case.name


def test_mixed_offset_timestamps_are_normalised_to_utc(cwh: duckdb.DuckDBPyConnection) -> None:
    lead = _staged_lead(cwh, 1)
    assert lead is not None
    assert lead["created_at"] == dt.datetime(2026, 10, 1, 10, 0)
    assert lead["updated_at"] == dt.datetime(2026, 10, 1, 10, 30)
    page = cwh.execute(
        "select event_at from staging.stg_segment__pages where event_id = 'corpus-page-3'"
    ).fetchall()
    assert page == [(dt.datetime(2026, 10, 20, 10, 0),)]


def test_booleans_in_every_spelling_are_normalised(cwh: duckdb.DuckDBPyConnection) -> None:
    two, three = _staged_lead(cwh, 2), _staged_lead(cwh, 3)
    assert (two["is_converted"], two["has_opted_out_of_email"]) == (True, True)
    assert (three["is_converted"], three["has_opted_out_of_email"]) == (True, False)


def test_unknown_enum_value_is_staged_as_sent(cwh: duckdb.DuckDBPyConnection) -> None:
    assert _staged_lead(cwh, 4)["status"] == "Banana Split"


def test_text_is_trimmed_and_emails_lowercased(cwh: duckdb.DuckDBPyConnection) -> None:
    lead = _staged_lead(cwh, 17)
    assert lead["email"] == "padded.person@example-corpus.test"
    assert lead["company"] == "x"


def test_versions_conflicts_and_soft_deletes(cwh: duckdb.DuckDBPyConnection) -> None:
    assert _staged_lead(cwh, 13)["company"] == "New Name Ltd"  # conflict: tie-break winner
    assert _staged_lead(cwh, 15)["company"] == "After Ltd"  # newer version wins
    assert _staged_lead(cwh, 14) is not None  # an exact copy is staged once
    assert _staged_lead(cwh, 16) is None  # soft-deleted
    for n in (5, 6, 7, 9, 10, 11, 12):  # quarantined rows never reach staging
        assert _staged_lead(cwh, n) is None, n


def test_duplicate_file_is_loaded_once(cwh: duckdb.DuckDBPyConnection) -> None:
    log = dict(
        cwh.execute(
            "select file_path, status from raw._load_log where file_path in (?, ?)",
            [corpus.LEAD_FILE, corpus.LEAD_COPY],
        ).fetchall()
    )
    assert log == {corpus.LEAD_FILE: "loaded", corpus.LEAD_COPY: "duplicate_content"}
    assert cwh.execute(
        "select count(*) from raw.salesforce__lead where _file_path = ?", [corpus.LEAD_COPY]
    ).fetchone() == (0,)


def test_row_accounting_of_the_corpus_files(cwh: duckdb.DuckDBPyConnection) -> None:
    accounting = {
        r[0]: r[1:]
        for r in cwh.execute(
            "select file_path, rows_read, rows_staged, rows_quarantined, rows_superseded, "
            "rows_soft_deleted from audit.row_accounting where file_path like '%zz-corpus%'"
        ).fetchall()
    }
    cases = [c for c in corpus.LEAD_CASES]
    expected_leads = (
        len(cases),
        sum(c.outcome == "staged" for c in cases),
        sum(c.outcome == "quarantined" for c in cases),
        sum(c.outcome == "superseded" for c in cases),
        sum(c.outcome == "soft_deleted" for c in cases),
    )
    assert accounting[corpus.LEAD_FILE] == expected_leads
    assert accounting[corpus.SHIFTED_FILE] == (3, 2, 1, 0, 0)
    assert accounting[corpus.TRAILING_FILE] == (5, 2, 3, 0, 0)
    assert accounting[corpus.LATIN1_FILE] == (2, 1, 1, 0, 0)
    assert accounting[corpus.PAGES_FILE] == (5, 2, 3, 0, 0)
    assert corpus.LEAD_COPY not in accounting


def test_row_accounting_check_passes_on_the_corpus(corpus_run, cwh) -> None:
    outcome, _ = corpus_run
    checks = [c for c in outcome.checks if c.check == "rows_read_equal_rows_accounted_for"]
    assert [(c.asset, c.passed, c.severity) for c in checks] == [
        ("audit/row_accounting", True, "ERROR")
    ]
    assert "rows read =" in checks[0].description


def test_row_accounting_reports_a_file_that_does_not_add_up(corpus_run, tmp_path: Path) -> None:
    _, warehouse = corpus_run
    copy = tmp_path / "tampered.duckdb"
    shutil.copy(warehouse, copy)
    con = duckdb.connect(str(copy))
    try:  # the loader read one row more than ended up anywhere
        con.execute(
            "update raw._load_log set rows_read = rows_read + 1 where file_path = ?",
            [corpus.LEAD_FILE],
        )
    finally:
        con.close()
    settings = Settings(warehouse=copy, export_dir=tmp_path / "exports")

    summary = collect(settings)

    assert not summary.balances
    assert [d.file_path for d in summary.accounting.differences] == [corpus.LEAD_FILE]
    text = render(summary, None, settings)
    assert "Row accounting DOES NOT BALANCE" in text
    assert f"{corpus.LEAD_FILE}: the loader read 23 rows; raw holds 22" in text
