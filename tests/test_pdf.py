"""monitor.pdf: page text from real PDF bytes, and clear ReportErrors for broken files."""

from __future__ import annotations

from datetime import date

import pytest

from monitor.demo.reportpdf import (
    build_report_pdf,
    encrypted_pdf,
    html_named_pdf,
    textless_pdf,
    truncated_pdf,
)
from monitor.errors import ReportError
from monitor.models import Grade, Grades
from monitor.pdf import pdf_pages

GRADES = Grades(
    overall=Grade.GOOD,
    leaders=Grade.GOOD,
    help_and_protection=Grade.REQUIRES_IMPROVEMENT,
    in_care=Grade.GOOD,
    care_leavers=Grade.OUTSTANDING,
)


@pytest.fixture(scope="module")
def report() -> bytes:
    return build_report_pdf(
        council_name="Stockport",
        layout="ilacs",
        grades=GRADES,
        inspection_start=date(2025, 5, 12),
        inspection_end=date(2025, 5, 23),
        extra_pages=3,
    )


def test_reads_every_page_in_order(report: bytes) -> None:
    pages = pdf_pages(report)
    assert len(pages) == 4
    assert pages[0].startswith("Inspection of Stockport local authority children\u2019s")
    assert "Judgement Grade" in pages[0]
    assert "Findings, part 3" in pages[3]


def test_page_cap_bounds_the_work(report: bytes) -> None:
    pages = pdf_pages(report, max_pages=2)
    assert len(pages) == 2
    assert "Findings, part 1" in pages[1]


def test_line_ends_are_plain_newlines(report: bytes) -> None:
    assert all("\r" not in page for page in pdf_pages(report))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"", r"^not a PDF: the file is empty$", id="empty"),
        pytest.param(
            html_named_pdf(),
            r"^not a PDF: the file is an HTML page \(a web page saved with a \.pdf name\)",
            id="html-named-pdf",
        ),
        pytest.param(
            b"PK\x03\x04 a zip file",
            r"^not a PDF: no %PDF- header \(the file starts b'PK",
            id="zip",
        ),
        pytest.param(
            b"%PDF-1.7\n" + b"\x00garbage" * 50 + b"\n%%EOF\n",
            r"^the PDF is truncated or corrupt and cannot be opened",
            id="corrupt",
        ),
        pytest.param(
            encrypted_pdf(),
            r"^the PDF is encrypted with a password and cannot be read$",
            id="encrypted",
        ),
        pytest.param(
            textless_pdf(),
            r"^the PDF has no text layer \(2 page\(s\), no extractable text\)",
            id="no-text-layer",
        ),
    ],
)
def test_broken_files_raise_a_clear_report_error(content: bytes, message: str) -> None:
    with pytest.raises(ReportError, match=message):
        pdf_pages(content)


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_truncated_download_is_refused(report: bytes, keep: float) -> None:
    with pytest.raises(ReportError, match=r"^the PDF is truncated: it ends without the %%EOF"):
        pdf_pages(truncated_pdf(report, keep=keep))


def test_a_table_split_over_pages_keeps_its_rows_in_order() -> None:
    """The split-table fixture (monitor.demo.reportpdf) comes out as real ones do: page one
    ends with the first rows and a footnote, page two opens with its number and the rest."""
    content = build_report_pdf(
        council_name="Stockport",
        layout="sif",
        grades=Grades(
            overall=Grade.GOOD,
            leaders=Grade.GOOD,
            help_and_protection=Grade.GOOD,
            in_care=Grade.GOOD,
            adoption=Grade.OUTSTANDING,
            care_leavers=Grade.GOOD,
        ),
        inspection_start=date(2016, 1, 11),
        inspection_end=date(2016, 2, 4),
        split_table_after=2,
    )
    first, second = pdf_pages(content)[:2]
    assert first.index("1. Children who need help") < first.index("2. Children looked after")
    assert "2.1 Adoption performance" not in first
    assert "invented footnote" in first.split("2. Children looked after")[1]
    assert second.lstrip().startswith("2\n2.1 Adoption performance Outstanding")
