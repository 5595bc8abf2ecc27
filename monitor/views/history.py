"""``monitor history COUNCIL``: every inspection and judgement of one council, as text."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import sqlite_utils

from ..models import Council, EvidenceKind, Judgement
from ..records import InspectionRecord, PublicationRecord
from ..store.timeline import history, publications


def render_history(db: sqlite_utils.Database, council: Council) -> str:
    """Every inspection and judgement of ``council``, and its ungraded visits."""
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
    if record.grades_from is EvidenceKind.NEWS:
        flags += "  [NEWS ONLY: no report seen yet]"
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


def _fmt(value: date | None) -> str:
    return value.isoformat() if value else "?"
