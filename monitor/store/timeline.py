"""The timeline's tables: load a council's timeline, save what the policy planned, read
inspections, changes and ungraded publications back. SQL only: what to write is decided in
``monitor.timeline``, who hears of a change in ``monitor.alerts``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import sqlite_utils

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
from ..records import (
    ChangeRecord,
    CouncilTimeline,
    EvidenceRecord,
    EvidenceRef,
    InspectionFields,
    InspectionRecord,
    PublicationRecord,
    TimelinePlan,
)
from .outbox import timestamp


@dataclass(frozen=True)
class SavedPlan:
    """Where a plan landed: the inspection it wrote and the change row, if any."""

    inspection_id: int
    change_id: int | None


# -- loading and saving a council's timeline --------------------------------------------------


def load_timeline(db: sqlite_utils.Database, la_code: str) -> CouncilTimeline:
    """The council's inspections with their evidence, and the last alerted change of each."""
    inspections = tuple(_inspections(db, la_code, with_evidence=True))
    alerted: dict[int, tuple[JudgementChange, ...]] = {}
    rows = db.execute(
        "SELECT inspection_id, detail FROM changes WHERE la_code = ? AND silent = 0 ORDER BY id",
        [la_code],
    ).fetchall()
    for inspection_id, detail in rows:
        alerted[inspection_id] = _changes_from_json(detail)  # the latest row wins
    return CouncilTimeline(inspections, alerted)


def save_plan(
    db: sqlite_utils.Database,
    event: RatingEvent,
    evidence: EvidenceRef,
    plan: TimelinePlan,
    *,
    now: datetime,
) -> SavedPlan:
    """Write ``plan`` (the caller holds the transaction)."""
    council = event.council
    if plan.inspection_id is None:
        assert plan.fields is not None
        row = {"la_code": council.la_code, "council": council.name, "created": timestamp(now)}
        inspection_id = _insert(db, "inspections", row | _fields_row(plan.fields, now))
    else:
        inspection_id = plan.inspection_id
    _add_evidence(db, inspection_id, event, evidence, agrees=plan.evidence_agrees, now=now)
    if plan.inspection_id is not None and plan.fields is not None:
        _update_inspection(db, inspection_id, plan.fields, now)
    for from_id, url in plan.adopt:
        db.execute(
            "UPDATE OR IGNORE evidence SET inspection_id = ? WHERE inspection_id = ? AND url = ?",
            [inspection_id, from_id, url],
        )
    for url in plan.disagreeing:
        db.execute(
            "UPDATE evidence SET agrees = 0 WHERE inspection_id = ? AND url = ?",
            [inspection_id, url],
        )
    change_id = None
    if plan.change is not None:
        change = plan.change
        change_id = _insert(
            db,
            "changes",
            {
                "inspection_id": inspection_id,
                "previous_inspection_id": change.previous_id,
                "la_code": council.la_code,
                "kind": change.kind,
                "detail": json.dumps(_changes_to_json(change.changes)),
                "replaced": json.dumps(change.replaced.to_json()) if change.replaced else None,
                "silent": int(change.silent),
                "detected": timestamp(now),
            },
        )
    return SavedPlan(inspection_id, change_id)


def _fields_row(fields: InspectionFields, now: datetime) -> dict[str, Any]:
    return {
        "framework": fields.framework.value,
        "inspection_start": _iso(fields.inspection_start),
        "inspection_end": _iso(fields.inspection_end),
        "published": _iso(fields.published),
        "grades": json.dumps(fields.grades.to_json()),
        "grades_from": fields.grades_from.value,
        "conflict": int(fields.conflict),
        "updated": timestamp(now),
    }


def _update_inspection(
    db: sqlite_utils.Database, inspection_id: int, fields: InspectionFields, now: datetime
) -> None:
    row = _fields_row(fields, now)
    assignments = ", ".join(f"{column} = ?" for column in row)
    db.execute(f"UPDATE inspections SET {assignments} WHERE id = ?", [*row.values(), inspection_id])


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
    record = inspection_from_row(rows[0])
    return replace(record, evidence=_evidence(db, record.id))


def change_record(db: sqlite_utils.Database, change_id: int) -> ChangeRecord:
    """A recorded change with its inspection and evidence, for rendering."""
    rows = list(db.query("SELECT * FROM changes WHERE id = ?", [change_id]))
    if not rows:
        raise KeyError(change_id)
    return _change_from_row(db, rows[0])


def alerted_change(db: sqlite_utils.Database, inspection_id: int) -> ChangeRecord | None:
    """The last change alerted for the inspection (silent ones are history), if any."""
    rows = list(
        db.query(
            "SELECT * FROM changes WHERE inspection_id = ? AND silent = 0 ORDER BY id DESC LIMIT 1",
            [inspection_id],
        )
    )
    return _change_from_row(db, rows[0]) if rows else None


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
    previous_id = row["previous_inspection_id"]
    return ChangeRecord(
        id=row["id"],
        council=council,
        kind="correction" if row["kind"] == "correction" else "change",
        changes=_changes_from_json(row["detail"]),
        replaced=Grades.from_json(json.loads(row["replaced"])) if row["replaced"] else None,
        silent=bool(row["silent"]),
        detected=datetime.fromisoformat(row["detected"]),
        inspection=record,
        previous=inspection(db, previous_id) if previous_id is not None else None,
    )


def _inspections(
    db: sqlite_utils.Database, la_code: str, *, with_evidence: bool = False
) -> list[InspectionRecord]:
    rows = db.query("SELECT * FROM inspections WHERE la_code = ?", [la_code])
    records = [inspection_from_row(row) for row in rows]
    records.sort(key=lambda r: (r.when or date.min, r.id))
    if with_evidence:
        records = [replace(r, evidence=_evidence(db, r.id)) for r in records]
    return records


def inspection_from_row(row: dict[str, Any]) -> InspectionRecord:
    """An ``inspections`` row as a record (without its evidence)."""
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
    return tuple(evidence_from_row(r) for r in rows)


def evidence_from_row(r: dict[str, Any]) -> EvidenceRecord:
    """An ``evidence`` row as a record."""
    return EvidenceRecord(
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
