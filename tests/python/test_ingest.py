"""Landing folder -> raw.* loader (leadseg.ingest)."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from leadseg.ingest import (
    LandingFileError,
    discover_files,
    ensure_raw_schema,
    load_landing,
    load_table,
)
from leadseg.ingest.naming import match_table, snake_case
from leadseg.schema import RAW_TABLES


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    path = tmp_path / "landing"
    path.mkdir()
    return path


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"


def write(path: Path, data: str | bytes, compress: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode() if isinstance(data, str) else data
    path.write_bytes(gzip.compress(raw) if compress else raw)
    return path


def jsonl(*records: object) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def rows(warehouse: Path, relation: str, columns: str = "id, _file_row_number") -> list[tuple]:
    return query(warehouse, f"SELECT {columns} FROM raw.{relation} ORDER BY _file_path, 2")


def assert_accounting(report) -> None:
    for f in report.files:
        assert f.rows_read == f.rows_loaded + f.rows_quarantined, f


LEAD_CSV = "id,email,first_name\n00Q1,a@x.com,Ann\n00Q2,b@x.com,Bob\n00Q3,c@x.com,Cy\n"


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ConvertedContactId", "converted_contact_id"),
        ("SystemModstamp", "system_modstamp"),
        ("Custom_Score__c", "custom_score__c"),
        ("Id", "id"),
        ("anonymousId", "anonymous_id"),
        ("first_name", "first_name"),
        ("First Name", "first_name"),
        ("HTTPStatus", "http_status"),
    ],
)
def test_snake_case(name: str, expected: str) -> None:
    assert snake_case(name) == expected


def test_match_table() -> None:
    assert match_table("salesforce", "Lead") == "lead"
    assert match_table("salesforce", "OpportunityContactRole") == "opportunity_contact_role"
    assert match_table("salesforce", "leads") == "lead"
    assert match_table("salesforce", "opportunities") == "opportunity"
    assert match_table("salesforce", "users") == "user"
    assert match_table("segment", "page") == "pages"
    assert match_table("segment", "identify") == "identifies"
    assert match_table("salesforce", "invoice") is None
    assert match_table("hubspot", "lead") is None


def test_discover_layout(landing: Path) -> None:
    write(landing / "salesforce" / "Lead.csv", LEAD_CSV)
    write(landing / "salesforce" / "lead" / "2026" / "b.csv", LEAD_CSV)
    write(landing / "salesforce" / "lead" / "a.csv", LEAD_CSV)
    write(landing / "salesforce" / "lead" / ".a.csv.swp", "x")
    write(landing / "salesforce" / "lead" / "_tmp.csv", "x")
    write(landing / "salesforce" / "OpportunityContactRole.parquet", b"")
    write(landing / "salesforce" / "invoices.csv", "id\n1\n")  # unknown table: skipped
    write(landing / "hubspot" / "lead.csv", LEAD_CSV)  # unknown source: ignored
    found = discover_files(landing)
    assert [p.relative_to(landing).as_posix() for p in found["salesforce__lead"]] == [
        "salesforce/Lead.csv",
        "salesforce/lead/2026/b.csv",
        "salesforce/lead/a.csv",
    ]
    assert "salesforce__opportunity_contact_role" in found
    assert set(found) == {"salesforce__lead", "salesforce__opportunity_contact_role"}


def test_ensure_raw_schema_is_idempotent(warehouse: Path) -> None:
    con = duckdb.connect(str(warehouse))
    ensure_raw_schema(con)
    ensure_raw_schema(con)
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'raw'").fetchall()}  # fmt: skip
    con.close()
    assert {t.relation for t in RAW_TABLES} | {"_load_log", "_load_quarantine"} == tables


def test_table_without_files_exists_and_reports_zero(landing: Path, warehouse: Path) -> None:
    report = load_table(landing, warehouse, "salesforce__campaign")
    assert (report.files_loaded, report.rows_loaded, report.rows_quarantined) == (0, 0, 0)
    cols = [r[0] for r in query(warehouse, "DESCRIBE raw.salesforce__campaign")]
    assert cols[0] == "id" and "_file_row_number" in cols


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize("compress", [False, True])
def test_csv(landing: Path, warehouse: Path, compress: bool) -> None:
    name = "lead.csv.gz" if compress else "lead.csv"
    write(landing / "salesforce" / name, LEAD_CSV, compress)
    report = load_table(landing, warehouse, "salesforce__lead")
    assert (report.files_loaded, report.rows_loaded, report.rows_quarantined) == (1, 3, 0)
    assert_accounting(report)
    got = rows(warehouse, "salesforce__lead", "id, _file_row_number, email, first_name, _file_path")
    assert got == [
        ("00Q1", 1, "a@x.com", "Ann", f"salesforce/{name}"),
        ("00Q2", 2, "b@x.com", "Bob", f"salesforce/{name}"),
        ("00Q3", 3, "c@x.com", "Cy", f"salesforce/{name}"),
    ]
    meta = query(warehouse, "SELECT DISTINCT _load_id IS NOT NULL, _loaded_at IS NOT NULL "
                 "FROM raw.salesforce__lead")  # fmt: skip
    assert meta == [(True, True)]


def test_csv_quoted_values_and_semicolons(landing: Path, warehouse: Path) -> None:
    write(
        landing / "salesforce" / "account.csv",
        'Id;Name;Website\n001A;"Acme; Inc";acme.com\n001B;"Line\nBreak ""Co""";\n001C;Cee;\n',
    )
    load_table(landing, warehouse, "salesforce__account")
    assert rows(warehouse, "salesforce__account", "id, _file_row_number, name, website") == [
        ("001A", 1, "Acme; Inc", "acme.com"),
        ("001B", 2, 'Line\nBreak "Co"', None),
        ("001C", 3, "Cee", None),
    ]


def test_parquet_typed_values_become_text(landing: Path, warehouse: Path) -> None:
    table = pa.table(
        {
            "Id": ["006A", "006B"],
            "Amount": [1200.5, None],
            "CloseDate": [dt.date(2026, 3, 1), dt.date(2026, 4, 1)],
            "IsWon": [True, False],
            "CreatedDate": pa.array(
                [dt.datetime(2026, 3, 1, 10, 0), dt.datetime(2026, 3, 2, 11, 30, 5)],
                pa.timestamp("us", tz="UTC"),
            ),
            "SystemModstamp": pa.array([dt.datetime(2026, 3, 1, 10, 0)] * 2, pa.timestamp("ms")),
            "Probability": pa.array([10, 90], pa.int32()),
        }
    )
    (landing / "salesforce").mkdir(parents=True)
    pq.write_table(table, landing / "salesforce" / "Opportunity.parquet")
    report = load_table(landing, warehouse, "salesforce__opportunity")
    assert report.rows_loaded == 2
    got = rows(
        warehouse,
        "salesforce__opportunity",
        "id, _file_row_number, amount, close_date, is_won, created_date, system_modstamp, "
        "probability",
    )
    assert got == [
        ("006A", 1, "1200.5", "2026-03-01", "true", "2026-03-01T10:00:00Z",
         "2026-03-01T10:00:00", "10"),
        ("006B", 2, None, "2026-04-01", "false", "2026-03-02T11:30:05Z",
         "2026-03-01T10:00:00", "90"),
    ]  # fmt: skip
    types = dict(query(warehouse, "SELECT column_name, data_type FROM information_schema.columns "
                       "WHERE table_name = 'salesforce__opportunity'"))  # fmt: skip
    assert types["amount"] == "VARCHAR" and types["created_date"] == "VARCHAR"


@pytest.mark.parametrize("name", ["identifies.jsonl", "identifies.ndjson.gz", "identifies.json"])
def test_jsonl_warehouse_shape(landing: Path, warehouse: Path, name: str) -> None:
    data = jsonl(
        {"id": "e1", "anonymous_id": "a1", "user_id": "u1", "email": "a@x.com",
         "received_at": "2026-03-01T10:00:00Z", "plan": {"tier": "pro"}, "n": 3},
        {"id": "e2", "anonymous_id": "a2", "email": None, "flag": True},
    )  # fmt: skip
    write(landing / "segment" / name, data, name.endswith(".gz"))
    report = load_table(landing, warehouse, "segment__identifies")
    assert report.rows_loaded == 2
    got = rows(warehouse, "segment__identifies", "id, _file_row_number, email, plan, n, flag")
    assert got == [
        ("e1", 1, "a@x.com", '{"tier":"pro"}', "3", None),
        ("e2", 2, None, None, None, "true"),
    ]


def test_split_files_and_both_salesforce_spellings(landing: Path, warehouse: Path) -> None:
    write(
        landing / "salesforce" / "lead" / "part-1.csv",
        "id,converted_contact_id,system_modstamp\n00Q1,0031,2026-03-01T10:00:00.000+0000\n",
    )
    write(
        landing / "salesforce" / "lead" / "part-2.csv.gz",
        "Id,ConvertedContactId,SystemModstamp,Custom_Score__c,SomethingNew\n"
        "00Q2,0032,2026-03-02 10:00:00,42,x\n",
        compress=True,
    )
    write(
        landing / "salesforce" / "lead" / "part-3.jsonl",
        jsonl({"Id": "00Q3", "ConvertedContactId": "0033", "attributes": {"type": "Lead"}}),
    )
    report = load_table(landing, warehouse, "salesforce__lead")
    assert (report.files_loaded, report.rows_loaded) == (3, 3)
    got = rows(
        warehouse,
        "salesforce__lead",
        "id, _file_row_number, converted_contact_id, system_modstamp, custom_score__c, "
        "something_new, attributes",
    )
    assert got == [
        ("00Q1", 1, "0031", "2026-03-01T10:00:00.000+0000", None, None, None),
        ("00Q2", 1, "0032", "2026-03-02 10:00:00", "42", "x", None),
        ("00Q3", 1, "0033", None, None, None, '{"type":"Lead"}'),
    ]
    cols = [r[0] for r in query(warehouse, "DESCRIBE raw.salesforce__lead")]
    assert "ConvertedContactId" not in cols and cols.count("converted_contact_id") == 1


# --------------------------------------------------------------------------- Segment JSON


def test_raw_segment_messages_flattened_and_routed(landing: Path, warehouse: Path) -> None:
    context = {
        "ip": "10.0.0.1",
        "userAgent": "Mozilla/5.0",
        "page": {"url": "https://x.io/p?utm_source=g", "path": "/p", "referrer": "https://g.com/",
                 "title": "P"},
        "campaign": {"source": "g", "medium": "cpc", "name": "spring", "term": "t", "content": "c"},
        "library": {"name": "analytics.js", "version": "4.1"},
        "os": {"name": "Mac"},
        "locale": "en-US",
    }  # fmt: skip
    messages = [
        {"type": "page", "messageId": "m1", "anonymousId": "a1", "userId": None,
         "timestamp": "2026-03-01T10:00:00.000Z", "receivedAt": "2026-03-01T10:00:01Z",
         "sentAt": "2026-03-01T10:00:00.500Z", "originalTimestamp": "2026-03-01T09:59:59Z",
         "name": "Pricing", "context": context,
         "properties": {"url": "https://x.io/p", "path": "/p", "title": "P", "referrer": "r",
                        "search": "?q=1", "name": "Pricing"}},
        {"type": "track", "messageId": "m2", "anonymousId": "a1", "userId": "u1",
         "event": "Email Opened", "context": context,
         "properties": {"email": "a@x.com", "campaign_id": "701A", "extra": [1, 2]}},
        {"type": "identify", "messageId": "m3", "anonymousId": "a1", "userId": "u1",
         "context": context, "traits": {"email": "a@x.com", "firstName": "Ann", "company": "X"}},
        {"type": "screen", "messageId": "m4", "anonymousId": "a2", "name": "Home"},
    ]  # fmt: skip
    # all in the pages folder: the message type decides the table
    write(landing / "segment" / "pages" / "2026-03-01.jsonl.gz", jsonl(*messages), compress=True)
    report = load_table(landing, warehouse, "segment__pages")
    assert report.rows_loaded == 4 and report.rows_quarantined == 0
    assert report.files[0].rows_by_relation == {
        "segment__pages": 2, "segment__tracks": 1, "segment__identifies": 1,
    }  # fmt: skip
    page = query(
        warehouse,
        "SELECT id, anonymous_id, user_id, timestamp, received_at, sent_at, original_timestamp, "
        "context_ip, context_user_agent, context_page_url, context_page_path, "
        "context_page_referrer, context_page_title, context_campaign_source, "
        "context_campaign_medium, context_campaign_name, context_campaign_term, "
        "context_campaign_content, context_library_name, context_library_version, "
        "context_os_name, context_locale, name, url, path, referrer, title, search, "
        "_file_row_number FROM raw.segment__pages WHERE id = 'm1'",
    )
    assert page == [
        ("m1", "a1", None, "2026-03-01T10:00:00.000Z", "2026-03-01T10:00:01Z",
         "2026-03-01T10:00:00.500Z", "2026-03-01T09:59:59Z", "10.0.0.1", "Mozilla/5.0",
         "https://x.io/p?utm_source=g", "/p", "https://g.com/", "P", "g", "cpc", "spring", "t",
         "c", "analytics.js", "4.1", "Mac", "en-US", "Pricing", "https://x.io/p", "/p", "r", "P",
         "?q=1", 1)
    ]  # fmt: skip
    assert query(warehouse, "SELECT id, name, _file_row_number FROM raw.segment__pages "
                 "WHERE id = 'm4'") == [("m4", "Home", 4)]  # fmt: skip
    track = query(
        warehouse,
        "SELECT id, user_id, event, event_text, email, campaign_id, extra, context_page_path, "
        "_file_row_number FROM raw.segment__tracks",
    )
    assert track == [
        ("m2", "u1", "email_opened", "Email Opened", "a@x.com", "701A", "[1,2]", "/p", 2)
    ]
    ident = query(
        warehouse,
        "SELECT id, user_id, email, first_name, company, context_campaign_source, "
        "_file_row_number FROM raw.segment__identifies",
    )
    assert ident == [("m3", "u1", "a@x.com", "Ann", "X", "g", 3)]
    cols = [r[0] for r in query(warehouse, "DESCRIBE raw.segment__pages")]
    assert "type" not in cols and "context" not in cols and "properties" not in cols


def test_warehouse_shape_tracks_keep_event_and_event_text(landing: Path, warehouse: Path) -> None:
    write(
        landing / "segment" / "tracks.jsonl",
        jsonl({"id": "t1", "event": "email_link_clicked", "event_text": "Email Link Clicked"}),
    )
    load_table(landing, warehouse, "segment__tracks")
    assert query(warehouse, "SELECT event, event_text FROM raw.segment__tracks") == [
        ("email_link_clicked", "Email Link Clicked")
    ]


# --------------------------------------------------------------------------- bad rows


def test_csv_bad_rows_quarantined_with_exact_row_numbers(landing: Path, warehouse: Path) -> None:
    body = (
        b"id,email,first_name\n"
        b"00Q1,a@x.com,Ann\n"  # row 1
        b"00Q2\n"  # row 2: too few fields
        b"00Q3,c@x.com,Cy,extra,more\n"  # row 3: too many fields
        b"00Q4,d@x.com,D\xe9sir\xe9e\n"  # row 4: Latin-1 bytes, not UTF-8
        b"00Q5,e@x.com,Eve\n"  # row 5
        b"\n"  # row 6: blank line
        b"00Q7,g@x.com,Gus\n"  # row 7
    )
    write(landing / "salesforce" / "lead.csv.gz", body, compress=True)
    report = load_table(landing, warehouse, "salesforce__lead")
    assert_accounting(report)
    assert (report.rows_loaded, report.rows_quarantined) == (3, 3)
    assert rows(warehouse, "salesforce__lead") == [("00Q1", 1), ("00Q5", 5), ("00Q7", 7)]
    quarantine = query(
        warehouse,
        "SELECT file_path, file_row_number, source, table_name, reason, raw_record "
        "FROM raw._load_quarantine ORDER BY file_row_number",
    )
    assert [q[:4] for q in quarantine] == [("salesforce/lead.csv.gz", n, "salesforce", "lead")
                                           for n in (2, 3, 4)]  # fmt: skip
    assert quarantine[0][4] == "CSV row has 1 fields, header has 3"
    assert quarantine[0][5] == "00Q2"
    assert quarantine[1][4] == "CSV row has 5 fields, header has 3"
    assert "UTF-8" in quarantine[2][4] and quarantine[2][5].startswith("00Q4,d@x.com,D")


@pytest.mark.parametrize(
    ("compress", "newline"),
    [(False, "\n"), (True, "\n"), (False, "\r\n")],
    ids=["csv", "gz", "crlf"],
)
def test_csv_rows_with_empty_surplus_fields_are_quarantined(
    landing: Path, warehouse: Path, compress: bool, newline: str
) -> None:
    """A trailing delimiter is a surplus field like any other (DuckDB alone would drop an
    empty one silently); a quoted empty last value is a value, not a surplus field."""
    lines = [
        "id,email,first_name",
        "00Q1,a@x.com,Ann,",  # row 1: one empty surplus field
        "00Q2,b@x.com,Bob,,,",  # row 2: three
        '00Q3,c@x.com,""',  # row 3: quoted empty last value: valid, NULL
        f'00Q4,"d@x.com","Multi, {newline}line",',  # row 4: quoted comma and line break
        f'00Q5,"e@x.com","Multi, {newline}line"',  # row 5: the same without surplus field
        "00Q6,,",  # row 6: empty values: valid, NULL
        '00Q7,g@x.com,Gus,""',  # row 7: a quoted empty surplus field
    ]
    name = "lead.csv.gz" if compress else "lead.csv"
    write(landing / "salesforce" / name, newline.join(lines) + newline, compress)

    report = load_table(landing, warehouse, "salesforce__lead")

    assert_accounting(report)
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (7, 3, 4)
    assert rows(warehouse, "salesforce__lead", "id, _file_row_number, email, first_name") == [
        ("00Q3", 3, "c@x.com", None),
        ("00Q5", 5, "e@x.com", f"Multi, {newline}line"),
        ("00Q6", 6, None, None),
    ]
    quarantine = query(
        warehouse,
        "SELECT file_path, file_row_number, reason, raw_record FROM raw._load_quarantine "
        "ORDER BY file_row_number",
    )
    assert quarantine == [
        (f"salesforce/{name}", row, f"CSV row has {fields} fields, header has 3", lines[row])
        for row, fields in [(1, 4), (2, 6), (4, 4), (7, 4)]
    ]


def test_csv_header_ending_with_a_delimiter(landing: Path, warehouse: Path) -> None:
    """The header's unnamed last column is kept (column_4): rows must end with the
    delimiter too, and a value there is kept, not dropped."""
    write(
        landing / "salesforce" / "lead.csv",
        "id,email,first_name,\n00Q1,a@x.com,Ann,\n00Q2,b@x.com,Bob\n00Q3,c@x.com,Cy,extra\n",
    )

    report = load_table(landing, warehouse, "salesforce__lead")

    assert_accounting(report)
    assert rows(warehouse, "salesforce__lead", "id, _file_row_number, column_4") == [
        ("00Q1", 1, None),
        ("00Q3", 3, "extra"),
    ]
    assert query(warehouse, "SELECT file_row_number, reason FROM raw._load_quarantine") == [
        (
            2,
            "CSV row has 3 fields, header has 4 (the header line ends with a delimiter: its "
            "last column column_4 has no name)",
        )
    ]
    assert "header line ends with a delimiter" in report.files[0].message


def test_json_bad_lines_quarantined_with_exact_line_numbers(landing: Path, warehouse: Path) -> None:
    body = (
        b'{"id": "e1"}\n'  # 1
        b"this is not json\n"  # 2
        b"\n"  # 3 blank: skipped, not a row
        b'{"id": "e4", "email": "caf\xe9@x.com"}\n'  # 4 not UTF-8
        b"[1, 2]\n"  # 5 JSON but not an object
        b'{"id": "e6"}\r\n'  # 6
        b'{"type": "group", "messageId": "g1"}\n'  # 7 Segment group: no table
        b'{"id": "e8"'  # 8 truncated last line, no newline
    )
    write(landing / "segment" / "identifies" / "part.jsonl", body)
    report = load_table(landing, warehouse, "segment__identifies")
    assert_accounting(report)
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (7, 2, 5)
    assert rows(warehouse, "segment__identifies") == [("e1", 1), ("e6", 6)]
    quarantine = query(
        warehouse,
        "SELECT file_row_number, reason, raw_record FROM raw._load_quarantine "
        "ORDER BY file_row_number",
    )
    assert [q[0] for q in quarantine] == [2, 4, 5, 7, 8]
    reasons = {q[0]: q[1] for q in quarantine}
    assert reasons[2] == "line is not valid JSON"
    assert "UTF-8" in reasons[4]
    assert "not an object" in reasons[5]
    assert "group" in reasons[7]
    assert quarantine[0][2] == "this is not json"


def test_empty_and_header_only_files(landing: Path, warehouse: Path) -> None:
    write(landing / "salesforce" / "contact" / "a.csv", "")
    write(landing / "salesforce" / "contact" / "b.csv", "Id,Email\n")
    write(landing / "salesforce" / "contact" / "c.jsonl.gz", "", compress=True)
    write(landing / "salesforce" / "contact" / "d.ndjson", "\n\n")
    report = load_table(landing, warehouse, "salesforce__contact")
    assert (report.files_loaded, report.rows_loaded, report.rows_quarantined) == (4, 0, 0)


# --------------------------------------------------------------------------- exactly once


def test_second_run_loads_nothing_and_new_files_append(landing: Path, warehouse: Path) -> None:
    write(landing / "salesforce" / "lead" / "1.csv", LEAD_CSV)
    first = load_table(landing, warehouse, "salesforce__lead")
    assert (first.files_loaded, first.rows_loaded) == (1, 3)

    second = load_table(landing, warehouse, "salesforce__lead")
    assert (second.files_loaded, second.files_skipped, second.rows_loaded) == (0, 1, 0)
    assert query(warehouse, "SELECT count(*) FROM raw.salesforce__lead") == [(3,)]

    write(landing / "salesforce" / "lead" / "2.csv", "id,email\n00Q9,z@x.com\n")
    third = load_table(landing, warehouse, "salesforce__lead")
    assert (third.files_loaded, third.files_skipped, third.rows_loaded) == (1, 1, 1)
    assert query(warehouse, "SELECT count(*) FROM raw.salesforce__lead") == [(4,)]
    log = query(warehouse, "SELECT file_path, status, rows_read, rows_loaded FROM raw._load_log "
                "ORDER BY loaded_at")  # fmt: skip
    assert log == [("salesforce/lead/1.csv", "loaded", 3, 3),
                   ("salesforce/lead/2.csv", "loaded", 1, 1)]  # fmt: skip


def test_same_content_under_new_name_is_duplicate(landing: Path, warehouse: Path) -> None:
    write(landing / "salesforce" / "lead" / "1.csv", LEAD_CSV)
    load_table(landing, warehouse, "salesforce__lead")
    write(landing / "salesforce" / "lead" / "1-copy.csv", LEAD_CSV)
    report = load_table(landing, warehouse, "salesforce__lead")
    assert [(f.file_path, f.status) for f in report.files] == [
        ("salesforce/lead/1-copy.csv", "duplicate_content"),
        ("salesforce/lead/1.csv", "skipped"),
    ]
    assert report.rows_loaded == 0 and report.files_skipped == 2
    assert query(warehouse, "SELECT count(*) FROM raw.salesforce__lead") == [(3,)]
    assert query(warehouse, "SELECT status FROM raw._load_log WHERE file_path LIKE '%copy%'") == [
        ("duplicate_content",)
    ]
    again = load_table(landing, warehouse, "salesforce__lead")
    assert again.files_skipped == 2
    assert query(warehouse, "SELECT count(*) FROM raw._load_log") == [(2,)]


# --------------------------------------------------------------------------- broken files


def test_file_missing_id_fails_and_keeps_earlier_files(landing: Path, warehouse: Path) -> None:
    write(landing / "salesforce" / "lead" / "1.csv", LEAD_CSV)
    write(landing / "salesforce" / "lead" / "2.csv", "email,first_name\nz@x.com,Zed\n")
    write(landing / "salesforce" / "lead" / "3.csv", "id\n00Q8\n")
    with pytest.raises(LandingFileError, match=r"salesforce/lead/2\.csv.*'id'") as info:
        load_table(landing, warehouse, "salesforce__lead")
    assert [f.status for f in info.value.report.files] == ["loaded", "failed"]
    assert rows(warehouse, "salesforce__lead") == [("00Q1", 1), ("00Q2", 2), ("00Q3", 3)]
    log = query(
        warehouse,
        "SELECT file_path, status, coalesce(error LIKE '%id%', false) FROM raw._load_log "
        "ORDER BY loaded_at",
    )
    assert log == [
        ("salesforce/lead/1.csv", "loaded", False),
        ("salesforce/lead/2.csv", "failed", True),
    ]

    # fixed file: the next run loads it and the one after it
    write(landing / "salesforce" / "lead" / "2.csv", "id,email\n00Q5,z@x.com\n")
    report = load_table(landing, warehouse, "salesforce__lead")
    assert (report.files_loaded, report.files_skipped, report.rows_loaded) == (2, 1, 2)


def test_truncated_gzip_fails_naming_the_file(landing: Path, warehouse: Path) -> None:
    write(landing / "segment" / "pages" / "1.jsonl", jsonl({"id": "p1"}, {"id": "p2"}))
    big = jsonl(*({"id": f"p{i}", "url": f"https://x.io/{i}" * 5} for i in range(20000)))
    data = gzip.compress(big.encode())
    write(landing / "segment" / "pages" / "2.jsonl.gz", data[: len(data) // 2])
    with pytest.raises(LandingFileError, match=r"segment/pages/2\.jsonl\.gz.*gzip"):
        load_table(landing, warehouse, "segment__pages")
    assert rows(warehouse, "segment__pages") == [("p1", 1), ("p2", 2)]
    assert query(warehouse, "SELECT count(*) FROM raw._load_quarantine") == [(0,)]
    assert query(warehouse, "SELECT status FROM raw._load_log ORDER BY loaded_at") == [
        ("loaded",), ("failed",)
    ]  # fmt: skip


def test_truncated_gzip_csv(landing: Path, warehouse: Path) -> None:
    big = "id,email\n" + "".join(f"00Q{i},{i}@x.com\n" for i in range(50000))
    data = gzip.compress(big.encode())
    write(landing / "salesforce" / "lead.csv.gz", data[: len(data) - 100])
    with pytest.raises(LandingFileError, match=r"salesforce/lead\.csv\.gz.*gzip"):
        load_table(landing, warehouse, "salesforce__lead")
    assert query(warehouse, "SELECT count(*) FROM raw.salesforce__lead") == [(0,)]


def test_not_csv_and_unsupported_extension(landing: Path, warehouse: Path) -> None:
    write(landing / "salesforce" / "task.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(LandingFileError, match=r"salesforce/task\.csv"):
        load_table(landing, warehouse, "salesforce__task")
    write(landing / "salesforce" / "campaign.xlsx", b"PK\x03\x04")
    with pytest.raises(LandingFileError, match=r"salesforce/campaign\.xlsx.*\.csv"):
        load_table(landing, warehouse, "salesforce__campaign")
    write(landing / "segment" / "tracks.jsonl", b"\x00\x01\x02 garbage\nmore garbage\n")
    with pytest.raises(LandingFileError, match=r"segment/tracks\.jsonl.*JSON"):
        load_table(landing, warehouse, "segment__tracks")


def test_load_landing_loads_every_table_and_reports_broken_ones(
    landing: Path, warehouse: Path
) -> None:
    write(landing / "salesforce" / "Lead.csv", LEAD_CSV)
    write(landing / "salesforce" / "account.csv", "name\nAcme\n")  # no id
    write(landing / "salesforce" / "notes.csv", "id\n1\n")  # unknown table: skipped
    write(landing / "segment" / "pages.jsonl", jsonl({"id": "p1"}))
    with pytest.raises(LandingFileError, match=r"salesforce/account\.csv") as info:
        load_landing(landing, warehouse)
    by_relation = {r.relation: r for r in info.value.reports}
    assert by_relation["salesforce__lead"].rows_loaded == 3
    assert by_relation["segment__pages"].rows_loaded == 1
    assert by_relation["salesforce__account"].files_failed == 1
    assert len(info.value.reports) == len(RAW_TABLES)
