"""End-to-end: the small demo data set, materialised through Dagster, checked in the marts."""

from __future__ import annotations

import pytest
from _support import DEMO_AS_OF, DEMO_LEADS, DEMO_SEED, rows, scalar
from test_orchestration import SPEC_MARTS


def test_run_succeeded_with_every_error_check_passing(pipeline, wh):
    assert pipeline.ok
    assert pipeline.checks, "dbt tests should arrive as asset checks"
    assert not pipeline.failed_error_checks


@pytest.mark.parametrize("mart", SPEC_MARTS)
def test_every_spec_mart_has_rows(wh, mart):
    assert scalar(wh, f"select count(*) from marts.{mart}") > 0


@pytest.mark.parametrize(
    ("mart", "grain"),
    [
        ("dim_leads", "lead_id"),
        ("dim_accounts", "account_id"),
        ("fct_web_sessions", "session_id"),
        ("dim_segments", "segment_id"),
        ("feat_lead_firmographics", "lead_id, as_of_date"),
        ("feat_lead_demographics", "lead_id, as_of_date"),
        ("feat_lead_behavior", "lead_id, as_of_date"),
        ("fct_lead_scores", "lead_id, as_of_date"),
        ("fct_segment_membership", "lead_id, segment_id, entered_at"),
    ],
)
def test_mart_grain_is_unique(wh, mart, grain):
    dupes = scalar(
        wh,
        f"select count(*) from (select {grain} from marts.{mart}"
        f" group by {grain} having count(*) > 1)",
    )
    assert dupes == 0


def test_every_staged_lead_and_contact_is_a_person_in_dim_leads(wh):
    missing = rows(
        wh,
        """
        with crm as (
            select 'lead:' || lead_id as identifier from staging.stg_salesforce__leads
            union all
            select 'contact:' || contact_id from staging.stg_salesforce__contacts
        )
        select crm.identifier
        from crm
        left join intermediate.int_identity_resolved as resolved
            on crm.identifier = resolved.identifier
        left join marts.dim_leads as leads on resolved.lead_id = leads.lead_id
        where leads.lead_id is null
        """,
    )
    assert missing == []


def test_converted_lead_and_its_contact_are_one_person(wh):
    pairs = rows(
        wh,
        """
        select lead_side.lead_id = contact_side.lead_id
        from staging.stg_salesforce__leads as leads
        inner join staging.stg_salesforce__contacts as contacts
            on leads.converted_contact_id = contacts.contact_id
        inner join intermediate.int_identity_resolved as lead_side
            on lead_side.identifier = 'lead:' || leads.lead_id
        inner join intermediate.int_identity_resolved as contact_side
            on contact_side.identifier = 'contact:' || contacts.contact_id
        """,
    )
    assert len(pairs) > 10, "the demo data should hold converted leads"
    assert all(same for (same,) in pairs)


def test_people_are_fewer_than_crm_records_because_duplicates_merge(wh):
    crm_records = scalar(
        wh,
        "select (select count(*) from staging.stg_salesforce__leads)"
        " + (select count(*) from staging.stg_salesforce__contacts)",
    )
    people_in_crm = scalar(wh, "select count(*) from marts.dim_leads where is_in_crm")
    assert 0 < people_in_crm < crm_records


def test_scores_are_in_range_and_consistent(wh):
    bad = scalar(
        wh,
        """
        select count(*) from marts.fct_lead_scores
        where lead_score <> fit_score + engagement_score
           or grade not in ('A', 'B', 'C', 'D')
           or engagement_level not between 1 and 4
           or conversion_probability not between 0 and 1
           or is_mql <> (lead_score >= 60)
        """,
    )
    assert bad == 0
    assert scalar(wh, "select max(as_of_date) from marts.fct_lead_scores") == DEMO_AS_OF


def test_scores_rank_leads_that_converted_above_those_that_did_not(wh):
    by_outcome = dict(
        rows(
            wh,
            """
            select leads.is_customer or leads.lifecycle_stage in ('sql', 'opportunity'),
                   avg(scores.fit_score)
            from marts.fct_lead_scores as scores
            inner join marts.dim_leads as leads on scores.lead_id = leads.lead_id
            group by 1
            """,
        )
    )
    assert by_outcome[True] > by_outcome[False]


def test_every_score_has_its_components(wh):
    mismatched = scalar(
        wh,
        """
        select count(*)
        from marts.fct_lead_scores as scores
        left join (
            select lead_id, as_of_date, sum(points) as points
            from marts.fct_lead_score_components
            group by 1, 2
        ) as components
            on scores.lead_id = components.lead_id and scores.as_of_date = components.as_of_date
        where scores.lead_score <> coalesce(components.points, 0)
        """,
    )
    assert mismatched == 0


def test_segment_member_counts_match_current_membership(wh):
    mismatched = rows(
        wh,
        """
        select segments.segment_id, segments.member_count, count(membership.lead_id)
        from marts.dim_segments as segments
        left join marts.fct_segment_membership as membership
            on segments.segment_id = membership.segment_id and membership.is_current
        group by 1, 2
        having segments.member_count <> count(membership.lead_id)
        """,
    )
    assert mismatched == []
    assert scalar(wh, "select count(*) from marts.dim_segments where kind = 'rule'") >= 12


def test_sessions_tie_a_share_of_page_views_to_known_leads(wh):
    known, total, bots = rows(
        wh,
        """
        select sum(case when lead_id is not null then page_count else 0 end),
               sum(page_count),
               sum(case when is_bot then 1 else 0 end)
        from marts.fct_web_sessions
        """,
    )[0]
    assert 0.2 < known / total < 0.95
    assert bots > 0, "the demo data carries bot user agents"


def test_every_raw_row_is_staged_quarantined_superseded_or_deleted(wh):
    unbalanced = rows(
        wh,
        """
        select file_path, rows_read, rows_staged, rows_quarantined, rows_superseded,
               rows_soft_deleted
        from audit.row_accounting
        where rows_read <> rows_staged + rows_quarantined + rows_superseded + rows_soft_deleted
        """,
    )
    assert unbalanced == []
    raw_total = scalar(wh, "select sum(rows_read) from raw._load_log where status = 'loaded'")
    accounted = scalar(wh, "select sum(rows_read) from audit.row_accounting")
    assert raw_total == accounted


def test_the_generators_bad_rows_are_all_quarantined_with_file_row_and_reason(wh, demo_landing):
    from leadseg.generate import generate

    # Regenerating into a scratch folder is cheap and tells how many bad rows were planted.
    planted = generate(demo_landing.parent / "recount", leads=DEMO_LEADS, seed=DEMO_SEED).bad_rows
    quarantined = dict(
        rows(wh, "select source_table, count(*) from audit.quarantined_rows group by 1")
    )
    assert planted
    for table, count in planted.items():
        assert quarantined.get(table.replace("/", "__"), 0) >= count, table
    incomplete = scalar(
        wh,
        "select count(*) from audit.quarantined_rows"
        " where file_path is null or file_row_number is null or coalesce(reason, '') = ''",
    )
    assert incomplete == 0
