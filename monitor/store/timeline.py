"""One timeline per council: inspections, their evidence, the changes between them.

``apply_event`` matches a rating event to the inspection it reports, or creates one:

- Dated events (report PDFs, dated news) match an inspection whose dates are within
  ``DATE_SLACK`` of theirs; two different dated inspections are two inspections.
- Undated news matches an inspection when it was published from ``DATE_SLACK`` before the
  inspection ended to ``NEWS_WINDOW`` after its end or publication; a stated previous grade
  that equals the grade of the inspection before it confirms the match. Undated news outside
  every window whose grades agree with the latest inspection is late coverage of it.
- Otherwise the event reports a new inspection (news often comes first) and may alert.

Merging: agreeing evidence fills gaps; an official report replaces grades that came from news.
When the report's grades disagree with news grades already recorded, the report wins, the
inspection is flagged ``conflict``, and a *correction* is alerted only if an alert went out for
the news grades or the report itself shows a change (documented decision: subscribers who were
told "downgraded to inadequate" must hear that the report says otherwise; when news and report
agree nothing more is sent). Disagreeing news after a report is kept as evidence, flagged, and
never alerts. A silent event (backfill, imported history) records everything without outbox
rows, and so does a new inspection older than the council's latest.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, Literal

import sqlite_utils

from ..alerts.route import change_kinds, route
from ..config import SubscriberConfig
from ..councils import load_councils
from ..models import (
    Council,
    EvidenceKind,
    Framework,
    Grade,
    Grades,
    Judgement,
    JudgementChange,
    PublicationKind,
    RatingEvent,
)
from ..timeline.changes import (
    GradedInspection,
    detect_changes,
    graded_only,
    grades_compatible,
    is_alerting,
)
from . import outbox
from .outbox import timestamp

NEWS_WINDOW = timedelta(days=120)
DATE_SLACK = timedelta(days=14)

Status = Literal["new_inspection", "evidence_added", "conflict"]


@dataclass(frozen=True)
class EvidenceRef:
    """The item an event came from, as the timeline cites it."""

    item_id: int | None
    url: str
    title: str
    source: str
    kind: EvidenceKind
    published: datetime | None


@dataclass(frozen=True)
class AppliedEvent:
    """What ``apply_event`` did: the inspection touched, how, the changes it alerted."""

    inspection_id: int
    status: Status
    changes: tuple[JudgementChange, ...]
    deliveries: int


@dataclass(frozen=True)
class EvidenceRecord:
    url: str
    title: str
    source: str
    kind: EvidenceKind
    published: datetime | None
    grades: Grades
    previous: Grade | None
    agrees: bool
    needs_review: tuple[str, ...] = ()  # "field: reason" for fields that could not be read


@dataclass(frozen=True)
class InspectionRecord:
    """One inspection of one council, with every judgement and every piece of evidence."""

    id: int
    la_code: str
    council: str
    framework: Framework
    inspection_start: date | None
    inspection_end: date | None
    published: date | None
    grades: Grades
    grades_from: EvidenceKind
    conflict: bool
    evidence: tuple[EvidenceRecord, ...] = ()

    @property
    def when(self) -> date | None:
        """The date the timeline orders by: the inspection's end, else its start or report."""
        return self.inspection_end or self.inspection_start or self.published

    @property
    def graded(self) -> GradedInspection:
        return GradedInspection(self.framework, self.grades, self.when)


@dataclass(frozen=True)
class PublicationRecord:
    la_code: str
    kind: PublicationKind
    published: date | None
    url: str
    source: str


@dataclass(frozen=True)
class ChangeRecord:
    """A recorded change (or correction) with what an alert or digest needs to describe it."""

    id: int
    council: Council
    kind: Literal["change", "correction"]
    changes: tuple[JudgementChange, ...]
    replaced: Grades | None  # a correction: the grades it overturns
    silent: bool
    detected: datetime
    inspection: InspectionRecord


# -- applying events -------------------------------------------------------------------------


def apply_event(
    db: sqlite_utils.Database,
    event: RatingEvent,
    *,
    evidence: EvidenceRef,
    silent: bool,
    subscribers: Sequence[SubscriberConfig],
    now: datetime,
) -> AppliedEvent:
    """Record what ``event`` says in the council's timeline, in one transaction together with
    the outbox rows of any change it reveals (none when ``silent``)."""
    with db.atomic():
        records = _inspections(db, event.council.la_code)
        published = event.published or (evidence.published.date() if evidence.published else None)
        match = _match(event, evidence.kind, published, records)
        if match is None:
            return _new_inspection(
                db, event, evidence, published, records, silent, subscribers, now
            )
        return _merge(db, event, evidence, match, records, silent, subscribers, now)


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
    db: sqlite_utils.Database,
    event: RatingEvent,
    evidence: EvidenceRef,
    published: date | None,
    records: Sequence[InspectionRecord],
    silent: bool,
    subscribers: Sequence[SubscriberConfig],
    now: datetime,
) -> AppliedEvent:
    dated = event.inspection_end or event.inspection_start or published
    framework = event.framework
    if framework is Framework.UNKNOWN:
        framework = Framework.for_date(event.inspection_end or event.inspection_start or published)
    row = {
        "la_code": event.council.la_code,
        "council": event.council.name,
        "framework": framework.value,
        "inspection_start": _iso(event.inspection_start),
        "inspection_end": _iso(event.inspection_end),
        "published": _iso(published),
        "grades": json.dumps(event.grades.to_json()),
        "grades_from": evidence.kind.value,
        "conflict": 0,
        "created": timestamp(now),
        "updated": timestamp(now),
    }
    inspection_id = _insert(db, "inspections", row)
    _add_evidence(db, inspection_id, event, evidence, agrees=True, now=now)
    if event.inspection_end or event.inspection_start:
        _adopt_late_coverage(db, inspection_id, event, records)
    earlier = [r for r in records if dated is None or r.when is None or r.when < dated]
    previous = earlier[-1] if earlier else None
    latest = len(earlier) == len(records)
    current = GradedInspection(framework, event.grades, dated)
    changes = detect_changes(previous.graded if previous else None, current)
    if previous is None or not is_alerting(changes):
        return AppliedEvent(inspection_id, "new_inspection", changes, 0)
    quiet = silent or not latest
    deliveries = _record_change(
        db, event.council, inspection_id, previous.id, changes, None, quiet, subscribers, now
    )
    return AppliedEvent(inspection_id, "new_inspection", changes, deliveries)


def _adopt_late_coverage(
    db: sqlite_utils.Database,
    inspection_id: int,
    event: RatingEvent,
    records: Sequence[InspectionRecord],
) -> None:
    """Undated news first filed as late coverage of an older inspection ("remains good")
    moves to this newly reported inspection when it falls in this one's window instead."""
    end = event.inspection_end or event.inspection_start
    assert end is not None
    for record in records:
        for item in _evidence(db, record.id):
            day = item.published.date() if item.published else None
            if (
                item.kind is EvidenceKind.NEWS
                and day is not None
                and _in_window(day, end, event.published or end)
                and _window_score(_undated(item), day, record) is None
                and grades_compatible(item.grades, event.grades)
            ):
                db.execute(
                    "UPDATE OR IGNORE evidence SET inspection_id = ? WHERE inspection_id = ?"
                    " AND url = ?",
                    [inspection_id, record.id, item.url],
                )


def _undated(item: EvidenceRecord) -> RatingEvent:
    """An evidence row as an undated event, to re-run the window test on it."""
    return RatingEvent(
        council=Council(la_code="", name="", urn=""),
        framework=Framework.UNKNOWN,
        grades=item.grades,
        previous=item.previous,
    )


def _merge(
    db: sqlite_utils.Database,
    event: RatingEvent,
    evidence: EvidenceRef,
    record: InspectionRecord,
    records: Sequence[InspectionRecord],
    silent: bool,
    subscribers: Sequence[SubscriberConfig],
    now: datetime,
) -> AppliedEvent:
    agrees = grades_compatible(event.grades, record.grades)
    report_over_news = (
        evidence.kind is EvidenceKind.REPORT and record.grades_from is EvidenceKind.NEWS
    )
    # The official report is never the disagreeing party when it overrules news.
    _add_evidence(db, record.id, event, evidence, agrees=agrees or report_over_news, now=now)
    if agrees:
        grades = (
            event.grades.merged(record.grades)
            if report_over_news
            else record.grades.merged(event.grades)
        )
        _update_inspection(
            db, record, event, grades, evidence.kind, conflict=record.conflict, now=now
        )
        return AppliedEvent(record.id, "evidence_added", (), 0)
    if not report_over_news:
        db.execute(
            "UPDATE inspections SET conflict = 1, updated = ? WHERE id = ?",
            [timestamp(now), record.id],
        )
        return AppliedEvent(record.id, "conflict", (), 0)
    return _correct(db, event, evidence, record, records, silent, subscribers, now)


def _correct(
    db: sqlite_utils.Database,
    event: RatingEvent,
    evidence: EvidenceRef,
    record: InspectionRecord,
    records: Sequence[InspectionRecord],
    silent: bool,
    subscribers: Sequence[SubscriberConfig],
    now: datetime,
) -> AppliedEvent:
    """The official report overturns grades that came from news: it wins, and the change is
    re-judged against the previous inspection."""
    grades = event.grades.merged(record.grades)
    _update_inspection(db, record, event, grades, evidence.kind, conflict=True, now=now)
    for item in _evidence(db, record.id):
        if item.kind is EvidenceKind.NEWS and not grades_compatible(item.grades, grades):
            db.execute(
                "UPDATE evidence SET agrees = 0 WHERE inspection_id = ? AND url = ?",
                [record.id, item.url],
            )
    index = next(i for i, r in enumerate(records) if r.id == record.id)
    previous = records[index - 1] if index > 0 else None
    corrected = replace(record, grades=grades, framework=_framework(event, record))
    changes = detect_changes(previous.graded if previous else None, corrected.graded)
    alerted = _alerted_change(db, record.id)
    if previous is None or (alerted is None and not is_alerting(changes)):
        return AppliedEvent(record.id, "conflict", changes, 0)
    quiet = silent or index != len(records) - 1
    deliveries = _record_change(
        db,
        event.council,
        record.id,
        previous.id,
        changes,
        record.grades,
        quiet,
        subscribers,
        now,
        earlier=alerted,
    )
    return AppliedEvent(record.id, "conflict", changes, deliveries)


def _alerted_change(
    db: sqlite_utils.Database, inspection_id: int
) -> tuple[JudgementChange, ...] | None:
    row = db.execute(
        "SELECT detail FROM changes WHERE inspection_id = ? AND silent = 0"
        " ORDER BY id DESC LIMIT 1",
        [inspection_id],
    ).fetchone()
    return _changes_from_json(row[0]) if row else None


def _record_change(
    db: sqlite_utils.Database,
    council: Council,
    inspection_id: int,
    previous_id: int,
    changes: tuple[JudgementChange, ...],
    replaced: Grades | None,
    silent: bool,
    subscribers: Sequence[SubscriberConfig],
    now: datetime,
    *,
    earlier: tuple[JudgementChange, ...] | None = None,
) -> int:
    """Insert the change row and, unless silent, one outbox row per (subscriber, channel)."""
    change_id = _insert(
        db,
        "changes",
        {
            "inspection_id": inspection_id,
            "previous_inspection_id": previous_id,
            "la_code": council.la_code,
            "kind": "change" if replaced is None else "correction",
            "detail": json.dumps(_changes_to_json(changes)),
            "replaced": json.dumps(replaced.to_json()) if replaced else None,
            "silent": int(silent),
            "detected": timestamp(now),
        },
    )
    if silent:
        return 0
    kinds = change_kinds(changes) | change_kinds(earlier or ())
    deliveries = 0
    for subscriber in route(subscribers, council, kinds, registry=load_councils()):
        if subscriber.immediate:
            deliveries += outbox.enqueue(
                db,
                key=f"change:{change_id}",
                subscriber=subscriber,
                kind="change",
                change_id=change_id,
                now=now,
            )
    return deliveries


def _add_evidence(
    db: sqlite_utils.Database,
    inspection_id: int,
    event: RatingEvent,
    evidence: EvidenceRef,
    *,
    agrees: bool,
    now: datetime,
) -> None:
    db.execute(
        "INSERT INTO evidence (inspection_id, item_id, url, title, source, kind, published,"
        " grades, previous, agrees, created, needs_review)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (inspection_id, url) DO NOTHING",
        [
            inspection_id,
            evidence.item_id,
            evidence.url,
            evidence.title,
            evidence.source,
            evidence.kind.value,
            timestamp(evidence.published) if evidence.published else None,
            json.dumps(event.grades.to_json()),
            event.previous.value if event.previous else None,
            int(agrees),
            timestamp(now),
            "\n".join(event.needs_review),
        ],
    )


def _update_inspection(
    db: sqlite_utils.Database,
    record: InspectionRecord,
    event: RatingEvent,
    grades: Grades,
    kind: EvidenceKind,
    *,
    conflict: bool,
    now: datetime,
) -> None:
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
    db.execute(
        "UPDATE inspections SET framework = ?, inspection_start = ?, inspection_end = ?,"
        " published = ?, grades = ?, grades_from = ?, conflict = ?, updated = ? WHERE id = ?",
        [
            framework.value,
            _iso(start),
            _iso(end),
            _iso(published),
            json.dumps(grades.to_json()),
            grades_from.value,
            int(conflict),
            timestamp(now),
            record.id,
        ],
    )


def _framework(event: RatingEvent, record: InspectionRecord) -> Framework:
    if event.framework is not Framework.UNKNOWN and (
        record.framework is Framework.UNKNOWN or record.grades_from is EvidenceKind.NEWS
    ):
        return event.framework
    return record.framework


# -- ungraded publications -------------------------------------------------------------------


def record_publication(
    db: sqlite_utils.Database,
    *,
    council: Council,
    kind: PublicationKind,
    published: date | None,
    url: str,
    source: str,
    now: datetime,
) -> bool:
    """Keep an ungraded Ofsted publication as context; True when it was new. Never alerts."""
    with db.atomic():
        row = db.execute(
            "INSERT INTO publications (la_code, kind, published, url, source, created)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO NOTHING RETURNING id",
            [council.la_code, kind.value, _iso(published), url, source, timestamp(now)],
        ).fetchone()
    return row is not None


def publications(db: sqlite_utils.Database, council: Council) -> list[PublicationRecord]:
    rows = db.execute(
        "SELECT la_code, kind, published, url, source FROM publications WHERE la_code = ?"
        " ORDER BY published, id",
        [council.la_code],
    ).fetchall()
    return [PublicationRecord(r[0], PublicationKind(r[1]), _date(r[2]), r[3], r[4]) for r in rows]


# -- reading ----------------------------------------------------------------------------------


def history(db: sqlite_utils.Database, council: Council) -> list[InspectionRecord]:
    """The council's inspections, oldest first, each with its evidence."""
    return _inspections(db, council.la_code, with_evidence=True)


def inspection(db: sqlite_utils.Database, inspection_id: int) -> InspectionRecord:
    rows = list(db.query("SELECT * FROM inspections WHERE id = ?", [inspection_id]))
    if not rows:
        raise KeyError(inspection_id)
    record = _inspection_from_row(rows[0])
    return replace(record, evidence=_evidence(db, record.id))


def change_record(db: sqlite_utils.Database, change_id: int) -> ChangeRecord:
    """A recorded change with its inspection and evidence, for rendering."""
    rows = list(db.query("SELECT * FROM changes WHERE id = ?", [change_id]))
    if not rows:
        raise KeyError(change_id)
    return _change_from_row(db, rows[0])


def changes_between(
    db: sqlite_utils.Database, since: datetime, until: datetime | None = None
) -> list[ChangeRecord]:
    """Recorded changes detected in [since, until), oldest first (silent ones included)."""
    sql = "SELECT * FROM changes WHERE detected >= ?"
    params: list[Any] = [timestamp(since)]
    if until is not None:
        sql += " AND detected < ?"
        params.append(timestamp(until))
    return [_change_from_row(db, row) for row in db.query(sql + " ORDER BY id", params)]


def _change_from_row(db: sqlite_utils.Database, row: dict[str, Any]) -> ChangeRecord:
    record = inspection(db, row["inspection_id"])
    council = load_councils().by_code(row["la_code"]) or Council(
        la_code=row["la_code"], name=record.council, urn=""
    )
    changes = _changes_from_json(row["detail"])
    if row["previous_inspection_id"] is not None:
        # Evidence merged since detection (the report after the news) may add judgements.
        before = inspection(db, row["previous_inspection_id"])
        current = detect_changes(before.graded, record.graded)
        changes = current if is_alerting(current) else changes
    return ChangeRecord(
        id=row["id"],
        council=council,
        kind="correction" if row["kind"] == "correction" else "change",
        changes=changes,
        replaced=Grades.from_json(json.loads(row["replaced"])) if row["replaced"] else None,
        silent=bool(row["silent"]),
        detected=datetime.fromisoformat(row["detected"]),
        inspection=record,
    )


def _inspections(
    db: sqlite_utils.Database, la_code: str, *, with_evidence: bool = False
) -> list[InspectionRecord]:
    rows = db.query("SELECT * FROM inspections WHERE la_code = ?", [la_code])
    records = [_inspection_from_row(row) for row in rows]
    records.sort(key=lambda r: (r.when or date.min, r.id))
    if with_evidence:
        records = [replace(r, evidence=_evidence(db, r.id)) for r in records]
    return records


def _inspection_from_row(row: dict[str, Any]) -> InspectionRecord:
    return InspectionRecord(
        id=row["id"],
        la_code=row["la_code"],
        council=row["council"],
        framework=Framework(row["framework"]),
        inspection_start=_date(row["inspection_start"]),
        inspection_end=_date(row["inspection_end"]),
        published=_date(row["published"]),
        grades=Grades.from_json(json.loads(row["grades"])),
        grades_from=EvidenceKind(row["grades_from"]),
        conflict=bool(row["conflict"]),
    )


def _evidence(db: sqlite_utils.Database, inspection_id: int) -> tuple[EvidenceRecord, ...]:
    rows = db.query(
        "SELECT * FROM evidence WHERE inspection_id = ? ORDER BY kind = 'news', published, id",
        [inspection_id],
    )
    return tuple(
        EvidenceRecord(
            url=r["url"],
            title=r["title"],
            source=r["source"],
            kind=EvidenceKind(r["kind"]),
            published=datetime.fromisoformat(r["published"]) if r["published"] else None,
            grades=Grades.from_json(json.loads(r["grades"])),
            previous=Grade.parse(r["previous"]),
            agrees=bool(r["agrees"]),
            needs_review=tuple(line for line in r["needs_review"].splitlines() if line),
        )
        for r in rows
    )


# -- the history table ------------------------------------------------------------------------


def render_history(db: sqlite_utils.Database, council: Council) -> str:
    """``monitor history COUNCIL``: every inspection and judgement, and ungraded visits."""
    return format_history(council, history(db, council), publications(db, council))


def format_history(
    council: Council,
    records: Sequence[InspectionRecord],
    visits: Sequence[PublicationRecord] = (),
) -> str:
    lines = [f"{council.name} ({council.la_code}) children's services: inspection history"]
    if not records and not visits:
        lines.append("  no inspections recorded")
        return "\n".join(lines) + "\n"
    rows: list[tuple[date, list[str]]] = []
    for record in records:
        rows.append((record.when or date.min, _history_lines(record)))
    for visit in visits:
        rows.append(
            (
                visit.published or date.min,
                [f"{_fmt(visit.published)}  {visit.kind.value} (ungraded)  {visit.url}"],
            )
        )
    rows.sort(key=lambda r: r[0])
    for _, block in rows:
        lines.extend(block)
    return "\n".join(lines) + "\n"


def _history_lines(record: InspectionRecord) -> list[str]:
    dates = _fmt(record.inspection_start) + " to " + _fmt(record.inspection_end)
    if record.inspection_start is None and record.inspection_end is None:
        dates = f"reported {_fmt(record.published)}"
    flags = "  [CONFLICTING SOURCES]" if record.conflict else ""
    head = f"{_fmt(record.when)}  {record.framework.value:<8} {dates}{flags}"
    lines = [head]
    for judgement, grade in record.grades.items():
        lines.append(f"    {judgement.label:<24} {grade.label}")
    if record.grades.overall is None and not record.framework.grades_overall(record.when):
        lines.append(f"    {Judgement.OVERALL.label:<24} (not graded under this framework)")
    for item in record.evidence:
        mark = "" if item.agrees else " (disagrees)"
        lines.append(f"    - {item.kind.value}: {item.title or item.url} <{item.url}>{mark}")
        for problem in item.needs_review:
            lines.append(f"      NEEDS REVIEW: {problem}")
    return lines


# -- helpers ----------------------------------------------------------------------------------


def _insert(db: sqlite_utils.Database, table: str, row: dict[str, Any]) -> int:
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    cursor = db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))
    assert cursor.lastrowid is not None
    return int(cursor.lastrowid)


def _changes_to_json(changes: Sequence[JudgementChange]) -> list[dict[str, str | None]]:
    return [
        {
            "judgement": c.judgement.value,
            "before": c.before.value if c.before else None,
            "after": c.after.value,
        }
        for c in changes
    ]


def _changes_from_json(text: str) -> tuple[JudgementChange, ...]:
    found = []
    for item in json.loads(text):
        after = Grade.parse(item["after"])
        assert after is not None
        found.append(
            JudgementChange(Judgement(item["judgement"]), Grade.parse(item["before"]), after)
        )
    return tuple(found)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _fmt(value: date | None) -> str:
    return value.isoformat() if value else "?"
