"""The national table: every authority of the reference list, one row each, with its latest
inspection's grades, the previous overall grade and the direction; and the history table, one
row per inspection. ``monitor ratings`` and the web view's ``/ratings.csv`` and
``/ratings.json`` print these rows, so they match.

Direction compares the latest inspection with the one before it, judgement by judgement
(``timeline.changes``): the overall grade's move leads, else the first judgement that moved
(after April 2026 there is no overall grade). ``changed_on`` is the publication date of the
latest inspection whose grades moved: the board marks those in the last 90 days.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from ..councils import CouncilRegistry
from ..models import COUNCIL_JUDGEMENTS, EvidenceKind, Grade, Judgement
from ..records import InspectionRecord
from ..store.reads import all_inspections, open_read_only
from ..timeline.changes import change_kind, detect_changes, headline

Format = Literal["text", "csv", "json", "markdown", "xlsx"]
FORMATS: tuple[Format, ...] = ("text", "csv", "json", "markdown", "xlsx")

# Every judgement, the LSCB review last: it grades the safeguarding board, not the council.
JUDGEMENTS: tuple[Judgement, ...] = (*COUNCIL_JUDGEMENTS, Judgement.LSCB)


@dataclass(frozen=True)
class RatingRow:
    """One authority in the national table (grades empty when never inspected here)."""

    la_code: str
    council: str
    region: str
    la_type: str
    former: bool  # a predecessor authority (Cumbria, Northamptonshire, Poole)
    latest: InspectionRecord | None
    previous: InspectionRecord | None
    direction: str  # upgrade, downgrade, unchanged, unknown (no earlier inspection), or ""
    changed_on: date | None
    inspections: int

    @property
    def overall(self) -> Grade | None:
        return self.latest.grades.overall if self.latest else None

    @property
    def overall_graded(self) -> bool:
        """False after April 2026, when ILACS gives no overall grade: not a missing one."""
        latest = self.latest
        return latest is None or latest.framework.grades_overall(latest.when)

    @property
    def previous_overall(self) -> Grade | None:
        return self.previous.grades.overall if self.previous else None

    @property
    def flags(self) -> tuple[str, ...]:
        latest = self.latest
        if latest is None:
            return ()
        found = []
        if latest.conflict:
            found.append("conflicting sources")
        if any(e.needs_review for e in latest.evidence):
            found.append("needs review")
        if latest.grades_from is EvidenceKind.NEWS:
            found.append("news only, no report yet")
        return tuple(found)

    @property
    def report_url(self) -> str:
        return _report_url(self.latest)

    def to_json(self) -> dict[str, Any]:
        latest = self.latest
        return {
            "la_code": self.la_code,
            "council": self.council,
            "region": self.region,
            "former_authority": self.former,
            "framework": latest.framework.value if latest else None,
            "inspection_start": _iso(latest.inspection_start) if latest else None,
            "inspection_end": _iso(latest.inspection_end) if latest else None,
            "published": _iso(latest.published) if latest else None,
            "overall": _grade(self.overall),
            "overall_graded": self.overall_graded,
            "judgements": {
                j.value: _grade(latest.grades[j] if latest else None)
                for j in JUDGEMENTS
                if j is not Judgement.OVERALL
            },
            "previous_overall": _grade(self.previous_overall),
            "change": self.direction or None,
            "changed_on": _iso(self.changed_on),
            "flags": list(self.flags),
            "report_url": self.report_url or None,
            "inspections": self.inspections,
        }


def load(
    db_path: str | Path, registry: CouncilRegistry
) -> tuple[list[RatingRow], dict[str, list[InspectionRecord]]]:
    """The national table's rows and every council's timeline, read from the database at
    ``db_path`` opened read-only (StoreError when it is missing or unreadable)."""
    db = open_read_only(db_path)
    try:
        timelines = all_inspections(db)
    finally:
        db.close()
    return rating_rows(registry, timelines), timelines


def rating_rows(
    registry: CouncilRegistry, timelines: Mapping[str, Sequence[InspectionRecord]]
) -> list[RatingRow]:
    """One row per authority of ``registry``, by name; ``timelines`` maps DfE codes to each
    council's inspections, oldest first (``store.reads.all_inspections``)."""
    rows = []
    for council in registry:
        records = list(timelines.get(council.la_code, ()))
        latest = records[-1] if records else None
        previous = records[-2] if len(records) > 1 else None
        rows.append(
            RatingRow(
                la_code=council.la_code,
                council=council.name,
                region=council.region,
                la_type=council.la_type,
                former=council.defunct,
                latest=latest,
                previous=previous,
                direction=_direction(previous, latest),
                changed_on=_changed_on(records),
                inspections=len(records),
            )
        )
    rows.sort(key=lambda r: r.council.casefold())
    return rows


def filter_rows(
    rows: Iterable[RatingRow],
    *,
    region: str | None = None,
    grade: Grade | None = None,
    changed_since: date | None = None,
) -> list[RatingRow]:
    """The rows in ``region`` (case aside), whose latest overall grade is ``grade``, or whose
    grades last moved on or after ``changed_since``."""
    found = []
    for row in rows:
        if region is not None and row.region.casefold() != region.casefold():
            continue
        if grade is not None and row.overall is not grade:
            continue
        if changed_since is not None and (row.changed_on is None or row.changed_on < changed_since):
            continue
        found.append(row)
    return found


def regions(registry: CouncilRegistry) -> list[str]:
    return sorted({c.region for c in registry if c.region})


def parse_region(registry: CouncilRegistry, text: str) -> str:
    """The region named ``text`` (case aside); ValueError listing the regions otherwise."""
    for name in regions(registry):
        if name.casefold() == text.strip().casefold():
            return name
    raise ValueError(f"unknown region {text!r}; one of: {', '.join(regions(registry))}")


def parse_grade(text: str) -> Grade:
    grade = Grade.parse(text)
    if grade is None:
        words = ", ".join(g.value for g in Grade)
        raise ValueError(f"unknown grade {text!r}; one of: {words}")
    return grade


def _direction(previous: InspectionRecord | None, latest: InspectionRecord | None) -> str:
    if latest is None:
        return ""
    if previous is None:
        return "unknown"
    lead = headline(detect_changes(previous.graded, latest.graded))
    return change_kind(lead) if lead is not None else "unchanged"


def _changed_on(records: Sequence[InspectionRecord]) -> date | None:
    """When the council's grades last moved: the report's (or first news) date of that
    inspection, else its last day."""
    for index in range(len(records) - 1, 0, -1):
        before, after = records[index - 1], records[index]
        if headline(detect_changes(before.graded, after.graded)) is not None:
            return after.published or after.when
    return None


def _report_url(record: InspectionRecord | None) -> str:
    if record is None:
        return ""
    for item in record.evidence:
        if item.kind is EvidenceKind.REPORT:
            return item.url
    return ""


# -- the history table: one row per inspection ----------------------------------------------


def history_rows(
    registry: CouncilRegistry, timelines: Mapping[str, Sequence[InspectionRecord]]
) -> list[dict[str, Any]]:
    """Every inspection of every authority, by council then date, flat (for CSV and xlsx)."""
    rows = []
    for council in sorted(registry, key=lambda c: c.name.casefold()):
        before: InspectionRecord | None = None
        for record in timelines.get(council.la_code, ()):
            rows.append(
                {
                    "la_code": council.la_code,
                    "council": council.name,
                    "region": council.region,
                    "framework": record.framework.value,
                    "inspection_start": _iso(record.inspection_start),
                    "inspection_end": _iso(record.inspection_end),
                    "published": _iso(record.published),
                    **{j.value: _grade(record.grades[j]) for j in JUDGEMENTS},
                    "change": _direction(before, record),
                    "grades_from": record.grades_from.value,
                    "conflict": record.conflict,
                    "report_url": _report_url(record) or None,
                }
            )
            before = record
    return rows


HISTORY_COLUMNS = (
    "la_code",
    "council",
    "region",
    "framework",
    "inspection_start",
    "inspection_end",
    "published",
    *(j.value for j in JUDGEMENTS),
    "change",
    "grades_from",
    "conflict",
    "report_url",
)

# The flat columns of the national table (CSV, Markdown, text, xlsx); JSON nests judgements.
COLUMNS = (
    "la_code",
    "council",
    "region",
    "framework",
    "inspection_start",
    "inspection_end",
    "published",
    *(j.value for j in JUDGEMENTS),
    "previous_overall",
    "change",
    "changed_on",
    "flags",
    "report_url",
)


def flat(row: RatingRow) -> dict[str, str]:
    """A row as the flat tables print it: every value a string, empty when unknown."""
    data = row.to_json()
    judgements = data.pop("judgements")
    out: dict[str, str] = {}
    for column in COLUMNS:
        value = judgements.get(column) if column in judgements else data.get(column)
        if column == "overall" and value is None and not row.overall_graded:
            value = "not graded"
        if column == "flags":
            value = "; ".join(row.flags)
        out[column] = "" if value is None else str(value)
    return out


def render(rows: Sequence[RatingRow], fmt: Format) -> str:
    """The national table as text, CSV, JSON or Markdown (xlsx: ``render_xlsx``)."""
    if fmt == "json":
        return json.dumps([r.to_json() for r in rows], indent=2) + "\n"
    if fmt == "csv":
        return to_csv([flat(r) for r in rows], COLUMNS)
    if fmt == "markdown":
        return _markdown(rows)
    if fmt == "text":
        return _text(rows)
    raise ValueError(f"{fmt!r} is not a text format")


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: _cell(row.get(c)) for c in columns})
    return buffer.getvalue()


_TEXT_COLUMNS = (
    ("council", "AUTHORITY"),
    ("region", "REGION"),
    ("published", "PUBLISHED"),
    ("framework", "FRAMEWORK"),
    ("overall", "OVERALL"),
    ("previous_overall", "PREVIOUS"),
    ("change", "CHANGE"),
    ("flags", "FLAGS"),
)


def _text(rows: Sequence[RatingRow]) -> str:
    table = [tuple(title for _, title in _TEXT_COLUMNS)]
    for row in rows:
        values = flat(row)
        table.append(tuple(values[key] for key, _ in _TEXT_COLUMNS))
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in table]
    lines.append(f"{len(rows)} authorit{'y' if len(rows) == 1 else 'ies'}")
    return "\n".join(lines) + "\n"


def _markdown(rows: Sequence[RatingRow]) -> str:
    titles = [title.capitalize() for _, title in _TEXT_COLUMNS]
    lines = ["| " + " | ".join(titles) + " |", "|" + " --- |" * len(titles)]
    for row in rows:
        values = flat(row)
        cells = [_md(values[key]) for key, _ in _TEXT_COLUMNS]
        if row.report_url.startswith(("https://", "http://")):
            cells[2] = f"[{cells[2] or 'report'}](<{row.report_url.replace('>', '%3E')}>)"
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text


# -- xlsx -------------------------------------------------------------------------------------


def render_xlsx(rows: Sequence[RatingRow], history: Sequence[Mapping[str, Any]]) -> bytes:
    """A workbook with two sheets, "latest" (the national table) and "history" (one row per
    inspection), each with a bold header row, frozen panes and an autofilter."""
    from openpyxl import Workbook  # heavy: imported only when a workbook is asked for
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    sheets = (
        ("latest", COLUMNS, [flat(r) for r in rows]),
        ("history", HISTORY_COLUMNS, list(history)),
    )
    for title, columns, data in sheets:
        sheet = book.create_sheet(title)
        sheet.freeze_panes = "C2"  # the header row and the code and name columns stay put
        for index, column in enumerate(columns, start=1):
            width = 28 if column in ("council", "region", "report_url", "flags") else 16
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(data) + 1}"
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=column)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in data:
            sheet.append([_xlsx_cell(sheet, row.get(c)) for c in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "yes" if value else ""
    text = str(value)
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    if text.startswith("="):  # openpyxl would write a formula: text from elsewhere stays text
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        return cell
    return text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    return str(value)


def _grade(grade: Grade | None) -> str | None:
    return grade.value if grade else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
