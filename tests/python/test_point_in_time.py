"""Features for a date D use only data from before D: dropping every web and email event
from D on and rebuilding D's features gives exactly the rows the demo run computed for D
(one of its snapshot dates) while all later events were in the warehouse."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
from _support import DEMO_AS_OF, run_dbt

from leadseg.config import PROJECT_DIR, Settings

SNAPSHOT = DEMO_AS_OF - dt.timedelta(days=30)  # a snapshot date of the demo run
FEATURES = {
    "feat_lead_behavior": "lead_id",
    "feat_lead_interests": "lead_id, page_category",
    "feat_lead_technographics": "lead_id",
}


def _rows(con: duckdb.DuckDBPyConnection, table: str, order: str) -> list[tuple]:
    return con.execute(
        f"select * exclude (as_of_date) from marts.{table}"
        f" where as_of_date = date '{SNAPSHOT}' order by {order}"
    ).fetchall()


def test_events_on_or_after_the_date_change_nothing_for_it(
    wh, demo_settings: Settings, tmp_path: Path
):
    warehouse = tmp_path / "wh.duckdb"
    shutil.copy2(demo_settings.warehouse, warehouse)
    con = duckdb.connect(str(warehouse))
    dropped = con.execute(
        f"delete from intermediate.int_lead_events where event_at >= timestamp '{SNAPSHOT}'"
    ).fetchone()[0]
    con.execute(
        f"delete from intermediate.int_web_sessions where started_at >= timestamp '{SNAPSHOT}'"
    )
    con.close()
    assert dropped > 100  # the demo data does have events after the snapshot date

    vars_ = json.dumps({"as_of_date": SNAPSHOT.isoformat(), "feature_snapshot_count": 0})
    proc = run_dbt(PROJECT_DIR, warehouse, tmp_path, "run", "--select", *FEATURES, "--vars", vars_)
    assert proc.returncode == 0, proc.stdout[-3000:]

    rebuilt = duckdb.connect(str(warehouse), read_only=True)
    for table, order in FEATURES.items():
        original = _rows(wh, table, order)
        assert original, table
        assert _rows(rebuilt, table, order) == original, table
    rebuilt.close()
