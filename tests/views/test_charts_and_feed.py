"""The chart counts and the Atom feed, as pure functions over records."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import feedparser

from monitor.councils import load_councils
from monitor.models import EvidenceKind, Framework, Grade, Grades
from monitor.records import EvidenceRecord, InspectionRecord
from monitor.store import open_db
from monitor.store.timeline import change_record
from monitor.views.site.charts import council_chart, grades_by_year, national_chart
from monitor.views.site.feed import atom_feed

from .world import PublishWorld

REGISTRY = load_councils()


def _inspection(
    code: str, end: date, framework: Framework, overall: Grade | None
) -> InspectionRecord:
    return InspectionRecord(
        id=hash((code, end)) & 0xFFFF,
        la_code=code,
        council="",
        framework=framework,
        inspection_start=end,
        inspection_end=end,
        published=end,
        grades=Grades(overall=overall, leaders=Grade.GOOD),
        grades_from=EvidenceKind.REPORT,
        conflict=False,
    )


def test_grades_by_year_counts_standing_at_each_year_end() -> None:
    stockport, merton, cumbria = (REGISTRY.by_name(n) for n in ("Stockport", "Merton", "Cumbria"))
    assert stockport and merton and cumbria and cumbria.defunct
    timelines = {
        stockport.la_code: [
            _inspection(stockport.la_code, date(2012, 5, 1), Framework.PRE_2013, Grade.ADEQUATE),
            _inspection(stockport.la_code, date(2014, 6, 1), Framework.SIF, Grade.GOOD),
            _inspection(stockport.la_code, date(2026, 6, 1), Framework.ILACS, None),
        ],
        merton.la_code: [
            _inspection(merton.la_code, date(2013, 2, 1), Framework.PRE_2013, Grade.INADEQUATE)
        ],
        cumbria.la_code: [
            _inspection(cumbria.la_code, date(2013, 2, 1), Framework.PRE_2013, Grade.GOOD)
        ],
    }
    counts = {y.year: dict(y.counts) for y in grades_by_year(list(REGISTRY), timelines)}
    assert sorted(counts) == list(range(2012, 2027))
    assert counts[2012]["requires improvement"] == 1 and sum(counts[2012].values()) == 1
    assert counts[2013] == {
        "outstanding": 0, "good": 0, "requires improvement": 1, "inadequate": 1, "not graded": 0
    }  # fmt: skip
    assert counts[2014]["good"] == 1 and counts[2014]["inadequate"] == 1
    assert counts[2026]["not graded"] == 1 and counts[2026]["inadequate"] == 1
    svg = national_chart(grades_by_year(list(REGISTRY), timelines))
    assert svg.startswith("<svg") and svg.count("<rect") >= 15 + 5  # bars and the legend
    assert grades_by_year(list(REGISTRY), {}) == []


def test_council_chart_draws_the_overall_line_and_escapes_nothing_foreign() -> None:
    records = [
        _inspection("356", date(2017, 6, 22), Framework.SIF, Grade.GOOD),
        _inspection("356", date(2025, 5, 23), Framework.ILACS, Grade.REQUIRES_IMPROVEMENT),
    ]
    svg = council_chart(records, date(2026, 12, 1))
    assert "<polyline" in svg and svg.count('class="overall-point"') == 2
    assert "No graded inspection" in council_chart([], date(2026, 12, 1))


def test_feed_drops_characters_xml_forbids(publish_world: PublishWorld) -> None:
    db = open_db(publish_world.db_path)
    try:
        change_id = db.execute("SELECT id FROM changes WHERE silent = 0").fetchone()[0]
        record = change_record(db, change_id)
    finally:
        db.close()
    nasty = EvidenceRecord(
        url="https://news.example.org/a?x=1&y=<2>",
        title="Control \x0b\x01 characters ]]> and \ufffe in a title",
        source="paper",
        kind=EvidenceKind.NEWS,
        published=datetime(2025, 7, 16, tzinfo=UTC),
        grades=Grades(overall=Grade.REQUIRES_IMPROVEMENT),
        previous=Grade.GOOD,
        agrees=True,
    )
    inspection = replace(record.inspection, evidence=(*record.inspection.evidence, nasty))
    body = atom_feed(
        [replace(record, inspection=inspection)],
        base_url="https://ratings.example.org/",
        now=datetime(2026, 12, 1, tzinfo=UTC),
    )
    feed = feedparser.parse(body)
    assert feed.bozo is False, feed.get("bozo_exception")
    assert "Control  characters ]]&gt; and  in a title" in feed.entries[0].content[0].value
    assert feed.entries[0].link == "https://ratings.example.org/council/356"
    assert (
        feedparser.parse(
            atom_feed([], base_url="http://x/", now=datetime(2026, 1, 1, tzinfo=UTC))
        ).bozo
        is False
    )
