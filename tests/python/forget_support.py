"""What the `leadseg forget` tests look for, on either engine.

Both take a :class:`leadseg.warehouse.Warehouse` (DuckDB or PostgreSQL, ``?`` placeholders)
so the DuckDB test (test_forget.py) and the PostgreSQL one (test_postgres.py) assert the
same things with the same code.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from leadseg.warehouse import Warehouse

# where the request may be recorded (by its SHA-256, never the address)
BOOKKEEPING = {"raw._forget_requests", "raw._forget_log"}


def person_with_web_activity(wh: Warehouse) -> str:
    """A lead's email that also has web activity (anonymous ids) and a Salesforce id."""
    return wh.scalar(
        """
        select min(e.identifier_value)
        from intermediate.int_identity_resolved as e
        where e.identifier_type = 'email'
            and exists (select 1 from intermediate.int_identity_resolved as a
                        where a.component_id = e.component_id and a.identifier_type = 'anon')
            and exists (select 1 from intermediate.int_identity_resolved as l
                        where l.component_id = e.component_id and l.identifier_type = 'lead')
            and e.identifier_value in (select email from marts.dim_leads)
        """
    )


def needles(email: str) -> list[str]:
    """The address and the hashes a pseudonymised copy of it would carry."""
    return [
        email,
        hashlib.sha256(email.encode()).hexdigest(),
        hashlib.md5(email.encode()).hexdigest(),  # noqa: S324 - looking for it, not using it
    ]


def tables_containing(wh: Warehouse, texts: list[str]) -> list[str]:
    """Every table and view, in every schema but the engine's catalogs, where any column
    (of any type, as text) contains one of ``texts``, case-insensitive. One scan per
    relation: the row's columns joined into one lower-case text, searched for each text."""
    relations = wh.query(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema <> 'information_schema' and left(table_schema, 3) <> 'pg_' "
        "order by 1, 2"
    )
    found = []
    for schema, table in relations:
        columns = [
            r[0]
            for r in wh.query(
                "select column_name from information_schema.columns "
                "where table_schema = ? and table_name = ?",
                [schema, table],
            )
        ]
        if not columns:
            continue
        row_text = " || '|' || ".join(f"coalesce(cast(\"{c}\" as varchar), '')" for c in columns)
        search = " or ".join("strpos(row_text, ?) > 0" for _ in texts)
        sql = (
            f"select count(*) from (select lower({row_text}) as row_text "
            f'from "{schema}"."{table}") as r where {search}'
        )
        if wh.scalar(sql, [t.lower() for t in texts]):
            found.append(f"{schema}.{table}")
    return found


def files_containing(folder: Path, texts: list[str]) -> list[str]:
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes().lower()
        if any(t.lower().encode() in data for t in texts):
            found.append(str(path))
    return found
