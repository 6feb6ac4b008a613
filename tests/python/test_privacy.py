"""PII stays where it is needed: only dim_leads among the marts carries a person's email,
name or phone; no mart carries an IP address or user agent."""

from __future__ import annotations

import re

import duckdb

# column name patterns that hold personal data
PII_PATTERNS = {
    "email address": r"^(email|e_?mail_address|email_[0-9]+)$",
    "name": r"^(name|(first|last|full|middle|given|family)_name)$",
    "phone": r"(^|_)(phone|mobile|fax)(_|$)",
    "IP address": r"(^|_)ip(_address)?$",
    "user agent": r"^(context_)?user_agent$",
    "postal address": r"^(street|address|postal_code|zip(_code)?|mailing_street)$",
}
# mart -> PII columns it is allowed to carry (the one table BI uses to contact a lead)
ALLOWED = {"dim_leads": {"email", "first_name", "last_name", "phone"}}
EMAIL_VALUE = r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$"


def _pii_kind(column: str) -> str | None:
    for kind, pattern in PII_PATTERNS.items():
        if re.search(pattern, column.lower()):
            return kind
    return None


def test_pii_patterns_catch_what_they_should() -> None:
    assert _pii_kind("email") == "email address"
    assert _pii_kind("last_name") == "name"
    assert _pii_kind("context_ip") == "IP address"
    assert _pii_kind("ip_address") == "IP address"
    assert _pii_kind("user_agent") == "user agent"
    assert _pii_kind("phone") == "phone"
    for harmless in ("email_domain", "is_business_email", "segment_name", "account_name",
                     "has_opted_out_of_email", "is_bot_user_agent", "ship_date"):  # fmt: skip
        assert _pii_kind(harmless) is None, harmless


def test_no_pii_column_outside_the_allowed_marts(wh: duckdb.DuckDBPyConnection) -> None:
    columns = wh.execute(
        "select table_name, column_name from information_schema.columns "
        "where table_schema = 'marts' order by 1, 2"
    ).fetchall()
    assert columns, "no marts to check"
    offenders = [
        f"marts.{table}.{column} ({kind})"
        for table, column in columns
        if (kind := _pii_kind(column)) and column not in ALLOWED.get(table, set())
    ]
    assert offenders == []


def test_no_email_address_values_outside_dim_leads(wh: duckdb.DuckDBPyConnection) -> None:
    text_columns = wh.execute(
        "select table_name, column_name from information_schema.columns "
        "where table_schema = 'marts' and data_type = 'VARCHAR' and table_name != 'dim_leads'"
    ).fetchall()
    found = []
    for table, column in text_columns:
        n = wh.execute(
            f'select count(*) from marts."{table}" where regexp_matches(lower("{column}"), ?)',
            [EMAIL_VALUE],
        ).fetchone()[0]
        if n:
            found.append(f"marts.{table}.{column}: {n} email addresses")
    assert found == []
