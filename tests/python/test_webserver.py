"""The real Dagster webserver serves the whole lineage, from raw tables to marts and exports.

Starts `dagster-webserver -m orchestration.definitions` on a free local port with a
temporary DAGSTER_HOME, asks its GraphQL API for the asset graph, then stops it.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from leadseg.config import PROJECT_DIR
from leadseg.schema import RAW_TABLES

STARTUP_TIMEOUT_S = 240
ASSET_GRAPH_QUERY = """
query LeadsegAssetGraph {
  assetNodes {
    assetKey { path }
    groupName
    dependencyKeys { path }
    isPartitioned
    partitionDefinition { type description }
  }
}
"""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post(url: str, query: str, timeout: float = 30) -> dict:
    request = urllib.request.Request(
        url,
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="module")
def webserver(dbt_manifest: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    work = tmp_path_factory.mktemp("webserver")
    home = work / "dagster_home"
    home.mkdir()
    port = _free_port()
    env = dict(os.environ)
    env.update(
        DAGSTER_HOME=str(home),
        LEADSEG_LANDING_DIR=str(work / "landing"),
        LEADSEG_WAREHOUSE=str(work / "warehouse.duckdb"),
        LEADSEG_EXPORT_DIR=str(work / "exports"),
        LEADSEG_TARGET="duckdb",
    )
    webserver_bin = Path(sys.executable).with_name("dagster-webserver")
    log = open(work / "webserver.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [str(webserver_bin), "-m", "orchestration.definitions", "-h", "127.0.0.1", "-p", str(port)],
        cwd=PROJECT_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the code server child dies with it
    )
    url = f"http://127.0.0.1:{port}/graphql"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                pytest.fail(
                    f"dagster-webserver exited with {proc.returncode}:\n"
                    + (work / "webserver.log").read_text(errors="replace")[-4000:]
                )
            try:
                answer = _post(url, "{ version }", timeout=5)
                if answer.get("data", {}).get("version"):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"dagster-webserver did not answer within {STARTUP_TIMEOUT_S}s:\n"
                    + (work / "webserver.log").read_text(errors="replace")[-4000:]
                )
            time.sleep(1)
        yield url
    finally:
        _stop(proc)
        log.close()


def _asset_graph(url: str) -> dict[tuple[str, ...], dict]:
    # The code location loads in a subprocess; until it has, assetNodes is empty.
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while True:
        answer = _post(url, ASSET_GRAPH_QUERY)
        nodes = (answer.get("data") or {}).get("assetNodes") or []
        if nodes or time.monotonic() > deadline:
            break
        time.sleep(2)
    assert nodes, f"no asset nodes from the webserver: {answer}"
    return {tuple(n["assetKey"]["path"]): n for n in nodes}


@pytest.fixture(scope="module")
def served_graph(webserver: str) -> dict[tuple[str, ...], dict]:
    return _asset_graph(webserver)


def _mart_names() -> list[str]:
    return sorted(p.stem for p in (PROJECT_DIR / "models" / "marts").rglob("*.sql"))


def test_webserver_serves_every_asset_of_the_definitions(served_graph):
    from orchestration.definitions import build_definitions

    expected = {
        tuple(k.path) for k in build_definitions().resolve_asset_graph().get_all_asset_keys()
    }
    missing = expected - set(served_graph)
    assert not missing, f"assets in the definitions but not in the UI: {sorted(missing)}"
    # export assets, whenever the definitions have them, are part of `expected` above
    for table in RAW_TABLES:
        assert ("raw", table.relation) in served_graph, table.relation
    for mart in _mart_names():
        assert ("marts", mart) in served_graph, mart


def test_webserver_lineage_runs_from_raw_tables_to_every_mart(served_graph):
    children: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    for key, node in served_graph.items():
        for dep in node["dependencyKeys"]:
            children.setdefault(tuple(dep["path"]), set()).add(key)
    reached: set[tuple[str, ...]] = set()
    frontier = [("raw", t.relation) for t in RAW_TABLES]
    while frontier:
        key = frontier.pop()
        for child in children.get(key, ()):
            if child not in reached:
                reached.add(child)
                frontier.append(child)
    marts = [("marts", m) for m in _mart_names()]
    unreached = [m for m in marts if m not in reached]
    assert not unreached, f"marts with no lineage back to a raw table: {unreached}"
    # export assets (once the definitions have them) hang off the marts: lineage must reach them
    exports = [
        k
        for k, n in served_graph.items()
        if k[0].startswith("export") or (n["groupName"] or "").startswith("export")
    ]
    assert not [e for e in exports if e not in reached], exports
    groups = {served_graph[m]["groupName"] for m in marts}
    assert all(g and g.startswith("marts_") for g in groups), groups


def test_webserver_shows_the_web_event_models_daily_partitioned(served_graph):
    """What a backfill from the UI needs: the web event models carry the daily partitions
    (the raw tables they read do not)."""
    for model in ("int_web_events_sessionized", "int_web_sessions", "int_lead_events"):
        node = served_graph[("intermediate", model)]
        assert node["isPartitioned"], model
        assert node["partitionDefinition"]["type"] == "TIME_WINDOW", node
        assert "Daily" in node["partitionDefinition"]["description"], node
    assert not served_graph[("raw", "segment__pages")]["isPartitioned"]
