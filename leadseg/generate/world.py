"""The simulated world behind the demo data: companies, people, campaigns, web behaviour,
email engagement and the CRM funnel, all as numpy arrays (no formatting here).

Every person has a hidden fit (who they are) and intent (how interested they are). Intent
drives web and email behaviour; conversion is then drawn from fit plus the behaviour that
happened *before* the conversion date, and opportunity wins from the same propensity, so a
scoring model trained on the landing data has real signal to find.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from .arrow_text import DAY_MS, NA_MS
from .clock import HOUR_MS, MIN_MS, Clock, date_ms
from .pools import Pools, build_pools, domain_base, unique_companies
from .reference import (
    C_LEVEL,
    COUNTRIES,
    DEPARTMENTS,
    DOC_PAGES,
    FREE_MAIL,
    IC_TITLES,
    INDUSTRIES,
    INTEGRATIONS,
    JUNK_TITLES,
    LEAD_SOURCES,
    OTHER_PAGES,
    PRODUCT_PAGES,
    SENIOR_PREFIXES,
    SENIORITIES,
    STUDENT_TITLES,
    TECH,
    TITLE_TEMPLATES,
    TRAFFIC,
    VENDOR_DOMAIN,
)

NA = NA_MS
KIND_LEAD, KIND_CONTACT, KIND_WEB = 0, 1, 2


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def slugify(text: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")[:60]


def _choice(rng: np.random.Generator, weights, size: int) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return rng.choice(len(w), size=size, p=w / w.sum())


def _pick(rng: np.random.Generator, pools: list, attr: str, country: np.ndarray) -> np.ndarray:
    """A random index into each row's country pool ``attr``."""
    sizes = np.array([len(getattr(cp, attr)) for cp in pools])
    return (rng.random(len(country)) * sizes[country]).astype(np.int64)


def group_offsets(counts: np.ndarray) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(counts)])[:-1]


def rank_in_group(counts: np.ndarray) -> np.ndarray:
    """0..k-1 within each consecutive group of the given sizes."""
    total = int(counts.sum())
    return np.arange(total) - np.repeat(group_offsets(counts), counts)


@dataclass
class World:
    """Everything simulated; index arrays point into pools and other entity arrays."""

    n_leads: int
    seed: int
    t0: int
    t1: int
    pools: Pools = field(repr=False)
    a: dict[str, np.ndarray] = field(default_factory=dict)  # companies / accounts
    u: dict[str, np.ndarray] = field(default_factory=dict)  # users (sales reps)
    p: dict[str, np.ndarray] = field(default_factory=dict)  # people
    c: dict[str, object] = field(default_factory=dict)  # campaigns
    em: dict[str, np.ndarray] = field(default_factory=dict)  # email events
    dev: dict[str, np.ndarray] = field(default_factory=dict)  # web devices
    ses: dict[str, np.ndarray] = field(default_factory=dict)  # web sessions
    pv: dict[str, np.ndarray] = field(default_factory=dict)  # page views
    tr: dict[str, np.ndarray] = field(default_factory=dict)  # web track events
    idf: dict[str, np.ndarray] = field(default_factory=dict)  # identify calls
    opp: dict[str, np.ndarray] = field(default_factory=dict)
    task: dict[str, np.ndarray] = field(default_factory=dict)
    cm: dict[str, np.ndarray] = field(default_factory=dict)  # campaign members
    site: dict[str, object] = field(default_factory=dict)
    titles: dict[str, object] = field(default_factory=dict)
    domains: list[str] = field(default_factory=list)
    company_names: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    tech_stacks: list[str] = field(default_factory=list)
    # volume knobs (see ``generate``); the defaults give the demo data set
    n_companies: int | None = None  # None: 13% of the leads (at least 30)
    n_email_sends: int | None = None  # None: one email campaign every 12 days (at least 6)
    web_scale: float = 1.0  # multiplies the free (not identify / email click) web sessions


# --------------------------------------------------------------------------------------
def simulate(
    leads: int,
    seed: int,
    end_date: dt.date,
    days: int,
    *,
    n_companies: int | None = None,
    n_email_sends: int | None = None,
    web_scale: float = 1.0,
) -> World:
    if leads < 1:
        raise ValueError("leads must be at least 1")
    if days < 7:
        raise ValueError("days must be at least 7")
    if n_companies is not None and n_companies < 30:
        raise ValueError("n_companies must be at least 30")
    if n_email_sends is not None and n_email_sends < 1:
        raise ValueError("n_email_sends must be at least 1")
    if not web_scale > 0:
        raise ValueError("web_scale must be positive")
    rng = np.random.default_rng(seed)
    t1 = date_ms(end_date + dt.timedelta(days=1))
    t0 = t1 - days * DAY_MS
    pools = build_pools(seed, rng, leads)
    w = World(
        n_leads=leads,
        seed=seed,
        t0=t0,
        t1=t1,
        pools=pools,
        n_companies=n_companies,
        n_email_sends=n_email_sends,
        web_scale=web_scale,
    )
    clock = Clock(t0, t1)
    _users(w, rng, clock)
    _companies(w, rng, clock)
    _title_catalogue(w)
    _people(w, rng, clock)
    _campaigns(w, rng, clock)
    _site(w)
    _email(w, rng)
    _web(w, rng, clock)
    _funnel(w, rng, clock)
    _tasks(w, rng, clock)
    _campaign_members(w, rng)
    return w


# --------------------------------------------------------------------------------------
def _users(w: World, rng: np.random.Generator, clock: Clock) -> None:
    n = int(np.clip(6 + w.n_leads // 1500, 6, 120))
    titles = ["VP Sales", "Marketing Operations Manager", "Sales Manager"]
    rest = [
        "Account Executive",
        "Sales Development Representative",
        "Sr. Account Executive",
        "Business Development Representative",
    ]
    title = titles + [rest[i] for i in _choice(rng, [0.35, 0.35, 0.15, 0.15], n - len(titles))]
    dept = ["Sales" if "Marketing" not in t else "Marketing" for t in title]
    country = np.zeros(n, dtype=np.int64)
    cp = w.pools.countries[0]
    first = rng.integers(0, len(cp.first), n)
    last = rng.integers(0, len(cp.last), n)
    email = [
        f"{cp.first_ascii[f]}.{cp.last_ascii[la]}@{VENDOR_DOMAIN}"
        for f, la in zip(first, last, strict=True)
    ]
    created = clock.sample(rng, np.full(n, w.t0 - 900 * DAY_MS), np.full(n, w.t0 - 20 * DAY_MS))
    active = rng.random(n) > 0.1
    active[:3] = True
    # a few reps leave during the window: a later version of the user row
    left_at = np.where(~active, clock.sample(rng, np.full(n, w.t0), np.full(n, w.t1)), NA)
    is_owner = np.array(
        ["Account" in t or "Development" in t or "Sales Manager" in t for t in title]
    )
    w.u.update(
        first=first,
        last=last,
        country=country,
        title=np.array(title),
        dept=np.array(dept),
        email=np.array(email),
        created=created,
        active=active,
        left_at=left_at,
        owner_pool=np.flatnonzero(is_owner),
    )


def _owner(w: World, rng: np.random.Generator, n: int) -> np.ndarray:
    pool = w.u["owner_pool"]
    return pool[rng.integers(0, len(pool), n)]


# --------------------------------------------------------------------------------------
def _companies(w: World, rng: np.random.Generator, clock: Clock) -> None:
    n = w.n_companies if w.n_companies is not None else max(30, round(w.n_leads * 0.13))
    country = _choice(rng, [c[5] for c in COUNTRIES], n)
    names = np.empty(n, dtype=object)
    taken: set[str] = set()
    for ci in range(len(COUNTRIES)):
        idx = np.flatnonzero(country == ci)
        if len(idx):
            f = w.pools.countries[ci].faker
            # companies in English-speaking markets also come from the US locale pool
            names[idx] = unique_companies(f, len(idx), taken, w.pools.countries[ci].last, rng)
    domains: list[str] = []
    seen: set[str] = set()
    for i in range(n):
        tld = COUNTRIES[country[i]][6]
        if tld != "com" and rng.random() < 0.3:
            tld = "com"
        base = domain_base(names[i])
        dom = f"{base}.{tld}"
        k = 0
        while dom in seen:
            k += 1
            alt = ["hq", "group", "global", "io", "app", str(k)][min(k, 6) - 1] if k < 6 else str(k)
            dom = f"{base}{alt}.{tld}"
        seen.add(dom)
        domains.append(dom)
    industry = _choice(rng, [x[1] for x in INDUSTRIES], n)
    ind_variant = np.minimum(rng.geometric(0.55, n) - 1, 10)
    employees = np.clip(np.exp(rng.normal(4.1, 1.75, n)), 1, 250_000).astype(np.int64)
    employees = np.where(employees > 100, (employees // 10) * 10, employees)
    rev_per_emp = np.exp(rng.normal(np.log(160_000), 0.55, n))
    revenue = np.round(employees * rev_per_emp / 1000).astype(np.int64) * 1000
    # technographics: bigger companies run more tools
    prev = np.array([t[1] for t in TECH])
    scale = np.clip(0.55 + 0.22 * np.log10(employees), 0.4, 1.6)
    has_tool = rng.random((n, len(TECH))) < np.clip(prev[None, :] * scale[:, None], 0, 0.95)
    tech_eff = np.clip(has_tool @ np.array([t[2] for t in TECH]), -0.5, 1.2)
    tech_stacks = [";".join(TECH[j][0] for j in np.flatnonzero(row)) for row in has_tool]
    size_eff = np.select(
        [employees < 10, employees < 50, employees < 200, employees < 1000, employees < 5000],
        [-0.9, -0.2, 0.4, 0.6, 0.5],
        0.3,
    )
    ind_eff = np.array([x[2] for x in INDUSTRIES])[industry]
    ctry_eff = np.array([c[7] for c in COUNTRIES])[country]
    fit = ind_eff + size_eff + 0.6 * tech_eff + ctry_eff
    preexisting = rng.random(n) < 0.62
    created = np.where(
        preexisting,
        clock.sample(rng, np.full(n, w.t0 - 1000 * DAY_MS), np.full(n, w.t0 - DAY_MS)),
        NA,
    )
    acct_type = np.where(preexisting, _choice(rng, [0.74, 0.13, 0.05, 0.03, 0.05], n), 0)
    parent = np.full(n, -1)
    pre_idx = np.flatnonzero(preexisting)
    has_parent = preexisting & (rng.random(n) < 0.03)
    if len(pre_idx) > 1:
        parent[has_parent] = pre_idx[rng.integers(0, len(pre_idx), has_parent.sum())]
        parent[parent == np.arange(n)] = -1
    pools = w.pools.countries
    city = _pick(rng, pools, "cities", country)
    state = _pick(rng, pools, "states", country)
    phone = _pick(rng, pools, "phones", country)
    office_ip = rng.integers(1, 255, size=(n, 4))
    office_ip[:, 0] = rng.choice([12, 38, 52, 63, 64, 77, 80, 93, 104, 144, 192, 198, 203], n)
    w.a.update(
        country=country,
        industry=industry,
        ind_variant=ind_variant,
        employees=employees,
        revenue=revenue,
        revenue_known=rng.random(n) > 0.18,
        fit=fit,
        preexisting=preexisting,
        created=created,
        type=acct_type,
        parent=parent,
        owner=_owner(w, rng, n),
        city=city,
        state=state,
        phone=phone,
        website_style=_choice(rng, [0.4, 0.35, 0.2, 0.05], n),
        office_ip=office_ip,
        tech_known=rng.random(n) < 0.7,
    )
    w.company_names = list(names)
    w.domains = domains
    w.tech_stacks = tech_stacks


# --------------------------------------------------------------------------------------
def _title_catalogue(w: World) -> None:
    """Every (title, seniority, department) the generator can write, with sampling weights."""
    titles, sen, dep, weight = [], [], [], []
    sen_keys = [s[0] for s in SENIORITIES]
    sen_w = {s[0]: s[1] for s in SENIORITIES}

    def add(options: list[str], s: str, d: int, total: float) -> None:
        for t in options:
            titles.append(t)
            sen.append(sen_keys.index(s))
            dep.append(d)
            weight.append(total / len(options))

    for di, (key, name, short, dw, _) in enumerate(DEPARTMENTS):
        add(C_LEVEL[key], "c_level", di, sen_w["c_level"] * dw)
        for s in ("vp", "head", "director", "manager"):
            opts = sorted({t.format(d=name, s=short) for t in TITLE_TEMPLATES[s]})
            if s == "head" and key == "growth":
                opts += ["Head of Growth"] * 2
            add(opts, s, di, sen_w[s] * dw)
        ics = IC_TITLES[key]
        add(ics, "ic", di, sen_w["ic"] * dw)
        seniors = sorted({p.format(t=t) for p in SENIOR_PREFIXES for t in ics[:3]})
        add(seniors, "senior_ic", di, sen_w["senior_ic"] * dw)
        add(
            sorted({t.format(s=short) for t in STUDENT_TITLES}),
            "student",
            di,
            sen_w["student"] * dw,
        )
    # the unknown tail: Faker's job titles and junk, department unknown (-1)
    n_jobs = len(w.pools.jobs)
    for t in w.pools.jobs:
        titles.append(t)
        sen.append(sen_keys.index("unknown"))
        dep.append(-1)
        weight.append(sen_w["unknown"] * 0.8 / n_jobs)
    for t in JUNK_TITLES:
        titles.append(t)
        sen.append(sen_keys.index("unknown"))
        dep.append(-1)
        weight.append(sen_w["unknown"] * 0.2 / len(JUNK_TITLES))
    wt = np.array(weight)
    w.titles = dict(title=titles, sen=np.array(sen), dep=np.array(dep), weight=wt / wt.sum())


# --------------------------------------------------------------------------------------
def _people(w: World, rng: np.random.Generator, clock: Clock) -> None:
    n_l = w.n_leads
    n_c = max(2, round(0.04 * n_l))
    n_w = max(2, round(0.03 * n_l))
    n = n_l + n_c + n_w
    kind = np.repeat([KIND_LEAD, KIND_CONTACT, KIND_WEB], [n_l, n_c, n_w])
    a = w.a
    n_comp = len(w.domains)
    cw = a["employees"].astype(float) ** 0.35
    company = rng.choice(n_comp, size=n, p=cw / cw.sum())
    pre_idx = np.flatnonzero(a["preexisting"])
    pw = cw[pre_idx] * np.where(a["type"][pre_idx] == 1, 3.0, 1.0)
    company[kind == KIND_CONTACT] = rng.choice(pre_idx, size=n_c, p=pw / pw.sum())
    country = a["country"][company].copy()
    moved = rng.random(n) < 0.08
    country[moved] = _choice(rng, [c[5] for c in COUNTRIES], int(moved.sum()))
    cat = w.titles
    title = rng.choice(len(cat["title"]), size=n, p=cat["weight"])
    sen = cat["sen"][title]
    dep = cat["dep"][title]
    sen_key = np.array([s[0] for s in SENIORITIES])[sen]
    student = sen_key == "student"
    free = rng.random(n) < np.where(student, 0.6, 0.13)
    junk = (kind == KIND_LEAD) & (rng.random(n) < 0.006)
    pools = w.pools.countries
    first = _pick(rng, pools, "first", country)
    last = _pick(rng, pools, "last", country)
    pattern = _choice(rng, [0.42, 0.2, 0.08, 0.05, 0.05, 0.1, 0.1], n)
    fm_dom = _choice(rng, [f[1] for f in FREE_MAIL], n)
    digits = rng.integers(1, 99, n)
    year = rng.integers(1965, 2004, n)
    emails: list[str] = []
    seen: set[str] = set()
    for i in range(n):
        cp = pools[country[i]]
        fa, la = cp.first_ascii[first[i]], cp.last_ascii[last[i]]
        if junk[i]:
            local, dom = "test" + str(digits[i]), (["example.com", "test.com", "asdf.com"][i % 3])
        elif free[i]:
            local = [
                f"{fa}.{la}{digits[i]}",
                f"{fa}{la}{year[i]}",
                f"{fa}_{la}",
                f"{fa[0]}{la}{digits[i]}",
                f"{la}.{fa}",
            ][pattern[i] % 5]
            dom = FREE_MAIL[fm_dom[i]][0]
        else:
            local = [
                f"{fa}.{la}",
                f"{fa[0]}{la}",
                fa,
                f"{fa}{la[0]}",
                f"{fa}_{la}",
                f"{fa[0]}.{la}",
                f"{la}{fa[0]}",
            ][pattern[i]]
            dom = w.domains[company[i]]
        email = f"{local}@{dom}"
        k = 1
        while email in seen:
            k += 1
            email = f"{local}{k}@{dom}"
        seen.add(email)
        emails.append(email)
    w.emails = emails
    src = _choice(rng, [s[1] for s in LEAD_SOURCES], n)
    sen_eff = np.array([s[2] for s in SENIORITIES])[sen]
    dep_eff = np.where(dep >= 0, np.array([d[4] for d in DEPARTMENTS])[np.maximum(dep, 0)], -0.3)
    src_eff = np.array([s[2] for s in LEAD_SOURCES])[src]
    fit = (
        sen_eff
        + dep_eff
        + 0.8 * a["fit"][company]
        + np.where(free, -0.9, 0.3)
        + src_eff
        + rng.normal(0, 0.4, n)
        - 3.0 * junk
    )
    fit_z = (fit - fit.mean()) / (fit.std() + 1e-9)
    intent = 0.55 * fit_z + rng.normal(0, 0.85, n)
    # created: leads over the window (a quarter older), contacts before it
    before = rng.random(n) < 0.25
    created = np.where(
        before,
        clock.sample(rng, np.full(n, w.t0 - 365 * DAY_MS), np.full(n, w.t0)),
        clock.sample(rng, np.full(n, w.t0), np.full(n, w.t1 - 2 * HOUR_MS)),
    )
    created[kind == KIND_CONTACT] = clock.sample(
        rng, np.full(n_c, w.t0 - 700 * DAY_MS), np.full(n_c, w.t0 - DAY_MS)
    )
    web_p = np.array([s[3] for s in LEAD_SOURCES])[src]
    has_web = rng.random(n) < np.where(kind == KIND_LEAD, web_p, 0.35)
    has_web[kind == KIND_WEB] = True
    has_web &= ~junk
    web_form = np.array([s[4] for s in LEAD_SOURCES])[src] & (kind == KIND_LEAD)
    w.p.update(
        kind=kind,
        company=company,
        country=country,
        title=title,
        sen=sen,
        dep=dep,
        free=free,
        junk=junk,
        first=first,
        last=last,
        src=src,
        fit=fit,
        fit_z=fit_z,
        intent=intent,
        created=created,
        has_web=has_web,
        web_form=web_form,
        owner=_owner(w, rng, n),
        opted_out0=(rng.random(n) < 0.025) & (kind != KIND_WEB),
        city=_pick(rng, pools, "cities", country),
        state=_pick(rng, pools, "states", country),
        phone=_pick(rng, pools, "phones", country),
        phone_known=rng.random(n) < 0.6,
        bad_email=junk | (rng.random(n) < 0.012),
    )


# --------------------------------------------------------------------------------------
def _campaigns(w: World, rng: np.random.Generator, clock: Clock) -> None:
    """Campaign rows; email sends, webinars and paid media hang off them."""
    rows: list[dict] = []
    end = dt.date(1970, 1, 1) + dt.timedelta(days=w.t1 // DAY_MS - 1)
    fy = end.year

    def add(name, ctype, start, stop, parent=-1, **extra):
        rows.append(dict(name=name, type=ctype, start=start, end=stop, parent=parent, **extra))
        return len(rows) - 1

    p_dg = add(f"FY{fy} Demand Generation", "Other", w.t0 - 30 * DAY_MS, w.t1 + 60 * DAY_MS)
    p_ev = add(f"FY{fy} Events & Webinars", "Other", w.t0 - 30 * DAY_MS, w.t1 + 60 * DAY_MS)
    p_pm = add(f"FY{fy} Paid Media", "Other", w.t0 - 30 * DAY_MS, w.t1 + 60 * DAY_MS)
    days = (w.t1 - w.t0) // DAY_MS
    n_email = w.n_email_sends if w.n_email_sends is not None else max(6, days // 12)
    sends = np.sort(clock.sample(rng, np.full(n_email, w.t0 + DAY_MS), np.full(n_email, w.t1)))
    # sends go out on working-day mornings
    sends = sends // DAY_MS * DAY_MS + rng.integers(8, 16, n_email) * HOUR_MS
    sends = np.minimum(sends, w.t1 - 6 * HOUR_MS)
    sends[-1] = (w.t1 // DAY_MS - 3) * DAY_MS + 9 * HOUR_MS  # a newsletter in the last week
    blog = w.pools.blog_titles
    for k, s in enumerate(sends):
        day = dt.date(1970, 1, 1) + dt.timedelta(days=int(s // DAY_MS))
        if k % 3 == 0:
            name, subject = f"Newsletter - {day:%B %Y}", f"The {day:%B} Lumora digest"
        elif k % 3 == 1:
            topic = blog[k % len(blog)]
            name, subject = f"Nurture - {topic}", topic
        else:
            name, subject = (
                f"Product Update - {day:%b %Y}",
                f"New in Lumora: {blog[-k % len(blog)]}",
            )
        add(
            name,
            "Email",
            int(s) - 3 * DAY_MS,
            int(s) + 14 * DAY_MS,
            p_dg,
            send=int(s),
            subject=subject,
            audience=[0.8, 0.35, 0.55][k % 3],
        )
    n_web = max(3, days // 30)
    wdates = np.sort(clock.sample(rng, np.full(n_web, w.t0 + 10 * DAY_MS), np.full(n_web, w.t1)))
    wdates = wdates // DAY_MS * DAY_MS + 16 * HOUR_MS
    wt = w.pools.webinar_titles
    for k, s in enumerate(wdates):
        add(
            f"Webinar - {wt[k % len(wt)]}",
            "Webinar",
            int(s) - 21 * DAY_MS,
            int(s),
            p_ev,
            webinar=int(s),
            slug=slugify(wt[k % len(wt)]),
        )
    cities = w.pools.countries[0].cities
    for k in range(3):
        s = int(clock.sample(rng, np.array([w.t0]), np.array([w.t1]))[0]) // DAY_MS * DAY_MS
        add(
            f"Trade Show - {cities[k]} Revenue Summit {fy}",
            "Conference",
            s,
            s + 2 * DAY_MS,
            p_ev,
            show=s,
        )
    for name, ctype, utm in [
        ("Google Ads - Brand", "Advertisement", "brand-search"),
        ("Google Ads - Lead Scoring Generic", "Advertisement", "generic-lead-scoring"),
        (f"LinkedIn Ads - ABM {fy}", "Advertisement", f"abm-{fy}"),
        ("Content Syndication - " + w.pools.en.company(), "Content Syndication", None),
    ]:
        add(name, ctype, w.t0 - 20 * DAY_MS, w.t1 + 40 * DAY_MS, p_pm, utm=utm)
    # one planned (future) and one aborted campaign
    add(
        f"Webinar - {wt[-1]} (planned)",
        "Webinar",
        w.t1 + 20 * DAY_MS,
        w.t1 + 21 * DAY_MS,
        p_ev,
        planned=True,
    )
    add(
        "Direct Mail - Executive Gift Box",
        "Direct Mail",
        w.t0 + 5 * DAY_MS,
        w.t0 + 40 * DAY_MS,
        p_dg,
        aborted=True,
    )
    n = len(rows)
    w.c.update(
        rows=rows,
        n=n,
        email=np.array([i for i, r in enumerate(rows) if r["type"] == "Email"]),
        webinar=np.array([i for i, r in enumerate(rows) if "webinar" in r]),
        show=np.array([i for i, r in enumerate(rows) if "show" in r]),
        syndication=np.array([i for i, r in enumerate(rows) if r["type"] == "Content Syndication"]),
        budget=(rng.integers(1, 60, n) * 1000),
        spend_ratio=rng.uniform(0.6, 1.15, n),
        owner=_owner(w, rng, n),
    )


# --------------------------------------------------------------------------------------
def _site(w: World) -> None:
    """Page catalogue: path, title, page name, category, weight within the category."""
    pages: list[tuple[str, str, str, float]] = [
        ("/", "Lumora - Lead segmentation & scoring", "home", 1.0)
    ]
    pages += [("/pricing", "Pricing", "pricing", 1.0)]
    pages += [("/demo", "Book a demo", "demo", 1.0)]
    pages += [("/signup", "Start your free trial", "signup", 1.0)]
    pages += [("/contact", "Contact sales", "contact", 1.0)]
    for k, s in enumerate(PRODUCT_PAGES):
        pages.append((f"/product/{s}", s.replace("-", " ").title(), "product", 1 / (k + 1)))
    for k, s in enumerate(DOC_PAGES):
        pages.append(
            (
                f"/docs/{s}",
                "Docs: " + s.split("/")[-1].replace("-", " ").title(),
                "docs",
                1 / (k + 1) ** 0.7,
            )
        )
    for k, t in enumerate(w.pools.blog_titles):
        pages.append((f"/blog/{slugify(t)}", t, "blog", 1 / (k + 1) ** 0.8))
    for k, t in enumerate(w.pools.career_titles):
        pages.append((f"/careers/{slugify(t)}", f"{t} - Careers", "careers", 1 / (k + 1)))
    for t in w.pools.blog_titles[:8]:
        pages.append((f"/resources/{slugify(t)}-ebook", f"eBook: {t}", "resources", 1.0))
    cust = np.flatnonzero(w.a["preexisting"] & (w.a["type"] == 1))[:25]
    for k, ci in enumerate(cust):
        name = w.company_names[ci]
        pages.append(
            (
                f"/customers/{slugify(name)}",
                f"How {name} scores leads with Lumora",
                "customers",
                1 / (k + 1) ** 0.5,
            )
        )
    for k, s in enumerate(INTEGRATIONS):
        pages.append(
            (
                f"/integrations/{s}",
                f"{s.replace('-', ' ').title()} integration",
                "integrations",
                1 / (k + 1) ** 0.7,
            )
        )
    for ci in w.c["webinar"]:
        r = w.c["rows"][ci]
        pages.append((f"/webinars/{r['slug']}", r["name"], "webinars", 1.0))
    for path, title in OTHER_PAGES:
        pages.append((path, title, "other", 1.0))
    cats = sorted({p[2] for p in pages})
    cat = np.array([cats.index(p[2]) for p in pages])
    weight = np.array([p[3] for p in pages])
    members = {}
    for ci, name in enumerate(cats):
        idx = np.flatnonzero(cat == ci)
        members[name] = (idx, weight[idx] / weight[idx].sum())
    index = {p[0]: i for i, p in enumerate(pages)}
    w.site.update(
        path=[p[0] for p in pages],
        title=[f"{p[1]} | Lumora" for p in pages],
        cat=cat,
        cats=cats,
        members=members,
        index=index,
        name=[p[2].title() for p in pages],
    )


def _pick_pages(w: World, rng: np.random.Generator, category: np.ndarray) -> np.ndarray:
    """A page index for each row, given a category index per row."""
    out = np.zeros(len(category), dtype=np.int64)
    for ci, name in enumerate(w.site["cats"]):
        rows = np.flatnonzero(category == ci)
        if len(rows):
            idx, p = w.site["members"][name]
            out[rows] = rng.choice(idx, size=len(rows), p=p)
    return out


def _cat(w: World, name: str) -> int:
    return w.site["cats"].index(name)


# --------------------------------------------------------------------------------------
def _email(w: World, rng: np.random.Generator) -> None:
    """Email campaign sends and engagement, sequentially so unsubscribes stick."""
    p = w.p
    n = len(p["kind"])
    opted_out_at = np.where(p["opted_out0"], p["created"], NA)
    can_mail = p["kind"] != KIND_WEB
    ev_person, ev_type, ev_t, ev_camp = [], [], [], []
    # type codes: 0 delivered, 1 opened, 2 clicked, 3 bounced, 4 unsubscribed
    for ci in w.c["email"]:
        row = w.c["rows"][ci]
        s = row["send"]
        eligible = can_mail & (p["created"] < s) & ((opted_out_at == NA) | (opted_out_at > s))
        chosen = np.flatnonzero(eligible & (rng.random(n) < row["audience"]))
        k = len(chosen)
        if not k:
            continue
        intent = p["intent"][chosen]
        bounced = p["bad_email"][chosen] | (rng.random(k) < 0.012)
        t_del = s + rng.integers(2_000, 20 * MIN_MS, k)
        ok = ~bounced
        opened = ok & (rng.random(k) < sigmoid(-1.25 + 0.6 * intent))
        t_open = t_del + rng.exponential(5 * HOUR_MS, k).astype(np.int64) + 30_000
        clicked = opened & (rng.random(k) < sigmoid(-1.9 + 0.75 * intent))
        t_click = t_open + rng.exponential(3 * MIN_MS, k).astype(np.int64) + 4_000
        reopen = opened & (rng.random(k) < 0.35)
        t_reopen = t_open + rng.exponential(30 * HOUR_MS, k).astype(np.int64) + MIN_MS
        unsub = ok & (rng.random(k) < sigmoid(-5.3 - 0.6 * intent))
        t_unsub = np.where(opened, t_open, t_del) + rng.integers(20_000, 10 * MIN_MS, k)
        for mask, code, t in (
            (ok, 0, t_del),
            (bounced, 3, t_del + 1500),
            (opened, 1, t_open),
            (reopen, 1, t_reopen),
            (clicked, 2, t_click),
            (unsub, 4, t_unsub),
        ):
            keep = mask & (t < w.t1 - MIN_MS)
            ev_person.append(chosen[keep])
            ev_type.append(np.full(keep.sum(), code))
            ev_t.append(t[keep])
            ev_camp.append(np.full(keep.sum(), ci))
        un = unsub & (t_unsub < w.t1 - MIN_MS)
        opted_out_at[chosen[un]] = t_unsub[un]
    person = np.concatenate(ev_person)
    etype = np.concatenate(ev_type)
    t = np.concatenate(ev_t)
    camp = np.concatenate(ev_camp)
    order = np.lexsort((etype, t))
    w.em.update(person=person[order], type=etype[order], t=t[order], camp=camp[order])
    # the link of each email goes to a page (clicks land there with UTM tags)
    link_cat = rng.choice(
        ["blog", "pricing", "product", "webinars", "resources"],
        size=w.c["n"],
        p=[0.4, 0.15, 0.2, 0.15, 0.1],
    )
    link_page = np.array([_pick_pages(w, rng, np.array([_cat(w, c)]))[0] for c in link_cat])
    w.c["link_page"] = link_page
    p["opted_out_at"] = opted_out_at


# --------------------------------------------------------------------------------------
def _web(w: World, rng: np.random.Generator, clock: Clock) -> None:
    p, a = w.p, w.a
    n_people = len(p["kind"])
    T0, T1 = w.t0, w.t1
    web = np.flatnonzero(p["has_web"])
    # -- when does each web person identify (fill a form)?
    created = p["created"]
    t_id = np.full(n_people, NA)
    form_now = web[p["web_form"][web] & (created[web] >= T0 + HOUR_MS)]
    t_id[form_now] = created[form_now] - rng.integers(MIN_MS, 8 * MIN_MS, len(form_now))
    later = np.setdiff1d(web, form_now)
    lo = np.maximum(created[later], T0) + HOUR_MS
    t_id[later] = clock.sample(rng, lo, np.full(len(later), T1))
    web_only = web[p["kind"][web] == KIND_WEB]
    t_id[web_only] = clock.sample(
        rng, np.full(len(web_only), T1 - 21 * DAY_MS), np.full(len(web_only), T1 - HOUR_MS)
    )
    t_id[(t_id != NA) & (t_id >= T1 - 2 * HOUR_MS)] = NA
    p["t_id"] = t_id
    # identify reason: 0 content, 1 demo, 2 webinar, 3 trial, 4 contact
    reason = np.full(n_people, -1)
    ids = web[t_id[web] != NA]
    it = p["intent"][ids]
    r = _choice(rng, [0.55, 0.08, 0.09, 0.04, 0.24], len(ids))
    r = np.where((r == 0) & (rng.random(len(ids)) < sigmoid(it - 1.5) * 0.4), 1, r)
    src_name = np.array([s[0] for s in LEAD_SOURCES])[p["src"][ids]]
    r[src_name == "Webinar"] = 2
    reason[ids] = r

    # -- devices: primary, second device, anonymous, bots
    second = ids[rng.random(len(ids)) < 0.1]
    n_anon = round(2.2 * w.n_leads)
    n_bot = max(2, w.n_leads // 400)
    dev_person = np.concatenate([web, second, np.full(n_anon + n_bot, -1)])
    nd = len(dev_person)
    kind = np.concatenate(
        [np.zeros(len(web)), np.ones(len(second)), np.full(n_anon, 2), np.full(n_bot, 3)]
    ).astype(np.int64)
    d_tid = np.full(nd, NA)
    d_tid[: len(web)] = t_id[web]
    if len(second):
        lo2 = t_id[second] + HOUR_MS
        d_tid[len(web) : len(web) + len(second)] = clock.sample(rng, lo2, np.full(len(second), T1))
        d_tid[(kind == 1) & (d_tid >= T1 - 2 * HOUR_MS)] = NA
    d_reason = np.full(nd, -1)
    d_reason[: len(web)] = reason[web]
    d_reason[kind == 1] = np.where(d_tid[kind == 1] != NA, 4, -1)
    intent = np.where(
        dev_person >= 0, p["intent"][np.maximum(dev_person, 0)], rng.normal(-0.9, 1.0, nd)
    )
    ua_pool = np.arange(len(w.pools.user_agents))
    mobile_ua = ua_pool[w.pools.ua_mobile]
    desk_ua = ua_pool[~w.pools.ua_mobile]
    ua = np.where(rng.random(nd) < 0.25, rng.choice(mobile_ua, nd), rng.choice(desk_ua, nd))
    ua[kind == 1] = np.where(
        rng.random((kind == 1).sum()) < 0.7,
        rng.choice(mobile_ua, (kind == 1).sum()),
        rng.choice(desk_ua, (kind == 1).sum()),
    )
    ua[kind == 3] = -1 - rng.integers(0, 6, n_bot)  # bots: negative = bot UA index
    ip = rng.integers(1, 255, size=(nd, 4))
    ip[:, 0] = rng.choice([24, 31, 45, 62, 73, 81, 84, 91, 98, 109, 141, 176, 185, 213], nd)
    office = (dev_person >= 0) & (kind == 0) & (rng.random(nd) < 0.5)
    ip[office] = a["office_ip"][p["company"][dev_person[office]]]
    ip[kind == 3, 0] = rng.choice([34, 35, 66, 157], n_bot)

    # -- sessions per device
    lam = np.select(
        [kind == 0, kind == 1, kind == 2],
        [np.exp(0.95 + 0.45 * intent), np.exp(0.2 + 0.3 * intent), np.full(nd, 0.6)],
        3.0,
    )
    if w.web_scale != 1.0:
        lam = lam * w.web_scale
    n_free = rng.poisson(np.minimum(lam, 40 * w.web_scale))
    n_free[kind >= 2] += 1  # anonymous and bots have at least one session
    has_idsess = d_tid != NA
    # email clicks open a session on the clicker's primary device
    clicks = np.flatnonzero(w.em["type"] == 2)
    prim = np.full(n_people, -1)
    prim[web] = np.arange(len(web))
    click_dev = prim[w.em["person"][clicks]]
    ok = click_dev >= 0
    clicks, click_dev = clicks[ok], click_dev[ok]
    n_click = np.bincount(click_dev, minlength=nd)
    counts = n_free + has_idsess + n_click
    s_dev = np.repeat(np.arange(nd), counts)
    ns = len(s_dev)
    rank = rank_in_group(counts)
    s_kind = np.zeros(ns, dtype=np.int64)  # 0 free, 1 identify, 2 email click
    s_kind[rank == 0] = np.where(has_idsess[s_dev[rank == 0]], 1, 0)
    is_click = rank >= (n_free + has_idsess)[s_dev]
    s_kind[is_click] = 2
    s_start = np.zeros(ns, dtype=np.int64)
    # identify sessions end at the identify time
    idm = s_kind == 1
    s_dur_id = rng.integers(MIN_MS, 12 * MIN_MS, idm.sum())
    s_start[idm] = d_tid[s_dev[idm]] - s_dur_id
    # email click sessions start right after the click
    cm = s_kind == 2
    order = np.argsort(click_dev, kind="stable")
    s_start[cm] = w.em["t"][clicks[order]] + rng.integers(2_000, 40_000, cm.sum())
    s_camp = np.full(ns, -1)
    s_camp[cm] = w.em["camp"][clicks[order]]
    # free sessions: before identification (research) or after it
    fm = s_kind == 0
    fd = s_dev[fm]
    tid_f = d_tid[fd]
    dp = dev_person[fd]
    web_form_dev = (dp >= 0) & p["web_form"][np.maximum(dp, 0)] & (kind[fd] == 0)
    pre = (tid_f != NA) & (rng.random(len(fd)) < np.where(web_form_dev, 0.4, 0.12))
    pre_lo = np.maximum(T0, tid_f - 40 * DAY_MS)
    post_lo = np.where(tid_f != NA, tid_f + 30 * MIN_MS, T0)
    known_lo = np.where(dp >= 0, np.maximum(T0, p["created"][np.maximum(dp, 0)] - 30 * DAY_MS), T0)
    post_lo = np.where(tid_f == NA, known_lo, post_lo)
    post_ok = post_lo < T1 - HOUR_MS
    pre = pre | ~post_ok
    pre &= tid_f != NA
    lo = np.where(pre, pre_lo, post_lo)
    hi = np.where(pre, tid_f - 20 * MIN_MS, T1)
    bad = lo >= hi - MIN_MS
    lo = np.where(bad, T0, lo)
    hi = np.where(bad, T1, hi)
    s_start[fm] = clock.sample(rng, lo, hi)
    # session traffic source
    tw = np.array([t[1] for t in TRAFFIC])
    names = [t[0] for t in TRAFFIC]
    s_src = _choice(rng, tw, ns)
    s_src[s_kind == 2] = names.index("newsletter")
    s_src[(s_src == names.index("newsletter")) & (s_kind != 2)] = names.index("direct")
    s_bot = kind[s_dev] == 3
    s_src[s_bot] = names.index("direct")
    s_intent = intent[s_dev]
    geo_p = np.where(s_bot, 1 / 25, 1 / (1.6 + 2.2 * sigmoid(s_intent)))
    s_npages = rng.geometric(geo_p)
    s_npages = np.minimum(s_npages, 80)
    # sort sessions by device then start
    order = np.lexsort((s_start, s_dev))
    s_dev, s_start, s_kind, s_src, s_camp, s_npages = (
        x[order] for x in (s_dev, s_start, s_kind, s_src, s_camp, s_npages)
    )
    s_start = np.clip(s_start, T0, T1 - 10 * MIN_MS)

    # -- demo requests / trials in later sessions, forced page at the end of those sessions
    d_first = group_offsets(counts)
    s_pers = dev_person[s_dev]
    after = (d_tid[s_dev] != NA) & (s_start > d_tid[s_dev]) & (kind[s_dev] == 0)
    s_intent = intent[s_dev]
    s_demo = after & (rng.random(ns) < sigmoid(s_intent - 3.8))
    s_demo |= (s_kind == 1) & (d_reason[s_dev] == 1)
    # a trial starts in one session per device at most: the first candidate
    cand = (after & (rng.random(ns) < 0.03 * sigmoid(s_intent))) | (
        (s_kind == 1) & (d_reason[s_dev] == 3)
    )
    first_cand = np.full(nd, ns)
    np.minimum.at(first_cand, s_dev[cand], np.flatnonzero(cand))
    s_trial = np.zeros(ns, dtype=bool)
    has_trial = first_cand < ns
    s_trial[first_cand[has_trial]] = True
    s_demo &= ~s_trial
    # trial users get a Segment userId; events from their trial on carry it
    person_trial = np.full(n_people, NA)
    tp = s_pers[s_trial]
    tt = s_start[s_trial] + 5 * MIN_MS
    ok = tp >= 0
    np.maximum.at(person_trial, tp[ok], tt[ok])  # any value: one trial per device
    user_id_of = np.full(n_people, -1)
    trial_people = np.flatnonzero(person_trial != NA)
    user_id_of[trial_people] = np.arange(len(trial_people))
    p["t_trial"] = person_trial
    p["user_id"] = user_id_of

    # -- page views
    nv = int(s_npages.sum())
    v_ses = np.repeat(np.arange(ns), s_npages)
    v_k = rank_in_group(s_npages)
    last = v_k == s_npages[v_ses] - 1
    gaps = rng.exponential(50_000, nv).astype(np.int64) + 3_000
    gaps[v_k == 0] = 0
    cs = np.cumsum(gaps)
    within = cs - np.repeat(cs[group_offsets(s_npages)], s_npages)
    # sessions near the end of the window start early enough to finish inside it
    dur = np.zeros(ns, dtype=np.int64)
    np.maximum.at(dur, v_ses, within)
    s_start = np.minimum(s_start, T1 - 10 * MIN_MS - dur)
    v_t = s_start[v_ses] + within
    v_dev = s_dev[v_ses]
    v_int = intent[v_dev]
    # category: landing pages by traffic source, later pages by intent
    cats = w.site["cats"]
    base = {
        "home": 0.08,
        "product": 0.17,
        "docs": 0.14,
        "blog": 0.15,
        "customers": 0.06,
        "integrations": 0.09,
        "careers": 0.03,
        "other": 0.1,
        "webinars": 0.03,
        "resources": 0.02,
        "contact": 0.02,
        "signup": 0.01,
    }
    bp = np.array([base.get(c, 0.0) for c in cats])
    category = rng.choice(len(cats), size=nv, p=bp / bp.sum())
    r = rng.random(nv)
    p_pr = 0.05 + 0.2 * sigmoid(v_int - 0.5)
    p_dm = 0.01 + 0.05 * sigmoid(v_int - 1.0)
    category[r < p_pr] = _cat(w, "pricing")
    category[(r >= p_pr) & (r < p_pr + p_dm)] = _cat(w, "demo")
    landing_p = {
        "search": {
            "blog": 0.45,
            "home": 0.18,
            "docs": 0.12,
            "product": 0.1,
            "pricing": 0.05,
            "integrations": 0.05,
            "careers": 0.03,
            "customers": 0.02,
        },
        "direct": {
            "home": 0.55,
            "pricing": 0.08,
            "docs": 0.15,
            "product": 0.08,
            "blog": 0.06,
            "careers": 0.04,
            "other": 0.04,
        },
        "paid": {"product": 0.4, "demo": 0.15, "pricing": 0.2, "home": 0.25},
        "social": {"blog": 0.4, "home": 0.3, "product": 0.1, "customers": 0.1, "pricing": 0.1},
    }
    group = {
        "direct": "direct",
        "google": "search",
        "bing": "search",
        "duckduckgo": "search",
        "chatgpt": "search",
        "google_cpc": "paid",
        "linkedin_ads": "paid",
    }
    first_v = np.flatnonzero(v_k == 0)
    src_first = s_src[v_ses[first_v]]
    for g, probs in landing_p.items():
        gsrc = [i for i, nme in enumerate(names) if group.get(nme, "social") == g]
        rows = first_v[np.isin(src_first, gsrc)]
        pr = np.array([probs.get(c, 0.0) for c in cats])
        category[rows] = rng.choice(len(cats), size=len(rows), p=pr / pr.sum())
    v_bot = kind[v_dev] == 3
    bot_cats = [_cat(w, c) for c in ("blog", "docs", "careers", "product", "customers", "other")]
    category[v_bot] = rng.choice(bot_cats, size=int(v_bot.sum()))
    page = _pick_pages(w, rng, category)
    # forced pages
    idx = w.site["index"]
    s_form_page = np.full(ns, -1)
    sk1 = s_kind == 1
    rsn = d_reason[s_dev]
    webinar_pages = [idx[f"/webinars/{w.c['rows'][ci]['slug']}"] for ci in w.c["webinar"]]
    res_pages = w.site["members"]["resources"][0]
    s_webinar = np.full(ns, -1)
    nwb = int((sk1 & (rsn == 2)).sum())
    s_webinar[sk1 & (rsn == 2)] = rng.integers(0, len(webinar_pages), nwb)
    s_form_page[sk1 & (rsn == 0)] = rng.choice(res_pages, int((sk1 & (rsn == 0)).sum()))
    s_form_page[sk1 & (rsn == 2)] = np.array(webinar_pages)[s_webinar[sk1 & (rsn == 2)]]
    s_form_page[sk1 & (rsn == 4)] = idx["/contact"]
    s_form_page[s_demo] = idx["/demo"]
    s_form_page[s_trial] = idx["/signup"]
    lv = np.flatnonzero(last)
    fp = s_form_page[v_ses[lv]]
    page[lv[fp >= 0]] = fp[fp >= 0]
    ck = np.flatnonzero((v_k == 0) & (s_kind[v_ses] == 2))
    page[ck] = w.c["link_page"][s_camp[v_ses[ck]]]
    v_user = np.full(nv, -1)
    vp = dev_person[v_dev]
    has_u = (vp >= 0) & (person_trial[np.maximum(vp, 0)] != NA)
    has_u &= v_t >= person_trial[np.maximum(vp, 0)]
    has_u &= (d_tid[v_dev] != NA) & (v_t >= d_tid[v_dev] - 15 * MIN_MS)
    v_user[has_u] = user_id_of[vp[has_u]]
    # messy paths: a trailing slash or capitals on a few page views
    v_variant = _choice(rng, [0.95, 0.035, 0.015], nv)
    v_variant[page == 0] = 0
    w.dev.update(
        person=dev_person,
        kind=kind,
        tid=d_tid,
        reason=d_reason,
        ua=ua,
        ip=ip,
        intent=intent,
        anon=np.arange(nd),
    )
    w.ses.update(
        dev=s_dev,
        start=s_start,
        kind=s_kind,
        src=s_src,
        camp=s_camp,
        npages=s_npages,
        demo=s_demo,
        trial=s_trial,
        webinar=s_webinar,
        form_page=s_form_page,
        utm_term=rng.integers(0, 10, ns),
        first=d_first,
    )
    w.pv.update(
        ses=v_ses, k=v_k, t=v_t, dev=v_dev, page=page, user=v_user, variant=v_variant, last=last
    )

    # -- web track events and identify calls
    ses_end = v_t[np.flatnonzero(last)]  # one per session, sessions in order
    tr_ses, tr_type = [], []
    # 0 Form Submitted, 1 Demo Requested, 2 Trial Started, 3 Webinar Registered
    form = np.flatnonzero(sk1 | s_demo | s_trial)
    tr_ses += [form]
    tr_type += [np.zeros(len(form), dtype=np.int64)]
    for mask, code in ((s_demo, 1), (s_trial, 2), (sk1 & (rsn == 2), 3)):
        sel = np.flatnonzero(mask)
        tr_ses.append(sel)
        tr_type.append(np.full(len(sel), code))
    t_ses = np.concatenate(tr_ses)
    t_type = np.concatenate(tr_type)
    t_t = ses_end[t_ses] + 8_000 + t_type * 700
    t_dev = s_dev[t_ses]
    tp_ = dev_person[t_dev]
    t_user = np.full(len(t_ses), -1)
    hu = (tp_ >= 0) & (person_trial[np.maximum(tp_, 0)] != NA)
    hu &= t_t >= person_trial[np.maximum(tp_, 0)] - 10 * MIN_MS
    t_user[hu] = user_id_of[tp_[hu]]
    keep = t_t < T1 - MIN_MS
    o = np.lexsort((t_type, t_t))
    o = o[keep[o]]
    w.tr.update(
        ses=t_ses[o],
        type=t_type[o],
        t=t_t[o],
        dev=t_dev[o],
        user=t_user[o],
        page=page[np.flatnonzero(last)][t_ses[o]],
    )
    # identifies: the identify session, plus a re-identify on some later sessions
    id_ses = np.flatnonzero(sk1)
    again = np.flatnonzero(after & (rng.random(ns) < 0.08))
    i_ses = np.concatenate([id_ses, again])
    i_t = ses_end[i_ses] + 7_500
    i_dev = s_dev[i_ses]
    ip_ = dev_person[i_dev]
    i_user = np.full(len(i_ses), -1)
    hu = (person_trial[ip_] != NA) & (i_t >= person_trial[ip_] - 10 * MIN_MS)
    i_user[hu] = user_id_of[ip_[hu]]
    keep = i_t < T1 - MIN_MS
    o = np.argsort(i_t, kind="stable")
    o = o[keep[o]]
    w.idf.update(
        ses=i_ses[o],
        t=i_t[o],
        dev=i_dev[o],
        user=i_user[o],
        page=page[np.flatnonzero(last)][i_ses[o]],
        repeat=np.concatenate([np.zeros(len(id_ses), bool), np.ones(len(again), bool)])[o],
    )


# --------------------------------------------------------------------------------------
def person_counts_before(
    person: np.ndarray, t: np.ndarray, cutoff: np.ndarray, n: int
) -> np.ndarray:
    ok = person >= 0
    person, t = person[ok], t[ok]
    before = t < cutoff[person]
    return np.bincount(person[before], minlength=n)


def _funnel(w: World, rng: np.random.Generator, clock: Clock) -> None:
    """Conversion, opportunities and account creation, driven by fit and prior behaviour."""
    p, a = w.p, w.a
    n = len(p["kind"])
    T0, T1 = w.t0, w.t1
    lead = p["kind"] == KIND_LEAD
    base_t = np.maximum(p["created"], T0 - 30 * DAY_MS)
    t_c = base_t + (rng.gamma(2.0, 16.0, n) * DAY_MS).astype(np.int64) + DAY_MS
    t_c = (t_c // HOUR_MS) * HOUR_MS + rng.integers(0, HOUR_MS, n)
    # behaviour before the candidate conversion time
    pv_person = w.dev["person"][w.pv["dev"]]
    pricing = w.site["index"]["/pricing"]
    is_pr = w.pv["page"] == pricing
    n_pricing = person_counts_before(pv_person[is_pr], w.pv["t"][is_pr], t_c, n)
    tr_person = w.dev["person"][w.tr["dev"]]
    demo = w.tr["type"] == 1
    n_demo = person_counts_before(tr_person[demo], w.tr["t"][demo], t_c, n)
    trial = w.tr["type"] == 2
    n_trial = person_counts_before(tr_person[trial], w.tr["t"][trial], t_c, n)
    webinar = w.tr["type"] == 3
    n_webinar = person_counts_before(tr_person[webinar], w.tr["t"][webinar], t_c, n)
    click = w.em["type"] == 2
    n_click = person_counts_before(w.em["person"][click], w.em["t"][click], t_c, n)
    logit = (
        0.75 * p["fit"]
        + 0.5 * np.log1p(n_pricing)
        + 1.3 * np.minimum(n_demo, 2)
        + 0.4 * np.log1p(n_click)
        + 1.0 * np.minimum(n_trial, 1)
        + 0.4 * np.minimum(n_webinar, 1)
        + 0.3 * p["intent"]
        + rng.normal(0, 0.4, n)
    )
    eligible = lead & ~p["junk"] & (t_c < T1 - HOUR_MS)
    # intercept: about 12% of eligible leads convert
    lo_, hi_ = -15.0, 10.0
    for _ in range(60):
        mid = (lo_ + hi_) / 2
        if sigmoid(logit[eligible] + mid).mean() > 0.12:
            hi_ = mid
        else:
            lo_ = mid
    prop = logit + lo_
    converted = eligible & (rng.random(n) < sigmoid(prop))
    t_conv = np.where(converted, t_c, NA)
    p.update(prop=prop, converted=converted, t_conv=t_conv, n_pricing_before=n_pricing)
    # lead status history: worked a few days after creation
    t_work = p["created"] + (rng.exponential(4.0, n) * DAY_MS).astype(np.int64) + HOUR_MS
    t_work = np.where(converted, np.minimum(t_work, t_conv - HOUR_MS), t_work)
    t_work = np.where(t_work < T1, t_work, NA)
    final = np.full(n, 0)  # 0 open, 1 working, 2 nurturing, 3 closed-not-converted,
    # 4 unqualified, 5 converted
    worked = t_work != NA
    pr = sigmoid(prop)
    final[worked] = np.select(
        [pr[worked] > 0.2, pr[worked] > 0.04, p["fit"][worked] < -0.3], [1, 2, 4], 3
    )
    final[converted] = 5
    final[p["junk"]] = 4
    t_final = np.where(converted, t_conv, t_work)
    t_final = np.where(
        final == 3, t_work + (rng.exponential(20, n) * DAY_MS).astype(np.int64), t_final
    )
    t_final = np.where((t_final != NA) & (t_final >= T1), t_work, t_final)
    # rating, a sales rep's gut feeling, a bit better than random
    rating = np.where(worked, np.select([pr > 0.3, pr > 0.08], [0, 1], 2), -1)
    rating = np.where(rng.random(n) < 0.15, rng.integers(-1, 3, n), rating)
    # title changes and soft deletes later in the window
    t_title = np.where(
        rng.random(n) < 0.04, clock.sample(rng, np.maximum(p["created"], T0), np.full(n, T1)), NA
    )
    new_title = rng.choice(len(w.titles["title"]), size=n, p=w.titles["weight"])
    deleted = lead & ~converted & (p["junk"] | (rng.random(n) < 0.012))
    t_del = np.where(
        deleted, clock.sample(rng, np.maximum(p["created"], T0) + HOUR_MS, np.full(n, T1)), NA
    )
    p.update(
        t_work=t_work,
        status=final,
        t_status=t_final,
        rating=rating,
        t_title=t_title,
        new_title=new_title,
        deleted=deleted,
        t_del=t_del,
        legacy_score=np.clip(50 + 12 * p["fit"] + rng.normal(0, 15, n), 0, 100).astype(int),
        legacy_known=rng.random(n) < 0.8,
    )

    # accounts: every company with a pre-existing account or a conversion
    comp = p["company"]
    first_conv = np.full(len(w.domains), np.iinfo(np.int64).max)
    np.minimum.at(first_conv, comp[converted], t_conv[converted])
    acc_created = np.where(
        a["preexisting"],
        a["created"],
        np.where(first_conv < np.iinfo(np.int64).max, first_conv, NA),
    )
    a["acc_created"] = acc_created
    a["is_account"] = acc_created != NA
    # contacts: standalone ones and one per converted lead
    p["is_contact"] = (p["kind"] == KIND_CONTACT) | converted
    p["contact_created"] = np.where(p["kind"] == KIND_CONTACT, p["created"], t_conv)

    # opportunities: most conversions, plus expansion deals at existing customers
    has_opp = converted & (rng.random(n) < 0.9)
    o_person = np.flatnonzero(has_opp)
    cust = np.flatnonzero(a["preexisting"] & (a["type"] == 1))
    n_exp = max(1, len(cust) // 4)
    exp_comp = rng.choice(cust, n_exp) if len(cust) else np.zeros(0, dtype=np.int64)
    o_comp = np.concatenate([comp[o_person], exp_comp])
    no = len(o_comp)
    o_person_all = np.concatenate([o_person, np.full(len(exp_comp), -1)])
    o_created = np.concatenate(
        [
            t_conv[o_person] + rng.integers(MIN_MS, 10 * MIN_MS, len(o_person)),
            clock.sample(rng, np.full(len(exp_comp), T0), np.full(len(exp_comp), T1 - DAY_MS)),
        ]
    )
    o_prop = np.concatenate([prop[o_person], rng.normal(0.5, 1.0, len(exp_comp))])
    cycle = (rng.gamma(2.5, 14.0, no) * DAY_MS).astype(np.int64) + 5 * DAY_MS
    close = o_created + cycle
    closed = close < T1
    # win rate about a third of closed deals, higher propensity wins more
    lo_, hi_ = -10.0, 10.0
    centred = o_prop - (o_prop.mean() if no else 0)
    for _ in range(50):
        mid = (lo_ + hi_) / 2
        if no and sigmoid(1.2 * centred + mid).mean() > 0.35:
            hi_ = mid
        else:
            lo_ = mid
    won = closed & (rng.random(no) < sigmoid(1.2 * centred + lo_))
    emp = a["employees"][o_comp].astype(float)
    amount = 9000 * (np.maximum(emp, 5) / 50) ** 0.42 * np.exp(rng.normal(0, 0.35, no))
    amount = (np.clip(amount, 3000, 750_000) // 500 * 500).astype(np.int64)
    amount[len(o_person) :] = (amount[len(o_person) :] * 0.4 // 500 * 500).astype(np.int64)
    frac = np.clip((T1 - o_created) / np.maximum(cycle, 1), 0, 0.999)
    open_stage = np.minimum((frac * 8).astype(int), 7)
    stage_t = np.where(closed, close, o_created + (cycle * frac * 0.9).astype(np.int64))
    acct_created = acc_created[o_comp]
    o_contact = np.where(o_person_all >= 0, o_person_all, -1)
    o_campaign = np.full(no, -1)
    w.opp.update(
        person=o_person_all,
        comp=o_comp,
        created=o_created,
        close=close,
        closed=closed,
        won=won,
        amount=amount,
        open_stage=open_stage,
        stage_t=stage_t,
        is_expansion=o_person_all < 0,
        contact=o_contact,
        campaign=o_campaign,
        owner=np.where(
            o_person_all >= 0, p["owner"][np.maximum(o_person_all, 0)], a["owner"][o_comp]
        ),
        product=rng.integers(0, 4, no),
        acct_created=acct_created,
    )
    # accounts become customers when a deal is won
    won_at = np.full(len(w.domains), np.iinfo(np.int64).max)
    np.minimum.at(won_at, o_comp[won], close[won])
    a["won_at"] = np.where(won_at < np.iinfo(np.int64).max, won_at, NA)


# --------------------------------------------------------------------------------------
def _tasks(w: World, rng: np.random.Generator, clock: Clock) -> None:
    p = w.p
    T1 = w.t1
    n = len(p["kind"])
    worked = (p["t_work"] != NA) & (p["kind"] == KIND_LEAD)
    lam = np.where(worked, 0.8 + 3.0 * sigmoid(p["prop"]) + 2.0 * p["converted"], 0.0)
    lam = np.where(p["kind"] == KIND_CONTACT, 0.6, lam)
    k = rng.poisson(lam)
    person = np.repeat(np.arange(n), k)
    start = np.where(p["kind"] == KIND_CONTACT, w.t0, p["t_work"])[person]
    start = np.where(start == NA, w.t0, start)
    stop = np.where(p["converted"][person], np.minimum(p["t_conv"][person] + 60 * DAY_MS, T1), T1)
    t = clock.sample(rng, start, np.maximum(stop, start + HOUR_MS))
    planned = rng.random(len(t)) < 0.04
    due = np.where(planned, t + rng.integers(1, 15, len(t)) * DAY_MS, t)
    is_contact = (p["kind"][person] == KIND_CONTACT) | (
        p["converted"][person] & (t >= p["t_conv"][person])
    )
    ttype = _choice(rng, [0.5, 0.35, 0.15], len(t))
    opp_of = np.full(n, -1)
    op = w.opp["person"]
    opp_of[op[op >= 0]] = np.flatnonzero(op >= 0)
    what = np.where(is_contact & (rng.random(len(t)) < 0.7), opp_of[person], -1)
    deleted = rng.random(len(t)) < 0.005
    w.task.update(
        person=person,
        t=np.minimum(t, T1 - MIN_MS),
        due=due,
        planned=planned,
        is_contact=is_contact,
        type=ttype,
        what=what,
        subject=rng.integers(0, 6, len(t)),
        owner=p["owner"][person],
        deleted=deleted,
        t_del=np.where(deleted, np.minimum(t + 3 * DAY_MS, T1 - MIN_MS), NA),
    )


def _campaign_members(w: World, rng: np.random.Generator) -> None:
    p = w.p
    rows_person, rows_camp, rows_status, rows_t, rows_resp_t = [], [], [], [], []
    src_name = np.array([s[0] for s in LEAD_SOURCES])[p["src"]]
    crm = p["kind"] != KIND_WEB

    def add(person, camp, status, t, resp_t):
        rows_person.append(person)
        rows_camp.append(camp)
        rows_status.append(status)
        rows_t.append(t)
        rows_resp_t.append(resp_t)

    # status codes: 0 Sent, 1 Responded, 2 Registered, 3 Attended, 4 No Show, 5 Visited Booth
    # webinar registrations seen on the web
    tr = w.tr
    reg = tr["type"] == 3
    who = w.dev["person"][tr["dev"][reg]]
    web_ses = w.ses["webinar"][tr["ses"][reg]]
    ok = (who >= 0) & crm[np.maximum(who, 0)]
    camp = w.c["webinar"][web_ses[ok]]
    wdate = np.array([w.c["rows"][c]["webinar"] for c in camp], dtype=np.int64)
    attended = rng.random(ok.sum()) < 0.55
    add(
        who[ok],
        camp,
        np.where(attended & (wdate < w.t1), 3, 2),
        tr["t"][reg][ok],
        np.where(attended & (wdate < w.t1), wdate + HOUR_MS, NA),
    )
    # webinar leads without web tracking, trade show and syndication leads
    for src, camps, status in (
        ("Webinar", w.c["webinar"], 3),
        ("Trade Show", w.c["show"], 5),
        ("Content Syndication", w.c["syndication"], 1),
    ):
        people = np.flatnonzero((src_name == src) & crm & (p["kind"] == KIND_LEAD))
        people = people[~np.isin(people, who)]
        if not len(people) or not len(camps):
            continue
        cc = camps[rng.integers(0, len(camps), len(people))]
        add(
            people,
            cc,
            np.full(len(people), status),
            p["created"][people],
            p["created"][people] + MIN_MS,
        )
    # email clickers respond to the email campaign
    em = w.em
    clk = em["type"] == 2
    pair = em["person"][clk] * 10_000 + em["camp"][clk]
    _, first = np.unique(pair, return_index=True)
    sel = np.flatnonzero(clk)[first]
    add(
        em["person"][sel],
        em["camp"][sel],
        np.ones(len(sel), dtype=np.int64),
        em["t"][sel] - 3 * HOUR_MS,
        em["t"][sel],
    )
    person = np.concatenate(rows_person)
    w.cm.update(
        person=person,
        camp=np.concatenate(rows_camp),
        status=np.concatenate(rows_status),
        t=np.concatenate(rows_t),
        resp_t=np.concatenate(rows_resp_t),
    )
