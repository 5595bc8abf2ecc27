"""Inline SVG charts for the web view: drawn here as markup (no script, no CDN), so the pages
work offline and a reader sees them with JavaScript off.

Every text placed in a chart is escaped; the numbers are ours.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from ...models import COUNCIL_JUDGEMENTS, Council, Grade, Judgement
from ...records import InspectionRecord

# Chart categories, best first; adequate (pre-2013) was recast as requires improvement.
CATEGORIES = ("outstanding", "good", "requires improvement", "inadequate", "not graded")
COLOURS = {
    "outstanding": "#1a7f37",
    "good": "#7cc47f",
    "requires improvement": "#f0a13a",
    "inadequate": "#cf2e2e",
    "not graded": "#9aa0a6",
}
LABELS = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires improvement": "Requires improvement / adequate",
    "inadequate": "Inadequate",
    "not graded": "No overall grade (2026 on)",
}


def category(grade: Grade | None) -> str:
    if grade is None:
        return "not graded"
    if grade is Grade.ADEQUATE:
        return "requires improvement"
    return str(grade.value)


@dataclass(frozen=True)
class YearCounts:
    year: int
    counts: Mapping[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def grades_by_year(
    councils: Sequence[Council], timelines: Mapping[str, Sequence[InspectionRecord]]
) -> list[YearCounts]:
    """For each year, how many current authorities stood at each overall grade at its end
    (their latest inspection by 31 December). Former authorities (Cumbria, Northamptonshire,
    Poole) are left out: their successors carry on the count."""
    dated = {
        c.la_code: [r for r in timelines.get(c.la_code, ()) if r.when is not None]
        for c in councils
        if not c.defunct
    }
    years = [r.when.year for records in dated.values() for r in records if r.when is not None]
    if not years:
        return []
    found = []
    for year in range(min(years), max(years) + 1):
        end = date(year, 12, 31)
        counts = dict.fromkeys(CATEGORIES, 0)
        for records in dated.values():
            standing = [r for r in records if r.when is not None and r.when <= end]
            if standing:
                counts[category(standing[-1].grades.overall)] += 1
        found.append(YearCounts(year, counts))
    return found


def national_chart(data: Sequence[YearCounts]) -> str:
    """A stacked bar per year: the number of authorities at each overall grade."""
    if not data:
        return '<p class="empty">No inspections recorded yet.</p>'
    width, height, left, bottom, top = 760, 240, 40, 28, 12
    plot_h = height - bottom - top
    peak = max(d.total for d in data) or 1
    step = (width - left - 8) / len(data)
    bar = max(4.0, step * 0.72)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height + 40}" role="img" '
        f'aria-label="Number of authorities at each overall grade, by year" '
        f'xmlns="http://www.w3.org/2000/svg">'
    ]
    for tick in _ticks(peak):
        y = top + plot_h - plot_h * tick / peak
        parts.append(
            f'<line x1="{left}" x2="{width}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>'
        )
    for index, entry in enumerate(data):
        x = left + index * step + (step - bar) / 2
        y = top + plot_h
        for name in reversed(CATEGORIES):  # worst at the bottom, best on top
            count = entry.counts.get(name, 0)
            if not count:
                continue
            h = plot_h * count / peak
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{COLOURS[name]}"><title>{entry.year}: {count} '
                f"{html.escape(LABELS[name])}</title></rect>"
            )
        if len(data) <= 16 or entry.year % 2 == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 16}" '
                f'text-anchor="middle">{entry.year}</text>'
            )
    parts.append(_legend(12, height + 14))
    parts.append("</svg>")
    return "".join(parts)


def council_chart(records: Sequence[InspectionRecord], today: date) -> str:
    """Grade over time: the overall grade as a line, the other judgements as small dots."""
    dated = [r for r in records if r.when is not None]
    if not dated:
        return '<p class="empty">No graded inspection recorded.</p>'
    width, height, left, right, top, bottom = 760, 200, 190, 16, 14, 26
    first = min(r.when for r in dated if r.when is not None)
    start = date(first.year, 1, 1)
    end = date(max(today.year, first.year) + 1, 1, 1)
    span = (end - start).days or 1

    def x_of(day: date) -> float:
        return left + (width - left - right) * (day - start).days / span

    def y_of(rank: int) -> float:
        return top + (rank - 1) * (height - top - bottom) / 3

    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Grades over time" xmlns="http://www.w3.org/2000/svg">'
    ]
    for rank, name in enumerate(("outstanding", "good", "requires improvement", "inadequate"), 1):
        y = y_of(rank)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">'
            f"{html.escape(LABELS[name].removesuffix(' / adequate'))}</text>"
        )
    for year in range(start.year, end.year + 1, max(1, (end.year - start.year) // 10 or 1)):
        x = x_of(date(year, 1, 1))
        parts.append(
            f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle" class="year">{year}</text>'
        )
    points = []
    for record in dated:
        assert record.when is not None
        x = x_of(record.when)
        others = [j for j in COUNCIL_JUDGEMENTS if j is not Judgement.OVERALL]
        for offset, judgement in enumerate(others):
            grade = record.grades[judgement]
            if grade is not None:
                parts.append(
                    f'<circle cx="{x + (offset - 2) * 4:.1f}" cy="{y_of(grade.rank):.1f}" r="2.5" '
                    f'class="judgement"><title>{record.when.isoformat()}: '
                    f"{html.escape(judgement.label)} {html.escape(grade.label)}</title></circle>"
                )
        overall = record.grades.overall
        if overall is not None:
            points.append((x, y_of(overall.rank), record.when, overall))
    if len(points) > 1:
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
        parts.append(f'<polyline points="{line}" class="overall"/>')
    for x, y, day, grade in points:
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{COLOURS[category(grade)]}" '
            f'class="overall-point"><title>{day.isoformat()}: overall '
            f"{html.escape(grade.label)}</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _legend(x: float, y: float) -> str:
    parts = []
    for name in CATEGORIES:
        parts.append(
            f'<rect x="{x:.0f}" y="{y - 9:.0f}" width="10" height="10" fill="{COLOURS[name]}"/>'
            f'<text x="{x + 14:.0f}" y="{y:.0f}">{html.escape(LABELS[name])}</text>'
        )
        x += 14 + 6.2 * len(LABELS[name]) + 18
    return "".join(parts)


def _ticks(peak: int) -> list[int]:
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100) if peak / s <= 6)
    return list(range(0, peak + 1, step))
