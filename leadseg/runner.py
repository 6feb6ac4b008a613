"""Materialise every asset through Dagster, in this process, and report how it went."""

from __future__ import annotations

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


def run_pipeline(settings: Settings, *, quiet: bool = False) -> RunOutcome:
    """Run the `leadseg_all` job in process against the given settings."""
    settings.export_env()
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    settings.export_dir.mkdir(parents=True, exist_ok=True)

    # Imported late: the dbt assets read the manifest and the environment at import time.
    from orchestration.config import as_of_run_config
    from orchestration.project import prepare_manifest

    as_of = settings.as_of.isoformat()
    prepare_manifest({"as_of_date": as_of})
    from orchestration.definitions import build_definitions

    job = build_definitions(settings).resolve_job_def("leadseg_all")
    run_config: dict = as_of_run_config(as_of)
    if quiet:
        run_config["loggers"] = {"console": {"config": {"log_level": "WARNING"}}}
    result = job.execute_in_process(
        run_config=run_config,
        raise_on_error=False,
        tags={"leadseg/as_of_date": as_of},
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
