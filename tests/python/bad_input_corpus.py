"""A corpus of broken landing data, written by code into a landing folder.

Each case is a few rows or bytes, so the corpus is small and every expectation in
``test_bad_input.py`` can name the exact file and row. Two kinds of case:

- row-level cases (``write_row_cases``): bad values inside otherwise readable files; they
  are added next to a small generated demo data set and go through one whole pipeline run,
  so the tests can see which rows reach staging (normalised) and which land in
  ``audit.quarantined_rows`` with a readable reason;
- file-level cases (``write_*`` helpers below): a whole file that cannot be loaded. They
  would stop their table's ingestion asset (and everything downstream of it), so they are
  loaded with ``leadseg.ingest.load_table`` / ``load_landing`` directly.

Salesforce ids of the corpus are 18-character ids starting ``00QCORPUS`` (never produced by
the generator), so a test can find its rows among the demo rows.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from dataclasses import dataclass
from pathlib import Path

LEAD_DIR = "salesforce/lead"
LEAD_FILE = f"{LEAD_DIR}/zz-corpus-leads.csv"
LEAD_COPY = f"{LEAD_DIR}/zz-corpus-leads2-same-bytes.csv"  # same bytes, new name
SHIFTED_FILE = f"{LEAD_DIR}/zz-corpus-shifted.csv"
TRAILING_FILE = f"{LEAD_DIR}/zz-corpus-trailing-delimiters.csv.gz"
LATIN1_FILE = f"{LEAD_DIR}/zz-corpus-latin1.csv"
EMPTY_FILE = f"{LEAD_DIR}/zz-corpus-empty.csv"
PAGES_FILE = "segment/pages/zz-corpus-pages.jsonl"

LEAD_COLUMNS = [
    "id",
    "email",
    "first_name",
    "last_name",
    "company",
    "status",
    "annual_revenue",
    "number_of_employees",
    "is_converted",
    "has_opted_out_of_email",
    "created_date",
    "last_modified_date",
    "system_modstamp",
    "is_deleted",
    "favourite_colour",  # unknown extra column: kept as text in raw
]


def lead_id(n: int) -> str:
    """The corpus' n-th Salesforce lead id (18 characters)."""
    return f"00QCORPUS{n:07d}AA"


@dataclass(frozen=True)
class RowCase:
    """One row of a corpus file and what must become of it."""

    name: str
    file: str
    row: int  # 1-based data row in ``file``
    record_id: str | None
    quarantine: str | None  # a fragment of the quarantine reason; None = not quarantined
    outcome: str = "staged"  # staged | quarantined | superseded | soft_deleted


def _lead(n: int | None, **values: str) -> dict[str, str]:
    row = {c: "" for c in LEAD_COLUMNS}
    row.update(
        id="" if n is None else lead_id(n),
        email=f"corpus{n}@example-corpus.test",
        first_name="Corpus",
        last_name=f"Lead{n}",
        company="Corpus Ltd",
        status="Open - Not Contacted",
        annual_revenue="1000000",
        number_of_employees="50",
        is_converted="false",
        has_opted_out_of_email="false",
        created_date="2026-09-01T09:00:00Z",
        last_modified_date="2026-09-02T09:00:00Z",
        system_modstamp="2026-09-02T09:00:01Z",
        is_deleted="false",
    )
    row.update(values)
    return row


# (case name, row values, quarantine reason fragment or None)
LEAD_ROWS: list[tuple[str, dict[str, str], str | None]] = [
    (
        "mixed_offset_timestamps",
        _lead(
            1,
            created_date="2026-10-01T12:00:00+02:00",
            last_modified_date="2026-10-01 10:30:00 UTC",
            system_modstamp="2026-10-01T05:30:01-0500",
        ),
        None,
    ),
    (
        "booleans_yes_1",
        _lead(2, is_converted="yes", has_opted_out_of_email="1", is_deleted="0"),
        None,
    ),
    (
        "booleans_true_0",
        _lead(3, is_converted="TRUE", has_opted_out_of_email="0", is_deleted="No"),
        None,
    ),
    ("unknown_enum_value", _lead(4, status="Banana Split"), None),
    (
        "unparseable_timestamp",
        _lead(5, created_date="last tuesday"),
        "unparseable created_date: 'last tuesday'",
    ),
    (
        "impossible_date",
        _lead(6, created_date="2026-02-30T10:00:00Z"),
        "unparseable created_date: '2026-02-30T10:00:00Z'",
    ),
    (
        "future_timestamp",
        _lead(
            7,
            created_date="2099-01-01T00:00:00Z",
            last_modified_date="2099-01-01T00:00:00Z",
            system_modstamp="2099-01-01T00:00:00Z",
        ),
        "created_date in the future: '2099-01-01T00:00:00Z'",
    ),
    ("missing_id", _lead(None), "missing id"),
    ("blank_id", _lead(None, id="   "), "missing id"),
    ("malformed_id", _lead(8, id="not-an-id"), "invalid id: 'not-an-id'"),
    ("negative_amount", _lead(9, annual_revenue="-5000"), "negative annual_revenue: -5000"),
    ("text_amount", _lead(10, annual_revenue="lots"), "unparseable annual_revenue: 'lots'"),
    (
        "currency_amount",
        _lead(11, annual_revenue="$1,200"),
        "unparseable annual_revenue: '$1,200'",
    ),
    ("unknown_boolean", _lead(12, is_converted="maybe"), "unparseable is_converted: 'maybe'"),
    # Two versions of one record with the same modstamps and different values: the later
    # row wins the tie-break (latest load, then file, then row) and is staged; the earlier
    # one is quarantined as a conflict, never silently merged.
    ("conflict_loser", _lead(13, company="Old Name Ltd"), "conflicting duplicate"),
    ("conflict_winner", _lead(13, company="New Name Ltd"), None),
    # The same record twice with the same values: a harmless copy, superseded.
    ("exact_copy_first", _lead(14), None),
    ("exact_copy_second", _lead(14), None),
    # An older version, then a newer one: only the newer is staged.
    (
        "older_version",
        _lead(15, company="Before Ltd", system_modstamp="2026-09-01T09:00:01Z"),
        None,
    ),
    ("newer_version", _lead(15, company="After Ltd"), None),
    ("soft_deleted", _lead(16, is_deleted="TRUE"), None),
    ("padded_values", _lead(17, email="  Padded.Person@Example-Corpus.TEST ", company=" x "), None),
]

NOT_STAGED = {
    "exact_copy_first": "superseded",
    "older_version": "superseded",
    "soft_deleted": "soft_deleted",
}

LEAD_CASES = [
    RowCase(
        name,
        LEAD_FILE,
        i,
        values["id"] or None,
        reason,
        "quarantined" if reason else NOT_STAGED.get(name, "staged"),
    )
    for i, (name, values, reason) in enumerate(LEAD_ROWS, start=1)
]


def _csv_text(columns: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buf.getvalue()


def lead_csv() -> str:
    return _csv_text(LEAD_COLUMNS, [[v[c] for c in LEAD_COLUMNS] for _, v, _ in LEAD_ROWS])


def shifted_csv() -> str:
    """Row 2 has an unquoted comma in the company name: every later value moves one column
    right, so the row has one field too many."""
    good = _lead(30)
    shifted = _lead(31, favourite_colour="blue")
    line = ",".join(
        "Acme, Inc" if c == "company" else shifted[c] for c in LEAD_COLUMNS
    )  # 16 fields for 15 columns
    text = _csv_text(LEAD_COLUMNS, [[good[c] for c in LEAD_COLUMNS]])
    return text + line + "\n" + ",".join(_lead(32)[c] for c in LEAD_COLUMNS) + "\n"


SHIFTED_CASES = [
    RowCase(
        "csv_row_with_shifted_columns",
        SHIFTED_FILE,
        2,
        None,
        "CSV row has 16 fields, header has 15",
        "quarantined",
    ),
    RowCase("row_after_shifted_row", SHIFTED_FILE, 3, lead_id(32), None),
    RowCase("row_before_shifted_row", SHIFTED_FILE, 1, lead_id(30), None),
]


def _csv_line(values: list[str]) -> str:
    """One CSV record as csv.writer quotes it, without the line break."""
    return _csv_text(values, [])[:-1]


def trailing_delimiters_csv_gz() -> bytes:
    """Rows with empty surplus fields (a trailing delimiter, as a shifted or hand-edited
    export has them) next to valid rows, gzip-compressed. Rows 4 and 5 have a quoted company
    with a comma and a line break."""
    multiline = "Acme,\nInc"
    rows = [
        _csv_line([_lead(33)[c] for c in LEAD_COLUMNS]) + ",",  # 16 fields
        _csv_line([_lead(34)[c] for c in LEAD_COLUMNS]) + ",,,",  # 18 fields
        _csv_line([_lead(35)[c] for c in LEAD_COLUMNS[:-1]]) + ',""',  # quoted empty last
        _csv_line([_lead(36, company=multiline)[c] for c in LEAD_COLUMNS]) + ",",
        _csv_line([_lead(37, company=multiline)[c] for c in LEAD_COLUMNS]),
    ]
    text = "".join(line + "\n" for line in [_csv_line(LEAD_COLUMNS), *rows])
    return gzip.compress(text.encode())


TRAILING_CASES = [
    RowCase(
        "csv_row_with_one_empty_surplus_field",
        TRAILING_FILE,
        1,
        None,
        "CSV row has 16 fields, header has 15",
        "quarantined",
    ),
    RowCase(
        "csv_row_with_three_empty_surplus_fields",
        TRAILING_FILE,
        2,
        None,
        "CSV row has 18 fields, header has 15",
        "quarantined",
    ),
    RowCase("csv_row_with_quoted_empty_last_value", TRAILING_FILE, 3, lead_id(35), None),
    RowCase(
        "csv_row_with_line_break_and_empty_surplus_field",
        TRAILING_FILE,
        4,
        None,
        "CSV row has 16 fields, header has 15",
        "quarantined",
    ),
    RowCase("csv_row_with_line_break_in_a_value", TRAILING_FILE, 5, lead_id(37), None),
]


def latin1_csv() -> bytes:
    """A Latin-1 export: row 1 is plain ASCII, row 2 has the byte 0xE9 ('é' in Latin-1),
    which is not valid UTF-8."""
    ascii_row = ",".join(_lead(40)[c] for c in LEAD_COLUMNS)
    latin = _lead(41, company="Caf\u00e9 M\u00fcller")
    latin_row = ",".join(latin[c] for c in LEAD_COLUMNS)
    header = ",".join(LEAD_COLUMNS)
    return (header + "\n" + ascii_row + "\n").encode() + (latin_row + "\n").encode("latin-1")


LATIN1_CASES = [
    RowCase("ascii_row_of_latin1_file", LATIN1_FILE, 1, lead_id(40), None),
    RowCase("non_utf8_bytes", LATIN1_FILE, 2, None, "not valid UTF-8", "quarantined"),
]


PAGE_COLUMNS_TS = "2026-10-20T10:00:00Z"


def _page(n: int, **values: object) -> dict:
    record: dict = {
        "type": "page",
        "messageId": f"corpus-page-{n}",
        "anonymousId": f"corpus-anon-{n}",
        "timestamp": PAGE_COLUMNS_TS,
        "receivedAt": PAGE_COLUMNS_TS,
        "context": {"page": {"url": "https://www.lumora.io/pricing", "path": "/pricing"}},
        "properties": {"url": "https://www.lumora.io/pricing", "path": "/pricing"},
    }
    record.update(values)
    return record


PAGE_LINES: list[tuple[str, str, str | None]] = [
    ("page_ok", json.dumps(_page(1)), None),
    ("json_line_not_json", '{"type": "page", "messageId": "corpus-page-2", ', "not valid JSON"),
    (
        "page_offset_timestamp",
        json.dumps(_page(3, timestamp="2026-10-20T12:00:00+02:00")),
        None,
    ),
    ("page_missing_message_id", json.dumps(_page(4, messageId="")), "missing id"),
    (
        "page_unparseable_timestamp",
        json.dumps(_page(5, timestamp="20/10/2026 10:00", receivedAt="soon")),
        "unparseable timestamp: '20/10/2026 10:00'",
    ),
]
PAGE_CASES = [
    RowCase(name, PAGES_FILE, i, None, reason, "quarantined" if reason else "staged")
    for i, (name, _, reason) in enumerate(PAGE_LINES, start=1)
]


def _write(landing: Path, rel: str, data: str | bytes) -> Path:
    path = landing / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def write_row_cases(landing: Path) -> list[RowCase]:
    """Every row-level case, in files added to ``landing``; returns the expectations."""
    _write(landing, LEAD_FILE, lead_csv())
    _write(landing, LEAD_COPY, lead_csv())  # the same file again under a new name
    _write(landing, SHIFTED_FILE, shifted_csv())
    _write(landing, TRAILING_FILE, trailing_delimiters_csv_gz())
    _write(landing, LATIN1_FILE, latin1_csv())
    _write(landing, EMPTY_FILE, b"")
    _write(landing, PAGES_FILE, "".join(line + "\n" for _, line, _ in PAGE_LINES))
    return ROW_CASES


# file-level cases -------------------------------------------------------------------------


def write_truncated_gzip(landing: Path, rel: str = f"{LEAD_DIR}/zz-truncated.csv.gz") -> Path:
    data = gzip.compress(lead_csv().encode() * 20)
    return _write(landing, rel, data[: len(data) // 2])


def write_missing_required_column(
    landing: Path, rel: str = f"{LEAD_DIR}/zz-no-id-column.csv"
) -> Path:
    columns = [c for c in LEAD_COLUMNS if c != "id"]
    return _write(landing, rel, _csv_text(columns, [[_lead(50)[c] for c in columns]]))


def write_good_leads(landing: Path, rel: str = f"{LEAD_DIR}/aa-good.csv", first: int = 60) -> Path:
    rows = [[_lead(n)[c] for c in LEAD_COLUMNS] for n in range(first, first + 3)]
    return _write(landing, rel, _csv_text(LEAD_COLUMNS, rows))


def write_good_accounts(landing: Path) -> Path:
    return _write(
        landing,
        "salesforce/account.csv",
        _csv_text(
            ["id", "name", "created_date", "system_modstamp"],
            [["001CORPUS0000001AA", "Corpus Account", "2026-09-01", "2026-09-01"]],
        ),
    )


ROW_CASES: list[RowCase] = [
    *LEAD_CASES,
    *SHIFTED_CASES,
    *TRAILING_CASES,
    *LATIN1_CASES,
    *PAGE_CASES,
]
