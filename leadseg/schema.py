"""The raw-layer contract shared by the generator, the loader and the dbt sources.

Every landing table is loaded into ``raw.<source>__<table>`` with all data columns as text
(typing happens in dbt staging, where a bad value becomes a quarantine row, not a crash).
The canonical columns below always exist, even before any file arrived, so dbt can select
them; extra columns found in files (custom ``*__c`` fields, unknown columns) are added as
text columns and kept.
"""

from __future__ import annotations

from dataclasses import dataclass

RAW_SCHEMA = "raw"

# Lineage columns the loader adds to every raw row.
META_COLUMNS: dict[str, str] = {
    "_file_path": "VARCHAR",  # path relative to the landing folder, e.g. salesforce/lead.csv.gz
    "_file_row_number": "BIGINT",  # 1-based data row within that file (header not counted)
    "_load_id": "VARCHAR",
    "_loaded_at": "TIMESTAMP",  # UTC, when the file was loaded
}

_SF_AUDIT = ["created_date", "last_modified_date", "system_modstamp", "is_deleted"]

SEGMENT_COMMON = [
    "id",
    "anonymous_id",
    "user_id",
    "timestamp",
    "original_timestamp",
    "received_at",
    "sent_at",
    "context_ip",
    "context_user_agent",
    "context_page_url",
    "context_page_path",
    "context_page_referrer",
    "context_page_title",
    "context_campaign_source",
    "context_campaign_medium",
    "context_campaign_name",
    "context_campaign_term",
    "context_campaign_content",
    "context_library_name",
]


@dataclass(frozen=True)
class RawTable:
    source: str
    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]  # a file without one of these is rejected whole
    optional: bool = False  # a landing folder may legitimately lack this table

    @property
    def relation(self) -> str:
        return f"{self.source}__{self.name}"


def _sf(name: str, columns: list[str], audit: list[str] = _SF_AUDIT) -> RawTable:
    return RawTable("salesforce", name, tuple(["id", *columns, *audit]), ("id",))


RAW_TABLES: tuple[RawTable, ...] = (
    _sf(
        "account",
        [
            "name",
            "website",
            "industry",
            "type",
            "number_of_employees",
            "annual_revenue",
            "billing_country",
            "billing_state",
            "billing_city",
            "phone",
            "owner_id",
            "parent_id",
        ],
    ),
    _sf(
        "lead",
        [
            "email",
            "first_name",
            "last_name",
            "title",
            "company",
            "website",
            "phone",
            "industry",
            "number_of_employees",
            "annual_revenue",
            "country",
            "state",
            "city",
            "lead_source",
            "status",
            "rating",
            "is_converted",
            "converted_date",
            "converted_account_id",
            "converted_contact_id",
            "converted_opportunity_id",
            "has_opted_out_of_email",
            "owner_id",
        ],
    ),
    _sf(
        "contact",
        [
            "account_id",
            "email",
            "first_name",
            "last_name",
            "title",
            "department",
            "phone",
            "mailing_country",
            "mailing_state",
            "mailing_city",
            "lead_source",
            "has_opted_out_of_email",
            "owner_id",
        ],
    ),
    _sf(
        "opportunity",
        [
            "account_id",
            "name",
            "stage_name",
            "amount",
            "close_date",
            "probability",
            "type",
            "lead_source",
            "is_closed",
            "is_won",
            "campaign_id",
            "owner_id",
        ],
    ),
    _sf("opportunity_contact_role", ["opportunity_id", "contact_id", "role", "is_primary"]),
    _sf(
        "task",
        [
            "who_id",
            "what_id",
            "account_id",
            "subject",
            "type",
            "task_subtype",
            "status",
            "activity_date",
            "owner_id",
        ],
    ),
    _sf(
        "campaign",
        [
            "name",
            "type",
            "status",
            "start_date",
            "end_date",
            "is_active",
            "budgeted_cost",
            "actual_cost",
            "parent_id",
        ],
    ),
    _sf(
        "campaign_member",
        [
            "campaign_id",
            "lead_id",
            "contact_id",
            "status",
            "has_responded",
            "first_responded_date",
        ],
    ),
    _sf(
        "user",
        ["first_name", "last_name", "email", "title", "department", "is_active"],
        audit=["created_date", "last_modified_date", "system_modstamp"],
    ),
    RawTable(
        "segment",
        "identifies",
        tuple(
            [
                *SEGMENT_COMMON,
                "email",
                "first_name",
                "last_name",
                "name",
                "company",
                "title",
                "phone",
            ]
        ),
        ("id",),
    ),
    RawTable(
        "segment",
        "pages",
        tuple([*SEGMENT_COMMON, "name", "path", "url", "referrer", "title", "search"]),
        ("id",),
    ),
    RawTable(
        "segment",
        "tracks",
        tuple(
            [
                *SEGMENT_COMMON,
                "event",
                "event_text",
                "email",
                "campaign_id",
                "campaign_name",
                "email_subject",
                "link_url",
                "form_id",
                "form_name",
            ]
        ),
        ("id",),
    ),
    RawTable(
        "segment",
        "users",
        ("id", "email", "first_name", "last_name", "name", "company", "title", "received_at"),
        ("id",),
        optional=True,
    ),
)

RAW_TABLES_BY_RELATION: dict[str, RawTable] = {t.relation: t for t in RAW_TABLES}
SOURCES: tuple[str, ...] = ("salesforce", "segment")


def raw_table(source: str, name: str) -> RawTable | None:
    return RAW_TABLES_BY_RELATION.get(f"{source}__{name}")


def create_table_sql(table: RawTable, schema: str = RAW_SCHEMA) -> str:
    """DDL for one raw table with its canonical text columns and the lineage columns."""
    cols = [f'"{c}" VARCHAR' for c in table.columns]
    cols += [f'"{c}" {t}' for c, t in META_COLUMNS.items()]
    return f'CREATE TABLE IF NOT EXISTS {schema}."{table.relation}" ({", ".join(cols)})'
