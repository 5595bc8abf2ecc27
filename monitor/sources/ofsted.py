"""The ``ofsted`` source kind: Ofsted's reports site, from the search to the report PDFs."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup, Tag

from ..config import OfstedSelectors, OfstedSourceConfig
from ..councils import load_councils
from ..errors import FetchError, HTTPStatusError, ParseError
from ..fetch import Response
from ..models import Council, Document, PublicationKind
from ..ukdates import month_number
from .base import PollContext, Source, register

# A provider page path: /provider/<category>/<URN> (local-authority children's services: 44).
_PROVIDER_PATH = re.compile(r"/provider/(\d+)/(\d+)/?$")


@register
class OfstedSource(Source):
    """Ofsted's "Find an inspection report" site (``kind: ofsted``).

    ``url`` is the search for local-authority children's-services providers, e.g.
    ``https://reports.ofsted.gov.uk/search?q=&location=&lat=&lon=&radius=&level_1_types=3&level_2_types%5B%5D=12``.
    Each poll pages through the search (``start``/``rows`` are set for you; ``rows`` at most
    100, ``max_pages`` caps the pages read), then reads every provider page it found. Provider
    pages are fetched conditionally, so an unchanged page costs one 304. At most
    ``max_items_per_poll`` new publications are taken per poll; the rest (counted as dropped)
    wait for the next.

    On a provider page every publication is an item. Children's services inspections (the
    graded reports) are downloaded once, as PDFs, for the classifier. Focused visits,
    monitoring visits, joint targeted area inspections and area SEND inspections carry no
    grade: they are recorded as context without downloading the file.

    The site's markup is configured under ``selectors`` (``provider_links``, ``next_page``,
    ``provider_name``, ``publication``, ``publication_text``); the defaults are what the live
    site uses. A provider page that fails (the site sometimes answers 403) or names a URN
    that is not in the council list is counted as an item error; the rest of the poll goes on.
    A search page that fails fails the poll.
    """

    kind = "ofsted"
    config: OfstedSourceConfig

    async def poll(self, ctx: PollContext) -> AsyncIterator[Document]:
        providers = await self._provider_urls(ctx)
        handed: set[str] = set()
        for index, provider_url in enumerate(providers):
            if ctx.taken >= ctx.settings.max_items_per_poll:
                # Their pages keep their validators, so a changed one is read in full next time.
                ctx.log.warning(
                    "%s: max_items_per_poll=%d reached; %d provider pages left for the next poll",
                    ctx.source_name,
                    ctx.settings.max_items_per_poll,
                    len(providers) - index,
                )
                break
            async for document in self._provider_documents(ctx, provider_url, handed):
                yield document

    # -- the search ---------------------------------------------------------------------------
    async def _provider_urls(self, ctx: PollContext) -> list[str]:
        """Provider page URLs from every search page, in the order the site lists them."""
        selectors = self.config.selectors
        rows = self.config.rows
        found: dict[str, None] = {}  # an ordered set
        for page in range(self.config.max_pages):
            url = search_page_url(self.config.url, start=page * rows, rows=rows)
            # Unconditional: a 304 here would leave the poll without its provider list.
            response = _ok(await ctx.get(url, conditional=False))
            soup = _soup(response)
            links = provider_links(soup, response.url, selectors)
            new = [link for link in links if link not in found]
            if page == 0 and not links:
                raise ParseError(
                    f"no provider links on the Ofsted search page {url!r} "
                    f"(selector {selectors.provider_links!r}; has the site's markup changed?)"
                )
            found.update(dict.fromkeys(new))
            has_next = bool(soup.select(selectors.next_page))
            # The last page is short and has no "next" link; stop there rather than ask for
            # an empty page. A page of nothing new also ends the walk (a site ignoring start).
            if not new or (len(links) < rows and not has_next):
                break
        else:
            ctx.log.warning(
                "%s: stopped after max_pages=%d search pages; raise it if providers are missing",
                ctx.source_name,
                self.config.max_pages,
            )
        return list(found)

    # -- one provider -------------------------------------------------------------------------
    async def _provider_documents(
        self, ctx: PollContext, provider_url: str, handed: set[str]
    ) -> AsyncIterator[Document]:
        urn = urn_of(provider_url) or ""
        council = load_councils().by_urn(urn) if urn else None
        if council is None:
            ctx.item_error(provider_url, f"URN {urn!r} is not in the council list; skipped")
            return
        try:
            response = _ok(await ctx.get(provider_url))
        except FetchError as exc:
            ctx.item_error(provider_url, f"provider page failed: {exc}")
            return
        if response.not_modified:
            return
        soup = _soup(response)
        publications = parse_publications(soup, response.url, self.config.selectors)
        if not publications:
            ctx.item_error(
                provider_url,
                f"no publications found (selector {self.config.selectors.publication!r})",
            )
        provider_name = _text_of(soup.select_one(self.config.selectors.provider_name))
        failed = False
        ordered = newest_first(publications)
        for index, publication in enumerate(ordered):
            if publication.url in handed or ctx.state.seen(publication.url):
                continue
            if not ctx.take():
                ctx.leave(len(ordered) - index, listing=provider_url)
                break
            handed.add(publication.url)
            document = await _document(ctx, publication, council, urn, provider_name)
            if document is None:
                failed = True
                continue
            yield document
        if failed:
            # Keep no validators for this page, so the next poll reads it again and retries
            # the reports that failed instead of getting a 304 that hides them.
            ctx.pending_validators.pop(provider_url, None)


async def _document(
    ctx: PollContext, publication: Publication, council: Council, urn: str, provider: str
) -> Document | None:
    meta = {
        "urn": urn,
        "la_code": council.la_code,
        "council": council.name,
        "provider": provider,
        "publication_kind": publication.kind.value,
    }
    if publication.published is not None:
        meta["publication_date"] = publication.published.isoformat()
    content, content_type = b"", ""
    if publication.kind.graded:
        try:
            response = _ok(await ctx.get(publication.url, conditional=False))
        except FetchError as exc:
            ctx.item_error(publication.url, f"report download failed: {exc}")
            return None
        if not response.content:
            ctx.item_error(publication.url, "report download was empty")
            return None
        content, content_type = response.content, response.content_type
    return Document(
        source=ctx.source_name,
        url=publication.url,
        content=content,
        content_type=content_type,
        title=publication.text,
        published=_utc(publication.published),
        meta=meta,
    )


# -- parsing (pure functions) ---------------------------------------------------------------------


@dataclass(frozen=True)
class Publication:
    """One entry of a provider page's timeline."""

    url: str  # absolute URL of the report file
    text: str  # the hidden label, whitespace normalised
    kind: PublicationKind
    published: date | None


def search_page_url(base: str, *, start: int, rows: int) -> str:
    """``base`` with its ``start`` and ``rows`` parameters set (other parameters kept)."""
    parts = urlsplit(base)
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key not in ("start", "rows")
    ]
    query += [("start", str(start)), ("rows", str(rows))]
    return urlunsplit(parts._replace(query=urlencode(query)))


def provider_links(soup: BeautifulSoup, base_url: str, selectors: OfstedSelectors) -> list[str]:
    """Absolute provider page URLs on a search page, each once, in page order."""
    links: dict[str, None] = {}
    for anchor in soup.select(selectors.provider_links):
        href = anchor.get("href")
        if not isinstance(href, str):
            continue
        parts = urlsplit(urljoin(base_url, href.strip()))
        if _PROVIDER_PATH.search(parts.path):
            links[urlunsplit(parts._replace(query="", fragment=""))] = None
    return list(links)


def urn_of(provider_url: str) -> str | None:
    match = _PROVIDER_PATH.search(urlsplit(provider_url).path)
    return match.group(2) if match else None


def parse_publications(
    soup: BeautifulSoup, base_url: str, selectors: OfstedSelectors
) -> list[Publication]:
    """The publications listed on a provider page, in page order."""
    publications = []
    for anchor in soup.select(selectors.publication):
        href = anchor.get("href")
        if not isinstance(href, str) or not href.strip():
            continue
        hidden = anchor.select_one(selectors.publication_text)
        text = normalise_text(_text_of(hidden) or _text_of(anchor))
        publications.append(
            Publication(
                url=urljoin(base_url, href.strip()),
                text=text,
                kind=publication_kind(text),
                published=publication_date(text),
            )
        )
    return publications


def newest_first(publications: list[Publication]) -> list[Publication]:
    """Newest first; undated ones last, in page order (the site lists newest first)."""
    return sorted(publications, key=lambda p: (p.published is None, _neg_ordinal(p.published)))


def _neg_ordinal(day: date | None) -> int:
    return -day.toordinal() if day else 0


_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "\xa0": " "})


def normalise_text(text: str) -> str:
    """Straight apostrophes and single spaces; irregular older labels compare equal."""
    return " ".join(text.translate(_APOSTROPHES).split())


# Checked in order: SEND and JTAI labels also contain the word "inspection".
_KIND_PATTERNS: tuple[tuple[PublicationKind, re.Pattern[str]], ...] = (
    (PublicationKind.SEND, re.compile(r"\bsend\b")),
    (
        PublicationKind.JTAI,
        re.compile(r"\bjoint\s+(?:targeted\s+)?area\b|\bjtai\b|\bjoint\s+inspection\b"),
    ),
    (PublicationKind.FOCUSED_VISIT, re.compile(r"\bfocus+ed\s+visit")),
    (PublicationKind.MONITORING_VISIT, re.compile(r"\bmonitoring\s+visit")),
    (
        PublicationKind.INSPECTION,
        re.compile(
            r"\bchildren'?s?\s+services\s+inspection"
            r"|\binspection\s+of\s+(?:local\s+authority\s+)?children'?s?\s+services"
            r"|\bsingle\s+inspection\b|\bilacs\b"
        ),
    ),
)


def publication_kind(text: str) -> PublicationKind:
    """What a provider-page label describes, e.g. "Children's services inspection, pdf -
    15 July 2025" -> INSPECTION; tolerant of case, spacing and curly apostrophes."""
    key = normalise_text(text).lower()
    for kind, pattern in _KIND_PATTERNS:
        if pattern.search(key):
            return kind
    return PublicationKind.OTHER


_DATE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s*([A-Za-z]{3,9})\.?,?\s*(\d{4})\b")


def publication_date(text: str) -> date | None:
    """The last day-first date in a label ('15 July 2025', '03 sept 2016'); None if none."""
    for match in reversed(list(_DATE.finditer(normalise_text(text)))):
        month = month_number(match.group(2))
        if month is None:
            continue
        try:
            return date(int(match.group(3)), month, int(match.group(1)))
        except ValueError:
            continue
    return None


# -- helpers -----------------------------------------------------------------------------------


def _ok(response: Response) -> Response:
    """The response, or HTTPStatusError when the fetcher handed back an error status."""
    if response.status >= 400:
        raise HTTPStatusError(f"HTTP {response.status}", url=response.url, status=response.status)
    return response


def _soup(response: Response) -> BeautifulSoup:
    from ..extract import decode, parse_html

    # Decoded by the HTTP charset, else the page's own declaration (WHATWG labels only).
    return parse_html(decode(response.content, response.headers.get("content-type", "")))


def _text_of(node: Tag | None) -> str:
    return normalise_text(node.get_text(" ")) if node is not None else ""


def _utc(day: date | None) -> datetime | None:
    return datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None
