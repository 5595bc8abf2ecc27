"""Apply one rating event to one council's timeline: pure policy, no SQL, no I/O.

``plan_event`` matches the event to the inspection it reports, or plans a new one:

- Dated events (report PDFs, dated news) match an inspection whose dates are within
  ``DATE_SLACK`` of theirs; two different dated inspections are two inspections.
- Undated news matches an inspection when it was published from ``DATE_SLACK`` before the
  inspection ended to ``NEWS_WINDOW`` after its end or publication; a stated previous grade
  that equals the grade of the inspection before it confirms the match. Undated news outside
  every window whose grades agree with the latest inspection is late coverage of it.
- Otherwise the event reports a new inspection (news often comes first) and may alert.

Merging: agreeing evidence fills gaps; an official report replaces grades that came from news.
A report that agrees with them *confirms* them (``TimelinePlan.confirms``): subscribers who wait
for the report hear of the news's change then.
When the report's grades disagree with news grades already recorded, the report wins, the
inspection is flagged ``conflict``, and a *correction* is alerted only if an alert went out for
the news grades or the report itself shows a change (documented decision: subscribers who were
told "downgraded to inadequate" must hear that the report says otherwise; when news and report
agree nothing more is sent). Disagreeing news after a report is kept as evidence, flagged, and
never alerts. A silent event (backfill, imported history) plans everything as silent, and so
does a new inspection older than the council's latest.

The result is a ``TimelinePlan``: what to write. The store saves it; the pipeline routes its
change to subscribers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from ..models import (
    Council,
    EvidenceKind,
    Framework,
    Grades,
    JudgementChange,
    RatingEvent,
)
from ..records import (
    CouncilTimeline,
    EvidenceRecord,
    EvidenceRef,
    GradedInspection,
    InspectionFields,
    InspectionRecord,
    PlannedChange,
    TimelinePlan,
)
from .changes import detect_changes, graded_only, grades_compatible, is_alerting

NEWS_WINDOW = timedelta(days=120)
DATE_SLACK = timedelta(days=14)


def plan_event(
    timeline: CouncilTimeline, event: RatingEvent, evidence: EvidenceRef, *, silent: bool
) -> TimelinePlan:
    """What recording ``event`` (cited as ``evidence``) in ``timeline`` writes."""
    records = timeline.inspections
    published = event.published or (evidence.published.date() if evidence.published else None)
    match = _match(event, evidence.kind, published, records)
    if match is None:
        return _new_inspection(event, evidence, published, records, silent)
    return _merge(timeline, event, evidence, match, silent)


def _match(
    event: RatingEvent,
    kind: EvidenceKind,
    published: date | None,
    records: Sequence[InspectionRecord],
) -> InspectionRecord | None:
    best: tuple[int, date, InspectionRecord] | None = None
    for index, record in enumerate(records):
        score = _window_score(event, published, record)
        if score is None:
            continue
        if grades_compatible(event.grades, record.grades):
            score += 2
        if index > 0 and _confirms_previous(event, records[index - 1]):
            score += 1
        key = (score, record.when or date.min, record)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is not None:
        return best[2]
    latest = records[-1] if records else None
    undated = event.inspection_start is None and event.inspection_end is None
    if (
        latest is not None
        and undated
        and kind is EvidenceKind.NEWS
        and grades_compatible(event.grades, latest.grades)
        and (published is None or latest.when is None or published >= latest.when)
    ):
        return latest  # late coverage of the latest inspection ("remains good")
    return None


def _window_score(
    event: RatingEvent, published: date | None, record: InspectionRecord
) -> int | None:
    """How surely ``event`` and ``record`` are one inspection judged by dates; None: not."""
    event_end = event.inspection_end or event.inspection_start
    record_end = record.inspection_end or record.inspection_start
    if event_end is not None and record_end is not None:
        return 10 if _dates_overlap(event, record) else None
    if event_end is not None:  # the record was born of undated news
        news = record.published
        return 5 if news is not None and _in_window(news, event_end, event_end) else None
    if published is None:
        return None
    if record_end is not None:
        return 5 if _in_window(published, record_end, record.published or record_end) else None
    if record.published is not None and abs(published - record.published) <= NEWS_WINDOW:
        return 3
    return None


def _in_window(day: date, ended: date, reported: date) -> bool:
    return ended - DATE_SLACK <= day <= max(ended, reported) + NEWS_WINDOW


def _dates_overlap(event: RatingEvent, record: InspectionRecord) -> bool:
    a_start = event.inspection_start or event.inspection_end
    a_end = event.inspection_end or event.inspection_start
    b_start = record.inspection_start or record.inspection_end
    b_end = record.inspection_end or record.inspection_start
    assert a_start and a_end and b_start and b_end
    return a_start - DATE_SLACK <= b_end and b_start - DATE_SLACK <= a_end


def _confirms_previous(event: RatingEvent, before: InspectionRecord) -> bool:
    stated, known = event.previous, before.grades.overall
    return stated is not None and known is not None and stated.rank == known.rank


def _new_inspection(
    event: RatingEvent,
    evidence: EvidenceRef,
    published: date | None,
    records: Sequence[InspectionRecord],
    silent: bool,
) -> TimelinePlan:
    dated = event.inspection_end or event.inspection_start or published
    framework = event.framework
    if framework is Framework.UNKNOWN:
        framework = Framework.for_date(event.inspection_end or event.inspection_start or published)
    fields = InspectionFields(
        framework=framework,
        inspection_start=event.inspection_start,
        inspection_end=event.inspection_end,
        published=published,
        grades=event.grades,
        grades_from=evidence.kind,
        conflict=False,
    )
    adopt = _late_coverage(event, records) if event.inspection_end or event.inspection_start else ()
    earlier = [r for r in records if dated is None or r.when is None or r.when < dated]
    previous = earlier[-1] if earlier else None
    latest = len(earlier) == len(records)
    current = GradedInspection(framework, event.grades, dated)
    baseline = previous.graded if previous else _stated_previous(event) if latest else None
    changes = detect_changes(baseline, current)
    plan = TimelinePlan("new_inspection", None, fields, True, adopt=adopt, changes=changes)
    if baseline is None or not is_alerting(changes):
        return plan
    quiet = silent or not latest
    previous_id = previous.id if previous else None
    return replace(plan, change=PlannedChange(previous_id, changes, None, quiet))


def _stated_previous(event: RatingEvent) -> GradedInspection | None:
    """With nothing earlier in the timeline, the previous grade the item itself states
    ("rated inadequate, down from good") is the baseline: a fresh install, or one whose Ofsted
    source is unreachable, still hears of a news-only downgrade. The framework is unknown, so
    only the stated judgement is compared; a later report corrects it if the news was wrong."""
    if event.previous is None:
        return None
    return GradedInspection(Framework.UNKNOWN, Grades(overall=event.previous))


def _late_coverage(
    event: RatingEvent, records: Sequence[InspectionRecord]
) -> tuple[tuple[int, str], ...]:
    """Undated news first filed as late coverage of an older inspection ("remains good")
    moves to this newly reported inspection when it falls in this one's window instead."""
    end = event.inspection_end or event.inspection_start
    assert end is not None
    moved = []
    for record in records:
        for item in record.evidence:
            day = item.published.date() if item.published else None
            if (
                item.kind is EvidenceKind.NEWS
                and day is not None
                and _in_window(day, end, event.published or end)
                and _window_score(_undated(item), day, record) is None
                and grades_compatible(item.grades, event.grades)
            ):
                moved.append((record.id, item.url))
    return tuple(moved)


def _undated(item: EvidenceRecord) -> RatingEvent:
    """An evidence row as an undated event, to re-run the window test on it."""
    return RatingEvent(
        council=Council(la_code="", name="", urn=""),
        framework=Framework.UNKNOWN,
        grades=item.grades,
        previous=item.previous,
    )


def _merge(
    timeline: CouncilTimeline,
    event: RatingEvent,
    evidence: EvidenceRef,
    record: InspectionRecord,
    silent: bool,
) -> TimelinePlan:
    agrees = grades_compatible(event.grades, record.grades)
    report_over_news = (
        evidence.kind is EvidenceKind.REPORT and record.grades_from is EvidenceKind.NEWS
    )
    # The official report is never the disagreeing party when it overrules news.
    evidence_agrees = agrees or report_over_news
    if agrees:
        grades = (
            event.grades.merged(record.grades)
            if report_over_news
            else record.grades.merged(event.grades)
        )
        fields = _updated(record, event, grades, evidence.kind, conflict=record.conflict)
        plan = TimelinePlan("evidence_added", record.id, fields, evidence_agrees)
        return replace(plan, confirms=report_over_news)
    if not report_over_news:
        flagged = replace(_as_fields(record), conflict=True)
        return TimelinePlan("conflict", record.id, flagged, evidence_agrees)
    return _correct(timeline, event, evidence, record, silent)


def _correct(
    timeline: CouncilTimeline,
    event: RatingEvent,
    evidence: EvidenceRef,
    record: InspectionRecord,
    silent: bool,
) -> TimelinePlan:
    """The official report overturns grades that came from news: it wins, and the change is
    re-judged against the previous inspection."""
    records = timeline.inspections
    grades = event.grades.merged(record.grades)
    fields = _updated(record, event, grades, evidence.kind, conflict=True)
    disagreeing = tuple(
        item.url
        for item in record.evidence
        if item.kind is EvidenceKind.NEWS and not grades_compatible(item.grades, grades)
    )
    index = next(i for i, r in enumerate(records) if r.id == record.id)
    previous = records[index - 1] if index > 0 else None
    corrected = replace(record, grades=grades, framework=_framework(event, record))
    alerted = timeline.alerted.get(record.id)
    baseline = previous.graded if previous else _alerted_baseline(alerted)
    changes = detect_changes(baseline, corrected.graded)
    plan = TimelinePlan(
        "conflict", record.id, fields, True, disagreeing=disagreeing, changes=changes
    )
    if baseline is None or (alerted is None and not is_alerting(changes)):
        return plan
    quiet = silent or index != len(records) - 1
    previous_id = previous.id if previous else None
    change = PlannedChange(previous_id, changes, record.grades, quiet, earlier=alerted or ())
    return replace(plan, change=change)


def _alerted_baseline(
    alerted: tuple[JudgementChange, ...] | None,
) -> GradedInspection | None:
    """The grades an alert measured from when the timeline had nothing earlier: the "from"
    side of each change it announced (the previous grade the news stated)."""
    if not alerted:
        return None
    grades = Grades()
    for change in alerted:
        grades = grades.with_grade(change.judgement, change.before)
    return GradedInspection(Framework.UNKNOWN, grades)


def _updated(
    record: InspectionRecord,
    event: RatingEvent,
    grades: Grades,
    kind: EvidenceKind,
    *,
    conflict: bool,
) -> InspectionFields:
    """Fill the record's gaps (dates, framework) from the event; a report's dates win."""
    report = kind is EvidenceKind.REPORT
    start = (
        (event.inspection_start if report else None)
        or record.inspection_start
        or event.inspection_start
    )
    end = (
        (event.inspection_end if report else None) or record.inspection_end or event.inspection_end
    )
    published = record.published
    if report and event.published:
        published = event.published
    grades_from = EvidenceKind.REPORT if report else record.grades_from
    framework = _framework(event, record)
    if grades_from is EvidenceKind.REPORT:
        # The report is the record: a loose "rated good" in the news never adds a judgement
        # the framework does not give (no overall grade after April 2026). News alone is kept
        # as it was said, so that news that comes first can still alert.
        grades = graded_only(grades, framework, end or start or published)
    return InspectionFields(framework, start, end, published, grades, grades_from, conflict)


def _as_fields(record: InspectionRecord) -> InspectionFields:
    return InspectionFields(
        record.framework,
        record.inspection_start,
        record.inspection_end,
        record.published,
        record.grades,
        record.grades_from,
        record.conflict,
    )


def _framework(event: RatingEvent, record: InspectionRecord) -> Framework:
    if event.framework is not Framework.UNKNOWN and (
        record.framework is Framework.UNKNOWN or record.grades_from is EvidenceKind.NEWS
    ):
        return event.framework
    return record.framework
