"""`leadseg report`: a readable report with charts, from the session's demo warehouse."""

from __future__ import annotations

from pathlib import Path

import pytest
from _support import rows, scalar

from leadseg.cli import main
from leadseg.config import Settings
from leadseg.report import ReportData, SegmentRow, chart_segments, render_markdown, write_report

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == PNG_MAGIC, f"{path.name} is not a PNG"
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


@pytest.fixture(scope="module")
def report(wh, demo_settings: Settings, tmp_path_factory: pytest.TempPathFactory):
    return write_report(demo_settings, tmp_path_factory.mktemp("report"))


def test_report_writes_markdown_html_and_three_charts(report):
    assert report.markdown.is_file() and report.html.is_file()
    assert sorted(p.name for p in report.charts) == [
        "lead_scores.png",
        "quarantine.png",
        "segment_sizes.png",
    ]
    for chart in report.charts:
        width, height = _png_size(chart)
        assert width >= 800 and height >= 250, (chart.name, width, height)
        assert chart.stat().st_size > 10_000, f"{chart.name} looks empty"
    page = report.html.read_text()
    for chart in report.charts:
        assert f'src="{chart.name}"' in page
        assert f"]({chart.name})" in report.markdown.read_text()


def test_report_numbers_match_the_warehouse(report, wh):
    text = report.markdown.read_text()
    as_of = scalar(wh, "select max(as_of_date) from marts.fct_lead_scores")
    latest = f"as_of_date = date '{as_of}'"
    leads = scalar(wh, f"select count(*) from marts.fct_lead_scores where {latest}")
    mqls = scalar(wh, f"select count(*) from marts.fct_lead_scores where {latest} and is_mql")
    assert f"**{leads:,}** leads scored, **{mqls:,}** marketing-qualified" in text
    for name, members in rows(wh, "select segment_name, member_count from marts.dim_segments"):
        assert f"| {name} | {members:,} |" in text, name
    quarantined = scalar(wh, "select count(*) from audit.quarantined_rows")
    assert f"**{quarantined:,}** rows quarantined" in text
    for grade, n in rows(
        wh, f"select grade, count(*) from marts.fct_lead_scores where {latest} group by 1"
    ):
        assert f"| {grade} | {n:,} |" in text, grade
    status, message = rows(wh, "select status, message from ml.model_evaluations")[0]
    assert f"## Predictive model\n\n**{status}** — {message}" in text


def test_report_shows_a_published_model_against_the_rule_score(tmp_path):
    data = ReportData(
        as_of="2026-11-02",
        model=("published", "published v1", 0.867, 0.718, 6.08, 0.0111),
        calibration=[(1, 100, 0.01, 0.0), (2, 100, 0.2, 0.25)],
    )
    text = render_markdown(data, {"segments": "a.png", "scores": "b.png", "quarantine": "c.png"})
    assert "| ROC AUC (model) | 0.867 |" in text
    assert "| ROC AUC (rule score, same leads) | 0.718 |" in text
    assert "| lift in the top decile | 6.08× |" in text
    assert "| 2 | 100 | 0.200 | 0.250 |" in text


def test_report_command_defaults_to_the_export_folder(
    wh, demo_settings: Settings, tmp_path, capsys
):
    export_dir = tmp_path / "exports"
    code = main(
        [
            "report",
            "--warehouse",
            str(demo_settings.warehouse),
            "--export-dir",
            str(export_dir),
            "--landing",
            str(demo_settings.landing_dir),
        ]
    )
    assert code == 0
    assert (export_dir / "report" / "index.html").is_file()
    assert (export_dir / "report" / "segment_sizes.png").is_file()
    assert "report written to" in capsys.readouterr().out


def test_report_on_an_empty_warehouse_says_to_run_first(tmp_path, capsys):
    import duckdb

    warehouse = tmp_path / "empty.duckdb"
    duckdb.connect(str(warehouse)).close()
    code = main(["report", "--warehouse", str(warehouse), "--export-dir", str(tmp_path)])
    assert code == 2
    assert "leadseg run" in capsys.readouterr().err


def test_growth_since_the_previous_as_of_date_is_shown(tmp_path):
    data = ReportData(
        as_of="2026-11-02",
        previous_as_of="2026-11-01",
        segments=[
            SegmentRow("s1", "Hot enterprise", 120, 100),
            SegmentRow("s2", "Dormant", 40, 55),
        ],
        scores=[10.0, 80.0],
        mql_flags=[False, True],
        grades=[("A", 1, 1), ("D", 1, 0)],
    )
    text = render_markdown(data, {"segments": "a.png", "scores": "b.png", "quarantine": "c.png"})
    assert "| Hot enterprise | 120 | +20 |" in text
    assert "| Dormant | 40 | -15 |" in text
    assert "No rows were quarantined." in text
    _png_size(chart_segments(data, tmp_path / "growth.png"))


def test_growth_comes_from_the_report_history(wh, demo_settings: Settings, tmp_path):
    segment_id, members = rows(
        wh, "select segment_id, member_count from marts.dim_segments order by segment_id"
    )[0]
    history = tmp_path / "segment_history.csv"
    history.write_text(f"as_of_date,segment_id,members\n2000-01-01,{segment_id},{members - 5}\n")
    files = write_report(demo_settings, tmp_path)
    text = files.markdown.read_text()
    assert "change since 2000-01-01" in text
    assert f"| {members:,} | +5 |" in text
    # this run's sizes are added to the history for the next report
    assert f"{demo_settings.as_of.isoformat()},{segment_id},{members}" in history.read_text()
