"""N fixture news sources on 127.0.0.1: RSS feeds and council-style listing pages.

The benchmarks poll them with the real daemon. Sources are spread over several loopback
addresses (127.0.1.1, 127.0.1.2, ...: on Linux the whole 127.0.0.0/8 is loopback), each served
by its own ``FixtureWeb``, so that the fetcher's per-host limit (one request at a time per
host) applies as it would to real sites on different hosts. ``change(fraction)`` gives a
fraction of the sources a new story; the others answer the next poll with 304.
"""

from __future__ import annotations

import math
import random
import ssl
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any
from xml.sax.saxutils import escape

import yaml

from monitor.demo.fixtureweb import FixtureWeb

ITEMS_PER_SOURCE = 10
ROBOTS = "User-agent: *\nDisallow: /private/\n"
PLACES = [
    "Stockport", "Derby", "Leeds", "Bristol", "Norfolk", "Kent", "Luton", "Wigan", "Sefton",
    "Torbay", "Halton", "Rutland", "Dorset", "Suffolk", "Bolton", "Oldham", "Slough", "Bury",
]  # fmt: skip
TOPICS = [
    "New cycle lanes approved for {place} town centre",
    "{place} library opening hours extended over winter",
    "Bin collections change in {place} for the bank holiday",
    "{place} council sets out budget plans for next year",
    "Roadworks on the {place} ring road to last three weeks",
    "{place} park wins a green flag award",
    "Consultation opens on {place} parking charges",
    "{place} foster carers thanked at annual celebration",
    "Youth club reopens in {place} after refurbishment",
    "{place} market traders welcome new Sunday opening",
]
# A few stories about ratings, so the classifier sees realistic positives too.
RATING_TOPICS = [
    "Ofsted rates {place} children's services good",
    "{place} children's services judged to require improvement",
]
# Sentences are filled from these slots so that two stories share few three-word runs, as
# real news does (the store's near-duplicate index must not see every story as a copy).
TEMPLATES = [
    "{person}, the {role} for {topic}, said the {thing} would cost {number} thousand pounds.",
    "Work on the {thing} near {street} is due to start in {month} and last {small} weeks.",
    "{small} residents spoke at the {meeting} on {day}, most of them about {topic}.",
    "The {meeting} heard that {number} households in {place} had been affected by {topic}.",
    "{person} told the {meeting} that {topic} had been raised by {small} local groups.",
    "A report to the {meeting} says {number} pounds a week could be saved on {topic}.",
    "Opening times at the {thing} on {street} will change from {day} {small} {month}.",
    "Councillor {person} said {place} had waited {small} years for a new {thing}.",
]
SLOTS: dict[str, str] = {  # comma-separated values
    "person": """Amira Khan,Ben Ortiz,Carla Dunne,Dev Patel,Eli Novak,Fay Morgan,Gus Obi,
        Hana Ito,Ivo Reyes,Jo Walsh,Kit Baines,Lena Fox,Milo Grant,Nia Lloyd,Oren Hale,
        Pia Stone,Quinn Ashby,Rosa Diaz,Sam Kerr,Tia Moss,Uma Bell,Vic Lane,Wes Cho""",
    "role": """cabinet member,lead councillor,portfolio holder,director,chair,spokesperson,
        deputy leader,service manager,head of service,chief officer""",
    "topic": """road safety,bin collections,school transport,street lighting,park upkeep,
        housing repairs,bus routes,library services,flood defences,parking permits,
        leisure centres,town centre events,tree planting,pothole repairs,air quality,
        youth services,adult learning,markets,cycle paths,public toilets""",
    "thing": """bridge,library,leisure centre,car park,bus station,community hall,skate park,
        market hall,swimming pool,recycling centre,cycle hub,health centre,sports pitch,
        museum,playground,family centre,depot,roundabout""",
    "street": """Mill Lane,Church Street,Station Road,High Street,Park Avenue,Queens Road,
        Bridge Street,Victoria Road,King Street,Green Lane,North Road,Water Street""",
    "meeting": """cabinet,full council,scrutiny committee,planning committee,area forum,
        budget panel,licensing committee,residents meeting""",
    "place": ",".join(PLACES),
    "month": """January,February,March,April,May,June,July,August,September,October,
        November,December""",
    "day": "Monday,Tuesday,Wednesday,Thursday,Friday,Saturday",
}


def _slot_values() -> dict[str, list[str]]:
    return {k: [v.strip() for v in text.split(",") if v.strip()] for k, text in SLOTS.items()}


@dataclass
class Story:
    slug: str
    title: str
    published: datetime
    paragraphs: list[str]


@dataclass
class BenchSource:
    """One fixture source: a feed or a listing page, with its stories (newest first)."""

    index: int
    kind: str  # "feed" or "page"
    web: FixtureWeb
    stories: list[Story] = field(default_factory=list)
    published: int = 0  # stories ever published: makes each new story's URL unique

    @property
    def name(self) -> str:
        return f"{self.kind}-{self.index:05d}"

    @property
    def prefix(self) -> str:
        return f"/s{self.index}"

    @property
    def url(self) -> str:
        path = "/feed.xml" if self.kind == "feed" else "/news"
        return self.web.url(self.prefix + path)

    def config(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"name": self.name, "kind": self.kind, "url": self.url}
        if self.kind == "page":
            entry["links"] = "ul.news-list a"
        return entry


class SourceFarm:
    """``with SourceFarm(500) as farm: farm.config_yaml(); farm.change(0.1)``"""

    def __init__(
        self,
        count: int,
        *,
        hosts: int | None = None,
        feed_share: float = 0.5,
        rating_share: float = 0.05,
        seed: int = 1,
        ssl_context: ssl.SSLContext | None = None,  # serve HTTPS instead of HTTP
    ):
        self.count = count
        self.hosts = hosts or max(1, min(200, math.ceil(count / 10)))
        self.rng = random.Random(seed)
        self.rating_share = rating_share
        self._slots = _slot_values()
        self.clock = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
        # One host: 127.0.0.1 itself, which every system has (127.0.1.x is Linux only).
        addresses = ["127.0.0.1"] if self.hosts == 1 else map(loopback_address, range(self.hosts))
        self.webs = [FixtureWeb(host=address, ssl_context=ssl_context) for address in addresses]
        self.sources = [
            BenchSource(
                i, "feed" if self.rng.random() < feed_share else "page", self.webs[i % self.hosts]
            )
            for i in range(count)
        ]

    # -- life cycle ---------------------------------------------------------------------------
    def start(self) -> SourceFarm:
        for web in self.webs:
            web.start()
            web.set("/robots.txt", ROBOTS, content_type="text/plain")
        for source in self.sources:
            for _ in range(ITEMS_PER_SOURCE):
                self._add_story(source, publish=False)
            self._publish(source)
        return self

    def stop(self) -> None:
        for web in self.webs:
            web.stop()

    def __enter__(self) -> SourceFarm:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- changes ------------------------------------------------------------------------------
    def change(self, fraction: float) -> list[BenchSource]:
        """Give a new story to ``fraction`` of the sources (chosen at random); return them."""
        changed = self.rng.sample(self.sources, round(self.count * fraction))
        for source in changed:
            self._add_story(source, publish=True)
        return changed

    def reset_logs(self) -> None:
        for web in self.webs:
            web.reset_log()

    def request_counts(self) -> tuple[int, int]:
        """(requests, conditional requests) served since the last ``reset_logs``."""
        total = conditional = 0
        for web in self.webs:
            for request in list(web.requests):
                total += 1
                headers = {k.lower() for k in request.headers}
                conditional += "if-none-match" in headers or "if-modified-since" in headers
        return total, conditional

    # -- configuration ------------------------------------------------------------------------
    def config(self, **settings: Any) -> dict[str, Any]:
        base: dict[str, Any] = {
            "interval": "30m",
            "jitter": 0,
            "min_delay": 0,
            "per_host_concurrency": 1,
            "obey_robots": True,
            "max_retries": 0,
            "timeout": "20s",
        }
        base.update(settings)
        return {"settings": base, "sources": [s.config() for s in self.sources], "subscribers": []}

    def config_yaml(self, **settings: Any) -> str:
        return yaml.safe_dump(self.config(**settings), sort_keys=False)

    # -- content ------------------------------------------------------------------------------
    def _add_story(self, source: BenchSource, *, publish: bool) -> None:
        self.clock += timedelta(minutes=7)
        place = self.rng.choice(PLACES)
        rating = self.rng.random() < self.rating_share
        title = self.rng.choice(RATING_TOPICS if rating else TOPICS).format(place=place)
        source.published += 1
        story = Story(
            slug=f"story-{source.index}-{source.published}",
            title=title,
            published=self.clock,
            paragraphs=[" ".join(self._sentence() for _ in range(4)) for _ in range(5)],
        )
        source.stories.insert(0, story)
        del source.stories[ITEMS_PER_SOURCE:]
        source.web.set(article_path(source, story), article_html(source, story))
        if publish:
            self._publish(source)

    def _sentence(self) -> str:
        values = {k: self.rng.choice(v) for k, v in self._slots.items()}
        values["number"] = str(self.rng.randint(12, 990))
        values["small"] = str(self.rng.randint(2, 40))
        return self.rng.choice(TEMPLATES).format(**values)

    def _publish(self, source: BenchSource) -> None:
        if source.kind == "feed":
            body, content_type = rss(source), "application/rss+xml; charset=utf-8"
        else:
            body, content_type = listing_html(source), "text/html; charset=utf-8"
        path = source.prefix + ("/feed.xml" if source.kind == "feed" else "/news")
        source.web.set(path, body, content_type=content_type)


def loopback_address(index: int) -> str:
    """127.0.1.1, 127.0.1.2, ... 127.0.1.250, 127.0.2.1, ... (all loopback on Linux)."""
    return f"127.0.{index // 250 + 1}.{index % 250 + 1}"


def article_path(source: BenchSource, story: Story) -> str:
    return f"{source.prefix}/news/{story.slug}"


def article_html(source: BenchSource, story: Story) -> str:
    url = source.web.url(article_path(source, story))
    body = "\n".join(f"<p>{escape(p)}</p>" for p in story.paragraphs)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(story.title)}</title>
<link rel="canonical" href="{url}"></head>
<body><header><nav><a href="/">Home</a> <a href="{source.prefix}/news">News</a></nav></header>
<main><article><h1>{escape(story.title)}</h1>
<time datetime="{story.published.isoformat()}">{story.published:%d %B %Y}</time>
{body}
</article></main>
<aside class="advert">Advertisement</aside><footer>Fixture news {source.index}</footer>
</body></html>"""


def listing_html(source: BenchSource) -> str:
    rows = "\n".join(
        f'<li><a href="{article_path(source, s)}">{escape(s.title)}</a> '
        f'<span class="date">{s.published:%d/%m/%Y}</span></li>'
        for s in source.stories
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>News | Council {source.index}</title></head>
<body><h1>Latest news</h1><ul class="news-list">
{rows}
</ul><footer>Council {source.index}</footer></body></html>"""


def rss(source: BenchSource) -> str:
    items = "\n".join(
        f"""<item><title>{escape(s.title)}</title>
<link>{source.web.url(article_path(source, s))}</link>
<guid isPermaLink="false">bench-{source.index}-{s.slug}</guid>
<pubDate>{format_datetime(s.published)}</pubDate>
<description>{escape(" ".join(s.paragraphs[:2]))}</description></item>"""
        for s in source.stories
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Fixture news {source.index}</title>
<link>{source.web.url(source.prefix + "/")}</link><description>Bench feed</description>
{items}
</channel></rss>"""
