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
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any
from xml.sax.saxutils import escape

import yaml

from monitor.fixtureweb import FixtureWeb

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
SENTENCES = [
    "Councillors discussed the proposals at a meeting of the cabinet on Tuesday evening.",
    "Residents have until the end of the month to give their views online or at the library.",
    "The work is funded by a grant and is expected to be finished before the summer.",
    "A spokesperson said the council was grateful to everyone who had taken part.",
    "Local businesses said they hoped the change would bring more visitors into the area.",
    "The plans will be considered again once the consultation has closed.",
    "Officers will report back to the scrutiny committee with a full breakdown of the costs.",
    "Volunteers from across the borough helped to organise the event.",
    "More information is available from the council's customer service centre.",
    "The opposition group said it would be watching closely how the money was spent.",
]


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
    ):
        self.count = count
        self.hosts = hosts or max(1, min(200, math.ceil(count / 10)))
        self.rng = random.Random(seed)
        self.rating_share = rating_share
        self.clock = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
        self.webs = [FixtureWeb(host=loopback_address(i)) for i in range(self.hosts)]
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
        count = len(source.stories)
        story = Story(
            slug=f"story-{source.index}-{count}",
            title=title,
            published=self.clock,
            paragraphs=[" ".join(self.rng.sample(SENTENCES, 4)) for _ in range(5)],
        )
        source.stories.insert(0, story)
        del source.stories[ITEMS_PER_SOURCE:]
        source.web.set(article_path(source, story), article_html(source, story))
        if publish:
            self._publish(source)

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
