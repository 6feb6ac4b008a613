"""The Dagster code location: it loads, and its graph is wired the way the docs say."""

from __future__ import annotations

import datetime as dt

import pytest
from dagster import AssetKey, build_schedule_context

from leadseg.schema import RAW_TABLES

SPEC_MARTS = [
    "dim_leads",
    "dim_accounts",
    "fct_web_sessions",
    "feat_lead_firmographics",
    "feat_lead_behavior",
    "dim_segments",
    "fct_segment_membership",
    "fct_lead_scores",
]


@pytest.fixture(scope="module")
def defs(dbt_manifest):
    from orchestration.definitions import build_definitions

    return build_definitions()


@pytest.fixture(scope="module")
def asset_graph(defs):
    return defs.resolve_asset_graph()


def test_definitions_load_with_one_job_and_a_daily_schedule(defs):
    job = defs.resolve_job_def("leadseg_all")
    assert job.executor_def.name == "in_process"
    assert defs.resolve_schedule_def("daily_refresh").cron_schedule == "0 5 * * *"


def test_every_raw_table_has_an_ingestion_asset(asset_graph):
    keys = asset_graph.materializable_asset_keys
    for table in RAW_TABLES:
        assert AssetKey(["raw", table.relation]) in keys, table.relation


@pytest.mark.parametrize("mart", SPEC_MARTS)
def test_spec_marts_are_assets(asset_graph, mart):
    assert AssetKey(["marts", mart]) in asset_graph.materializable_asset_keys


def test_dbt_sources_resolve_to_the_ingestion_assets(asset_graph):
    """A source's meta.dagster.asset_key must point at the asset that loads it, so a staging
    model depends on the ingestion asset instead of a dangling external asset."""
    materializable = asset_graph.materializable_asset_keys
    for table in RAW_TABLES:
        raw_key = AssetKey(["raw", table.relation])
        children = asset_graph.get(raw_key).child_keys
        assert children, f"nothing in dbt reads {raw_key.to_user_string()}"
        assert all(child in materializable for child in children)


def test_dbt_tests_arrive_as_asset_checks(asset_graph):
    checks = asset_graph.asset_check_keys
    on_dim_leads = [c for c in checks if c.asset_key == AssetKey(["marts", "dim_leads"])]
    assert any("unique" in c.name for c in on_dim_leads), on_dim_leads


def test_daily_schedule_computes_as_of_the_scheduled_day(defs):
    schedule = defs.resolve_schedule_def("daily_refresh")
    when = dt.datetime(2026, 11, 23, 5, 0, tzinfo=dt.UTC)
    context = build_schedule_context(
        scheduled_execution_time=when, repository_def=defs.get_repository_def()
    )
    request = schedule.evaluate_tick(context)
    run_request = request.run_requests[0]
    from orchestration.config import AS_OF_OPS

    for op in AS_OF_OPS:
        assert run_request.run_config["ops"][op]["config"] == {"as_of_date": "2026-11-23"}
    # yesterday's partition: its events are complete, its features are as of today
    assert run_request.partition_key == "2026-11-22"


def test_assets_computed_as_of_a_date_are_daily_partitioned(asset_graph):
    from orchestration.partitions import event_days

    partitioned = [
        AssetKey(["intermediate", "int_web_events_sessionized"]),
        AssetKey(["intermediate", "int_web_sessions"]),
        AssetKey(["marts", "fct_web_sessions"]),
        AssetKey(["marts", "feat_lead_behavior"]),
        AssetKey(["ml", "lead_predictions"]),
        AssetKey(["marts", "fct_lead_scores"]),
    ]
    for key in partitioned:
        assert asset_graph.get(key).partitions_def == event_days, key.to_user_string()
    # raw tables hold whatever days their files hold; exports send today's segments only
    assert asset_graph.get(AssetKey(["raw", RAW_TABLES[0].relation])).partitions_def is None
    assert asset_graph.get(AssetKey(["exports", "segment_exports"])).partitions_def is None


def test_web_events_job_selects_only_the_web_event_models(defs):
    job = defs.resolve_job_def("web_events")
    selected = {key.path[-1] for key in job.asset_layer.selected_asset_keys}
    assert selected == {
        "int_web_events_sessionized",
        "int_web_sessions",
        "int_lead_events",
        "fct_web_sessions",
    }
    assert job.partitions_def is not None


def test_partition_and_as_of_date_are_one_day_apart():
    from orchestration.partitions import as_of_for_partition, partition_for_as_of

    assert partition_for_as_of("2026-11-02") == "2026-11-01"
    assert as_of_for_partition("2026-11-01") == "2026-11-02"
    with pytest.raises(ValueError, match="LEADSEG_FIRST_EVENT_DAY"):
        partition_for_as_of("2020-01-01")


@pytest.mark.parametrize(
    ("tags", "window"),
    [
        ({}, {}),
        ({"dagster/partition": "2026-10-05"}, {}),
        (
            {"dagster/backfill": "abc"},
            {"web_window_start": "2026-10-05", "web_window_end": "2026-10-06"},
        ),
        (
            {"leadseg/backfill": "leadseg-1"},
            {"web_window_start": "2026-10-05", "web_window_end": "2026-10-06"},
        ),
    ],
)
def test_only_a_backfill_run_limits_the_web_models_to_its_day(tags, window):
    from orchestration.partitions import backfill_window_vars

    assert backfill_window_vars("2026-10-05", tags) == window


def test_an_as_of_date_contradicting_the_partition_is_refused():
    from dagster import build_asset_context

    from orchestration.config import AsOfConfig, resolve_as_of

    context = build_asset_context(partition_key="2026-10-05")
    assert resolve_as_of(AsOfConfig(as_of_date="2026-10-06"), context) == "2026-10-06"
    with pytest.raises(ValueError, match="contradicts partition 2026-10-05"):
        resolve_as_of(AsOfConfig(as_of_date="2026-10-09"), context)


def test_every_as_of_op_exists_in_the_job(defs):
    from orchestration.config import AS_OF_OPS

    job = defs.resolve_job_def("leadseg_all")
    assert set(AS_OF_OPS) <= {node.name for node in job.graph.nodes}


def test_python_assets_sit_between_the_two_dbt_groups(asset_graph):
    """dbt features → scikit-learn → dbt marts on predictions and clusters → exports."""
    features = AssetKey(["intermediate", "int_lead_features_wide"])
    predictions = AssetKey(["ml", "lead_predictions"])
    clusters = AssetKey(["ml", "lead_clusters"])
    assert features in asset_graph.get(predictions).parent_keys
    assert features in asset_graph.get(clusters).parent_keys
    assert predictions in asset_graph.get(AssetKey(["marts", "fct_lead_scores"])).parent_keys
    membership = AssetKey(["marts", "fct_segment_membership"])
    assert clusters in asset_graph.get(membership).parent_keys
    exports = AssetKey(["exports", "segment_exports"])
    assert (
        AssetKey(["activation", "fct_segment_activation"]) in asset_graph.get(exports).parent_keys
    )
    user_agents = AssetKey(["raw", "user_agents"])
    technographics = AssetKey(["marts", "feat_lead_technographics"])
    assert user_agents in asset_graph.get(technographics).parent_keys
