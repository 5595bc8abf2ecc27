"""Faults on the source side, through whole poll cycles (``poll_once``: real fetcher, real
SQLite file, real webhook receiver): a corrupted robots.txt, a feed that turns into an HTML
error page, a story re-published under a new GUID and URL every poll, and feed dates from
1970 or the far future. After each: nothing accepted is lost, nothing is stored or alerted
twice, and the next poll runs normally.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

from monitor.config import Config, parse_config
from monitor.demo.fixtureweb import FixtureWeb
from monitor.pipeline import PollSummary, SourceOutcome, poll_once

RSS_TYPE = "application/rss+xml"


@dataclass
class Feed:
    """An RSS feed on the fixture web whose entries the test edits between polls."""

    web: FixtureWeb
    path: str
    entries: list[tuple[str, str, str, str]] = field(
        default_factory=list
    )  # guid, link, title, date

    def add(self, guid: str, link: str, title: str, published: str) -> None:
        self.entries.insert(0, (guid, link, title, published))
        self.publish()

    def publish(self) -> None:
        items = "".join(
            f"<item><title>{t}</title><link>{link}</link><guid>{g}</guid>"
            f"<pubDate>{d}</pubDate></item>"
            for g, link, t, d in self.entries
        )
        self.web.set(
            self.path,
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>{items}'
            "</channel></rss>",
            content_type=RSS_TYPE,
        )


def _page(title: str, *paragraphs: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}"
        "</article></body></html>"
    )


def _pub(year: int, month: int, day: int) -> str:
    return format_datetime(datetime(year, month, day, 9, 0, tzinfo=UTC))


@dataclass
class World:
    web: FixtureWeb
    hook: FixtureWeb
    config: Config
    db_path: Path

    def poll(self, **options: object) -> PollSummary:
        return asyncio.run(poll_once(self.config, db_path=self.db_path, **options))  # type: ignore[arg-type]

    def outcome(self, summary: PollSummary, name: str) -> SourceOutcome:
        return next(o for o in summary.outcomes if o.name == name)

    def query(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        conn = sqlite3.connect(self.db_path)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    def deliveries(self) -> list[str]:
        """The dedup key of every webhook call received."""
        return [json.loads(r.body)["delivery"] for r in self.hook.requests if r.method == "POST"]


@pytest.fixture
def hook() -> Iterator[FixtureWeb]:
    with FixtureWeb() as receiver:
        receiver.set("/hook", b"ok", content_type="text/plain", conditional=False)
        yield receiver


@pytest.fixture
def world(web: FixtureWeb, hook: FixtureWeb, tmp_path: Path) -> World:
    web.set("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    config = parse_config(
        f"""
settings: {{min_delay: 0s, jitter: 0s, backoff: 0s, alert_backoff: 0s, max_retries: 0,
            timeout: 5s}}
sources:
  - {{name: paper, kind: feed, url: "{web.url("/paper.xml")}"}}
  - {{name: trade, kind: feed, url: "{web.url("/trade.xml")}"}}
subscribers:
  - name: desk
    notify: ["json://{hook.base_url.removeprefix("http://")}/hook"]
""",
        environ={},
    )
    return World(web, hook, config, tmp_path / "monitor.db")


def _story(world: World, feed: Feed, slug: str, title: str, text: str, published: str) -> None:
    path = f"/{feed.path.strip('/').split('.')[0]}/{slug}"
    world.web.set(path, _page(title, text))
    feed.add(f"{feed.path}#{slug}", world.web.url(path), title, published)


def _backfill(world: World) -> tuple[Feed, Feed]:
    """Both feeds with a little history, polled once (silently)."""
    paper, trade = Feed(world.web, "/paper.xml"), Feed(world.web, "/trade.xml")
    _story(
        world,
        paper,
        "stockport-2017",
        "Stockport children's services rated good",
        "Ofsted inspectors rated children's services in Stockport good after their visit.",
        _pub(2017, 8, 24),
    )
    _story(
        world,
        trade,
        "roads",
        "Council resurfaces roads",
        "The council will resurface three roads in the town centre this spring.",
        _pub(2026, 1, 5),
    )
    summary = world.poll()
    assert [o.ok for o in summary.outcomes] == [True, True], summary
    assert world.deliveries() == []
    return paper, trade


DOWNGRADE = (
    "Ofsted has downgraded Stockport's children's services from good to inadequate after "
    "inspectors found serious weaknesses in the help given to children at risk."
)


# -- robots.txt ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("robots", "headers"),
    [
        (bytes(range(256)) * 4, {}),
        (b"\x1f\x8b\x08\x00garbage that is not gzip", {"Content-Encoding": "gzip"}),
        (b"<html><body>Welcome! Please log in.</body></html>", {}),
        (b"User-agent: *\nDisallow: /\x00\xff\nCrawl-delay: -5e999\n", {}),
        (b"User-agent: *\n" + b"Disallow: /x\n" * 20000, {}),
    ],
    ids=["binary", "broken-gzip", "html", "bad-lines", "huge"],
)
def test_corrupted_robots_txt_still_fetches(
    world: World, robots: bytes, headers: dict[str, str]
) -> None:
    world.web.set("/robots.txt", robots, content_type="text/plain", headers=headers)
    paper, _trade = _backfill(world)
    assert world.query("select count(*) from items") == [(2,)]
    # and the next poll works too (rules cached or re-read, never a crash)
    _story(world, paper, "later", "Park reopens", "The park reopens on Monday.", _pub(2026, 2, 1))
    summary = world.poll()
    assert all(o.ok for o in summary.outcomes), summary
    assert world.query("select count(*) from items") == [(3,)]


# -- a feed that turns into an HTML error page -----------------------------------------------
@pytest.mark.parametrize("status", [200, 503])
def test_feed_turning_into_an_html_error_page(world: World, status: int) -> None:
    paper, trade = _backfill(world)
    world.web.set(
        "/paper.xml",
        "<!DOCTYPE html><html><head><title>Oops</title></head><body><h1>Something went wrong"
        "</h1><p>Please try again later.</p></body></html>",
        status=status,
        content_type="text/html",
    )
    _story(world, trade, "bins", "Bin collections change", "Bins go fortnightly.", _pub(2026, 3, 1))

    broken = world.poll()
    failed = world.outcome(broken, "paper")
    assert not failed.ok
    expected = "got an HTML page" if status == 200 else "HTTP 503"
    assert failed.error is not None and expected in failed.error, failed.error
    assert world.outcome(broken, "trade").ok and world.outcome(broken, "trade").new_items == 1
    health = dict(world.query("select name, consecutive_failures from sources"))
    assert health == {"paper": 1, "trade": 0}

    # The feed comes back with a story published while it was down: nothing is lost.
    paper.publish()
    _story(world, paper, "new", "Library hours", "The library opens late.", _pub(2026, 3, 2))
    recovered = world.poll()
    assert world.outcome(recovered, "paper").ok and world.outcome(recovered, "paper").new_items == 1
    health = dict(world.query("select name, consecutive_failures from sources"))
    assert health == {"paper": 0, "trade": 0}
    assert world.query("select count(*), count(distinct url) from items") == [(4, 4)]


# -- the same story under a new GUID (and a new URL) every poll ------------------------------
@pytest.mark.parametrize("new_link", [False, True], ids=["same-link", "new-link"])
def test_same_story_under_new_guid_is_stored_and_alerted_once(world: World, new_link: bool) -> None:
    paper, _trade = _backfill(world)
    title = "Stockport children's services rated inadequate"
    world.web.set("/paper/downgrade", _page(title, DOWNGRADE))
    for poll in range(4):
        link = world.web.url("/paper/downgrade")
        if new_link and poll:
            # A CMS that stamps a cache-busting parameter and a fresh GUID on every export.
            world.web.set(f"/paper/downgrade-{poll}", _page(title, DOWNGRADE))
            link = world.web.url(f"/paper/downgrade-{poll}?v={poll}")
        paper.entries = [e for e in paper.entries if "downgrade" not in e[1]]
        paper.add(f"guid-{poll}", link, title, _pub(2026, 11, 20))
        summary = world.poll()
        assert all(o.ok for o in summary.outcomes), summary
        assert summary.delivery_failures == 0

    texts = world.query("select count(*) from items where text like ?", "%downgraded%")
    assert texts == [(1,)]
    deliveries = world.deliveries()
    assert len(deliveries) == 1, deliveries


# -- clock skew in feed dates ----------------------------------------------------------------
SKEWED = [
    ("epoch", "Thu, 01 Jan 1970 00:00:00 GMT", datetime(1970, 1, 1, tzinfo=UTC)),
    ("before-epoch", "Mon, 01 Jan 1900 00:00:00 GMT", datetime(1900, 1, 1, tzinfo=UTC)),
    ("next-year", "Sat, 20 Nov 2027 09:00:00 GMT", datetime(2027, 11, 20, 9, tzinfo=UTC)),
    ("far-future", "Fri, 31 Dec 9999 23:59:59 GMT", datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)),
    ("odd-zone", "Mon, 02 Nov 2026 09:00:00 +2359", datetime(2026, 11, 1, 9, 1, tzinfo=UTC)),
    ("garbage", "yesterday-ish", None),
]


def test_skewed_feed_dates_are_stored_as_given(world: World) -> None:
    paper, _trade = _backfill(world)
    for slug, date_text, _expected in SKEWED:
        world.web.set(f"/paper/{slug}", _page(f"Story {slug}", f"A story dated {slug}."))
        paper.add(f"skew-{slug}", world.web.url(f"/paper/{slug}"), f"Story {slug}", date_text)
    world.web.set("/paper/future-downgrade", _page("Stockport inadequate", DOWNGRADE))
    paper.add(
        "skew-downgrade", world.web.url("/paper/future-downgrade"), "Stockport", _pub(2099, 1, 1)
    )

    summary = world.poll()
    assert all(o.ok for o in summary.outcomes), summary
    stored = dict(world.query("select url, published from items"))
    for slug, _date_text, expected in SKEWED:
        published = stored[world.web.url(f"/paper/{slug}")]
        want = expected.isoformat(timespec="seconds") if expected else None
        assert published == want, (slug, published)
    # A rating story dated in the future is still news: one alert, sent now.
    assert len(world.deliveries()) == 1
    # and nothing is fetched or stored again on the next poll
    again = world.poll()
    assert sum(o.new_items for o in again.outcomes) == 0
    assert len(world.deliveries()) == 1


# -- one hostile article among good ones ------------------------------------------------------
def test_a_hostile_article_does_not_block_its_source(world: World) -> None:
    paper, _trade = _backfill(world)
    hostile = (
        '<html><head><link rel="canonical" href="http://[::1"><title>Odd</title></head>'
        "<body><p>A page with a broken canonical link.</p></body></html>"
    )
    world.web.set("/paper/hostile", hostile)
    paper.add("h", world.web.url("/paper/hostile"), "Odd", _pub(2026, 4, 1))
    _story(world, paper, "after", "Market returns", "The market returns.", _pub(2026, 4, 2))
    paper.entries.reverse()  # the hostile entry first: everything after it must still be read
    paper.publish()

    summary = world.poll()
    outcome = world.outcome(summary, "paper")
    assert outcome.ok, outcome.error
    stored = {url for (url,) in world.query("select url from items")}
    assert world.web.url("/paper/after") in stored
