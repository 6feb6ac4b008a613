"""Technographics: user agents parsed by ua-parser into device classes."""

from __future__ import annotations

import duckdb
import pytest

from leadseg.ingest.user_agents import parse_user_agent, refresh_user_agents
from leadseg.warehouse import Warehouse

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15"
    " (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
IPAD = (
    "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15"
    " (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1"
)
ANDROID_PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36"
    " (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36"
)
ANDROID_TABLET = (
    "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36"
    " (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
)
WINDOWS_CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"
    " (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
)
MAC_SAFARI = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15"
    " (KHTML, like Gecko) Version/17.1 Safari/605.1.15"
)
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.mark.parametrize(
    ("ua", "device_type", "os_family", "browser_family"),
    [
        (IPHONE, "mobile", "iOS", "Mobile Safari"),
        (IPAD, "tablet", "iOS", "Mobile Safari"),
        (ANDROID_PHONE, "mobile", "Android", "Chrome Mobile"),
        (ANDROID_TABLET, "tablet", "Android", "Chrome"),
        (WINDOWS_CHROME, "desktop", "Windows", "Chrome"),
        (MAC_SAFARI, "desktop", "Mac OS X", "Safari"),
        (GOOGLEBOT, "bot", "Other", "Googlebot"),
        ("curl/8.4.0", "other", "Other", "curl"),
    ],
)
def test_user_agents_are_classified(ua, device_type, os_family, browser_family):
    parsed = parse_user_agent(ua)
    assert (parsed.device_type, parsed.os_family, parsed.browser_family) == (
        device_type,
        os_family,
        browser_family,
    )


def test_each_user_agent_is_parsed_once(tmp_path):
    con = duckdb.connect(str(tmp_path / "wh.duckdb"))
    con.execute("create schema raw")
    con.execute("create table raw.segment__pages (context_user_agent varchar)")
    con.execute(
        "insert into raw.segment__pages values (?), (?), (?), (null), ('  ')",
        [IPHONE, IPHONE, f"  {WINDOWS_CHROME} "],
    )
    wh = Warehouse(con, "duckdb")
    assert refresh_user_agents(wh) == 2
    assert refresh_user_agents(wh) == 0
    con.execute("insert into raw.segment__pages values (?)", [GOOGLEBOT])
    assert refresh_user_agents(wh) == 1
    assert sorted(
        r[0] for r in con.execute("select device_type from raw.user_agents").fetchall()
    ) == [
        "bot",
        "desktop",
        "mobile",
    ]
