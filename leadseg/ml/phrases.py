"""A lead's feature values in the words a salesperson reads ("VP title", "free-mail address").

Every phrase describes the lead's own value, never the direction of the effect: a zero count
that lowers the score reads "no pricing page views in 30 days", and the +/- in front of it
(added by the caller) says which way it pushed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

Row = Mapping[str, Any]

SENIORITY = {
    "c_level": "C-level title",
    "vp": "VP title",
    "director": "director title",
    "manager": "manager title",
    "individual_contributor": "individual-contributor title",
    "student": "student",
    "other": "title of unclear seniority",
}
TREND = {
    "inactive": "inactive on the website",
    "new": "new website visitor",
    "rising": "rising website activity",
    "falling": "falling website activity",
    "steady": "steady website activity",
}
FIRMOGRAPHICS_SOURCE = {
    "account": "company matched to a CRM account",
    "lead": "company details from the lead only",
    "none": "no company details",
}
BOOLEANS: dict[str, tuple[str, str]] = {
    "is_business_email": ("business email address", "free-mail address"),
    "has_title": ("has a job title", "no job title"),
    "is_in_crm": ("already in the CRM", "not in the CRM"),
    "has_opted_out_of_email": ("opted out of email", "reachable by email"),
    "is_customer_account": ("company is already a customer", "company is not a customer"),
}
# Count columns: (singular noun, plural noun); the window comes from the _7d/_30d/_90d suffix.
COUNTS: dict[str, tuple[str, str]] = {
    "page_views": ("page view", "page views"),
    "sessions": ("website visit", "website visits"),
    "active_days": ("active day on the website", "active days on the website"),
    "pricing_page_views": ("pricing page view", "pricing page views"),
    "demo_page_views": ("demo page view", "demo page views"),
    "docs_page_views": ("docs page view", "docs page views"),
    "careers_page_views": ("careers page view", "careers page views"),
    "form_submissions": ("form submission", "form submissions"),
    "demo_requests": ("demo request", "demo requests"),
    "trial_starts": ("trial start", "trial starts"),
    "webinar_registrations": ("webinar registration", "webinar registrations"),
    "emails_delivered": ("email received", "emails received"),
    "emails_opened": ("email opened", "emails opened"),
    "emails_clicked": ("email click", "email clicks"),
    "emails_bounced": ("bounced email", "bounced emails"),
    "emails_unsubscribed": ("email unsubscribe", "email unsubscribes"),
}
_WINDOW = re.compile(r"^(?P<stem>.+)_(?P<days>\d+)d$")
# Recency columns (days_since_last_<signal>): what the signal is called in a sentence.
RECENCY: dict[str, str] = {
    "pricing_view": "pricing page view",
    "demo_page_view": "demo page view",
    "docs_view": "docs page view",
    "demo_request": "demo request",
    "trial_start": "trial start",
    "webinar_registration": "webinar registration",
    "form_submission": "form submission",
    "email_click": "email click",
    "email_open": "email open",
}


def describe(column: str, row: Row) -> str:
    """The phrase for `row[column]` (the lead's raw, un-imputed value)."""
    value = row.get(column)
    special = _SPECIAL.get(column)
    if special is not None:
        return special(row)
    if column in BOOLEANS:
        yes, no = BOOLEANS[column]
        return "unknown " + humanise(column) if _missing(value) else (yes if value else no)
    if column.startswith("interest_share_"):
        return _interest_share(column.removeprefix("interest_share_"), value)
    if column.startswith("days_since_last_") and column.removeprefix("days_since_last_") in RECENCY:
        signal = RECENCY[column.removeprefix("days_since_last_")]
        if _missing(value):
            return f"no {signal} yet"
        days = int(value)
        return f"last {signal} {'yesterday' if days <= 1 else f'{days} days ago'}"
    match = _WINDOW.match(column)
    if match:
        return _windowed(match["stem"], int(match["days"]), value)
    if isinstance(value, bool):
        return humanise(column) if value else "not " + humanise(column)
    if _missing(value):
        return f"{humanise(column)} unknown"
    if isinstance(value, int | float):
        return f"{humanise(column)}: {_number(value)}"
    return f"{humanise(column)}: {str(value).replace('_', ' ')}"


def humanise(column: str) -> str:
    return column.replace("_", " ").strip()


def count_phrase(n: float, singular: str, plural: str, suffix: str = "") -> str:
    """'no pricing page views in 30 days', '1 pricing page view ...', '4 pricing page views ...'."""
    tail = f" {suffix}" if suffix else ""
    if n == 0:
        return f"no {plural}{tail}"
    return f"{_number(n)} {singular if n == 1 else plural}{tail}"


def _windowed(stem: str, days: int, value: Any) -> str:
    if stem == "page_views_prev":
        stem, suffix = "page_views", f"in the {days} days before that"
    else:
        suffix = f"in {days} days"
    singular, plural = COUNTS.get(stem, (humanise(stem), humanise(stem)))
    if _missing(value):
        return f"{plural} {suffix} unknown"
    return count_phrase(float(value), singular, plural, suffix)


def _interest_share(category: str, value: Any) -> str:
    topic = humanise(category)
    if _missing(value) or float(value) == 0:
        return f"no interest in {topic} pages"
    return f"{round(float(value) * 100):.0f}% of page views on {topic}"


def _seniority(row: Row) -> str:
    value = row.get("seniority")
    if _missing(value):
        return "no title"
    return SENIORITY.get(str(value), f"{humanise(str(value))} title")


def _department(row: Row) -> str:
    value = row.get("department")
    if _missing(value):
        return "department unknown"
    if value == "other":
        return "department unclear"
    return f"works in {str(value).upper() if value in ('it', 'hr') else humanise(str(value))}"


def _region(row: Row) -> str:
    value = row.get("region")
    return "location unknown" if _missing(value) else f"based in {value}"


def _lead_source(row: Row) -> str:
    value = row.get("lead_source")
    return "lead source unknown" if _missing(value) else f"came in via {value}"


def _industry(row: Row) -> str:
    value = row.get("industry")
    return "industry unknown" if _missing(value) else f"{value} industry"


def _trend(row: Row) -> str:
    value = row.get("page_view_trend")
    return "no web activity trend" if _missing(value) else TREND.get(str(value), f"{value} trend")


def _firmographics_source(row: Row) -> str:
    value = row.get("firmographics_source")
    if _missing(value):
        return "no company details"
    return FIRMOGRAPHICS_SOURCE.get(str(value), f"company details from {value}")


def _days_since_created(row: Row) -> str:
    value = row.get("days_since_created")
    if _missing(value):
        return "lead age unknown"
    days = int(value)
    if days == 0:
        return "lead created today"
    return f"lead created {count_phrase(days, 'day', 'days')} ago"


def _days_since_last_visit(row: Row) -> str:
    value = row.get("days_since_last_visit")
    if _missing(value):
        return "never visited the website"
    days = int(value)
    if days >= 90:
        return "no visit in 90+ days"
    if days == 0:
        return "visited the website today"
    return f"last visit {count_phrase(days, 'day', 'days')} ago"


def _employee_band(row: Row) -> str:
    band = row.get("employee_band")
    if _missing(band):
        return "company size unknown"
    return f"company of {band_label(str(band))} employees"


def _revenue_band(row: Row) -> str:
    band = row.get("revenue_band")
    if _missing(band):
        return "company revenue unknown"
    return f"company revenue of ${band_label(str(band))}"


def _open_opportunities(row: Row) -> str:
    value = row.get("account_open_opportunity_count")
    if _missing(value):
        return "no account to check for open opportunities"
    return count_phrase(float(value), "open opportunity", "open opportunities", "on the account")


def _categorical(column: str, label: str) -> Callable[[Row], str]:
    def phrase(row: Row) -> str:
        value = row.get(column)
        return f"{label} unknown" if _missing(value) else f"{label}: {value}"

    return phrase


def band_label(band: str) -> str:
    """'1001-5000' -> '1,001-5,000', '10000+' -> '10,000+'; '10M-50M' stays as it is."""
    return re.sub(r"\d{4,}", lambda m: f"{int(m.group()):,}", band)


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return False
    return bool(pd.api.types.is_scalar(value) and pd.isna(value))


_SPECIAL: dict[str, Callable[[Row], str]] = {
    "seniority": _seniority,
    "department": _department,
    "region": _region,
    "lead_source": _lead_source,
    "industry": _industry,
    "page_view_trend": _trend,
    "firmographics_source": _firmographics_source,
    "days_since_created": _days_since_created,
    "days_since_last_visit": _days_since_last_visit,
    "employee_band_order": _employee_band,
    "revenue_band_order": _revenue_band,
    "account_open_opportunity_count": _open_opportunities,
    "device_type": _categorical("device_type", "device"),
    "os_family": _categorical("os_family", "operating system"),
    "browser_family": _categorical("browser_family", "browser"),
}
