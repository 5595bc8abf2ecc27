"""The timeline keeps only the judgements an inspection's framework grades: news that loosely
says "rated good" of a post-April-2026 inspection gives it no overall grade."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlite_utils

from monitor.councils import load_councils
from monitor.models import EvidenceKind, Framework, Grade, Grades, Judgement, RatingEvent
from monitor.pipeline import record_event
from monitor.records import EvidenceRef
from monitor.store.timeline import history
from monitor.timeline.changes import graded_only

G, RI = Grade.GOOD, Grade.REQUIRES_IMPROVEMENT
HARTLEPOOL = load_councils().by_code("805")


def _apply(db: sqlite_utils.Database, event: RatingEvent, kind: EvidenceKind, url: str) -> object:
    evidence = EvidenceRef(
        item_id=None,
        url=url,
        title=url,
        source="test",
        kind=kind,
        published=datetime(2026, 11, 20, tzinfo=UTC),
    )
    now = datetime(2026, 11, 21, tzinfo=UTC)
    return record_event(db, event, evidence=evidence, silent=False, subscribers=[], now=now)


def test_graded_only() -> None:
    loose = Grades(overall=G, leaders=G, care_leavers=G, lscb=RI)
    assert graded_only(loose, Framework.ILACS, date(2026, 5, 1)).overall is None
    assert graded_only(loose, Framework.ILACS, date(2019, 5, 1)).care_leavers is None
    assert graded_only(loose, Framework.ILACS, date(2024, 5, 1)) == loose
    assert graded_only(loose, Framework.PRE_2013, date(2012, 5, 1)) == Grades(overall=G, lscb=RI)


def test_news_gives_no_overall_grade_to_a_post_reform_inspection(db: sqlite_utils.Database) -> None:
    assert HARTLEPOOL is not None
    before = RatingEvent(
        council=HARTLEPOOL,
        framework=Framework.ILACS,
        grades=Grades(overall=RI, leaders=RI, help_and_protection=RI, in_care=RI, care_leavers=RI),
        inspection_start=date(2023, 3, 6),
        inspection_end=date(2023, 3, 17),
    )
    _apply(db, before, EvidenceKind.REPORT, "https://files.example.org/2023")
    report = RatingEvent(
        council=HARTLEPOOL,
        framework=Framework.ILACS,
        grades=Grades(leaders=G, help_and_protection=G, in_care=G, care_leavers=G),
        inspection_start=date(2026, 10, 5),
        inspection_end=date(2026, 10, 16),
    )
    applied = _apply(db, report, EvidenceKind.REPORT, "https://files.example.org/2026")
    assert Judgement.OVERALL not in {c.judgement for c in applied.changes}  # type: ignore[attr-defined]
    news = RatingEvent(
        council=HARTLEPOOL,
        framework=Framework.ILACS,
        grades=Grades(overall=G),
        inspection_start=date(2026, 10, 5),
        inspection_end=date(2026, 10, 16),
    )
    _apply(db, news, EvidenceKind.NEWS, "https://news.example.org/hartlepool")
    latest = history(db, HARTLEPOOL)[-1]
    assert latest.grades.overall is None
    assert latest.grades.leaders is G
    assert len(latest.evidence) == 2
