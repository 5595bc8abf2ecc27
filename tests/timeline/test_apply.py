"""The timeline policy on records alone: no database, no I/O."""

from __future__ import annotations

from datetime import UTC, date, datetime

from monitor.councils import load_councils
from monitor.models import EvidenceKind, Framework, Grade, Grades, Judgement, RatingEvent
from monitor.records import (
    CouncilTimeline,
    EvidenceRecord,
    EvidenceRef,
    InspectionRecord,
)
from monitor.timeline.apply import plan_event

G, RI, INAD = Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE
STOCKPORT = load_councils().by_name("Stockport")
REPORT, NEWS = EvidenceKind.REPORT, EvidenceKind.NEWS
EMPTY = CouncilTimeline((), {})


def _event(*, start=None, end=None, published=None, previous=None, **grades) -> RatingEvent:
    assert STOCKPORT is not None
    return RatingEvent(
        council=STOCKPORT,
        framework=Framework.ILACS if start else Framework.UNKNOWN,
        grades=Grades(**grades),
        previous=previous,
        inspection_start=start,
        inspection_end=end,
        published=published,
    )


def _ref(kind: EvidenceKind, url: str, published: date | None = None) -> EvidenceRef:
    when = (
        datetime(published.year, published.month, published.day, tzinfo=UTC) if published else None
    )
    return EvidenceRef(None, url, "t", "fixture", kind, when)


def _inspection(
    id: int, start: date, end: date, kind: EvidenceKind = REPORT, evidence=(), **grades
) -> InspectionRecord:
    return InspectionRecord(
        id=id,
        la_code="356",
        council="Stockport",
        framework=Framework.ILACS,
        inspection_start=start,
        inspection_end=end,
        published=end,
        grades=Grades(**grades),
        grades_from=kind,
        conflict=False,
        evidence=tuple(evidence),
    )


def test_first_sight_of_a_council_records_without_a_change() -> None:
    event = _event(start=date(2025, 5, 12), end=date(2025, 5, 23), overall=RI)
    plan = plan_event(EMPTY, event, _ref(REPORT, "r1"), silent=False)
    assert plan.status == "new_inspection" and plan.inspection_id is None
    assert plan.fields is not None and plan.fields.grades.overall is RI
    assert plan.change is None


def test_a_new_inspection_after_an_older_one_plans_a_downgrade() -> None:
    older = _inspection(1, date(2022, 3, 1), date(2022, 3, 11), overall=G)
    event = _event(start=date(2025, 5, 12), end=date(2025, 5, 23), overall=RI)
    plan = plan_event(CouncilTimeline((older,), {}), event, _ref(REPORT, "r2"), silent=False)
    assert plan.change is not None and not plan.change.silent
    assert plan.change.previous_id == 1 and plan.change.kind == "change"
    [change] = plan.change.changes
    assert (change.judgement, change.before, change.after) == (Judgement.OVERALL, G, RI)


def test_backfill_and_history_older_than_the_latest_are_quiet() -> None:
    older = _inspection(1, date(2017, 3, 1), date(2017, 3, 11), overall=G)
    newer = _inspection(2, date(2025, 5, 12), date(2025, 5, 23), overall=RI, leaders=RI)
    timeline = CouncilTimeline((older, newer), {})
    middle = _event(start=date(2022, 3, 1), end=date(2022, 3, 11), overall=INAD)
    plan = plan_event(timeline, middle, _ref(REPORT, "r3"), silent=False)
    assert plan.change is not None and plan.change.silent  # not the latest: recorded, quiet
    latest = _event(start=date(2026, 5, 1), end=date(2026, 5, 8), leaders=INAD)
    plan = plan_event(timeline, latest, _ref(REPORT, "r4"), silent=True)
    assert plan.change is not None and plan.change.silent


def test_undated_news_agreeing_with_the_latest_is_late_coverage() -> None:
    latest = _inspection(1, date(2025, 5, 12), date(2025, 5, 23), overall=RI)
    event = _event(published=date(2026, 1, 5), overall=RI)
    plan = plan_event(CouncilTimeline((latest,), {}), event, _ref(NEWS, "n1"), silent=False)
    assert plan.status == "evidence_added" and plan.inspection_id == 1 and plan.change is None


def test_disagreeing_news_after_a_report_is_flagged_and_never_alerts() -> None:
    report = _inspection(1, date(2025, 5, 12), date(2025, 5, 23), overall=RI)
    event = _event(published=date(2025, 7, 20), overall=INAD)
    plan = plan_event(CouncilTimeline((report,), {}), event, _ref(NEWS, "n2"), silent=False)
    assert plan.status == "conflict" and not plan.evidence_agrees
    assert plan.fields is not None and plan.fields.conflict and plan.change is None


def test_a_report_agreeing_with_news_grades_confirms_them_and_nothing_else() -> None:
    older = _inspection(1, date(2022, 3, 1), date(2022, 3, 11), overall=G)
    news = _inspection(2, date(2025, 5, 12), date(2025, 5, 23), NEWS, overall=RI)
    report = _event(start=date(2025, 5, 12), end=date(2025, 5, 23), overall=RI, in_care=RI)
    plan = plan_event(CouncilTimeline((older, news), {}), report, _ref(REPORT, "r"), silent=False)
    assert plan.status == "evidence_added" and plan.inspection_id == 2 and plan.confirms
    assert plan.fields is not None and plan.fields.grades_from is REPORT and plan.change is None
    again = _inspection(2, date(2025, 5, 12), date(2025, 5, 23), REPORT, overall=RI)
    copy = plan_event(CouncilTimeline((older, again), {}), report, _ref(REPORT, "r2"), silent=False)
    assert not copy.confirms  # already the report's grades
    late = plan_event(
        CouncilTimeline((older, news), {}),
        _event(published=date(2025, 8, 1), overall=RI),
        _ref(NEWS, "n"),
        silent=False,
    )
    assert not late.confirms  # more news confirms nothing


def test_a_report_overturning_alerted_news_plans_a_correction() -> None:
    older = _inspection(1, date(2022, 3, 1), date(2022, 3, 11), overall=G)
    wrong = EvidenceRecord(
        "n3", "t", "fixture", NEWS, datetime(2025, 7, 20, tzinfo=UTC), Grades(overall=INAD), G, True
    )
    news = _inspection(2, date(2025, 5, 12), date(2025, 5, 23), NEWS, [wrong], overall=INAD)
    alerted = {
        2: plan_event(
            CouncilTimeline((older,), {}),
            _event(start=date(2025, 5, 12), end=date(2025, 5, 23), overall=INAD),
            _ref(NEWS, "n3"),
            silent=False,
        ).changes
    }
    timeline = CouncilTimeline((older, news), alerted)
    report = _event(start=date(2025, 5, 12), end=date(2025, 5, 23), overall=RI)
    plan = plan_event(timeline, report, _ref(REPORT, "r5"), silent=False)
    assert plan.status == "conflict" and plan.inspection_id == 2
    assert plan.disagreeing == ("n3",)
    assert plan.change is not None and plan.change.kind == "correction"
    assert plan.change.replaced == Grades(overall=INAD)
    assert [(c.before, c.after) for c in plan.change.changes] == [(G, RI)]


def test_a_stated_previous_grade_is_the_baseline_when_nothing_is_earlier() -> None:
    event = _event(published=date(2026, 3, 2), previous=G, overall=INAD)
    plan = plan_event(EMPTY, event, _ref(NEWS, "n4", date(2026, 3, 2)), silent=False)
    assert plan.change is not None and plan.change.previous_id is None
    assert [(c.before, c.after) for c in plan.change.changes] == [(G, INAD)]
    adequate_then = _event(published=date(2026, 3, 2), previous=Grade.ADEQUATE, overall=RI)
    plan = plan_event(EMPTY, adequate_then, _ref(NEWS, "n5", date(2026, 3, 2)), silent=False)
    assert plan.change is None  # adequate -> requires improvement is no change
