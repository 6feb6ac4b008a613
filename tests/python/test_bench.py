"""The pure parts of the benchmark (leadseg.bench): no pipeline run, a few seconds."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from leadseg.bench.results import HEADER, ResultRow, append_results
from leadseg.bench.run import BASELINE_SQL, baseline_blocks
from leadseg.bench.scale import volumes
from leadseg.bench.steps import (
    OVERHEAD_DAGSTER,
    OVERHEAD_DBT,
    attribute,
    node_steps,
    share_wall_time,
    step_of_dagster_key,
    step_of_path,
)
from leadseg.generate.nextday import land_next_day


def test_scale_to_volumes() -> None:
    one = volumes(1)
    assert (one.leads, one.accounts, one.page_views, one.email_events) == (
        100_000,
        10_000,
        2_500_000,
        1_000_000,
    )
    ten = volumes(10)
    assert (ten.leads, ten.page_views, ten.email_events) == (1_000_000, 25_000_000, 10_000_000)
    kwargs = volumes(0.1).generate_kwargs()
    assert kwargs["leads"] == 10_000 and kwargs["accounts"] == 1_000
    assert kwargs["page_views_per_lead"] == pytest.approx(25.0)
    assert kwargs["email_events_per_lead"] == pytest.approx(10.0)
    assert kwargs["days"] == 365
    with pytest.raises(ValueError):
        volumes(0)
    with pytest.raises(ValueError):
        volumes(0.0001)  # 10 leads


@pytest.mark.parametrize(
    ("path", "step"),
    [
        ("models/staging/segment/base/base_segment__pages.sql", "staging"),
        ("models/intermediate/identity/int_identity_edges.sql", "identity"),
        ("models/intermediate/people/int_people.sql", "identity"),
        ("models/intermediate/web/int_web_sessions.sql", "sessions"),
        ("models/marts/features/feat_lead_behavior.sql", "features"),
        ("models/intermediate/segments/int_segment_rule_evaluations.sql", "segments"),
        ("models/marts/scoring/fct_lead_scores.sql", "scores"),
        ("models/activation/fct_segment_activation.sql", "exports"),
        ("seeds/geo/countries.csv", "reference seeds"),
        ("models/somewhere_new/x.sql", "other dbt"),
    ],
)
def test_dbt_files_map_to_steps_by_folder(path: str, step: str) -> None:
    assert step_of_path(path) == step


def test_dagster_steps_map_to_python_steps() -> None:
    assert step_of_dagster_key("raw__segment__pages") == "ingestion"
    assert step_of_dagster_key("raw__user_agents") == "user agents (Python)"
    assert step_of_dagster_key("ml__lead_predictions") == "ML models (Python)"
    assert step_of_dagster_key("exports__segment_exports") == "exports"
    assert step_of_dagster_key("something_new") == "other Python"
    assert step_of_dagster_key("leadseg_dbt_assets") is None  # timed per dbt node
    assert step_of_dagster_key("leadseg_dbt_after_ml_assets") is None


def test_tests_count_toward_the_model_they_test() -> None:
    manifest = {
        "nodes": {
            "model.p.int_web_sessions": {
                "resource_type": "model",
                "original_file_path": "models/intermediate/web/int_web_sessions.sql",
            },
            "test.p.unique_session": {
                "resource_type": "test",
                "original_file_path": "models/intermediate/web/_web__models.yml",
                "attached_node": "model.p.int_web_sessions",
            },
            "test.p.source_not_null": {
                "resource_type": "test",
                "original_file_path": "models/staging/segment/_sources.yml",
                "depends_on": {"nodes": ["source.p.segment.pages"]},
            },
        },
        "unit_tests": {
            "unit_test.p.int_web_sessions.gap": {
                "resource_type": "unit_test",
                "original_file_path": "models/intermediate/web/_web__models.yml",
                "depends_on": {"nodes": ["model.p.int_web_sessions"]},
            }
        },
    }
    steps = node_steps(manifest)
    assert steps["test.p.unique_session"] == "sessions"
    assert steps["unit_test.p.int_web_sessions.gap"] == "sessions"
    assert steps["test.p.source_not_null"] == "staging"


def test_concurrent_nodes_share_wall_time() -> None:
    shares = share_wall_time({"a": (0.0, 4.0), "b": (2.0, 4.0), "c": (5.0, 6.0)})
    assert shares == pytest.approx({"a": 3.0, "b": 1.0, "c": 1.0})
    assert sum(shares.values()) == pytest.approx(5.0)  # the union, not the sum of lengths


def test_attribute_adds_up_to_the_run() -> None:
    manifest = {
        "nodes": {
            "model.p.stg": {"resource_type": "model", "original_file_path": "models/staging/s.sql"}
        }
    }
    stamp = dt.datetime.fromtimestamp(30, dt.UTC).isoformat()
    done = dt.datetime.fromtimestamp(36, dt.UTC).isoformat()
    run_results = {
        "results": [
            {
                "unique_id": "model.p.stg",
                "status": "success",
                "timing": [{"name": "execute", "started_at": stamp, "completed_at": done}],
            }
        ]
    }
    dagster = [("raw__segment__pages", 10.0, 20.0), ("leadseg_dbt_assets", 25.0, 40.0)]
    times = attribute((0.0, 50.0), dagster, [(manifest, run_results)])
    assert times.seconds["ingestion"] == pytest.approx(10.0)
    assert times.seconds["staging"] == pytest.approx(6.0)
    assert times.seconds[OVERHEAD_DBT] == pytest.approx(9.0)
    assert times.seconds[OVERHEAD_DAGSTER] == pytest.approx(25.0)
    assert sum(times.seconds.values()) == pytest.approx(50.0)


def _row(step: str) -> ResultRow:
    return ResultRow("2026-11-23", "abc1234", 0.1, step, 1.23456, 100, 512.4)


def test_results_csv_is_created_and_appended(tmp_path: Path) -> None:
    path = tmp_path / "results.csv"
    append_results(path, [_row("full: staging")])
    append_results(path, [_row("full: total")])
    rows = list(csv.reader(path.open()))
    assert rows[0] == HEADER
    assert rows[1] == ["2026-11-23", "abc1234", "0.1", "full: staging", "1.235", "100", "512"]
    assert [r[3] for r in rows[1:]] == ["full: staging", "full: total"]


def test_results_csv_with_the_old_header_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "results.csv"
    path.write_text(
        "date,commit,leads,step,seconds,rows,peak_mib\n"
        "2026-11-01,6693978,20000,dbt stg,12.500,,1700\n"
    )
    append_results(path, [_row("full: total")])
    rows = list(csv.DictReader(path.open()))
    assert list(rows[0]) == HEADER
    assert rows[0]["scale"] == "0.2" and rows[0]["step"] == "dbt stg"
    assert rows[0]["seconds"] == "12.500" and rows[0]["peak_mib"] == "1700"
    assert rows[1]["step"] == "full: total"


def _page(message_id: str, at: str) -> dict:
    return {
        "type": "page",
        "messageId": message_id,
        "anonymousId": "anon-1",
        "timestamp": at,
        "sentAt": at,
        "receivedAt": at,
        "properties": {"path": "/pricing"},
    }


def test_next_day_slice_writes_only_the_next_day(tmp_path: Path) -> None:
    seg = tmp_path / "segment"
    (seg / "pages").mkdir(parents=True)
    (seg / "tracks").mkdir()
    day = [_page(f"p{i}", f"2026-11-01T0{i}:00:00Z") for i in range(5)]
    lines = [json.dumps(r) for r in day] + [
        "{not json",
        json.dumps(_page("old", "2026-10-31T23:00:00Z")),
    ]
    (seg / "pages" / "2026-11-01.jsonl.gz").write_bytes(gzip.compress("\n".join(lines).encode()))
    (seg / "pages" / "2026-10-31.jsonl.gz").write_bytes(gzip.compress(json.dumps(day[0]).encode()))
    track = {
        **_page("t1", "2026-11-01 10:00:00.123 UTC"),
        "type": "track",
        "event": "Demo Requested",
    }
    (seg / "tracks" / "2026-11-01.jsonl").write_text(json.dumps(track) + "\n")
    identifies = pa.table(
        {
            "id": ["i1", "i2"],
            "timestamp": ["2026-11-01T08:00:00Z", "2026-10-30T08:00:00Z"],
            "received_at": ["2026-11-01T08:00:01Z", "2026-10-30T08:00:01Z"],
            "email": ["a@b.com", "c@d.com"],
        }
    )
    pq.write_table(identifies, seg / "identifies.parquet")

    written = land_next_day(tmp_path, dt.date(2026, 11, 1), limit={"pages": 3})
    assert written == {"pages": 3, "tracks": 1, "identifies": 1}

    pages = [
        json.loads(line)
        for line in gzip.decompress(
            (seg / "pages" / "2026-11-02.jsonl.gz").read_bytes()
        ).splitlines()
    ]
    assert len(pages) == 3
    for page in pages:
        for key in ("timestamp", "sentAt", "receivedAt"):
            assert page[key].startswith("2026-11-02T")
        assert page["messageId"].endswith("-20261102")
    tracks = [json.loads(x) for x in (seg / "tracks" / "2026-11-02.jsonl").read_text().splitlines()]
    assert tracks[0]["timestamp"] == "2026-11-02 10:00:00.123 UTC"
    ident = pq.read_table(seg / "identifies" / "2026-11-02.parquet").to_pylist()
    assert ident == [
        {
            "id": "i1-20261102",
            "timestamp": "2026-11-02T08:00:00Z",
            "received_at": "2026-11-02T08:00:01Z",
            "email": "a@b.com",
        }
    ]
    # existing files are untouched; landing the same day twice is refused
    assert (seg / "pages" / "2026-11-01.jsonl.gz").read_bytes().startswith(b"\x1f\x8b")
    with pytest.raises(FileExistsError):
        land_next_day(tmp_path, dt.date(2026, 11, 1))


def test_baseline_script_has_the_compared_steps() -> None:
    steps = [step for step, _ in baseline_blocks(BASELINE_SQL.read_text())]
    assert steps == ["staging", "identity", "sessions", "features", "segments", "scores"]
