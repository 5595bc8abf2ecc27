"""The council timeline: matching events to inspections, merging evidence, changes and the
outbox rows they cause, all in a real SQLite file."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from monitor.config import SubscriberConfig
from monitor.councils import load_councils
from monitor.models import EvidenceKind, Framework, Grade, Grades, PublicationKind, RatingEvent
from monitor.pipeline import record_event
from monitor.records import EvidenceRef
from monitor.store.outbox import outbox_rows
from monitor.store.timeline import changes_between, history, record_publication
from monitor.views.history import render_history

OUT, G, RI, A, INAD = (
    Grade.OUTSTANDING,
    Grade.GOOD,
    Grade.REQUIRES_IMPROVEMENT,
    Grade.ADEQUATE,
    Grade.INADEQUATE,
)
STOCKPORT = load_councils().by_name("Stockport")
DESK = SubscriberConfig(name="desk", notify=["json://127.0.0.1:9/a", "json://127.0.0.1:9/b"])
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def event(framework, start=None, end=None, published=None, previous=None, **grades):
    return RatingEvent(
        council=STOCKPORT,
        framework=framework,
        grades=Grades(**grades),
        previous=previous,
        inspection_start=start,
        inspection_end=end,
        published=published,
    )


def ref(url, kind=EvidenceKind.NEWS, published=None, title="", item_id=None):
    when = (
        datetime(published.year, published.month, published.day, tzinfo=UTC) if published else None
    )
    return EvidenceRef(item_id, url, title or url, "test", kind, when)


def apply(db, ev, url, kind=EvidenceKind.NEWS, *, silent=False, subscribers=(DESK,)):
    return record_event(
        db,
        ev,
        evidence=ref(url, kind, ev.published),
        silent=silent,
        subscribers=subscribers,
        now=NOW,
    )


REPORT_2012 = event(
    Framework.PRE_2013, date(2012, 2, 6), date(2012, 2, 17), date(2012, 3, 20), overall=A
)
REPORT_2017 = event(
    Framework.SIF,
    date(2017, 5, 30),
    date(2017, 6, 22),
    date(2017, 8, 10),
    overall=G,
    help_and_protection=G,
    in_care=G,
    adoption=OUT,
    care_leavers=G,
    leaders=G,
    lscb=G,
)
NEWS_2017 = event(
    Framework.UNKNOWN, published=date(2017, 8, 12), previous=A, overall=G, adoption=OUT
)
REPORT_2022 = event(
    Framework.ILACS,
    date(2022, 3, 14),
    date(2022, 3, 25),
    date(2022, 5, 18),
    overall=G,
    leaders=G,
    help_and_protection=G,
    in_care=G,
)
PRESS_2022 = event(Framework.UNKNOWN, published=date(2022, 5, 18), previous=G, overall=G)
REPORT_2025 = event(
    Framework.ILACS,
    date(2025, 5, 12),
    date(2025, 5, 23),
    date(2025, 7, 15),
    overall=RI,
    leaders=RI,
    help_and_protection=RI,
    in_care=RI,
    care_leavers=G,
)
NEWS_2025 = event(Framework.UNKNOWN, published=date(2025, 7, 16), previous=G, overall=RI)


def test_stockport_history_alerts_twice(db):
    assert apply(db, REPORT_2012, "r2012", EvidenceKind.REPORT, silent=True).deliveries == 0
    up = apply(db, REPORT_2017, "r2017", EvidenceKind.REPORT)
    assert (up.status, up.deliveries) == ("new_inspection", 2)
    assert [(c.judgement.value, c.before, c.after) for c in up.changes if c.before] == [
        ("overall", A, G)
    ]
    assert apply(db, NEWS_2017, "n2017").status == "evidence_added"
    same = apply(db, REPORT_2022, "r2022", EvidenceKind.REPORT)
    assert (same.status, same.changes, same.deliveries) == ("new_inspection", (), 0)
    assert apply(db, PRESS_2022, "p2022").inspection_id == same.inspection_id
    down = apply(db, REPORT_2025, "r2025", EvidenceKind.REPORT)
    assert down.deliveries == 2
    kinds = {c.judgement.value: (c.before, c.after) for c in down.changes}
    assert kinds["overall"] == (G, RI) and kinds["care_leavers"] == (None, G)
    late = apply(db, NEWS_2025, "n2025")
    assert (late.status, late.inspection_id, late.deliveries) == (
        "evidence_added",
        down.inspection_id,
        0,
    )

    records = history(db, STOCKPORT)
    assert [r.framework for r in records] == [
        Framework.PRE_2013,
        Framework.SIF,
        Framework.ILACS,
        Framework.ILACS,
    ]
    assert [len(r.evidence) for r in records] == [1, 2, 2, 2]
    assert len(outbox_rows(db)) == 4
    assert len(changes_between(db, datetime(2000, 1, 1, tzinfo=UTC))) == 2


def test_news_first_then_report_merges_without_second_alert(db):
    apply(db, REPORT_2022, "r2022", EvidenceKind.REPORT, silent=True)
    first = apply(db, NEWS_2025, "n2025")
    assert (first.status, first.deliveries) == ("new_inspection", 2)
    merged = apply(db, REPORT_2025, "r2025", EvidenceKind.REPORT)
    assert (merged.status, merged.inspection_id, merged.deliveries) == (
        "evidence_added",
        first.inspection_id,
        0,
    )
    latest = history(db, STOCKPORT)[-1]
    assert latest.grades_from is EvidenceKind.REPORT
    assert latest.inspection_end == date(2025, 5, 23)
    assert latest.grades.care_leavers is G
    assert len(outbox_rows(db)) == 2


def test_report_overturning_news_alerts_a_correction(db):
    apply(db, REPORT_2022, "r2022", EvidenceKind.REPORT, silent=True)
    wrong = event(Framework.UNKNOWN, published=date(2025, 7, 16), overall=INAD)
    first = apply(db, wrong, "n-wrong")
    assert first.deliveries == 2
    fixed = apply(db, REPORT_2025, "r2025", EvidenceKind.REPORT)
    assert (fixed.status, fixed.inspection_id, fixed.deliveries) == (
        "conflict",
        first.inspection_id,
        2,
    )
    latest = history(db, STOCKPORT)[-1]
    assert latest.conflict and latest.grades.overall is RI
    assert [e.agrees for e in latest.evidence] == [True, False]  # report first
    kinds = [c.kind for c in changes_between(db, datetime(2000, 1, 1, tzinfo=UTC))]
    assert kinds == ["change", "correction"]


def test_conflicting_news_after_report_is_flagged_not_alerted(db):
    apply(db, REPORT_2022, "r2022", EvidenceKind.REPORT, silent=True)
    apply(db, REPORT_2025, "r2025", EvidenceKind.REPORT)
    odd = event(Framework.UNKNOWN, published=date(2025, 8, 1), overall=INAD)
    result = apply(db, odd, "n-odd")
    assert (result.status, result.deliveries) == ("conflict", 0)
    latest = history(db, STOCKPORT)[-1]
    assert latest.conflict and latest.grades.overall is RI


def test_late_history_import_is_silent(db):
    apply(db, REPORT_2017, "r2017", EvidenceKind.REPORT, silent=True)
    older = apply(db, REPORT_2012, "r2012", EvidenceKind.REPORT)
    assert (older.status, older.deliveries) == ("new_inspection", 0)
    assert [r.inspection_end.year for r in history(db, STOCKPORT)] == [2012, 2017]


def test_reapplying_an_event_changes_nothing(db):
    apply(db, REPORT_2022, "r2022", EvidenceKind.REPORT, silent=True)
    apply(db, REPORT_2025, "r2025", EvidenceKind.REPORT)
    again = apply(db, REPORT_2025, "r2025", EvidenceKind.REPORT)
    assert (again.status, again.deliveries) == ("evidence_added", 0)
    assert len(history(db, STOCKPORT)[-1].evidence) == 1
    assert len(outbox_rows(db)) == 2


def test_press_release_before_report_moves_to_its_inspection(db):
    apply(db, REPORT_2017, "r2017", EvidenceKind.REPORT, silent=True)
    early = apply(db, PRESS_2022, "p2022")  # "remains good": no new inspection from news alone
    assert early.status == "evidence_added"
    report = apply(db, REPORT_2022, "r2022", EvidenceKind.REPORT)
    assert report.deliveries == 0
    records = history(db, STOCKPORT)
    assert [e.url for e in records[-1].evidence] == ["r2022", "p2022"]
    assert [e.url for e in records[0].evidence] == ["r2017"]


def test_rollback_leaves_no_trace(db):
    apply(db, REPORT_2022, "r2022", EvidenceKind.REPORT, silent=True)
    with pytest.raises(RuntimeError), db.atomic():
        apply(db, REPORT_2025, "r2025", EvidenceKind.REPORT)
        raise RuntimeError("crash after the change, before the item commits")
    assert len(history(db, STOCKPORT)) == 1
    assert outbox_rows(db) == []


def test_publications_and_history_table(db):
    apply(db, REPORT_2022, "r2022", EvidenceKind.REPORT, silent=True)
    apply(db, REPORT_2025, "https://files.example/<b>r2025", EvidenceKind.REPORT)
    assert record_publication(
        db,
        council=STOCKPORT,
        kind=PublicationKind.FOCUSED_VISIT,
        published=date(2023, 10, 4),
        url="fv",
        source="ofsted",
        now=NOW,
    )
    assert not record_publication(
        db,
        council=STOCKPORT,
        kind=PublicationKind.FOCUSED_VISIT,
        published=date(2023, 10, 4),
        url="fv",
        source="ofsted",
        now=NOW,
    )
    text = render_history(db, STOCKPORT)
    lines = text.splitlines()
    assert lines[0] == "Stockport (356) children's services: inspection history"
    assert lines[1].startswith("2022-03-25  ILACS")
    assert "2023-10-04  focused visit (ungraded)  fv" in lines
    assert "    Care leavers             Good" in lines
    assert "    Overall effectiveness    Requires improvement to be good" in lines
    assert len(outbox_rows(db)) == 2  # the 2025 change; publications never alert


def test_news_stating_its_previous_grade_alerts_on_a_fresh_timeline(db):
    """A fresh install (or one whose Ofsted source is unreachable) hears of a news-only
    downgrade: "rated inadequate, down from good" is a change with nothing earlier recorded."""
    news = event(Framework.UNKNOWN, published=date(2026, 3, 2), previous=G, overall=INAD)
    applied = apply(db, news, "https://news.example/downgrade")
    assert [(c.before, c.after) for c in applied.changes] == [(G, INAD)]
    assert applied.deliveries == 2
    assert [r.changes[0].after for r in changes_between(db, NOW)] == [INAD]
    assert render_history(db, STOCKPORT).splitlines()[1] == (
        "2026-03-02  ILACS    reported 2026-03-02  [NEWS ONLY: no report seen yet]"
    )


def test_news_stating_no_previous_grade_stays_silent_on_a_fresh_timeline(db):
    news = event(Framework.UNKNOWN, published=date(2026, 3, 2), overall=INAD)
    applied = apply(db, news, "https://news.example/rated")
    assert applied.changes == () and applied.deliveries == 0


def test_a_report_correcting_news_measured_from_its_stated_grade_alerts_a_correction(db):
    news = event(Framework.UNKNOWN, published=date(2026, 3, 2), previous=G, overall=INAD)
    apply(db, news, "https://news.example/downgrade")
    report = event(
        Framework.ILACS, date(2026, 1, 12), date(2026, 1, 23), date(2026, 3, 1), overall=RI
    )
    applied = apply(db, report, "https://files.example/report.pdf", EvidenceKind.REPORT)
    assert applied.status == "conflict"
    assert [(c.before, c.after) for c in applied.changes] == [(G, RI)]
    assert applied.deliveries == 2  # subscribers told "inadequate" hear the report says otherwise
