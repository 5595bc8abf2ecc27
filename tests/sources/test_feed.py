"""The ``feed`` source against RSS and Atom feeds served over real HTTP by FixtureWeb, through
the real polite fetcher."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from monitor.config import FeedSourceConfig, Settings
from monitor.demo.fixtureweb import FixtureWeb
from monitor.errors import FeedError
from monitor.fetch import Fetcher, Validators
from monitor.models import Document
from monitor.sources import REGISTRY, PollContext, source_for
from monitor.sources.feed import FeedSource

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SETTINGS = Settings(min_delay=0, max_retries=0, backoff=0, obey_robots=False, timeout=5)


class MemoryState:
    """The store's memory of one source, in memory; ``commit`` does what the pipeline does
    after a poll: store the documents (under their link and final URL), save validators."""

    def __init__(self) -> None:
        self.saved: dict[str, Validators] = {}
        self.stored: dict[str, str | None] = {}  # url -> fingerprint

    def validators(self, url: str) -> Validators | None:
        return self.saved.get(url)

    def seen(self, url: str) -> bool:
        return url in self.stored

    def fingerprint(self, url: str) -> str | None:
        return self.stored.get(url)

    def commit(self, documents: list[Document], ctx: PollContext) -> None:
        for document in documents:
            for url in {document.url, document.meta.get("link", document.url)}:
                self.stored[url] = document.meta.get("fingerprint")
        self.saved.update(ctx.pending_validators)


def poll(
    config: FeedSourceConfig, state: MemoryState, settings: Settings = SETTINGS
) -> tuple[list[Document], PollContext]:
    async def run() -> tuple[list[Document], PollContext]:
        async with Fetcher(settings, trusted=[config.url]) as fetcher:
            ctx = PollContext(config.name, fetcher, settings, state, NOW)
            return [d async for d in source_for(config).poll(ctx)], ctx

    documents, ctx = asyncio.run(run())
    state.commit(documents, ctx)
    return documents, ctx


def rss(base: str, *items: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
  <channel>
    <title>Children's services news</title>
    <link>{base}/</link>
    <description>Stories about councils' services for children</description>
    {"".join(items)}
  </channel>
</rss>
"""


def item(slug: str, title: str, date: str, *, guid: str | None = None, text: str = "") -> str:
    guid_tag = f'<guid isPermaLink="false">{guid}</guid>' if guid else ""
    return f"""
    <item>
      <title>{title}</title>
      <link>/news/{slug}?utm_source=rss&amp;utm_medium=feed</link>
      {guid_tag}
      <pubDate>{date}</pubDate>
      <description>&lt;p&gt;{text or title + " (summary)"}&lt;/p&gt;</description>
    </item>"""


def story(title: str) -> str:
    return f"<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>"


@pytest.fixture
def feed_site(web: FixtureWeb) -> FixtureWeb:
    """A feed of two stories, each with its page."""
    web.set(
        "/feed.xml",
        rss(
            web.base_url,
            item(
                "stockport",
                "Stockport judged good",
                "Tue, 15 Jul 2025 09:30:00 +0100",
                guid="gazette-1001",
            ),
            item("barnet", "Barnet keeps outstanding", "Mon, 14 Jul 2025 16:00:00 GMT"),
        ),
        content_type="application/rss+xml",
    )
    web.set("/news/stockport", story("Stockport judged good"))
    web.set("/news/barnet", story("Barnet keeps outstanding"))
    return web


def config(web: FixtureWeb, **options: object) -> FeedSourceConfig:
    return FeedSourceConfig(name="gazette", kind="feed", url=web.url("/feed.xml"), **options)  # type: ignore[arg-type]


def test_registered_under_its_kind() -> None:
    source_for(FeedSourceConfig(name="x", kind="feed", url="https://example.org/feed"))
    assert REGISTRY["feed"] is FeedSource
    assert FeedSource.__doc__ and "fetch_articles" in FeedSource.__doc__


def test_rss_entries_with_their_pages(feed_site: FixtureWeb) -> None:
    documents, ctx = poll(config(feed_site), MemoryState())

    assert [d.url for d in documents] == [
        feed_site.url("/news/stockport"),
        feed_site.url("/news/barnet"),
    ]
    first, second = documents
    assert first.content == story("Stockport judged good").encode()
    assert first.content_type == "text/html"
    assert first.meta == {
        "charset": "utf-8",
        "link": feed_site.url("/news/stockport"),
        "fingerprint": first.meta["fingerprint"],
    }
    assert first.source == "gazette"
    assert first.guid == "gazette-1001"
    assert second.guid is None  # an RSS item without <guid>
    assert first.title == "Stockport judged good"
    assert first.summary == "Stockport judged good (summary)"
    # pubDate with +0100 and GMT, both to UTC.
    assert first.published == datetime(2025, 7, 15, 8, 30, tzinfo=UTC)
    assert second.published == datetime(2025, 7, 14, 16, 0, tzinfo=UTC)
    assert ctx.errors == []
    assert set(ctx.pending_validators) == {feed_site.url("/feed.xml")}


def test_unchanged_feed_is_one_304(feed_site: FixtureWeb) -> None:
    state = MemoryState()
    poll(config(feed_site), state)
    feed_site.reset_log()

    documents, _ = poll(config(feed_site), state)

    assert documents == []
    assert [r.path for r in feed_site.requests] == ["/feed.xml"]
    assert feed_site.requests[0].headers.get("If-None-Match")


def test_only_the_new_entry_is_fetched(feed_site: FixtureWeb) -> None:
    state = MemoryState()
    poll(config(feed_site), state)
    feed_site.set(
        "/feed.xml",
        rss(
            feed_site.base_url,
            item("barnsley", "Barnsley improves to good", "Wed, 16 Jul 2025 07:00:00 GMT"),
            item("stockport", "Stockport judged good", "Tue, 15 Jul 2025 09:30:00 +0100"),
            item("barnet", "Barnet keeps outstanding", "Mon, 14 Jul 2025 16:00:00 GMT"),
        ),
    )
    feed_site.set("/news/barnsley", story("Barnsley improves to good"))
    feed_site.reset_log()

    documents, _ = poll(config(feed_site), state)

    assert [d.title for d in documents] == ["Barnsley improves to good"]
    assert sorted(r.path for r in feed_site.requests) == ["/feed.xml", "/news/barnsley"]


def test_atom_feed(web: FixtureWeb) -> None:
    web.set(
        "/atom.xml",
        f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Ofsted publications</title>
  <id>tag:example.org,2025:feed</id>
  <updated>2025-07-15T10:00:00+01:00</updated>
  <link rel="alternate" href="{web.base_url}/"/>
  <entry>
    <title>Children's services inspection: Stockport</title>
    <id>tag:example.org,2025:stockport-ilacs</id>
    <link rel="alternate" href="{web.base_url}/reports/stockport#summary"/>
    <updated>2025-07-15T10:00:00+01:00</updated>
    <summary type="html">&lt;p&gt;The report on Stockport&amp;#8217;s services.&lt;/p&gt;</summary>
    <content type="html">
      &lt;p&gt;The full text: Stockport requires improvement to be good.&lt;/p&gt;
    </content>
  </entry>
</feed>
""",
        content_type="application/atom+xml",
    )
    web.set("/reports/stockport", story("Stockport report"))
    cfg = FeedSourceConfig(name="ofsted-atom", kind="feed", url=web.url("/atom.xml"))

    (document,), _ = poll(cfg, MemoryState())

    assert document.url == web.url("/reports/stockport")  # fragment dropped
    assert document.guid == "tag:example.org,2025:stockport-ilacs"
    assert document.published == datetime(2025, 7, 15, 9, 0, tzinfo=UTC)  # from <updated>
    # The entry's full content is kept rather than its shorter summary.
    assert document.summary == "The full text: Stockport requires improvement to be good."


def test_without_fetching_articles(feed_site: FixtureWeb) -> None:
    documents, _ = poll(config(feed_site, fetch_articles=False), MemoryState())

    assert [d.content for d in documents] == [b"", b""]
    assert [d.summary for d in documents] == [
        "Stockport judged good (summary)",
        "Barnet keeps outstanding (summary)",
    ]
    assert [d.url for d in documents] == [
        feed_site.url("/news/stockport"),
        feed_site.url("/news/barnet"),
    ]
    assert [r.path for r in feed_site.requests] == ["/feed.xml"]


def test_failed_article_keeps_the_summary(feed_site: FixtureWeb) -> None:
    feed_site.set("/news/stockport", "server trouble", status=500, content_type="text/plain")

    documents, ctx = poll(config(feed_site), MemoryState())

    assert [(d.title, d.content) for d in documents] == [
        ("Stockport judged good", b""),
        ("Barnet keeps outstanding", story("Barnet keeps outstanding").encode()),
    ]
    assert documents[0].summary == "Stockport judged good (summary)"
    assert len(ctx.errors) == 1
    assert ctx.errors[0].startswith(
        feed_site.url("/news/stockport") + ": article not fetched, kept the feed summary: "
    )


def test_article_fetches_are_capped_and_the_rest_follow(feed_site: FixtureWeb) -> None:
    state = MemoryState()
    settings = SETTINGS.model_copy(update={"max_articles_per_poll": 1})

    first, ctx = poll(config(feed_site), state, settings)
    assert [d.title for d in first] == ["Stockport judged good"]
    # The feed's validators are not kept, so the next poll reads it again instead of a 304.
    assert ctx.pending_validators == {}

    second, ctx = poll(config(feed_site), state, settings)
    assert [d.title for d in second] == ["Barnet keeps outstanding"]
    assert set(ctx.pending_validators) == {feed_site.url("/feed.xml")}


def test_repeated_links_and_linkless_entries(web: FixtureWeb) -> None:
    web.set(
        "/feed.xml",
        rss(
            web.base_url,
            item("stockport", "Stockport judged good", "Tue, 15 Jul 2025 09:30:00 GMT"),
            item("stockport", "Stockport judged good (again)", "Tue, 15 Jul 2025 09:30:00 GMT"),
            "<item><title>A note without a link</title><description>x</description></item>",
        ),
    )
    web.set("/news/stockport", story("Stockport judged good"))

    documents, _ = poll(config(web), MemoryState())

    assert [d.title for d in documents] == ["Stockport judged good"]


def test_malformed_feed_with_entries_is_used(
    web: FixtureWeb, caplog: pytest.LogCaptureFixture
) -> None:
    # Unescaped ampersand and no closing tags: feedparser's "bozo" case.
    body = rss(
        web.base_url,
        item("stockport", "Stockport & Trafford news", "Tue, 15 Jul 2025 09:30:00 GMT"),
    )
    web.set("/feed.xml", body.split("</channel>")[0], content_type="application/rss+xml")

    documents, _ = poll(config(web, fetch_articles=False), MemoryState())

    assert [d.title for d in documents] == ["Stockport & Trafford news"]
    assert "is malformed but has entries" in caplog.text


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        pytest.param(
            "<!DOCTYPE html><html><head><title>Sign in</title></head>"
            "<body><p>Please sign in to continue.</p></body></html>",
            "text/html; charset=utf-8",
            "expected an RSS or Atom feed at {url!r}, got an HTML page "
            "(content type 'text/html'); check the feed URL",
            id="HTML page instead of the feed",
        ),
        pytest.param(
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Broken',
            "application/rss+xml",
            "not a readable RSS or Atom feed at {url!r}: ",
            id="truncated feed with no entries",
        ),
        pytest.param(
            "http://127.0.0.1:9/elsewhere.xml",
            "text/plain",
            "not a readable RSS or Atom feed at {url!r}: ",
            id="a body that is a URL is not followed",
        ),
        pytest.param(
            "\x00\x01 this is not xml at all",
            "application/octet-stream",
            "not a readable RSS or Atom feed at {url!r}: ",
            id="binary junk",
        ),
    ],
)
def test_unreadable_feed_fails_the_poll(
    web: FixtureWeb, body: str, content_type: str, message: str
) -> None:
    web.set("/feed.xml", body, content_type=content_type)
    with pytest.raises(FeedError) as raised:
        poll(config(web), MemoryState())
    assert str(raised.value).startswith(message.format(url=web.url("/feed.xml")))


def test_empty_but_valid_feed_yields_nothing(web: FixtureWeb) -> None:
    web.set("/feed.xml", rss(web.base_url), content_type="application/rss+xml")
    documents, ctx = poll(config(web), MemoryState())
    assert documents == []
    assert ctx.errors == []
