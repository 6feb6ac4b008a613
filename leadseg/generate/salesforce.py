"""Salesforce objects as replication tools land them: versions, soft deletes, mixed spellings."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import messy
from .arrow_text import DAY_MS, NA_MS, concat, ints, take, where
from .clock import MIN_MS
from .ids import PREFIXES, sf_ids, to15
from .reference import CONTACT_ROLES, DEPARTMENTS, INDUSTRIES, LEAD_SOURCES, OPEN_STAGES
from .world import KIND_CONTACT, KIND_LEAD, World

NA = NA_MS
Emit = Callable[[str, str, pa.Table, messy.BadRowSpec], None]

LEAD_STATUS = [
    "Open - Not Contacted",
    "Working - Contacted",
    "Nurturing",
    "Closed - Not Converted",
    "Unqualified",
    "Closed - Converted",
]
RATINGS = ["Hot", "Warm", "Cold"]
ACCOUNT_TYPES = ["Prospect", "Customer", "Partner", "Competitor", "Other"]
MEMBER_STATUS = ["Sent", "Responded", "Registered", "Attended", "No Show", "Visited Booth"]
TASK_TYPES = ["Call", "Email", "Meeting"]
TASK_SUBTYPES = ["Call", "Email", "Task"]
TASK_SUBJECTS = [
    ["Call", "Discovery call", "Left voicemail", "Follow-up call", "Connect call", "Call back"],
    [
        "Email: Intro",
        "Email: Following up",
        "Email: Pricing info",
        "Sent case study",
        "Email: Quick question",
        "Email: Re: Demo",
    ],
    [
        "Demo",
        "Discovery meeting",
        "Technical deep dive",
        "Pricing review",
        "Kick-off",
        "Security review",
    ],
]


def api_name(snake: str) -> str:
    """``converted_contact_id`` -> ``ConvertedContactId`` (custom fields stay as they are)."""
    if snake.endswith("__c") or snake.startswith("_"):
        return snake
    return "".join(part.capitalize() for part in snake.split("_"))


def assign_ids(
    rng: np.random.Generator, obj: str, created: np.ndarray, mask: np.ndarray | None = None
) -> pa.Array:
    """Ids for the entities where ``mask``, numbered in creation order (null elsewhere)."""
    n = len(created)
    mask = np.ones(n, dtype=bool) if mask is None else mask
    idx = np.flatnonzero(mask)
    order = idx[np.argsort(created[idx], kind="stable")]
    ids = sf_ids(rng, PREFIXES[obj], len(order))
    pos = np.full(n, -1)
    pos[order] = np.arange(len(order))
    return take(ids, pos)


def ref(rng: np.random.Generator, ids: pa.Array, idx: np.ndarray, p15: float = 0.0) -> pa.Array:
    """ids[idx] (null for -1), a fraction written in the 15-character form."""
    out = take(ids, idx)
    if p15 > 0 and len(out):
        out = where(rng.random(len(out)) < p15, to15(out), out)
    return out


def audit_cols(
    rng: np.random.Generator,
    created: np.ndarray,
    changed: np.ndarray,
    deleted: np.ndarray | None,
    styles: list[str],
    weights: list[float] | None,
    bool_style: str = "lower",
    t1: int | None = None,
) -> dict[str, pa.Array]:
    """created_date, last_modified_date, system_modstamp (a moment later), is_deleted."""
    lag = rng.integers(0, 4000, len(changed))
    if t1 is not None:
        lag = np.minimum(lag, np.maximum(t1 - 1000 - changed, 0))
    out = {
        "created_date": messy.ts(rng, created, styles, weights),
        "last_modified_date": messy.ts(rng, changed, styles, weights),
        "system_modstamp": messy.ts(rng, changed + lag, styles, weights),
    }
    if deleted is not None:
        out["is_deleted"] = messy.bools(rng, deleted, bool_style)
    return out


def latest(*times: np.ndarray, upto: np.ndarray) -> np.ndarray:
    """Per row: the latest of the given times that is not after ``upto``."""
    out = np.full(len(upto), NA)
    for t in times:
        ok = (t != NA) & (t <= upto)
        out = np.where(ok & (t > out), t, out)
    return out


class SalesforceBuilder:
    def __init__(
        self, w: World, rng: np.random.Generator, emit: Emit, bad_row_rate: float = 0.002
    ) -> None:
        self.w, self.rng, self.emit = w, rng, emit
        self.bad_row_rate = bad_row_rate
        self.conflicts = 0
        p, a = w.p, w.a
        self.user_id = assign_ids(rng, "user", w.u["created"])
        self.account_id = assign_ids(rng, "account", a["acc_created"], a["is_account"])
        lead_mask = p["kind"] == KIND_LEAD
        self.lead_id = assign_ids(rng, "lead", p["created"], lead_mask)
        self.contact_id = assign_ids(rng, "contact", p["contact_created"], p["is_contact"])
        self.opp_id = assign_ids(rng, "opportunity", w.opp["created"])
        self.campaign_created = np.minimum(
            np.array(
                [r["start"] - (10 + i % 20) * DAY_MS for i, r in enumerate(w.c["rows"])],
                dtype=np.int64,
            ),
            w.t1 - 2 * DAY_MS - np.arange(w.c["n"]) * 3_600_000,
        )
        self.campaign_id = assign_ids(rng, "campaign", self.campaign_created)
        self.future = w.t1 + 800 * DAY_MS
        # how a person's country and email are spelled stays the same across versions
        stable = np.random.default_rng([w.seed, 77])
        n_people = len(p["kind"])
        self.country_variant = messy.choice(stable, messy.VARIANT_WEIGHTS, n_people)
        self.email_noise = stable.random((n_people, 2))

    def _audit(self, *args, **kwargs) -> dict[str, pa.Array]:
        return audit_cols(*args, t1=self.w.t1, **kwargs)

    # ----------------------------------------------------------------------------------
    def users(self) -> None:
        w, rng, u = self.w, self.rng, self.w.u
        n = len(u["created"])
        left = u["left_at"] != NA
        rows = np.concatenate([np.arange(n), np.flatnonzero(left)])
        v2 = np.arange(len(rows)) >= n
        cp = w.pools.countries[0]
        changed = np.where(v2, u["left_at"][rows], u["created"][rows])
        cols = {
            "id": take(self.user_id, rows),
            "first_name": take(cp.first, u["first"][rows]),
            "last_name": take(cp.last, u["last"][rows]),
            "email": take(list(u["email"]), rows),
            "title": take(list(u["title"]), rows),
            "department": take(list(u["dept"]), rows),
            "is_active": messy.bools(rng, ~v2, "lower"),
        }
        cols |= self._audit(rng, u["created"][rows], changed, None, ["sf"], None)
        self._emit(
            "user",
            "user.csv",
            cols,
            api=True,
            ts_style="sf",
            spec=messy.BadRowSpec(ts_cols=("created_date",)),
        )

    # ----------------------------------------------------------------------------------
    def accounts(self) -> None:
        w, rng, a = self.w, self.rng, self.w.a
        acc = np.flatnonzero(a["is_account"])
        became_customer = (a["won_at"][acc] != NA) & (a["type"][acc] != 1)
        no_deals = ~np.isin(acc, w.p["company"][w.p["converted"]]) & (a["won_at"][acc] == NA)
        deleted = no_deals & (rng.random(len(acc)) < 0.004)
        t_del = w.t1 - rng.integers(1, 60, len(acc)) * DAY_MS
        rows = np.concatenate([acc, acc[became_customer], acc[deleted]])
        ver = np.repeat([0, 1, 2], [len(acc), became_customer.sum(), deleted.sum()])
        created = a["acc_created"][rows]
        changed = created.copy()
        changed[ver == 1] = np.maximum(a["won_at"][rows][ver == 1], created[ver == 1])
        changed[ver == 2] = np.maximum(t_del[deleted], created[ver == 2] + DAY_MS)
        changed = np.minimum(changed, w.t1 - MIN_MS)
        typ = np.where(a["preexisting"][rows], a["type"][rows], 0)
        typ = np.where(ver >= 1, np.where(ver == 1, 1, typ), typ)
        typ = np.where((ver == 2) & (a["won_at"][rows] != NA), 1, typ)
        dom = take(w.domains, rows)
        style = a["website_style"][rows]
        website = where(style == 0, concat("https://www.", dom), dom)
        website = where(style == 1, concat("www.", dom), website)
        website = where(style == 3, concat("http://", dom, "/"), website)
        ind_names = []
        for _, _, _, spellings in INDUSTRIES:
            ind_names += [spellings[min(k, len(spellings) - 1)] for k in range(11)]
        ind = a["industry"][rows] * 11 + a["ind_variant"][rows]
        ind = np.where(rng.random(len(rows)) < 0.06, -1, ind)
        cpools = w.pools.countries
        country = a["country"][rows]
        cols = {
            "id": take(self.account_id, rows),
            "name": take(w.company_names, rows),
            "website": website,
            "industry": take(ind_names, ind),
            "type": take(ACCOUNT_TYPES, typ),
            "number_of_employees": ints(a["employees"][rows], rng.random(len(rows)) > 0.08),
            "annual_revenue": ints(a["revenue"][rows], a["revenue_known"][rows]),
            "billing_country": messy.countries(rng, country),
            "billing_state": pa.array(
                [
                    cpools[c].states[s] or None
                    for c, s in zip(country, a["state"][rows], strict=True)
                ],
                pa.string(),
            ),
            "billing_city": pa.array(
                [cpools[c].cities[s] for c, s in zip(country, a["city"][rows], strict=True)],
                pa.string(),
            ),
            "phone": pa.array(
                [cpools[c].phones[s] for c, s in zip(country, a["phone"][rows], strict=True)],
                pa.string(),
            ),
            "owner_id": take(self.user_id, a["owner"][rows]),
            "parent_id": ref(rng, self.account_id, a["parent"][rows], 0.3),
        }
        cols |= self._audit(rng, created, changed, ver == 2, ["space", "z"], [0.85, 0.15])
        cols["tech_stack_c"] = take(w.tech_stacks, np.where(a["tech_known"][rows], rows, -1))
        cols["_fivetran_synced"] = messy.ts(
            rng, np.minimum(changed + rng.integers(1, 90, len(rows)) * MIN_MS, w.t1 - 1000), ["z"]
        )
        order = np.lexsort((changed,))
        self._emit(
            "account",
            "account.csv",
            cols,
            api=False,
            order=order,
            ts_style="space",
            spec=messy.BadRowSpec(
                ts_cols=("created_date", "system_modstamp"),
                num_cols=("number_of_employees", "annual_revenue"),
            ),
        )

    # ----------------------------------------------------------------------------------
    def _lead_rows(
        self, leads: np.ndarray, at: np.ndarray
    ) -> tuple[dict[str, pa.Array], np.ndarray]:
        """The state of each lead as it was at time ``at``."""
        w, rng, p, a = self.w, self.rng, self.w.p, self.w.a
        n = len(leads)
        conv = p["converted"][leads] & (p["t_conv"][leads] <= at)
        st = np.where(p["t_work"][leads] != NA, np.where(p["t_work"][leads] <= at, 1, 0), 0)
        final_due = (p["t_status"][leads] != NA) & (p["t_status"][leads] <= at)
        st = np.where(final_due, p["status"][leads], st)
        st = np.where(conv, 5, np.where(st == 5, 1, st))
        title_changed = (p["t_title"][leads] != NA) & (p["t_title"][leads] <= at)
        title = np.where(title_changed, p["new_title"][leads], p["title"][leads])
        opted = (p["opted_out_at"][leads] != NA) & (p["opted_out_at"][leads] <= at)
        deleted = (p["t_del"][leads] != NA) & (p["t_del"][leads] <= at)
        changed = latest(
            p["created"][leads],
            p["t_work"][leads],
            p["t_status"][leads],
            p["t_conv"][leads],
            p["t_title"][leads],
            p["opted_out_at"][leads],
            p["t_del"][leads],
            upto=at,
        )
        comp = p["company"][leads]
        country = p["country"][leads]
        cpools = w.pools.countries
        first = [cpools[c].first[f] for c, f in zip(country, p["first"][leads], strict=True)]
        last = [cpools[c].last[f] for c, f in zip(country, p["last"][leads], strict=True)]
        junk = p["junk"][leads]
        first = pa.array(first, pa.string())
        last = pa.array(last, pa.string())
        first = where(junk, "Test", first)
        last = where(junk, "Test", last)
        email = messy.emails(rng, take(w.emails, leads), noise=self.email_noise[leads])
        company = take(w.company_names, comp)
        r = rng.random(n)
        company = where(r < 0.04, pc.utf8_lower(company), company)
        free_company = take(
            ["[not provided]", "Self-employed", "N/A", "Freelance"], rng.integers(0, 4, n)
        )
        company = where(p["free"][leads] & (rng.random(n) < 0.4), free_company, company)
        ind_names = [spellings[0] for *_, spellings in INDUSTRIES]
        ind = np.where(rng.random(n) < 0.55, a["industry"][comp], -1)
        emp_known = rng.random(n) < 0.5
        cat_title = self.w.titles["title"]
        rating = np.where(st == 0, -1, p["rating"][leads])
        has_opp = np.isin(leads, self.w.opp["person"])
        opp_of = np.full(len(p["kind"]), -1)
        op = self.w.opp["person"]
        opp_of[op[op >= 0]] = np.flatnonzero(op >= 0)
        cols = {
            "id": take(self.lead_id, leads),
            "email": email,
            "first_name": first,
            "last_name": last,
            "title": take(cat_title, title),
            "company": company,
            "website": take(w.domains, np.where(rng.random(n) < 0.35, comp, -1)),
            "phone": pa.array(
                [
                    cpools[c].phones[s] if k else None
                    for c, s, k in zip(
                        country, p["phone"][leads], p["phone_known"][leads], strict=True
                    )
                ],
                pa.string(),
            ),
            "industry": take(ind_names, ind),
            "number_of_employees": ints(a["employees"][comp], emp_known),
            "annual_revenue": ints(
                a["revenue"][comp], emp_known & a["revenue_known"][comp] & (rng.random(n) < 0.6)
            ),
            "country": messy.countries(rng, country, self.country_variant[leads]),
            "state": pa.array(
                [
                    cpools[c].states[s] or None
                    for c, s in zip(country, p["state"][leads], strict=True)
                ],
                pa.string(),
            ),
            "city": pa.array(
                [cpools[c].cities[s] for c, s in zip(country, p["city"][leads], strict=True)],
                pa.string(),
            ),
            "lead_source": take([s[0] for s in LEAD_SOURCES], p["src"][leads]),
            "status": take(LEAD_STATUS, st),
            "rating": take(RATINGS, rating),
            "is_converted": messy.bools(rng, conv, "mixed"),
            "converted_date": where(
                conv, messy.dates(p["t_conv"][leads]), pa.scalar(None, pa.string())
            ),
            "converted_account_id": where(
                conv, ref(rng, self.account_id, comp, 0.2), pa.scalar(None, pa.string())
            ),
            "converted_contact_id": where(
                conv, ref(rng, self.contact_id, leads, 0.25), pa.scalar(None, pa.string())
            ),
            "converted_opportunity_id": where(
                conv & has_opp,
                ref(rng, self.opp_id, opp_of[leads], 0.2),
                pa.scalar(None, pa.string()),
            ),
            "has_opted_out_of_email": messy.bools(rng, opted, "mixed", valid=rng.random(n) > 0.05),
            "owner_id": take(self.user_id, p["owner"][leads]),
        }
        cols |= self._audit(
            rng,
            p["created"][leads],
            changed,
            deleted,
            ["sf", "z"],
            [0.85, 0.15],
            bool_style="mixed",
        )
        cols["Lead_Score_Legacy__c"] = ints(p["legacy_score"][leads], p["legacy_known"][leads])
        cols["Tech_Stack__c"] = take(w.tech_stacks, np.where(rng.random(n) < 0.3, comp, -1))
        return cols, changed

    def leads(self) -> None:
        """Initial sync at a cut-over time, then an incremental sync of what changed since."""
        w, rng, p = self.w, self.rng, self.w.p
        cut = w.t0 + (w.t1 - w.t0) * 3 // 5
        leads = np.flatnonzero(p["kind"] == KIND_LEAD)
        first = leads[p["created"][leads] < cut]
        last_change = latest(
            p["created"],
            p["t_work"],
            p["t_status"],
            p["t_conv"],
            p["t_title"],
            p["opted_out_at"],
            p["t_del"],
            upto=np.full(len(p["kind"]), w.t1),
        )
        second = leads[last_change[leads] >= cut]
        # some leads changed twice after the cut: the sync saw the intermediate state too
        mid = second[
            (p["t_work"][second] > cut)
            & (p["t_status"][second] > p["t_work"][second])
            & (rng.random(len(second)) < 0.6)
        ]
        spec = messy.BadRowSpec(
            ts_cols=("created_date", "system_modstamp", "last_modified_date"),
            num_cols=("number_of_employees", "annual_revenue"),
        )
        cols1, ch1 = self._lead_rows(first, np.full(len(first), cut))
        self._emit(
            "lead",
            "lead/part-0001.csv.gz",
            cols1,
            api=True,
            spec=spec,
            ts_style="sf",
            order=np.argsort(ch1, kind="stable"),
        )
        both = np.concatenate([second, mid])
        at = np.concatenate([np.full(len(second), w.t1), p["t_work"][mid]])
        cols2, ch2 = self._lead_rows(both, at)
        self._emit(
            "lead",
            "lead/part-0002.csv.gz",
            cols2,
            api=True,
            spec=spec,
            ts_style="sf",
            order=np.argsort(ch2, kind="stable"),
            conflicts=True,
        )

    # ----------------------------------------------------------------------------------
    def contacts(self) -> None:
        w, rng, p = self.w, self.rng, self.w.p
        con = np.flatnonzero(p["is_contact"])
        created = p["contact_created"][con]
        opt_later = (p["opted_out_at"][con] != NA) & (p["opted_out_at"][con] > created)
        title_later = (p["t_title"][con] != NA) & (p["t_title"][con] > created)
        dele = (p["kind"][con] == KIND_CONTACT) & (rng.random(len(con)) < 0.005)
        upd = opt_later | title_later | dele
        rows = np.concatenate([con, con[upd]])
        v2 = np.arange(len(rows)) >= len(con)
        cr = p["contact_created"][rows]
        end = np.full(len(rows), w.t1)
        ch_final = latest(cr, p["opted_out_at"][rows], p["t_title"][rows], upto=end)
        del_t = np.minimum(np.maximum(ch_final, cr) + 2 * DAY_MS, w.t1 - MIN_MS)
        is_del = v2 & np.concatenate([np.zeros(len(con), bool), dele[upd]])
        changed = np.where(v2, np.where(is_del, del_t, ch_final), cr)
        opted = (p["opted_out_at"][rows] != NA) & (p["opted_out_at"][rows] <= changed)
        title = np.where(
            (p["t_title"][rows] != NA) & (p["t_title"][rows] <= changed),
            p["new_title"][rows],
            p["title"][rows],
        )
        country = p["country"][rows]
        cp = w.pools.countries
        comp = p["company"][rows]
        dep = p["dep"][rows]
        dept_names = [d[1] for d in DEPARTMENTS]
        cols = {
            "id": take(self.contact_id, rows),
            "account_id": ref(rng, self.account_id, comp, 0.0),
            "email": messy.emails(rng, take(w.emails, rows), 0.03, 0.01),
            "first_name": pa.array(
                [cp[c].first[f] for c, f in zip(country, p["first"][rows], strict=True)],
                pa.string(),
            ),
            "last_name": pa.array(
                [cp[c].last[f] for c, f in zip(country, p["last"][rows], strict=True)], pa.string()
            ),
            "title": take(w.titles["title"], title),
            "department": take(dept_names, np.where(rng.random(len(rows)) < 0.6, dep, -1)),
            "phone": pa.array(
                [cp[c].phones[s] for c, s in zip(country, p["phone"][rows], strict=True)],
                pa.string(),
            ),
            "mailing_country": messy.countries(rng, country),
            "mailing_state": pa.array(
                [cp[c].states[s] or None for c, s in zip(country, p["state"][rows], strict=True)],
                pa.string(),
            ),
            "mailing_city": pa.array(
                [cp[c].cities[s] for c, s in zip(country, p["city"][rows], strict=True)],
                pa.string(),
            ),
            "lead_source": take([s[0] for s in LEAD_SOURCES], p["src"][rows]),
            "has_opted_out_of_email": pa.array(opted),
            "owner_id": take(self.user_id, p["owner"][rows]),
        }
        cols |= self._audit(rng, cr, changed, None, ["utc"], None)
        cols["is_deleted"] = pa.array(is_del)
        self._emit(
            "contact",
            "contact.parquet",
            cols,
            api=True,
            ts_style="utc",
            order=np.argsort(changed, kind="stable"),
            spec=messy.BadRowSpec(ts_cols=("created_date", "system_modstamp")),
        )

    # ----------------------------------------------------------------------------------
    def opportunities(self) -> None:
        w, rng, o, p = self.w, self.rng, self.w.opp, self.w.p
        no = len(o["created"])
        moved = o["closed"] | (o["open_stage"] > 0)
        rows = np.concatenate([np.arange(no), np.flatnonzero(moved)])
        v2 = np.arange(len(rows)) >= no
        changed = np.where(v2, o["stage_t"][rows], o["created"][rows])
        changed = np.minimum(changed, w.t1 - MIN_MS)
        closed = v2 & o["closed"][rows]
        won = closed & o["won"][rows]
        stage_names = [s[0] for s in OPEN_STAGES] + ["Closed Won", "Closed Lost"]
        stage = np.where(v2, o["open_stage"][rows], 0)
        stage = np.where(closed, np.where(won, 8, 9), stage)
        probs = np.array([s[1] for s in OPEN_STAGES] + [100, 0])
        # campaign influence: the latest campaign the person responded to before the deal
        cm = w.cm
        camp_of = np.full(len(p["kind"]), -1)
        order = np.argsort(cm["t"], kind="stable")
        camp_of[cm["person"][order]] = cm["camp"][order]
        person = o["person"][rows]
        camp = np.where(person >= 0, camp_of[np.maximum(person, 0)], -1)
        comp = o["comp"][rows]
        names = [w.company_names[c] for c in comp]
        kinds = ["New Business", "Growth Plan", "Enterprise Plan", "Pilot"]
        yr = str(1970 + int(w.t1 // DAY_MS // 365.2425))
        opp_name = [
            f"{nm} - {'Expansion ' + yr if e else kinds[k]}"
            for nm, e, k in zip(names, o["is_expansion"][rows], o["product"][rows], strict=True)
        ]
        src = np.where(person >= 0, p["src"][np.maximum(person, 0)], -1)
        cols = {
            "id": take(self.opp_id, rows),
            "account_id": ref(rng, self.account_id, comp, 0.15),
            "name": pa.array(opp_name, pa.string()),
            "stage_name": take(stage_names, stage),
            "amount": ints(o["amount"][rows], rng.random(len(rows)) > 0.03),
            "close_date": messy.dates(o["close"][rows]),
            "probability": ints(probs[stage]),
            "type": take(["New Business", "Existing Business"], o["is_expansion"][rows]),
            "lead_source": take([s[0] for s in LEAD_SOURCES], src),
            "is_closed": messy.bools(rng, closed, "lower"),
            "is_won": messy.bools(rng, won, "lower"),
            "campaign_id": ref(rng, self.campaign_id, camp, 0.0),
            "owner_id": take(self.user_id, o["owner"][rows]),
        }
        dele = v2 & ~closed & (rng.random(len(rows)) < 0.01)
        cols |= self._audit(rng, o["created"][rows], changed, dele, ["sf"], None)
        cols["_fivetran_synced"] = messy.ts(
            rng, np.minimum(changed + 17 * MIN_MS, w.t1 - 1000), ["z"]
        )
        self._emit(
            "opportunity",
            "opportunity.jsonl",
            cols,
            api=False,
            ts_style="sf",
            order=np.argsort(changed, kind="stable"),
            spec=messy.BadRowSpec(
                ts_cols=("created_date", "system_modstamp"), num_cols=("amount",)
            ),
        )
        self._contact_roles()

    def _contact_roles(self) -> None:
        w, rng, o, p = self.w, self.rng, self.w.opp, self.w.p
        contacts = np.flatnonzero(p["is_contact"])
        by_comp: dict[int, list[int]] = {}
        for c in contacts:
            by_comp.setdefault(int(p["company"][c]), []).append(int(c))
        r_opp, r_con, r_primary = [], [], []
        draws = rng.random((len(o["created"]), 4))
        for i in range(len(o["created"])):
            comp = int(o["comp"][i])
            pool = by_comp.get(comp, [])
            primary = int(o["person"][i])
            if primary < 0 or not p["is_contact"][primary]:
                if not pool:
                    continue
                primary = pool[int(draws[i, 0] * len(pool))]
            r_opp.append(i)
            r_con.append(primary)
            r_primary.append(True)
            others = [c for c in pool if c != primary]
            for j in range(2):
                if others and draws[i, 1 + j] < 0.35:
                    r_opp.append(i)
                    r_con.append(others[int(draws[i, 3] * len(others)) - j])
                    r_primary.append(False)
        r_opp_a = np.array(r_opp, dtype=np.int64)
        r_con_a = np.array(r_con, dtype=np.int64)
        n = len(r_opp_a)
        created = np.maximum(
            o["created"][r_opp_a] + rng.integers(1, 3600, n) * 1000, p["contact_created"][r_con_a]
        )
        created = np.minimum(created, w.t1 - MIN_MS)
        ids = sf_ids(rng, PREFIXES["opportunity_contact_role"], n)
        order = np.argsort(created, kind="stable")
        role = np.where(
            np.array(r_primary), rng.integers(0, 3, n), rng.integers(0, len(CONTACT_ROLES), n)
        )
        cols = {
            "id": take(ids, np.argsort(order)),
            "opportunity_id": ref(rng, self.opp_id, r_opp_a, 0.1),
            "contact_id": ref(rng, self.contact_id, r_con_a, 0.1),
            "role": take(CONTACT_ROLES, np.where(rng.random(n) < 0.08, -1, role)),
            "is_primary": messy.bools(rng, np.array(r_primary, dtype=bool), "upper"),
        }
        cols |= self._audit(
            rng, created, created, np.zeros(n, bool), ["sf"], None, bool_style="upper"
        )
        self._emit(
            "opportunity_contact_role",
            "opportunity_contact_role.csv",
            cols,
            api=True,
            ts_style="sf",
            order=order,
            spec=messy.BadRowSpec(ts_cols=("created_date",)),
        )

    # ----------------------------------------------------------------------------------
    def tasks(self) -> None:
        w, rng, t, p = self.w, self.rng, self.w.task, self.w.p
        n = len(t["t"])
        ids = assign_ids(rng, "task", t["t"])
        rows = np.concatenate([np.arange(n), np.flatnonzero(t["deleted"])])
        v2 = np.arange(len(rows)) >= n
        person = t["person"][rows]
        is_c = t["is_contact"][rows]
        who = where(
            is_c, ref(rng, self.contact_id, person, 0.25), ref(rng, self.lead_id, person, 0.25)
        )
        comp = p["company"][person]
        ttype = t["type"][rows]
        subj = [TASK_SUBJECTS[a][b] for a, b in zip(ttype, t["subject"][rows], strict=True)]
        planned = t["planned"][rows]
        changed = np.where(v2, t["t_del"][rows], t["t"][rows])
        cols = {
            "id": take(ids, rows),
            "who_id": who,
            "what_id": ref(rng, self.opp_id, t["what"][rows], 0.1),
            "account_id": where(
                is_c, ref(rng, self.account_id, comp, 0.0), pa.scalar(None, pa.string())
            ),
            "subject": pa.array(subj, pa.string()),
            "type": take(TASK_TYPES, ttype),
            "task_subtype": take(TASK_SUBTYPES, ttype),
            "status": take(["Completed", "Not Started"], planned.astype(np.int64)),
            "activity_date": messy.dates(t["due"][rows]),
            "owner_id": take(self.user_id, t["owner"][rows]),
        }
        cols |= self._audit(rng, t["t"][rows], changed, v2, ["space", "sf"], [0.7, 0.3])
        cut = w.t0 + (w.t1 - w.t0) // 2
        spec = messy.BadRowSpec(ts_cols=("created_date", "system_modstamp"))
        table = pa.table(cols)
        for k, sel in enumerate((changed < cut, changed >= cut)):
            idx = np.flatnonzero(sel)
            idx = idx[np.argsort(changed[idx], kind="stable")]
            part = {
                name: table.column(name).combine_chunks().take(pa.array(idx))
                for name in table.column_names
            }
            self._emit(
                "task",
                f"task/part-{k + 1:04d}.jsonl.gz",
                part,
                api=False,
                ts_style="space",
                spec=spec,
            )

    # ----------------------------------------------------------------------------------
    def campaigns(self) -> None:
        w, rng, c = self.w, self.rng, self.w.c
        rows_ = c["rows"]
        n = c["n"]
        start = np.array([r["start"] for r in rows_], dtype=np.int64)
        end = np.array([r["end"] for r in rows_], dtype=np.int64)
        aborted = np.array([bool(r.get("aborted")) for r in rows_])
        status = np.where(end < w.t1, 2, np.where(start < w.t1, 1, 0))
        status = np.where(aborted, 3, status)
        done = (status == 2) & ~aborted
        rows = np.concatenate([np.arange(n), np.flatnonzero(done)])
        v2 = np.arange(len(rows)) >= n
        st = np.where(v2, 2, np.where(status[rows] == 2, 1, status[rows]))
        st = np.where(aborted[rows], 3, st)
        created = self.campaign_created[rows]
        changed = np.where(
            v2, end[rows], np.maximum(created, np.minimum(start[rows], w.t1 - DAY_MS))
        )
        changed = np.minimum(changed, w.t1 - MIN_MS)
        progress = np.clip(
            (np.minimum(changed, end[rows]) - start[rows]) / np.maximum(end[rows] - start[rows], 1),
            0,
            1,
        )
        budget = c["budget"][rows]
        actual = (budget * c["spend_ratio"][rows] * progress).astype(np.int64)
        cols = {
            "id": take(self.campaign_id, rows),
            "name": pa.array([rows_[i]["name"] for i in rows], pa.string()),
            "type": pa.array([rows_[i]["type"] for i in rows], pa.string()),
            "status": take(["Planned", "In Progress", "Completed", "Aborted"], st),
            "start_date": messy.dates(start[rows]),
            "end_date": messy.dates(end[rows]),
            "is_active": messy.bools(rng, st == 1, "upper"),
            "budgeted_cost": ints(budget),
            "actual_cost": ints(actual, st > 0),
            "parent_id": ref(
                rng, self.campaign_id, np.array([rows_[i]["parent"] for i in rows]), 0.0
            ),
        }
        cols |= self._audit(rng, created, changed, np.zeros(len(rows), bool), ["z"], None)
        self._emit(
            "campaign",
            "campaign.csv",
            cols,
            api=False,
            ts_style="z",
            order=np.argsort(changed, kind="stable"),
            spec=messy.BadRowSpec(
                ts_cols=("created_date",), num_cols=("budgeted_cost", "actual_cost")
            ),
        )

    def campaign_members(self) -> None:
        w, rng, cm, p = self.w, self.rng, self.w.cm, self.w.p
        n = len(cm["person"])
        created = np.minimum(cm["t"], w.t1 - 2 * MIN_MS)
        ids = sf_ids(rng, PREFIXES["campaign_member"], n)
        id_pos = np.empty(n, dtype=np.int64)
        id_pos[np.argsort(created, kind="stable")] = np.arange(n)
        upgraded = (cm["status"] == 3) & (cm["resp_t"] != NA) & (cm["resp_t"] < w.t1)
        rows = np.concatenate([np.arange(n), np.flatnonzero(upgraded)])
        v2 = np.arange(len(rows)) >= n
        status = cm["status"][rows]
        status = np.where(~v2 & upgraded[rows], 2, status)  # registered before attending
        changed = np.where(v2, cm["resp_t"][rows], created[rows])
        changed = np.minimum(changed, w.t1 - MIN_MS)
        person = cm["person"][rows]
        is_lead = p["kind"][person] == KIND_LEAD
        as_contact = (p["kind"][person] == KIND_CONTACT) | (
            p["converted"][person] & (p["t_conv"][person] <= changed)
        )
        responded = np.isin(status, [1, 3, 5])
        resp_t = np.where(
            responded, np.where(cm["resp_t"][rows] != NA, cm["resp_t"][rows], changed), NA
        )
        cols = {
            "id": take(ids, id_pos[rows]),
            "campaign_id": ref(rng, self.campaign_id, cm["camp"][rows], 0.1),
            "lead_id": where(
                is_lead, ref(rng, self.lead_id, person, 0.2), pa.scalar(None, pa.string())
            ),
            "contact_id": where(
                as_contact, ref(rng, self.contact_id, person, 0.1), pa.scalar(None, pa.string())
            ),
            "status": take(MEMBER_STATUS, status),
            "has_responded": messy.bools(rng, responded, "lower"),
            "first_responded_date": messy.dates(
                np.minimum(resp_t, w.t1 - MIN_MS) if len(resp_t) else resp_t
            ),
        }
        cols |= self._audit(rng, created[rows], changed, np.zeros(len(rows), bool), ["space"], None)
        self._emit(
            "campaign_member",
            "campaign_member.parquet",
            cols,
            api=False,
            ts_style="space",
            order=np.argsort(changed, kind="stable"),
            spec=messy.BadRowSpec(ts_cols=("created_date", "system_modstamp")),
        )

    # ----------------------------------------------------------------------------------
    def _emit(
        self,
        table: str,
        path: str,
        cols: dict[str, pa.Array],
        api: bool,
        spec: messy.BadRowSpec,
        ts_style: str,
        order: np.ndarray | None = None,
        conflicts: bool = False,
    ) -> None:
        t = pa.table(cols)
        if order is not None:
            t = t.take(pa.array(order))
        spec.future_ts = self.future
        if conflicts:
            t = self._conflicting_duplicates(t)
        if api:
            t = t.rename_columns([api_name(c) for c in t.column_names])
            spec = messy.BadRowSpec(
                id_col=api_name(spec.id_col) if spec.id_col else None,
                ts_cols=tuple(api_name(c) for c in spec.ts_cols),
                num_cols=tuple(api_name(c) for c in spec.num_cols),
                future_ts=spec.future_ts,
            )
        self.emit(table, path, t, spec, ts_style)

    def _conflicting_duplicates(self, t: pa.Table) -> pa.Table:
        """A few rows twice with the same id and modstamp but a different status."""
        rng = self.rng
        n = t.num_rows
        k = int(rng.binomial(n, self.bad_row_rate / 4)) if n else 0
        if k == 0:
            return t
        rows = rng.choice(n, size=k, replace=False)
        dup = t.take(pa.array(rows))
        cols = {c: dup.column(c).combine_chunks() for c in dup.column_names}
        cols["status"] = take(LEAD_STATUS, rng.integers(0, 5, k))
        cols["rating"] = take(RATINGS, rng.integers(0, 3, k))
        self.conflicts += k
        return pa.concat_tables([t, pa.table(cols, schema=t.schema)])

    def build_all(self) -> None:
        self.users()
        self.accounts()
        self.leads()
        self.contacts()
        self.opportunities()
        self.tasks()
        self.campaigns()
        self.campaign_members()


__all__ = ["SalesforceBuilder", "api_name"]
