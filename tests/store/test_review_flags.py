"""Fields a reader could not read are flagged for review: kept with the evidence, shown in the
history and in the alert, never turned into a guessed grade."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlite_utils

from monitor.alerts.render import render_html, render_text
from monitor.councils import load_councils
from monitor.models import EvidenceKind, Framework, Grade, Grades, RatingEvent
from monitor.pipeline import record_event
from monitor.records import EvidenceRef
from monitor.store.timeline import change_record
from monitor.views.history import render_history

WIGAN = load_councils().by_code("359")


def _apply(db: sqlite_utils.Database, year: int, grades: Grades, review: tuple[str, ...]) -> int:
    assert WIGAN is not None
    event = RatingEvent(
        council=WIGAN,
        framework=Framework.ILACS,
        grades=grades,
        inspection_start=date(year, 3, 2),
        inspection_end=date(year, 3, 13),
        needs_review=review,
    )
    evidence = EvidenceRef(
        item_id=None,
        url=f"https://files.example.org/{year}",
        title=f"Report {year}",
        source="ofsted",
        kind=EvidenceKind.REPORT,
        published=datetime(year, 5, 1, tzinfo=UTC),
    )
    now = datetime(year, 5, 2, tzinfo=UTC)
    applied = record_event(
        db, event, evidence=evidence, silent=year < 2025, subscribers=[], now=now
    )
    return applied.inspection_id


def test_review_flags_reach_history_and_alerts(db: sqlite_utils.Database) -> None:
    assert WIGAN is not None
    _apply(db, 2022, Grades(overall=Grade.GOOD, leaders=Grade.GOOD), ())
    _apply(
        db,
        2025,
        Grades(overall=Grade.INADEQUATE, leaders=None),
        ("leaders: grade not readable in the judgement table",),
    )
    history = render_history(db, WIGAN)
    assert "NEEDS REVIEW: leaders: grade not readable in the judgement table" in history

    change_id = db.execute("select max(id) from changes").fetchone()[0]
    record = change_record(db, change_id)
    assert record is not None
    assert "leaders: grade not readable" in render_text(record)
    assert "Needs review" in render_html(record)
