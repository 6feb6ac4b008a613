"""Landing folder -> ``raw.*`` loader (see docs/architecture.md, "Raw contract").

Public API::

    LandingFileError
    ensure_raw_schema(con)
    discover_files(landing_dir) -> {relation: [Path, ...]}
    load_table(landing_dir, warehouse, relation) -> TableLoadReport
    load_landing(landing_dir, warehouse) -> [TableLoadReport, ...]
"""

from leadseg.ingest.discover import scan_landing
from leadseg.ingest.errors import LandingFileError
from leadseg.ingest.loader import (
    FileLoadDetail,
    TableLoadReport,
    discover_files,
    ensure_raw_schema,
    load_landing,
    load_table,
)

__all__ = [
    "FileLoadDetail",
    "LandingFileError",
    "TableLoadReport",
    "discover_files",
    "ensure_raw_schema",
    "load_landing",
    "load_table",
    "scan_landing",
]
