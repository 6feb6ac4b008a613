"""Row accounting: every row the loader read is staged, quarantined, superseded or
soft-deleted (or erased on a privacy request), per landing file.

Two independent counts meet here: ``raw._load_log.rows_read`` (what the loader counted in
the file) and ``audit.row_accounting`` (what dbt finds in raw and staging). The Dagster
asset check (``orchestration/checks.py``) and the ``leadseg run`` summary both use
:func:`row_accounting`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

FORGET_LOG = "_forget_log"  # rows erased by `leadseg forget`, per file (leadseg/forget.py)


class _Queryable(Protocol):
    def query(self, sql: str, params: Any = ()) -> list[tuple]: ...

    def table_exists(self, schema: str, table: str) -> bool: ...


@dataclass
class FileDifference:
    file_path: str
    loader_rows_read: int
    rows_read: int
    rows_accounted: int  # staged + quarantined + superseded + soft-deleted + forgotten
    rows_forgotten: int

    def describe(self) -> str:
        return (
            f"{self.file_path}: the loader read {self.loader_rows_read:,} rows; raw holds "
            f"{self.rows_read:,} (+ {self.rows_forgotten:,} erased on request); "
            f"{self.rows_accounted:,} are staged, quarantined, superseded, soft-deleted "
            "or erased"
        )


@dataclass
class RowAccounting:
    files: int = 0
    rows_read: int = 0  # the loader's own count (raw._load_log)
    rows_staged: int = 0
    rows_quarantined: int = 0
    rows_superseded: int = 0
    rows_soft_deleted: int = 0
    rows_forgotten: int = 0
    differences: list[FileDifference] = field(default_factory=list)

    @property
    def balances(self) -> bool:
        return not self.differences

    def describe(self) -> str:
        return (
            f"{self.files:,} files, {self.rows_read:,} rows read = {self.rows_staged:,} staged "
            f"+ {self.rows_quarantined:,} quarantined + {self.rows_superseded:,} superseded "
            f"+ {self.rows_soft_deleted:,} soft-deleted + {self.rows_forgotten:,} erased"
        )


def row_accounting(wh: _Queryable) -> RowAccounting | None:
    """Totals and per-file differences; None before the first dbt build."""
    if not (wh.table_exists("audit", "row_accounting") and wh.table_exists("raw", "_load_log")):
        return None
    forgotten = (
        f"select file_path, sum(rows_removed) as n from raw.{FORGET_LOG} group by file_path"
        if wh.table_exists("raw", FORGET_LOG)
        else "select cast(null as varchar) as file_path, 0 as n where 1 = 0"
    )
    rows = wh.query(
        f"""
        with loader as (
            select file_path, sum(rows_read) as rows_read
            from raw._load_log
            where status = 'loaded'
            group by file_path
        ),
        accounting as (
            select
                file_path,
                sum(rows_read) as rows_read,
                sum(rows_staged) as rows_staged,
                sum(rows_quarantined) as rows_quarantined,
                sum(rows_superseded) as rows_superseded,
                sum(rows_soft_deleted) as rows_soft_deleted
            from audit.row_accounting
            group by file_path
        ),
        forgotten as ({forgotten})
        select
            coalesce(loader.file_path, accounting.file_path, forgotten.file_path),
            coalesce(loader.rows_read, 0),
            coalesce(accounting.rows_read, 0),
            coalesce(accounting.rows_staged, 0),
            coalesce(accounting.rows_quarantined, 0),
            coalesce(accounting.rows_superseded, 0),
            coalesce(accounting.rows_soft_deleted, 0),
            coalesce(forgotten.n, 0)
        from loader
        full outer join accounting on accounting.file_path = loader.file_path
        full outer join forgotten
            on forgotten.file_path = coalesce(loader.file_path, accounting.file_path)
        order by 1
        """
    )
    result = RowAccounting()
    for path, loader_read, read, staged, quarantined, superseded, deleted, erased in rows:
        loader_read, read, erased = int(loader_read), int(read), int(erased)
        accounted = int(staged) + int(quarantined) + int(superseded) + int(deleted)
        result.files += 1
        result.rows_read += loader_read
        result.rows_staged += int(staged)
        result.rows_quarantined += int(quarantined)
        result.rows_superseded += int(superseded)
        result.rows_soft_deleted += int(deleted)
        result.rows_forgotten += erased
        if not (loader_read == read + erased and read == accounted):
            result.differences.append(
                FileDifference(path, loader_read, read, accounted + erased, erased)
            )
    return result
