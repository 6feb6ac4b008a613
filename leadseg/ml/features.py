"""Which columns of `int_lead_features_wide` the models use, and how raw values become inputs.

The curated lists name the features we know; columns added to the table later are picked up
by type (numbers, booleans, low-cardinality text) unless they are ids or leak the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

# Ids, keys and columns that already contain the outcome (a lead's lifecycle stage moves to
# "opportunity"/"customer" *because* it converted), so a model would learn the answer.
EXCLUDED_COLUMNS = frozenset(
    {
        "lead_id",
        "as_of_date",
        "lifecycle_stage",
        "is_customer",
        "email_domain",
        "account_id",
        # The outcome itself, when a labelled frame is passed in.
        "is_converted_within_horizon",
        "is_label_complete",
    }
)
# Same information as another feature in a form that explains better: bands read as
# "company of 1,001-5,000 employees", the raw count adds only collinearity; region over country.
REDUNDANT_COLUMNS = frozenset(
    {"employee_count", "annual_revenue_usd", "employee_band", "revenue_band", "country_code"}
)

DEFAULT_NUMERIC = (
    "days_since_created",
    "employee_band_order",
    "revenue_band_order",
    "account_open_opportunity_count",
    "page_views_7d",
    "page_views_30d",
    "page_views_90d",
    "sessions_7d",
    "sessions_30d",
    "sessions_90d",
    "active_days_7d",
    "active_days_30d",
    "active_days_90d",
    "page_views_prev_30d",
    "pricing_page_views_30d",
    "demo_page_views_30d",
    "docs_page_views_30d",
    "careers_page_views_30d",
    "form_submissions_90d",
    "demo_requests_90d",
    "trial_starts_90d",
    "webinar_registrations_90d",
    "emails_delivered_30d",
    "emails_delivered_90d",
    "emails_opened_30d",
    "emails_opened_90d",
    "emails_clicked_30d",
    "emails_clicked_90d",
    "emails_bounced_30d",
    "emails_bounced_90d",
    "emails_unsubscribed_30d",
    "emails_unsubscribed_90d",
    "days_since_last_visit",
)
DEFAULT_BOOLEAN = (
    "has_title",
    "is_business_email",
    "is_in_crm",
    "has_opted_out_of_email",
    "is_customer_account",
)
DEFAULT_CATEGORICAL = (
    "seniority",
    "department",
    "region",
    "lead_source",
    "firmographics_source",
    "industry",
    "page_view_trend",
    "device_type",
    "os_family",
    "browser_family",
)

# Text columns with more distinct values than this are ids or free text, not categories.
MAX_CATEGORIES = 30
# A lead that never visited is "very long ago", not "average"; the indicator keeps the difference.
NEVER_DAYS = 365.0
MISSING_SUFFIX = "__missing"
UNKNOWN_CATEGORY = "unknown"


@dataclass(frozen=True)
class FeatureSpec:
    """The model's inputs, fixed at training time and stored with the model."""

    numeric: tuple[str, ...]
    boolean: tuple[str, ...]
    categorical: tuple[str, ...]
    fill_values: tuple[tuple[str, float], ...]
    missing_indicators: tuple[str, ...]
    log_columns: tuple[str, ...]

    @property
    def passthrough_columns(self) -> list[str]:
        """Columns of `prepare()`'s output that go to the model as numbers."""
        return [
            *self.numeric,
            *(f"{c}{MISSING_SUFFIX}" for c in self.missing_indicators),
            *self.boolean,
        ]

    @property
    def source_columns(self) -> list[str]:
        return [*self.numeric, *self.boolean, *self.categorical]


def column_kind(values: pd.Series) -> str | None:
    """'boolean', 'numeric', 'categorical', or None (empty or not usable as a feature)."""
    present = values.dropna()
    if present.empty:
        return None
    if pd.api.types.is_bool_dtype(values) or all(isinstance(v, bool | np.bool_) for v in present):
        return "boolean"
    if pd.api.types.is_numeric_dtype(values):
        return "numeric"
    if all(isinstance(v, int | float | np.number) for v in present):
        return "numeric"
    if all(isinstance(v, str) for v in present) and present.nunique() <= MAX_CATEGORIES:
        return "categorical"
    return None


def infer_feature_spec(frame: pd.DataFrame) -> FeatureSpec:
    """The feature spec for a training frame: curated columns first, then new ones by type."""
    kinds: dict[str, list[str]] = {"numeric": [], "boolean": [], "categorical": []}
    curated = [
        *((c, "numeric") for c in DEFAULT_NUMERIC),
        *((c, "boolean") for c in DEFAULT_BOOLEAN),
        *((c, "categorical") for c in DEFAULT_CATEGORICAL),
    ]
    known = {c for c, _ in curated}
    for column, expected in curated:
        if column in frame.columns and column_kind(frame[column]) == expected:
            kinds[expected].append(column)
    for column in frame.columns:
        if column in known or column in EXCLUDED_COLUMNS or column in REDUNDANT_COLUMNS:
            continue
        if column.endswith("_id"):
            continue
        kind = column_kind(frame[column])
        if kind is not None:
            kinds[kind].append(column)

    fill_values: list[tuple[str, float]] = []
    indicators: list[str] = []
    log_columns: list[str] = []
    for column in kinds["numeric"]:
        values = pd.to_numeric(frame[column], errors="coerce")
        fill_values.append((column, _fill_value(column, values)))
        if values.isna().any() and not column.startswith("interest_share_"):
            indicators.append(column)
        # Counts and ages are long-tailed: log1p keeps one heavy visitor from dominating.
        is_scale = column.endswith("_order") or column.startswith("interest_share_")
        if not is_scale and values.min(skipna=True) >= 0:
            log_columns.append(column)
    return FeatureSpec(
        numeric=tuple(kinds["numeric"]),
        boolean=tuple(kinds["boolean"]),
        categorical=tuple(kinds["categorical"]),
        fill_values=tuple(fill_values),
        missing_indicators=tuple(indicators),
        log_columns=tuple(log_columns),
    )


def _fill_value(column: str, values: pd.Series) -> float:
    if column.startswith("days_since_"):
        return NEVER_DAYS
    if column.startswith("interest_share_") or _is_count(column):
        return 0.0
    median = values.median(skipna=True)
    return 0.0 if pd.isna(median) else float(median)


def _is_count(column: str) -> bool:
    return column.endswith(("_7d", "_30d", "_90d", "_count"))


def prepare(frame: pd.DataFrame, spec: FeatureSpec) -> pd.DataFrame:
    """Model input for `frame`: filled and log-scaled numbers, 0/1 flags, text categories.

    Columns the spec knows but the frame lacks (a model trained before a column was dropped)
    are treated as missing rather than failing the run.
    """
    out: dict[str, pd.Series] = {}
    fills = dict(spec.fill_values)
    index = frame.index
    for column in spec.numeric:
        raw = _column(frame, column)
        values = pd.to_numeric(raw, errors="coerce").astype("float64")
        filled = values.fillna(fills.get(column, 0.0))
        if column in spec.log_columns:
            filled = np.log1p(filled.clip(lower=0))
        out[column] = filled
    for column in spec.missing_indicators:
        raw = _column(frame, column)
        out[f"{column}{MISSING_SUFFIX}"] = pd.Series(
            raw.isna().astype("float64").to_numpy(), index=index
        )
    for column in spec.boolean:
        raw = _column(frame, column)
        present = raw.notna().to_numpy()
        flags = np.zeros(len(raw), dtype="float64")
        # bool() of each present value, as `if value` would read it (NULL counts as false).
        flags[present] = raw.to_numpy(dtype=object)[present].astype(bool)
        out[column] = pd.Series(flags, index=index)
    for column in spec.categorical:
        raw = _column(frame, column)
        present = raw.notna().to_numpy()
        labels = np.full(len(raw), UNKNOWN_CATEGORY, dtype=object)
        labels[present] = [str(v) for v in raw.to_numpy(dtype=object)[present]]
        out[column] = pd.Series(labels, index=index, dtype=object)
    return pd.DataFrame(out, index=index)


def _column(frame: pd.DataFrame, column: str) -> pd.Series:
    if column in frame.columns:
        return frame[column]
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def combine_category_name(feature: str, category: object) -> str:
    """One-hot output names `feature=category`, so contributions map back to their column."""
    return f"{feature}={category}"


def source_feature(output_name: str) -> str:
    """The raw column a model input (one-hot level, missing flag) was derived from."""
    name = output_name
    for prefix in ("num__", "cat__"):
        name = name.removeprefix(prefix)
    name = name.split("=", 1)[0]
    return name.removesuffix(MISSING_SUFFIX)
