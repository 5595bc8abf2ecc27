"""The ``ofsted`` source against a fixture Ofsted site served over real HTTP."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import httpx
import pytest

from monitor.config import OfstedSelectors, OfstedSourceConfig, Settings
from monitor.demo.fixtureweb import FixtureWeb
from monitor.demo.ofstedsite import (
    FOCUSED_VISIT,
    INSPECTION,
    JTAI,
    MONITORING_VISIT,
    SEND,
    FixtureOfstedSite,
)
from monitor.demo.reportpdf import build_report_pdf
from monitor.errors import HTTPStatusError, ParseError
from monitor.fetch import Fetcher, Validators
from monitor.models import Document, Grade, Grades, PublicationKind
from monitor.sources import REGISTRY, PollContext
from monitor.sources.ofsted import (
    OfstedSource,
    publication_date,
    publication_kind,
    search_page_url,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
# The real polite fetcher, without the pauses that would only slow the tests down.
SETTINGS = Settings(min_delay=0, max_retries=0, backoff=0)
STOCKPORT, BARNET, BARNSLEY, BARKING, BATH = "80562", "80487", "80426", "80486", "80427"
CUMBRIA = "135513"  # a predecessor authority (split in 2023): old reports still resolve


class MemoryState:
    """What the store remembers for a source, kept in memory; ``commit`` does what the
    pipeline does after a poll (store the documents, then save the validators)."""

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
        self.stored.update(d.url for d in documents)
        self.saved.update(ctx.pending_validators)


def poll(config: OfstedSourceConfig, state: MemoryState) -> tuple[list[Document], PollContext]:
    async def run() -> tuple[list[Document], PollContext]:
        fetcher = Fetcher(SETTINGS, trusted=[config.url])
        ctx = PollContext("ofsted", fetcher, SETTINGS, state, NOW)
        try:
            return [d async for d in OfstedSource(config).poll(ctx)], ctx
        finally:
            await fetcher.aclose()

    documents, ctx = asyncio.run(run())
    state.commit(documents, ctx)
    return documents, ctx


def config_for(url: str, **options: object) -> OfstedSourceConfig:
    return OfstedSourceConfig(name="ofsted", kind="ofsted", url=url, **options)  # type: ignore[arg-type]


def paths(web: FixtureWeb, prefix: str) -> list[str]:
    return [r.path for r in web.requests if r.path.startswith(prefix)]


@pytest.fixture
def site(web: FixtureWeb) -> FixtureOfstedSite:
    return FixtureOfstedSite(web)


# -- pure parsing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("Children's services inspection, pdf - 15 July 2025", PublicationKind.INSPECTION),
        ("Children’s services inspection, pdf - 15 July 2025", PublicationKind.INSPECTION),
        ("CHILDRENS SERVICES  INSPECTION ,pdf -  3 March 2014", PublicationKind.INSPECTION),
        ("Children's services focused visit, pdf - 2 May 2023", PublicationKind.FOCUSED_VISIT),
        ("Monitoring visit, pdf - 1 Jan 2020", PublicationKind.MONITORING_VISIT),
        ("Joint area child protection inspection, pdf - 8 Jun 2022", PublicationKind.JTAI),
        ("Joint targeted area inspection, pdf - 8 June 2019", PublicationKind.JTAI),
        ("Area SEND full inspection, pdf - 15 July 2024", PublicationKind.SEND),
        ("area send monitoring inspection, pdf - 1 May 2025", PublicationKind.SEND),
        ("Local Safeguarding Children Board review, pdf - 1 May 2015", PublicationKind.OTHER),
        ("", PublicationKind.OTHER),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_publication_kind(label: str, kind: PublicationKind) -> None:
    assert publication_kind(label) is kind


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Children's services inspection, pdf - 15 July 2025", date(2025, 7, 15)),
        ("Children's services inspection,pdf -  3  march 2014", date(2014, 3, 3)),
        ("Children's services inspection, pdf - 09 Sept 2016", date(2016, 9, 9)),
        ("Children's services inspection, pdf - 1st December 2019", date(2019, 12, 1)),
        ("Children's services inspection, pdf - 31 February 2020", None),
        ("Children's services inspection", None),
    ],
)
def test_publication_date(label: str, expected: date | None) -> None:
    assert publication_date(label) == expected


def test_search_page_url_sets_start_and_rows_and_keeps_the_rest() -> None:
    base = "https://example.test/search?q=&level_1_types=3&level_2_types%5B%5D=12&start=0&rows=9"
    assert search_page_url(base, start=200, rows=100) == (
        "https://example.test/search?q=&level_1_types=3&level_2_types%5B%5D=12&start=200&rows=100"
    )


def test_registered_under_its_kind() -> None:
    assert REGISTRY["ofsted"] is OfstedSource
    assert "kind: ofsted" in (OfstedSource.__doc__ or "")


# -- polling ------------------------------------------------------------------------------------


def _five_providers(site: FixtureOfstedSite) -> None:
    for name, urn in [
        ("Stockport", STOCKPORT),
        ("Barnet", BARNET),
        ("Barnsley", BARNSLEY),
        ("Barking and Dagenham", BARKING),
        ("Bath and North East Somerset", BATH),
    ]:
        site.add_provider(name, urn)
        site.add_publication(urn, INSPECTION, date(2024, 3, int(urn) % 28 + 1))


def test_pages_through_the_search(site: FixtureOfstedSite, web: FixtureWeb) -> None:
    _five_providers(site)
    documents, ctx = poll(config_for(site.search_url, rows=2), MemoryState())

    starts = [p.split("&start=")[1] for p in paths(web, "/search")]
    assert starts == ["0&rows=2", "2&rows=2", "4&rows=2"]
    assert sorted(d.meta["urn"] for d in documents) == sorted(
        [STOCKPORT, BARNET, BARNSLEY, BARKING, BATH]
    )
    assert ctx.errors == []


def test_max_pages_caps_the_search(
    site: FixtureOfstedSite, web: FixtureWeb, caplog: pytest.LogCaptureFixture
) -> None:
    _five_providers(site)
    documents, _ = poll(config_for(site.search_url, rows=2, max_pages=2), MemoryState())

    assert len(paths(web, "/search")) == 2
    assert len(paths(web, "/provider/")) == 4
    assert len(documents) == 4
    assert "stopped after max_pages=2 search pages" in caplog.text


def test_a_search_that_ignores_start_ends_when_nothing_new_appears(
    site: FixtureOfstedSite, web: FixtureWeb
) -> None:
    _five_providers(site)
    # Every page answers with the first two providers and a "next" link.
    first = web.url("/search?q=&start=0&rows=2")
    web.set("/search", httpx.get(first).content)

    documents, _ = poll(config_for(web.url("/search?q="), rows=2), MemoryState())

    assert len(paths(web, "/search")) == 3  # two pages and the direct request above
    assert sorted(d.meta["urn"] for d in documents) == sorted([STOCKPORT, BARNET])


def test_graded_report_fetched_ungraded_recorded_without_fetching(
    site: FixtureOfstedSite, web: FixtureWeb
) -> None:
    site.add_provider("Stockport", STOCKPORT)
    report = build_report_pdf(
        council_name="Stockport",
        layout="ilacs",
        grades=Grades(overall=Grade.REQUIRES_IMPROVEMENT, care_leavers=Grade.GOOD),
        inspection_start=date(2025, 5, 12),
        inspection_end=date(2025, 5, 23),
    )
    graded = site.add_publication(STOCKPORT, INSPECTION, date(2025, 7, 15), pdf=report)
    ungraded = {
        site.add_publication(STOCKPORT, FOCUSED_VISIT, date(2023, 9, 4)): "focused visit",
        site.add_publication(STOCKPORT, MONITORING_VISIT, date(2021, 2, 1)): "monitoring visit",
        site.add_publication(STOCKPORT, JTAI, date(2024, 1, 10)): "joint targeted area inspection",
        site.add_publication(STOCKPORT, SEND, date(2025, 11, 3)): "area SEND inspection",
    }

    documents, ctx = poll(config_for(site.search_url), MemoryState())

    assert ctx.errors == []
    assert [d.url for d in documents] == [
        *[u for u in ungraded if "SEND" in ungraded[u]],
        graded,
        *[u for u in ungraded if ungraded[u].startswith("joint")],
        *[u for u in ungraded if ungraded[u].startswith("focused")],
        *[u for u in ungraded if ungraded[u].startswith("monitoring")],
    ]  # newest first
    inspection = next(d for d in documents if d.url == graded)
    assert inspection.content == report
    assert inspection.content_type == "application/pdf"
    assert inspection.title == "Children's services inspection, pdf - 15 July 2025"
    assert inspection.published == datetime(2025, 7, 15, tzinfo=UTC)
    assert inspection.meta["urn"] == STOCKPORT
    assert inspection.meta["la_code"] == "356"
    assert inspection.meta["publication_kind"] == "inspection"
    assert inspection.meta["publication_date"] == "2025-07-15"
    for document in documents:
        if document.url in ungraded:
            assert (document.content, document.content_type) == (b"", "")
            assert document.meta["publication_kind"] == ungraded[document.url]
    assert paths(web, "/v1/file/") == [graded.removeprefix(web.base_url)]


def test_second_poll_fetches_only_the_new_report(site: FixtureOfstedSite, web: FixtureWeb) -> None:
    _five_providers(site)
    config, state = config_for(site.search_url, rows=2), MemoryState()
    first, _ = poll(config, state)
    assert len(first) == 5

    web.reset_log()
    unchanged, _ = poll(config, state)
    assert unchanged == []
    assert {r.path: 304 for r in web.requests if r.path.startswith("/provider/")} == {
        f"/provider/44/{urn}": 304 for urn in (STOCKPORT, BARNET, BARNSLEY, BARKING, BATH)
    }
    assert all("If-None-Match" in r.headers for r in web.requests if "/provider/" in r.path)
    assert paths(web, "/v1/file/") == []

    new = site.add_publication(BARNET, INSPECTION, date(2026, 10, 1))
    web.reset_log()
    second, ctx = poll(config, state)

    assert [d.url for d in second] == [new]
    assert second[0].content.startswith(b"%PDF")
    assert paths(web, "/v1/file/") == [new.removeprefix(web.base_url)]
    assert ctx.errors == []


def test_a_forbidden_provider_page_does_not_stop_the_poll(
    site: FixtureOfstedSite, web: FixtureWeb
) -> None:
    _five_providers(site)
    site.set_status(BARNSLEY, 403)

    documents, ctx = poll(config_for(site.search_url, rows=2), MemoryState())

    assert sorted(d.meta["urn"] for d in documents) == sorted([STOCKPORT, BARNET, BARKING, BATH])
    barnsley = site.provider_url(BARNSLEY)
    assert ctx.errors == [f"{barnsley}: provider page failed: HTTP 403 Forbidden ({barnsley})"]


def test_a_failed_report_download_is_retried_next_poll(
    site: FixtureOfstedSite, web: FixtureWeb
) -> None:
    site.add_provider("Stockport", STOCKPORT)
    report = site.add_publication(STOCKPORT, INSPECTION, date(2025, 7, 15))
    visit = site.add_publication(STOCKPORT, FOCUSED_VISIT, date(2023, 9, 4))
    path = report.removeprefix(web.base_url)
    web.set(path, "gone", status=404, content_type="text/plain")
    config, state = config_for(site.search_url), MemoryState()

    documents, ctx = poll(config, state)
    assert [d.url for d in documents] == [visit]
    assert ctx.errors == [f"{report}: report download failed: HTTP 404 Not Found ({report})"]

    web.set(path, b"%PDF-1.4 back again", content_type="application/pdf")
    documents, ctx = poll(config, state)
    # The page's validators were not kept, so it was read again rather than answered 304.
    assert [d.url for d in documents] == [report]
    assert ctx.errors == []


def test_unknown_urn_is_an_item_error(site: FixtureOfstedSite, web: FixtureWeb) -> None:
    site.add_provider("Stockport", STOCKPORT)
    site.add_publication(STOCKPORT, INSPECTION, date(2025, 7, 15))
    site.add_provider("Nowhere Borough", "999999")
    site.add_publication("999999", INSPECTION, date(2025, 7, 1))

    documents, ctx = poll(config_for(site.search_url), MemoryState())

    assert [d.meta["urn"] for d in documents] == [STOCKPORT]
    assert ctx.errors == [
        f"{site.provider_url('999999')}: URN '999999' is not in the council list; skipped"
    ]
    assert paths(web, "/provider/44/999999") == []


def test_predecessor_authority_resolves(site: FixtureOfstedSite) -> None:
    site.add_provider("Cumbria", CUMBRIA)
    site.add_publication(CUMBRIA, INSPECTION, date(2022, 8, 5))

    documents, ctx = poll(config_for(site.search_url), MemoryState())

    assert ctx.errors == []
    assert [(d.meta["la_code"], d.meta["council"]) for d in documents] == [("909", "Cumbria")]


def test_irregular_labels(site: FixtureOfstedSite) -> None:
    site.add_provider("Stockport", STOCKPORT)
    labels = {
        "CHILDREN’S  SERVICES   INSPECTION ,pdf -  3  march 2014": ("inspection", "2014-03-03"),
        "children's services Focused visit,pdf - 09 Sept 2016": ("focused visit", "2016-09-09"),
        " Joint Area Child  Protection inspection , PDF -2 June 2018": (
            "joint targeted area inspection",
            "2018-06-02",
        ),
    }
    for index, label in enumerate(labels):
        site.add_publication(STOCKPORT, "x", date(2000, 1, index + 1), text=label)

    documents, ctx = poll(config_for(site.search_url), MemoryState())

    assert ctx.errors == []
    found = {(d.meta["publication_kind"], d.meta["publication_date"]) for d in documents}
    assert found == set(labels.values())
    assert [d.meta["publication_date"] for d in documents] == [
        "2018-06-02",
        "2016-09-09",
        "2014-03-03",
    ]


def test_a_failing_search_page_fails_the_poll(web: FixtureWeb) -> None:
    web.set("/search", "down", status=503, content_type="text/plain")
    with pytest.raises(HTTPStatusError):
        poll(config_for(web.url("/search?q=")), MemoryState())


def test_a_search_page_without_provider_links_fails_the_poll(web: FixtureWeb) -> None:
    web.set("/search", "<html><body><p>Something else entirely</p></body></html>")
    with pytest.raises(ParseError, match="no provider links"):
        poll(config_for(web.url("/search?q=")), MemoryState())


# Another markup, as the site might change to: only configuration has to follow it.
_OTHER_SEARCH = """<html><body><div class="hits">
  <a class="hit" href="/provider/44/{urn}">Stockport</a>
  <a href="/provider/44/80487">Barnet (not a hit: ignored by the selector)</a>
</div></body></html>"""
_OTHER_PROVIDER = """<html><body><h2 class="org">Stockport</h2><div class="reports">
  <p><a class="report" href="/files/77"><em>Children's services inspection, pdf - 4 May 2026</em>
     Children's services inspection</a></p>
  <p><a class="report" href="/files/76"><em>Area SEND full inspection, pdf - 1 May 2026</em></a></p>
</div></body></html>"""


def test_selectors_from_configuration(web: FixtureWeb) -> None:
    web.set("/find", _OTHER_SEARCH.format(urn=STOCKPORT))
    web.set(f"/provider/44/{STOCKPORT}", _OTHER_PROVIDER)
    web.set("/files/77", b"%PDF-1.4 other markup", content_type="application/pdf")
    selectors = OfstedSelectors(
        provider_links="div.hits a.hit",
        next_page="a.more",
        provider_name="h2.org",
        publication="div.reports a.report",
        publication_text="em",
    )

    documents, ctx = poll(config_for(web.url("/find"), selectors=selectors), MemoryState())

    assert ctx.errors == []
    assert [(d.url, d.meta["publication_kind"], d.content) for d in documents] == [
        (web.url("/files/77"), "inspection", b"%PDF-1.4 other markup"),
        (web.url("/files/76"), "area SEND inspection", b""),
    ]
    assert documents[0].meta["provider"] == "Stockport"
    assert paths(web, "/provider/44/80487") == []
