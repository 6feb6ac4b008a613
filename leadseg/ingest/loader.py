"""Load landing files into ``raw.*``: each file exactly once, in its own transaction."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from leadseg.forget import FORGET_LOG, FORGET_LOG_DDL, load_registry, loader_filter
from leadseg.ingest.discover import LandingFile, scan_landing
from leadseg.ingest.errors import LandingFileError
from leadseg.ingest.readers import read_file
from leadseg.ingest.writer import DuckDBWriter, utc_now
from leadseg.schema import RAW_TABLES, RAW_TABLES_BY_RELATION

log = logging.getLogger(__name__)


@dataclass
class FileLoadDetail:
    file_path: str  # relative to the landing folder
    status: str  # loaded | skipped | duplicate_content | failed
    load_id: str | None = None
    size_bytes: int = 0
    sha256: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_by_relation: dict[str, int] = field(default_factory=dict)  # Segment routing by type
    message: str | None = None  # why skipped / the error / warnings


@dataclass
class TableLoadReport:
    relation: str
    files: list[FileLoadDetail] = field(default_factory=list)

    @property
    def files_loaded(self) -> int:
        return sum(1 for f in self.files if f.status == "loaded")

    @property
    def files_skipped(self) -> int:
        """Already loaded, or the same content already loaded under another name."""
        return sum(1 for f in self.files if f.status in ("skipped", "duplicate_content"))

    @property
    def files_failed(self) -> int:
        return sum(1 for f in self.files if f.status == "failed")

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_quarantined(self) -> int:
        return sum(f.rows_quarantined for f in self.files)


def sha256_file(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 22):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create schema ``raw``, every canonical raw table, ``_load_log`` and ``_load_quarantine``."""
    DuckDBWriter(con).ensure_schema()


def discover_files(landing_dir: Path) -> dict[str, list[Path]]:
    """relation (``salesforce__lead``) -> the table's landing files, sorted by path."""
    return {
        relation: [f.path for f in files]
        for relation, files in scan_landing(Path(landing_dir)).files.items()
    }


def _log_forgotten(writer, file_path: str, relation: str, rows: int, at) -> int:
    """Rows of a file dropped because they belong to a forgotten person, logged so that row
    accounting (leadseg.ingest.accounting) still balances."""
    if rows:  # both writers: DuckDB and PostgreSQL (LoadLogQueries._execute)
        p = writer.placeholder
        writer._execute(FORGET_LOG_DDL, [])
        writer._execute(
            f"INSERT INTO raw.{FORGET_LOG} VALUES (NULL, {p}, {p}, {p}, {p})",
            [file_path, relation, rows, at],
        )
    return rows


def _load_file(writer: DuckDBWriter, lf: LandingFile) -> FileLoadDetail:
    size, sha = sha256_file(lf.path)
    detail = FileLoadDetail(lf.rel_path, "skipped", size_bytes=size, sha256=sha)
    table = RAW_TABLES_BY_RELATION[lf.relation]
    same_path = writer.log_entries(file_path=lf.rel_path)
    if any(
        e["sha256"] == sha and e["status"] in ("loaded", "duplicate_content") for e in same_path
    ):
        detail.message = "already loaded"
        return detail
    same_content = [e for e in writer.log_entries(sha256=sha) if e["status"] == "loaded"]
    load_id = uuid.uuid4().hex
    detail.load_id = load_id
    base = dict(
        load_id=load_id,
        file_path=lf.rel_path,
        source=lf.source,
        table_name=lf.table,
        file_format=lf.file_format,
        compression=lf.compression,
        size_bytes=size,
        sha256=sha,
    )
    if same_content:
        detail.status = "duplicate_content"
        detail.message = f"same content as {same_content[0]['file_path']} (already loaded)"
        writer.log(
            **base,
            rows_read=0,
            rows_loaded=0,
            rows_quarantined=0,
            status="duplicate_content",
            error=detail.message,
            loaded_at=utc_now(),
        )
        log.info("%s: %s", lf.rel_path, detail.message)
        return detail
    if any(e["status"] == "loaded" for e in same_path):
        log.warning("%s changed since it was loaded; loading the new content too", lf.rel_path)

    con = writer.con
    extract = None
    try:
        extract = read_file(con, lf, table, load_id[:12])
        loaded_at = utc_now()
        writer.begin()
        try:
            forgotten = 0
            registry = load_registry()
            for target in extract.targets:
                raw_table = RAW_TABLES_BY_RELATION[target.relation]
                writer.ensure_table(raw_table)
                added = writer.add_columns(target.relation, target.columns)
                if added:
                    log.info("%s: new columns in raw.%s: %s", lf.rel_path, target.relation,
                             ", ".join(added))  # fmt: skip
                select_sql, keep = target.sql, loader_filter(target.columns, registry)
                if keep:  # people erased by `leadseg forget` are never loaded again
                    total = con.execute(f"SELECT count(*) FROM ({target.sql})").fetchone()[0]
                    select_sql = f"SELECT * FROM ({target.sql}) AS _rows WHERE {keep}"
                n = writer.insert_rows(target.relation, target.columns, select_sql,
                                       lf.rel_path, load_id, loaded_at)  # fmt: skip
                if keep:
                    forgotten += _log_forgotten(writer, lf.rel_path, target.relation,
                                                total - n, loaded_at)  # fmt: skip
                detail.rows_by_relation[target.relation] = n
            quarantined = 0
            if extract.quarantine_sql:
                quarantined = writer.insert_quarantine(
                    extract.quarantine_sql, load_id, lf.rel_path, lf.source, lf.table, loaded_at
                )
            loaded = sum(detail.rows_by_relation.values())
            if loaded + quarantined + forgotten != extract.rows_read:
                raise LandingFileError(
                    lf.rel_path,
                    f"row accounting does not add up (read {extract.rows_read}, loaded "
                    f"{loaded}, quarantined {quarantined}); nothing was loaded — please report "
                    "this file",
                )
            writer.log(**base, rows_read=extract.rows_read, rows_loaded=loaded,
                       rows_quarantined=quarantined, status="loaded",
                       error="; ".join(extract.warnings) or None, loaded_at=loaded_at)  # fmt: skip
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        detail.status = "loaded"
        detail.rows_read = extract.rows_read
        detail.rows_loaded = loaded
        detail.rows_quarantined = quarantined
        detail.message = "; ".join(extract.warnings) or None
        for warning in extract.warnings:
            log.warning(warning)
        return detail
    except (LandingFileError, duckdb.Error, OSError, *getattr(writer, "errors", ())) as exc:
        error = (
            exc
            if isinstance(exc, LandingFileError)
            else LandingFileError(lf.rel_path, f"could not be loaded: {exc}")
        )
        detail.status = "failed"
        detail.message = str(error)
        detail.rows_by_relation.clear()
        writer.log(**base, rows_read=0, rows_loaded=0, rows_quarantined=0, status="failed",
                   error=str(error), loaded_at=utc_now())  # fmt: skip
        error.detail = detail  # type: ignore[attr-defined]
        raise error from exc
    finally:
        if extract is not None:
            extract.drop(con)
        else:  # a reader that failed half way may have left temp tables
            for (name,) in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE temporary AND table_name LIKE ?",
                [f"_ingest_%_{load_id[:12]}"],
            ).fetchall():
                con.execute(f'DROP TABLE IF EXISTS temp."{name}"')


@contextlib.contextmanager
def open_writer(warehouse: Path, target: str | None = None) -> Iterator[DuckDBWriter]:
    """The raw-layer writer for a target (``LEADSEG_TARGET`` when not given): the DuckDB
    file at ``warehouse``, or PostgreSQL from the PG* variables (leadseg.ingest.postgres)."""
    target = target or os.environ.get("LEADSEG_TARGET") or "duckdb"
    if target == "postgres":
        from leadseg.ingest.postgres import PostgresWriter

        pg_writer = PostgresWriter.connect()
        try:
            yield pg_writer  # type: ignore[misc]
        finally:
            pg_writer.close()
        return
    con = duckdb.connect(str(warehouse))
    try:
        yield DuckDBWriter(con)
    finally:
        con.close()


def _load_files(writer: DuckDBWriter, relation: str, files: list[LandingFile]) -> TableLoadReport:
    report = TableLoadReport(relation)
    writer.ensure_table(RAW_TABLES_BY_RELATION[relation])
    for lf in files:
        try:
            report.files.append(_load_file(writer, lf))
        except LandingFileError as exc:
            detail = getattr(exc, "detail", None)
            report.files.append(detail or FileLoadDetail(lf.rel_path, "failed", message=str(exc)))
            exc.report = report  # type: ignore[attr-defined]
            raise
    return report


def load_table(landing_dir: Path, warehouse: Path, relation: str) -> TableLoadReport:
    """Load every new landing file of one raw table (``salesforce__lead``).

    Files already loaded are skipped; a broken file raises :class:`LandingFileError`
    (files before it stay loaded; the exception's ``report`` attribute has the details).
    """
    if relation not in RAW_TABLES_BY_RELATION:
        known = ", ".join(sorted(RAW_TABLES_BY_RELATION))
        raise ValueError(f"unknown raw table {relation!r}; expected one of {known}")
    files = scan_landing(Path(landing_dir)).files.get(relation, [])
    with open_writer(warehouse) as writer:
        writer.ensure_schema()
        return _load_files(writer, relation, files)


def load_landing(landing_dir: Path, warehouse: Path) -> list[TableLoadReport]:
    """Load every raw table. Tables are independent: a broken file stops its own table,
    the others are still loaded, then a :class:`LandingFileError` naming every broken file
    is raised (its ``reports`` attribute holds all reports)."""
    scan = scan_landing(Path(landing_dir))
    reports: list[TableLoadReport] = []
    errors: list[LandingFileError] = []
    with open_writer(warehouse) as writer:
        writer.ensure_schema()
        for table in RAW_TABLES:
            try:
                reports.append(
                    _load_files(writer, table.relation, scan.files.get(table.relation, []))
                )
            except LandingFileError as exc:
                errors.append(exc)
                reports.append(exc.report)  # type: ignore[attr-defined]
    if errors:
        if len(errors) == 1:
            err = errors[0]
        else:
            err = LandingFileError(
                errors[0].file_path,
                errors[0].problem + "".join(f"\n{e.file_path}: {e.problem}" for e in errors[1:]),
            )
        err.reports = reports  # type: ignore[attr-defined]
        raise err
    return reports
