"""The ``page`` source against council news listings served over real HTTP by FixtureWeb,
through the real polite fetcher."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from monitor.config import PageSourceConfig, Settings
from monitor.demo.fixtureweb import FixtureWeb
from monitor.errors import ParseError
from monitor.extract import extract
from monitor.fetch import Fetcher, Validators
from monitor.models import Document
from monitor.sources import REGISTRY, PollContext, source_for
from monitor.sources.page import PageSource, select_links

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SETTINGS = Settings(min_delay=0, max_retries=0, backoff=0, obey_robots=False, timeout=5)
SELECTOR = "ul.news-list li h3 a"


class MemoryState:
    """The store's memory of one source, in memory; ``commit`` does what the pipeline does
    after a poll: store the documents (under their link and final URL), save validators."""

    def __init__(self) -> None:
        self.saved: dict[str, Validators] = {}
        self.stored: set[str] = set()

    def validators(self, url: str) -> Validators | None:
        return self.saved.get(url)

    def fingerprint(self, url: str) -> str | None:
        return None

    def seen(self, url: str) -> bool:
        return url in self.stored

    def commit(self, documents: list[Document], ctx: PollContext) -> None:
        for document in documents:
            self.stored.update({document.url, document.meta.get("link", document.url)})
        self.saved.update(ctx.pending_validators)


def poll(
    config: PageSourceConfig, state: MemoryState, settings: Settings = SETTINGS
) -> tuple[list[Document], PollContext]:
    async def run() -> tuple[list[Document], PollContext]:
        async with Fetcher(settings, trusted=[config.url]) as fetcher:
            ctx = PollContext(config.name, fetcher, settings, state, NOW)
            return [d async for d in source_for(config).poll(ctx)], ctx

    documents, ctx = asyncio.run(run())
    state.commit(documents, ctx)
    return documents, ctx


def listing(*links: tuple[str, str]) -> str:
    items = "".join(
        f'<li class="news-item"><h3><a href="{href}">{text}</a></h3><p>Teaser</p></li>'
        for href, text in links
    )
    return f"""<!DOCTYPE html>
<html><head><title>News | Northshire Council</title></head>
<body>
  <nav><a href="/">Home</a><a href="/bins">Bins and recycling</a></nav>
  <h1>Latest news</h1>
  <ul class="news-list">{items}</ul>
  <footer><a href="/privacy">Privacy</a></footer>
</body></html>"""


def article(title: str) -> str:
    return f"<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>"


@pytest.fixture
def newsroom(web: FixtureWeb) -> FixtureWeb:
    web.set(
        "/news",
        listing(
            ("/news/ofsted-good?utm_source=homepage", "Ofsted rates services good"),
            ("2025/07/care-leavers", "Care leavers praised"),  # relative to /news
            ("/news/ofsted-good#comments", "Ofsted rates services good (comments)"),  # dupe
            ("https://democracy.example.org/scrutiny-12", "Scrutiny committee papers"),
        ),
    )
    web.set("/news/ofsted-good", article("Ofsted rates services good"))
    web.set("/2025/07/care-leavers", article("Care leavers praised"))
    return web


def config(web: FixtureWeb, links: str = SELECTOR) -> PageSourceConfig:
    return PageSourceConfig(name="northshire-news", kind="page", url=web.url("/news"), links=links)


def test_registered_under_its_kind() -> None:
    assert REGISTRY["page"] is PageSource
    assert PageSource.__doc__ and "links" in PageSource.__doc__


def test_select_links_absolute_canonical_distinct() -> None:
    content = listing(
        ("/news/ofsted-good?utm_source=homepage", "Ofsted rates services good"),
        ("2025/07/care-leavers", "Care leavers praised"),
        ("/news/ofsted-good#comments", "Comments"),
        ("https://Democracy.Example.org:443/scrutiny-12", "Scrutiny"),
        ("mailto:press@example.org", "Email the press office"),
        ("#top", "Back to top"),
        ("", "Empty"),
    ).encode()
    links = select_links(content, "https://www.northshire.gov.uk/news", SELECTOR)
    assert [(link.url, link.text) for link in links] == [
        ("https://www.northshire.gov.uk/news/ofsted-good", "Ofsted rates services good"),
        ("https://www.northshire.gov.uk/2025/07/care-leavers", "Care leavers praised"),
        ("https://democracy.example.org/scrutiny-12", "Scrutiny"),
    ]


def test_a_selected_container_stands_for_its_first_link() -> None:
    content = listing(("/a", "First story"), ("/b", "Second story")).encode()
    links = select_links(content, "https://example.org/news", "li.news-item")
    assert [link.url for link in links] == ["https://example.org/a", "https://example.org/b"]
    assert links[0].text == "First story Teaser"


def test_listing_links_are_fetched(newsroom: FixtureWeb) -> None:
    documents, ctx = poll(config(newsroom), MemoryState())

    assert [d.url for d in documents] == [
        newsroom.url("/news/ofsted-good"),
        newsroom.url("/2025/07/care-leavers"),
    ]
    assert [d.title for d in documents] == ["Ofsted rates services good", "Care leavers praised"]
    assert documents[0].content == article("Ofsted rates services good").encode()
    assert documents[0].source == "northshire-news"
    # The off-site link is kept (and failed here: the test guard blocks the internet).
    assert len(ctx.errors) == 1
    assert ctx.errors[0].startswith(
        "https://democracy.example.org/scrutiny-12: article not fetched"
    )
    assert "/bins" not in [r.path for r in newsroom.requests]


def test_listing_changes_between_polls(newsroom: FixtureWeb) -> None:
    state = MemoryState()
    newsroom.set("/news", listing(("/news/ofsted-good", "Ofsted rates services good")))
    poll(config(newsroom), state)
    newsroom.reset_log()

    unchanged, _ = poll(config(newsroom), state)
    assert unchanged == []
    assert [r.path for r in newsroom.requests] == ["/news"]  # one conditional GET, a 304

    newsroom.set(
        "/news",
        listing(
            ("/news/new-director", "New director of children's services"),
            ("/news/ofsted-good", "Ofsted rates services good"),
        ),
    )
    newsroom.set("/news/new-director", article("New director of children's services"))
    newsroom.reset_log()

    changed, _ = poll(config(newsroom), state)
    assert [d.title for d in changed] == ["New director of children's services"]
    assert [r.path for r in newsroom.requests] == ["/news", "/news/new-director"]


def test_no_matching_links_fails_the_poll(newsroom: FixtureWeb) -> None:
    with pytest.raises(ParseError) as raised:
        poll(config(newsroom, links="div.story-card a"), MemoryState())
    assert str(raised.value) == (
        f"no links matched selector 'div.story-card a' on {newsroom.url('/news')!r} "
        "(has the page's layout changed? update `links` in sources.yaml)"
    )


def test_invalid_selector_fails_the_poll(newsroom: FixtureWeb) -> None:
    with pytest.raises(ParseError, match=r"^invalid CSS selector 'ul\[' in `links`: "):
        poll(config(newsroom, links="ul["), MemoryState())


def test_a_failed_article_is_retried_next_poll(newsroom: FixtureWeb) -> None:
    state = MemoryState()
    newsroom.set(
        "/news",
        listing(("/news/ofsted-good", "Ofsted rates services good"), ("/news/gone", "Gone")),
    )
    newsroom.set("/news/gone", "busy", status=503, content_type="text/plain")

    documents, ctx = poll(config(newsroom), state)
    assert [d.title for d in documents] == ["Ofsted rates services good"]
    assert [e.split(": ")[0] for e in ctx.errors] == [newsroom.url("/news/gone")]
    assert ctx.pending_validators == {}  # so the listing is read again, not answered 304

    newsroom.set("/news/gone", article("Back again"))
    retried, ctx = poll(config(newsroom), state)
    assert [d.url for d in retried] == [newsroom.url("/news/gone")]
    assert ctx.errors == []


def test_fetches_are_capped_newest_first(newsroom: FixtureWeb) -> None:
    state = MemoryState()
    settings = SETTINGS.model_copy(update={"max_articles_per_poll": 1})
    newsroom.set(
        "/news",
        listing(("/news/ofsted-good", "Newest"), ("/2025/07/care-leavers", "Older")),
    )

    first, ctx = poll(config(newsroom), state, settings)
    assert [d.url for d in first] == [newsroom.url("/news/ofsted-good")]
    assert ctx.pending_validators == {}

    second, _ = poll(config(newsroom), state, settings)
    assert [d.url for d in second] == [newsroom.url("/2025/07/care-leavers")]


def test_windows_1252_article_without_charset_header(web: FixtureWeb) -> None:
    web.set("/news", listing(("/news/fees", "Fees")))
    body = (
        "<html><head><title>Fostering fees rise</title></head><body><article>"
        "<h1>Fostering fees rise</h1>"
        "<p>Northshire\u2019s foster carers will receive \u00a3250 a week more, the council\u2019s "
        "\u201cstep change\u201d after inspectors called support for carers inadequate.</p>"
        "</article></body></html>"
    )
    web.set("/news/fees", body.encode("cp1252"), content_type="text/html")

    (document,), _ = poll(config(web), MemoryState())
    text = extract(document).text

    assert "Northshire\u2019s foster carers will receive \u00a3250 a week more" in text
    assert "\u201cstep change\u201d" in text


def test_header_charset_reaches_extraction(web: FixtureWeb) -> None:
    web.set("/news", listing(("/news/ru", "Story")))
    body = "<html><body><p>\u041e\u0444\u0441\u0442\u0435\u0434 good</p></body></html>"
    web.set("/news/ru", body.encode("koi8-r"), content_type="text/html; charset=KOI8-R")

    (document,), _ = poll(config(web), MemoryState())

    assert document.content_type == "text/html"
    assert document.meta["charset"] == "KOI8-R"
    assert "\u041e\u0444\u0441\u0442\u0435\u0434" in extract(document).text


def test_canonical_link_of_a_fetched_article(web: FixtureWeb) -> None:
    web.set("/news", listing(("/news/story?ref=home", "Story")))
    web.set(
        "/news/story",
        '<html><head><link rel="canonical" href="/news/2025/story-slug"></head>'
        "<body><p>Inspectors judged the council good.</p></body></html>",
    )

    (document,), _ = poll(config(web), MemoryState())

    assert document.url == web.url("/news/story")
    assert extract(document).canonical_url == web.url("/news/2025/story-slug")
