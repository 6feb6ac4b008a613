"""Technographics: every distinct web user agent parsed once into `raw.user_agents`.

SQL is a poor place to parse user agents and hand-written regexes rot quickly, so the
maintained `ua-parser` library (the uap-core rules behind most analytics tools) does it here,
before dbt runs. Only user agents not parsed yet are parsed, so a daily run parses a handful.
dbt's technographic features join this lookup (source `enrichment.user_agents`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ua_parser import parse

from leadseg.schema import RAW_SCHEMA
from leadseg.warehouse import Warehouse

LOOKUP_TABLE = "user_agents"
# The Segment tables whose `context_user_agent` column holds the browser's user agent.
SOURCE_RELATIONS = ("segment__pages", "segment__tracks", "segment__identifies")
TABLET_DEVICE_HINTS = ("ipad", "tablet", "kindle", "galaxy tab", "nexus 7", "nexus 9", "xoom")
MOBILE_OS_FAMILIES = ("ios", "android", "windows phone", "blackberry os", "kaios")


@dataclass(frozen=True)
class ParsedUserAgent:
    user_agent: str
    browser_family: str
    os_family: str
    device_family: str
    device_type: str


def device_type(ua: str, os_family: str, device_family: str) -> str:
    """desktop, mobile, tablet, bot or other.

    ua-parser names the device (``iPad``, ``Spider``, ``Other``) but not its class, so the
    class follows the usual reading of its result: a spider is a bot, an iPad or tablet
    model is a tablet, an Android user agent without the ``Mobile`` token is a tablet
    (Google's own convention), other mobile operating systems are mobile.
    """
    device = device_family.lower()
    os_name = os_family.lower()
    if device == "spider":
        return "bot"
    if any(hint in device for hint in TABLET_DEVICE_HINTS):
        return "tablet"
    if os_name == "android":
        return "mobile" if "mobile" in ua.lower() else "tablet"
    if os_name in MOBILE_OS_FAMILIES:
        return "mobile"
    if os_name in ("other", ""):
        return "other"
    return "desktop"


def parse_user_agent(ua: str) -> ParsedUserAgent:
    result = parse(ua)
    browser = result.user_agent.family if result.user_agent else "Other"
    os_family = result.os.family if result.os else "Other"
    device_family = result.device.family if result.device else "Other"
    return ParsedUserAgent(
        user_agent=ua,
        browser_family=browser,
        os_family=os_family,
        device_family=device_family,
        device_type=device_type(ua, os_family, device_family),
    )


def _has_column(wh: Warehouse, relation: str, column: str) -> bool:
    return bool(
        wh.scalar(
            "select count(*) from information_schema.columns"
            " where table_schema = ? and table_name = ? and column_name = ?",
            (RAW_SCHEMA, relation, column),
        )
    )


def ensure_lookup_table(wh: Warehouse) -> None:
    wh.query(f"create schema if not exists {RAW_SCHEMA}")
    wh.query(
        f"create table if not exists {RAW_SCHEMA}.{LOOKUP_TABLE} ("
        " user_agent varchar primary key, browser_family varchar, os_family varchar,"
        " device_family varchar, device_type varchar, parsed_at timestamp)"
    )


def unparsed_user_agents(wh: Warehouse) -> list[str]:
    selects = [
        f"select distinct trim(context_user_agent) as ua from {RAW_SCHEMA}.{relation}"
        for relation in SOURCE_RELATIONS
        if wh.table_exists(RAW_SCHEMA, relation) and _has_column(wh, relation, "context_user_agent")
    ]
    if not selects:
        return []
    rows = wh.query(
        f"select ua from ({' union '.join(selects)}) as seen"
        f" where ua is not null and ua <> ''"
        f" and ua not in (select user_agent from {RAW_SCHEMA}.{LOOKUP_TABLE})"
        " order by ua"
    )
    return [r[0] for r in rows]


def refresh_user_agents(wh: Warehouse) -> int:
    """Parse the user agents seen in raw Segment tables and not parsed yet; returns how many."""
    ensure_lookup_table(wh)
    new = [parse_user_agent(ua) for ua in unparsed_user_agents(wh)]
    if not new:
        return 0
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows = [
        (p.user_agent, p.browser_family, p.os_family, p.device_family, p.device_type, now)
        for p in new
    ]
    insert = (
        f"insert into {RAW_SCHEMA}.{LOOKUP_TABLE}"
        " (user_agent, browser_family, os_family, device_family, device_type, parsed_at)"
        " values (?, ?, ?, ?, ?, ?)"
    )
    if wh.kind == "postgres":
        with wh.con.cursor() as cur:
            cur.executemany(insert.replace("?", "%s"), rows)
    else:
        wh.con.executemany(insert, rows)
    return len(new)
