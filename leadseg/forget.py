"""The right to be forgotten: ``leadseg forget --email ADDRESS``, on DuckDB and PostgreSQL.

What happens to a request:

1. The person's identifiers are collected: the address itself, the Salesforce lead and
   contact ids carrying it, the Segment anonymous ids and user ids seen with it, and every
   identifier the identity graph (``intermediate.int_identity_resolved``) ties to those.
2. Every raw row carrying one of them is deleted (``raw.*`` and loader-quarantined rows);
   the rows erased per file go to ``raw._forget_log`` so row accounting still balances.
3. Every row of every table in any other schema (intermediate, marts, audit, activation,
   ml, snapshots: any schema but ``raw``, ``reference`` and the engine's own catalogs)
   with one of those values in a text column is deleted; staging models are views and
   follow raw. Export files in ``LEADSEG_EXPORT_DIR`` are rewritten without the person's
   lines / rows.
4. The request is recorded in ``raw._forget_requests`` by the SHA-256 of the address, never
   the address; the SHA-256 of each identifier goes to the *forget registry*, a CSV file
   outside the warehouse (``LEADSEG_FORGET_REGISTRY``, default
   ``data/privacy/forgotten_identifiers.csv``; keep it with the landing data). The
   loader drops rows matching the registry, so the person does not come back when the
   same files are loaded again or the warehouse is rebuilt from scratch.

Batch form: insert addresses into ``raw.forget_requests(email)`` and run
``leadseg forget --batch``; each is processed and removed from that table.

Both engines run the same statements through :class:`leadseg.warehouse.Warehouse` (one
query interface, ``?`` placeholders; ``LEADSEG_TARGET=postgres`` connects with the PG*
variables). What differs per engine is data, not code: the names of text column types
(``TEXT_TYPES``) and of the engine's catalog schemas, which are never touched. Statements
stay portable: no ``%`` (psycopg's placeholder sign) and no engine-only functions.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .config import PROJECT_DIR, Settings
from .warehouse import Warehouse, connect

DEFAULT_REGISTRY = PROJECT_DIR / "data" / "privacy" / "forgotten_identifiers.csv"
REGISTRY_COLUMNS = ["identifier_kind", "identifier_hash", "request_hash", "forgotten_at"]
BATCH_TABLE = "forget_requests"  # raw.forget_requests(email): addresses waiting
REQUESTS_TABLE = "_forget_requests"
FORGET_LOG = "_forget_log"
KEEP_SCHEMAS = ("raw", "reference")  # raw: cleaned table by table; reference: no people
# column types searched for identifiers: DuckDB's, then PostgreSQL's spellings
TEXT_TYPES = frozenset({"VARCHAR", "TEXT", "CHARACTER VARYING", "CHARACTER"})
# the engines' own schemas (PostgreSQL: pg_catalog, pg_toast, ...), never leadseg's
_USER_SCHEMAS = "table_schema <> 'information_schema' and left(table_schema, 3) <> 'pg_'"
_RAW_TABLES = "table_schema = 'raw' and left(table_name, 1) <> '_'"  # not the bookkeeping
FORGET_LOG_DDL = (
    f"create table if not exists raw.{FORGET_LOG} (request_hash varchar, file_path varchar, "
    "source_table varchar, rows_removed bigint, forgotten_at timestamp)"
)

# kind -> how a raw value is normalised before hashing (SQL over a text column ``{c}``)
NORMALISE_SQL = {
    "email": "lower(trim({c}))",
    "salesforce_id": "left(trim({c}), 15)",  # 15- and 18-character spellings agree
    "anonymous_id": "trim({c})",
    "user_id": "trim({c})",
}
# raw columns holding each kind of identifier
SALESFORCE_ID_COLUMNS = ("id", "who_id", "lead_id", "contact_id", "converted_contact_id")


def registry_path() -> Path:
    return Path(os.environ.get("LEADSEG_FORGET_REGISTRY") or DEFAULT_REGISTRY)


def normalise_email(email: str) -> str:
    value = email.strip().lower()
    if "@" not in value or value.startswith("@") or value.endswith("@"):
        raise ValueError(f"not an email address: {email!r}")
    return value


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _normalise(kind: str, value: str) -> str:
    value = value.strip()
    if kind == "email":
        return value.lower()
    if kind == "salesforce_id":
        return value[:15]
    return value


def load_registry(path: Path | None = None) -> dict[str, set[str]]:
    """kind -> SHA-256 hashes of forgotten identifiers."""
    path = path or registry_path()
    hashes: dict[str, set[str]] = {}
    if path.is_file():
        with open(path, newline="") as fh:
            for row in csv.DictReader(fh):
                hashes.setdefault(row["identifier_kind"], set()).add(row["identifier_hash"])
    return hashes


def loader_filter(columns: Iterable[str], registry: dict[str, set[str]]) -> str | None:
    """A SQL predicate keeping only rows that match no forgotten identifier (None: keep all).

    Used by the loader on every target table, so forgotten people are never reloaded.
    """
    present = set(columns)
    tests = []
    for kind, hashes in registry.items():
        if not hashes or kind not in NORMALISE_SQL:
            continue
        if kind == "email":
            candidates = ["email"]
        elif kind == "salesforce_id":
            candidates = list(SALESFORCE_ID_COLUMNS)
        elif kind == "anonymous_id":
            candidates = ["anonymous_id"]
        else:
            candidates = ["user_id", "id"]
        listed = ", ".join(f"'{h}'" for h in sorted(hashes))
        for column in candidates:
            if column in present:
                expr = NORMALISE_SQL[kind].format(c=f'"{column}"')
                tests.append(f"coalesce(sha256({expr}) in ({listed}), false)")
    if not tests:
        return None
    return "not (" + " or ".join(tests) + ")"


@dataclass
class Identifiers:
    emails: set[str] = field(default_factory=set)
    salesforce_ids: set[str] = field(default_factory=set)  # as found (15 or 18 chars)
    anonymous_ids: set[str] = field(default_factory=set)
    user_ids: set[str] = field(default_factory=set)
    other: set[str] = field(default_factory=set)  # person keys, graph identifiers

    def by_kind(self) -> dict[str, set[str]]:
        return {
            "email": self.emails,
            "salesforce_id": self.salesforce_ids,
            "anonymous_id": self.anonymous_ids,
            "user_id": self.user_ids,
        }

    def values(self) -> set[str]:
        """Every text value that identifies the person in a dbt table or export."""
        out = set(self.emails) | self.anonymous_ids | self.user_ids | self.other
        for sf in self.salesforce_ids:
            out |= {sf, sf[:15]}
        return {v for v in out if v}


@dataclass
class ForgetReport:
    request_hash: str
    raw_rows_removed: int = 0
    derived_rows_removed: int = 0
    export_rows_removed: int = 0
    tables_touched: list[str] = field(default_factory=list)


def _tables(wh: Warehouse, condition: str) -> list[tuple[str, str]]:
    return [
        (schema, table)
        for schema, table in wh.query(
            "select table_schema, table_name from information_schema.tables "
            f"where table_type = 'BASE TABLE' and {_USER_SCHEMAS} and {condition} order by 1, 2"
        )
    ]


def _columns(wh: Warehouse, schema: str, table: str) -> dict[str, str]:
    return dict(
        wh.query(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [schema, table],
        )
    )


def _collect(wh: Warehouse, email: str) -> Identifiers:
    ids = Identifiers(emails={email})
    for schema, table in _tables(wh, _RAW_TABLES):
        cols = _columns(wh, schema, table)
        if "email" not in cols:
            continue
        wanted = [c for c in ("id", "anonymous_id", "user_id") if c in cols]
        if not wanted:
            continue
        found = wh.query(
            f'select {", ".join(wanted)} from raw."{table}" where lower(trim(email)) = ?',
            [email],
        )
        for row in found:
            values = dict(zip(wanted, row, strict=True))
            if table.startswith("salesforce__") and values.get("id"):
                ids.salesforce_ids.add(values["id"].strip())
            if table == "segment__users" and values.get("id"):
                ids.user_ids.add(values["id"].strip())
            if values.get("anonymous_id"):
                ids.anonymous_ids.add(values["anonymous_id"].strip())
            if values.get("user_id"):
                ids.user_ids.add(values["user_id"].strip())
    if wh.table_exists("intermediate", "int_identity_resolved"):
        seeds = [("email", e) for e in ids.emails]
        seeds += [("lead", s) for s in ids.salesforce_ids]
        seeds += [("contact", s) for s in ids.salesforce_ids]
        seeds += [("anon", a) for a in ids.anonymous_ids]
        seeds += [("user", u) for u in ids.user_ids]
        rows = wh.query(
            """
            with seeds as (select * from (values {}) as s(t, v)),
            components as (
                select distinct r.component_id
                from intermediate.int_identity_resolved as r
                join seeds on r.identifier_type = seeds.t and r.identifier_value = seeds.v
            )
            select identifier_type, identifier_value, identifier, component_id, lead_id,
                   person_identifier
            from intermediate.int_identity_resolved
            where component_id in (select component_id from components)
            """.format(", ".join("(?, ?)" for _ in seeds)),
            [x for pair in seeds for x in pair],
        )
        for kind, value, identifier, component, person, person_identifier in rows:
            target = {
                "email": ids.emails,
                "lead": ids.salesforce_ids,
                "contact": ids.salesforce_ids,
                "anon": ids.anonymous_ids,
                "user": ids.user_ids,
            }.get(kind, ids.other)
            target.add(value)
            ids.other |= {identifier, component, person, person_identifier} - {None}
    return ids


def _ensure_bookkeeping(wh: Warehouse) -> None:
    wh.query("create schema if not exists raw")
    wh.query(
        f"create table if not exists raw.{REQUESTS_TABLE} (request_hash varchar, "
        "requested_at timestamp, raw_rows_removed bigint, derived_rows_removed bigint, "
        "export_rows_removed bigint)"
    )
    wh.query(FORGET_LOG_DDL)


def _raw_predicate(table: str, cols: dict[str, str], ids: Identifiers) -> tuple[str, list]:
    tests, params = [], []

    def add(expr: str, values: Iterable[str]) -> None:
        values = sorted({v for v in values if v})
        if values:
            tests.append(f"{expr} in ({', '.join('?' for _ in values)})")
            params.extend(values)

    if "email" in cols:
        add("lower(trim(email))", ids.emails)
    if table.startswith("salesforce__"):
        for column in SALESFORCE_ID_COLUMNS:
            if column in cols:
                add(f'left(trim("{column}"), 15)', {s[:15] for s in ids.salesforce_ids})
    if table.startswith("segment__"):
        if "anonymous_id" in cols:
            add("trim(anonymous_id)", ids.anonymous_ids)
        if "user_id" in cols:
            add("trim(user_id)", ids.user_ids)
        if table == "segment__users":
            add("trim(id)", ids.user_ids)
    return " or ".join(tests), params


def _log_erased(
    wh: Warehouse, request_hash: str, at: dt.datetime, per_file: list[tuple[str, str, int]]
) -> int:
    for file_path, table, n in per_file:
        wh.query(
            f"insert into raw.{FORGET_LOG} values (?, ?, ?, ?, ?)",
            [request_hash, file_path, table, n, at],
        )
    return sum(n for _, _, n in per_file)


def _forget_raw(wh: Warehouse, ids: Identifiers, request_hash: str, at: dt.datetime) -> int:
    removed = 0
    for _, table in _tables(wh, _RAW_TABLES):
        if table == BATCH_TABLE:
            continue
        predicate, params = _raw_predicate(table, _columns(wh, "raw", table), ids)
        if not predicate:
            continue
        per_file = wh.query(
            f'select _file_path, count(*) from raw."{table}" where {predicate} group by 1',
            params,
        )
        removed += _log_erased(wh, request_hash, at, [(f, table, n) for f, n in per_file])
        wh.query(f'delete from raw."{table}" where {predicate}', params)
    values = sorted(ids.values())
    if values and wh.table_exists("raw", "_load_quarantine"):
        like = " or ".join("strpos(raw_record, ?) > 0" for _ in values)
        per_file = wh.query(
            "select file_path, source || '__' || table_name, count(*) "
            f"from raw._load_quarantine where {like} group by 1, 2",
            values,
        )
        removed += _log_erased(wh, request_hash, at, per_file)
        wh.query(f"delete from raw._load_quarantine where {like}", values)
    return removed


def _forget_derived(wh: Warehouse, ids: Identifiers) -> tuple[int, list[str]]:
    values = sorted(ids.values())
    removed, touched = 0, []
    if not values:
        return 0, touched
    skip = ", ".join(f"'{s}'" for s in KEEP_SCHEMAS)
    for schema, table in _tables(wh, f"table_schema not in ({skip})"):
        text_cols = [c for c, t in _columns(wh, schema, table).items() if t.upper() in TEXT_TYPES]
        if not text_cols:
            continue
        listed = ", ".join("?" for _ in values)
        predicate = " or ".join(f'"{c}" in ({listed})' for c in text_cols)
        params = values * len(text_cols)
        n = wh.scalar(f'select count(*) from "{schema}"."{table}" where {predicate}', params)
        if n:
            wh.query(f'delete from "{schema}"."{table}" where {predicate}', params)
            removed += n
            touched.append(f"{schema}.{table}")
    return removed, touched


def _forget_exports(export_dir: Path, ids: Identifiers) -> int:
    values = ids.values()
    removed = 0
    if not export_dir.is_dir() or not values:
        return 0
    for path in sorted(p for p in export_dir.rglob("*") if p.is_file()):
        suffix = path.suffix.lower()
        if suffix == ".parquet":
            con = duckdb.connect()
            try:
                rel = con.execute(f"select * from read_parquet('{path}')")
                names = [d[0] for d in rel.description]
                rows = rel.fetchall()
                keep = [r for r in rows if not any(str(v) in values for v in r)]
                if len(keep) != len(rows):
                    removed += len(rows) - len(keep)
                    con.execute(f"create table t as select * from read_parquet('{path}') limit 0")
                    if keep:
                        con.executemany(
                            f"insert into t values ({', '.join('?' for _ in names)})", keep
                        )
                    con.execute(f"copy t to '{path}' (format parquet)")
            finally:
                con.close()
            continue
        try:
            text = path.read_text()
        except UnicodeDecodeError:
            continue
        lines = text.splitlines(keepends=True)
        keep = [line for line in lines if not any(v in line for v in values)]
        if len(keep) != len(lines):
            removed += len(lines) - len(keep)
            path.write_text("".join(keep))
    return removed


def _register(ids: Identifiers, request_hash: str, at: dt.datetime) -> None:
    path = registry_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    known = load_registry(path)
    new = path.exists() and path.stat().st_size > 0
    with open(path, "a", newline="") as fh:
        writer = csv.writer(fh)
        if not new:
            writer.writerow(REGISTRY_COLUMNS)
        for kind, values in ids.by_kind().items():
            for value in sorted(values):
                digest = sha256_hex(_normalise(kind, value))
                if digest not in known.get(kind, set()):
                    writer.writerow([kind, digest, request_hash, at.isoformat()])


class WarehouseUnavailable(ValueError):
    """The warehouse to erase from cannot be opened (the message says why and what to do)."""


@contextlib.contextmanager
def _open(settings: Settings) -> Iterator[Warehouse]:
    """The target warehouse, writable: the DuckDB file or PostgreSQL (PG* variables)."""
    if settings.target == "duckdb" and not settings.warehouse.exists():
        raise FileNotFoundError(
            f"no warehouse at {settings.warehouse}: pass --warehouse or set LEADSEG_WAREHOUSE "
            "(or LEADSEG_TARGET=postgres for the PostgreSQL warehouse)"
        )
    unavailable: tuple[type[Exception], ...] = (duckdb.Error, OSError)
    if settings.target == "postgres":
        import psycopg

        unavailable = (psycopg.OperationalError, OSError)
    with contextlib.ExitStack() as stack:
        try:
            wh = stack.enter_context(connect(settings, read_only=False))
        except unavailable as exc:
            raise WarehouseUnavailable(_cannot_open(settings, exc)) from exc
        yield wh


def _cannot_open(settings: Settings, exc: Exception) -> str:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if settings.target == "postgres":
        where = "PostgreSQL (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE)"
    else:
        where = f"the DuckDB warehouse {settings.warehouse} (is a run still writing to it?)"
    return f"cannot open {where}: {first}; nothing was erased"


def forget_email(settings: Settings, email: str) -> ForgetReport:
    """Erase one person everywhere (see the module docstring)."""
    email = normalise_email(email)
    request_hash = sha256_hex(email)
    at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    report = ForgetReport(request_hash)
    with _open(settings) as wh:
        ids = _collect(wh, email)
        _register(ids, request_hash, at)  # first: a crash later still blocks a reload
        wh.query("begin")
        try:
            _ensure_bookkeeping(wh)
            report.raw_rows_removed = _forget_raw(wh, ids, request_hash, at)
            report.derived_rows_removed, report.tables_touched = _forget_derived(wh, ids)
            wh.query("commit")
        except BaseException:
            wh.query("rollback")
            raise
        report.export_rows_removed = _forget_exports(settings.export_dir, ids)
        wh.query(
            f"insert into raw.{REQUESTS_TABLE} values (?, ?, ?, ?, ?)",
            [
                request_hash,
                at,
                report.raw_rows_removed,
                report.derived_rows_removed,
                report.export_rows_removed,
            ],
        )
    return report


def forget_batch(settings: Settings) -> list[ForgetReport]:
    """Process every address in ``raw.forget_requests(email)`` and empty that table."""
    with _open(settings) as wh:
        wh.query("create schema if not exists raw")
        wh.query(f"create table if not exists raw.{BATCH_TABLE} (email varchar)")
        emails = [r[0] for r in wh.query(f"select distinct email from raw.{BATCH_TABLE}")]
    reports = []
    for email in emails:
        if email and email.strip():
            reports.append(forget_email(settings, email))
        with _open(settings) as wh:
            wh.query(f"delete from raw.{BATCH_TABLE} where email = ?", [email])
    return reports


def describe(report: ForgetReport) -> str:
    return json.dumps(
        {
            "request_sha256": report.request_hash,
            "raw_rows_removed": report.raw_rows_removed,
            "derived_rows_removed": report.derived_rows_removed,
            "export_rows_removed": report.export_rows_removed,
            "tables": report.tables_touched,
        }
    )
