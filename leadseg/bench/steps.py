"""Where a pipeline run's time went, step by step.

A run is a Dagster job executed in process: its steps run one after another (ingestion per
raw table, user agents, two dbt invocations, the scikit-learn assets, the exports). Python
steps are timed from Dagster's event log. Inside a dbt step, every node (model, seed, data
test, unit test) is timed from ``run_results.json`` and mapped to a pipeline step by the
folder it lives in; data and unit tests count toward the step of the model they test. dbt
runs two threads, so two nodes often overlap: each instant of wall time is shared equally
between the nodes running then, which makes the node seconds add up to wall time. What is
left is overhead: in a dbt step, dbt's start-up, parsing and Dagster's event handling
between nodes; outside the steps, Dagster's start-up and the manifest parse before the run.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

# Pipeline steps in run order; the table prints them in this order.
INGESTION = "ingestion"
OVERHEAD_DBT = "dbt overhead (in dbt steps)"
OVERHEAD_DAGSTER = "Dagster + dbt parse (outside steps)"
STEPS = (
    INGESTION,
    "user agents (Python)",
    "reference seeds",
    "staging",
    "identity",
    "sessions",
    "features",
    "segments",
    "scores",
    "ML models (Python)",
    "core marts",
    "audit",
    "exports",
    "other dbt",
    "other Python",
    OVERHEAD_DBT,
    OVERHEAD_DAGSTER,
)

# dbt nodes by the folder of their file (first match wins).
FOLDER_STEPS: tuple[tuple[str, str], ...] = (
    ("seeds/", "reference seeds"),
    ("models/staging/", "staging"),
    ("models/intermediate/identity/", "identity"),
    ("models/intermediate/people/", "identity"),
    ("models/intermediate/web/", "sessions"),
    ("models/intermediate/features/", "features"),
    ("models/marts/features/", "features"),
    ("models/intermediate/segments/", "segments"),
    ("models/marts/segments/", "segments"),
    ("models/intermediate/scoring/", "scores"),
    ("models/marts/scoring/", "scores"),
    ("models/marts/core/", "core marts"),
    ("models/marts/attribution/", "core marts"),
    ("models/activation/", "exports"),
    ("models/audit/", "audit"),
)

# Python (non-dbt) Dagster steps by step key (the asset key joined by "__"), then by prefix.
PYTHON_STEPS: dict[str, str] = {"raw__user_agents": "user agents (Python)"}
PYTHON_PREFIXES: tuple[tuple[str, str], ...] = (
    ("raw__", INGESTION),
    ("ml__", "ML models (Python)"),
    ("exports__", "exports"),
)


def step_of_path(path: str) -> str:
    """Pipeline step of a dbt file, by folder (``models/intermediate/web/x.sql`` → sessions)."""
    path = path.replace("\\", "/")
    for prefix, step in FOLDER_STEPS:
        if path.startswith(prefix):
            return step
    return "other dbt"


def step_of_dagster_key(step_key: str) -> str | None:
    """Pipeline step of a Python Dagster step; None for the dbt steps (timed per node)."""
    if "dbt" in step_key:
        return None
    if step_key in PYTHON_STEPS:
        return PYTHON_STEPS[step_key]
    for prefix, step in PYTHON_PREFIXES:
        if step_key.startswith(prefix):
            return step
    return "other Python"


def node_steps(manifest: Mapping) -> dict[str, str]:
    """unique_id → step for every node, test and unit test of a dbt manifest.

    A data test counts toward the model (or seed) it is attached to; a test on a source
    (a raw table) toward staging, which is where the raw data is first read.
    """
    nodes = {**manifest.get("nodes", {}), **manifest.get("unit_tests", {})}
    own = {uid: step_of_path(n.get("original_file_path", "")) for uid, n in nodes.items()}
    steps: dict[str, str] = {}
    for uid, node in nodes.items():
        if node.get("resource_type") in ("test", "unit_test"):
            parent = node.get("attached_node") or next(
                (d for d in node.get("depends_on", {}).get("nodes", []) if d in own), None
            )
            if parent is None and node.get("resource_type") == "unit_test":
                parent = next(iter(node.get("depends_on", {}).get("nodes", [])), None)
            steps[uid] = own.get(parent, "staging") if parent else "staging"
        else:
            steps[uid] = own[uid]
    return steps


def _epoch(text: str) -> float:
    stamp = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    return stamp.timestamp()


@dataclass
class NodeTiming:
    unique_id: str
    start: float  # unix time
    end: float
    status: str
    rows: int | None = None


def node_timings(run_results: Mapping) -> list[NodeTiming]:
    """Each node's wall-clock interval (compile to end of execute) from run_results.json."""
    out = []
    for result in run_results.get("results", []):
        spans = [
            (_epoch(t["started_at"]), _epoch(t["completed_at"]))
            for t in result.get("timing", [])
            if t.get("started_at") and t.get("completed_at")
        ]
        if not spans:
            continue
        rows = (result.get("adapter_response") or {}).get("rows_affected")
        out.append(
            NodeTiming(
                unique_id=result["unique_id"],
                start=min(s for s, _ in spans),
                end=max(e for _, e in spans),
                status=str(result.get("status")),
                rows=rows if isinstance(rows, int) and rows >= 0 else None,
            )
        )
    return out


def share_wall_time(intervals: Mapping[str, tuple[float, float]]) -> dict[str, float]:
    """Seconds of wall time per key when concurrent intervals share each instant equally.

    Two nodes running side by side for 4 s get 2 s each; the shares add up to the length
    of the union of the intervals.
    """
    points = sorted({p for interval in intervals.values() for p in interval})
    shares: dict[str, float] = dict.fromkeys(intervals, 0.0)
    for lo, hi in zip(points, points[1:], strict=False):
        active = [k for k, (s, e) in intervals.items() if s <= lo and e >= hi]
        for key in active:
            shares[key] += (hi - lo) / len(active)
    return shares


@dataclass
class StepTimes:
    """Seconds per pipeline step and the time windows each step ran in."""

    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    windows: dict[str, list[tuple[float, float]]] = field(default_factory=lambda: defaultdict(list))
    test_seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    dbt_rows: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    nodes: list[tuple[str, str, float]] = field(default_factory=list)  # (uid, step, seconds)
    relations: dict[str, tuple[str, str]] = field(default_factory=dict)  # uid -> (schema, table)


def attribute(
    total: tuple[float, float],
    dagster_steps: Iterable[tuple[str, float, float]],
    dbt_runs: Iterable[tuple[Mapping, Mapping]],
) -> StepTimes:
    """Split the wall time ``total`` (start, end) of one run over the pipeline steps.

    ``dagster_steps``: (step key, start, end) of every Dagster step; ``dbt_runs``:
    (manifest, run_results) of every dbt invocation of the run.
    """
    times = StepTimes()
    dbt_step_seconds = 0.0
    in_steps = 0.0
    for key, start, end in dagster_steps:
        in_steps += end - start
        step = step_of_dagster_key(key)
        if step is None:
            dbt_step_seconds += end - start
            continue
        times.seconds[step] += end - start
        times.windows[step].append((start, end))
    node_seconds = 0.0
    for manifest, run_results in dbt_runs:
        steps = node_steps(manifest)
        timings = node_timings(run_results)
        for uid, node in manifest.get("nodes", {}).items():
            if node.get("config", {}).get("materialized") in ("table", "incremental", "seed"):
                times.relations[uid] = (node.get("schema"), node.get("alias") or node.get("name"))
        shares = share_wall_time({n.unique_id: (n.start, n.end) for n in timings})
        for n in timings:
            step = steps.get(n.unique_id, "other dbt")
            seconds = shares[n.unique_id]
            node_seconds += seconds
            times.seconds[step] += seconds
            times.windows[step].append((n.start, n.end))
            times.nodes.append((n.unique_id, step, seconds))
            if n.unique_id.split(".")[0] in ("test", "unit_test"):
                times.test_seconds[step] += seconds
            elif n.rows is not None:
                times.dbt_rows[step] += n.rows
    times.seconds[OVERHEAD_DBT] = max(0.0, dbt_step_seconds - node_seconds)
    times.seconds[OVERHEAD_DAGSTER] = max(0.0, (total[1] - total[0]) - in_steps)
    return times


def dbt_runs_of(target_root: Path, run_id: str) -> list[tuple[dict, dict]]:
    """(manifest, run_results) of each dbt invocation dagster-dbt made for ``run_id``.

    dagster-dbt gives every invocation its own folder ``<op>-<run id[:7]>-<uuid>`` under
    the dbt target path (``DBT_TARGET_PATH``, else the project's ``target``).
    """
    out = []
    for results in sorted(target_root.glob(f"*-{run_id[:7]}-*/run_results.json")):
        manifest = results.with_name("manifest.json")
        if manifest.is_file():
            out.append((json.loads(manifest.read_text()), json.loads(results.read_text())))
    return out
