"""Segment exports (leadseg.activation): consent, holdouts, hashing, deltas and file safety."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import psycopg
import pytest

from leadseg.activation import (
    HOLDOUT_BUCKET_DUCKDB_SQL,
    HOLDOUT_BUCKET_POSTGRES_SQL,
    ExportOrderError,
    email_sha256,
    export_from_warehouse,
    export_segments,
    holdout_bucket,
    is_holdout,
)
from leadseg.activation import atomic as atomic_module
from leadseg.ingest.postgres import pg_conninfo
from leadseg.warehouse import Warehouse

DAY1, DAY2, DAY3 = dt.date(2026, 10, 1), dt.date(2026, 10, 8), dt.date(2026, 10, 15)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def member(
    lead_id: str,
    *,
    destination: str = "email",
    segment_id: str = "hot",
    email: str | None = None,
    opted_out: bool | None = False,
    holdout: bool | None = False,
    score: float = 80.0,
    grade: str = "A",
    probability: float | None = 0.5,
    as_of: dt.date = DAY1,
) -> dict[str, Any]:
    """One mart row; the email defaults to one derived from the lead id."""
    email = email if email is not None else f"{lead_id.lower()}@example.com"
    return {
        "segment_id": segment_id,
        "segment_name": segment_id.title(),
        "destination": destination,
        "lead_id": lead_id,
        "email": email or None,
        "email_sha256": email_sha256(email) if email else None,
        "has_opted_out_of_email": opted_out,
        "is_holdout": holdout,
        "lead_score": score,
        "grade": grade,
        "conversion_probability": probability,
        "as_of_date": as_of,
    }


def frame(*rows: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def summary_for(summaries: list, destination: str, segment_id: str = "hot"):
    (found,) = [s for s in summaries if (s.destination, s.segment_id) == (destination, segment_id)]
    return found


# --- hashing: the formulas SQL mirrors -------------------------------------------------------


def test_email_sha256_is_the_customer_match_format() -> None:
    expected = hashlib.sha256(b"john.doe@example.com").hexdigest()
    assert email_sha256("  John.Doe@Example.COM ") == expected
    assert expected == "836f82db99121b3481011f16b49dfa5fbc714a0d1b1b9f784a1ebbbf5b39577f"
    assert email_sha256("\tjohn.doe@example.com\n") == expected
    assert email_sha256(None) is None
    assert email_sha256("") is None
    assert email_sha256("   ") is None


@pytest.mark.parametrize(
    ("lead_id", "segment_id", "bucket"),
    [
        # first 16 hex digits of sha256("L-0001|seg_a") = 511239d7361ce2e9
        ("L-0001", "seg_a", 0.31668435577568094),
        # first 16 hex digits of sha256("00Q5e00000AbCdE|high_intent_trials") = a7d7bd7ef16b86ee
        ("00Q5e00000AbCdE", "high_intent_trials", 0.6556356844825314),
        ("lead-42", "seg_b", 0.34102045249494206),
    ],
)
def test_holdout_bucket_pinned_values(lead_id: str, segment_id: str, bucket: float) -> None:
    digest = hashlib.sha256(f"{lead_id}|{segment_id}".encode()).digest()
    assert holdout_bucket(lead_id, segment_id) == int.from_bytes(digest[:8], "big") / 2**64
    assert holdout_bucket(lead_id, segment_id) == bucket
    assert is_holdout(lead_id, segment_id, bucket + 1e-9)
    assert not is_holdout(lead_id, segment_id, bucket)


def test_holdout_bucket_range_and_share_bounds() -> None:
    buckets = [holdout_bucket(f"L{i}", "seg") for i in range(2000)]
    assert all(0.0 <= b < 1.0 for b in buckets)
    assert 0.08 < sum(b < 0.1 for b in buckets) / len(buckets) < 0.12  # a share is a share
    assert not any(is_holdout(f"L{i}", "seg", 0.0) for i in range(100))
    assert all(is_holdout(f"L{i}", "seg", 1.0) for i in range(100))
    with pytest.raises(ValueError, match="between 0 and 1"):
        is_holdout("L1", "seg", 1.5)


def test_duckdb_mirror_of_holdout_bucket_agrees() -> None:
    pairs = [(f"00Q{i:012d}", seg) for i in range(300) for seg in ("hot", "warm_trials")]
    expression = HOLDOUT_BUCKET_DUCKDB_SQL.format(lead_id="lead_id", segment_id="segment_id")
    con = duckdb.connect()
    con.execute("create table t (lead_id varchar, segment_id varchar)")
    con.executemany("insert into t values (?, ?)", pairs)
    got = con.execute(f"select lead_id, segment_id, {expression} from t").fetchall()
    assert {(lead, seg): bucket for lead, seg, bucket in got} == {
        pair: holdout_bucket(*pair) for pair in pairs
    }


@pytest.mark.postgres
def test_postgres_mirror_of_holdout_bucket_agrees() -> None:
    pairs = [(f"00Q{i:012d}", seg) for i in range(300) for seg in ("hot", "élan-vital")]
    expression = HOLDOUT_BUCKET_POSTGRES_SQL.format(lead_id="l", segment_id="s")
    info = pg_conninfo()
    try:
        con = psycopg.connect(**{**info, "connect_timeout": 3})  # type: ignore[arg-type]
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL not reachable at {info['host']}:{info['port']}: {exc}")
    with con:
        got = con.execute(
            f"select l, s, {expression} from unnest(%s::text[], %s::text[]) as t(l, s)",
            ([lead for lead, _ in pairs], [seg for _, seg in pairs]),
        ).fetchall()
    assert {(lead, seg): bucket for lead, seg, bucket in got} == {
        pair: holdout_bucket(*pair) for pair in pairs
    }


# --- the rules -------------------------------------------------------------------------------


def test_opted_out_lead_never_in_an_email_export(tmp_path: Path) -> None:
    # The mart should have flagged or removed these leads; the export must not rely on it.
    rows = frame(
        member("L1"),
        member("L2", opted_out=True, email="Opted.Out@Example.com"),
        member("L3", opted_out=None, email="unknown.consent@example.com"),
        member("L2", destination="ads", opted_out=True, email="Opted.Out@Example.com"),
    )
    summaries = export_segments(rows, tmp_path, DAY1)

    email = summary_for(summaries, "email")
    assert [r["lead_id"] for r in read_csv(email.audience_path)] == ["L1"]
    assert [r["lead_id"] for r in read_csv(email.delta_path)] == ["L1"]
    for path in (tmp_path / "email").rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8").lower()
            assert "opted.out" not in text and "unknown.consent" not in text
            assert sha("opted.out@example.com") not in text
    assert email.opted_out_dropped == 2
    assert email.rows_exported == 1

    # the email opt-out governs email; ad audiences drop it only when asked to
    ads = summary_for(summaries, "ads")
    assert [r["email_sha256"] for r in read_csv(ads.audience_path)] == [
        sha("opted.out@example.com")
    ]
    strict = export_segments(rows, tmp_path / "strict", DAY1, drop_opted_out_from_ads=True)
    assert summary_for(strict, "ads").rows_exported == 0
    assert summary_for(strict, "ads").opted_out_dropped == 1


def test_holdouts_are_withheld_counted_and_stable(tmp_path: Path) -> None:
    leads = [f"L{i:03d}" for i in range(200)]
    share = 0.2

    def mart(as_of: dt.date) -> pd.DataFrame:
        return frame(
            *(
                member(lead, destination=dest, holdout=is_holdout(lead, "hot", share), as_of=as_of)
                for lead in leads
                for dest in ("email", "ads")
            )
        )

    expected_holdouts = {lead for lead in leads if is_holdout(lead, "hot", share)}
    assert 0 < len(expected_holdouts) < len(leads)
    for as_of in (DAY1, DAY2):
        summaries = export_segments(mart(as_of), tmp_path, as_of)
        for dest in ("email", "ads"):
            summary = summary_for(summaries, dest)
            exported = {r["lead_id"] for r in read_csv(summary.audience_path)}
            assert exported == set(leads) - expected_holdouts
            assert summary.holdouts_withheld == len(expected_holdouts)
    # the second run moves nobody between treatment and control
    assert summary.entered == 0 and summary.exited == 0


def test_holdouts_withheld_even_when_the_mart_missed_them(tmp_path: Path) -> None:
    inside = next(f"L{i}" for i in range(100) if is_holdout(f"L{i}", "hot", 0.1))
    outside = next(f"L{i}" for i in range(100) if not is_holdout(f"L{i}", "hot", 0.1))
    rows = frame(member(inside), member(outside), member("L-null", holdout=None))
    (summary,) = export_segments(rows, tmp_path, DAY1, holdout_share=0.1)
    assert [r["lead_id"] for r in read_csv(summary.audience_path)] == [outside]
    assert summary.holdouts_withheld == 2
    # a share per segment: segments without one rely on the mart's flag alone
    per_segment = export_segments(rows, tmp_path / "per", DAY1, holdout_share={"other": 0.5})
    assert per_segment[0].rows_exported == 2
    with pytest.raises(ValueError, match="between 0 and 1"):
        export_segments(rows, tmp_path / "bad", DAY1, holdout_share={"hot": 2.0})


def test_audience_files_columns_order_and_dropped_rows(tmp_path: Path) -> None:
    rows = frame(
        member("L3", email="  Carol@Example.com ", score=55.5, grade="B", probability=None),
        member("L1", email="alice@example.com", score=91.0, probability=0.875),
        member("L2", email=""),  # no email: dropped from both
        member("L3", destination="ads", email="  Carol@Example.com ", score=55.5, grade="B"),
        member("L1", destination="ads", email="alice@example.com", score=91.0),
        member("L2", destination="ads", email=""),
    )
    summaries = export_segments(rows, tmp_path, DAY1)
    email, ads = summary_for(summaries, "email"), summary_for(summaries, "ads")

    assert email.audience_path == tmp_path / "email" / "hot" / "hot__2026-10-01.csv"
    assert email.delta_path == tmp_path / "email" / "hot" / "hot__2026-10-01__delta.csv"
    assert email.audience_path.read_text(encoding="utf-8") == (
        "lead_id,email,email_sha256,lead_score,grade,conversion_probability\n"
        f"L1,alice@example.com,{sha('alice@example.com')},91.0,A,0.875\n"
        f"L3,Carol@Example.com,{sha('carol@example.com')},55.5,B,\n"
    )
    assert ads.audience_path.read_text(encoding="utf-8") == (
        "lead_id,email_sha256,lead_score,grade\n"
        f"L1,{sha('alice@example.com')},91.0,A\n"
        f"L3,{sha('carol@example.com')},55.5,B\n"
    )
    assert (email.no_email_dropped, ads.no_email_dropped) == (1, 1)
    assert email.as_metadata()["rows_exported"] == 2
    assert "2 exported" in email.describe()


def test_ads_exports_carry_no_plain_email(tmp_path: Path) -> None:
    rows = frame(
        member("L1", destination="ads", email="Someone@Example.com"),
        member("L2", destination="ads", email="other@example.com"),
    )
    export_segments(rows, tmp_path, DAY1)
    export_segments(frame(member("L2", destination="ads", as_of=DAY2)), tmp_path, DAY2)
    files = [p for p in (tmp_path / "ads").rglob("*") if p.is_file()]
    assert len(files) >= 5  # two audiences, two deltas, state and members
    for path in files:
        if path.suffix == ".csv":
            header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
            assert "email" not in header
        assert "@" not in path.read_text(encoding="utf-8")


# --- deltas and state ------------------------------------------------------------------------


def delta(path: Path) -> set[tuple[str, str]]:
    return {(r["lead_id"], r["change"]) for r in read_csv(path)}


def test_deltas_across_three_exports_kept_per_destination(tmp_path: Path) -> None:
    # email: {A,B} -> {B,C} -> {A,B}: A exits and re-enters, B stays, C enters and exits.
    # ads follows another path, so a shared state would show up as wrong deltas.
    plans = {
        DAY1: {"email": ["A", "B"], "ads": ["A"]},
        DAY2: {"email": ["B", "C"], "ads": ["A"]},
        DAY3: {"email": ["A", "B"], "ads": ["C"]},
    }
    results = {}
    for as_of, plan in plans.items():
        rows = frame(
            *(
                member(lead, destination=d, as_of=as_of)
                for d, leads in plan.items()
                for lead in leads
            )
        )
        results[as_of] = {s.destination: s for s in export_segments(rows, tmp_path, as_of)}

    assert delta(results[DAY1]["email"].delta_path) == {("A", "entered"), ("B", "entered")}
    assert delta(results[DAY2]["email"].delta_path) == {("A", "exited"), ("C", "entered")}
    assert delta(results[DAY3]["email"].delta_path) == {("A", "entered"), ("C", "exited")}
    assert delta(results[DAY1]["ads"].delta_path) == {("A", "entered")}
    assert delta(results[DAY2]["ads"].delta_path) == set()
    assert delta(results[DAY3]["ads"].delta_path) == {("A", "exited"), ("C", "entered")}

    day3 = results[DAY3]["email"]
    assert (day3.entered, day3.exited, day3.previous_as_of) == (1, 1, DAY2)
    assert results[DAY1]["email"].previous_as_of is None
    # an exited lead is sent with the hash it was exported with, so platforms can remove it
    exited = [r for r in read_csv(day3.delta_path) if r["change"] == "exited"]
    assert exited == [{"lead_id": "C", "email_sha256": sha("c@example.com"), "change": "exited"}]
    assert read_csv(day3.delta_path)[0]["change"] == "entered"  # entered rows first


def test_emptied_segment_sends_everyone_as_exited(tmp_path: Path) -> None:
    export_segments(frame(member("A"), member("B")), tmp_path, DAY1)
    empty = frame(member("X", segment_id="other", as_of=DAY2))
    summaries = export_segments(empty, tmp_path, DAY2, also_export=[("email", "hot")])
    hot = summary_for(summaries, "email")
    assert hot.rows_exported == 0
    assert delta(hot.delta_path) == {("A", "exited"), ("B", "exited")}
    assert hot.audience_path.read_text(encoding="utf-8").count("\n") == 1  # header only
    assert hot.segment_name == "Hot"  # remembered from the state


def test_rerun_of_the_same_as_of_is_idempotent(tmp_path: Path) -> None:
    export_segments(frame(member("A"), member("B")), tmp_path, DAY1)
    day2 = frame(member("B", as_of=DAY2), member("C", as_of=DAY2))
    first = export_segments(day2, tmp_path, DAY2)
    before = tree(tmp_path)
    again = export_segments(day2, tmp_path, DAY2)
    assert tree(tmp_path) == before
    assert again == first
    # the re-run is against DAY1, not against itself, so its delta is not empty
    assert delta(again[0].delta_path) == {("A", "exited"), ("C", "entered")}
    # a corrected re-run replaces that day's files, still against DAY1
    fixed = export_segments(frame(member("C", as_of=DAY2)), tmp_path, DAY2)
    assert delta(fixed[0].delta_path) == {("A", "exited"), ("B", "exited"), ("C", "entered")}


def test_earlier_as_of_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    export_segments(frame(member("A", as_of=DAY2)), tmp_path, DAY2)
    before = tree(tmp_path)
    late = frame(member("A"), member("Z", segment_id="new_segment"))
    with pytest.raises(ExportOrderError, match="last export there is as of 2026-10-08"):
        export_segments(late, tmp_path, DAY1)
    assert tree(tmp_path) == before  # not even the segment that had no state yet


def test_atomic_writes_leave_no_temporary_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export_segments(frame(member("A"), member("A", destination="ads")), tmp_path, DAY1)
    assert not [p for p in tmp_path.rglob("*") if atomic_module.TEMP_MARKER in p.name]
    before = tree(tmp_path)

    # a failure while renaming the delta into place: the audience file is already there,
    # but no temporary file is left and the state still points at DAY1
    real_replace = atomic_module.os.replace

    def failing_replace(src: Any, dst: Any) -> None:
        if str(dst).endswith("__delta.csv"):
            raise OSError("disk full")
        real_replace(src, dst)

    monkeypatch.setattr(atomic_module.os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        export_segments(frame(member("B", as_of=DAY2)), tmp_path, DAY2)
    assert not [p for p in tmp_path.rglob("*") if atomic_module.TEMP_MARKER in p.name]
    for name in ("email/hot/_state.json", "email/hot/_members__2026-10-01.csv"):
        assert (tmp_path / name).read_bytes() == before[name]

    monkeypatch.setattr(atomic_module.os, "replace", real_replace)
    (summary,) = export_segments(frame(member("B", as_of=DAY2)), tmp_path, DAY2)
    assert delta(summary.delta_path) == {("A", "exited"), ("B", "entered")}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"destination": "sms"}, "unknown destination"),
        ({"segment_id": "../escape"}, "cannot name an export folder"),
        ({"lead_id": None}, "no lead_id"),
        ({"as_of_date": DAY2}, "is as of 2026-10-08"),
    ],
)
def test_rows_breaking_the_contract_are_rejected(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        export_segments(frame(member("A") | change), tmp_path, DAY1)
    assert not tmp_path.joinpath("email").exists()


def test_duplicate_rows_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="appears twice"):
        export_segments(frame(member("A"), member("A", opted_out=True)), tmp_path, DAY1)


def test_export_from_warehouse_reads_the_mart_for_as_of(tmp_path: Path) -> None:
    con = duckdb.connect()
    con.execute("create schema activation")
    con.execute(
        "create table activation.fct_segment_activation (segment_id varchar, segment_name varchar,"
        " destination varchar, lead_id varchar, email varchar, email_sha256 varchar,"
        " has_opted_out_of_email boolean, is_holdout boolean, lead_score numeric(6, 2),"
        " grade varchar, conversion_probability double, as_of_date date)"
    )
    con.execute(
        "insert into activation.fct_segment_activation values"
        " ('hot', 'Hot', 'email', 'L1', 'a@example.com', sha256('a@example.com'),"
        "  false, false, 81.5, 'A', 0.25, date '2026-10-01'),"
        " ('hot', 'Hot', 'email', 'L2', 'b@example.com', sha256('b@example.com'),"
        "  true, false, 70, 'B', null, date '2026-10-01'),"
        " ('hot', 'Hot', 'ads', 'L2', 'b@example.com', sha256('b@example.com'),"
        "  true, false, 70, 'B', null, date '2026-10-01')"
    )
    wh = Warehouse(con, "duckdb")
    summaries = export_from_warehouse(wh, tmp_path, DAY1)
    email = summary_for(summaries, "email")
    assert email.audience_path.read_text(encoding="utf-8").splitlines()[1:] == [
        f"L1,a@example.com,{sha('a@example.com')},81.50,A,0.25"
    ]
    assert summary_for(summaries, "ads").rows_exported == 1
    with pytest.raises(ValueError, match="none as of 2026-10-08"):
        export_from_warehouse(wh, tmp_path, DAY2)


def test_state_survives_forget_deleting_a_persons_lines(tmp_path: Path) -> None:
    # `leadseg forget` erases a person by deleting every export line that mentions them
    export_segments(frame(member("L1"), member("L2")), tmp_path, DAY1)
    for path in (p for p in tmp_path.rglob("*") if p.is_file()):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(line for line in lines if "L2" not in line), encoding="utf-8")
    (summary,) = export_segments(frame(member("L1", as_of=DAY2)), tmp_path, DAY2)
    assert (summary.previous_as_of, summary.entered, summary.exited) == (DAY1, 0, 0)
