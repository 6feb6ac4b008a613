"""Personas: seeded k-means segments with generated, readable profiles."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from leadseg.ml.clustering import ClusterConfig, cluster_leads, run_clustering
from leadseg.warehouse import Warehouse

AS_OF = dt.date(2026, 11, 1)


def leads_with_planted_segments(seed: int = 11) -> pd.DataFrame:
    """Three groups: pricing researchers at large companies, webinar fans, and quiet leads."""
    rng = np.random.default_rng(seed)
    groups = [("pricing", 60), ("webinar", 90), ("quiet", 150)]
    rows = []
    for group, size in groups:
        for _ in range(size):
            rows.append(
                {
                    "lead_id": f"lead_{len(rows):04d}",
                    "as_of_date": AS_OF,
                    "seniority": "vp"
                    if group == "pricing"
                    else str(rng.choice(["manager", "director"])),
                    "employee_band": "1001-5000" if group == "pricing" else "11-50",
                    "employee_band_order": 6 if group == "pricing" else 3,
                    "pricing_page_views_30d": int(rng.poisson(9 if group == "pricing" else 0.2)),
                    "webinar_registrations_90d": int(rng.poisson(3 if group == "webinar" else 0.1)),
                    "page_views_30d": int(rng.poisson(2 if group == "quiet" else 12)),
                    "days_since_last_visit": None
                    if group == "quiet" and rng.random() < 0.5
                    else int(rng.integers(0, 30)),
                    "is_business_email": bool(rng.random() < 0.8),
                }
            )
    return pd.DataFrame(rows)


def test_same_seed_gives_the_same_clusters() -> None:
    frame = leads_with_planted_segments()
    config = ClusterConfig(k=4, random_state=5)
    first = cluster_leads(frame, config, AS_OF)
    again = cluster_leads(frame, config, AS_OF)
    shuffled = cluster_leads(frame.sample(frac=1.0, random_state=1), config, AS_OF)

    for other in (again, shuffled):
        pd.testing.assert_frame_equal(first.assignments, other.assignments)
        pd.testing.assert_frame_equal(first.profiles, other.profiles)
    assert list(first.profiles["segment_id"]) == [
        "cluster_1",
        "cluster_2",
        "cluster_3",
        "cluster_4",
    ]
    sizes = list(first.profiles["lead_count"])
    assert sizes == sorted(sizes, reverse=True) and sum(sizes) == len(frame)


def test_profile_names_the_planted_segment() -> None:
    frame = leads_with_planted_segments()
    result = cluster_leads(frame, ClusterConfig(k=3), AS_OF)
    members = result.assignments.merge(frame, on="lead_id")
    pricing_segment = members.groupby("segment_id")["pricing_page_views_30d"].mean().idxmax()
    profile = result.profiles.set_index("segment_id").loc[pricing_segment]

    assert profile["lead_count"] == 60
    assert "pricing researchers" in profile["segment_name"].lower()
    assert profile["description"].startswith("60 leads (20% of all). Compared with all leads:")
    assert "the pricing page views in 30 days" in profile["description"]
    assert "mostly VP titles (100% vs 20%)" in profile["description"]
    assert len(set(result.profiles["segment_name"])) == 3


def test_k_is_clamped_to_the_data() -> None:
    frame = leads_with_planted_segments().head(3)
    result = cluster_leads(frame, ClusterConfig(k=5), AS_OF)
    assert result.k <= 3
    assert "asked for 5" in result.message
    empty = cluster_leads(frame.iloc[:0], ClusterConfig(), AS_OF)
    assert empty.k == 0 and empty.assignments.empty and empty.profiles.empty


def test_run_clustering_replaces_the_dates_rows(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "wh.duckdb"))
    con.execute("create schema intermediate")
    con.register("frame", leads_with_planted_segments())
    con.execute("create table intermediate.int_lead_features_wide as select * from frame")
    con.unregister("frame")
    wh = Warehouse(con, "duckdb")
    config = ClusterConfig(k=3)

    first = run_clustering(wh, AS_OF, config)
    stored = wh.query("select * from ml.cluster_profiles order by segment_id")
    run_clustering(wh, AS_OF, config)

    assert wh.scalar("select count(*) from ml.lead_clusters") == 300
    assert wh.query("select * from ml.cluster_profiles order by segment_id") == stored
    assert [r[0] for r in stored] == ["cluster_1", "cluster_2", "cluster_3"]
    assert first.metadata()["leads"] == 300


def test_kept_clusters_give_existing_leads_the_same_segment_the_next_day(tmp_path: Path):
    """Day 2 brings many new webinar fans: refitted, k-means would renumber the segments by
    size (webinar fans would become cluster_1); with the kept model every existing lead keeps
    its segment and the model is not refitted."""
    config = ClusterConfig(k=3, model_dir=tmp_path / "models", refit_days=28)
    wh = Warehouse(duckdb.connect(str(tmp_path / "wh.duckdb")), "duckdb")
    day1 = leads_with_planted_segments()
    wh.con.execute("create schema intermediate")
    wh.con.register("day1", day1)
    wh.con.execute("create table intermediate.int_lead_features_wide as select * from day1")
    first = run_clustering(wh, AS_OF, config)
    assert first.refitted and (tmp_path / "models" / "clusters.joblib").exists()

    fans = leads_with_planted_segments(seed=12)
    fans = fans[fans["webinar_registrations_90d"] >= 2]
    day2 = pd.concat([fans] * 4).assign(as_of_date=AS_OF + dt.timedelta(days=1))
    day2["lead_id"] = [f"new_{i:04d}" for i in range(len(day2))]
    both = pd.concat([day1.assign(as_of_date=AS_OF + dt.timedelta(days=1)), day2])
    refitted = cluster_leads(both, ClusterConfig(k=3), AS_OF + dt.timedelta(days=1))
    fresh = dict(
        zip(refitted.assignments["lead_id"], refitted.assignments["segment_id"], strict=True)
    )
    wh.con.register("day2_all", both)
    wh.con.execute("insert into intermediate.int_lead_features_wide select * from day2_all")
    second = run_clustering(wh, AS_OF + dt.timedelta(days=1), config)
    assert not second.refitted
    assert "fitted on 2026-11-01" in second.message
    before = dict(zip(first.assignments["lead_id"], first.assignments["segment_id"], strict=True))
    after = dict(zip(second.assignments["lead_id"], second.assignments["segment_id"], strict=True))
    assert all(after[lead] == segment for lead, segment in before.items())
    assert any(fresh[lead] != segment for lead, segment in before.items())  # the test has teeth

    # after refit_days the clusters are fitted again
    later = AS_OF + dt.timedelta(days=28)
    wh.con.execute(
        "insert into intermediate.int_lead_features_wide"
        f" select * replace (date '{later}' as as_of_date) from day1"
    )
    assert run_clustering(wh, later, config).refitted
    wh.con.close()
