"""The ``page`` source kind: an HTML listing of news links, such as a council's newsroom."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from ..config import PageSourceConfig
from ..errors import FetchError, ParseError
from ..models import Document
from ..urls import canonical_url, is_http_url
from .base import PollContext, Source, register
from .feed import document_meta, require_ok


@register
class PageSource(Source):
    """An HTML page that lists articles (``kind: page``), e.g. a council's news page.

    ``links`` is a CSS selector for the article links on the page, e.g.
    ``links: "div.news-list h3 a"``. A selected element that is not itself a link stands for
    the first link inside it. Links are made absolute and canonical (tracking parameters
    dropped), and links to other hosts are kept: councils publish on subdomains.

    The listing is fetched conditionally (an unchanged page costs one 304). Every link not
    already stored is fetched and becomes an item; at most ``max_articles_per_poll`` per
    poll (and at most ``max_items_per_poll``), in page order (newest first on most news
    pages), the rest on the next poll; they are counted as dropped in ``monitor sources``. An
    article that cannot be fetched is counted as an item error and the poll goes on.

    A listing on which the selector matches no link fails the poll with a ``ParseError``
    naming the selector, so that a redesigned page shows in ``monitor sources`` instead of
    going quiet.
    """

    kind = "page"
    config: PageSourceConfig

    async def poll(self, ctx: PollContext) -> AsyncIterator[Document]:
        response = await ctx.get(self.config.url)
        if response.not_modified:
            return
        links = select_links(require_ok(response).content, response.url, self.config.links)
        if not links:
            raise ParseError(
                f"no links matched selector {self.config.links!r} on {response.url!r} "
                "(has the page's layout changed? update `links` in sources.yaml)"
            )
        new: list[Link] = []
        for index, link in enumerate(links):
            if ctx.state.seen(link.url):
                continue
            if len(new) >= ctx.settings.max_articles_per_poll or not ctx.take():
                # The rest wait for the next poll, which must then get the listing, not a 304.
                ctx.leave(len(links) - index, listing=self.config.url)
                break
            new.append(link)
        for link in new:
            document = await _fetch(ctx, link)
            if document is None:
                # Unstored, so the next poll must read the listing again to retry it.
                ctx.pending_validators.pop(self.config.url, None)
                continue
            yield document


@dataclass(frozen=True)
class Link:
    url: str  # absolute and canonical
    text: str


def select_links(content: bytes, page_url: str, selector: str) -> list[Link]:
    """The distinct http(s) links ``selector`` picks on the page, in page order."""
    # Imported on the first listing body: a cycle of 304s never needs the HTML parser.
    from bs4 import Tag
    from soupsieve import SelectorSyntaxError

    from ..extract import clean_line, parse_html

    # Bytes, not text: the parser honours the page's own charset declaration.
    soup = parse_html(content)
    base_tag = soup.find("base", href=True)
    base_href = base_tag.get("href") if isinstance(base_tag, Tag) else None
    base = canonical_url(base_href, page_url) if isinstance(base_href, str) else page_url
    try:
        selected = soup.select(selector)
    except SelectorSyntaxError as exc:
        raise ParseError(f"invalid CSS selector {selector!r} in `links`: {exc}") from None
    links: dict[str, Link] = {}
    for element in selected:
        anchor = element if element.name == "a" and element.has_attr("href") else None
        anchor = anchor or element.find("a", href=True)
        href = anchor.get("href") if isinstance(anchor, Tag) else None
        if not isinstance(href, str) or not href.strip() or href.strip().startswith("#"):
            continue
        url = canonical_url(href, base)
        if is_http_url(url) and url not in links:
            links[url] = Link(url=url, text=clean_line(element.get_text(" ")))
    return list(links.values())


async def _fetch(ctx: PollContext, link: Link) -> Document | None:
    try:
        response = require_ok(await ctx.get(link.url, conditional=False))
    except FetchError as exc:
        ctx.item_error(link.url, f"article not fetched: {exc}")
        return None
    return Document(
        source=ctx.source_name,
        url=response.url,
        content=response.content,
        content_type=response.content_type,
        title=link.text or None,
        meta=document_meta(response, link=link.url),
    )
