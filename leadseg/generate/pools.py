"""Value pools drawn from Faker once per run; rows then sample from them with numpy."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
from faker import Faker

from .reference import COUNTRIES, UA_TEMPLATES

_COMPANY_STOP = {
    "inc",
    "llc",
    "ltd",
    "plc",
    "group",
    "and",
    "sons",
    "co",
    "corp",
    "gmbh",
    "ag",
    "kg",
    "ev",
    "e",
    "v",
    "sa",
    "s",
    "a",
    "nv",
    "bv",
    "ab",
    "hb",
    "as",
    "aps",
    "srl",
    "r",
    "l",
    "spa",
    "p",
    "sp",
    "z",
    "o",
    "oo",
    "sc",
    "i",
    "syn",
    "cie",
    "sas",
    "sarl",
    "y",
    "und",
    "ohg",
    "mbh",
    "gbr",
    "ug",
    "se",
    "partner",
    "partners",
    "kk",
    "ltda",
    "me",
    "eireli",
    "de",
    "cv",
    "the",
    "et",
    "en",
    "og",
    "holding",
    "industrias",
    "grupo",
    "comercializadora",
    "van",
    "der",
    "den",
    "of",
    "s.l.",
    "sl",
    "slu",
    "snc",
    "ss",
    "sd",
    "hnos",
}


def ascii_fold(text: str) -> str:
    """Lowercase ASCII letters only: 'Müller-Lüdenscheidt' -> 'mullerludenscheidt'."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", folded.lower())


def domain_base(company: str) -> str:
    folded = unicodedata.normalize("NFKD", company).encode("ascii", "ignore").decode().lower()
    tokens = [t for t in re.split(r"[^a-z0-9]+", folded) if t and t not in _COMPANY_STOP]
    if not tokens:
        tokens = [t for t in re.split(r"[^a-z0-9]+", folded) if t] or ["company"]
    return "".join(tokens[:2])[:24]


@dataclass
class CountryPools:
    first: list[str]
    last: list[str]
    first_ascii: list[str]
    last_ascii: list[str]
    cities: list[str]
    states: list[str]
    phones: list[str]
    faker: Faker = field(repr=False)


@dataclass
class Pools:
    countries: list[CountryPools]
    jobs: list[str]  # Faker's long tail of job titles
    blog_titles: list[str]
    webinar_titles: list[str]
    career_titles: list[str]
    user_agents: list[str]
    ua_mobile: np.ndarray
    en: Faker = field(repr=False)


def _state_getter(f: Faker):
    for name in ("state_abbr", "province_abbr", "state", "province", "region"):
        fn = getattr(f, name, None)
        if fn is None:
            continue
        try:
            fn()
        except Exception:  # noqa: BLE001 - provider missing for this locale
            continue
        return fn
    return None


def _fix_city_order(f: Faker) -> None:
    """Some of Faker's address providers (it_IT) build their city list from a set, so the
    list's order, and the cities a seeded Faker draws, follow Python's string hash seed;
    sorted, the same seed draws the same cities in every process."""
    for provider in f.get_providers():
        cities = getattr(provider, "cities", None)
        if isinstance(cities, list):
            provider.cities = sorted(cities)


def build_pools(seed: int, rng: np.random.Generator, n_people: int) -> Pools:
    countries = []
    n_names = int(min(600, max(80, n_people // 20)))
    for i, (_, _, _, _, locale, *_rest) in enumerate(COUNTRIES):
        f = Faker(locale)
        f.seed_instance(seed * 1009 + i)
        _fix_city_order(f)
        first = [f.first_name() for _ in range(n_names)]
        last = [f.last_name() for _ in range(int(n_names * 1.5))]
        getter = _state_getter(f)
        states = [getter() for _ in range(40)] if getter else [""]
        countries.append(
            CountryPools(
                first=first,
                last=last,
                first_ascii=[ascii_fold(x) or "info" for x in first],
                last_ascii=[ascii_fold(x) or "x" for x in last],
                cities=[f.city() for _ in range(60)],
                states=states,
                phones=[f.phone_number() for _ in range(120)],
                faker=f,
            )
        )
    en = countries[0].faker
    jobs = sorted({en.job() for _ in range(400)})
    blog_titles = list(dict.fromkeys(en.catch_phrase() for _ in range(160)))[:120]
    webinar_titles = list(dict.fromkeys(en.bs().title() for _ in range(60)))[:30]
    career_titles = sorted({en.job() for _ in range(30)})[:18]

    # user agents: current browsers with plausible versions, plus Faker's odd long tail
    uas, mobile = [], []
    weights = np.array([w for _, w, _ in UA_TEMPLATES])
    picks = rng.choice(len(UA_TEMPLATES), size=600, p=weights / weights.sum())
    for k in picks:
        tpl, _, is_mobile = UA_TEMPLATES[k]
        v = int(rng.integers(118, 131))
        ios = f"{int(rng.integers(16, 19))}_{int(rng.integers(0, 7))}"
        ua = tpl.format(
            v=v,
            b=int(rng.integers(2000, 2900)),
            p=int(rng.integers(10, 150)),
            s=f"{int(rng.integers(16, 19))}.{int(rng.integers(0, 6))}",
            f=int(rng.integers(115, 133)),
            i=ios,
        )
        uas.append(ua)
        mobile.append(is_mobile)
    long_tail: list[str] = []
    while len(long_tail) < 40:
        ua = en.user_agent()
        if not re.search(r"\d{4}-\d\d-\d\d", ua):  # Faker's Firefox tokens carry dates
            long_tail.append(ua)
    uas += long_tail
    mobile += [bool(re.search(r"Mobile|iPhone|Android", ua)) for ua in long_tail]
    return Pools(
        countries=countries,
        jobs=jobs,
        blog_titles=blog_titles,
        webinar_titles=webinar_titles,
        career_titles=career_titles,
        user_agents=uas,
        ua_mobile=np.array(mobile),
        en=en,
    )


def unique_companies(
    f: Faker,
    n: int,
    taken: set[str],
    last_names: list[str],
    rng: np.random.Generator,
    faker_calls: int = 700,
) -> list[str]:
    """``n`` distinct company names: Faker's ``company()`` for the first few hundred, then
    the same patterns built from the locale's Faker last names and company suffixes."""
    out: list[str] = []
    tries = 0
    while len(out) < min(n, faker_calls) and tries < 3 * faker_calls:
        name = f.company()
        tries += 1
        if name not in taken:
            taken.add(name)
            out.append(name)
    if len(out) < n:
        suffixes = sorted({f.company_suffix() for _ in range(60)})
        while len(out) < n:
            k = n - len(out)
            a = rng.integers(0, len(last_names), 2 * k)
            b = rng.integers(0, len(last_names), 2 * k)
            sfx = rng.integers(0, len(suffixes), 2 * k)
            form = rng.integers(0, 4, 2 * k)
            for i in range(2 * k):
                la, lb = last_names[a[i]], last_names[b[i]]
                name = [
                    f"{la} {suffixes[sfx[i]]}",
                    f"{la}-{lb}",
                    f"{la} & {lb}",
                    f"{la}-{lb} {suffixes[sfx[i]]}",
                ][form[i]]
                if name not in taken:
                    taken.add(name)
                    out.append(name)
                    if len(out) == n:
                        break
    return out
