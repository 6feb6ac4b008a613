"""The predictive score on synthetic snapshots with a planted signal (no pipeline run needed)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from leadseg.ml import store
from leadseg.ml.phrases import describe
from leadseg.ml.predictive import (
    MIN_REASON_WEIGHT,
    PUBLISHED,
    REFUSED_BELOW_AUC_FLOOR,
    REFUSED_TOO_FEW_CONVERSIONS,
    ModelConfig,
    load_labelled_snapshots,
    reason_columns,
    reason_family,
    run_conversion_model,
)
from leadseg.warehouse import Warehouse

SNAPSHOTS = [dt.date(2026, 7, 1), dt.date(2026, 8, 1), dt.date(2026, 9, 1), dt.date(2026, 10, 1)]
AS_OF = dt.date(2026, 11, 1)
SENIORITIES = ["individual_contributor", "manager", "director", "vp", "c_level"]
REASON = re.compile(r"^[+\u2212] [^;]+(; [+\u2212] [^;]+)*$")


def synthetic_snapshots(
    dates: list[dt.date], leads: int = 400, signal: float = 1.0, seed: int = 7
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Features, labels and a weak rule score; conversion depends on pricing views, seniority
    and business email when `signal` > 0 (pure noise at 0)."""
    rng = np.random.default_rng(seed)
    features, labels, rules = [], [], []
    for date in dates:
        n = leads
        seniority = rng.choice(SENIORITIES, size=n)
        pricing = rng.poisson(1.0, size=n)
        business = rng.random(n) < 0.7
        visited = rng.random(n) < 0.8
        senior = np.isin(seniority, ["vp", "c_level"])
        logit = -1.6 + signal * (0.9 * pricing + 1.2 * senior + 1.0 * business - 1.0)
        converted = rng.random(n) < 1 / (1 + np.exp(-logit))
        for i in range(n):
            lead_id = f"lead_{i:04d}"
            features.append(
                {
                    "lead_id": lead_id,
                    "as_of_date": date,
                    "seniority": str(seniority[i]),
                    "department": str(rng.choice(["marketing", "sales", "engineering"])),
                    "lifecycle_stage": "customer" if converted[i] else "lead",  # leaky on purpose
                    "is_business_email": bool(business[i]),
                    "has_title": True,
                    "pricing_page_views_30d": int(pricing[i]),
                    "page_views_30d": int(rng.poisson(4)),
                    "days_since_last_visit": int(rng.integers(0, 120)) if visited[i] else None,
                    "employee_band_order": int(rng.integers(1, 9)),
                }
            )
            labels.append(
                {
                    "lead_id": lead_id,
                    "as_of_date": date,
                    "is_converted_within_horizon": bool(converted[i]),
                    "is_label_complete": True,
                }
            )
            rules.append(
                {
                    "lead_id": lead_id,
                    "as_of_date": date,
                    "lead_score": 10.0 * business[i] + rng.normal(0, 12),
                }
            )
    return pd.DataFrame(features), pd.DataFrame(labels), pd.DataFrame(rules)


def load_warehouse(
    path: Path,
    features: pd.DataFrame,
    labels: pd.DataFrame,
    rules: pd.DataFrame | None = None,
) -> Warehouse:
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists intermediate")
    tables = {"int_lead_features_wide": features, "int_lead_conversion_labels": labels}
    if rules is not None:
        tables["int_lead_rule_scores"] = rules
    for name, frame in tables.items():
        con.register("frame", frame)
        con.execute(f"create or replace table intermediate.{name} as select * from frame")
        con.unregister("frame")
    con.execute(
        "alter table intermediate.int_lead_features_wide"
        " alter as_of_date type date; "
        "alter table intermediate.int_lead_conversion_labels alter as_of_date type date"
    )
    return Warehouse(con, "duckdb")


def demo_warehouse(path: Path, signal: float = 1.0, seed: int = 7) -> Warehouse:
    """Four complete snapshots plus the current date (whose outcome is not known yet)."""
    features, labels, rules = synthetic_snapshots([*SNAPSHOTS, AS_OF], signal=signal, seed=seed)
    labels.loc[labels["as_of_date"] == AS_OF, "is_label_complete"] = False
    return load_warehouse(path, features, labels, rules)


@pytest.fixture
def config(tmp_path: Path) -> ModelConfig:
    return ModelConfig(model_dir=tmp_path / "models", min_conversions=50)


def published_version(model_dir: Path) -> str | None:
    pointer = model_dir / "published.json"
    return json.loads(pointer.read_text())["version"] if pointer.exists() else None


def test_publishes_a_model_that_beats_the_rule_score(tmp_path: Path, config: ModelConfig) -> None:
    wh = demo_warehouse(tmp_path / "wh.duckdb")
    result = run_conversion_model(wh, AS_OF, config)

    assert result.status == PUBLISHED, result.message
    # Clearly better than the rule score, but not suspiciously perfect (a leaked label is).
    assert result.metrics["rule_score_auc"] + 0.1 < result.metrics["roc_auc"] < 0.95
    assert result.metrics["lift_top_decile"] > 1.5
    assert published_version(config.model_dir) == result.version
    assert (config.model_dir / f"{result.version}.joblib").exists()
    assert result.version.startswith(f"conv-{AS_OF.isoformat()}-")

    rows = wh.query(
        "select count(*), count(distinct model_version), min(conversion_probability),"
        " max(conversion_probability) from ml.lead_predictions where as_of_date = ?",
        (AS_OF,),
    )
    assert rows[0][:2] == (400, 1)
    assert 0 < rows[0][2] < rows[0][3] < 1
    evaluation = wh.query(
        "select status, is_published, roc_auc, rule_score_auc, train_rows, eval_rows"
        " from ml.model_evaluations where as_of_date = ?",
        (AS_OF,),
    )
    assert evaluation == [
        (
            PUBLISHED,
            True,
            pytest.approx(result.metrics["roc_auc"]),
            pytest.approx(result.metrics["rule_score_auc"]),
            1200,
            400,
        )
    ]
    calibration = wh.query(
        "select count(*), sum(lead_count) from ml.model_calibration where as_of_date = ?",
        (AS_OF,),
    )
    assert calibration == [(10, 400)]


def test_refuses_a_model_below_the_auc_floor_and_keeps_the_previous_one(
    tmp_path: Path, config: ModelConfig
) -> None:
    good = run_conversion_model(demo_warehouse(tmp_path / "good.duckdb"), AS_OF, config)
    assert good.status == PUBLISHED

    later = AS_OF + dt.timedelta(days=7)
    noisy_dates = [d + dt.timedelta(days=7) for d in SNAPSHOTS]
    features, labels, rules = synthetic_snapshots([*noisy_dates, later], signal=0.0, seed=3)
    labels.loc[labels["as_of_date"] == later, "is_label_complete"] = False
    noisy = load_warehouse(tmp_path / "noisy.duckdb", features, labels, rules)
    strict = ModelConfig(model_dir=config.model_dir, min_conversions=50, auc_floor=0.99)
    result = run_conversion_model(noisy, later, strict)

    assert result.status == REFUSED_BELOW_AUC_FLOOR
    assert not result.is_published
    assert "below the floor 0.990" in result.message
    assert published_version(config.model_dir) == good.version
    assert (config.model_dir / "rejected" / f"{result.version}.joblib").exists()
    assert not (config.model_dir / f"{result.version}.joblib").exists()
    served = noisy.query(
        "select distinct model_version from ml.lead_predictions where as_of_date = ?", (later,)
    )
    assert served == [(good.version,)]
    assert result.serving_version == good.version
    assert noisy.query("select status, is_published from ml.model_evaluations") == [
        (REFUSED_BELOW_AUC_FLOOR, False)
    ]


def test_refuses_to_train_with_too_few_conversions(tmp_path: Path) -> None:
    wh = demo_warehouse(tmp_path / "wh.duckdb")
    config = ModelConfig(model_dir=tmp_path / "models", min_conversions=10_000)
    result = run_conversion_model(wh, AS_OF, config)

    assert result.status == REFUSED_TOO_FEW_CONVERSIONS
    conversions = result.counts["train_conversions"]
    assert 0 < conversions < 10_000
    assert f"only {conversions} conversions" in result.message
    assert "at least 10000 are needed" in result.message
    assert "rule score still runs" in result.message
    assert result.version is None and result.serving_version is None
    assert not config.model_dir.exists() or not any(config.model_dir.iterdir())
    assert wh.scalar("select count(*) from ml.lead_predictions") == 0
    assert wh.query("select status, model_version from ml.model_evaluations") == [
        (REFUSED_TOO_FEW_CONVERSIONS, None)
    ]


def test_no_leakage_time_split_and_incomplete_labels(tmp_path: Path, config: ModelConfig) -> None:
    features, labels, rules = synthetic_snapshots([*SNAPSHOTS, AS_OF, dt.date(2026, 12, 1)])
    # The latest snapshot looks complete to the warehouse but is after the run date; the
    # current date's outcome is unknown: neither may be trained or evaluated on.
    labels.loc[labels["as_of_date"] == AS_OF, "is_label_complete"] = False
    labels.loc[labels["as_of_date"] == AS_OF, "is_converted_within_horizon"] = True
    wh = load_warehouse(tmp_path / "wh.duckdb", features, labels, rules)

    labelled = load_labelled_snapshots(wh, AS_OF)
    assert sorted(set(labelled["as_of_date"])) == SNAPSHOTS

    result = run_conversion_model(wh, AS_OF, config)
    assert result.train_dates == tuple(SNAPSHOTS[:-1])
    assert result.eval_dates == (SNAPSHOTS[-1],)
    assert max(result.train_dates) < min(result.eval_dates)
    assert result.counts["train_rows"] + result.counts["eval_rows"] == 4 * 400

    two = ModelConfig(model_dir=tmp_path / "m2", min_conversions=50, eval_snapshots=2)
    result = run_conversion_model(wh, AS_OF, two, write=False)
    assert result.train_dates == tuple(SNAPSHOTS[:2])
    assert result.eval_dates == tuple(SNAPSHOTS[2:])


def test_score_reasons_are_phrases_matching_the_values(tmp_path: Path, config: ModelConfig) -> None:
    wh = demo_warehouse(tmp_path / "wh.duckdb")
    run_conversion_model(wh, AS_OF, config)
    scored = store.read_frame(
        wh,
        "select p.score_reasons, p.conversion_probability, f.pricing_page_views_30d,"
        " f.is_business_email, f.seniority"
        " from ml.lead_predictions p join intermediate.int_lead_features_wide f"
        " using (lead_id, as_of_date) order by p.conversion_probability desc",
    )
    assert all(REASON.match(r) for r in scored["score_reasons"]), scored["score_reasons"].head()

    top = scored.iloc[0]
    views = int(top["pricing_page_views_30d"])
    assert f"+ {views} pricing page views in 30 days" in top["score_reasons"]
    bottom = scored.iloc[-1]
    assert "\u2212 " in bottom["score_reasons"]
    for reason in scored["score_reasons"]:
        assert "lifecycle" not in reason  # the leaky column is never a feature

    free_mail = scored[~scored["is_business_email"].astype(bool)]
    assert any("\u2212 free-mail address" in r for r in free_mail["score_reasons"])
    assert not any("business email" in r for r in free_mail["score_reasons"])
    no_views = scored[scored["pricing_page_views_30d"] == 0]
    assert any("\u2212 no pricing page views in 30 days" in r for r in no_views["score_reasons"])


def _reason_columns_one_lead_at_a_time(
    terms: pd.DataFrame, config: ModelConfig
) -> list[tuple[list[str], list[str]]]:
    """The definition `reason_columns` computes for all leads at once, spelled out per lead."""
    families: dict[str, list[str]] = {}
    for column in terms.columns:
        families.setdefault(reason_family(column), []).append(column)
    chosen = []
    for _, weights in terms.iterrows():
        pushes = []
        for members in families.values():
            member_weights = [(weights[c], c) for c in members]
            net = sum(w for w, _ in member_weights)
            if abs(net) <= MIN_REASON_WEIGHT:
                continue
            strongest = max(member_weights) if net > 0 else min(member_weights)
            pushes.append((float(net), strongest[1]))
        ups = sorted((p for p in pushes if p[0] > 0), key=lambda p: (-p[0], p[1]))
        downs = sorted((p for p in pushes if p[0] < 0), key=lambda p: (p[0], p[1]))
        chosen.append(
            (
                [c for _, c in ups[: config.max_reasons_up]],
                [c for _, c in downs[: config.max_reasons_down]],
            )
        )
    return chosen


def test_reason_columns_follow_the_per_lead_definition_including_ties(
    config: ModelConfig,
) -> None:
    """Coarse weights make ties common: equal nets, equal members, nets on the threshold."""
    columns = sorted(
        [
            "emails_bounced_30d",
            "emails_bounced_90d",
            "page_views_7d",
            "page_views_30d",
            "page_views_90d",
            "page_views_prev_30d",
            "seniority",
            "region",
            "is_business_email",
            "days_since_last_visit",
        ]
    )
    rng = np.random.default_rng(3)
    weights = rng.integers(-4, 5, size=(2000, len(columns))) * MIN_REASON_WEIGHT
    weights[::17] = -0.0
    terms = pd.DataFrame(weights, columns=columns)
    for limits in [(3, 2), (1, 4), (0, 0), (20, 20), (-1, -2)]:
        cfg = ModelConfig(
            model_dir=config.model_dir, max_reasons_up=limits[0], max_reasons_down=limits[1]
        )
        assert reason_columns(terms, cfg) == _reason_columns_one_lead_at_a_time(terms, cfg)


def test_phrases_describe_the_actual_value() -> None:
    assert describe("seniority", {"seniority": "vp"}) == "VP title"
    assert describe("pricing_page_views_30d", {"pricing_page_views_30d": 4}) == (
        "4 pricing page views in 30 days"
    )
    assert describe("pricing_page_views_30d", {"pricing_page_views_30d": 1}) == (
        "1 pricing page view in 30 days"
    )
    assert describe("pricing_page_views_30d", {"pricing_page_views_30d": 0}) == (
        "no pricing page views in 30 days"
    )
    assert describe("is_business_email", {"is_business_email": False}) == "free-mail address"
    assert describe("days_since_last_visit", {"days_since_last_visit": 120}) == (
        "no visit in 90+ days"
    )
    assert describe("days_since_last_visit", {"days_since_last_visit": None}) == (
        "never visited the website"
    )
    assert describe("department", {"department": "marketing"}) == "works in marketing"
    row = {"employee_band_order": 6, "employee_band": "1001-5000"}
    assert describe("employee_band_order", row) == "company of 1,001-5,000 employees"
    assert describe("interest_share_security", {"interest_share_security": 0.42}) == (
        "42% of page views on security"
    )


def test_rewriting_the_same_date_is_idempotent(tmp_path: Path, config: ModelConfig) -> None:
    wh = demo_warehouse(tmp_path / "wh.duckdb")
    first = run_conversion_model(wh, AS_OF, config)
    snapshot = wh.query("select * from ml.lead_predictions order by lead_id")
    second = run_conversion_model(wh, AS_OF, config)

    assert second.version == first.version
    assert wh.query("select * from ml.lead_predictions order by lead_id") == snapshot
    assert wh.scalar("select count(*) from ml.model_evaluations") == 1
    assert wh.scalar("select count(*) from ml.model_calibration") == 10


def test_missing_rule_scores_give_a_null_rule_auc(tmp_path: Path, config: ModelConfig) -> None:
    features, labels, _ = synthetic_snapshots([*SNAPSHOTS, AS_OF])
    labels.loc[labels["as_of_date"] == AS_OF, "is_label_complete"] = False
    wh = load_warehouse(tmp_path / "wh.duckdb", features, labels)
    result = run_conversion_model(wh, AS_OF, config)
    assert result.status == PUBLISHED
    assert result.metrics["rule_score_auc"] is None
    assert wh.scalar("select rule_score_auc from ml.model_evaluations") is None


def test_config_reads_overrides_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEADSEG_MODEL_MIN_CONVERSIONS", "250")
    monkeypatch.setenv("LEADSEG_MODEL_AUC_FLOOR", "0.7")
    config = ModelConfig.from_env(model_dir=tmp_path)
    assert (config.min_conversions, config.auc_floor, config.model_dir) == (250, 0.7, tmp_path)
    monkeypatch.setenv("LEADSEG_MODEL_AUC_FLOOR", "high")
    with pytest.raises(ValueError, match="LEADSEG_MODEL_AUC_FLOOR"):
        ModelConfig.from_env(model_dir=tmp_path)


@contextlib.contextmanager
def postgres_schema() -> Iterator[tuple[Warehouse, str]]:
    psycopg = pytest.importorskip("psycopg")
    try:
        con = psycopg.connect(
            host=os.environ.get("PGHOST", "127.0.0.1"),
            port=int(os.environ.get("PGPORT", "5432")),
            user=os.environ.get("PGUSER", "postgres"),
            password=os.environ.get("PGPASSWORD", ""),
            dbname=os.environ.get("PGDATABASE", "test"),
            autocommit=True,
            connect_timeout=3,
        )
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL not reachable: {str(exc).strip().splitlines()[0]}")
    schema = f"ml_test_{secrets.token_hex(4)}"
    try:
        yield Warehouse(con, "postgres"), schema
    finally:
        con.execute(f"drop schema if exists {schema} cascade")
        con.close()


@pytest.mark.postgres
def test_store_replaces_rows_on_postgres() -> None:
    with postgres_schema() as (wh, schema):
        spec = store.TableSpec(
            schema,
            "scores",
            (
                ("lead_id", "varchar"),
                ("as_of_date", "date"),
                ("score", "double precision"),
                ("n", "bigint"),
                ("ok", "boolean"),
            ),
        )
        day = dt.date(2026, 11, 1)
        frame = pd.DataFrame(
            {
                "lead_id": ["a", "b"],
                "as_of_date": [day, day],
                "score": [0.5, np.nan],
                "n": [1, 2],
                "ok": [True, False],
            }
        )
        for _ in range(2):
            with store.transaction(wh):
                store.replace_rows(wh, spec, frame, day)
        rows = wh.query(f"select lead_id, as_of_date, score, n, ok from {spec.qualified}")
        assert sorted(rows) == [("a", day, 0.5, 1, True), ("b", day, None, 2, False)]
        read = store.read_frame(wh, f"select * from {spec.qualified} where as_of_date = ?", (day,))
        assert len(read) == 2


READ_FRAME_TABLE = """(
    n bigint, n_null bigint, all_null bigint, s varchar, b boolean, b_null boolean,
    d date, x double precision, x_null double precision, m numeric(12, 2), m_null numeric(12, 2)
)"""
READ_FRAME_ROWS = (
    "(1, 1, null, 'a', true, true, '2026-11-01', 1.5, 1.5, 12.34, 0.1),"
    " (2, null, null, null, false, null, '2026-11-02', 2.5, null, 99999.99, null)"
)


def _check_read_frame_types(wh: Warehouse, table: str) -> None:
    """Python-row semantics on both warehouses: integers with NULLs are floats, booleans with
    NULLs and columns of NULLs only hold None, decimals are floats, dates stay dates."""
    frame = store.read_frame(wh, f"select * from {table} order by n")
    assert frame["n"].dtype == "int64" and frame["n_null"].dtype == "float64"
    assert frame["all_null"].dtype == object and frame["all_null"].tolist() == [None, None]
    assert frame["b"].dtype == bool and frame["b_null"].tolist() == [True, None]
    assert frame["d"].tolist() == [dt.date(2026, 11, 1), dt.date(2026, 11, 2)]
    assert frame["m"].dtype == "float64" and frame["m"].tolist() == [12.34, 99999.99]
    assert frame["m_null"].dtype == "float64" and frame["m_null"].isna().tolist() == [False, True]
    assert frame["s"].tolist()[0] == "a" and pd.isna(frame["s"].tolist()[1])
    empty = store.read_frame(wh, f"select * from {table} where n > ?", (5,))
    assert empty.empty and list(empty.columns) == list(frame.columns)
    assert all(str(dtype) == "object" for dtype in empty.dtypes)


def test_read_frame_types_on_duckdb() -> None:
    con = duckdb.connect()
    con.execute(f"create table t {READ_FRAME_TABLE}")
    con.execute(f"insert into t values {READ_FRAME_ROWS}")
    _check_read_frame_types(Warehouse(con, "duckdb"), "t")


@pytest.mark.postgres
def test_read_frame_types_on_postgres() -> None:
    with postgres_schema() as (wh, schema):
        wh.query(f"create schema {schema}")
        wh.query(f"create table {schema}.t {READ_FRAME_TABLE}")
        wh.query(f"insert into {schema}.t values {READ_FRAME_ROWS}")
        _check_read_frame_types(wh, f"{schema}.t")
