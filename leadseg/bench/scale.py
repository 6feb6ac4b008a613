"""Benchmark scales: what ``--scale S`` generates."""

from __future__ import annotations

from dataclasses import dataclass

# S=1, as the issue defines it; S=10 is ten times each.
LEADS_AT_1 = 100_000
ACCOUNTS_AT_1 = 10_000
PAGE_VIEWS_AT_1 = 2_500_000
EMAIL_EVENTS_AT_1 = 1_000_000
HISTORY_DAYS = 365  # so that one more day is about 1/365 of the history
MIN_LEADS = 300  # below this the generator's fixed parts (campaigns, users) dominate


@dataclass(frozen=True)
class Volumes:
    """The target volumes of one scale (the generator hits them within a few percent)."""

    scale: float
    leads: int
    accounts: int
    page_views: int
    email_events: int
    days: int = HISTORY_DAYS

    def generate_kwargs(self) -> dict[str, object]:
        """Keyword arguments for ``leadseg.generate.generate``."""
        return {
            "leads": self.leads,
            "days": self.days,
            "accounts": self.accounts,
            "page_views_per_lead": self.page_views / self.leads,
            "email_events_per_lead": self.email_events / self.leads,
        }


def volumes(scale: float) -> Volumes:
    """Volumes at ``scale``: S=1 is 100k leads, 10k accounts, 2.5M page views, 1M emails."""
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale}")
    leads = round(LEADS_AT_1 * scale)
    if leads < MIN_LEADS:
        raise ValueError(f"scale {scale} gives {leads} leads; the smallest is {MIN_LEADS}")
    return Volumes(
        scale=scale,
        leads=leads,
        accounts=max(30, round(ACCOUNTS_AT_1 * scale)),
        page_views=round(PAGE_VIEWS_AT_1 * scale),
        email_events=round(EMAIL_EVENTS_AT_1 * scale),
    )
