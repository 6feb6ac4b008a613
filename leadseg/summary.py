"""What a run produced, read back from the warehouse: the `leadseg run` summary."""

from __future__ import annotations

from dataclasses import dataclass, field

from .config import Settings
from .ingest.accounting import RowAccounting, row_accounting
from .runner import RunOutcome
from .warehouse import Warehouse, connect


@dataclass
class Summary:
    mart_rows: list[tuple[str, int]] = field(default_factory=list)
    raw_rows: list[tuple[str, int]] = field(default_factory=list)
    quarantine: list[tuple[str, str, int]] = field(default_factory=list)
    segments: list[tuple[str, str, int]] = field(default_factory=list)
    grades: list[tuple[str, int, int]] = field(default_factory=list)
    score_stats: tuple | None = None
    identity: dict[str, object] = field(default_factory=dict)
    accounting: RowAccounting | None = None
    model: tuple | None = None
    exports: list[tuple[str, int]] = field(default_factory=list)

    @property
    def balances(self) -> bool:
        """No landing file has rows unaccounted for (True before the first dbt build)."""
        return self.accounting is None or self.accounting.balances


def collect(settings: Settings) -> Summary:
    summary = Summary()
    with connect(settings) as wh:
        for table in wh.tables("marts"):
            summary.mart_rows.append((table, wh.scalar(f'select count(*) from marts."{table}"')))
        for table in wh.tables("raw"):
            if not table.startswith("_"):
                summary.raw_rows.append((table, wh.scalar(f'select count(*) from raw."{table}"')))
        if wh.table_exists("audit", "quarantined_rows"):
            # Reasons carry the offending value after a colon; group by the kind of problem.
            summary.quarantine = wh.query(
                """
                select source_table, split_part(reason, ':', 1) as reason_kind, count(*)
                from audit.quarantined_rows
                group by 1, 2
                order by 3 desc, 1, 2
                """
            )
        summary.accounting = row_accounting(wh)
        if wh.table_exists("marts", "dim_segments"):
            summary.segments = wh.query(
                "select segment_id, segment_name, member_count from marts.dim_segments"
                " order by member_count desc, segment_id"
            )
        if wh.table_exists("marts", "fct_lead_scores"):
            summary.grades = _latest_scores(wh)
            summary.score_stats = wh.query(
                """
                select count(*), min(lead_score), avg(lead_score), max(lead_score),
                       sum(case when is_mql then 1 else 0 end)
                from marts.fct_lead_scores
                where as_of_date = (select max(as_of_date) from marts.fct_lead_scores)
                """
            )[0]
        if wh.table_exists("ml", "model_evaluations"):
            found = wh.query(
                "select status, message, roc_auc, rule_score_auc, lift_top_decile,"
                " model_version from ml.model_evaluations"
                " where as_of_date = (select max(as_of_date) from ml.model_evaluations)"
            )
            summary.model = found[0] if found else None
        if wh.table_exists("activation", "fct_segment_activation"):
            summary.exports = wh.query(
                "select destination, count(*) from activation.fct_segment_activation"
                " where not is_holdout group by destination order by destination"
            )
        if wh.table_exists("marts", "dim_leads"):
            summary.identity["people"] = wh.scalar("select count(*) from marts.dim_leads")
        if wh.table_exists("marts", "fct_web_sessions"):
            summary.identity["sessions"] = wh.scalar("select count(*) from marts.fct_web_sessions")
            summary.identity["sessions_with_lead"] = wh.scalar(
                "select count(*) from marts.fct_web_sessions where lead_id is not null"
            )
            page_views, known_page_views = wh.query(
                "select sum(page_count), sum(case when lead_id is not null then page_count end)"
                " from marts.fct_web_sessions"
            )[0]
            summary.identity["page_views"] = int(page_views or 0)
            summary.identity["page_views_with_lead"] = int(known_page_views or 0)
        if wh.table_exists("intermediate", "int_identity_merge_conflicts"):
            summary.identity["merge_protections"] = wh.scalar(
                "select count(*) from intermediate.int_identity_merge_conflicts"
            )
    return summary


def _latest_scores(wh: Warehouse) -> list[tuple[str, int, int]]:
    return wh.query(
        """
        select grade, count(*), sum(case when is_mql then 1 else 0 end)
        from marts.fct_lead_scores
        where as_of_date = (select max(as_of_date) from marts.fct_lead_scores)
        group by grade
        order by grade
        """
    )


def _table(headers: list[str], rows: list[tuple], indent: str = "  ") -> str:
    cells = [[str(h) for h in headers]] + [[_fmt(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        lines.append(
            indent
            + "  ".join(
                c.rjust(w) if n and _numeric(c) else c.ljust(w)
                for c, w in zip(row, widths, strict=True)
            ).rstrip()
        )
        if n == 0:
            lines.append(indent + "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return "" if value is None else str(value)


def _numeric(text: str) -> bool:
    return text.replace(",", "").replace(".", "").replace("-", "").isdigit()


# An asset's own Failure already names the asset, the file and the cause: drop the class path.
_DAGSTER_FAILURE = "dagster._core.definitions.events.Failure: "


def _describe_warehouse(settings: Settings) -> str:
    if settings.target == "duckdb":
        return str(settings.warehouse)
    from .ingest.postgres import pg_conninfo

    info = pg_conninfo()
    return f"postgres {info['user']}@{info['host']}:{info['port']}/{info['dbname']}"


def render(summary: Summary, outcome: RunOutcome | None, settings: Settings) -> str:
    out: list[str] = []
    if outcome is not None:
        status = "succeeded" if outcome.ok else "FAILED"
        out.append(
            f"leadseg run {status} (as of {outcome.as_of}, target {settings.target}, "
            f"run {outcome.run_id[:8]}): {len(outcome.materialized)} assets materialised, "
            f"{sum(c.passed for c in outcome.checks)}/{len(outcome.checks)} checks passed"
        )
    out.append(f"warehouse: {_describe_warehouse(settings)}")
    if summary.raw_rows:
        out += ["", "Raw rows loaded", _table(["table", "rows"], summary.raw_rows)]
    if summary.mart_rows:
        out += ["", "Rows per mart (schema marts)", _table(["mart", "rows"], summary.mart_rows)]
    total_q = sum(r[2] for r in summary.quarantine)
    out += ["", f"Rows quarantined: {total_q:,} (audit.quarantined_rows)"]
    if summary.quarantine:
        out.append(_table(["source table", "reason", "rows"], summary.quarantine))
    if summary.accounting is not None:
        verdict = "balances" if summary.accounting.balances else "DOES NOT BALANCE"
        out += ["", f"Row accounting {verdict}: {summary.accounting.describe()}"]
        out += [f"  {d.describe()}" for d in summary.accounting.differences[:20]]
    if summary.identity:
        people = summary.identity.get("people")
        sessions = summary.identity.get("sessions") or 0
        known = summary.identity.get("sessions_with_lead") or 0
        share = f"{100.0 * known / sessions:.1f}%" if sessions else "n/a"
        out += [
            "",
            f"People: {people:,}; web sessions: {sessions:,} ({share} tied to a known lead)",
        ]
        views = summary.identity.get("page_views") or 0
        known_views = summary.identity.get("page_views_with_lead") or 0
        view_share = f"{100.0 * known_views / views:.1f}%" if views else "n/a"
        out.append(
            f"Identity: {people or 0:,} people; {view_share} of {views:,} page views attributed"
            f" to a known lead; {summary.identity.get('merge_protections', 0):,} merges"
            " refused by merge protection (intermediate.int_identity_merge_conflicts)"
        )
    if summary.segments:
        out += ["", "Segment sizes", _table(["segment", "name", "members"], summary.segments)]
    if summary.score_stats:
        n, lo, avg, hi, mql = summary.score_stats
        out += [
            "",
            f"Lead scores (latest as-of date): {n:,} leads, score min {_fmt(lo)} / "
            f"mean {_fmt(float(avg or 0))} / max {_fmt(hi)}, {mql or 0:,} MQLs",
            _table(["grade", "leads", "MQLs"], summary.grades),
        ]
    if summary.model:
        status, message, auc, rule_auc, lift, version = summary.model
        out += ["", f"Predictive model: {status} ({version or 'no new model'})"]
        if auc is not None:
            out.append(
                f"  ROC AUC {auc:.3f} vs rule score {rule_auc or float('nan'):.3f}"
                f" on the latest complete snapshot; top-decile lift {lift or 0:.2f}"
            )
        out.append(f"  {message}")
    if summary.exports:
        listed = ", ".join(f"{n:,} {dest} rows" for dest, n in summary.exports)
        out += [
            "",
            f"Exports: {listed} in activation.fct_segment_activation (holdouts excluded;"
            " opted-out leads never reach an email file), written under the export folder",
        ]
    if outcome is not None:
        if outcome.failed_steps:
            out += ["", "Failed steps:"]
            out += [
                f"  {step}: {msg.removeprefix(_DAGSTER_FAILURE)}"
                for step, msg in zip(outcome.failed_steps, outcome.failure_messages, strict=True)
            ]
        if outcome.failed_error_checks:
            out += ["", "Failed error-severity checks:"]
            out += [f"  {c.asset} / {c.check}" for c in outcome.failed_error_checks]
        if outcome.failed_warning_checks:
            out += [
                "",
                f"Warnings: {len(outcome.failed_warning_checks)} warn-severity checks failed",
            ]
            out += [f"  {c.asset} / {c.check}" for c in outcome.failed_warning_checks[:20]]
    return "\n".join(out)
