"""A database for the published views, filled the real way: a fixture Ofsted site (generated
report PDFs) and a news feed on 127.0.0.1, polled by ``poll_once``.

Stockport: a 2017 SIF report (good) seen by the first, silent poll; then a 2025 ILACS report
(requires improvement, care leavers good), a focused visit and a news story whose title is
hostile markup: one downgrade. Merton (London): one 2019 report (good). Every other authority
is never inspected here.
"""

from __future__ import annotations

import asyncio
import html
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import format_datetime
from pathlib import Path

from monitor.config import load_config
from monitor.demo.fixtureweb import FixtureWeb
from monitor.demo.ofstedsite import FOCUSED_VISIT, INSPECTION, FixtureOfstedSite
from monitor.demo.reportpdf import build_report_pdf
from monitor.models import Grade, Grades
from monitor.pipeline import poll_once

OUT, GOOD, RI = Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT

# Markup in a headline: it must reach the page as text, never as elements or script.
HOSTILE_TITLE = (
    "Stockport children's services downgraded <script>document.title='pwned'</script>"
    '<img src=x onerror="document.body.dataset.pwned=1"> & more'
)


@dataclass(frozen=True)
class PublishWorld:
    db_path: Path
    report_2017: str
    report_2025: str
    story_url: str


def _article(title: str, paragraphs: list[str], published: datetime) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        f"<html><head><title>{html.escape(title)}</title>"
        f'<meta property="article:published_time" content="{published.isoformat()}"></head>'
        f"<body><article><h1>{html.escape(title)}</h1>{body}</article></body></html>"
    )


def _feed(web: FixtureWeb, entries: list[tuple[str, str, datetime]]) -> None:
    items = "".join(
        f"<item><title>{html.escape(t)}</title><link>{u}</link><guid>{u}</guid>"
        f"<pubDate>{format_datetime(p)}</pubDate></item>"
        for t, u, p in entries
    )
    web.set(
        "/feed.xml",
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Local news</title>'
        f"{items}</channel></rss>",
        content_type="application/rss+xml",
    )


def build_publish_db(web: FixtureWeb, db_path: Path) -> PublishWorld:
    """Fill ``db_path`` by polling fixtures served by ``web`` (started by the caller)."""
    web.set("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    site = FixtureOfstedSite(web)
    site.add_provider("Stockport", "80562")
    site.add_provider("Merton", "80511")
    entries: list[tuple[str, str, datetime]] = []
    _feed(web, entries)
    config_path = db_path.with_suffix(".yaml")
    config_path.write_text(
        "settings:\n  min_delay: 0s\n  jitter: 0s\n  backoff: 0s\n"
        f'sources:\n  - name: ofsted\n    kind: ofsted\n    url: "{site.search_url}"\n'
        f'  - name: local-paper\n    kind: feed\n    url: "{web.url("/feed.xml")}"\n'
        # Never delivered (polls run with deliver=False): its outbox row stays pending.
        'subscribers:\n  - name: newsdesk\n    notify: ["json://127.0.0.1:9/hook"]\n'
    )
    config = load_config(config_path, environ={})
    report_2017 = site.add_publication(
        "80562",
        INSPECTION,
        date(2017, 8, 10),
        pdf=build_report_pdf(
            council_name="Stockport",
            layout="sif",
            grades=Grades(
                overall=GOOD,
                help_and_protection=GOOD,
                in_care=GOOD,
                adoption=OUT,
                care_leavers=GOOD,
                leaders=GOOD,
            ),
            inspection_start=date(2017, 5, 30),
            inspection_end=date(2017, 6, 22),
        ),
    )
    site.add_publication(
        "80511",
        INSPECTION,
        date(2019, 3, 1),
        pdf=build_report_pdf(
            council_name="Merton",
            layout="ilacs",
            grades=Grades(overall=GOOD, leaders=GOOD, help_and_protection=GOOD, in_care=GOOD),
            inspection_start=date(2019, 1, 14),
            inspection_end=date(2019, 1, 25),
        ),
    )
    _poll(config, db_path)  # the first poll: history, silently

    report_2025 = site.add_publication(
        "80562",
        INSPECTION,
        date(2025, 7, 15),
        pdf=build_report_pdf(
            council_name="Stockport",
            layout="ilacs",
            grades=Grades(
                overall=RI, leaders=RI, help_and_protection=RI, in_care=RI, care_leavers=GOOD
            ),
            inspection_start=date(2025, 5, 12),
            inspection_end=date(2025, 5, 23),
        ),
    )
    site.add_publication("80562", FOCUSED_VISIT, date(2024, 2, 20))
    published = datetime(2025, 7, 16, 9, 0, tzinfo=UTC)
    web.set(
        "/news/stockport-ri-2025",
        _article(
            HOSTILE_TITLE,
            [
                "Ofsted has downgraded Stockport's children's services from good to requires "
                "improvement to be good, although care leavers were still judged good.",
            ],
            published,
        ),
    )
    story_url = web.url("/news/stockport-ri-2025")
    entries.append((HOSTILE_TITLE, story_url, published))
    _feed(web, entries)
    _poll(config, db_path)
    return PublishWorld(db_path, report_2017, report_2025, story_url)


def _poll(config, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    summary = asyncio.run(poll_once(config, db_path=db_path, deliver=False))
    failures = [(o.name, o.error, o.item_errors) for o in summary.outcomes if not o.ok]
    assert not failures, failures
