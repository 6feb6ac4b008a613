"""Asset checks written in Python: row accounting of every landing file.

``audit__row_accounting_balances`` compares two independent counts per landing file: the
loader's own ``raw._load_log.rows_read`` and dbt's ``audit.row_accounting`` (rows staged +
quarantined + superseded + soft-deleted, plus rows erased by ``leadseg forget``). Any
difference fails the check (ERROR severity), so ``leadseg run`` fails too.
"""

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetKey,
    MetadataValue,
    asset_check,
)

from leadseg.ingest.accounting import row_accounting
from leadseg.warehouse import connect

from .resources import LeadsegPaths, warehouse_settings

ROW_ACCOUNTING_KEY = AssetKey(["audit", "row_accounting"])


@asset_check(
    asset=ROW_ACCOUNTING_KEY,
    name="rows_read_equal_rows_accounted_for",
    blocking=False,
    description=(
        "For every landing file: rows the loader read (raw._load_log) = rows staged + "
        "quarantined + superseded + soft-deleted (audit.row_accounting) + erased on request."
    ),
)
def row_accounting_check(
    context: AssetCheckExecutionContext, paths: LeadsegPaths
) -> AssetCheckResult:
    with connect(warehouse_settings(paths)) as wh:
        accounting = row_accounting(wh)
    if accounting is None:
        return AssetCheckResult(
            passed=False,
            severity=AssetCheckSeverity.ERROR,
            description="audit.row_accounting or raw._load_log does not exist",
        )
    for difference in accounting.differences[:20]:
        context.log.error(difference.describe())
    return AssetCheckResult(
        passed=accounting.balances,
        severity=AssetCheckSeverity.ERROR,
        description=accounting.describe()
        + ("" if accounting.balances else f"; {len(accounting.differences)} file(s) differ"),
        metadata={
            "files": accounting.files,
            "rows_read": accounting.rows_read,
            "rows_staged": accounting.rows_staged,
            "rows_quarantined": accounting.rows_quarantined,
            "rows_superseded": accounting.rows_superseded,
            "rows_soft_deleted": accounting.rows_soft_deleted,
            "rows_forgotten": accounting.rows_forgotten,
            "files_that_differ": MetadataValue.md(
                "\n".join(f"- {d.describe()}" for d in accounting.differences[:50]) or "none"
            ),
        },
    )


asset_checks = [row_accounting_check]
