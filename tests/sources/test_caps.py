"""``max_items_per_poll`` in every source kind: new entries past it wait for the next poll and
are counted as dropped; nothing is lost (the next poll takes them, its listing not a 304)."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Any

from monitor.config import FeedSourceConfig, OfstedSourceConfig, PageSourceConfig, Settings
from monitor.demo.fixtureweb import FixtureWeb
from monitor.demo.ofstedsite import FOCUSED_VISIT, MONITORING_VISIT, FixtureOfstedSite
from monitor.fetch import Fetcher
from monitor.models import Document
from monitor.records import Validators
from monitor.sources import PollContext, source_for

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SETTINGS = Settings(min_delay=0, max_retries=0, backoff=0, max_items_per_poll=3)


class MemoryState:
    def __init__(self) -> None:
        self.saved: dict[str, Validators] = {}
        self.stored: set[str] = set()

    def validators(self, url: str) -> Validators | None:
        return self.saved.get(url)

    def fingerprint(self, url: str) -> str | None:
        return None

    def seen(self, url: str) -> bool:
        return url in self.stored


def poll(config: Any, state: MemoryState) -> tuple[list[Document], PollContext]:
    async def run() -> tuple[list[Document], PollContext]:
        async with Fetcher(SETTINGS, trusted=[config.url]) as fetcher:
            ctx = PollContext(config.name, fetcher, SETTINGS, state, NOW)
            return [d async for d in source_for(config).poll(ctx)], ctx

    documents, ctx = asyncio.run(run())
    state.stored.update(d.meta.get("link", d.url) for d in documents)
    state.saved.update(ctx.pending_validators)
    return documents, ctx


def drain(config: Any, expected_total: int) -> list[tuple[int, int]]:
    """(taken, dropped) per poll until a poll takes nothing; every entry is taken once."""
    state, rounds, seen = MemoryState(), [], []
    for _ in range(10):
        documents, ctx = poll(config, state)
        if not documents:
            break
        rounds.append((len(documents), ctx.dropped))
        seen += [d.url for d in documents]
    assert len(seen) == len(set(seen)) == expected_total
    return rounds


def test_feed_without_articles(web: FixtureWeb) -> None:
    items = "".join(
        f"<item><title>Entry {i}</title><link>{web.url(f'/e/{i}')}</link></item>" for i in range(8)
    )
    web.set("/feed.xml", f'<rss version="2.0"><channel>{items}</channel></rss>')
    config = FeedSourceConfig(name="f", kind="feed", url=web.url("/feed.xml"), fetch_articles=False)
    assert drain(config, 8) == [(3, 5), (3, 2), (2, 0)]


def test_page_listing(web: FixtureWeb) -> None:
    links = "".join(f'<a class="s" href="/n/{i}">Story {i}</a>' for i in range(7))
    web.set("/news", f"<html><body>{links}</body></html>")
    for i in range(7):
        web.set(f"/n/{i}", f"<html><body><p>Story {i}</p></body></html>")
    config = PageSourceConfig(name="p", kind="page", url=web.url("/news"), links="a.s")
    assert drain(config, 7) == [(3, 4), (3, 1), (1, 0)]


def test_ofsted_provider_pages(web: FixtureWeb) -> None:
    site = FixtureOfstedSite(web)
    site.add_provider("Stockport", "80562")
    for month in range(1, 6):
        kind = FOCUSED_VISIT if month % 2 else MONITORING_VISIT
        site.add_publication("80562", kind, date(2024, month, 1))
    config = OfstedSourceConfig(name="o", kind="ofsted", url=site.search_url)
    assert drain(config, 5) == [(3, 2), (2, 0)]
