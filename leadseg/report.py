"""`leadseg report`: the latest run as a short report with charts, for the marketing team.

Writes into one folder (default ``<export dir>/report/``):

- ``report.md`` and ``index.html``: the same report, as Markdown and as a page to open;
- ``segment_sizes.png``: members per segment, with the change since the previous as-of
  date when the warehouse holds one;
- ``lead_scores.png``: how scores are spread (MQLs highlighted) and leads/MQLs per grade;
- ``quarantine.png``: rows set aside by the loader or staging, by table and reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
from dataclasses import dataclass, field
from pathlib import Path

from .config import Settings
from .warehouse import Warehouse, connect

# Colours that stay apart for colour-blind readers (Okabe-Ito), plus a neutral grey.
BLUE, ORANGE, GREEN, GREY = "#0072B2", "#E69F00", "#009E73", "#9E9E9E"


@dataclass
class SegmentRow:
    segment_id: str
    name: str
    members: int
    previous: int | None = None  # members at the previous as-of date, when known

    @property
    def change(self) -> int | None:
        return None if self.previous is None else self.members - self.previous


@dataclass
class ReportData:
    as_of: str | None = None
    previous_as_of: str | None = None
    segments: list[SegmentRow] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    mql_flags: list[bool] = field(default_factory=list)
    grades: list[tuple[str, int, int]] = field(default_factory=list)  # grade, leads, MQLs
    quarantine: list[tuple[str, str, int]] = field(default_factory=list)  # table, reason, rows
    # status, message, ROC AUC, rule score AUC, top-decile lift, Brier score
    model: tuple | None = None
    calibration: list[tuple[int, int, float, float]] = field(default_factory=list)

    @property
    def leads_scored(self) -> int:
        return len(self.scores)

    @property
    def mqls(self) -> int:
        return sum(self.mql_flags)


@dataclass
class ReportFiles:
    folder: Path
    markdown: Path
    html: Path
    charts: list[Path]


def collect(wh: Warehouse) -> ReportData:
    data = ReportData()
    if wh.table_exists("marts", "fct_lead_scores"):
        data.as_of = _iso(wh.scalar("select max(as_of_date) from marts.fct_lead_scores"))
        rows = wh.query(
            """
            select lead_score, is_mql
            from marts.fct_lead_scores
            where as_of_date = (select max(as_of_date) from marts.fct_lead_scores)
            """
        )
        data.scores = [float(s) for s, _ in rows if s is not None]
        data.mql_flags = [bool(m) for s, m in rows if s is not None]
        data.grades = [
            (str(g), int(n), int(m or 0))
            for g, n, m in wh.query(
                """
                select grade, count(*), sum(case when is_mql then 1 else 0 end)
                from marts.fct_lead_scores
                where as_of_date = (select max(as_of_date) from marts.fct_lead_scores)
                group by grade
                order by grade
                """
            )
        ]
    if wh.table_exists("marts", "dim_segments"):
        data.segments = [
            SegmentRow(str(i), str(n), int(c or 0))
            for i, n, c in wh.query(
                "select segment_id, segment_name, member_count from marts.dim_segments"
                " order by member_count desc, segment_id"
            )
        ]
    if data.segments and wh.table_exists("marts", "fct_segment_membership"):
        _add_growth(wh, data)
    if wh.table_exists("ml", "model_evaluations"):
        _add_model(wh, data)
    if wh.table_exists("audit", "quarantined_rows"):
        data.quarantine = [
            (str(t), str(r), int(n))
            for t, r, n in wh.query(
                """
                select source_table, split_part(reason, ':', 1) as reason_kind, count(*)
                from audit.quarantined_rows
                group by 1, 2
                order by 3 desc, 1, 2
                """
            )
        ]
    return data


def _add_model(wh: Warehouse, data: ReportData) -> None:
    """The latest training run's verdict and, when it published, its calibration."""
    found = wh.query(
        "select status, message, roc_auc, rule_score_auc, lift_top_decile, brier_score,"
        " model_version, as_of_date from ml.model_evaluations"
        " order by as_of_date desc, trained_at desc limit 1"
    )
    if not found:
        return
    *model, version, as_of = found[0]
    data.model = tuple(model)
    if version is not None and wh.table_exists("ml", "model_calibration"):
        data.calibration = [
            (int(b), int(n), float(p), float(o))
            for b, n, p, o in wh.query(
                "select bin, lead_count, mean_predicted, observed_rate from ml.model_calibration"
                " where model_version = ? and as_of_date = ? order by bin",
                (version, as_of),
            )
        ]


def _maybe(value: float | None, fmt: str) -> str:
    return "—" if value is None else fmt.format(value)


def _iso(value: object) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)[:10]


def _add_growth(wh: Warehouse, data: ReportData) -> None:
    """Members per segment at the previous evaluation date, from the membership spells."""
    if not wh.table_exists("intermediate", "int_segment_rule_evaluations"):
        return
    dates = [
        _iso(d)
        for (d,) in wh.query(
            "select distinct as_of_date from intermediate.int_segment_rule_evaluations"
            " order by as_of_date desc limit 2"
        )
    ]
    if len(dates) < 2:
        return
    data.previous_as_of = dates[1]
    previous = dict(
        wh.query(
            "select segment_id, count(distinct lead_id) from marts.fct_segment_membership"
            " where entered_at <= cast(? as timestamp)"
            " and (exited_at is null or exited_at > cast(? as timestamp))"
            " group by segment_id",
            (dates[1], dates[1]),
        )
    )
    for row in data.segments:
        row.previous = int(previous.get(row.segment_id, 0))


HISTORY_FILE = "segment_history.csv"


def _growth_from_history(data: ReportData, path: Path) -> None:
    """Keep segment sizes per as-of date beside the report; growth is measured against the
    latest earlier date there, unless the warehouse itself already held a history."""
    history: dict[str, dict[str, int]] = {}
    if path.exists():
        with path.open(newline="") as fh:
            for row in csv.DictReader(fh):
                history.setdefault(row["as_of_date"], {})[row["segment_id"]] = int(row["members"])
    if data.as_of is None:
        return
    history[data.as_of] = {s.segment_id: s.members for s in data.segments}
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["as_of_date", "segment_id", "members"])
        for as_of in sorted(history):
            for segment_id, members in sorted(history[as_of].items()):
                writer.writerow([as_of, segment_id, members])
    earlier = [d for d in history if d < data.as_of]
    if data.previous_as_of is not None or not earlier:
        return
    data.previous_as_of = max(earlier)
    for row in data.segments:
        row.previous = history[data.previous_as_of].get(row.segment_id, 0)


# charts ---------------------------------------------------------------------------------


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "font.size": 11,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titleweight": "bold",
            "axes.titlesize": 14,
        }
    )
    return plt


def chart_segments(data: ReportData, path: Path) -> Path:
    plt = _pyplot()
    rows = list(reversed(data.segments))  # largest on top
    fig, ax = plt.subplots(figsize=(10, max(3.0, 0.55 * len(rows) + 1.6)))
    labels = [r.name for r in rows]
    counts = [r.members for r in rows]
    bars = ax.barh(labels, counts, color=BLUE)
    top = max(counts, default=0) or 1
    for bar, row in zip(bars, rows, strict=True):
        text = f"{row.members:,}"
        if row.change is not None:
            text += f"  ({row.change:+,})"
        ax.text(
            bar.get_width() + top * 0.01,
            bar.get_y() + bar.get_height() / 2,
            text,
            va="center",
            fontsize=10,
            color=GREEN
            if (row.change or 0) > 0
            else ("#B22222" if (row.change or 0) < 0 else "black"),
        )
    ax.set_xlim(0, top * 1.25)
    ax.set_xlabel("leads in the segment")
    title = f"Segment sizes{f' as of {data.as_of}' if data.as_of else ''}"
    if data.previous_as_of:
        title += f" (change since {data.previous_as_of} in brackets)"
    ax.set_title(title, loc="left")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def chart_scores(data: ReportData, path: Path) -> Path:
    plt = _pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8), width_ratios=[3, 2])
    mql = [s for s, m in zip(data.scores, data.mql_flags, strict=True) if m]
    other = [s for s, m in zip(data.scores, data.mql_flags, strict=True) if not m]
    lo, hi = min(data.scores, default=0), max(data.scores, default=1)
    bins = 20 if hi > lo else 1
    left.hist(
        [other, mql],
        bins=bins,
        range=(lo, hi if hi > lo else lo + 1),
        stacked=True,
        color=[GREY, ORANGE],
        label=[f"not MQL ({len(other):,})", f"MQL ({len(mql):,})"],
    )
    left.set_title("How lead scores are spread", loc="left")
    left.set_xlabel("lead score")
    left.set_ylabel("leads")
    left.legend(frameon=False)
    left.grid(axis="y", alpha=0.3)

    grades = [g for g, _, _ in data.grades]
    leads = [n for _, n, _ in data.grades]
    mqls = [m for _, _, m in data.grades]
    positions = range(len(grades))
    right.bar([p - 0.2 for p in positions], leads, width=0.4, color=BLUE, label="leads")
    right.bar([p + 0.2 for p in positions], mqls, width=0.4, color=ORANGE, label="MQLs")
    for p, n, m in zip(positions, leads, mqls, strict=True):
        right.text(p - 0.2, n, f"{n:,}", ha="center", va="bottom", fontsize=9)
        right.text(p + 0.2, m, f"{m:,}", ha="center", va="bottom", fontsize=9)
    right.set_xticks(list(positions), grades)
    right.set_xlabel("grade")
    right.set_title("Leads and MQLs per grade", loc="left")
    right.legend(frameon=False)
    right.grid(axis="y", alpha=0.3)
    fig.suptitle(
        f"{data.leads_scored:,} leads scored, {data.mqls:,} MQLs"
        + (f" (as of {data.as_of})" if data.as_of else ""),
        x=0.01,
        ha="left",
        fontsize=12,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def chart_quarantine(data: ReportData, path: Path) -> Path:
    plt = _pyplot()
    rows = list(reversed(data.quarantine[:12]))
    fig, ax = plt.subplots(figsize=(10, max(2.6, 0.5 * len(rows) + 1.6)))
    if rows:
        labels = [f"{_table_label(t)}: {r.replace('_', ' ')}" for t, r, _ in rows]
        counts = [n for _, _, n in rows]
        bars = ax.barh(labels, counts, color=ORANGE)
        top = max(counts)
        for bar, n in zip(bars, counts, strict=True):
            ax.text(
                bar.get_width() + top * 0.01,
                bar.get_y() + bar.get_height() / 2,
                f"{n:,}",
                va="center",
                fontsize=10,
            )
        ax.set_xlim(0, top * 1.15)
        ax.set_xlabel("rows set aside")
        ax.grid(axis="x", alpha=0.3)
    else:
        ax.axis("off")
        ax.text(0.5, 0.5, "No rows were quarantined", ha="center", va="center", fontsize=14)
    total = sum(n for _, _, n in data.quarantine)
    shown = (
        f" (the {len(rows)} largest of {len(data.quarantine)} reasons)"
        if len(data.quarantine) > len(rows)
        else ""
    )
    # title over the whole figure: the long reason labels push the axes to the right
    fig.suptitle(
        f"Quarantined rows by reason: {total:,} in all{shown}",
        x=0.01,
        ha="left",
        fontsize=14,
        fontweight="bold",
    )
    ax.xaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _table_label(relation: str) -> str:
    """``salesforce__opportunity_contact_role`` -> ``Salesforce opportunity contact role``."""
    source, _, table = relation.partition("__")
    return f"{source.capitalize()} {table.replace('_', ' ')}".strip()


# text -----------------------------------------------------------------------------------


def _md_table(headers: list[str], rows: list[list[object]]) -> list[str]:
    def cell(v: object) -> str:
        if isinstance(v, int) and not isinstance(v, bool):
            return f"{v:,}"
        return "" if v is None else str(v).replace("|", "\\|")

    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return out


def render_markdown(data: ReportData, charts: dict[str, str]) -> str:
    out = [f"# Lead segmentation report{f' — as of {data.as_of}' if data.as_of else ''}", ""]
    share = f"{100.0 * data.mqls / data.leads_scored:.1f}%" if data.leads_scored else "n/a"
    total_q = sum(n for _, _, n in data.quarantine)
    out += [
        f"- **{data.leads_scored:,}** leads scored, **{data.mqls:,}** marketing-qualified "
        f"({share}).",
        f"- **{len(data.segments)}** segments; largest: "
        + (f"{data.segments[0].name} ({data.segments[0].members:,})." if data.segments else "—."),
        f"- **{total_q:,}** rows quarantined (not used until fixed at the source).",
        "",
        "## Segment sizes",
        "",
        f"![Segment sizes]({charts['segments']})",
        "",
    ]
    growth = data.previous_as_of is not None
    headers = ["segment", "members"] + ([f"change since {data.previous_as_of}"] if growth else [])
    out += _md_table(
        headers,
        [
            [s.name, s.members] + ([f"{s.change:+,}"] if growth and s.change is not None else [])
            for s in data.segments
        ],
    )
    if not growth:
        out += ["", "_Growth appears once the warehouse holds a second as-of date._"]
    out += [
        "",
        "## Lead scores and MQLs",
        "",
        f"![Lead scores]({charts['scores']})",
        "",
    ]
    out += _md_table(["grade", "leads", "MQLs"], [[g, n, m] for g, n, m in data.grades])
    if data.scores:
        ordered = sorted(data.scores)
        median = ordered[len(ordered) // 2]
        out += [
            "",
            f"Scores run from {ordered[0]:,.0f} to {ordered[-1]:,.0f} (median {median:,.0f}).",
        ]
    if data.model:
        status, message, auc, rule_auc, lift, brier = data.model
        out += ["", "## Predictive model", "", f"**{status}** — {message}", ""]
        if auc is not None:
            out += _md_table(
                ["measure", "value"],
                [
                    ["ROC AUC (model)", f"{auc:.3f}"],
                    [
                        "ROC AUC (rule score, same leads)",
                        "—" if rule_auc is None else f"{rule_auc:.3f}",
                    ],
                    ["lift in the top decile", _maybe(lift, "{:.2f}×")],
                    ["Brier score", _maybe(brier, "{:.4f}")],
                ],
            )
        if data.calibration:
            out += ["", "Calibration on the evaluation snapshot (predicted vs observed):", ""]
            out += _md_table(
                ["bin", "leads", "mean predicted", "observed"],
                [[b, n, f"{p:.3f}", f"{o:.3f}"] for b, n, p, o in data.calibration],
            )
    out += [
        "",
        "## Quarantined rows",
        "",
        f"![Quarantined rows]({charts['quarantine']})",
        "",
    ]
    if data.quarantine:
        out += _md_table(["table", "reason", "rows"], [list(r) for r in data.quarantine])
    else:
        out.append("No rows were quarantined.")
    out.append("")
    return "\n".join(out)


def render_html(markdown: str) -> str:
    """A small page from the Markdown above: headings, bullets, tables and images."""
    body: list[str] = []
    in_table = in_list = False
    for line in markdown.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            if set(line) <= set("|-"):
                continue
            if not in_table:
                body.append("<table>")
                in_table = True
                tag = "th"
            else:
                tag = "td"
            body.append("<tr>" + "".join(f"<{tag}>{_inline(c)}</{tag}>" for c in cells) + "</tr>")
            continue
        if in_table:
            body.append("</table>")
            in_table = False
        if line.startswith("- "):
            if not in_list:
                body.append("<ul>")
                in_list = True
            body.append(f"<li>{_inline(line[2:])}</li>")
            continue
        if in_list:
            body.append("</ul>")
            in_list = False
        if line.startswith("## "):
            body.append(f"<h2>{html.escape(line[3:])}</h2>")
        elif line.startswith("# "):
            body.append(f"<h1>{html.escape(line[2:])}</h1>")
        elif line.startswith("!["):
            alt, src = line[2:].split("](", 1)
            body.append(f'<img src="{html.escape(src[:-1])}" alt="{html.escape(alt)}">')
        elif line.strip():
            body.append(f"<p>{_inline(line)}</p>")
    if in_table:
        body.append("</table>")
    if in_list:
        body.append("</ul>")
    style = (
        "body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;color:#222}"
        "img{max-width:100%}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border-bottom:1px solid #ddd;padding:4px 12px;text-align:left}"
    )
    return (
        '<!doctype html><html><head><meta charset="utf-8"><title>leadseg report</title>'
        f"<style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def _inline(text: str) -> str:
    escaped = html.escape(text.replace("\\|", "|"))
    parts = escaped.split("**")
    escaped = "".join(f"<b>{p}</b>" if i % 2 else p for i, p in enumerate(parts))
    parts = escaped.split("_")
    if len(parts) == 3 and not parts[0] and not parts[2]:
        escaped = f"<i>{parts[1]}</i>"
    return escaped


def write_report(settings: Settings, out_dir: Path | None = None) -> ReportFiles:
    """Read the warehouse, draw the charts and write the report; returns what it wrote."""
    folder = Path(out_dir) if out_dir is not None else settings.export_dir / "report"
    folder.mkdir(parents=True, exist_ok=True)
    with connect(settings) as wh:
        data = collect(wh)
    if not data.scores and not data.segments:
        raise ValueError(f"no scores or segments in {settings.warehouse}; run `leadseg run` first")
    _growth_from_history(data, folder / HISTORY_FILE)
    charts = {
        "segments": chart_segments(data, folder / "segment_sizes.png"),
        "scores": chart_scores(data, folder / "lead_scores.png"),
        "quarantine": chart_quarantine(data, folder / "quarantine.png"),
    }
    markdown = render_markdown(data, {k: p.name for k, p in charts.items()})
    md_path = folder / "report.md"
    md_path.write_text(markdown)
    html_path = folder / "index.html"
    html_path.write_text(render_html(markdown))
    return ReportFiles(folder, md_path, html_path, list(charts.values()))
