"""Segments on the demo pipeline: rule validation, starter segments of every type, cluster
personas, membership reasons and the overlap matrix."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
from _support import rows, run_dbt, scalar

from leadseg.config import PROJECT_DIR, Settings

BAD_RULES = [
    ("bad_unknown_column", "no_such_column >= 2"),
    ("bad_type", "seniority = 5"),
    ("bad_syntax", "(pricing_page_views_30d >= 2 and"),
]


def test_invalid_rules_fail_naming_each_segment_and_write_nothing(
    wh, demo_settings: Settings, tmp_path: Path
):
    warehouse = tmp_path / "wh.duckdb"
    shutil.copy2(demo_settings.warehouse, warehouse)
    con = duckdb.connect(str(warehouse))
    for segment_id, rule in BAD_RULES:
        con.execute(
            "insert into reference.segment_definitions (segment_id, segment_name, description,"
            " owner, segment_type, basis, rule_sql, activation_destinations, is_active)"
            " values (?, ?, '', 'test', 'behavioural', 'implicit', ?, null, true)",
            [segment_id, segment_id, rule],
        )
    before = con.execute(
        "select count(*), max(as_of_date) from intermediate.int_segment_rule_evaluations"
    ).fetchone()
    con.close()

    vars_ = json.dumps({"as_of_date": "2026-11-03"})  # a new day: would add rows if it ran
    proc = run_dbt(
        PROJECT_DIR,
        warehouse,
        tmp_path,
        "run",
        "--select",
        "int_segment_rule_evaluations",
        "--vars",
        vars_,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output[-3000:]
    assert "segment 'bad_unknown_column': unknown column 'no_such_column'" in output, output
    assert "segment 'bad_type': type mismatch: seniority is text" in output, output
    assert "segment 'bad_syntax': syntax error" in output, output
    # the valid starter segments are not named: only the broken ones are
    assert "segment 'geo_emea'" not in output

    con = duckdb.connect(str(warehouse), read_only=True)
    after = con.execute(
        "select count(*), max(as_of_date) from intermediate.int_segment_rule_evaluations"
    ).fetchone()
    con.close()
    assert after == before


def test_starter_segments_cover_every_type_of_the_field(wh):
    kinds = dict(
        rows(
            wh,
            "select segment_type, count(*) from marts.dim_segments"
            " where kind = 'rule' and is_active group by 1",
        )
    )
    assert sum(kinds.values()) >= 12
    for segment_type in (
        "geographic",
        "demographic",
        "firmographic",
        "behavioural",
        "technographic",
        "psychographic",
    ):
        assert kinds.get(segment_type, 0) >= 1, (segment_type, kinds)
    bases = {b for (b,) in rows(wh, "select distinct basis from marts.dim_segments")}
    assert {"explicit", "implicit"} <= bases
    empty = rows(
        wh,
        "select segment_id from marts.dim_segments"
        " where kind = 'rule' and is_active and member_count = 0",
    )
    assert empty == [], "starter segments without a single member on the demo data"


def test_cluster_segments_have_readable_personas(wh):
    clusters = rows(
        wh,
        "select segment_id, segment_name, description, member_count from marts.dim_segments"
        " where kind = 'cluster' order by segment_id",
    )
    assert len(clusters) >= 3
    for segment_id, name, description, members in clusters:
        assert segment_id.startswith("cluster_")
        assert (
            members > 0
            and name
            and "leads" in description
            and "×" in description
            or ("%" in description)
        ), (segment_id, name, description)
    leads_today = scalar(
        wh,
        "select count(*) from intermediate.int_lead_features_wide"
        " where as_of_date = (select max(as_of_date) from intermediate.int_lead_features_wide)",
    )
    clustered = scalar(
        wh,
        "select count(distinct lead_id) from marts.fct_segment_membership"
        " where segment_kind = 'cluster' and is_current",
    )
    assert clustered == leads_today


def test_entry_reasons_show_the_values_of_every_rule_input(wh):
    missing = rows(
        wh,
        """
        select membership.segment_id, membership.entry_reason
        from marts.fct_segment_membership as membership
        inner join marts.dim_segments as segments on segments.segment_id = membership.segment_id
        where segments.kind = 'rule' and membership.is_current
            and (membership.entry_reason is null or membership.entry_reason not like '%=%')
        limit 5
        """,
    )
    assert missing == []
    reason = scalar(
        wh,
        "select entry_reason from marts.fct_segment_membership"
        " where segment_id = 'behav_pricing_abandoners' and is_current limit 1",
    )
    fields = dict(part.split("=") for part in reason.split("; "))
    assert set(fields) == {"pricing_page_views_30d", "demo_requests_90d", "trial_starts_90d"}
    assert int(fields["pricing_page_views_30d"]) >= 2
    assert fields["demo_requests_90d"] == "0"


def test_overlap_matrix_is_symmetric_and_consistent_with_membership(wh):
    asymmetric = rows(
        wh,
        """
        select a.segment_id, a.other_segment_id
        from marts.fct_segment_overlap as a
        left join marts.fct_segment_overlap as b
            on b.segment_id = a.other_segment_id and b.other_segment_id = a.segment_id
        where b.shared_member_count is distinct from a.shared_member_count
        """,
    )
    assert asymmetric == []
    executives_in_emea = scalar(
        wh,
        """
        select count(*) from marts.fct_segment_membership as a
        inner join marts.fct_segment_membership as b
            on a.lead_id = b.lead_id and a.is_current and b.is_current
        where a.segment_id = 'demo_executives' and b.segment_id = 'geo_emea'
        """,
    )
    in_matrix = scalar(
        wh,
        "select shared_member_count from marts.fct_segment_overlap"
        " where segment_id = 'demo_executives' and other_segment_id = 'geo_emea'",
    )
    assert executives_in_emea > 0 and in_matrix == executives_in_emea
