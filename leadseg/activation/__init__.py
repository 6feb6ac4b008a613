"""Activation: turn active segments into files an email tool or an ad platform loads."""

from .exports import (
    ADS,
    AUDIENCE_COLUMNS,
    DELTA_COLUMNS,
    DESTINATIONS,
    EMAIL,
    ExportSummary,
    audience_file,
    delta_file,
    export_from_warehouse,
    export_segments,
)
from .hashing import (
    HOLDOUT_BUCKET_DUCKDB_SQL,
    HOLDOUT_BUCKET_POSTGRES_SQL,
    email_sha256,
    holdout_bucket,
    is_holdout,
)
from .state import ExportOrderError, ExportStateError

__all__ = [
    "ADS",
    "AUDIENCE_COLUMNS",
    "DELTA_COLUMNS",
    "DESTINATIONS",
    "EMAIL",
    "HOLDOUT_BUCKET_DUCKDB_SQL",
    "HOLDOUT_BUCKET_POSTGRES_SQL",
    "ExportOrderError",
    "ExportStateError",
    "ExportSummary",
    "audience_file",
    "delta_file",
    "email_sha256",
    "export_from_warehouse",
    "export_segments",
    "holdout_bucket",
    "is_holdout",
]
