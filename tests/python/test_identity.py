"""Identity resolution on the demo data: stable lead_ids, and undoing a wrong merge.

A copy of the demo warehouse is rebuilt from scratch after shuffling the physical order of
every raw table the identity graph reads, with one exclusion added to the analysts' seed
table: the pair (an email, an anonymous id that identified with it) of one real person. The
rebuild must give every identifier of every other person the same lead_id as before, keep
the person's anchor (its lead) on its old id, and take the excluded anonymous id out of it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from _support import DEMO_AS_OF, rows, run_dbt, scalar

from leadseg.config import Settings
from leadseg.runner import RunOutcome

PROJECT = Path(__file__).resolve().parents[2]
RAW_TABLES = [
    "salesforce__lead",
    "salesforce__contact",
    "segment__identifies",
    "segment__pages",
    "segment__tracks",
]
# The base models are tables: rebuilt too, so the shuffled raw order reaches the identity models.
IDENTITY_MODELS = [
    *(f"base_{table}" for table in RAW_TABLES),
    "int_identity_edges",
    "int_identity_links",
    "int_identity_resolved",
]


def test_lead_id_is_the_hash_of_the_earliest_anchor(wh: duckdb.DuckDBPyConnection) -> None:
    people = rows(
        wh,
        """
        select lead_id, person_identifier
        from intermediate.int_identity_resolved
        where lead_id is not null
        group by lead_id, person_identifier
        """,
    )
    assert len(people) > 300
    assert all(hashlib.md5(p.encode()).hexdigest() == lead_id for lead_id, p in people)
    # the anchor is the earliest-seen lead, contact or email of its person
    later_anchor = scalar(
        wh,
        """
        select count(*)
        from intermediate.int_identity_resolved as member
        inner join intermediate.int_identity_resolved as anchor
            on anchor.identifier = member.person_identifier
        where member.identifier_type in ('lead', 'contact', 'email')
            and member.first_seen_at < anchor.first_seen_at
        """,
    )
    assert later_anchor == 0


def test_converted_lead_keeps_its_lead_id(wh: duckdb.DuckDBPyConnection) -> None:
    # a lead created before its contact anchors the person: conversion does not re-key it
    converted = rows(
        wh,
        """
        select lead_side.lead_id, lead_side.identifier, contact_side.lead_id
        from intermediate.int_identity_links as links
        inner join intermediate.int_identity_resolved as lead_side
            on lead_side.identifier = links.from_identifier
        inner join intermediate.int_identity_resolved as contact_side
            on contact_side.identifier = links.to_identifier
        where links.edge_type = 'lead_converted_contact'
            and lead_side.first_seen_at < contact_side.first_seen_at
        """,
    )
    assert converted
    assert all(lead_id == contact_lead_id for lead_id, _, contact_lead_id in converted)


def test_every_linked_edge_is_explained(wh: duckdb.DuckDBPyConnection) -> None:
    unexplained = scalar(
        wh,
        """
        select count(*)
        from intermediate.int_identity_merge_explanations
        where is_linked and (
            from_lead_id is distinct from to_lead_id
            or source_model is null or source_row_id is null
        )
        """,
    )
    assert unexplained == 0


def _dbt(warehouse: Path, work: Path, *args: str) -> None:
    vars_ = json.dumps({"as_of_date": DEMO_AS_OF.isoformat()})
    done = run_dbt(PROJECT, warehouse, work, "run", "--vars", vars_, *args)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


@pytest.fixture(scope="module")
def rebuilt(pipeline: RunOutcome, demo_settings: Settings, tmp_path_factory):
    assert pipeline.ok
    work = tmp_path_factory.mktemp("identity_rebuild")
    warehouse = work / "rebuild.duckdb"
    shutil.copy(demo_settings.warehouse, warehouse)
    con = duckdb.connect(str(warehouse))
    before = dict(rows(con, "select identifier, lead_id from intermediate.int_identity_resolved"))
    # a person holding a lead, an email and an anonymous id that identified with that email
    lead, email, anon = rows(
        con,
        """
        select lead_side.from_identifier, lead_side.to_identifier, anon_side.from_identifier
        from intermediate.int_identity_links as lead_side
        inner join intermediate.int_identity_links as anon_side
            on anon_side.to_identifier = lead_side.to_identifier
        inner join intermediate.int_identity_resolved as anchor
            on anchor.identifier = lead_side.from_identifier
        where lead_side.edge_type = 'lead_email'
            and anon_side.edge_type = 'identify_anon_email'
            and anchor.person_identifier = lead_side.from_identifier
        order by 1, 3
        limit 1
        """,
    )[0]
    con.execute(
        "insert into reference.identity_exclusions"
        " (exclusion_type, identifier, other_identifier, reason) values (?, ?, ?, ?)",
        ["pair", email, anon, "test: a wrong merge"],
    )
    for table in RAW_TABLES:
        con.execute(f"create table raw.shuffled as select * from raw.{table} order by random()")
        con.execute(f"delete from raw.{table}")
        con.execute(f"insert into raw.{table} select * from raw.shuffled")
        con.execute("drop table raw.shuffled")
    con.close()
    _dbt(warehouse, work, "--full-refresh", "--select", " ".join(IDENTITY_MODELS))
    con = duckdb.connect(str(warehouse), read_only=True)
    after = dict(rows(con, "select identifier, lead_id from intermediate.int_identity_resolved"))
    person = before[lead]
    blocked = scalar(
        con,
        "select count(*) from intermediate.int_identity_links where unlink_reason is not null",
    )
    con.close()
    return before, after, person, lead, email, anon, blocked


def test_exclusion_splits_only_the_wrong_merge(rebuilt) -> None:
    before, after, person, lead, email, anon, blocked = rebuilt
    assert set(before) == set(after)
    assert blocked >= 1
    # the person keeps its id; the excluded anonymous id leaves it
    assert after[lead] == person and after[email] == person
    assert after[anon] != person
    # everyone else: same lead_id as before, although every raw table was read in a new order
    others = [i for i, lead_id in before.items() if lead_id != person]
    assert len(others) > 1000
    changed = [i for i in others if after[i] != before[i]]
    assert changed == []


def _worst_case_script():
    spec = importlib.util.spec_from_file_location(
        "identity_worst_case", PROJECT / "bench" / "identity_worst_case.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_walk_stops_at_convergence_and_names_the_variable_when_rounds_run_out(tmp_path) -> None:
    """A path of 300 identifiers in hash order (the shape that needs most rounds) built by
    dbt: with the default rounds it is one component, and the walk logs how many rounds it
    ran; with too few rounds the build fails naming the variable to raise."""
    script = _worst_case_script()
    warehouse = tmp_path / "walk.duckdb"
    seeds = run_dbt(PROJECT, warehouse, tmp_path, "seed", "-s", *script.SEEDS)
    assert seeds.returncode == 0, seeds.stdout[-3000:]
    con = duckdb.connect(str(warehouse))
    script.build_graph(con, "chain", 300)
    con.close()
    models = ["int_identity_links", "int_identity_resolved"]

    too_few = run_dbt(
        PROJECT, warehouse, tmp_path, "run", "-s", *models, "--vars", "{identity_max_rounds: 2}"
    )
    assert too_few.returncode != 0
    assert "did not converge in 2 rounds" in too_few.stdout
    assert "identity_max_rounds" in too_few.stdout

    built = run_dbt(PROJECT, warehouse, tmp_path, "--debug", "run", "-s", *models)
    assert built.returncode == 0, built.stdout[-3000:]
    rounds = [
        int(r)
        for r in re.findall(r"walk '(?:candidate|person)' converged in (\d+) round", built.stdout)
    ]
    assert len(rounds) == 2 and all(2 < r < 24 for r in rounds), rounds
    con = duckdb.connect(str(warehouse), read_only=True)
    assert (
        scalar(con, "select count(distinct component_id) from intermediate.int_identity_resolved")
        == 1
    )
    leftovers = scalar(
        con,
        "select count(*) from information_schema.tables where table_schema = 'intermediate'"
        " and table_name like 'int_identity_%' and contains(table_name, '__')",
    )
    con.close()
    assert leftovers == 0  # the post-hooks dropped the walk's work tables
