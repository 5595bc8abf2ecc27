"""Fixture Ofsted report PDFs, built in code (fpdf2), for tests, the demo and benchmarks.

``build_report_pdf`` lays out page one the way the three report generations do -- a SIF cover
with the overall sentence and numbered judgements, the ILACS ``Judgement | Grade`` table with
an overall row, and the post-April-2026 table without one -- with wrapped labels, a grade that
wraps in a narrow column, curly quotes and en dashes. The table labels and grade words are the
framework's fixed vocabulary; every other sentence here is our own invented filler.

Options reproduce the layouts real reports vary in: any title wording (``title_lines``: a
council's formal name, a trust, "X Children's Services" over "Inspection of children's
social care services"), punctuation after the row labels, rows marked "Not judged", a
judgement table that a footnote and a page break split in two, a SIF overall sentence
without the authority's name, and two or three inspection visits (``dates_text``).

Helpers make the broken files a fetcher meets: truncated bytes, a password-protected PDF, an
HTML page saved under a .pdf name, and a PDF with no text layer.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from fpdf import FPDF, FontFace

from ..models import Grade, Grades, Judgement

Layout = Literal["sif", "ilacs", "ilacs2026"]

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

# Our own filler prose (deliberately bland; it must never read as a real report's words).
_FILLER = (
    "This fixture paragraph stands in for the inspectors' narrative. It describes, in plain"
    " invented terms, a service whose staff meet families at home, write plans with them and"
    " review those plans on a regular cycle. Nothing in it is drawn from a published report.",
    "Managers in this imaginary authority keep a record of how quickly referrals are screened"
    " and how often children see the same worker. The figures are made up for testing and only"
    " give the page a realistic length and a second block of ordinary text.",
    "A further paragraph mentions partners such as schools, health visitors and the police so"
    " that the page carries the kind of words a classifier sees in a long document, while"
    " containing no grade phrase that could be mistaken for a judgement.",
)


def format_day(day: date, *, with_month: bool = True, with_year: bool = True) -> str:
    """'12 May 2025' (parts optional), the way reports print dates."""
    text = str(day.day)
    if with_month:
        text += f" {_MONTHS[day.month - 1]}"
    if with_year:
        text += f" {day.year}"
    return text


def format_range(start: date, end: date) -> str:
    """'12 to 23 May 2025', '28 March to 1 April 2022', '27 November 2017 to 8 January 2018'."""
    same_year = start.year == end.year
    same_month = same_year and start.month == end.month
    first = format_day(start, with_month=not same_month, with_year=not same_year)
    return f"{first} to {format_day(end)}"


# Our own footnote, set under a table that continues on the next page (real reports put a
# note about the legal basis of the combined report there); no grade word in it.
_FOOTNOTE = (
    "1 This invented footnote sits under the first part of the table, where a real report"
    " prints a note about the powers it is written under. The table carries on overleaf."
)


def grade_words(
    grade: Grade | None, *, short_ri: bool = False, not_judged: str = "Not judged"
) -> str:
    """A grade as a table cell prints it ('Requires improvement to be good')."""
    if grade is None:
        return not_judged
    if grade is Grade.REQUIRES_IMPROVEMENT and short_ri:
        return "Requires improvement"
    return grade.label


class _ReportPDF(FPDF):
    def __init__(self, running_title: str) -> None:
        super().__init__(format="A4")
        self.core_fonts_encoding = "cp1252"  # curly quotes and en dashes, as real reports have
        self.running_title = running_title
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(20, 18, 20)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font("helvetica", size=8)
        self.cell(0, 6, f"{self.running_title}    {self.page_no()}", align="R")

    def para(self, text: str, *, size: float = 11, style: str = "", gap: float = 2) -> None:
        self.set_font("helvetica", style=style, size=size)
        self.multi_cell(0, 5.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(gap)

    def judgement_table(
        self,
        rows: list[tuple[str, str]],
        *,
        label_width: float,
        grade_width: float,
        heading: tuple[str, str] | None = None,
        split_after: int | None = None,
        continued_header: str = "",
    ) -> None:
        """Label/grade rows; labels wrap in their column and long grades in the narrow one.
        Cells are drawn row by row, as the real reports' tables are. ``split_after`` rows
        end page one under a footnote; the rest continue on a new page, after
        ``continued_header`` (a running title and page number) and the heading again."""
        if split_after is not None:
            self._table(rows[:split_after], label_width, grade_width, heading)
            self.para(_FOOTNOTE, size=8)
            self.add_page()
            self.para(continued_header or str(self.page_no()), size=9)
            self._table(rows[split_after:], label_width, grade_width, heading)
        else:
            self._table(rows, label_width, grade_width, heading)

    def _table(
        self,
        rows: list[tuple[str, str]],
        label_width: float,
        grade_width: float,
        heading: tuple[str, str] | None,
    ) -> None:
        self.set_font("helvetica", size=11)
        with self.table(
            col_widths=(label_width, grade_width),
            width=label_width + grade_width,
            align="LEFT",
            text_align="LEFT",
            first_row_as_headings=heading is not None,
            line_height=5.5,
            padding=1.5,
        ) as table:
            for label, grade in [heading, *rows] if heading else rows:
                row = table.row()
                row.cell(label)
                row.cell(grade, style=FontFace(emphasis="BOLD"))
        self.ln(4)


def build_report_pdf(
    *,
    council_name: str,
    layout: Layout,
    grades: Grades,
    inspection_start: date,
    inspection_end: date,
    lead_inspector: str = "Alex Example",
    published: date | None = None,
    extra_pages: int = 1,
    dates_text: str | None = None,
    singular_date_label: bool = False,
    short_ri: bool = False,
    narrow_grades: bool = False,
    extra_spaces: bool = False,
    title_lines: Sequence[str] | None = None,
    label_end: str = "",
    not_judged: Collection[Judgement] = (),
    not_judged_words: str = "Not judged",
    split_table_after: int | None = None,
    overall_names_authority: bool = True,
) -> bytes:
    """A report PDF in one of the three layouts, stating ``grades``.

    ``dates_text`` replaces the written inspection dates (default: '12 to 23 May 2025' style);
    ``singular_date_label`` writes 'Inspection date:'; ``short_ri`` writes 'Requires
    improvement' without 'to be good'; ``narrow_grades`` makes long grades wrap over lines;
    ``extra_spaces`` doubles some spaces, as some real reports do. For ``ilacs`` a null
    ``grades.care_leavers`` gives the pre-2023 combined 'children in care and care leavers' row.

    ``title_lines`` replace the title (ILACS) or the authority and inspection lines over
    the LSCB line (SIF); ``label_end`` follows every row label ('.', ':'); the rows of
    ``not_judged`` print ``not_judged_words`` instead of a grade; ``split_table_after`` rows
    end page one under a footnote and the rest open page two; ``overall_names_authority``
    False prints SIF's "Children's services are good" without the authority's name.
    """
    written_dates = dates_text or format_range(inspection_start, inspection_end)
    date_label = "Inspection date:" if singular_date_label else "Inspection dates:"
    rows = _Rows(label_end, frozenset(not_judged), not_judged_words, split_table_after)
    if layout == "sif":
        pdf = _sif_cover(
            council_name,
            grades,
            written_dates,
            date_label,
            published,
            short_ri,
            rows=rows,
            title_lines=title_lines,
            named=overall_names_authority,
        )
    else:
        pdf = _ilacs_cover(
            council_name,
            layout,
            grades,
            f"{date_label} {written_dates}",
            lead_inspector,
            short_ri=short_ri,
            narrow=narrow_grades,
            spaced=extra_spaces,
            rows=rows,
            title_lines=title_lines,
            written_dates=written_dates,
        )
    for number in range(extra_pages):
        pdf.add_page()
        pdf.para(f"Findings, part {number + 1}", size=13, style="B")
        for paragraph in _FILLER:
            pdf.para(paragraph)
    if layout == "sif":
        _sif_back_pages(pdf, grades, lead_inspector)
    return bytes(pdf.output())


@dataclass(frozen=True)
class _Rows:
    """How the judgement rows are printed."""

    label_end: str
    not_judged: frozenset[Judgement]
    not_judged_words: str
    split_after: int | None

    def cell(self, grades: Grades, judgement: Judgement, short_ri: bool) -> str:
        grade = None if judgement in self.not_judged else grades[judgement]
        return grade_words(grade, short_ri=short_ri, not_judged=self.not_judged_words)


def _spaced(text: str, spaced: bool) -> str:
    return text.replace(" of ", "  of ").replace(" and ", " and  ") if spaced else text


def _ilacs_cover(
    council_name: str,
    layout: Layout,
    grades: Grades,
    dates_line: str,
    lead_inspector: str,
    *,
    short_ri: bool,
    narrow: bool,
    spaced: bool,
    rows: _Rows,
    title_lines: Sequence[str] | None,
    written_dates: str,
) -> _ReportPDF:
    lines = title_lines or (
        f"Inspection of {council_name} local authority children\u2019s services",
    )
    title = " ".join(lines)
    pdf = _ReportPDF(title)
    pdf.add_page()
    for line in lines[:-1]:
        pdf.para(line, size=18, style="B", gap=1)
    pdf.para(lines[-1], size=18, style="B", gap=4)
    pdf.para(dates_line)
    pdf.para(f"Lead inspector: {lead_inspector}, His Majesty\u2019s Inspector", gap=4)
    grade_width = 34.0 if narrow else 70.0
    label_width = min(pdf.epw - grade_width, 92.0)  # labels wrap over two lines, as in reports
    cells = [
        (_spaced(label, spaced) + rows.label_end, rows.cell(grades, judgement, short_ri))
        for label, judgement in _ilacs_rows(layout, grades, rows.not_judged)
    ]
    pdf.judgement_table(
        cells,
        label_width=label_width,
        grade_width=grade_width,
        heading=("Judgement", "Grade"),
        split_after=rows.split_after,
        continued_header=f"{title}\n{written_dates} 2",
    )
    pdf.para(
        f"The children\u2019s services of {council_name} are described in this invented summary,"
        " which exists only to give the first page a paragraph of ordinary prose after the"
        " table, as a real report has."
    )
    return pdf


def _ilacs_rows(
    layout: Layout, grades: Grades, not_judged: frozenset[Judgement] = frozenset()
) -> list[tuple[str, Judgement]]:
    rows = [
        (
            "The impact of leaders on social work practice with children and families",
            Judgement.LEADERS,
        ),
        (
            "The experiences and progress of children who need help and protection",
            Judgement.HELP_AND_PROTECTION,
        ),
    ]
    if (
        layout == "ilacs"
        and grades.care_leavers is None
        and Judgement.CARE_LEAVERS not in not_judged
    ):
        rows.append(
            ("The experiences and progress of children in care and care leavers", Judgement.IN_CARE)
        )
    else:
        rows.append(("The experiences and progress of children in care", Judgement.IN_CARE))
        rows.append(("The experiences and progress of care leavers", Judgement.CARE_LEAVERS))
    if layout == "ilacs":
        rows.append(("Overall effectiveness", Judgement.OVERALL))
    return rows


_SIF_ROWS = (
    ("1. Children who need help and protection", Judgement.HELP_AND_PROTECTION),
    ("2. Children looked after and achieving permanence", Judgement.IN_CARE),
    ("2.1 Adoption performance", Judgement.ADOPTION),
    ("2.2 Experiences and progress of care leavers", Judgement.CARE_LEAVERS),
    ("3. Leadership, management and governance", Judgement.LEADERS),
)


def _sif_sentence(council_name: str, grade: Grade | None, short_ri: bool, named: bool) -> str:
    if grade is Grade.REQUIRES_IMPROVEMENT:
        verb = "require improvement" if short_ri else "require improvement to be good"
    else:
        verb = f"are {grade_words(grade).lower()}"
    where = f" in {council_name}" if named else ""
    return f"Children\u2019s services{where} {verb}"


def _sif_cover(
    council_name: str,
    grades: Grades,
    written_dates: str,
    date_label: str,
    published: date | None,
    short_ri: bool,
    *,
    rows: _Rows,
    title_lines: Sequence[str] | None,
    named: bool,
) -> _ReportPDF:
    pdf = _ReportPDF(council_name)
    pdf.add_page()
    pdf.para("1", size=9)
    lines = title_lines or (
        f"{council_name} Council",
        "Inspection of services for children in need of help and protection, children looked"
        " after and care leavers",
    )
    pdf.para(lines[0], size=18, style="B", gap=3)
    for line in lines[1:]:
        pdf.para(line, size=13, style="B")
    pdf.para("and", size=13, style="B")
    pdf.para(
        "Review of the effectiveness of the Local Safeguarding Children Board",
        size=13,
        style="B",
        gap=4,
    )
    pdf.para(f"{date_label} {written_dates}")
    if published is not None:
        pdf.para(f"Report published: {format_day(published)}")
    sentence = _sif_sentence(council_name, grades.overall, short_ri, named)
    pdf.para(sentence, size=14, style="B", gap=4)
    cells = [
        (label + rows.label_end, rows.cell(grades, judgement, short_ri))
        for label, judgement in _SIF_ROWS
    ]
    pdf.judgement_table(
        cells, label_width=pdf.epw - 60, grade_width=60.0, split_after=rows.split_after
    )
    return pdf


def _sif_back_pages(pdf: _ReportPDF, grades: Grades, lead_inspector: str) -> None:
    if grades.lscb is not None:
        pdf.add_page()
        pdf.para("The Local Safeguarding Children Board (LSCB)", size=13, style="B")
        verb = "" if grades.lscb is Grade.REQUIRES_IMPROVEMENT else "is "
        pdf.para(f"The Local Safeguarding Children Board {verb}{grades.lscb.label.lower()}")
        pdf.para("Executive summary", style="B")
        pdf.para(_FILLER[1])
    pdf.add_page()
    pdf.para("Information about this inspection", size=13, style="B")
    pdf.para(_FILLER[2])
    pdf.para("The inspection team", style="B")
    pdf.para(f"Lead inspector: {lead_inspector}")
    pdf.para("Deputy lead inspector: Sam Placeholder")


# --------------------------------------------------------------------------- broken files


def truncated_pdf(content: bytes, *, keep: float = 0.6) -> bytes:
    """The first ``keep`` fraction of a PDF, as an interrupted download leaves it."""
    return content[: max(16, int(len(content) * keep))]


def encrypted_pdf(*, user_password: str = "fixture") -> bytes:
    """A one-page PDF that needs a password to open."""
    pdf = _ReportPDF("Encrypted fixture")
    pdf.add_page()
    pdf.para("This document is locked with a password.")
    pdf.set_encryption(owner_password=f"{user_password}-owner", user_password=user_password)
    return bytes(pdf.output())


def html_named_pdf() -> bytes:
    """An HTML error page, as a site sometimes serves under a .pdf URL."""
    return (
        b'<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        b"<title>Page not found</title></head>\n<body><h1>Sorry, this file is not"
        b" available</h1></body>\n</html>\n"
    )


def textless_pdf(*, pages: int = 2) -> bytes:
    """A PDF whose pages carry only drawings: a scan without OCR looks like this."""
    pdf = FPDF(format="A4")
    for _ in range(pages):
        pdf.add_page()
        pdf.set_fill_color(120, 120, 120)
        pdf.rect(20, 20, 170, 60, style="F")
        pdf.rect(20, 90, 120, 10, style="F")
    return bytes(pdf.output())


def letter_pdf(paragraphs: list[str], *, title: str) -> bytes:
    """A plain letter-style PDF (focused visits and monitoring visits are letters)."""
    pdf = _ReportPDF(title)
    pdf.add_page()
    pdf.para(title, size=14, style="B", gap=4)
    for paragraph in paragraphs:
        pdf.para(paragraph)
    return bytes(pdf.output())
