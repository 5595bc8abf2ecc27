"""The whole pipeline, end to end, on real parts: the Stockport story of DESIGN.md section 1
replayed through a fixture Ofsted site (generated report PDFs), a news feed and a council news
page served from 127.0.0.1, a real SMTP server and a real webhook receiver.

Expected: the first poll records history silently; the 2017 upgrade and the 2025 downgrade each
produce exactly one email and one webhook call, citing every item that reported them; the 2022
re-inspection (still good) produces nothing; polling again changes nothing.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import format_datetime
from pathlib import Path

import pytest

from monitor.config import Config, load_config
from monitor.demo.fixtureweb import FixtureWeb
from monitor.demo.ofstedsite import FOCUSED_VISIT, INSPECTION, FixtureOfstedSite
from monitor.demo.reportpdf import build_report_pdf
from monitor.models import Grade, Grades
from monitor.pipeline import PollSummary, poll_once
from monitor.store import open_db

OUT, GOOD, RI, ADEQ = Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.ADEQUATE


@dataclass
class NewsWeb:
    """A news feed and a council news page whose stories the test adds between polls."""

    web: FixtureWeb
    entries: list[tuple[str, str, datetime]] = field(default_factory=list)
    releases: list[tuple[str, str]] = field(default_factory=list)

    def story(self, slug: str, title: str, paragraphs: list[str], published: datetime) -> str:
        path = f"/news/{slug}"
        self.web.set(path, _article(title, paragraphs, published))
        self.entries.insert(0, (title, self.web.url(path), published))
        self._render_feed()
        return self.web.url(path)

    def release(self, slug: str, title: str, paragraphs: list[str], published: datetime) -> str:
        path = f"/council/news/{slug}"
        self.web.set(path, _article(title, paragraphs, published))
        self.releases.insert(0, (title, path))
        self._render_listing()
        return self.web.url(path)

    def _render_feed(self) -> None:
        items = "".join(
            f"<item><title>{t}</title><link>{u}</link><guid>{u}</guid>"
            f"<pubDate>{format_datetime(p)}</pubDate></item>"
            for t, u, p in self.entries
        )
        self.web.set(
            "/feed.xml",
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Local news</title>'
            f"{items}</channel></rss>",
            content_type="application/rss+xml",
        )

    def _render_listing(self) -> None:
        links = "".join(f'<li><a class="story" href="{p}">{t}</a></li>' for t, p in self.releases)
        self.web.set("/council/news", f"<html><body><ul>{links}</ul></body></html>")


def _article(title: str, paragraphs: list[str], published: datetime) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>{title}</title>"
        f'<meta property="article:published_time" content="{published.isoformat()}"></head>'
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    )


def _utc(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 9, 0, tzinfo=UTC)


@pytest.fixture
def receiver() -> Iterator[FixtureWeb]:
    with FixtureWeb() as hook:
        hook.set("/hook", b"ok", content_type="text/plain", conditional=False)
        yield hook


@pytest.fixture
def story(web: FixtureWeb, receiver: FixtureWeb, smtp, tmp_path: Path):  # type: ignore[no-untyped-def]
    web.set("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    site = FixtureOfstedSite(web)
    site.add_provider("Stockport", "80562")
    site.add_provider("Merton", "80511")
    news = NewsWeb(web)
    config_path = tmp_path / "sources.yaml"
    config_path.write_text(
        f"""
settings:
  min_delay: 0s
  jitter: 0s
  backoff: 0s
  alert_backoff: 0s
sources:
  - name: ofsted
    kind: ofsted
    url: "{site.search_url}"
  - name: local-paper
    kind: feed
    url: "{web.url("/feed.xml")}"
  - name: stockport-council
    kind: page
    url: "{web.url("/council/news")}"
    links: "a.story"
subscribers:
  - name: newsdesk
    notify:
      - "{smtp.url(to="desk@example.com")}"
      - "json://{receiver.base_url.removeprefix("http://")}/hook"
"""
    )
    return site, news, load_config(config_path, environ={}), tmp_path / "monitor.db"


def _poll(config: Config, db_path: Path) -> PollSummary:
    summary = asyncio.run(poll_once(config, db_path=db_path))
    failures = [(o.name, o.error, o.item_errors) for o in summary.outcomes if not o.ok]
    assert not failures, failures
    return summary


def _hooks(receiver: FixtureWeb) -> list[dict[str, object]]:
    return [json.loads(r.body) for r in receiver.requests if r.method == "POST"]


def test_the_stockport_story_alerts_twice(story, smtp, receiver: FixtureWeb) -> None:  # type: ignore[no-untyped-def]
    site, news, config, db_path = story

    # 2012 and before: history, recorded silently on the first poll of every source.
    news.story(
        "stockport-2012",
        "Stockport children's services judged adequate",
        [
            "Ofsted inspectors judged children's services in Stockport to be adequate overall "
            "after their visit to the borough in the spring of 2012.",
            "The council said it would act on the areas the inspectors asked it to improve.",
        ],
        _utc(2012, 9, 20),
    )
    news.release(
        "budget",
        "Council sets out its budget consultation",
        ["Stockport Council has opened a consultation on its spending plans for next year."],
        _utc(2016, 1, 5),
    )
    site.add_publication("80562", FOCUSED_VISIT, date(2016, 3, 1))
    first = _poll(config, db_path)
    assert all(o.backfill for o in first.outcomes)
    assert smtp.messages == [] and _hooks(receiver) == []

    # 2017: the SIF report, the council's press release and the local paper: one upgrade.
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
                lscb=RI,
            ),
            inspection_start=date(2017, 5, 30),
            inspection_end=date(2017, 6, 22),
        ),
    )
    paper_2017 = news.story(
        "stockport-good-2017",
        "Stockport children's services now rated good by Ofsted",
        [
            "Children's services in Stockport have been rated good by Ofsted, an improvement "
            "on the adequate judgement the council received in 2012.",
            "Inspectors rated adoption performance outstanding. The separate review of the "
            "Local Safeguarding Children Board found it requires improvement.",
        ],
        _utc(2017, 8, 24),
    )
    release_2017 = news.release(
        "ofsted-2017",
        "Ofsted rates Stockport's children's services good",
        [
            "Stockport Council's children's services have been judged good by Ofsted in the "
            "inspection report published this month, with adoption rated outstanding.",
        ],
        _utc(2017, 8, 11),
    )
    _poll(config, db_path)
    assert len(smtp.messages) == 1
    assert len(_hooks(receiver)) == 1
    mail = smtp.messages[0]
    assert mail["Subject"].startswith("Stockport children's services: upgraded to Good")
    body = mail.get_body(preferencelist=("plain", "html")).get_content()  # type: ignore[union-attr]
    for url in (report_2017, paper_2017, release_2017):
        assert url in body, url

    # 2022: a re-inspection keeps the good grade: evidence, no alert.
    site.add_publication(
        "80562",
        INSPECTION,
        date(2022, 5, 18),
        pdf=build_report_pdf(
            council_name="Stockport",
            layout="ilacs",
            grades=Grades(overall=GOOD, leaders=GOOD, help_and_protection=GOOD, in_care=GOOD),
            inspection_start=date(2022, 3, 28),
            inspection_end=date(2022, 4, 1),
        ),
    )
    news.release(
        "ofsted-2022",
        "Children's services in Stockport rated good again",
        [
            "Stockport's children's services have kept their good rating from Ofsted after an "
            "inspection in the spring.",
        ],
        _utc(2022, 5, 19),
    )
    _poll(config, db_path)
    assert len(smtp.messages) == 1 and len(_hooks(receiver)) == 1

    # 2025: down to requires improvement, care leavers good: one downgrade.
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
    paper_2025 = news.story(
        "stockport-ri-2025",
        "Stockport children's services downgraded by Ofsted",
        [
            "Ofsted has downgraded Stockport's children's services from good to requires "
            "improvement to be good, although care leavers were still judged good.",
        ],
        _utc(2025, 7, 16),
    )
    _poll(config, db_path)
    assert len(smtp.messages) == 2
    assert len(_hooks(receiver)) == 2
    mail = smtp.messages[1]
    assert mail["Subject"].startswith(
        "Stockport children's services: downgraded to Requires improvement"
    )
    body = mail.get_body(preferencelist=("plain", "html")).get_content()  # type: ignore[union-attr]
    for url in (report_2025, paper_2025):
        assert url in body, url

    # Nothing new: nothing sent, nothing stored twice.
    again = _poll(config, db_path)
    assert sum(o.new_items for o in again.outcomes) == 0
    assert len(smtp.messages) == 2 and len(_hooks(receiver)) == 2
    db = open_db(db_path)
    try:
        rows = list(db.query("select count(*) as n, count(distinct url) as d from items"))
        assert rows[0]["n"] == rows[0]["d"]
    finally:
        db.close()


def test_an_edited_story_updates_its_item(web: FixtureWeb, tmp_path: Path) -> None:
    news = NewsWeb(web)
    web.set("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    news.story(
        "old",
        "Road works in Wigan",
        ["Wigan Council is resurfacing roads in the town centre this winter."],
        _utc(2026, 10, 1),
    )
    config_path = tmp_path / "sources.yaml"
    config_path.write_text(
        f"settings:\n  min_delay: 0s\n  jitter: 0s\n"
        f"sources:\n  - name: paper\n    kind: feed\n    url: {web.url('/feed.xml')}\n"
    )
    config, db_path = load_config(config_path, environ={}), tmp_path / "monitor.db"
    _poll(config, db_path)  # backfill
    url = news.story(
        "wigan",
        "Wigan children's services rated inadequate",
        ["Ofsted has rated children's services in Wigan inadequate, down from good."],
        _utc(2026, 11, 2),
    )
    _poll(config, db_path)
    # The paper corrects its story: same URL, new headline and text, and says so in the feed.
    news.entries[0] = (
        "Wigan children's services rated requires improvement",
        url,
        news.entries[0][2],
    )
    web.set(
        "/news/wigan",
        _article(
            "Wigan children's services rated requires improvement",
            ["Ofsted has rated children's services in Wigan requires improvement, down from good."],
            _utc(2026, 11, 2),
        ),
    )
    news._render_feed()
    summary = _poll(config, db_path)
    assert [o.updated_items for o in summary.outcomes] == [1]
    db = open_db(db_path)
    try:
        rows = list(db.query("select revision, title from items where url = ?", [url]))
        assert rows == [
            {"revision": 2, "title": "Wigan children's services rated requires improvement"}
        ]
    finally:
        db.close()
