"""A stand-in for reports.ofsted.gov.uk, served by a ``FixtureWeb``.

The markup follows what the live site has been observed to use (search results linking to
``/provider/44/<URN>``, a provider page with ``ol.timeline > li.timeline__day`` holding
``a.publication-link`` elements whose ``span.nonvisual`` names the kind and publication date),
so that the ``ofsted`` source, the offline demo and the benchmarks exercise the real parsing.
All wording here is invented for the fixtures.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import parse_qs, urlsplit

from .fixtureweb import FixtureWeb, Page, Request

SEARCH_PATH = "/search"
# The query of the live search for local-authority children's services providers.
SEARCH_QUERY = "q=&location=&lat=&lon=&radius=&level_1_types=3&level_2_types%5B%5D=12"

# Labels as they appear before ", pdf - <date>" on provider pages.
INSPECTION = "Children's services inspection"
FOCUSED_VISIT = "Children's services focused visit"
MONITORING_VISIT = "Children's services monitoring visit"
JTAI = "Joint area child protection inspection"
SEND = "Area SEND full inspection"


@dataclass(frozen=True)
class FixturePublication:
    """One entry of a provider's timeline. ``text`` replaces the generated hidden label
    (``"<kind_text>, pdf - <d Month yyyy>"``) to imitate irregular older entries."""

    kind_text: str
    date: date
    href: str
    text: str | None = None

    @property
    def label(self) -> str:
        if self.text is not None:
            return self.text
        return f"{self.kind_text}, pdf - {format_date(self.date)}"


def format_date(day: date) -> str:
    """``15 July 2025``: the day without a leading zero, as the site prints it."""
    return f"{day.day} {day:%B %Y}"


def search_page(
    providers: Sequence[tuple[str, str]],
    *,
    start: int,
    rows: int,
    total: int,
    query: str = SEARCH_QUERY,
) -> str:
    """One page of search results: ``providers`` are the (name, URN) pairs on this page."""
    items = "\n".join(
        f'    <li class="search-result"><h3><a href="/provider/44/{html.escape(urn)}">'
        f"{html.escape(name)}</a></h3>"
        f"<p>Local Authority Children's Services - URN: {html.escape(urn)}</p></li>"
        for name, urn in providers
    )
    pagination = []
    if start > 0:
        previous = max(0, start - rows)
        pagination.append(
            f'<li class="previous"><a href="{SEARCH_PATH}?{html.escape(query)}'
            f'&amp;start={previous}&amp;rows={rows}">Previous page</a></li>'
        )
    if start + rows < total:
        pagination.append(
            f'<li class="next"><a class="pagination__next" href="{SEARCH_PATH}?'
            f'{html.escape(query)}&amp;start={start + rows}&amp;rows={rows}">Next page</a></li>'
        )
    shown = f"{start + 1} to {min(start + rows, total)}" if providers else "none"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Search results - Fixture Ofsted</title></head>
<body>
  <header><a href="/">Find an inspection report</a></header>
  <main>
    <h1 class="heading--title">Search results</h1>
    <p class="search-count">{total} results found, showing {shown}</p>
    <ul class="results-list">
{items}
    </ul>
    <nav><ul class="pagination">{"".join(pagination)}</ul></nav>
  </main>
</body></html>
"""


def provider_page(name: str, urn: str, publications: Sequence[FixturePublication]) -> str:
    """A provider page listing ``publications`` newest first, as the site orders them."""
    ordered = sorted(publications, key=lambda p: p.date, reverse=True)
    days = "\n".join(_timeline_day(p) for p in ordered)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(name)} - Fixture Ofsted</title>
</head>
<body>
  <main>
    <h1 class="heading--title">{html.escape(name)}</h1>
    <p class="provider-urn">URN: {html.escape(urn)}</p>
    <p>Local Authority Children's Services</p>
    <h2>Reports</h2>
    <ol class="timeline">
{days}
      <li class="timeline__day timeline__day--opened"><p>Provider opened</p></li>
    </ol>
  </main>
</body></html>
"""


def _timeline_day(publication: FixturePublication) -> str:
    return (
        f'      <li class="timeline__day"><p class="timeline__date">'
        f"{format_date(publication.date)}</p>"
        f'<a class="publication-link" href="{html.escape(publication.href)}" target="_blank">'
        f"{html.escape(publication.kind_text)} "
        f'<span class="nonvisual">{html.escape(publication.label)}</span></a></li>'
    )


def fixture_pdf(file_id: int) -> bytes:
    """Tiny stand-in bytes for a report file (not a readable report)."""
    return f"%PDF-1.4\n% fixture report file {file_id}\n%%EOF\n".encode("ascii")


@dataclass
class _Provider:
    name: str
    urn: str
    publications: list[FixturePublication] = field(default_factory=list)
    status: int = 200


class FixtureOfstedSite:
    """Serve a small Ofsted-like site on ``web``: the search at ``/search?...``, provider pages
    at ``/provider/44/<urn>`` and report files at ``/v1/file/<id>``.

    ``site.add_provider("Stockport", "80562")``, then
    ``site.add_publication("80562", INSPECTION, date(2025, 7, 15), pdf=b"...")``; pages are
    re-rendered on every change, so an unchanged page keeps its ETag and answers 304."""

    def __init__(self, web: FixtureWeb, *, first_file_id: int = 50_000_001):
        self.web = web
        self._providers: dict[str, _Provider] = {}
        self._file_ids = itertools.count(first_file_id)
        self._served: dict[str, str] = {}  # urn -> the provider page body being served
        web.set(SEARCH_PATH, handler=self._search)

    @property
    def search_url(self) -> str:
        """The search URL to configure (without start/rows, which the source adds)."""
        return self.web.url(f"{SEARCH_PATH}?{SEARCH_QUERY}")

    def provider_url(self, urn: str) -> str:
        return self.web.url(provider_path(urn))

    def add_provider(
        self, name: str, urn: str, publications: Sequence[FixturePublication] = ()
    ) -> None:
        self._providers[urn] = _Provider(name, urn, list(publications))
        self._render(urn)

    def add_publication(
        self,
        urn: str,
        kind_text: str,
        day: date,
        *,
        pdf: bytes | None = None,
        text: str | None = None,
    ) -> str:
        """Publish a report on a provider page; returns the URL of its file."""
        file_id = next(self._file_ids)
        path = f"/v1/file/{file_id}"
        self.web.set(path, pdf if pdf is not None else fixture_pdf(file_id), **_PDF)
        href = self.web.url(path)
        self._providers[urn].publications.append(FixturePublication(kind_text, day, href, text))
        self._render(urn)
        return href

    def set_status(self, urn: str, status: int) -> None:
        """Make a provider page answer ``status`` (e.g. 403, as the live site sometimes does)."""
        self._providers[urn].status = status
        self._render(urn)

    def _render(self, urn: str) -> None:
        provider = self._providers[urn]
        path = provider_path(urn)
        if provider.status != 200:
            self.web.set(path, "<html><body>Forbidden</body></html>", status=provider.status)
            self._served.pop(urn, None)
            return
        body = provider_page(provider.name, provider.urn, provider.publications)
        # Re-setting an identical page would move Last-Modified; keep it so 304s stay honest.
        if self._served.get(urn) != body:
            self.web.set(path, body)
            self._served[urn] = body

    def _search(self, request: Request) -> Page:
        query = parse_qs(urlsplit(request.path).query)
        start = _int(query.get("start"), 0)
        rows = _int(query.get("rows"), 100)
        providers = [(p.name, p.urn) for p in self._providers.values()]
        body = search_page(
            providers[start : start + rows], start=start, rows=rows, total=len(providers)
        )
        return Page(body=body.encode("utf-8"))


_PDF: dict[str, object] = {"content_type": "application/pdf"}


def provider_path(urn: str) -> str:
    return f"/provider/44/{urn}"


def _int(values: list[str] | None, default: int) -> int:
    try:
        return int(values[0]) if values else default
    except ValueError:
        return default
