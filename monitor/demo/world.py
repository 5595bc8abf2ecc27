"""``monitor demo``: the whole product offline, in about a minute.

It serves a small world on 127.0.0.1 (an Ofsted-like reports site with generated report PDFs,
three news feeds and a council news page), an SMTP sink and a webhook receiver, writes a
configuration pointing at them, polls once (the silent backfill), then runs the real daemon
while a script changes the world: two councils' ratings change (a new report, then the news),
pages change cosmetically (dates, adverts, comment counts), one story is syndicated, an
ungraded focused visit is published. At the end it prints what the subscriber received and
the digest. Every fixture text here is invented.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any, TextIO
from xml.sax.saxutils import escape

import yaml

from ..config import Config, load_config
from ..models import OVERALL_REMOVED_ON, Grade, Grades
from .fixtureweb import FixtureWeb, Page, Request
from .ofstedsite import FOCUSED_VISIT, INSPECTION, FixtureOfstedSite

ROBOTS = "User-agent: *\nDisallow: /admin/\n"
ADVERTS = (
    "Half-price sofas this weekend only",
    "Win a family day out at the zoo",
    "Local plumbers: compare quotes now",
    "Treat yourself: new gym memberships from £9",
)


# -- receivers --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Mail:
    subject: str
    to: str
    text: str
    received: float = field(default_factory=time.monotonic)


class MailSink:
    """An SMTP server on 127.0.0.1 (aiosmtpd) that keeps every message it receives."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[Mail] = []
        self._lock = threading.Lock()
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain", "html"))
        text = body.get_content() if body is not None else ""
        mail = Mail(str(message.get("Subject", "")), str(message.get("To", "")), text)
        with self._lock:
            self.messages.append(mail)
        return "250 OK"

    def url(self, *, sender: str, to: str) -> str:
        """The apprise URL that sends to this sink (plain SMTP, no login)."""
        return f"mailto://127.0.0.1:{self.port}?from={sender}&to={to}&mode=insecure"

    def start(self) -> MailSink:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()


class WebhookReceiver:
    """An HTTP receiver (a FixtureWeb) that records the JSON bodies POSTed to ``/hook``."""

    def __init__(self) -> None:
        self.web = FixtureWeb()
        self.web.set("/hook", handler=self._receive)
        self.bodies: list[dict[str, Any]] = []
        self.received: list[float] = []  # time.monotonic() of each body

    def _receive(self, request: Request) -> Page:
        if request.method == "POST":
            self.received.append(time.monotonic())
            try:
                self.bodies.append(json.loads(request.body or b"{}"))
            except ValueError:
                self.bodies.append({"raw": request.body.decode("utf-8", "replace")})
        return Page(body=b"ok", content_type="text/plain", conditional=False)

    @property
    def url(self) -> str:
        """The apprise URL that posts JSON here."""
        return "json://" + self.web.base_url.removeprefix("http://") + "/hook"

    def start(self) -> WebhookReceiver:
        self.web.start()
        return self

    def stop(self) -> None:
        self.web.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# -- the fixture world ------------------------------------------------------------------------
@dataclass
class Story:
    slug: str
    title: str
    paragraphs: list[str]
    published: datetime
    comments: int = 0


@dataclass
class NewsSite:
    """A news outlet: a feed (or a listing page) and an article page per story."""

    name: str
    title: str
    web: FixtureWeb
    listing_path: str  # the feed, or the listing page of a council site
    article_prefix: str
    is_feed: bool = True
    stories: list[Story] = field(default_factory=list)
    advert: int = 0
    built: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def url(self) -> str:
        return self.web.url(self.listing_path)

    def article_url(self, story: Story) -> str:
        return self.web.url(f"{self.article_prefix}{story.slug}")

    def add(self, story: Story) -> None:
        self.stories.insert(0, story)
        self.publish()

    def publish(self) -> None:
        """Serve the listing and every article as they now are."""
        for story in self.stories:
            self.web.set(f"{self.article_prefix}{story.slug}", self._article(story))
        if self.is_feed:
            self.web.set(self.listing_path, self._rss(), content_type="application/rss+xml")
        else:
            self.web.set(self.listing_path, self._listing())

    def cosmetic(self, now: datetime) -> None:
        """What changes on a site when nothing happens: build dates, adverts, comment counts."""
        self.built = now
        self.advert += 1
        for number, story in enumerate(self.stories):
            story.comments += 3 + number
        self.publish()

    def _article(self, story: Story) -> str:
        text = "\n".join(f"<p>{escape(p)}</p>" for p in story.paragraphs)
        title = f"{escape(story.title)} | {escape(self.title)}"
        return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<link rel="canonical" href="{self.article_url(story)}"></head>
<body><header><a href="/">{escape(self.title)}</a></header>
<main><article><h1>{escape(story.title)}</h1>
<p class="byline">By our reporter. Published <time datetime="{story.published.isoformat()}">
{story.published:%d %B %Y}</time></p>
{text}
</article>
<section class="comments"><h2>{story.comments} comments</h2></section></main>
<aside class="advert">{escape(ADVERTS[self.advert % len(ADVERTS)])}</aside>
<footer>Page generated {self.built:%H:%M:%S}</footer></body></html>"""

    def _rss(self) -> str:
        items = "\n".join(
            f"""<item><title>{escape(s.title)}</title><link>{self.article_url(s)}</link>
<guid isPermaLink="false">{self.name}-{s.slug}</guid>
<pubDate>{format_datetime(s.published)}</pubDate>
<description>{escape(s.paragraphs[0])} ({s.comments} comments)</description></item>"""
            for s in self.stories
        )
        return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>{escape(self.title)}</title><link>{self.web.url("/")}</link>
<description>News from {escape(self.title)}</description>
<lastBuildDate>{format_datetime(self.built)}</lastBuildDate>
{items}
</channel></rss>"""

    def _listing(self) -> str:
        rows = "\n".join(
            f'<li><a class="news-link" href="{self.article_prefix}{s.slug}">{escape(s.title)}</a>'
            f' <span class="date">{s.published:%d/%m/%Y}</span></li>'
            for s in self.stories
        )
        return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>News | {escape(self.title)}</title></head>
<body><h1>Latest news</h1>
<div class="banner">{escape(ADVERTS[self.advert % len(ADVERTS)])}</div>
<ul class="news-items">
{rows}
</ul><footer>Page last updated {self.built:%d %B %Y %H:%M:%S}</footer></body></html>"""


@dataclass(frozen=True)
class ProviderFixture:
    name: str
    urn: str


STOCKPORT = ProviderFixture("Stockport", "80562")
HARTLEPOOL = ProviderFixture("Hartlepool", "80473")
DERBY = ProviderFixture("Derby", "80459")
NOTTINGHAM = ProviderFixture("Nottingham", "80533")

_G, _RI = Grade.GOOD, Grade.REQUIRES_IMPROVEMENT

# The demo's news stories: (title, paragraphs); ``{dates}`` is the inspection's dates.
STORIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "market-traders": (
        "Market traders welcome Sunday opening",
        (
            "Stall holders in Stockport's old market hall say the extra day has brought in "
            "new shoppers.",
            "The trial will be reviewed by councillors in the spring.",
        ),
    ),
    "recruitment": (
        "Councils step up social worker recruitment",
        (
            "Several councils in the north of England have launched joint campaigns to "
            "recruit social workers.",
            "Agency staff remain a large cost for many children's services departments.",
        ),
    ),
    "bridge": (
        "Bridge repairs to close road for a month",
        ("Drivers are advised to allow extra time while the bridge deck is resurfaced.",),
    ),
    "family-hub": (
        "New family hub opens in the town centre",
        (
            "Hartlepool Borough Council has opened a family hub offering advice for parents.",
            "The hub brings health visitors, early help workers and advice services together.",
        ),
    ),
    "stockport-downgraded": (
        "Stockport children's services downgraded by Ofsted",
        (
            "Ofsted has downgraded children's services at Stockport Council after an "
            "inspection from {dates}.",
            "Inspectors judged the experiences and progress of children who need help and "
            "protection to require improvement to be good, down from good at the last "
            "inspection in 2022.",
            "The experiences and progress of children in care and the impact of leaders were "
            "also judged to require improvement to be good. Care leavers were judged good.",
            "The council said it accepted the findings and had begun an improvement plan.",
        ),
    ),
    "hartlepool-release": (
        "Ofsted rates Hartlepool children's services good",
        (
            "Hartlepool Borough Council's children's services have been judged good by Ofsted "
            "in all four areas inspected, after an inspection from {dates}.",
            "It is an improvement on requires improvement to be good at the last inspection "
            "in 2023.",
            "The lead member for children said staff had worked hard to make the changes.",
        ),
    ),
    "hartlepool-trade": (
        "Hartlepool moves up to good",
        (
            "Children's services in Hartlepool have been upgraded by Ofsted from requires "
            "improvement to be good to good.",
            "Inspectors praised the stability of the social work workforce.",
            "Separately, Ofsted published a focused visit letter on Derby's services for care "
            "leavers. Focused visits are not graded.",
        ),
    ),
    "budget": (
        "Council tax to rise by 4.99%",
        ("Stockport Council has agreed its budget for next year, with a rise in council tax.",),
    ),
}


@dataclass(frozen=True)
class Step:
    """One scripted change of the world. ``rating`` names the council whose rating this step
    reveals (None for cosmetic or irrelevant changes); ``rating_urls`` are the watched URLs
    whose new content carries it."""

    at: float  # fraction of the scripted period
    label: str
    apply: Callable[[], None]
    rating: str | None = None
    rating_urls: tuple[str, ...] = ()


class DemoWorld:
    """Every fixture site of the demo on 127.0.0.1, and the script of changes."""

    def __init__(self, today: date | None = None):
        self.today = today or datetime.now(UTC).date()
        self.ofsted_web = FixtureWeb()
        self.ofsted = FixtureOfstedSite(self.ofsted_web)
        self.gazette = NewsSite(
            "gazette", "Stockport Evening Gazette", FixtureWeb(), "/feed.xml", "/news/"
        )
        self.trade = NewsSite(
            "trade", "Children's Services Weekly", FixtureWeb(), "/rss/news", "/article/"
        )
        self.regional = NewsSite("regional", "North Today", FixtureWeb(), "/feed/", "/story/")
        self.council = NewsSite(
            "council", "Hartlepool Borough Council", FixtureWeb(), "/news", "/news/", is_feed=False
        )
        self.news = (self.gazette, self.trade, self.regional, self.council)
        self.steps = self._script()

    # -- life cycle ---------------------------------------------------------------------------
    def start(self) -> DemoWorld:
        for web in self.webs:
            web.start()
            web.set("/robots.txt", ROBOTS, content_type="text/plain")
        self._backfill_content()
        return self

    def stop(self) -> None:
        for web in self.webs:
            web.stop()

    @property
    def webs(self) -> list[FixtureWeb]:
        return [self.ofsted_web, *(site.web for site in self.news)]

    def watched_urls(self) -> list[str]:
        """What a page watcher would watch: the search, each provider page, feeds, listing."""
        providers = [self.ofsted.provider_url(p.urn) for p in self.providers]
        return [self.ofsted.search_url, *providers, *(site.url for site in self.news)]

    @property
    def providers(self) -> tuple[ProviderFixture, ...]:
        return (STOCKPORT, HARTLEPOOL, DERBY, NOTTINGHAM)

    def sources(self) -> list[dict[str, Any]]:
        """The sources of the demo's configuration."""
        return [
            {"name": "ofsted", "kind": "ofsted", "url": self.ofsted.search_url},
            {"name": "stockport-gazette", "kind": "feed", "url": self.gazette.url},
            {"name": "childrens-services-weekly", "kind": "feed", "url": self.trade.url},
            {"name": "north-today", "kind": "feed", "url": self.regional.url},
            {
                "name": "hartlepool-council-news",
                "kind": "page",
                "url": self.council.url,
                "links": "ul.news-items a.news-link",
            },
        ]

    def truth(self) -> list[str]:
        """The councils whose rating the script changes, in order (each once)."""
        return list(dict.fromkeys(step.rating for step in self.steps if step.rating))

    # -- content ------------------------------------------------------------------------------
    def _backfill_content(self) -> None:
        """The world as the first poll finds it: each council's last report, old news."""
        history = {
            STOCKPORT: (date(2022, 5, 9), Grades(_G, _G, _G, _G)),  # before care leavers
            HARTLEPOOL: (date(2023, 3, 6), Grades(_RI, _RI, _RI, _RI, _RI)),
            DERBY: (date(2023, 10, 2), Grades(_G, _G, _G, _G, _G)),
            NOTTINGHAM: (date(2024, 1, 15), Grades(_RI, _RI, _RI, _RI, _G)),
        }
        for provider, (start, grades) in history.items():
            self.ofsted.add_provider(provider.name, provider.urn)
            self._publish_report(provider, start, grades)
        self.gazette.add(self._story("market-traders", days_ago=40))
        self.trade.add(self._story("recruitment", days_ago=30))
        self.regional.add(self._story("bridge", days_ago=20))
        self.council.add(self._story("family-hub", days_ago=25))

    def _publish_report(self, provider: ProviderFixture, start: date, grades: Grades) -> str:
        end = start + timedelta(days=11)
        pdf = report_pdf(provider.name, start, end, grades)
        published = end + timedelta(days=38)
        return self.ofsted.add_publication(provider.urn, INSPECTION, published, pdf=pdf)

    def _script(self) -> list[Step]:
        start = self.today - timedelta(days=49)
        new_stockport = Grades(None, _RI, _RI, _RI, _G)  # from April 2026: no overall grade
        new_hartlepool = Grades(None, _G, _G, _G, _G)
        dates = date_span(start, start + timedelta(days=11))
        stockport_story = self._story("stockport-downgraded", dates=dates)
        hartlepool_release = self._story("hartlepool-release", dates=dates)
        hartlepool_trade = self._story("hartlepool-trade")
        budget_story = self._story("budget")
        now = datetime.now
        return [
            Step(0.10, "cosmetic: new build dates, adverts rotate, comment counts go up",
                 lambda: self._cosmetic(now(UTC))),
            Step(0.20, "Ofsted publishes a new report: Stockport (good -> requires improvement)",
                 lambda: self._new_report(STOCKPORT, start, new_stockport),
                 rating="Stockport", rating_urls=(self.ofsted.provider_url(STOCKPORT.urn),)),
            Step(0.30, "Stockport Evening Gazette reports the downgrade",
                 lambda: self.gazette.add(stockport_story),
                 rating="Stockport", rating_urls=(self.gazette.url,)),
            Step(0.40, "North Today syndicates the Gazette's story (same text, another host)",
                 lambda: self.regional.add(stockport_story),
                 rating="Stockport", rating_urls=(self.regional.url,)),
            Step(0.45, "news that is not a rating: the Gazette reports the council budget",
                 lambda: self.gazette.add(budget_story)),
            Step(0.50, "cosmetic: new build dates, adverts rotate, comment counts go up",
                 lambda: self._cosmetic(now(UTC))),
            Step(0.55, "Ofsted publishes a new report: Hartlepool (requires improvement -> good)",
                 lambda: self._new_report(HARTLEPOOL, start, new_hartlepool),
                 rating="Hartlepool", rating_urls=(self.ofsted.provider_url(HARTLEPOOL.urn),)),
            Step(0.60, "Hartlepool Borough Council's press release on its news page",
                 lambda: self.council.add(hartlepool_release),
                 rating="Hartlepool", rating_urls=(self.council.url,)),
            Step(0.65, "Children's Services Weekly reports the upgrade",
                 lambda: self.trade.add(hartlepool_trade),
                 rating="Hartlepool", rating_urls=(self.trade.url,)),
            Step(0.70, "Ofsted publishes a focused visit letter for Derby (not graded)",
                 self._focused_visit),
            Step(0.80, "cosmetic: new build dates, adverts rotate, comment counts go up",
                 lambda: self._cosmetic(now(UTC))),
        ]  # fmt: skip

    def _story(self, key: str, *, days_ago: int = 0, dates: str = "") -> Story:
        """A story of ``STORIES`` published ``days_ago`` (0: now, when the script runs)."""
        title, paragraphs = STORIES[key]
        if days_ago:
            day = self.today - timedelta(days=days_ago)
            published = datetime(day.year, day.month, day.day, 9, 30, tzinfo=UTC)
        else:
            published = datetime.now(UTC).replace(microsecond=0)
        text = [p.format(dates=dates) for p in paragraphs]
        return Story(key, title, text, published, comments=2)

    def _new_report(self, provider: ProviderFixture, start: date, grades: Grades) -> None:
        self._publish_report(provider, start, grades)

    def _focused_visit(self) -> None:
        self.ofsted.add_publication(DERBY.urn, FOCUSED_VISIT, self.today)

    def _cosmetic(self, now: datetime) -> None:
        for site in self.news:
            site.cosmetic(now)


def date_span(start: date, end: date) -> str:
    """``5 to 16 October 2026`` or ``28 September to 9 October 2026``."""
    first = f"{start.day} {start:%B}" if start.month != end.month else str(start.day)
    return f"{first} to {end.day} {end:%B %Y}"


def report_pdf(council: str, start: date, end: date, grades: Grades) -> bytes:
    """A generated ILACS report PDF stating ``grades`` on its first page (the layout without
    an overall judgement for inspections from April 2026)."""
    from .reportpdf import Layout, build_report_pdf

    layout: Layout = "ilacs2026" if start >= OVERALL_REMOVED_ON else "ilacs"
    return build_report_pdf(
        council_name=council,
        layout=layout,
        grades=grades,
        inspection_start=start,
        inspection_end=end,
        published=end + timedelta(days=38),
    )


# -- running the demo -------------------------------------------------------------------------
def demo_config(
    world: DemoWorld, mail: MailSink, hook: WebhookReceiver, *, interval: float
) -> dict[str, Any]:
    return {
        "settings": {
            "contact": "demo@example.org",
            "allow_short_interval": True,  # a scripted minute, on this machine's own sites
            "interval": interval,
            "jitter": 0,
            "timeout": 5,
            "min_delay": 0.05,
            "obey_robots": True,
            "max_retries": 1,
            "backoff": 0.2,
            "alert_backoff": 1,
        },
        "sources": world.sources(),
        "subscribers": [
            {
                "name": "newsroom",
                "notify": [
                    mail.url(sender="monitor@example.org", to="newsroom@example.org"),
                    hook.url,
                ],
                "changes": ["any"],
            }
        ],
    }


@contextmanager
def _running(world: DemoWorld, mail: MailSink, hook: WebhookReceiver) -> Iterator[None]:
    world.start()
    mail.start()
    hook.start()
    try:
        yield
    finally:
        hook.stop()
        mail.stop()
        world.stop()


def run_demo(*, duration: float = 60.0, out: TextIO, keep_db: Path | None = None) -> int:
    """Run the scripted demo for ``duration`` seconds; 0 when each rating change reached the
    subscriber exactly once on each channel, 1 otherwise. With ``keep_db`` the demo's database
    is made afresh there and left in place, for ``monitor serve`` to show."""
    world, mail, hook = DemoWorld(), MailSink(), WebhookReceiver()
    with tempfile.TemporaryDirectory(prefix="monitor-demo-") as tmp, _running(world, mail, hook):
        config_path, db_path = Path(tmp) / "sources.yaml", Path(tmp) / "monitor.db"
        if keep_db is not None:
            db_path = keep_db
            for suffix in ("", "-wal", "-shm"):  # a fresh database for each run
                keep_db.with_name(keep_db.name + suffix).unlink(missing_ok=True)
        interval = max(1.0, round(duration / 15, 1))
        config_path.write_text(
            yaml.safe_dump(demo_config(world, mail, hook, interval=interval), sort_keys=False),
            encoding="utf-8",
        )
        config = load_config(config_path)
        _intro(out, world, mail, hook, config_path, interval)
        started = datetime.now(UTC)
        began = asyncio.run(_scripted_run(world, config, db_path, duration=duration, out=out))
        since = started - timedelta(minutes=1)
        code = _report(out, world, mail, hook, db_path, since=since, began=began)
    if keep_db is not None:
        print(
            f"\nthe demo's database is kept at {keep_db}; browse it with\n"
            f"  monitor --db {keep_db} serve      (then open http://127.0.0.1:8080/)\n"
            f"  monitor --db {keep_db} ratings --region 'North West'",
            file=out,
        )
    return code


def _intro(
    out: TextIO,
    world: DemoWorld,
    mail: MailSink,
    hook: WebhookReceiver,
    config: Path,
    interval: float,
) -> None:
    print(
        "ofsted-monitor demo: everything runs on this machine, nothing touches the internet.",
        file=out,
    )
    print(f"  {'Ofsted-like reports site':<28s}{world.ofsted.search_url}", file=out)
    for site in world.news:
        print(f"  {site.title:<28s}{site.url}", file=out)
    print(f"  {'SMTP sink':<28s}127.0.0.1:{mail.port}", file=out)
    print(f"  {'webhook receiver':<28s}{hook.web.url('/hook')}", file=out)
    print(f"  {'configuration':<28s}{config} (every source polled each {interval:g}s)", file=out)


async def _scripted_run(
    world: DemoWorld, config: Config, db_path: Path, *, duration: float, out: TextIO
) -> float:
    """Backfill, then the daemon while the script runs; returns when the script began."""
    from ..pipeline import poll_once
    from ..scheduler import Daemon

    summary = await poll_once(config, db_path=db_path)
    documents = sum(o.documents for o in summary.outcomes)
    failed = [f"{o.name}: {o.error}" for o in summary.failed]
    print(
        f"\nfirst poll (a silent backfill): {documents} documents read from "
        f"{len(summary.outcomes)} sources, {summary.delivered} alerts sent",
        file=out,
    )
    for line in failed:
        print(f"  failed: {line}", file=out)
    print(f"\nthe daemon runs for {duration:g}s while the world changes:", file=out)
    stop = asyncio.Event()
    daemon = asyncio.create_task(Daemon(config, db_path).run(stop, handle_signals=False))
    began = time.monotonic()
    for step in world.steps:
        await asyncio.sleep(max(0.0, began + step.at * duration - time.monotonic()))
        step.apply()
        print(f"  [t+{time.monotonic() - began:4.1f}s] {step.label}", file=out, flush=True)
    await asyncio.sleep(max(0.0, began + duration - time.monotonic()))
    stop.set()
    await daemon
    await _final_poll(config, db_path, out)
    return began


async def _final_poll(config: Config, db_path: Path, out: TextIO) -> None:
    """One last cycle after the daemon stops, so that what changed in the final seconds is
    seen, and the alerts still due (the daemon sweeps its outbox every few seconds) go out."""
    from ..pipeline import poll_once

    summary = await poll_once(config, db_path=db_path)
    print(f"  final poll: {summary.delivered} deliveries still due were sent", file=out)


def _report(
    out: TextIO,
    world: DemoWorld,
    mail: MailSink,
    hook: WebhookReceiver,
    db_path: Path,
    *,
    since: datetime,
    began: float,
) -> int:
    from ..store import open_db
    from ..views.digest import changes_since, render_digest

    print(f"\nemails received by the SMTP sink: {len(mail.messages)}", file=out)
    for message in mail.messages:
        at = message.received - began
        print(f"  [t+{at:4.1f}s] To: {message.to}  Subject: {message.subject}", file=out)
    print(f"\nwebhook posts received: {len(hook.bodies)}", file=out)
    for body, received in zip(hook.bodies, hook.received, strict=False):
        print(f"  [t+{received - began:4.1f}s] {_summarise(body)}", file=out)
    db = open_db(db_path)
    try:
        digest = render_digest(changes_since(db, since), "text")
    finally:
        db.close()
    print("\nmonitor digest:", file=out)
    print("\n".join(f"  {line}" for line in digest.splitlines()), file=out)
    expected = world.truth()
    ok = len(mail.messages) == len(expected) and len(hook.bodies) == len(expected)
    verdict = "ok" if ok else "UNEXPECTED"
    print(
        f"\n{verdict}: {len(expected)} rating changes scripted ({', '.join(expected)}); "
        f"{len(mail.messages)} emails and {len(hook.bodies)} webhook posts received; "
        "cosmetic changes, the syndicated copy, the budget story and the focused visit "
        "sent nothing.",
        file=out,
    )
    return 0 if ok else 1


def _summarise(body: dict[str, Any]) -> str:
    title = str(body.get("title", "")).strip()
    message = " ".join(str(body.get("message", "")).split()).removeprefix(title).strip()
    return f"{title} | {message[:110]}{'...' if len(message) > 110 else ''}"
