"""Worst case of the identity component walk: one component of N identifiers.

Builds int_identity_links and int_identity_resolved with dbt on a scratch DuckDB warehouse
holding only what they read: a crafted int_identity_edges, the two Salesforce staging tables
and the identity seeds. The crafted graph is one component made of CRM edges (which merge
protection never drops, so both walks — the candidate walk of int_identity_links and the
person walk of int_identity_resolved — see all of it), with identifier values that are
hashes, so the graph's shape has nothing to do with identifier order:

- chain: lead_k – email_k, lead_k – contact_k, contact_k – email_k+1 (a path, the longest
  diameter a component of N identifiers can have);
- star: one lead converted into N - 1 contacts (diameter 2, every node one hop from the hub).

Prints the seconds each model took (dbt's run_results.json) per shape and size, and
whether the convergence tests (tests/dbt/intermediate/identity/) passed. `--project-dir`
builds another checkout (the previous version, say) on the same graphs.

    .venv/bin/python bench/identity_worst_case.py --sizes 1000 2000 4000 50000
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ["identity_identifier_types", "identity_edge_rules", "identity_exclusions"]
MODELS = ["int_identity_links", "int_identity_resolved"]
CONVERGENCE_TESTS = ["assert_candidate_components_converged", "assert_person_components_converged"]

EDGE_COLUMNS = """
    md5(from_identifier || '|' || to_identifier || '|' || edge_type) as edge_id,
    from_identifier,
    to_identifier,
    split_part(from_identifier, ':', 1) as from_type,
    split_part(from_identifier, ':', 2) as from_value,
    split_part(to_identifier, ':', 1) as to_type,
    split_part(to_identifier, ':', 2) as to_value,
    edge_type,
    'bench' as source_model,
    from_identifier as source_row_id,
    1 as observation_count,
    false as is_behavioural_edge,
    timestamp '2026-01-01' + to_seconds(k) as first_observed_at
"""


def _value(kind: str, k: str) -> str:
    return f"md5('{kind}' || {k})"


def build_graph(con: duckdb.DuckDBPyConnection, shape: str, size: int) -> None:
    """One component of `size` identifiers (chain: 3 per link, plus the last email)."""
    if shape == "chain":
        links = max(1, (size - 1) // 3)
        raw_edges = f"""
            select k, 'lead:' || {_value("l", "k")} as from_identifier,
                'email:' || {_value("e", "k")} as to_identifier, 'lead_email' as edge_type
            from range({links}) as t(k)
            union all
            select k, 'lead:' || {_value("l", "k")}, 'contact:' || {_value("c", "k")},
                'lead_converted_contact'
            from range({links}) as t(k)
            union all
            select k, 'contact:' || {_value("c", "k")}, 'email:' || {_value("e", "k + 1")},
                'contact_email'
            from range({links}) as t(k)
        """
    else:
        raw_edges = f"""
            select k, 'lead:' || {_value("l", "0")} as from_identifier,
                'contact:' || {_value("c", "k")} as to_identifier,
                'lead_converted_contact' as edge_type
            from range({size - 1}) as t(k)
        """
    con.execute("create schema if not exists intermediate")
    con.execute("create schema if not exists staging")
    con.execute(
        f"create or replace table intermediate.int_identity_edges as"
        f" select {EDGE_COLUMNS} from ({raw_edges}) as raw_edges"
    )
    for entity in ("lead", "contact"):
        con.execute(
            f"""
            create or replace table staging.stg_salesforce__{entity}s as
            select distinct split_part(identifier, ':', 2) as {entity}_id,
                timestamp '2026-01-01' as created_at
            from (
                select from_identifier as identifier from intermediate.int_identity_edges
                union all
                select to_identifier from intermediate.int_identity_edges
            ) as ends
            where identifier like '{entity}:%'
            """
        )


def dbt(project: Path, warehouse: Path, work: Path, timeout: float, *args: str):
    env = dict(
        os.environ,
        LEADSEG_WAREHOUSE=str(warehouse),
        LEADSEG_TARGET="duckdb",
        DBT_PROFILES_DIR=str(project),
        DBT_TARGET_PATH=str(work / "target"),
        DBT_LOG_PATH=str(work / "logs"),
    )
    executable = Path(sys.executable).with_name("dbt")
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [str(executable), *args],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return None, time.perf_counter() - started
    return done, time.perf_counter() - started


def model_seconds(work: Path) -> dict[str, float]:
    results = json.loads((work / "target" / "run_results.json").read_text())["results"]
    return {r["unique_id"].split(".")[-1]: r["execution_time"] for r in results}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 4000, 50000])
    parser.add_argument("--shapes", nargs="+", default=["chain", "star"])
    parser.add_argument("--project-dir", type=Path, default=ROOT)
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: temp)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per dbt run")
    parser.add_argument("--vars", default="{}", help="dbt --vars, e.g. '{identity_max_rounds: 8}'")
    args = parser.parse_args()

    work = args.work or Path(tempfile.mkdtemp(prefix="identity_worst_case_"))
    work.mkdir(parents=True, exist_ok=True)
    warehouse = work / "worst_case.duckdb"
    warehouse.unlink(missing_ok=True)
    done, _ = dbt(args.project_dir, warehouse, work, args.timeout, "seed", "-s", *SEEDS)
    if done is None or done.returncode != 0:
        print(done.stdout[-3000:] if done else "dbt seed timed out")
        return 1

    has_tests = (args.project_dir / "tests/dbt/intermediate/identity").is_dir()
    print(f"project {args.project_dir}, vars {args.vars}")
    print(
        f"{'shape':6} {'identifiers':>11} {'edges':>7} {'links s':>8} {'resolved s':>10}"
        "  convergence tests"
    )
    for shape in args.shapes:
        for size in args.sizes:
            con = duckdb.connect(str(warehouse))
            build_graph(con, shape, size)
            edges = con.execute("select count(*) from intermediate.int_identity_edges")
            edges = edges.fetchone()[0]
            con.close()
            done, seconds = dbt(
                args.project_dir,
                warehouse,
                work,
                args.timeout,
                "run",
                "-s",
                *MODELS,
                "--vars",
                args.vars,
            )
            if done is None:
                timed_out = ">" + str(int(seconds))
                print(f"{shape:6} {size:>11,} {edges:>7,} {timed_out:>8}  (timed out)")
                continue
            if done.returncode != 0:
                print(done.stdout[-3000:])
                return 1
            timings = model_seconds(work)
            verdict = "-"
            if has_tests:
                tested, _ = dbt(
                    args.project_dir,
                    warehouse,
                    work,
                    args.timeout,
                    "test",
                    "-s",
                    *CONVERGENCE_TESTS,
                    "--vars",
                    args.vars,
                )
                verdict = "pass" if tested and tested.returncode == 0 else "FAIL"
                if verdict == "FAIL" and tested:
                    verdict += ": " + ", ".join(re.findall(r"Got \d+ results?", tested.stdout))
            con = duckdb.connect(str(warehouse), read_only=True)
            components = con.execute(
                "select count(distinct component_id) from intermediate.int_identity_resolved"
            ).fetchone()[0]
            con.close()
            print(
                f"{shape:6} {size:>11,} {edges:>7,} {timings['int_identity_links']:>8.2f}"
                f" {timings['int_identity_resolved']:>10.2f}  {verdict}"
                f" ({components} component{'s' if components != 1 else ''})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
