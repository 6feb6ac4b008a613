"""Materialise every asset through Dagster, in this process, and report how it went."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from .config import Settings


@dataclass
class CheckResult:
    asset: str
    check: str
    severity: str
    passed: bool
    description: str = ""


@dataclass
class RunOutcome:
    success: bool
    run_id: str
    as_of: str
    materialized: list[str] = field(default_factory=list)
    failed_steps: list[str] = field(default_factory=list)
    failure_messages: list[str] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)

    @property
    def failed_error_checks(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.passed and c.severity == "ERROR"]

    @property
    def failed_warning_checks(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.passed and c.severity != "ERROR"]

    @property
    def ok(self) -> bool:
        return self.success and not self.failed_error_checks


def run_pipeline(settings: Settings, *, quiet: bool = False, instance=None) -> RunOutcome:
    """Run the `leadseg_all` job in process against the given settings.

    ``instance``: a Dagster instance to record the run in (default an ephemeral one); the
    bench passes one to read the step timings back from its event log.
    """
    from orchestration.config import as_of_run_config
    from orchestration.partitions import partition_for_as_of

    as_of = settings.as_of.isoformat()
    partition_key = partition_for_as_of(as_of)  # refuses an as-of date before the partitions
    return _execute(
        _prepare_job(settings, "leadseg_all", {"as_of_date": as_of}),
        as_of=as_of,
        partition_key=partition_key,
        run_config=as_of_run_config(as_of),
        tags={"leadseg/as_of_date": as_of},
        quiet=quiet,
        instance=instance,
    )


def run_backfill(
    settings: Settings,
    first_day: dt.date,
    last_day: dt.date,
    *,
    quiet: bool = False,
    instance=None,
    on_day: Callable[[str, RunOutcome], None] | None = None,
) -> list[RunOutcome]:
    """Re-process the web events of each day from ``first_day`` to ``last_day`` (inclusive),
    oldest first, one run of the `web_events` job per daily partition; stops at the first
    failed day so later days are not built on a broken one."""
    if last_day < first_day:
        raise ValueError(f"backfill range is empty: {first_day} is after {last_day}")
    from orchestration.partitions import as_of_for_partition, backfill_window_vars

    backfill_id = f"leadseg-{uuid.uuid4().hex[:8]}"
    tags = {"leadseg/backfill": backfill_id}

    def dbt_vars(day: dt.date) -> dict[str, str]:
        # what orchestration.assets.dbt passes to `dbt build` in this day's run
        key = day.isoformat()
        return {"as_of_date": as_of_for_partition(key), **backfill_window_vars(key, tags)}

    # One parse and one job for the whole range; each later day's `dbt build` re-parses
    # once for its own vars.
    job = _prepare_job(settings, "web_events", dbt_vars(first_day))
    outcomes: list[RunOutcome] = []
    day = first_day
    while day <= last_day:
        outcome = _execute(
            job,
            as_of=dbt_vars(day)["as_of_date"],
            partition_key=day.isoformat(),
            run_config={},
            tags=tags,
            quiet=quiet,
            instance=instance,
        )
        outcomes.append(outcome)
        if on_day is not None:
            on_day(day.isoformat(), outcome)
        if not outcome.ok:
            break
        day += dt.timedelta(days=1)
    return outcomes


def _prepare_job(settings: Settings, job_name: str, dbt_vars: dict[str, str]):
    settings.export_env()
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    settings.export_dir.mkdir(parents=True, exist_ok=True)

    # Imported late: the dbt assets read the manifest and the environment at import time.
    from orchestration.project import prepare_manifest

    # Parsed with the vars the run's `dbt build` gets, so that build reuses the parse.
    prepare_manifest(dbt_vars)
    from orchestration.definitions import build_definitions

    return build_definitions(settings).resolve_job_def(job_name)


def _execute(
    job,
    *,
    as_of: str,
    partition_key: str,
    run_config: dict,
    tags: dict[str, str],
    quiet: bool,
    instance,
) -> RunOutcome:
    run_config = dict(run_config)
    if quiet:
        run_config["loggers"] = {"console": {"config": {"log_level": "WARNING"}}}
    result = job.execute_in_process(
        run_config=run_config,
        raise_on_error=False,
        instance=instance,
        partition_key=partition_key,
        tags=tags,
    )
    outcome = RunOutcome(success=result.success, run_id=result.run_id, as_of=as_of)
    for event in result.get_asset_materialization_events():
        outcome.materialized.append(event.asset_key.to_user_string())
    for event in result.get_step_failure_events():
        outcome.failed_steps.append(event.step_key or "?")
        error = event.event_specific_data.error if event.event_specific_data else None
        outcome.failure_messages.append(
            error.message.strip() if error is not None else event.message or "unknown failure"
        )
    for evaluation in result.get_asset_check_evaluations():
        outcome.checks.append(
            CheckResult(
                asset=evaluation.asset_key.to_user_string(),
                check=evaluation.check_name,
                severity=evaluation.severity.value,
                passed=evaluation.passed,
                description=evaluation.description or "",
            )
        )
    return outcome
