"""Segment events: raw JSON messages (pages, recent tracks) and the flat warehouse shape."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import messy
from .arrow_text import (
    DAY_MS,
    NA_MS,
    civil,
    concat,
    format_ts,
    format_ts_mixed,
    hashed_hex,
    ints,
    json_lines,
    nulls,
    take,
    where,
)
from .clock import HOUR_MS, MIN_MS
from .ids import to15
from .reference import BOT_USER_AGENTS, PAID_TERMS, TRAFFIC, VENDOR_HOST
from .world import KIND_LEAD, World, slugify
from .writer import encode, gzip_bytes

NA = NA_MS
# emit(table, relative path, fmt, producer returning bytes, row count)
EmitBytes = Callable[[str, str, Callable[[], bytes], int, int], None]
# emit(table, relative path, Arrow table, number of deliberately bad rows in it)
EmitTable = Callable[[str, str, pa.Table, int], None]

EMAIL_EVENTS = [
    "Email Delivered",
    "Email Opened",
    "Email Link Clicked",
    "Email Bounced",
    "Unsubscribed",
]
WEB_EVENTS = ["Form Submitted", "Demo Requested", "Trial Started", "Webinar Registered"]
FORMS = {
    "demo": ("demo-request", "Demo Request"),
    "signup": ("trial-signup", "Free Trial Signup"),
    "contact": ("contact-sales", "Contact Sales"),
    "webinars": ("webinar-registration", "Webinar Registration"),
    "resources": ("ebook-download", "eBook Download"),
}


def slug(event: str) -> str:
    return event.lower().replace(" ", "_")


class SegmentBuilder:
    def __init__(
        self,
        w: World,
        rng: np.random.Generator,
        emit_bytes: EmitBytes,
        emit_table: EmitTable,
        bad_row_rate: float,
        campaign_ids: pa.Array,
        seed: int,
    ) -> None:
        self.w, self.rng = w, rng
        self.emit_bytes, self.emit_table = emit_bytes, emit_table
        self.bad_row_rate = bad_row_rate
        self.campaign_ids = campaign_ids
        self.seed = seed
        self.future = w.t1 + 900 * DAY_MS
        dev = w.dev
        nd = len(dev["person"])
        self.anon = hashed_hex(np.arange(nd), seed * 31 + 1, uuid=True)
        ip = dev["ip"]
        self.ip = concat(
            ints(ip[:, 0]), ".", ints(ip[:, 1]), ".", ints(ip[:, 2]), ".", ints(ip[:, 3])
        )
        ua_pool = w.pools.user_agents + BOT_USER_AGENTS
        ua = dev["ua"]
        self.ua = take(ua_pool, np.where(ua >= 0, ua, len(w.pools.user_agents) + (-1 - ua)))
        trial_people = np.flatnonzero(w.p["user_id"] >= 0)
        self.user_ids = hashed_hex(trial_people, seed * 31 + 2, 12, prefix="usr_")
        # path variants: as typed / trailing slash / capitalised
        paths = w.site["path"]
        variants = []
        for p_ in paths:
            variants += [
                p_,
                p_ + "/" if p_ != "/" else p_,
                "/" + p_[1:2].upper() + p_[2:] if len(p_) > 1 else p_,
            ]
        self.path_variants = pa.array(variants, pa.string())
        self.clean_url = pa.array([f"https://{VENDOR_HOST}{p_}" for p_ in paths], pa.string())
        self.titles = pa.array(w.site["title"], pa.string())
        self.names = pa.array(w.site["name"], pa.string())
        end_day = civil(np.array([w.t1 - DAY_MS]))
        self.year = int(end_day[0][0])
        names = [t[0] for t in TRAFFIC]
        self.utm_source = take([t[3] for t in TRAFFIC], np.arange(len(TRAFFIC)))
        self.utm_medium = take([t[4] for t in TRAFFIC], np.arange(len(TRAFFIC)))
        self.referrers = take([t[2] for t in TRAFFIC], np.arange(len(TRAFFIC)))
        self.traffic_names = names
        self.campaign_slugs = [slugify(r["name"]) for r in w.c["rows"]]
        pools = [*ua_pool, *variants, *w.site["title"], *w.site["name"]]
        self.json_safe = not any('"' in x or "\\" in x for x in pools)

    # ----------------------------------------------------------------------------------
    def page_context(self, v: np.ndarray, rng: np.random.Generator) -> dict[str, pa.Array]:
        """Context of page views ``v``: url, path, title, referrer, search, utm fields."""
        w = self.w
        pv, ses = w.pv, w.ses
        n = len(v)
        page = pv["page"][v]
        path = take(self.path_variants, page * 3 + pv["variant"][v])
        s = pv["ses"][v]
        k = pv["k"][v]
        src = ses["src"][s]
        landing = k == 0
        has_utm = landing & pc.is_valid(take(self.utm_source, src)).to_numpy(zero_copy_only=False)
        utm_source = where(has_utm, take(self.utm_source, src), pa.scalar(None, pa.string()))
        utm_medium = where(has_utm, take(self.utm_medium, src), pa.scalar(None, pa.string()))
        # utm_campaign: the campaign of an email click, a paid campaign, or a generic tag
        names = self.traffic_names
        camp_slug = take(self.campaign_slugs, ses["camp"][s])
        generic = {
            "google_cpc": "generic-lead-scoring",
            "linkedin_ads": f"abm-{self.year}",
            "twitter": "organic-social",
            "partner": "partner-blog",
            "capterra": "listing",
        }
        gen_name = take([generic.get(nm) for nm in names], src)
        brand = (src == names.index("google_cpc")) & (ses["utm_term"][s] >= 5)
        gen_name = where(brand, "brand-search", gen_name)
        utm_campaign = where(
            has_utm, pc.coalesce(camp_slug, gen_name), pa.scalar(None, pa.string())
        )
        term = where(
            has_utm & (src == names.index("google_cpc")),
            take(PAID_TERMS, ses["utm_term"][s]),
            pa.scalar(None, pa.string()),
        )
        content = where(
            has_utm & (ses["kind"][s] == 2),
            take(["cta-button", "header-link", "footer-link"], ses["utm_term"][s] % 3),
            pa.scalar(None, pa.string()),
        )
        term_q = pc.replace_substring(term, " ", "+")
        search = concat(
            "?utm_source=", utm_source, "&utm_medium=", utm_medium, "&utm_campaign=", utm_campaign
        )
        search = where(pc.is_valid(term_q), concat(search, "&utm_term=", term_q), search)
        search = where(pc.is_valid(content), concat(search, "&utm_content=", content), search)
        host = where(rng.random(n) < 0.03, "https://lumora.io", "https://" + VENDOR_HOST)
        url = concat(host, path, pc.fill_null(search, ""))
        prev = np.maximum(v - 1, 0)
        internal_ref = take(self.clean_url, pv["page"][prev])
        ext_ref = take(self.referrers, src)
        referrer = where(landing, ext_ref, internal_ref)
        return {
            "url": url,
            "path": path,
            "title": take(self.titles, page),
            "referrer": referrer,
            "search": search,
            "name": take(self.names, page),
            "utm_source": utm_source,
            "utm_medium": utm_medium,
            "utm_campaign": utm_campaign,
            "utm_term": term,
            "utm_content": content,
        }

    def user_of(self, idx: np.ndarray) -> pa.Array:
        return take(self.user_ids, idx)

    def _latency(self, t: np.ndarray, salt: int) -> tuple[np.ndarray, np.ndarray]:
        rng = np.random.default_rng([self.seed, salt])
        sent = t + rng.integers(0, 2500, len(t))
        received = sent + rng.integers(40, 1800, len(t))
        late = rng.random(len(t)) < 0.01  # offline batches arrive later
        received = np.where(late, received + rng.integers(MIN_MS, 6 * HOUR_MS, len(t)), received)
        received = np.minimum(received, self.w.t1 - 1000)
        return sent, received

    def _dups_and_bad(self, n: int, received: np.ndarray, salt: int):
        """Rows to write: every event, plus duplicated deliveries; and bad-row flags."""
        rng = np.random.default_rng([self.seed, salt, 1])
        dup = np.flatnonzero(rng.random(n) < 0.003)
        src = np.concatenate([np.arange(n), dup])
        rec = np.concatenate(
            [
                received,
                np.minimum(
                    received[dup] + rng.integers(1000, 30 * HOUR_MS, len(dup)), self.w.t1 - 500
                ),
            ]
        )
        bad = np.zeros(len(src), dtype=np.int64)  # 0 ok, 1 missing id, 2 bad ts, 3 future ts
        if self.bad_row_rate > 0:
            hit = rng.random(len(src)) < self.bad_row_rate
            bad[hit] = rng.integers(1, 4, hit.sum())
        order = np.argsort(rec, kind="stable")
        return src[order], rec[order], bad[order]

    def _timestamp(self, t: np.ndarray, bad: np.ndarray, style: str) -> pa.Array:
        ts = format_ts(np.where(bad == 3, self.future + t % (400 * DAY_MS), t), style)
        rng = np.random.default_rng([self.seed, len(t), 3])
        junk = take(
            ["2026-13-45T25:61:00Z", "not-a-timestamp", "1699999999999", "NaN"],
            rng.integers(0, 4, len(t)),
        )
        return where(bad == 2, junk, ts)

    # ----------------------------------------------------------------------------------
    def pages(self) -> None:
        w = self.w
        nv = len(w.pv["t"])
        sent, received = self._latency(w.pv["t"], 11)
        src, rec, bad = self._dups_and_bad(nv, received, 12)
        day = rec // DAY_MS
        bounds = np.flatnonzero(np.diff(day)) + 1
        starts = np.concatenate([[0], bounds])
        stops = np.concatenate([bounds, [len(src)]])
        for a, b in zip(starts, stops, strict=True):
            y, m, d = civil(np.array([day[a] * DAY_MS]))
            name = f"pages/{int(y[0]):04d}-{int(m[0]):02d}-{int(d[0]):02d}.jsonl.gz"
            rows = (src[a:b], rec[a:b], bad[a:b], sent)

            def produce(rows=rows) -> bytes:
                return self._render_pages(*rows)

            self.emit_bytes("pages", name, produce, int(b - a), int((bad[a:b] > 0).sum()))

    def _render_pages(
        self, v: np.ndarray, rec: np.ndarray, bad: np.ndarray, sent_all: np.ndarray
    ) -> bytes:
        w = self.w
        n = len(v)
        rng = np.random.default_rng([self.seed, 50, int(rec[0]) if n else 0])
        ctx = self.page_context(v, rng)
        dev = w.pv["dev"][v]
        t = w.pv["t"][v]
        mid = hashed_hex(v, self.seed * 31 + 3, 32, prefix="ajs-next-")
        mid = where(bad == 1, pa.scalar(None, pa.string()), mid)
        user = self.user_of(w.pv["user"][v])
        node = {
            "type": "page",
            "messageId": mid,
            "anonymousId": take(self.anon, dev),
            "userId": user,
            "timestamp": self._timestamp(t, bad, "z"),
            "sentAt": format_ts(np.maximum(sent_all[v], t), "z"),
            "receivedAt": format_ts(rec, "z"),
            "name": ctx["name"],
            "context": {
                "ip": take(self.ip, dev),
                "userAgent": take(self.ua, dev),
                "library": {"name": "analytics.js"},
                "page": {
                    "path": ctx["path"],
                    "referrer": ctx["referrer"],
                    "search": ctx["search"],
                    "title": ctx["title"],
                    "url": ctx["url"],
                },
                "campaign": {
                    "source": ctx["utm_source"],
                    "medium": ctx["utm_medium"],
                    "name": ctx["utm_campaign"],
                    "term": ctx["utm_term"],
                    "content": ctx["utm_content"],
                },
            },
            "properties": {
                "path": ctx["path"],
                "search": ctx["search"],
                "title": ctx["title"],
                "url": ctx["url"],
            },
        }
        return gzip_bytes(json_lines(node, n, escape=not self.json_safe), 1)

    # ----------------------------------------------------------------------------------
    def _session_last_pv(self, ses: np.ndarray) -> np.ndarray:
        npages = self.w.ses["npages"]
        first = np.concatenate([[0], np.cumsum(npages)])[:-1]
        return first[ses] + npages[ses] - 1

    def tracks(self) -> None:
        """Older events as monthly flat CSV files, the last week as raw JSON, one per day."""
        w = self.w
        n_web, n_em = len(w.tr["t"]), len(w.em["t"])
        t = np.concatenate([w.tr["t"], w.em["t"]])
        sent, received = self._latency(t, 21)
        src, rec, bad = self._dups_and_bad(n_web + n_em, received, 22)
        raw_from = (w.t1 // DAY_MS - 7) * DAY_MS
        y, m, d = civil(rec)
        month = y * 100 + m
        day = rec // DAY_MS
        key = np.where(rec >= raw_from, day, month)  # months and days never collide
        bounds = np.flatnonzero(np.diff(key)) + 1
        for k, (a, b) in enumerate(
            zip(np.concatenate([[0], bounds]), np.concatenate([bounds, [len(src)]]), strict=True)
        ):
            rows = (src[a:b], rec[a:b], bad[a:b], t, sent, n_web, k)
            if rec[a] >= raw_from:
                name = f"tracks/{int(y[a]):04d}-{int(m[a]):02d}-{int(d[a]):02d}.jsonl"

                def produce(rows=rows) -> bytes:
                    return self._raw_tracks(self._track_fields(*rows), rows[2])
            else:
                name = f"tracks/{int(y[a]):04d}-{int(m[a]):02d}.csv.gz"

                def produce(rows=rows) -> bytes:
                    return self._flat_tracks(self._track_fields(*rows), rows[2], rows[-1])

            self.emit_bytes("tracks", name, produce, int(b - a), int((bad[a:b] > 0).sum()))

    def _track_fields(
        self,
        src: np.ndarray,
        rec: np.ndarray,
        bad: np.ndarray,
        t_all: np.ndarray,
        sent_all: np.ndarray,
        n_web: int,
        chunk: int,
    ) -> dict:
        """Columns of the track events ``src`` (web events first, then email events)."""
        w = self.w
        tr, em = w.tr, w.em
        rng = np.random.default_rng([self.seed, 40, chunk])
        n = len(src)
        web = src < n_web
        wi = np.where(web, src, 0) if n_web else np.zeros(n, dtype=np.int64)
        ei = np.where(web, 0, src - n_web) if len(em["t"]) else np.zeros(n, dtype=np.int64)
        none = pa.scalar(None, pa.string())
        if n_web:
            ttype = np.where(web, tr["type"][wi], -1)
            dev = tr["dev"][wi]
            ctx = self.page_context(self._session_last_pv(tr["ses"][wi]), rng)
            person = np.where(web, w.dev["person"][dev], em["person"][ei])
            wcamp = np.where(
                ttype == 3, w.c["webinar"][np.maximum(w.ses["webinar"][tr["ses"][wi]], 0)], -1
            )
            cat_idx = w.site["cat"][tr["page"][wi]]
            user = np.where(web, tr["user"][wi], -1)
        else:
            ttype = np.full(n, -1)
            dev = np.zeros(n, dtype=np.int64)
            ctx = {
                k: pa.nulls(n, pa.string())
                for k in (
                    "url",
                    "path",
                    "referrer",
                    "title",
                    "utm_source",
                    "utm_medium",
                    "utm_campaign",
                    "utm_term",
                    "utm_content",
                )
            }
            person = em["person"][ei]
            wcamp = np.full(n, -1)
            cat_idx = np.zeros(n, dtype=np.int64)
            user = np.full(n, -1)
        etype = np.where(web, -1, em["type"][ei])
        event_text = where(
            web, take(WEB_EVENTS, np.maximum(ttype, 0)), take(EMAIL_EVENTS, np.maximum(etype, 0))
        )
        email_lower = take(w.emails, person)
        camp = np.where(web, wcamp, em["camp"][ei])
        campaign_id = take(self.campaign_ids, camp)
        campaign_id = where(rng.random(n) < 0.1, to15(campaign_id), campaign_id)
        subjects = [r.get("subject") for r in w.c["rows"]]
        link = concat(
            take(self.clean_url, w.c["link_page"][np.maximum(camp, 0)]),
            "?utm_source=newsletter&utm_medium=email&utm_campaign=",
            take(self.campaign_slugs, camp),
        )
        cats = w.site["cats"]
        form_ids = [FORMS.get(c, (None, None))[0] for c in cats]
        form_names = [FORMS.get(c, (None, None))[1] for c in cats]
        is_form = web & (ttype != 3)
        mid = hashed_hex(src, self.seed * 31 + 4, 32)
        mid = where(web, concat("ajs-next-", mid), mid)
        t = t_all[src]
        return {
            "id": where(bad == 1, none, mid),
            "anonymous_id": where(web, take(self.anon, dev), none),
            "user_id": where(web, self.user_of(user), email_lower),
            "timestamp_ms": t,
            "sent_ms": np.maximum(sent_all[src], t),
            "received_ms": rec,
            "context_ip": where(web, take(self.ip, dev), none),
            "context_user_agent": where(web, take(self.ua, dev), none),
            "context_page_url": where(web, ctx["url"], none),
            "context_page_path": where(web, ctx["path"], none),
            "context_page_referrer": where(web, ctx["referrer"], none),
            "context_page_title": where(web, ctx["title"], none),
            "context_campaign_source": where(web, ctx["utm_source"], none),
            "context_campaign_medium": where(web, ctx["utm_medium"], none),
            "context_campaign_name": where(web, ctx["utm_campaign"], none),
            "context_campaign_term": where(web, ctx["utm_term"], none),
            "context_campaign_content": where(web, ctx["utm_content"], none),
            "context_library_name": take(["Iterable", "analytics.js"], web.astype(np.int64)),
            "event": pc.replace_substring(pc.utf8_lower(event_text), " ", "_"),
            "event_text": event_text,
            "email": messy.emails(rng, where(ttype == 3, none, email_lower), 0.04, 0.01),
            "campaign_id": campaign_id,
            "campaign_name": take([r["name"] for r in w.c["rows"]], camp),
            "email_subject": where(web, none, take(subjects, camp)),
            "link_url": where(etype == 2, link, none),
            "form_id": where(is_form, take(form_ids, cat_idx), none),
            "form_name": where(is_form, take(form_names, cat_idx), none),
        }

    def _flat_tracks(self, f: dict, bad: np.ndarray, chunk: int) -> bytes:
        rng = np.random.default_rng([self.seed, 41, chunk])
        style = messy.choice(rng, [0.7, 0.3], len(bad))

        def fmt(ms: np.ndarray) -> pa.Array:
            return format_ts_mixed(ms, style, ["utc", "z"])

        ts_col = where(
            bad == 3, fmt(self.future + f["timestamp_ms"] % (400 * DAY_MS)), fmt(f["timestamp_ms"])
        )
        ts_col = where(bad == 2, "2026-99-99 99:99:99 UTC", ts_col)
        cols = {
            "id": f["id"],
            "anonymous_id": f["anonymous_id"],
            "user_id": f["user_id"],
            "timestamp": ts_col,
            "original_timestamp": fmt(f["timestamp_ms"] - 150),
            "received_at": fmt(f["received_ms"]),
            "sent_at": fmt(f["sent_ms"]),
        }
        cols |= {k: v for k, v in f.items() if not k.endswith("_ms") and k not in cols}
        return encode(pa.table(cols), "csv.gz")

    def _raw_tracks(self, f: dict, bad: np.ndarray) -> bytes:
        node = {
            "type": "track",
            "event": f["event_text"],
            "messageId": f["id"],
            "anonymousId": f["anonymous_id"],
            "userId": f["user_id"],
            "timestamp": self._timestamp(f["timestamp_ms"], bad, "z"),
            "sentAt": format_ts(f["sent_ms"], "z"),
            "receivedAt": format_ts(f["received_ms"], "z"),
            "context": {
                "ip": f["context_ip"],
                "userAgent": f["context_user_agent"],
                "library": {"name": f["context_library_name"]},
                "page": {
                    "path": f["context_page_path"],
                    "referrer": f["context_page_referrer"],
                    "title": f["context_page_title"],
                    "url": f["context_page_url"],
                },
                "campaign": {
                    "source": f["context_campaign_source"],
                    "medium": f["context_campaign_medium"],
                    "name": f["context_campaign_name"],
                    "term": f["context_campaign_term"],
                    "content": f["context_campaign_content"],
                },
            },
            "properties": {
                k: f[k]
                for k in (
                    "email",
                    "campaign_id",
                    "campaign_name",
                    "email_subject",
                    "link_url",
                    "form_id",
                    "form_name",
                )
            },
        }
        return json_lines(node, len(bad), keep_order=True)

    # ----------------------------------------------------------------------------------
    def identifies(self) -> None:
        w, rng, p = self.w, self.rng, self.w.p
        idf = w.idf
        n = len(idf["t"])
        sent, received = self._latency(idf["t"], 31)
        src, rec, bad = self._dups_and_bad(n, received, 32)
        dev = idf["dev"][src]
        person = w.dev["person"][dev]
        lastpv = self._session_last_pv(idf["ses"][src])
        ctx = self.page_context(lastpv, rng)
        none = pa.scalar(None, pa.string())
        m = len(src)
        cp = w.pools.countries
        country = p["country"][person]
        first = pa.array(
            [cp[c].first[f] for c, f in zip(country, p["first"][person], strict=True)], pa.string()
        )
        last = pa.array(
            [cp[c].last[f] for c, f in zip(country, p["last"][person], strict=True)], pa.string()
        )
        company = take(w.company_names, p["company"][person])
        company = where(rng.random(m) < 0.1, pc.utf8_lower(company), company)
        title_idx = np.where(
            rng.random(m) < 0.2,
            rng.choice(len(w.titles["title"]), m, p=w.titles["weight"]),
            p["title"][person],
        )
        mid = hashed_hex(src, self.seed * 31 + 5, 32, prefix="ajs-next-")
        t = idf["t"][src]
        rng2 = np.random.default_rng([self.seed, 33])
        style = messy.choice(rng2, [0.8, 0.2], m)
        ts_col = format_ts_mixed(
            np.where(bad == 3, self.future + t % (400 * DAY_MS), t), style, ["utc", "z"]
        )
        ts_col = where(bad == 2, "31/12/2026 25:00", ts_col)
        cols = {
            "id": where(bad == 1, none, mid),
            "anonymous_id": take(self.anon, dev),
            "user_id": self.user_of(idf["user"][src]),
            "timestamp": ts_col,
            "original_timestamp": nulls(m),
            "received_at": format_ts_mixed(rec, style, ["utc", "z"]),
            "sent_at": format_ts_mixed(np.maximum(sent[src], t), style, ["utc", "z"]),
            "context_ip": take(self.ip, dev),
            "context_user_agent": take(self.ua, dev),
            "context_page_url": ctx["url"],
            "context_page_path": ctx["path"],
            "context_page_referrer": ctx["referrer"],
            "context_page_title": ctx["title"],
            "context_campaign_source": ctx["utm_source"],
            "context_campaign_medium": ctx["utm_medium"],
            "context_campaign_name": ctx["utm_campaign"],
            "context_campaign_term": ctx["utm_term"],
            "context_campaign_content": ctx["utm_content"],
            "context_library_name": take(["analytics.js"], np.zeros(m, dtype=np.int64)),
            "email": messy.emails(rng, take(w.emails, person), 0.08, 0.03),
            "first_name": where(rng.random(m) < 0.9, first, none),
            "last_name": where(rng.random(m) < 0.85, last, none),
            "name": where(rng.random(m) < 0.4, concat(first, " ", last), none),
            "company": where(rng.random(m) < 0.8, company, none),
            "title": where(rng.random(m) < 0.6, take(w.titles["title"], title_idx), none),
            "phone": where(
                rng.random(m) < 0.15,
                pa.array(
                    [cp[c].phones[s] for c, s in zip(country, p["phone"][person], strict=True)],
                    pa.string(),
                ),
                none,
            ),
        }
        table = pa.table(cols)
        table = pa.concat_tables([table, self._shared_device_identifies(table.schema)])
        self.emit_table("identifies", "identifies.parquet", table, int((bad > 0).sum()))

    def _shared_device_identifies(self, schema: pa.Schema) -> pa.Table:
        """Identify calls that must not merge people: a trade-show kiosk browser on which
        several leads type their own email (one per 1,500 people, 4–6 leads each: more
        emails than a person may hold, so merge protection refuses the kiosk), and a QA
        login using the shared test address from three browsers (an identifier the seed
        `identity_exclusions` never links). From their own random stream, so the rest of
        the data set is the same with or without them."""
        w = self.w
        rng = np.random.default_rng([self.seed, 34])
        p = w.p
        leads = np.flatnonzero((p["kind"] == KIND_LEAD) & ~p["junk"] & ~p["bad_email"])
        kiosks = max(1, len(p["kind"]) // 1500)
        sizes = rng.integers(4, 7, kiosks)
        people = rng.choice(leads, int(sizes.sum()), replace=False)
        device = np.repeat(np.arange(kiosks), sizes)
        qa = 3
        m = len(people) + qa
        anon = hashed_hex(
            np.concatenate([device, kiosks + np.arange(qa)]), self.seed * 31 + 35, uuid=True
        )
        email = pa.concat_arrays(
            [take(w.emails, people), pa.array(["test@example.com"] * qa, pa.string())]
        )
        t = np.sort(rng.integers(w.t0, w.t1 - DAY_MS, m))
        columns = {name: nulls(m) for name in schema.names}
        columns.update(
            id=hashed_hex(np.arange(m), self.seed * 31 + 36, 32, prefix="ajs-next-"),
            anonymous_id=anon,
            timestamp=format_ts(t, "utc"),
            received_at=format_ts(t + 1500, "utc"),
            sent_at=format_ts(t + 200, "utc"),
            context_library_name=pa.array(["analytics.js"] * m, pa.string()),
            email=email,
        )
        return pa.table(columns, schema=schema)

    def users(self) -> None:
        w, p = self.w, self.w.p
        people = np.flatnonzero(p["user_id"] >= 0)
        if not len(people):
            return
        cp = w.pools.countries
        country = p["country"][people]
        first = pa.array(
            [cp[c].first[f] for c, f in zip(country, p["first"][people], strict=True)], pa.string()
        )
        last = pa.array(
            [cp[c].last[f] for c, f in zip(country, p["last"][people], strict=True)], pa.string()
        )
        t = np.minimum(p["t_trial"][people] + 2000, w.t1 - 1000)
        cols = {
            "id": self.user_of(p["user_id"][people]),
            "email": take(w.emails, people),
            "first_name": first,
            "last_name": last,
            "name": concat(first, " ", last),
            "company": take(w.company_names, p["company"][people]),
            "title": take(w.titles["title"], p["title"][people]),
            "received_at": format_ts(t, "utc"),
        }
        order = np.argsort(t, kind="stable")
        self.emit_table("users", "users.jsonl", pa.table(cols).take(pa.array(order)), 0)

    def build_all(self) -> None:
        self.identifies()
        self.tracks()
        self.users()
        self.pages()
