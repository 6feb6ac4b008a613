"""Watch the landing folder: when files arrive, load only their raw tables and rebuild what
depends on them.

The sensor never holds the warehouse open while a run writes. Its cursor is the list of
landing files it has already acted on (path -> size and mtime), so a normal tick only lists
the folder. Only the very first tick (no cursor yet) looks at ``raw._load_log`` to learn
which files an earlier ``leadseg run`` already loaded, through a short read-only connection;
if a run holds the warehouse at that moment, the tick is skipped and the next one retries.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

import duckdb
from dagster import (
    AssetKey,
    AssetSelection,
    DefaultSensorStatus,
    RunRequest,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

from leadseg.config import Settings
from leadseg.ingest import scan_landing
from leadseg.schema import RAW_SCHEMA

from .jobs import leadseg_all_job
from .partitions import partition_for_as_of
from .resources import LeadsegPaths

# file path (relative to the landing folder) -> "size:mtime_ns"
FileStamps = dict[str, str]

LOADED_STATUSES = ("loaded", "duplicate_content")


def _stamp(path: Path) -> str:
    stat = path.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def landing_files(landing_dir: Path) -> dict[str, tuple[str, str]]:
    """Every loadable landing file: relative path -> (raw relation, stamp)."""
    found: dict[str, tuple[str, str]] = {}
    for relation, files in scan_landing(landing_dir).files.items():
        for lf in files:
            try:
                found[lf.rel_path] = (relation, _stamp(lf.path))
            except FileNotFoundError:  # removed while we listed the folder
                continue
    return found


def loaded_files(warehouse: Path) -> dict[str, int] | None:
    """Files ``raw._load_log`` says were loaded: path -> size in bytes.

    ``{}`` when there is no warehouse (or no load log) yet; ``None`` when the warehouse is
    busy (a run holds it), so the caller can try again on its next tick.
    """
    if not warehouse.exists():
        return {}
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error:
        return None
    try:
        exists = con.execute(
            "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
            [RAW_SCHEMA, "_load_log"],
        ).fetchone()[0]
        if not exists:
            return {}
        rows = con.execute(
            f"select file_path, max(size_bytes) from {RAW_SCHEMA}._load_log "
            f"where status in {LOADED_STATUSES} group by file_path"
        ).fetchall()
    finally:
        con.close()
    return {path: int(size or 0) for path, size in rows}


def baseline_from_load_log(
    on_disk: Mapping[str, tuple[str, str]], loaded: Mapping[str, int]
) -> FileStamps:
    """The cursor an earlier run implies: files on disk whose path and size were loaded."""
    return {
        path: stamp
        for path, (_, stamp) in on_disk.items()
        if path in loaded and int(stamp.split(":", 1)[0]) == loaded[path]
    }


def new_files(on_disk: Mapping[str, tuple[str, str]], seen: Mapping[str, str]) -> dict[str, str]:
    """Files that are new or changed since ``seen``: path -> raw relation."""
    return {
        path: relation for path, (relation, stamp) in on_disk.items() if seen.get(path) != stamp
    }


def selection_for(relations: set[str], asset_graph) -> list[AssetKey]:
    """The ingestion assets of ``relations`` and every asset downstream of them."""
    roots = [AssetKey([RAW_SCHEMA, r]) for r in sorted(relations)]
    keys = AssetSelection.assets(*roots).downstream().resolve(asset_graph)
    return sorted(keys & asset_graph.materializable_asset_keys, key=lambda k: k.path)


def _decode(cursor: str | None) -> FileStamps | None:
    if not cursor:
        return None
    try:
        data = json.loads(cursor)
    except ValueError:
        return None
    files = data.get("files") if isinstance(data, dict) else None
    return files if isinstance(files, dict) else None


def _encode(stamps: Mapping[str, str]) -> str:
    return json.dumps({"files": dict(sorted(stamps.items()))}, separators=(",", ":"))


@sensor(
    name="landing_files_sensor",
    job=leadseg_all_job,
    minimum_interval_seconds=60,
    default_status=DefaultSensorStatus.RUNNING,
    description=(
        "Lists the landing folder every minute; new or changed files start a run of the raw "
        "tables they belong to and of every asset downstream of those tables."
    ),
)
def landing_files_sensor(
    context: SensorEvaluationContext, paths: LeadsegPaths
) -> SensorResult | SkipReason:
    on_disk = landing_files(paths.landing_path)
    seen = _decode(context.cursor)
    if seen is None:
        if paths.target != "duckdb":
            seen = {}  # the loader skips what it already loaded: one harmless extra run
        else:
            loaded = loaded_files(paths.warehouse_path)
            if loaded is None:
                return SkipReason(
                    f"warehouse {paths.warehouse} is in use; comparing on the next tick"
                )
            seen = baseline_from_load_log(on_disk, loaded)
    arrived = new_files(on_disk, seen)
    # Files that disappeared are forgotten, so a file put back later counts as new.
    cursor = _encode({path: stamp for path, (_, stamp) in on_disk.items()})
    if not arrived:
        return SensorResult(
            skip_reason=SkipReason(f"no new files under {paths.landing_dir}"), cursor=cursor
        )
    relations = set(arrived.values())
    selection = selection_for(relations, context.repository_def.asset_graph)
    key = hashlib.sha256(
        json.dumps({p: on_disk[p][1] for p in sorted(arrived)}).encode()
    ).hexdigest()[:16]
    shown = sorted(arrived)
    context.log.info(
        "%s new file(s) for %s: %s%s",
        len(arrived),
        ", ".join(sorted(relations)),
        ", ".join(shown[:5]),
        " …" if len(shown) > 5 else "",
    )
    return SensorResult(
        run_requests=[
            RunRequest(
                run_key=f"landing-{key}",
                asset_selection=selection,
                # as of today: yesterday's partition, like the daily schedule
                partition_key=partition_for_as_of(Settings.from_env().as_of),
                tags={
                    "leadseg/trigger": "landing_files_sensor",
                    "leadseg/raw_tables": ",".join(sorted(relations)),
                },
            )
        ],
        cursor=cursor,
    )
