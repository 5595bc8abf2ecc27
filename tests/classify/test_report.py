"""monitor.classify.report: reading fixture report PDFs of every layout, field by field."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.alerts.render import render_text
from monitor.classify import classify_document
from monitor.classify.report import ReportReading, looks_like_report, read_report
from monitor.cli import cli
from monitor.councils import CouncilRegistry, load_councils
from monitor.demo.reportpdf import build_report_pdf, letter_pdf
from monitor.models import Document, EvidenceKind, Framework, Grade, Grades, Judgement
from monitor.pdf import pdf_pages
from monitor.pipeline import record_event
from monitor.records import EvidenceRef
from monitor.store.timeline import change_record
from monitor.views.history import render_history

OUT, G, RI, INAD = Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE


@pytest.fixture(scope="module")
def councils() -> CouncilRegistry:
    return load_councils()


def read_pdf(content: bytes, councils: CouncilRegistry) -> ReportReading:
    return read_report(pdf_pages(content), councils=councils)


@dataclass
class Case:
    layout: str
    council_name: str
    grades: Grades
    start: date
    end: date
    options: dict[str, Any] = field(default_factory=dict)
    published: date | None = None
    expected_council: str = ""  # official name, when the printed name differs
    problems: tuple[str, ...] = ()  # what the reader must flag (a "Not judged" row, say)
    spans: tuple[tuple[date, date], ...] = ()  # every visit, when there are several

    def build(self) -> bytes:
        return build_report_pdf(
            council_name=self.council_name,
            layout=self.layout,  # type: ignore[arg-type]
            grades=self.grades,
            inspection_start=self.start,
            inspection_end=self.end,
            lead_inspector="Jo Fictional",
            published=self.published,
            **self.options,
        )


CASES = {
    "ilacs-2025-wrapped-grades": Case(
        "ilacs",
        "Stockport",
        Grades(overall=RI, leaders=RI, help_and_protection=RI, in_care=RI, care_leavers=G),
        date(2025, 5, 12),
        date(2025, 5, 23),
        {"narrow_grades": True},
    ),
    "ilacs-2018-combined-row-short-ri": Case(
        "ilacs",
        "Brighton and Hove City Council",
        Grades(overall=G, leaders=G, help_and_protection=RI, in_care=G),
        date(2018, 7, 9),
        date(2018, 7, 20),
        {"short_ri": True, "dates_text": "9 July 2018 to 20 July 2018"},
        expected_council="Brighton and Hove",
    ),
    "ilacs-2022-across-months-extra-spaces": Case(
        "ilacs",
        "London Borough of Barnet",
        Grades(overall=OUT, leaders=OUT, help_and_protection=G, in_care=OUT),
        date(2022, 3, 28),
        date(2022, 4, 1),
        {"extra_spaces": True},
        expected_council="Barnet",
    ),
    "ilacs-2023-singular-date-label": Case(
        "ilacs",
        "Kingston upon Hull",
        Grades(overall=INAD, leaders=INAD, help_and_protection=INAD, in_care=RI, care_leavers=RI),
        date(2023, 11, 27),
        date(2023, 12, 8),
        {"singular_date_label": True},
        expected_council="Kingston Upon Hull, City of",
    ),
    "ilacs2026-no-overall": Case(
        "ilacs2026",
        "Royal Borough of Kingston upon Thames",
        Grades(leaders=G, help_and_protection=RI, in_care=G, care_leavers=OUT),
        date(2026, 6, 8),
        date(2026, 6, 19),
        {"narrow_grades": True},
        expected_council="Kingston upon Thames",
    ),
    "sif-2017-with-lscb": Case(
        "sif",
        "Stockport",
        Grades(
            overall=G,
            leaders=G,
            help_and_protection=G,
            in_care=G,
            adoption=OUT,
            care_leavers=G,
            lscb=RI,
        ),
        date(2017, 6, 12),
        date(2017, 7, 6),
        published=date(2017, 8, 25),
    ),
    "sif-across-years-short-ri": Case(
        "sif",
        "Northamptonshire",
        Grades(
            overall=RI,
            leaders=RI,
            help_and_protection=INAD,
            in_care=RI,
            adoption=G,
            care_leavers=RI,
            lscb=INAD,
        ),
        date(2015, 11, 30),
        date(2016, 1, 7),
        {
            "short_ri": True,
            "singular_date_label": True,
            "dates_text": "30 November 2015 \u2013 7 January 2016",
        },
        published=date(2016, 3, 1),
    ),
    "sif-inadequate-no-lscb-review-grade": Case(
        "sif",
        "Leicester City",
        Grades(
            overall=INAD,
            leaders=INAD,
            help_and_protection=INAD,
            in_care=RI,
            adoption=G,
            care_leavers=RI,
        ),
        date(2017, 11, 27),
        date(2017, 12, 8),
        {"dates_text": "27 November 2017 to 8 December 2017"},
        expected_council="Leicester",
    ),
}

SIF_ALL_GOOD = Grades(
    overall=G, leaders=G, help_and_protection=G, in_care=G, adoption=G, care_leavers=G, lscb=G
)
ILACS_2024 = Grades(overall=G, leaders=G, help_and_protection=RI, in_care=G, care_leavers=OUT)
ILACS_2018 = Grades(overall=RI, leaders=RI, help_and_protection=RI, in_care=G)

# The layouts that the first reader missed (issue 10), one fixture for each cause.
CASES |= {
    # 1. Titles without "local authority": the council's formal name, a trust.
    "title-county-council": Case(
        "ilacs",
        "Kent",
        ILACS_2024,
        date(2025, 11, 3),
        date(2025, 11, 14),
        {"title_lines": ("Inspection of Kent County Council children\u2019s services",)},
    ),
    "title-name-only": Case(
        "ilacs",
        "Barking and Dagenham",
        ILACS_2024,
        date(2024, 2, 5),
        date(2024, 2, 16),
        {"title_lines": ("Inspection of Barking and Dagenham children\u2019s services",)},
    ),
    "title-metropolitan-borough-council": Case(
        "ilacs",
        "Doncaster",
        ILACS_2024,
        date(2025, 3, 10),
        date(2025, 3, 21),
        {
            "title_lines": (
                "Inspection of Doncaster Metropolitan Borough Council children\u2019s services",
            )
        },
    ),
    "title-trust": Case(
        "ilacs",
        "Bradford",
        ILACS_2024,
        date(2024, 6, 3),
        date(2024, 6, 14),
        {"title_lines": ("Inspection of Bradford Children and Families Trust",)},
    ),
    # 2. Names over another title line, and mixed title wordings.
    "title-services-over-social-care": Case(
        "ilacs",
        "Medway",
        ILACS_2018,
        date(2018, 9, 10),
        date(2018, 9, 21),
        {
            "title_lines": (
                "Medway Children\u2019s Services",
                "Inspection of children\u2019s social care services",
            )
        },
    ),
    "title-mixed-wordings": Case(
        "ilacs",
        "Tameside",
        ILACS_2018,
        date(2019, 1, 14),
        date(2019, 1, 25),
        {
            "title_lines": (
                "Tameside metropolitan borough",
                "Inspection of local authority children\u2019s social care services",
            )
        },
    ),
    "title-unitary-authority": Case(
        "sif",
        "Cheshire East",
        SIF_ALL_GOOD,
        date(2016, 6, 6),
        date(2016, 6, 30),
        {
            "title_lines": (
                "Cheshire East Unitary Authority",
                "Inspection of services for children in need of help and protection,"
                " children looked after and care leavers",
            )
        },
        published=date(2016, 8, 2),
    ),
    # 3. Punctuation after the row labels.
    "ilacs-labels-end-with-full-stops": Case(
        "ilacs", "Stockport", ILACS_2024, date(2024, 9, 2), date(2024, 9, 13), {"label_end": "."}
    ),
    "ilacs-labels-end-with-colons": Case(
        "ilacs2026",
        "Wigan",
        Grades(leaders=RI, help_and_protection=G, in_care=RI, care_leavers=G),
        date(2026, 5, 11),
        date(2026, 5, 22),
        {"label_end": ":"},
    ),
    "sif-labels-end-with-full-stops": Case(
        "sif",
        "Stockport",
        SIF_ALL_GOOD,
        date(2015, 3, 2),
        date(2015, 3, 26),
        {"label_end": "."},
        published=date(2015, 5, 11),
    ),
    # 4. Two and three inspection visits: every span kept, none invented.
    "ilacs-two-visits-across-a-year-end": Case(
        "ilacs",
        "Stockport",
        ILACS_2024,
        date(2024, 10, 7),
        date(2025, 1, 24),
        {"dates_text": "7 October to 18 October 2024 and 20 to 24 January 2025"},
        spans=(
            (date(2024, 10, 7), date(2024, 10, 18)),
            (date(2025, 1, 20), date(2025, 1, 24)),
        ),
    ),
    "ilacs-two-visits-months-spelt-once": Case(
        "ilacs",
        "Stockport",
        ILACS_2024,
        date(2023, 12, 4),
        date(2024, 2, 7),
        {"dates_text": "4 to 8 December 2023 and 6 to 7 February 2024"},
        spans=(
            (date(2023, 12, 4), date(2023, 12, 8)),
            (date(2024, 2, 6), date(2024, 2, 7)),
        ),
    ),
    "ilacs-three-visits": Case(
        "ilacs",
        "Stockport",
        ILACS_2024,
        date(2025, 6, 2),
        date(2025, 9, 12),
        {"dates_text": "2 to 6 June 2025, 7 to 11 July 2025 and 8 to 12 September 2025"},
        spans=(
            (date(2025, 6, 2), date(2025, 6, 6)),
            (date(2025, 7, 7), date(2025, 7, 11)),
            (date(2025, 9, 8), date(2025, 9, 12)),
        ),
    ),
    # 5. "Not judged" rows: null and flagged, and the rest of the table still read.
    "sif-adoption-not-judged": Case(
        "sif",
        "Stockport",
        dataclasses.replace(SIF_ALL_GOOD, adoption=None),
        date(2016, 1, 11),
        date(2016, 2, 4),
        published=date(2016, 3, 21),
        problems=("adoption: not judged (the table says '2.1 Adoption performance Not judged')",),
    ),
    "sif-three-rows-not-judged": Case(
        "sif",
        "Stockport",
        Grades(overall=RI, leaders=RI, help_and_protection=RI, lscb=RI),
        date(2016, 1, 11),
        date(2016, 2, 4),
        {"not_judged_words": "Not Judged", "label_end": ":"},
        published=date(2016, 3, 21),
        problems=(
            "in_care: not judged (the table says '2. Children looked after and achieving"
            " permanence: Not Judged')",
            "adoption: not judged (the table says '2.1 Adoption performance: Not Judged')",
            "care_leavers: not judged (the table says '2.2 Experiences and progress of care"
            " leavers: Not Judged')",
        ),
    ),
    "ilacs-care-leavers-not-judged": Case(
        "ilacs",
        "Stockport",
        dataclasses.replace(ILACS_2024, care_leavers=None),
        date(2024, 9, 2),
        date(2024, 9, 13),
        {"not_judged": [Judgement.CARE_LEAVERS]},
        problems=(
            "care_leavers: not judged (the table says 'The experiences and progress of care"
            " leavers Not judged')",
        ),
    ),
    # 6. Tables split over two pages, a footnote and a page number between the rows.
    "sif-table-split-over-pages": Case(
        "sif",
        "Stockport",
        Grades(
            overall=RI,
            leaders=RI,
            help_and_protection=G,
            in_care=RI,
            adoption=G,
            care_leavers=INAD,
            lscb=G,
        ),
        date(2016, 1, 11),
        date(2016, 2, 4),
        {"split_table_after": 3},
        published=date(2016, 3, 21),
    ),
    "sif-table-split-after-one-row": Case(
        "sif",
        "Stockport",
        SIF_ALL_GOOD,
        date(2016, 1, 11),
        date(2016, 2, 4),
        {"split_table_after": 1, "label_end": "."},
        published=date(2016, 3, 21),
    ),
    "ilacs-table-split-over-pages": Case(
        "ilacs",
        "Stockport",
        ILACS_2024,
        date(2024, 9, 2),
        date(2024, 9, 13),
        {"split_table_after": 2},
    ),
    # 7. The SIF overall sentence without the authority's name.
    "sif-overall-without-name": Case(
        "sif",
        "Stockport",
        dataclasses.replace(SIF_ALL_GOOD, overall=RI, leaders=RI),
        date(2016, 1, 11),
        date(2016, 2, 4),
        {"overall_names_authority": False},
        published=date(2016, 3, 21),
    ),
    "sif-overall-without-name-short-ri-split": Case(
        "sif",
        "Stockport",
        dataclasses.replace(SIF_ALL_GOOD, overall=RI, in_care=RI),
        date(2016, 1, 11),
        date(2016, 2, 4),
        {"overall_names_authority": False, "short_ri": True, "split_table_after": 4},
        published=date(2016, 3, 21),
    ),
}


@pytest.fixture(scope="module", params=list(CASES), ids=list(CASES))
def case_reading(
    request: pytest.FixtureRequest, councils: CouncilRegistry
) -> tuple[Case, ReportReading]:
    case = CASES[request.param]
    return case, read_pdf(case.build(), councils)


def test_every_grade_is_read(case_reading: tuple[Case, ReportReading]) -> None:
    case, reading = case_reading
    assert reading.grades == case.grades


def test_dates_council_and_inspector_are_read(case_reading: tuple[Case, ReportReading]) -> None:
    case, reading = case_reading
    assert (reading.inspection_start, reading.inspection_end) == (case.start, case.end)
    assert reading.inspection_spans == (case.spans or ((case.start, case.end),))
    assert reading.published == case.published
    assert reading.council is not None
    assert reading.council.name == (case.expected_council or case.council_name)
    assert reading.lead_inspector == "Jo Fictional"


def test_framework_and_overall_rule(case_reading: tuple[Case, ReportReading]) -> None:
    case, reading = case_reading
    expected = Framework.SIF if case.layout == "sif" else Framework.ILACS
    assert reading.framework is expected
    assert reading.overall_removed is (case.layout == "ilacs2026")


def test_nothing_is_flagged_when_everything_is_read(
    case_reading: tuple[Case, ReportReading],
) -> None:
    case, reading = case_reading
    if case.layout == "sif" and case.grades.lscb is None:
        # The cover promises an LSCB review whose grade the fixture leaves out: flag it.
        assert reading.problems == ("lscb: the report reviews the LSCB but no grade found",)
    else:
        assert reading.problems == case.problems


def test_report_looks_like_a_report(case_reading: tuple[Case, ReportReading]) -> None:
    case, _ = case_reading
    assert looks_like_report(pdf_pages(case.build())[0])


def test_every_case_goes_to_the_report_reader(case_reading: tuple[Case, ReportReading]) -> None:
    """Whatever the title, a report PDF is read by the report reader, never the news
    classifier (which once took a care-leavers row for the overall grade)."""
    case, _ = case_reading
    document = Document("t", "http://127.0.0.1:9/report.pdf", case.build(), "application/pdf")
    classification = classify_document(document).classification
    assert classification.evidence_kind is EvidenceKind.REPORT
    assert [e.grades for e in classification.events] == [case.grades]


def test_to_event_carries_fields_and_evidence(councils: CouncilRegistry) -> None:
    case = CASES["ilacs-2025-wrapped-grades"]
    event = read_pdf(case.build(), councils).to_event()
    assert event is not None
    assert event.council.la_code == "356"
    assert (event.framework, event.grades) == (Framework.ILACS, case.grades)
    assert (event.inspection_start, event.inspection_end) == (case.start, case.end)
    assert event.needs_review == ()
    evidence = {e.field: e.text for e in event.evidence}
    assert evidence["leaders"] == (
        "The impact of leaders on social work practice with children and families"
        " Requires improvement to be good"
    )
    assert evidence["care_leavers"] == "The experiences and progress of care leavers Good"
    assert evidence["overall"] == "Overall effectiveness Requires improvement to be good"
    assert event.to_json()["judgements"]["care_leavers"] == "good"


def test_unknown_authority_gives_no_council_and_a_problem(councils: CouncilRegistry) -> None:
    case = CASES["ilacs-2025-wrapped-grades"]
    content = build_report_pdf(
        council_name="Borsetshire",
        layout="ilacs",
        grades=case.grades,
        inspection_start=case.start,
        inspection_end=case.end,
    )
    reading = read_pdf(content, councils)
    assert reading.council is None
    assert reading.authority_text == "Borsetshire"
    assert reading.problems == ("council: authority 'Borsetshire' is not in the reference list",)
    assert reading.grades == case.grades
    assert reading.to_event() is None


# ----------------------------------------------------------------------------- text-level cases


def ilacs_page(rows: str, *, dates: str = "Inspection dates: 12 to 23 May 2025") -> str:
    return (
        "Inspection of Stockport local authority\nchildren\u2019s services\n"
        f"{dates}\nLead inspector: Jo Fictional, HMI\nJudgement Grade\n{rows}"
    )


ROWS_2025 = (
    "The impact of leaders on social work\npractice with children and families\nGood\n"
    "The experiences and progress of\nchildren who need help and protection\nGood\n"
    "The experiences and progress of\nchildren in care\nGood\n"
    "The experiences and progress of care\nleavers\nGood\n"
)


NO_ILACS_TABLE = tuple(
    f"{j}: the ILACS judgement table cannot be read"
    for j in ("leaders", "help_and_protection", "in_care", "care_leavers", "overall")
)


@pytest.mark.parametrize(
    ("rows", "grades", "problems"),
    [
        pytest.param(
            "Our own sentence replaces the table here. Leaders were judged good.\n",
            Grades(),
            NO_ILACS_TABLE,
            id="no-table",
        ),
        pytest.param(
            ROWS_2025 + "Overall effectiveness Good\n",
            Grades(overall=G, leaders=G, help_and_protection=G, in_care=G, care_leavers=G),
            (),
            id="complete",
        ),
        pytest.param(
            ROWS_2025 + "Since then the overall effectiveness was inadequate and the\n",
            Grades(leaders=G, help_and_protection=G, in_care=G, care_leavers=G),
            ("overall: no row for it in the judgement table",),
            id="overall-missing-before-2026-is-flagged-and-prose-never-read",
        ),
        pytest.param(
            "The impact of leaders on social work practice with children and families Good\n"
            "The impact of leaders on social work practice with children and families Inadequate\n"
            "The experiences and progress of children who need help and protection Good\n"
            "The experiences and progress of children in care Good\n"
            "The experiences and progress of care leavers Good\nOverall effectiveness Good\n",
            Grades(overall=G, help_and_protection=G, in_care=G, care_leavers=G),
            ("leaders: the table has 2 rows for it",),
            id="duplicate-row-is-null-not-a-guess",
        ),
        pytest.param(
            "The impact of leaders on social work practice Good\n"
            "Something we have never seen before Good\n"
            "The experiences and progress of children in care Good\n",
            Grades(leaders=G),
            (
                "help_and_protection: no row for it in the judgement table",
                "in_care: no row for it in the judgement table",
                "care_leavers: no row for it in the judgement table",
                "overall: no row for it in the judgement table",
            ),
            id="unknown-label-ends-the-table",
        ),
        pytest.param(
            ROWS_2025.removesuffix("Good\n") + "Overall effectiveness Good\n",
            Grades(leaders=G, help_and_protection=G, in_care=G),
            (
                "care_leavers: no row for it in the judgement table",
                "overall: no row for it in the judgement table",
            ),
            id="missing-grade-never-borrows-the-next-rows-grade",
        ),
        pytest.param(
            "The experiences and progress of children in care are now Good\n",
            Grades(),
            NO_ILACS_TABLE,
            id="a-sentence-is-not-a-row",
        ),
    ],
)
def test_ilacs_table_reading_is_strict(
    rows: str, grades: Grades, problems: tuple[str, ...], councils: CouncilRegistry
) -> None:
    reading = read_report([ilacs_page(rows)], councils=councils)
    assert reading.grades == grades
    assert reading.problems == problems


def test_post_reform_table_without_a_date_asks_for_review(councils: CouncilRegistry) -> None:
    reading = read_report([ilacs_page(ROWS_2025, dates="")], councils=councils)
    assert reading.grades.overall is None
    assert reading.inspection_start is None
    assert reading.problems == (
        "inspection_dates: no 'Inspection dates:' line found",
        "overall: no row for it in the judgement table",
    )


@pytest.mark.parametrize(
    ("written", "start", "end"),
    [
        ("12 to 23 May 2025", date(2025, 5, 12), date(2025, 5, 23)),
        ("28 March to 1 April 2022", date(2022, 3, 28), date(2022, 4, 1)),
        ("27 November 2017 to 8 December 2017", date(2017, 11, 27), date(2017, 12, 8)),
        ("14 April \u2013 8 May 2015", date(2015, 4, 14), date(2015, 5, 8)),
        ("05 July 2016\u201327 July 2016", date(2016, 7, 5), date(2016, 7, 27)),
        ("19 November\u201330 November 2018", date(2018, 11, 19), date(2018, 11, 30)),
        ("1/06/2015 - 25/06/2015", date(2015, 6, 1), date(2015, 6, 25)),
        ("29 December 2015 to 8 January 2016", date(2015, 12, 29), date(2016, 1, 8)),
        (
            "8 July 2019 to 12 July 2019 and 7 August 2019 to\n8 August 2019",
            date(2019, 7, 8),
            date(2019, 8, 8),
        ),
        ("12 to 23 May, 2025", date(2025, 5, 12), date(2025, 5, 23)),
        ("12th to 23rd May 2025 2", date(2025, 5, 12), date(2025, 5, 23)),
        ("1 to 5 December and 12 to 14 February 2025", date(2024, 12, 1), date(2025, 2, 14)),
        ("3 to 7 March 2025 & 2 to 4 April 2025", date(2025, 3, 3), date(2025, 4, 4)),
    ],
)
def test_inspection_date_forms(
    written: str, start: date, end: date, councils: CouncilRegistry
) -> None:
    page = ilacs_page(
        ROWS_2025 + "Overall effectiveness Good\n", dates=f"Inspection dates: {written}"
    )
    reading = read_report([page], councils=councils)
    assert (reading.inspection_start, reading.inspection_end) == (start, end)


@pytest.mark.parametrize(
    ("written", "spans"),
    [
        pytest.param(
            "30 June to 11 July 2025 and 15 to 18 September 2025",
            ((date(2025, 6, 30), date(2025, 7, 11)), (date(2025, 9, 15), date(2025, 9, 18))),
            id="two-visits-over-108-days",
        ),
        pytest.param(
            "4 to 8 December 2023 and 13 to 14 February 2024",
            ((date(2023, 12, 4), date(2023, 12, 8)), (date(2024, 2, 13), date(2024, 2, 14))),
            id="the-first-visit-keeps-its-own-month",
        ),
        pytest.param(
            "30 June to 11 July 2025, and 15 to 18 September 2025",
            ((date(2025, 6, 30), date(2025, 7, 11)), (date(2025, 9, 15), date(2025, 9, 18))),
            id="comma-and",
        ),
        pytest.param(
            "30 June to 11 July 2025; 15 to 18 September 2025",
            ((date(2025, 6, 30), date(2025, 7, 11)), (date(2025, 9, 15), date(2025, 9, 18))),
            id="semicolon",
        ),
        pytest.param(
            "3 to 7 March, 5 to 9 May and 7 to 11 July 2025",
            (
                (date(2025, 3, 3), date(2025, 3, 7)),
                (date(2025, 5, 5), date(2025, 5, 9)),
                (date(2025, 7, 7), date(2025, 7, 11)),
            ),
            id="three-visits-one-year",
        ),
    ],
)
def test_every_visit_is_kept(
    written: str, spans: tuple[tuple[date, date], ...], councils: CouncilRegistry
) -> None:
    page = ilacs_page(
        ROWS_2025 + "Overall effectiveness Good\n", dates=f"Inspection dates: {written}"
    )
    reading = read_report([page], councils=councils)
    assert reading.inspection_spans == spans
    assert (reading.inspection_start, reading.inspection_end) == (spans[0][0], spans[-1][1])
    assert reading.problems == ()


@pytest.mark.parametrize(
    "written",
    [
        "12 to 23 Smarch 2025",
        "23 May 2025 to 12 January 2025",
        "soon",
        "13 to 16 January 2025 and 30 September to 11 October 2024",  # visits out of order
        "2 to 6 June 2024 and 7 to 11 July 2025",  # more than a year apart
        "1 to 5 to 9 May 2025",
        "12 to",
        "30 to 3 May 2025",  # a day never borrows a month it cannot be in
        "31 to 33 May 2025",
        # A second visit in words we do not parse: no end date rather than the first's.
        "30 June to 11 July 2025 with a further visit on 15 to 18 September 2025",
        "30 June to 11 July 2025 (and 16/09/2025)",
    ],
)
def test_unreadable_dates_are_null_and_flagged(written: str, councils: CouncilRegistry) -> None:
    page = ilacs_page(
        ROWS_2025 + "Overall effectiveness Good\n", dates=f"Inspection dates: {written}"
    )
    reading = read_report([page], councils=councils)
    assert (reading.inspection_start, reading.inspection_end) == (None, None)
    assert reading.problems[0].startswith("inspection_dates: ")


def test_sif_conflicting_lscb_grades_are_null(councils: CouncilRegistry) -> None:
    cover = (
        "1\nStockport Metropolitan Borough Council\nInspection of services for children in need"
        " of help and protection, children looked after and care leavers\nand\nReview of the"
        " effectiveness of the Local Safeguarding Children Board\nInspection dates: 12 June to"
        " 6 July 2017\nReport published: 25 August 2017\nThe overall judgement is good\n"
        "1. Children who need help and protection Good\n2. Children looked after and achieving\n"
        "permanence\nGood\n2.1 Adoption performance Outstanding\n2.2 Experiences and progress of"
        " care leavers Good\n3. Leadership, management and governance\nRequires\nImprovement\n"
    )
    lscb = "The Local Safeguarding Children Board is good\nAn LSCB that is outstanding leads.\n"
    later = "The LSCB is inadequate because our invented reasons say so.\n"
    reading = read_report([cover, lscb, later], councils=councils)
    assert reading.grades == Grades(
        overall=G, help_and_protection=G, in_care=G, adoption=OUT, care_leavers=G, leaders=RI
    )
    assert reading.problems == ("lscb: the report states different LSCB grades (good, inadequate)",)


# ----------------------------------------------------------------------------- not reports

FOCUSED_VISIT = [
    "Dear Director of Children's Services,",
    "Focused visit to Stockport local authority children\u2019s services",
    "This letter, which we wrote for the tests, sets out what inspectors looked at during a"
    " two-day focused visit to the front door. Focused visits are not graded, so the letter"
    " names areas for priority action rather than a judgement. Leaders were described as good"
    " at listening, which is not a grade.",
]
MONITORING_VISIT = [
    "Monitoring visit to Stockport children\u2019s services",
    "This invented letter follows up an earlier inspection whose overall effectiveness was"
    " inadequate. It records progress and does not change any judgement.",
]
JTAI = [
    "Joint targeted area inspection of the multi-agency response to children in Stockport",
    "Our own words: the inspectorates looked at how agencies work together. There is no grade.",
]
SEND = [
    "Area SEND inspection of Stockport Local Area Partnership",
    "An outcome wording for these letters is about inconsistent experiences; we wrote this line.",
]


@pytest.mark.parametrize(
    ("paragraphs", "title"),
    [
        pytest.param(FOCUSED_VISIT, "Ofsted letter", id="focused-visit"),
        pytest.param(MONITORING_VISIT, "Ofsted letter", id="monitoring-visit"),
        pytest.param(JTAI, "Joint inspection letter", id="jtai"),
        pytest.param(SEND, "Area SEND letter", id="send"),
    ],
)
def test_letters_do_not_look_like_reports(paragraphs: list[str], title: str) -> None:
    text = "\n".join(pdf_pages(letter_pdf(paragraphs, title=title)))
    assert not looks_like_report(text)


def test_news_text_does_not_look_like_a_report() -> None:
    text = (
        "Council praised as children's services in Stockport are rated good. The inspection of"
        " Stockport local authority children's services found the overall effectiveness good."
    )
    assert looks_like_report(text) is False


# ----------------------------------------------------------------------------- councils


def printed_names(official: str) -> list[str]:
    """Ways a report prints an authority's name."""
    head, sep, tail = official.partition(",")
    base = f"{tail.strip()} {head}" if sep else official
    return [base, f"{base} Council", f"{head} City Council" if sep else f"{base} County Council"]


def test_every_council_resolves_from_its_printed_names(councils: CouncilRegistry) -> None:
    wrong = {}
    for council in councils:
        for printed in printed_names(council.name):
            page = ilacs_page(ROWS_2025).replace("Stockport", printed)
            found = read_report([page], councils=councils).council
            if found != council:
                wrong[printed] = found.name if found else None
    assert wrong == {}


@pytest.mark.parametrize(
    ("printed", "official"),
    [
        ("the London Borough of Ealing", "Ealing"),
        ("the Royal Borough of Kensington and Chelsea", "Kensington and Chelsea"),
        ("Hull", "Kingston Upon Hull, City of"),
        ("Kingston Upon Hull City Council", "Kingston Upon Hull, City of"),
        ("East Riding", "East Riding of Yorkshire"),
        ("St. Helens Metropolitan Borough Council", "St. Helens"),
        ("Wakefield District Metropolitan Council", "Wakefield"),
        ("Metropolitan Borough of Solihull", "Solihull"),
        ("Southend-on-Sea city council", "Southend-on-Sea"),
        ("Telford & Wrekin Council", "Telford and Wrekin"),
        ("Cumbria County Council", "Cumbria"),
        ("Northamptonshire County Council", "Northamptonshire"),
        ("Bristol City Council", "Bristol, City of"),
    ],
)
def test_printed_name_variants_resolve(
    printed: str, official: str, councils: CouncilRegistry
) -> None:
    page = ilacs_page(ROWS_2025).replace("Stockport", printed)
    council = read_report([page], councils=councils).council
    assert council is not None
    assert council.name == official


def test_judgement_evidence_names_every_graded_field(councils: CouncilRegistry) -> None:
    reading = read_pdf(CASES["sif-2017-with-lscb"].build(), councils)
    fields = {e.field for e in reading.evidence}
    assert fields == {"council"} | {j.value for j, _ in reading.grades.items()}
    assert Judgement.LSCB.value in fields


def test_lscb_grade_counts_only_when_the_report_reviews_the_board(
    councils: CouncilRegistry,
) -> None:
    cover = (
        "Darlington\nInspection of services for children in need of help and protection,"
        " children looked after and care leavers\nInspection date: 27 February 2018 to 22 March"
        " 2018\nChildren's services in Darlington are good\n"
        "1. Children who need help and protection Good\n2. Children looked after and achieving"
        " permanence Good\n2.1 Adoption performance Good\n2.2 Experiences and progress of care"
        " leavers Good\n3. Leadership, management and governance Good\n"
    )
    prose = "Partners told us that the work of the board is valued.\nThe LSCB is good\n"
    reading = read_report([cover, prose], councils=councils)
    assert reading.grades.lscb is None
    assert reading.grades.overall is G
    assert reading.problems == (
        "lscb: an LSCB grade is stated but the report does not say it reviews the board",
    )
    assert read_report([cover], councils=councils).problems == ()


NO_SIF_TABLE = tuple(
    f"{j}: the five SIF judgement rows cannot be read in order"
    for j in ("help_and_protection", "in_care", "adoption", "care_leavers", "leaders")
)
SIF_COVER = (
    "1\nBorsetshire\nInspection of services for children in need of help and protection,"
    " children looked after and care leavers\nInspection date: 2 to 20 March 2015\n"
    "Children's services in Borsetshire require improvement\n"
)


@pytest.mark.parametrize(
    ("rows", "expected", "problems"),
    [
        pytest.param(
            "Leadership, management and governance require improvement when our invented\n"
            "sentence says so.\n1. Children who need help and protection Good\n2. Children"
            " looked after and achieving\npermanence\nGood\n2.1 Adoption performance"
            " Outstanding\n2.2 Experiences and progress of care leavers Good\n3. Leadership,"
            " management and governance Good\n",
            Grades(
                overall=RI,
                help_and_protection=G,
                in_care=G,
                adoption=OUT,
                care_leavers=G,
                leaders=G,
            ),
            (),
            id="prose-naming-a-judgement-before-the-table-is-ignored",
        ),
        pytest.param(
            "1. Children who need help and protection\n2. Children looked after and achieving"
            " permanence\n2.1 Adoption performance\n2.2 Experiences and progress of care"
            " leavers\n3. Leadership, management and governance\nGood\nInadequate\nGood\n"
            "Outstanding\nGood\n",
            Grades(overall=RI),
            NO_SIF_TABLE,
            id="column-by-column-text-is-not-guessed",
        ),
        pytest.param(
            "1. Children who need help and protection Good\n2. Children looked after and achieving"
            " permanence Good\n3. Leadership, management and governance Good\n",
            Grades(overall=RI),
            NO_SIF_TABLE,
            id="missing-rows",
        ),
    ],
)
def test_sif_rows_are_read_only_as_a_whole_table(
    rows: str, expected: Grades, problems: tuple[str, ...], councils: CouncilRegistry
) -> None:
    reading = read_report([SIF_COVER + rows], councils=councils)
    assert reading.grades == expected
    assert reading.problems == (
        "council: authority 'Borsetshire' is not in the reference list",
        *problems,
    )


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Lead inspector: Jo Fictional, His Majesty\u2019s Inspector", "Jo Fictional"),
        ("Lead inspector: Jo Fictional HMI", "Jo Fictional"),
        ("Lead Inspector: Jo Fictional-Smith, Senior HMI.", "Jo Fictional-Smith"),
        (
            "Lead inspectors: Jo Fictional, His Majesty\u2019s Inspector, and Sam Madeup,",
            "Jo Fictional and Sam Madeup",
        ),
        ("Lead inspector on site: Jo Fictional", "Jo Fictional"),
        ("Deputy lead inspector: Sam Madeup", None),
    ],
)
def test_lead_inspector_forms(line: str, name: str | None, councils: CouncilRegistry) -> None:
    page = ilacs_page(ROWS_2025).replace("Lead inspector: Jo Fictional, HMI", line)
    assert read_report([page], councils=councils).lead_inspector == name


# ----------------------------------------------------------------------------- issue 10 titles

TITLES = {
    "ilacs": "Inspection of {name} local authority children\u2019s services",
    "council-services": "Inspection of {name} children\u2019s services",
    "over-social-care": "{name}\nInspection of children\u2019s social care services",
    "services-over-social-care": (
        "{name} Children\u2019s Services\nInspection of children\u2019s social care services"
    ),
    "mixed": "{name}\nInspection of local authority children\u2019s social care services",
    "type-over-title": "{name} {la_type}\nInspection of children\u2019s social care services",
    "sif": (
        "1\n{name}\nInspection of services for children in need of help and protection,"
        " children looked after and care leavers\nand\nReview of the effectiveness of the"
        " Local Safeguarding Children Board"
    ),
}


def titled_page(title: str) -> str:
    return ilacs_page(ROWS_2025 + "Overall effectiveness Good\n").replace(
        "Inspection of Stockport local authority\nchildren\u2019s services", title
    )


def test_every_formal_name_and_alias_resolves_under_every_title_wording(
    councils: CouncilRegistry,
) -> None:
    """Every name local_authorities.csv gives an authority, under every title wording; a name
    several authorities share (a trust serving two) names none of them and is flagged."""
    wrong: dict[str, str | None] = {}
    shared_flagged = 0
    by_name: dict[str, set[str]] = {}
    for council in councils:
        for name in (council.name, *council.aliases):
            by_name.setdefault(name.lower(), set()).add(council.la_code)
    for council in councils:
        for name in (council.name, *council.aliases):
            for wording, template in TITLES.items():
                title = template.format(name=name, la_type=council.la_type)
                reading = read_report([titled_page(title)], councils=councils)
                if len(by_name[name.lower()]) > 1:
                    assert reading.council is None, title
                    assert reading.problems[0].startswith("council: "), title
                    shared_flagged += 1
                elif reading.council != council:
                    found = reading.council.name if reading.council else None
                    wrong[f"{wording}: {name}"] = found
    assert wrong == {}
    assert shared_flagged > 0  # Achieving for Children, Northamptonshire Children's Trust


@pytest.mark.parametrize(
    ("title", "problem"),
    [
        pytest.param(
            "Inspection of Achieving for Children",
            "council: 'Achieving for Children' names more than one authority in the reference list",
            id="shared-trust-name",
        ),
        pytest.param(
            "Inspection of Northamptonshire Children\u2019s Trust",
            'council: "Northamptonshire Children\'s Trust" names more than one authority in'
            " the reference list",
            id="trust-of-two-successors-is-not-the-old-county",
        ),
        pytest.param(
            "Inspection of Stockport and Trafford children\u2019s services",
            "council: the title names more than one authority ('Stockport', 'Trafford')",
            id="two-councils",
        ),
        pytest.param(
            "Inspection of the London Borough of Borsetshire children\u2019s services",
            "council: authority 'London Borough of Borsetshire' is not in the reference list",
            id="london-borough-is-not-the-city-of-london",
        ),
    ],
)
def test_a_title_that_names_no_single_council_is_flagged(
    title: str, problem: str, councils: CouncilRegistry
) -> None:
    reading = read_report([titled_page(title)], councils=councils)
    assert reading.council is None
    assert reading.problems == (problem,)
    assert reading.grades.overall is G  # the rest of the report is still read


def test_a_name_beside_its_shared_trust_name_resolves(councils: CouncilRegistry) -> None:
    title = "Inspection of Kingston upon Thames (Achieving for Children) children\u2019s services"
    reading = read_report([titled_page(title)], councils=councils)
    assert reading.council is not None and reading.council.name == "Kingston upon Thames"
    assert reading.problems == ()


def test_the_running_title_on_page_two_names_the_council(councils: CouncilRegistry) -> None:
    cover = titled_page("Inspection report")
    page_two = "Inspection of Wigan local authority children\u2019s services\n12 to 23 May 2025 2\n"
    reading = read_report([cover, page_two], councils=councils)
    assert reading.council is not None and reading.council.name == "Wigan"


def test_page_two_prose_never_names_the_council(councils: CouncilRegistry) -> None:
    cover = titled_page("Inspection report")
    page_two = "2\nExecutive summary\nOur own words: leaders visited Trafford to compare notes.\n"
    reading = read_report([cover, page_two], councils=councils)
    assert reading.council is None
    assert reading.problems == ("council: no authority name found on page one",)


# ----------------------------------------------------------------------------- routing

BORSETSHIRE_PDF = build_report_pdf(
    council_name="Borsetshire",
    layout="ilacs",
    grades=ILACS_2024,
    inspection_start=date(2025, 3, 3),
    inspection_end=date(2025, 3, 14),
    title_lines=("Inspection of Borsetshire County Council children\u2019s services",),
)


def test_a_listed_report_takes_the_provider_pages_council(councils: CouncilRegistry) -> None:
    stockport = councils.by_code("356")
    document = Document("ofsted", "http://127.0.0.1:9/f/1", BORSETSHIRE_PDF, "application/pdf")
    classification = classify_document(document, council=stockport).classification
    (event,) = classification.events
    assert event.council == stockport
    assert event.grades == ILACS_2024
    assert event.needs_review == ()
    assert event.evidence[0].text == "listed on the Ofsted provider page of Stockport"


def test_a_listed_report_naming_another_council_is_flagged(councils: CouncilRegistry) -> None:
    content = CASES["title-county-council"].build()  # Kent's report...
    document = Document("ofsted", "http://127.0.0.1:9/f/2", content, "application/pdf")
    wigan = councils.by_code("359")  # ...listed on Wigan's provider page
    (event,) = classify_document(document, council=wigan).classification.events
    assert event.council.name == "Kent"
    assert event.needs_review == (
        "council: the report names Kent but is listed on the Ofsted provider page of Wigan",
    )


def test_a_listed_pdf_is_never_read_as_news(councils: CouncilRegistry) -> None:
    """A provider page's PDF whose first page the reader cannot recognise is still a report:
    unread grades are null and flagged, never taken from prose by the news classifier."""
    content = letter_pdf(
        [
            "Our own words: the overall effectiveness of services in Stockport was judged"
            " inadequate last time, and inspectors now rate the authority good."
        ],
        title="Inspection report",
    )
    document = Document("ofsted", "http://127.0.0.1:9/f/3", content, "application/pdf")
    classification = classify_document(document, council=councils.by_code("356")).classification
    (event,) = classification.events
    assert classification.evidence_kind is EvidenceKind.REPORT
    assert event.grades == Grades()
    assert event.needs_review[0].startswith("inspection_dates: ")


def test_monitor_classify_reports_an_unreadable_council_for_review(tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(BORSETSHIRE_PDF)
    result = CliRunner().invoke(cli, ["classify", str(pdf), "--json"], catch_exceptions=False)
    assert result.exit_code == 0
    line = json.loads(result.output)
    assert line == {
        "path": str(pdf),
        "relevant": False,
        "events": [],
        "needs_review": [
            "council: authority 'Borsetshire County Council' is not in the reference list"
        ],
    }


# ----------------------------------------------------------------------------- the contract
#
# A field is right or null, and every null is named in ``problems`` with a reason. Checked on
# every fixture layout above, whole and damaged the ways PDF text comes out damaged: lines
# lost or added (page numbers, footers, stray marks), lines joined or broken, punctuation and
# spaces added, and the page break moved.

PAGES = {name: pdf_pages(case.build()) for name, case in CASES.items()}


def contract_breaches(case: Case, reading: ReportReading) -> tuple[list[str], list[str]]:
    """(wrong values, nulls not named in ``problems``) of a reading of ``case``'s report."""
    wrong: list[str] = []
    unnamed: list[str] = []

    def named(field: str) -> bool:
        return any(p.startswith((f"{field}:", "framework:")) for p in reading.problems)

    council = case.expected_council or case.council_name
    if reading.council is None:
        unnamed += [] if named("council") else ["council"]
    elif reading.council.name != council:
        wrong.append(f"council {reading.council.name}")
    framework = Framework.SIF if case.layout == "sif" else Framework.ILACS
    if reading.framework not in (framework, Framework.UNKNOWN):
        wrong.append(f"framework {reading.framework}")
    if reading.framework is Framework.UNKNOWN and not named("framework"):
        unnamed.append("framework")
    for end, want in (("start", case.start), ("end", case.end)):
        got = getattr(reading, f"inspection_{end}")
        if got is None and not named("inspection_dates"):
            unnamed.append(f"inspection_{end}")
        elif got is not None and got != want:
            wrong.append(f"inspection_{end} {got}")
    if reading.inspection_spans not in ((), case.spans or ((case.start, case.end),)):
        wrong.append(f"spans {reading.inspection_spans}")
    not_judged = set(case.options.get("not_judged", ()))
    if case.layout == "sif":
        not_judged |= {j for j in Judgement if case.grades[j] is None and j is not Judgement.LSCB}
    for judgement in Judgement:
        grade, truth = reading.grades[judgement], case.grades[judgement]
        if grade is not None and grade != truth:
            wrong.append(f"{judgement.value} {grade.value} (truth {truth})")
        elif grade is None and (truth is not None or judgement in not_judged):
            unnamed += [] if named(judgement.value) else [judgement.value]
    return wrong, unnamed


def test_every_fixture_report_keeps_the_contract(councils: CouncilRegistry) -> None:
    for name, case in CASES.items():
        assert contract_breaches(case, read_report(PAGES[name], councils=councils)) == ([], [])


NOISE_LINES = [
    "3",
    "Page 2 of 41",
    "\u2022",
    "*",
    "Ofsted",
    "www.example.org/fixture",
    "1 A footnote we wrote about nothing in particular.",
    "Contents",
    "(continued)",
    "....",
]


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A fixture report's text after a few of the accidents of PDF text extraction."""
    name = draw(st.sampled_from(list(CASES)))
    pages = list(PAGES[name])
    lines = "\n".join(pages[:2]).split("\n")
    first_page_lines = pages[0].count("\n") + 1
    out: list[str] = []
    breaks: list[int] = []
    for index, line in enumerate(lines):
        if index == first_page_lines:
            breaks.append(len(out))
        op = draw(st.sampled_from(["keep"] * 6 + ["drop", "noise", "punct", "join", "split"]))
        if op == "drop":
            continue
        if op == "noise":
            out.append(draw(st.sampled_from(NOISE_LINES)))
        elif op == "punct":
            line = line + draw(st.sampled_from([".", ":", ";", " -", ",", "  "]))
        elif op == "join" and out:
            out[-1] = f"{out[-1]} {line}"
            continue
        elif op == "split" and " " in line.strip():
            words = line.split(" ")
            at = draw(st.integers(1, len(words) - 1))
            out += [" ".join(words[:at]), " ".join(words[at:])]
            continue
        out.append(line)
    cut = breaks[0] if breaks else len(out)
    if draw(st.booleans()):  # the page break falls elsewhere
        cut = draw(st.integers(min(3, len(out)), len(out)))
    damaged_pages = ["\n".join(out[:cut]), "\n".join(out[cut:]), *pages[2:]]
    return name, damaged_pages


@settings(max_examples=600, deadline=None, derandomize=True, database=None)
@given(damaged())
def test_damaged_reports_give_no_wrong_value(sample: tuple[str, list[str]]) -> None:
    """0 wrong values: damage may cost fields (null, each named), never give a wrong one."""
    name, pages = sample
    reading = read_report(pages, councils=load_councils())
    assert contract_breaches(CASES[name], reading) == ([], []), (name, pages[0][:1500])


# ----------------------------------------------------------------------------- review flags


def test_a_null_judgement_is_flagged_in_history_and_alert(db: sqlite_utils.Database) -> None:
    """A report with a judgement it did not grade ("Not judged") raises a review flag that
    ``monitor history`` and the change alert both show."""
    stockport = load_councils().by_code("356")
    assert stockport is not None
    earlier = CASES["sif-2017-with-lscb"]
    later = CASES["sif-three-rows-not-judged"]  # a different year's report, three rows ungraded
    earlier = dataclasses.replace(earlier, start=date(2014, 1, 13), end=date(2014, 2, 6))
    for number, case, silent in ((1, earlier, True), (2, later, False)):
        document = Document(
            "ofsted", f"http://127.0.0.1:9/f/{number}", case.build(), "application/pdf"
        )
        (event,) = classify_document(document, council=stockport).classification.events
        evidence = EvidenceRef(
            item_id=None,
            url=document.url,
            title=f"Report {number}",
            source="ofsted",
            kind=EvidenceKind.REPORT,
            published=datetime(case.end.year, 4, 1, tzinfo=UTC),
        )
        now = datetime(case.end.year, 4, 2, tzinfo=UTC)
        record_event(db, event, evidence=evidence, silent=silent, subscribers=[], now=now)

    history = render_history(db, stockport)
    for problem in later.problems:
        assert f"NEEDS REVIEW: {problem}" in history
    change_id = db.execute("select max(id) from changes").fetchone()[0]
    assert change_id is not None  # overall good -> requires improvement
    alert = render_text(change_record(db, change_id))
    assert "Needs review" in alert
    assert "adoption: not judged" in alert


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    "line",
    [
        "Lead inspector: " + "," * 60_000 + " x",
        "Lead inspector: Jo" + ", ," * 20_000 + "HMIx",
        "Inspection dates: " + "1 to " * 20_000,
        "Inspection dates: " + "May 2025 " * 10_000,
    ],
    ids=["commas", "comma-spaces", "date-runs", "month-years"],
)
def test_hostile_lines_finish(line: str, councils: CouncilRegistry) -> None:
    """No pattern of the reader backtracks catastrophically (each used to be, or could be,
    quadratic on such a line)."""
    page = ilacs_page(ROWS_2025 + "Overall effectiveness Good\n").replace(
        "Lead inspector: Jo Fictional, HMI", line
    )
    read_report([page, page], councils=councils).to_event()


# ----------------------------------------------------------------------------- variants


def fixture_reading(
    layout: str, grades: Grades, councils: CouncilRegistry, **options: Any
) -> ReportReading:
    case = Case(layout, "Stockport", grades, date(2024, 9, 2), date(2024, 9, 13), options)
    if layout == "sif":
        case = dataclasses.replace(case, start=date(2016, 1, 11), end=date(2016, 2, 4))
    return read_pdf(case.build(), councils)


@pytest.mark.parametrize("layout", ["sif", "ilacs"])
@pytest.mark.parametrize("mark", [".", ":", ";", ",", " -", " \u2013", "*", "\u2026", ".:"])
def test_any_punctuation_after_the_labels(
    layout: str, mark: str, councils: CouncilRegistry
) -> None:
    grades = SIF_ALL_GOOD if layout == "sif" else ILACS_2024
    reading = fixture_reading(layout, grades, councils, label_end=mark)
    assert reading.grades == grades
    assert reading.problems == ()


SIF_ROWS = [Judgement.HELP_AND_PROTECTION, Judgement.IN_CARE, Judgement.ADOPTION,
            Judgement.CARE_LEAVERS, Judgement.LEADERS]  # fmt: skip
ILACS_ROWS = [Judgement.LEADERS, Judgement.HELP_AND_PROTECTION, Judgement.IN_CARE,
              Judgement.CARE_LEAVERS, Judgement.OVERALL]  # fmt: skip


@pytest.mark.parametrize(
    "label",
    [
        "The impact of leaders on social work practice with children, young people and families",
        "The impact of leaders on social work practice",
        "The experiences and progress of care-experienced young people",
        "The experiences and progress of care- experienced young people",
    ],
)
def test_label_wordings(label: str, councils: CouncilRegistry) -> None:
    if "leaders on" in label:
        old = "The impact of leaders on social work\npractice with children and families"
    else:
        old = "The experiences and progress of care\nleavers"
    page = ilacs_page(ROWS_2025.replace(old, label) + "Overall effectiveness Good\n")
    reading = read_report([page], councils=councils)
    assert reading.grades == Grades(
        overall=G, leaders=G, help_and_protection=G, in_care=G, care_leavers=G
    )
    assert reading.problems == ()


def test_no_separate_care_leavers_row_before_2023(councils: CouncilRegistry) -> None:
    """Care leavers were graded apart only from January 2023: an earlier report's separate
    care-leavers row is a misreading (a combined row cut short), null and flagged."""
    rows = ROWS_2025.replace("children in care\n", "children in care and care leavers\n")
    page = ilacs_page(rows + "Overall effectiveness Good\n").replace(
        "12 to 23 May 2025", "7 to 18 March 2022"
    )
    reading = read_report([page], councils=councils)
    assert reading.grades == Grades(overall=G, leaders=G, help_and_protection=G, in_care=G)
    assert reading.problems == (
        "care_leavers: a separate care leavers row ('The experiences and progress of care"
        " leavers Good') in an inspection before 2023, when care leavers were not graded apart",
    )


@pytest.mark.parametrize(
    ("layout", "judgement"),
    [("sif", j) for j in SIF_ROWS] + [("ilacs", j) for j in ILACS_ROWS],
)
def test_any_row_marked_not_judged_is_null_and_named(
    layout: str, judgement: Judgement, councils: CouncilRegistry
) -> None:
    grades = SIF_ALL_GOOD if layout == "sif" else ILACS_2024
    reading = fixture_reading(
        layout, grades, councils, not_judged=[judgement], not_judged_words="Not Judged"
    )
    assert reading.grades == grades.with_grade(judgement, None)
    (problem,) = reading.problems
    assert problem.startswith(f"{judgement.value}: not judged (the table says ")


@pytest.mark.parametrize(
    ("layout", "after"), [("sif", n) for n in range(1, 5)] + [("ilacs", n) for n in range(1, 5)]
)
def test_a_table_split_after_any_row_is_read_whole(
    layout: str, after: int, councils: CouncilRegistry
) -> None:
    grades = SIF_ALL_GOOD if layout == "sif" else ILACS_2024
    reading = fixture_reading(layout, grades, councils, split_table_after=after)
    assert reading.grades == grades
    assert reading.problems == ()


def test_a_split_table_does_not_continue_past_prose(councils: CouncilRegistry) -> None:
    """Rows on page two count only as the continuation of a table that page one cut off
    under nothing but a footnote: after prose they are not the table's."""
    cover = SIF_COVER.replace("Borsetshire", "Stockport") + (
        "1. Children who need help and protection Good\n2. Children looked after and achieving"
        " permanence Good\nOur own sentence: inspectors found the service good at listening.\n"
    )
    page_two = (
        "2\n2.1 Adoption performance Good\n2.2 Experiences and progress of care leavers Good\n"
        "3. Leadership, management and governance Good\n"
    )
    reading = read_report([cover, page_two], councils=councils)
    assert reading.grades == Grades(overall=RI)
    assert reading.problems == NO_SIF_TABLE


@pytest.mark.parametrize(
    ("sentence", "grade"),
    [
        ("Children\u2019s services require improvement to be good", RI),
        ("Children\u2019s services require\nimprovement to be good", RI),
        ("Children\u2019s\nservices are inadequate.", INAD),
        ("Children\u2019s services are good", G),
    ],
)
def test_sif_overall_sentence_without_a_name(
    sentence: str, grade: Grade, councils: CouncilRegistry
) -> None:
    cover = SIF_COVER.replace("Borsetshire", "Stockport").replace(
        "Children's services in Stockport require improvement", sentence
    )
    rows = (
        "1. Children who need help and protection Good\n2. Children looked after and achieving"
        " permanence Good\n2.1 Adoption performance Good\n2.2 Experiences and progress of care"
        " leavers Good\n3. Leadership, management and governance Good\n"
    )
    reading = read_report([cover + rows], councils=councils)
    assert reading.grades.overall is grade
    assert reading.problems == ()


def test_a_nameless_sentence_inside_prose_is_not_the_overall(councils: CouncilRegistry) -> None:
    cover = SIF_COVER.replace("Borsetshire", "Stockport").replace(
        "Children's services in Stockport require improvement",
        "In our own words, inspectors found that children\u2019s services are good at listening",
    )
    reading = read_report([cover], councils=councils)
    assert reading.grades.overall is None
    assert "overall: the SIF overall judgement sentence cannot be read" in reading.problems
