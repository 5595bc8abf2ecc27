"""Hostile network input through whole `monitor poll --once` runs (the real CLI, fetcher,
SQLite file and webhook receiver; every server on loopback).

One table: each row adds a hostile source (or turns a page hostile) beside a healthy feed.
Every row runs the same three polls: a baseline, the hostile poll, and one more. After each,
the healthy feed has polled and stored its new story, nothing stored earlier is lost, the
"internal" server on 127.0.0.2 (which no configured URL names) has had no request at all,
and no text from it was stored. Then the row's own check.

The parse-worker cases (extraction bombs, a backtracking page) are in test_hostile.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from monitor.cli import cli
from monitor.demo.fixtureweb import FixtureWeb
from monitor.demo.ofstedsite import FOCUSED_VISIT, INSPECTION, FixtureOfstedSite
from monitor.demo.reportpdf import build_report_pdf
from monitor.models import Grade, Grades

RSS = "application/rss+xml"
INTERNAL = "INTERNAL-SECRET-do-not-store"
SECRET = "K3Y-5ECRET-value"
FIRST_FILE = 50_000_001  # FixtureOfstedSite numbers report files from here


@dataclass
class World:
    web: FixtureWeb  # 127.0.0.1: every configured source
    internal: FixtureWeb  # 127.0.0.2: named by no configured URL
    hook: FixtureWeb
    tmp: Path
    site: FixtureOfstedSite
    healthy: list[tuple[str, str]] = field(default_factory=list)  # (slug, title)
    results: list[Result] = field(default_factory=list)

    @property
    def port(self) -> str:
        return self.web.base_url.rsplit(":", 1)[1]

    @property
    def internal_port(self) -> str:
        return self.internal.base_url.rsplit(":", 1)[1]

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def poll(self, sources: str, settings: str) -> Result:
        config = self.tmp / "sources.yaml"
        config.write_text(
            f"""
settings: {{min_delay: 0s, jitter: 0s, backoff: 0s, alert_backoff: 0s, max_retries: 0,
            timeout: 5s{settings}}}
sources:
  - {{name: healthy, kind: feed, url: "{self.url("/healthy.xml")}"}}
  - {{name: ofsted, kind: ofsted, url: "{self.site.search_url}"}}
{sources}
subscribers:
  - name: desk
    notify: ["json://{self.hook.base_url.removeprefix("http://")}/hook"]
""",
        )
        result = CliRunner().invoke(
            cli, ["--config", str(config), "--db", str(self.db), "poll", "--once"]
        )
        self.results.append(result)
        return result

    @property
    def db(self) -> Path:
        return self.tmp / "monitor.db"

    def query(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        conn = sqlite3.connect(self.db)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    def add_healthy_story(self) -> str:
        slug = f"story-{len(self.healthy) + 1}"
        title = f"Town hall approves new library opening hours {len(self.healthy) + 1}"
        self.healthy.insert(0, (slug, title))
        self.web.set(f"/healthy/{slug}", article(title, "The new hours start next month."))
        entries = [(t, self.url(f"/healthy/{s}")) for s, t in self.healthy]
        self.web.set("/healthy.xml", rss(entries), content_type=RSS)
        return self.url(f"/healthy/{slug}")

    def source_row(self, name: str) -> dict[str, Any]:
        conn = sqlite3.connect(self.db)
        conn.row_factory = sqlite3.Row
        try:
            row = conn.execute("SELECT * FROM sources WHERE name = ?", [name]).fetchone()
            return dict(row)
        finally:
            conn.close()

    def outcome_line(self, result: Result, name: str) -> str:
        return next(line for line in result.output.splitlines() if line.startswith(f"{name}: "))


def article(title: str, text: str, *, head: str = "", published: str = "2026-11-20") -> str:
    return (
        f"<html><head>{head}<title>{title}</title>"
        f'<meta property="article:published_time" content="{published}T09:00:00Z"></head>'
        f"<body><article><h1>{title}</h1><p>{text}</p></article></body></html>"
    )


def rss(entries: list[tuple[str, str]], *, summary: str = "") -> str:
    day = format_datetime(datetime(2026, 11, 20, 9, tzinfo=UTC))
    items = "".join(
        f"<item><title>{t}</title><link>{u}</link><guid>{u}</guid><pubDate>{day}</pubDate>"
        f"<description>{summary or t}</description></item>"
        for t, u in entries
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}</channel></rss>'
    )


@pytest.fixture
def world(web: FixtureWeb, tmp_path: Path) -> Iterator[World]:
    try:
        internal = FixtureWeb(host="127.0.0.2")
    except OSError:
        pytest.skip("127.0.0.2 does not bind here")
    with internal, FixtureWeb() as hook:
        hook.set("/hook", b"ok", content_type="text/plain", conditional=False)
        internal.set("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        for path in ("/admin", "/secret", "/"):
            internal.set(path, article("Admin console", INTERNAL))
        web.set("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        site = FixtureOfstedSite(web)
        site.add_provider("Stockport", "80562")
        site.add_publication("80562", FOCUSED_VISIT, date(2024, 3, 1))
        yield World(web, internal, hook, tmp_path, site)


# -- the rows -----------------------------------------------------------------------------------
Step = Callable[[World], None]
Check = Callable[[World], None]


@dataclass(frozen=True)
class Row:
    id: str
    sources: Callable[[World], str]  # YAML list entries of the hostile source(s)
    before: Step  # before the hostile poll
    check: Check  # after the third poll
    settings: str = ""
    after: Step = lambda world: None  # between the hostile poll and the third
    setup: Step = lambda world: None  # before the baseline poll


def _internal_links(world: World) -> list[str]:
    port = world.internal_port
    return [
        f"http://127.0.0.2:{port}/admin",
        f"http://[::1]:{port}/secret",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        f"http://2130706434:{port}/admin",  # 127.0.0.2 spelt as one number
        f"http://admin:hunter2@127.0.0.1:{world.port}/healthy/story-1",  # credentials
    ]


def _feed_of_internal_links(world: World) -> None:
    links = _internal_links(world)
    world.web.set(
        "/links.xml", rss([(f"Story {i}", u) for i, u in enumerate(links)]), content_type=RSS
    )


def _check_refused(name: str, total: int) -> Check:
    def check(world: World) -> None:
        row = world.source_row(name)
        assert row["refused"] == total, row  # counted against the source
        assert "6 fetches refused" in world.outcome_line(world.results[1], name)

    return check


def _page_of_internal_links(world: World) -> None:
    links = "".join(f'<li><a class="story" href="{u}">x</a></li>' for u in _internal_links(world))
    world.web.set("/council/news", f"<html><body><ul>{links}</ul></body></html>")


def _redirect_to_internal(world: World) -> None:
    world.web.set(
        "/go", status=302, headers={"Location": f"http://127.0.0.2:{world.internal_port}/admin"}
    )
    world.web.set("/moved.xml", rss([("Moved story", world.url("/go"))]), content_type=RSS)


def _check_redirect(world: World) -> None:
    assert world.source_row("moved")["refused"] >= 1
    errors = world.source_row("moved")["last_error"] or ""
    assert "internal address" in errors


# A news page that declares the URL of the next report as its canonical, with the grade it
# invents; then the real report appears on the provider page.
FAKE_PDF = f"/v1/file/{FIRST_FILE + 1}"  # the next file the Ofsted site will publish


def _fake_news(host: str) -> Step:
    def step(world: World) -> None:
        canonical = world.url(FAKE_PDF)
        world.web.set(
            "/fake/story",
            article(
                "Stockport children's services rated inadequate by Ofsted",
                "Ofsted inspectors rated Stockport's children's services inadequate, down from "
                "good at the previous inspection. Stockport Council said it would respond.",
                head=f'<link rel="canonical" href="{canonical}">',
            ),
        )
        world.web.set(
            "/fake.xml",
            rss([("Stockport rated inadequate", world.url("/fake/story", host))]),
            content_type=RSS,
        )

    return step


def _real_report(world: World) -> None:
    href = world.site.add_publication(
        "80562",
        INSPECTION,
        date(2026, 11, 25),
        pdf=build_report_pdf(
            council_name="Stockport",
            layout="ilacs",
            grades=Grades(
                overall=Grade.GOOD,
                leaders=Grade.GOOD,
                help_and_protection=Grade.GOOD,
                in_care=Grade.GOOD,
                care_leavers=Grade.GOOD,
            ),
            inspection_start=date(2026, 9, 1),
            inspection_end=date(2026, 9, 12),
        ),
    )
    assert href.endswith(FAKE_PDF)


def _check_real_report_fetched(host: str) -> Check:
    def check(world: World) -> None:
        assert len(world.web.requests_to(FAKE_PDF)) == 1  # the ofsted source fetched it
        evidence = world.query("SELECT url, source, kind FROM evidence ORDER BY id")
        report = [e for e in evidence if e[1] == "ofsted"]
        assert [e[0] for e in report] == [world.url(FAKE_PDF)], evidence
        news = [e for e in evidence if e[1] == "fake"]
        # The news item's evidence is the page fetched, never the URL it claimed.
        assert news and all(e[0] == world.url("/fake/story", host) for e in news), evidence
        # A canonical counts only on the fetched URL's registrable domain ('localhost' is not
        # '127.0.0.1'); on its own site it is the item's canonical spelling, nothing more.
        claimed = world.url(FAKE_PDF) if host == "127.0.0.1" else world.url("/fake/story", host)
        assert world.query("SELECT canonical_url FROM items WHERE source = 'fake'") == [(claimed,)]
        grades = world.query("SELECT grades, grades_from FROM inspections")
        # The report's own grades (after April 2026: no overall grade, four judgements).
        assert any('"leaders": "good"' in g and f == "report" for g, f in grades), grades

    return check


def _long_retry_after(world: World) -> None:
    world.web.set("/busy.xml", status=429, headers={"Retry-After": "3600"}, conditional=False)


def _check_retry_after(world: World) -> None:
    line = world.outcome_line(world.results[1], "busy")
    assert "FAILED" in line and "Retry-After 3600 s" in line, line
    assert len(world.web.requests_to("/busy.xml")) == 3  # once per poll: never retried


def _secret_url(world: World) -> None:
    world.web.set(
        "/keyed.xml", rss([("Keyed story", world.url("/healthy/story-1"))]), content_type=RSS
    )
    world.web.set("/failing.xml", status=500, conditional=False)


def _check_no_secret(world: World) -> None:
    for result in world.results:
        assert SECRET not in result.output + result.stderr
    # The failing source was reported, in the log and the poll output, by its redacted URL.
    assert "failing.xml?api_key=***" in world.results[1].stderr
    assert "failing.xml?api_key=***" in world.outcome_line(world.results[1], "failing")
    dump = "\n".join(
        str(row)
        for table in ("fetch_log", "sources", "validators", "outbox")
        for row in world.query(f"SELECT * FROM {table}")
    )
    assert SECRET not in dump
    assert "api_key=***" in dump  # still said which URL failed, without its key
    assert world.web.requests_to(f"/keyed.xml?api_key={SECRET}")  # fetched with the real key


def _huge_feed(world: World) -> None:
    entries = [(f"Entry {i}", world.url(f"/huge/{i}")) for i in range(1200)]
    world.web.set("/huge.xml", rss(entries), content_type=RSS)


def _check_cap(world: World) -> None:
    counts = world.query("SELECT count(*) FROM items WHERE source = 'huge'")
    assert counts == [(1000,)]  # 500 per poll, over two polls; the rest wait
    row = world.source_row("huge")
    assert row["dropped"] == 200  # the third poll's leftovers
    assert "entries over the cap" in world.outcome_line(world.results[1], "huge")


def _bad_charset(world: World) -> None:
    world.web.set(
        "/charset/story",
        b'<html><head><meta charset="punycode"><title>Stockport news</title></head>'
        b"<body><article><h1>Stockport news</h1><p>abc-9999999999 \xff</p></article></body>"
        b"</html>",
        content_type="text/html",
    )
    world.web.set(
        "/charset.xml", rss([("Charset story", world.url("/charset/story"))]), content_type=RSS
    )


def _check_charset(world: World) -> None:
    assert world.query("SELECT count(*) FROM items WHERE source = 'charset'") == [(1,)]
    assert "item error" not in world.outcome_line(world.results[1], "charset")


HOSTILE_TITLE = "@everyone <@U123> Stockport [Official report](http://evil.example/phish)"


def _hostile_title(world: World) -> None:
    world.web.set(
        "/tabloid/story",
        article(
            HOSTILE_TITLE,
            "Ofsted has rated Stockport's children's services inadequate, down from good at "
            "the previous inspection. Stockport Council said it accepted the findings.",
        ),
    )
    world.web.set(
        "/tabloid.xml",
        rss([(HOSTILE_TITLE.replace("<", "&lt;"), world.url("/tabloid/story"))]),
        content_type=RSS,
    )


def _empty_tabloid(world: World) -> None:
    world.web.set("/tabloid.xml", rss([]), content_type=RSS)


def _check_chat(world: World) -> None:
    chats = [c for (c,) in world.query("SELECT body_chat FROM outbox") if c]
    assert chats, world.query("SELECT key, state FROM outbox")  # an alert was rendered
    for chat in chats:
        assert "@everyone" not in chat and "<@U123>" not in chat
        assert "](" not in chat and "Stockport" in chat


ROWS = [
    Row(
        "feed-links-to-internal-addresses",
        lambda w: f'  - {{name: links, kind: feed, url: "{w.url("/links.xml")}"}}',
        _feed_of_internal_links,
        _check_refused("links", 6),  # six links; their entries kept with the feed's summary
    ),
    Row(
        "page-links-to-internal-addresses",
        lambda w: (
            f'  - {{name: council, kind: page, url: "{w.url("/council/news")}", links: a.story}}'
        ),
        _page_of_internal_links,
        _check_refused("council", 12),  # unstored, so asked (and refused) again next poll
    ),
    Row(
        "redirect-to-an-internal-address",
        lambda w: f'  - {{name: moved, kind: feed, url: "{w.url("/moved.xml")}"}}',
        _redirect_to_internal,
        _check_redirect,
    ),
    Row(
        "canonical-of-a-report-from-another-site",
        lambda w: f'  - {{name: fake, kind: feed, url: "{w.url("/fake.xml", "localhost")}"}}',
        _fake_news("localhost"),
        _check_real_report_fetched("localhost"),
        after=_real_report,
    ),
    Row(
        "canonical-of-a-report-from-the-same-site",
        lambda w: f'  - {{name: fake, kind: feed, url: "{w.url("/fake.xml")}"}}',
        _fake_news("127.0.0.1"),
        _check_real_report_fetched("127.0.0.1"),
        after=_real_report,
    ),
    Row(
        "retry-after-an-hour",
        lambda w: f'  - {{name: busy, kind: feed, url: "{w.url("/busy.xml", "localhost")}"}}',
        _long_retry_after,
        _check_retry_after,
        settings=", max_retry_after: 1h, max_retries: 3",
    ),
    Row(
        "api-key-in-source-urls",
        lambda w: (
            f'  - {{name: keyed, kind: feed, url: "{w.url("/keyed.xml")}?api_key={SECRET}"}}\n'
            f'  - {{name: failing, kind: feed, url: "{w.url("/failing.xml")}?api_key={SECRET}"}}'
        ),
        _secret_url,
        _check_no_secret,
    ),
    Row(
        "feed-of-1200-entries",
        lambda w: (
            f'  - {{name: huge, kind: feed, url: "{w.url("/huge.xml")}", fetch_articles: false}}'
        ),
        _huge_feed,
        _check_cap,
        settings=", max_items_per_poll: 500",
    ),
    Row(
        "mentions-and-a-masked-link-in-a-title",
        lambda w: f'  - {{name: tabloid, kind: feed, url: "{w.url("/tabloid.xml")}"}}',
        _hostile_title,
        _check_chat,
        # Polled once before, so the story is news, not a silent backfill.
        setup=_empty_tabloid,
    ),
    Row(
        "punycode-charset",
        lambda w: f'  - {{name: charset, kind: feed, url: "{w.url("/charset.xml")}"}}',
        _bad_charset,
        _check_charset,
    ),
]


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_hostile_network_input(world: World, row: Row) -> None:
    sources = row.sources(world)
    row.setup(world)
    world.add_healthy_story()
    baseline = world.poll(sources, row.settings)
    assert baseline.exception is None or isinstance(baseline.exception, SystemExit)
    stored = set(world.query("SELECT id, url FROM items"))
    assert stored

    row.before(world)
    for step in (None, row.after):
        new_story = world.add_healthy_story()
        if step is not None:
            step(world)
        result = world.poll(sources, row.settings)
        assert "Traceback" not in result.output + result.stderr
        assert world.outcome_line(result, "healthy").startswith("healthy: ok; 1 documents, 1 new")
        assert world.query("SELECT count(*) FROM items WHERE url = ?", new_story) == [(1,)]
        now_stored = set(world.query("SELECT id, url FROM items"))
        assert stored <= now_stored  # nothing stored is lost
        stored = now_stored
    assert world.internal.requests == []  # not even its robots.txt
    assert world.query("SELECT count(*) FROM items WHERE text LIKE ?", f"%{INTERNAL}%") == [(0,)]
    row.check(world)
