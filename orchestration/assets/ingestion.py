"""One asset per raw table: load the landing files that arrived since the last run."""

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    Backoff,
    Failure,
    MaterializeResult,
    MetadataValue,
    RetryPolicy,
    asset,
)

from leadseg.ingest import LandingFileError, load_table
from leadseg.schema import RAW_SCHEMA, RAW_TABLES, RawTable

from ..resources import LeadsegPaths

# Transient trouble (a warehouse file locked by another process) is worth a retry; a broken
# landing file is not, so that failure is raised with allow_retries=False.
INGESTION_RETRY = RetryPolicy(max_retries=3, delay=2, backoff=Backoff.EXPONENTIAL)


def ingestion_asset_key(table: RawTable) -> AssetKey:
    return AssetKey([RAW_SCHEMA, table.relation])


def _build_ingestion_asset(table: RawTable) -> AssetsDefinition:
    @asset(
        key=ingestion_asset_key(table),
        group_name=f"raw_{table.source}",
        kinds={"python", "duckdb"},
        retry_policy=INGESTION_RETRY,
        description=(
            f"Landing files under `{table.source}/{table.name}*` loaded into "
            f"`{RAW_SCHEMA}.{table.relation}` (all columns text, with file and row lineage). "
            "Each file is loaded once; rows that cannot be parsed go to `raw._load_quarantine`."
        ),
        metadata={"landing_glob": f"{table.source}/{table.name}*"},
    )
    def _ingest(context: AssetExecutionContext, paths: LeadsegPaths) -> MaterializeResult:
        try:
            report = load_table(paths.landing_path, paths.warehouse_path, table.relation)
        except LandingFileError as exc:
            raise Failure(
                description=f"{RAW_SCHEMA}.{table.relation}: {exc}",
                metadata={"landing_dir": paths.landing_dir},
                allow_retries=False,
            ) from exc
        context.log.info(
            "%s: %s new file(s), %s row(s) loaded, %s quarantined, %s file(s) skipped",
            table.relation,
            report.files_loaded,
            report.rows_loaded,
            report.rows_quarantined,
            report.files_skipped,
        )
        return MaterializeResult(
            metadata={
                "files_loaded": report.files_loaded,
                "files_skipped": report.files_skipped,
                "rows_loaded": report.rows_loaded,
                "rows_quarantined": report.rows_quarantined,
                "table": MetadataValue.text(f"{RAW_SCHEMA}.{table.relation}"),
            }
        )

    return _ingest


ingestion_assets: list[AssetsDefinition] = [_build_ingestion_asset(t) for t in RAW_TABLES]
