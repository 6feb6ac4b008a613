"""Demo landing data for leadseg: a realistic, messy Salesforce + Segment export.

``generate(out_dir, leads=2000, seed=42)`` writes ``out_dir/salesforce/...`` and
``out_dir/segment/...`` in the landing-folder contract of ``docs/spec.md``. Same arguments
give byte-identical files (numpy ``default_rng(seed)``, seeded Faker, no clock, fixed gzip
headers, per-file random streams so the thread pool cannot reorder anything). Everything is
vectorised, so 100k leads (~1.8M page views, ~0.7M email events) take seconds, not minutes.

Layout (table = folder or file name before the first dot):

===============================================  ==========  ===========================
salesforce/account.csv                           CSV         snake_case + tech_stack_c,
                                                             _fivetran_synced
salesforce/lead/part-0001.csv.gz, part-0002...   CSV gzip    API (ConvertedContactId ...)
                                                             + Lead_Score_Legacy__c,
                                                             Tech_Stack__c; initial sync +
                                                             incremental sync (versions)
salesforce/contact.parquet                       Parquet     API, typed booleans
salesforce/opportunity.jsonl                     NDJSON      snake_case + _fivetran_synced
salesforce/opportunity_contact_role.csv          CSV         API
salesforce/task/part-0001.jsonl.gz, part-0002..  NDJSON gz   snake_case
salesforce/campaign.csv                          CSV         snake_case
salesforce/campaign_member.parquet               Parquet     snake_case, all text
salesforce/user.csv                              CSV         API
segment/identifies.parquet                       Parquet     flat warehouse shape
segment/pages/YYYY-MM-DD.jsonl.gz (per day)      NDJSON gz   raw Segment JSON messages
segment/tracks/YYYY-MM.csv.gz (per month)        CSV gzip    flat warehouse shape
segment/tracks/YYYY-MM-DD.jsonl (last 7 days)    NDJSON      raw Segment JSON messages
segment/users.jsonl                              NDJSON      flat (trial sign-ups)
===============================================  ==========  ===========================
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from . import messy
from .salesforce import SalesforceBuilder
from .segment import SegmentBuilder
from .world import World, simulate
from .writer import encode, write_atomic

__all__ = ["GenerateReport", "generate", "simulate"]

DEFAULT_END_DATE = dt.date(2026, 11, 1)


@dataclass
class GenerateReport:
    """What a run wrote: rows per table (all versions and duplicates), files, bad rows."""

    out_dir: Path
    seed: int
    leads: int
    first_day: dt.date
    end_date: dt.date
    rows: dict[str, int] = field(default_factory=dict)  # "salesforce/lead" -> rows written
    bad_rows: dict[str, int] = field(default_factory=dict)  # deliberately broken rows
    files: list[Path] = field(default_factory=list)  # absolute paths, sorted
    stats: dict[str, float] = field(default_factory=dict)  # facts about the simulated world

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    def summary(self) -> str:
        lines = [
            f"Generated demo landing data in {self.out_dir}",
            f"  seed {self.seed}, {self.leads} leads, events {self.first_day} .. {self.end_date}",
            f"  {len(self.files)} files, {self.total_rows:,} rows "
            f"({sum(self.bad_rows.values()):,} deliberately bad)",
        ]
        width = max((len(k) for k in self.rows), default=10)
        for table in sorted(self.rows):
            n_files = sum(1 for f in self.files if _table_of(f, self.out_dir) == table)
            bad = self.bad_rows.get(table, 0)
            lines.append(
                f"  {table:<{width}} {self.rows[table]:>10,} rows  {n_files:>4} file(s)"
                + (f"  {bad:,} bad" if bad else "")
            )
        if self.stats:
            s = self.stats
            lines.append(
                "  world: {accounts:,.0f} accounts, {people:,.0f} people, {devices:,.0f} web "
                "devices, {page_views:,.0f} page views, {email_events:,.0f} email events".format(
                    **s
                )
            )
            lines.append(
                "  funnel: {converted:,.0f} leads converted ({conversion_rate:.1%}), "
                "{opportunities:,.0f} opportunities, {won:,.0f} won".format(**s)
            )
        return "\n".join(lines)


def _table_of(path: Path, out_dir: Path) -> str:
    rel = path.relative_to(out_dir)
    source, rest = rel.parts[0], rel.parts[1]
    return f"{source}/{rest.split('.')[0]}"


class _Output:
    """Encodes and writes files on a small thread pool (zlib and Arrow release the GIL)."""

    def __init__(
        self, out_dir: Path, rng: np.random.Generator, bad_row_rate: float, workers: int
    ) -> None:
        self.out_dir = out_dir
        self.rng = rng
        self.bad_row_rate = bad_row_rate
        self.pool = ThreadPoolExecutor(max_workers=max(1, workers))
        self.futures: list[Future] = []
        self.rows: dict[str, int] = defaultdict(int)
        self.bad: dict[str, int] = defaultdict(int)
        self.files: list[Path] = []

    def _submit(self, path: Path, produce) -> None:
        self.files.append(path)
        self.futures.append(self.pool.submit(lambda: write_atomic(path, produce())))

    def table(
        self,
        source: str,
        name: str,
        rel: str,
        table: pa.Table,
        spec: messy.BadRowSpec | None = None,
        ts_style: str = "sf",
        n_bad: int = 0,
    ) -> None:
        """A table file. With ``spec``, bad rows are injected here (future timestamps in
        ``ts_style``); else ``n_bad`` says how many the caller already put in."""
        key = f"{source}/{name}"
        if spec is not None:
            table, n_bad = messy.inject_bad_rows(self.rng, table, spec, self.bad_row_rate, ts_style)
        self.rows[key] += table.num_rows
        self.bad[key] += n_bad
        fmt = rel.split("/")[-1].split(".", 1)[1]
        self._submit(self.out_dir / source / rel, lambda: encode(table, fmt))

    def raw(self, source: str, name: str, rel: str, produce, n_rows: int, n_bad: int) -> None:
        key = f"{source}/{name}"
        self.rows[key] += n_rows
        self.bad[key] += n_bad
        self._submit(self.out_dir / source / rel, produce)

    def close(self) -> None:
        try:
            for f in self.futures:
                f.result()
        finally:
            self.pool.shutdown(wait=True)


def _stats(w: World) -> dict[str, float]:
    p = w.p
    leads = int((p["kind"] == 0).sum())
    converted = int(p["converted"].sum())
    return {
        "accounts": float(w.a["is_account"].sum()),
        "people": float(len(p["kind"])),
        "devices": float(len(w.dev["person"])),
        "page_views": float(len(w.pv["t"])),
        "email_events": float(len(w.em["t"])),
        "converted": float(converted),
        "conversion_rate": converted / max(leads, 1),
        "opportunities": float(len(w.opp["created"])),
        "won": float(w.opp["won"].sum()),
    }


# Measured on the default mix (seed 1, 20k-100k leads, 180 and 365 days): what the volume
# knobs scale. The generator draws from distributions, so the knobs hit their targets only
# approximately; the report's ``stats`` say what came out.
ACCOUNTS_PER_COMPANY = 0.79  # companies with an account (pre-existing or a conversion)
EMAIL_EVENTS_PER_LEAD_PER_SEND = 0.48  # delivered + opened + clicked + ... per campaign
# Page views per lead from free sessions (scaled): 15.5 undershot `bench --scale 1` by 9%
# (2,279,359 of 2.5M, 365 days); 13.9 is what that run gave per unit of web_scale.
WEB_FREE_PAGE_VIEWS_PER_LEAD = 13.9
WEB_OTHER_PAGE_VIEWS_PER_LEAD = 3.3  # from identify and email click sessions (not scaled)


def volume_knobs(
    accounts: int | None = None,
    page_views_per_lead: float | None = None,
    email_events_per_lead: float | None = None,
) -> dict[str, object]:
    """``simulate`` keyword arguments that give about the asked-for volumes."""
    knobs: dict[str, object] = {}
    if accounts is not None:
        knobs["n_companies"] = max(30, round(accounts / ACCOUNTS_PER_COMPANY))
    if email_events_per_lead is not None:
        knobs["n_email_sends"] = max(
            1, round(email_events_per_lead / EMAIL_EVENTS_PER_LEAD_PER_SEND)
        )
    if page_views_per_lead is not None:
        free = page_views_per_lead - WEB_OTHER_PAGE_VIEWS_PER_LEAD
        if free <= 0:
            raise ValueError(f"page_views_per_lead must be above {WEB_OTHER_PAGE_VIEWS_PER_LEAD}")
        knobs["web_scale"] = free / WEB_FREE_PAGE_VIEWS_PER_LEAD
    return knobs


def generate(
    out_dir: Path,
    leads: int = 2000,
    seed: int = 42,
    end_date: dt.date = DEFAULT_END_DATE,
    days: int = 180,
    *,
    bad_row_rate: float = 0.002,
    workers: int = 2,
    accounts: int | None = None,
    page_views_per_lead: float | None = None,
    email_events_per_lead: float | None = None,
) -> GenerateReport:
    """Write realistic, deterministic, deliberately messy landing data into ``out_dir``.

    ``leads`` CRM leads (plus ~N/10 accounts, contacts, opportunities, tasks, campaigns,
    anonymous and identified web visitors, email engagement); events fall in the ``days``
    days ending at ``end_date`` (all before ``end_date`` + 1 day, except the deliberately
    bad "future" rows). ``bad_row_rate`` is the share of rows broken on purpose.

    Volume knobs for benchmarks, each approximate (within a few percent) and None for the
    demo's own mix (about 0.1 accounts, 18.5 page views and 7.8 email events per lead):
    ``accounts`` Salesforce accounts, ``page_views_per_lead`` and ``email_events_per_lead``
    (more web sessions per visitor, more email campaigns).
    """
    if not 0 <= bad_row_rate <= 0.5:
        raise ValueError("bad_row_rate must be between 0 and 0.5")
    out_dir = Path(out_dir).resolve()
    knobs = volume_knobs(accounts, page_views_per_lead, email_events_per_lead)
    world = simulate(leads, seed, end_date, days, **knobs)  # type: ignore[arg-type]
    rng = np.random.default_rng([seed, 2])
    out = _Output(out_dir, np.random.default_rng([seed, 3]), bad_row_rate, workers)
    try:
        sf = SalesforceBuilder(
            world,
            rng,
            lambda name, rel, t, spec, style: out.table("salesforce", name, rel, t, spec, style),
            bad_row_rate,
        )
        seg = SegmentBuilder(
            world,
            np.random.default_rng([seed, 4]),
            lambda name, rel, produce, n, bad: out.raw("segment", name, rel, produce, n, bad),
            lambda name, rel, t, bad: out.table("segment", name, rel, t, n_bad=bad),
            bad_row_rate,
            sf.campaign_id,
            seed,
        )
        seg.build_all()  # first: page files render on the pool while Salesforce is built
        sf.build_all()
        out.bad["salesforce/lead"] += sf.conflicts
    finally:
        out.close()
    first_day = end_date - dt.timedelta(days=days - 1)
    return GenerateReport(
        out_dir=out_dir,
        seed=seed,
        leads=leads,
        first_day=first_day,
        end_date=end_date,
        rows=dict(sorted(out.rows.items())),
        bad_rows={k: v for k, v in sorted(out.bad.items()) if v},
        files=sorted(out.files),
        stats=_stats(world),
    )
