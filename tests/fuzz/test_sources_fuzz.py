"""Fuzzing the feed and page sources: mutated RSS/Atom and HTML bytes, random selectors.

Two levels. The parsers (``parse_feed``, ``select_links``) may raise only ``FeedError`` /
``ParseError``. And a whole source job (``Pipeline.poll_source``, with the real fetcher against
a FixtureWeb serving the fuzzed body) never raises and never fails with an "internal error":
every failure is an expected, named one, recorded against the source.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from monitor.config import Config, parse_config
from monitor.councils import CouncilRegistry, load_councils
from monitor.demo.fixtureweb import FixtureWeb
from monitor.errors import FeedError, ParseError
from monitor.fetch import Response
from monitor.pipeline import Pipeline, SourceOutcome, make_fetcher
from monitor.sources.feed import parse_feed
from monitor.sources.page import select_links
from monitor.store import open_db

FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
# A poll over real HTTP costs milliseconds, not microseconds: fewer examples.
FUZZ_POLL = settings(FUZZ, max_examples=30)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
BASE = "http://127.0.0.1:9/"

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Local news</title><link>http://127.0.0.1:9/</link>
<item><title>Stockport children&#8217;s services rated good</title>
<link>http://127.0.0.1:9/news/1?utm_source=rss</link><guid isPermaLink="false">n-1</guid>
<pubDate>Mon, 02 Nov 2026 09:00:00 GMT</pubDate>
<description><![CDATA[<p>Inspectors judged the council&rsquo;s services <b>good</b>.</p>]]>
</description>
<content:encoded><![CDATA[<p>Full story about Stockport.</p>]]></content:encoded></item>
<item><title>Budget</title><link>/news/2</link><pubDate>not a date</pubDate></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="iso-8859-1"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Ofsted</title>
<link href="http://127.0.0.1:9/"/><updated>2026-11-02T09:00:00Z</updated>
<entry><title type="html">Merton &lt;b&gt;inadequate&lt;/b&gt;</title>
<link rel="alternate" href="http://127.0.0.1:9/a/1"/><id>tag:x,2026:1</id>
<updated>2026-11-02T09:00:00+01:00</updated><summary>Merton \xa3 news</summary></entry>
<entry><id>http://127.0.0.1:9/a/2</id><title>No link, id is a URL</title></entry>
</feed>"""

LISTING = b"""<!doctype html><html><head><meta charset="windows-1252"><base href="/council/">
<title>News</title></head><body><ul class="news">
<li><a class="story" href="news/1">Story \x93one\x94</a></li>
<li><h3 class="story"><a href="http://127.0.0.1:9/news/2#top">Two</a></h3></li>
<li><a class="story" href="#">anchor</a><a class="story" href="javascript:void(0)">js</a></li>
<li><a class="story" href="mailto:x@y.z">mail</a><a class="story" href="//127.0.0.2:9/x">x</a>
</li></ul></body></html>"""

# Tokens that matter to XML and HTML parsers, spliced in at random places.
TOKENS = [
    b"<",
    b">",
    b"&",
    b"&amp;",
    b"&#0;",
    b"&#xD800;",
    b"&nbsp;",
    b"<![CDATA[",
    b"]]>",
    b"<!--",
    b"-->",
    b"<item>",
    b"</item>",
    b"<entry>",
    b"<link>",
    b"<link href='",
    b"<guid>",
    b"<pubDate>",
    b"<updated>9999-99-99T99:99:99Z</updated>",
    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>',
    b"&b;",
    b'<?xml version="1.0" encoding="utf-16"?>',
    b'<?xml version="1.0" encoding="bogus-8"?>',
    b"<html>",
    b"<!doctype html>",
    b"<a href='",
    b"<base href='javascript:'>",
    b"<base href='http://[::1'>",
    b'<meta charset="utf-7">',
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\x00",
    b"\xc3",
    b"\xed\xa0\x80",
    b"http://",
    b"http://[",
    b"http://127.0.0.1:99999/",
    b"%",
    b"%zz",
    b"\r\n",
]


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """``seed`` after a few random edits: cuts, bit flips, insertions, deletions, splices."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["cut", "flip", "insert", "token", "delete", "repeat"]))
        if op == "cut":
            del data[at:]
        elif op == "flip" and at < len(data):
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif op == "token":
            data[at:at] = draw(st.sampled_from(TOKENS))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif op == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 60))] * draw(st.integers(2, 5))
    return bytes(data)


feed_bodies = st.one_of(
    mutated(RSS), mutated(ATOM), mutated(LISTING), st.binary(max_size=300), st.just(b"")
)
content_types = st.sampled_from(
    [
        "application/rss+xml",
        "application/atom+xml; charset=utf-8",
        "text/xml; charset=latin-1",
        "text/html",
        "text/plain; charset=bogus",
        "application/octet-stream",
        "",
    ]
)
selectors = st.one_of(
    st.sampled_from(
        [
            "a.story",
            ".story",
            "ul.news a",
            "a[href*='/news/']",
            "li:nth-child(2n+1) a",
            "a:not(.x)",
            "h3 > a, a.story",
            "a:-soup-contains('x')",
            ":root",
            "*",
        ]
    ),
    st.text(alphabet="a.#[]=*:>~+() '\"-_,ns1\\", max_size=20),
)


@FUZZ
@given(body=feed_bodies, content_type=content_types)
@example(body=RSS.replace(b"http://127.0.0.1:9/news/1", b"http://[::1/news/1"), content_type="")
@example(body=RSS.replace(b"<title>Local", b"<title>&#xD800;Local"), content_type="")  # surrogate
@example(body=RSS.replace(b'encoding="utf-8"', b'encoding="\x00utf-8"'), content_type="")
def test_parse_feed_raises_only_feed_error(body: bytes, content_type: str) -> None:
    response = Response(
        url=BASE + "feed", status=200, content=body, headers={"content-type": content_type}
    )
    try:
        entries = parse_feed(response)
    except FeedError:
        return
    for entry in entries:
        # What comes out is usable downstream: absolute http(s) links, UTC dates.
        assert entry.link.startswith(("http://", "https://")), entry.link
        assert entry.published is None or entry.published.utcoffset() is not None
        entry.document("fuzz")


@FUZZ
@given(body=st.one_of(mutated(LISTING), mutated(RSS), st.binary(max_size=300)), selector=selectors)
@example(body=LISTING.replace(b"charset=", b"charset=\x00"), selector="a")  # lxml ValueError
@example(body=LISTING.replace(b'"news/1"', b'"http://[::1/x"'), selector="a")  # bad IPv6 host
def test_select_links_raises_only_parse_error(body: bytes, selector: str) -> None:
    try:
        links = select_links(body, BASE + "council/news", selector)
    except ParseError:
        return
    assert len({link.url for link in links}) == len(links)
    assert all(link.url.startswith(("http://", "https://")) for link in links)


def test_seeds_parse() -> None:
    # Guards the fuzzing above: the unmutated seeds are read as intended.
    rss = parse_feed(Response(BASE, 200, RSS, {"content-type": "application/rss+xml"}))
    atom = parse_feed(Response(BASE, 200, ATOM, {"content-type": "application/atom+xml"}))
    assert [e.link for e in rss] == [BASE + "news/1", BASE + "news/2"]
    assert [e.link for e in atom] == [BASE + "a/1", BASE + "a/2"]
    links = select_links(LISTING, BASE + "council/news", ".story")
    assert [link.url for link in links][:2] == [BASE + "council/news/1", BASE + "news/2"]


# -- whole source jobs over HTTP ------------------------------------------------------------
class Harness:
    """One database and one FixtureWeb for many fuzzed polls."""

    def __init__(self, web: FixtureWeb, db: sqlite_utils.Database, councils: CouncilRegistry):
        self.web, self.db, self.councils = web, db, councils
        self.config = _config(web)

    def poll(self, name: str) -> SourceOutcome:
        async def run() -> SourceOutcome:
            fetcher = make_fetcher(self.config, self.db)
            try:
                pipeline = Pipeline(self.config, self.db, fetcher, councils=self.councils)
                return await pipeline.poll_source(self.config.source(name), now=NOW)
            finally:
                await fetcher.aclose()

        return asyncio.run(run())


def _config(web: FixtureWeb) -> Config:
    return parse_config(
        f"""
settings: {{min_delay: 0s, jitter: 0s, backoff: 0s, max_retries: 0, timeout: 5s,
            obey_robots: false, max_articles_per_poll: 3}}
sources:
  - {{name: summaries, kind: feed, url: "{web.url("/feed.xml")}", fetch_articles: false}}
  - {{name: articles, kind: feed, url: "{web.url("/feed2.xml")}"}}
  - {{name: listing, kind: page, url: "{web.url("/council/news")}", links: "a.story"}}
""",
        environ={},
    )


def _offline_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    """Resolve only IP literals and localhost: a mutated link must not cause a DNS query
    (the suite's connect guard stops connections, not name lookups)."""
    name = host.decode() if isinstance(host, bytes) else str(host)
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        if name != "localhost":
            raise socket.gaierror(socket.EAI_NONAME, f"tests resolve no names: {name!r}") from None
    return _real_getaddrinfo(host, *args, **kwargs)


_real_getaddrinfo = socket.getaddrinfo


@pytest.fixture
def harness(web: FixtureWeb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Harness]:
    monkeypatch.setattr(socket, "getaddrinfo", _offline_getaddrinfo)
    db = open_db(tmp_path / "fuzz.db")
    try:
        yield Harness(web, db, load_councils())
    finally:
        db.close()


# The pipeline names the class of any exception that is not a FetchError or ParseError
# ("ValueError: ...", "internal error: KeyError: ..."): hostile bytes must not cause one.
UNEXPECTED = re.compile(r"^(internal error: )?[A-Za-z]+(Error|Exception|Warning): ")


def _assert_contained(outcome: SourceOutcome) -> None:
    assert isinstance(outcome, SourceOutcome)
    if not outcome.ok:
        assert outcome.error, outcome
        assert not UNEXPECTED.match(outcome.error), outcome.error
    for problem in outcome.item_errors:
        assert not UNEXPECTED.match(problem.split(": ", 1)[-1]), problem


@FUZZ_POLL
@given(body=feed_bodies, content_type=content_types)
@example(body=RSS.replace(b"<title>Local", b"<title>&#xD800;Local"), content_type="")  # surrogate
def test_feed_job_contains_any_feed_body(harness: Harness, body: bytes, content_type: str) -> None:
    body = body.replace(b"http://127.0.0.1:9/", harness.web.url("/").encode())
    harness.web.set("/feed.xml", body, content_type=content_type, conditional=False)
    _assert_contained(harness.poll("summaries"))


@FUZZ_POLL
@given(feed=mutated(RSS), article=st.one_of(mutated(LISTING), st.binary(max_size=200)))
@example(feed=RSS, article=b'<html><head><link rel="canonical" href="http://[::1"></head></html>')
def test_feed_job_contains_any_article_body(harness: Harness, feed: bytes, article: bytes) -> None:
    feed = feed.replace(b"http://127.0.0.1:9/", harness.web.url("/").encode())
    harness.web.set("/feed2.xml", feed, content_type="application/rss+xml", conditional=False)
    for path in ("/news/1", "/news/2"):
        harness.web.set(path, article, conditional=False)
    _assert_contained(harness.poll("articles"))


@FUZZ_POLL
@given(listing=mutated(LISTING), article=st.one_of(mutated(LISTING), st.binary(max_size=200)))
@example(listing=LISTING.replace(b"charset=", b"charset=\x00"), article=b"")  # lxml ValueError
def test_page_job_contains_any_listing(harness: Harness, listing: bytes, article: bytes) -> None:
    listing = listing.replace(b"http://127.0.0.1:9/", harness.web.url("/").encode())
    harness.web.set("/council/news", listing, conditional=False)
    for path in ("/council/news/1", "/news/2"):
        harness.web.set(path, article, conditional=False)
    _assert_contained(harness.poll("listing"))
