"""The ``feed`` source kind: an RSS or Atom feed of news."""

from __future__ import annotations

import calendar
import hashlib
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..config import FeedSourceConfig
from ..errors import FeedError, FetchError, HTTPStatusError
from ..fetch import Response
from ..models import Document
from ..urls import canonical_url, is_http_url
from .base import PollContext, Source, register


@register
class FeedSource(Source):
    """An RSS 2.0, RSS 1.0 or Atom feed (``kind: feed``), e.g. a trade paper's news feed or
    a news-search feed.

    The feed is fetched conditionally: when it has not changed since the last poll the
    server answers 304 and the poll costs one request. Each entry with a link is an item.
    With ``fetch_articles: true`` (the default) the linked page is downloaded so that the
    whole story is classified, not only the feed's summary; with ``fetch_articles: false``
    the entry's title and summary (or full content, when the feed carries it) are used.

    A story is fetched once, and again only when its entry changes (title, summary or
    update time): an edited story then updates its item instead of becoming a new one. At most
    ``max_items_per_poll`` new entries are taken per poll (with or without their pages; the
    rest are counted as dropped and taken by later polls), and at most
    ``max_articles_per_poll`` pages are fetched per poll, in feed order (newest first in
    practice); the rest wait for the next poll, which then re-reads the feed in full. A
    page that cannot be fetched is counted as an item error and its entry is kept with the
    feed's summary, so nothing is lost.

    A feed that cannot be parsed, or an HTML page served instead of the feed (a login wall,
    an error page), fails the poll with a ``FeedError``; a slightly malformed feed that
    still has entries is used, with a warning in the log.
    """

    kind = "feed"
    config: FeedSourceConfig

    async def poll(self, ctx: PollContext) -> AsyncIterator[Document]:
        response = await ctx.get(self.config.url)
        if response.not_modified:
            return
        entries = parse_feed(require_ok(response), log=ctx.log)
        fetched = 0
        seen_here: set[str] = set()
        for index, entry in enumerate(entries):
            if entry.link in seen_here or self._unchanged(ctx, entry):
                continue
            seen_here.add(entry.link)
            pages_full = (
                self.config.fetch_articles and fetched >= ctx.settings.max_articles_per_poll
            )
            if pages_full or not ctx.take():
                # The rest (not all of them new) wait for a later poll, which must then get the
                # feed, not a 304; none is looked at now.
                ctx.leave(len(entries) - index, listing=self.config.url)
                break
            if not self.config.fetch_articles:
                yield entry.document(ctx.source_name)
                continue
            fetched += 1
            yield await _with_page(ctx, entry)

    @staticmethod
    def _unchanged(ctx: PollContext, entry: FeedEntry) -> bool:
        if not ctx.state.seen(entry.link):
            return False
        stored = ctx.state.fingerprint(entry.link)
        # Items stored without a fingerprint are taken as unchanged: never refetch blindly.
        return stored is None or stored == entry.fingerprint


@dataclass(frozen=True)
class FeedEntry:
    """One feed entry, reduced to what the monitor uses."""

    link: str  # canonical
    guid: str | None
    title: str
    summary: str  # plain text
    published: datetime | None  # UTC
    updated: datetime | None = None  # UTC; the entry's own last edit, when the feed says

    @property
    def fingerprint(self) -> str:
        """What changes when the publisher edits the entry."""
        stamp = self.updated.isoformat() if self.updated else ""
        return hashlib.sha1(f"{self.title}\n{self.summary}\n{stamp}".encode()).hexdigest()[:16]

    def document(self, source: str, response: Response | None = None) -> Document:
        """The entry as a Document, with its fetched page when there is one."""
        return Document(
            source=source,
            url=response.url if response is not None else self.link,
            content=response.content if response is not None else b"",
            content_type=response.content_type if response is not None else "",
            guid=self.guid,
            title=self.title or None,
            published=self.published,
            summary=self.summary or None,
            meta=document_meta(response, link=self.link, fingerprint=self.fingerprint),
        )


def parse_feed(response: Response, *, log: logging.Logger | None = None) -> list[FeedEntry]:
    """The entries of a feed response, in feed order; ``FeedError`` when it is not a feed."""
    # Imported on the first feed body: a cycle of 304s never needs the parsers.
    import feedparser

    from ..extract import looks_like_html

    # By the bytes: some servers label their feeds text/html, some error pages text/xml.
    if looks_like_html(response.content):
        raise FeedError(
            f"expected an RSS or Atom feed at {response.url!r}, got an HTML page "
            f"(content type {response.content_type or 'unknown'!r}); check the feed URL"
        )
    # Bytes and headers, never a URL string: feedparser would fetch a URL itself.
    try:
        parsed = feedparser.parse(
            response.content,
            response_headers={"content-type": response.headers.get("content-type", "")},
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except (ValueError, LookupError) as exc:
        # Hostile bytes break feedparser itself: a NUL in the declared encoding, a character
        # reference to a lone surrogate (&#xD800;) in its fallback parser.
        raise FeedError(
            f"not a readable RSS or Atom feed at {response.url!r}: {exc.__class__.__name__}: {exc}"
        ) from exc
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not parsed.entries:
        if problem is not None or not parsed.get("version"):
            raise FeedError(f"not a readable RSS or Atom feed at {response.url!r}: {problem}")
        return []
    if problem is not None and log is not None:
        log.warning("feed %s is malformed but has entries; using them: %s", response.url, problem)
    base = parsed.feed.get("link") or response.url
    entries = (_entry(raw, base) for raw in parsed.entries)
    return [entry for entry in entries if entry is not None]


def _entry(raw: Any, base: str) -> FeedEntry | None:
    from ..extract import html_to_text

    guid = raw.get("id") or None
    link = raw.get("link") or (guid if guid and is_http_url(guid) else None)
    if not link:
        return None  # nothing to identify or fetch the story by
    link = canonical_url(link, base)
    if not is_http_url(link):
        return None
    return FeedEntry(
        link=link,
        guid=guid,
        title=html_to_text(raw.get("title") or ""),
        summary=_summary(raw),
        published=_published(raw),
        updated=_stamp(raw, "updated_parsed"),
    )


def _summary(raw: Any) -> str:
    """The entry's text: its full content when the feed carries it, else its summary."""
    from ..extract import html_to_text

    texts = [html_to_text(part.get("value") or "") for part in raw.get("content") or []]
    texts.append(html_to_text(raw.get("summary") or ""))
    return max(texts, key=len)


def _published(raw: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        if (found := _stamp(raw, key)) is not None:
            return found
    return None


def _stamp(raw: Any, key: str) -> datetime | None:
    # feedparser normalises dates to UTC struct_time; timegm (not mktime) keeps them UTC.
    value: time.struct_time | None = raw.get(key)
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, OSError, ValueError):  # a year 9999 or worse from a broken feed
        return None


async def _with_page(ctx: PollContext, entry: FeedEntry) -> Document:
    try:
        response = require_ok(await ctx.get(entry.link, conditional=False))
    except FetchError as exc:
        ctx.item_error(entry.link, f"article not fetched, kept the feed summary: {exc}")
        return entry.document(ctx.source_name)
    return entry.document(ctx.source_name, response)


def require_ok(response: Response) -> Response:
    """The response, or ``HTTPStatusError`` if the fetcher handed back an error status."""
    if response.status >= 400:
        raise HTTPStatusError(f"HTTP {response.status}", url=response.url, status=response.status)
    return response


def document_meta(response: Response | None, **extra: str) -> dict[str, str]:
    """A Document's ``meta``: the charset of the response's content type (``content_type``
    carries the media type only), and ``extra``."""
    from ..extract import charset_of

    charset = charset_of(response.headers.get("content-type", "")) if response else None
    return ({"charset": charset} if charset else {}) | extra
