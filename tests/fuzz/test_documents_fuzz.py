"""Fuzzing what the pipeline does with a fetched document: ``extract`` (HTML, text, PDF),
``pdf_pages`` on damaged report PDFs, the report reader and the news classifier.

Contracts: ``extract`` raises only ``ParseError`` (``ReportError`` for a broken PDF);
``pdf_pages`` only ``ReportError``; ``read_report``, ``classify_article`` and ``classify_text``
never raise: text that makes no sense is "not relevant" or a reading with problems.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from monitor.classify import classify_article, classify_text
from monitor.classify.report import read_report
from monitor.councils import load_councils
from monitor.demo.reportpdf import build_report_pdf
from monitor.errors import ParseError, ReportError
from monitor.extract import extract
from monitor.models import Article, Classification, Document, Grade, Grades
from monitor.pdf import pdf_pages

FUZZ = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# Reading HTML (trafilatura) or opening a PDF costs milliseconds: fewer examples.
FUZZ_EXTRACT = settings(FUZZ, max_examples=60)
FUZZ_PDF = settings(FUZZ, max_examples=80)
COUNCILS = load_councils()
RI, GOOD = Grade.REQUIRES_IMPROVEMENT, Grade.GOOD

REPORT = build_report_pdf(
    council_name="Stockport",
    layout="ilacs",
    grades=Grades(overall=RI, leaders=RI, help_and_protection=RI, in_care=RI, care_leavers=GOOD),
    inspection_start=date(2025, 5, 12),
    inspection_end=date(2025, 5, 23),
    extra_pages=1,
)
REPORT_PAGES = pdf_pages(REPORT)

ARTICLE = b"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Stockport children's services downgraded | Local Paper</title>
<link rel="canonical" href="/news/stockport-ofsted?utm_source=x">
<meta property="article:published_time" content="2025-07-16T09:00:00+01:00">
<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2025-07-16"}</script>
</head><body><nav><a href="/">Home</a></nav><article><h1>Stockport downgraded</h1>
<p>Ofsted has downgraded Stockport's children's services from good to requires improvement
to be good, although care leavers were still judged good.</p>
<p>The council said it accepted the findings &amp; would act at once.</p></article>
<footer>&copy; 2025 &#x2014; comments (12)</footer></body></html>"""

TOKENS = [
    b"<",
    b">",
    b"&",
    b"&#0;",
    b"&#xFFFFFFFF;",
    b"<!--",
    b"<script>",
    b"</script>",
    b"<style>",
    b"<p>",
    b"<article>",
    b"<![CDATA[",
    b"<meta charset='utf-16'>",
    b"<meta charset='\x00'>",
    b'<meta property="article:published_time" content="0000-00-00">',
    b'<meta name="date" content="31/02/2025">',
    b'<link rel="canonical" href="http://[::1">',
    b'<link rel="canonical" href="javascript:alert(1)">',
    b'<script type="application/ld+json">{"datePublished": [null, {}, 1e999]}</script>',
    b"%PDF-1.7",
    b"%%EOF",
    b"obj",
    b"endobj",
    b"stream\n",
    b"endstream",
    b"/Length 999999",
    b"xref",
    b"trailer",
    b"/Encrypt",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\x00",
    b"\xc3",
]


EDITS = ("cut", "flip", "insert", "token", "delete", "repeat")


@st.composite
def mutated(
    draw: st.DrawFn, seed: bytes, *, keep_ends: int = 0, edits: tuple[str, ...] = EDITS
) -> bytes:
    """``seed`` after a few random edits: cuts, bit flips, insertions, deletions, splices;
    the first and last ``keep_ends`` bytes are left alone (a PDF's header and %%EOF, so that
    the damage reaches PDFium instead of the cheap checks in front of it)."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(keep_ends, max(keep_ends, len(data) - keep_ends)))
        op = draw(st.sampled_from(edits))
        if op == "cut":
            del data[at:]
        elif op == "flip" and at < len(data):
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif op == "token":
            data[at:at] = draw(st.sampled_from(TOKENS))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif op == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 60))] * draw(st.integers(2, 5))
    return bytes(data)


content_types = st.sampled_from(
    ["text/html", "application/pdf", "text/plain", "application/xhtml+xml", "text/xml", ""]
)
documents = st.builds(
    Document,
    source=st.just("fuzz"),
    url=st.sampled_from(["http://127.0.0.1:9/news/1", "http://127.0.0.1:9/files/report.pdf"]),
    content=st.one_of(mutated(ARTICLE), st.binary(max_size=400), st.just(b"   ")),
    content_type=content_types,
    title=st.none() | st.text(max_size=30),
    published=st.none() | st.datetimes(timezones=st.just(UTC)),
    summary=st.none() | st.text(max_size=60),
    meta=st.just({}) | st.just({"charset": "bogus"}) | st.just({"charset": "utf-16"}),
)

# Words and phrases the report reader and the classifier look for, to splice into noise.
PHRASES = [
    "Ofsted",
    " rated ",
    " judged ",
    "inadequate",
    "requires improvement to be good",
    "Requires\nimprovement",
    "good",
    "outstanding",
    "adequate",
    "downgraded",
    "upgraded from",
    "Stockport",
    "Nottingham",
    "Nottinghamshire",
    "the council",
    "children's services",
    "Children\u2019s services in Merton are ",
    "Inspection of Stockport local authority children's services\n",
    "Inspection dates: ",
    "12 to 23 May 2025",
    "31 February 2025",
    "99 to 1 May 0000",
    "Judgement Grade\n",
    "Overall effectiveness ",
    "The impact of leaders on social work practice with children and families ",
    "1. Children who need help and protection ",
    "2.1 Adoption performance ",
    "Lead inspector: ",
    "Local Safeguarding Children Board",
    "\n",
    "  ",
    ".",
    "\x00",
    "\ufffe",
]
noise = st.lists(st.sampled_from(PHRASES) | st.text(max_size=12), max_size=60).map("".join)


@FUZZ_EXTRACT
@given(documents)
@example(
    Document("fuzz", "http://127.0.0.1:9/n", ARTICLE.replace(b"/news/stockport", b"http://[::1"))
)
def test_extract_raises_only_parse_error(document: Document) -> None:
    try:
        article = extract(document)
    except ParseError:
        return
    assert isinstance(article, Article)
    assert article.published is None or article.published.utcoffset() is not None
    # Extracted articles go straight on to the classifier, which must take any of them.
    assert isinstance(classify_article(article, councils=COUNCILS), Classification)


# Damage inside the file; truncation has its own test below.
damaged_reports = mutated(
    REPORT, keep_ends=64, edits=("flip", "insert", "token", "delete", "repeat")
)


@FUZZ_PDF
@given(st.one_of(damaged_reports, mutated(REPORT)))
def test_pdf_pages_raises_only_report_error(content: bytes) -> None:
    try:
        pages = pdf_pages(content)
    except ReportError:
        return
    assert all(isinstance(page, str) for page in pages)
    reading = read_report(pages, councils=COUNCILS)
    reading.to_event()


@FUZZ_PDF
@given(damaged_reports)
def test_damaged_report_documents_are_contained(content: bytes) -> None:
    document = Document("fuzz", "http://127.0.0.1:9/file/1", content, "application/pdf")
    try:
        article = extract(document)
    except ReportError:
        return
    assert isinstance(classify_article(article, councils=COUNCILS), Classification)


@pytest.mark.parametrize("keep", [0.0, 0.1, 0.5, 0.9, 0.99])
def test_truncated_reports_are_report_errors(keep: float) -> None:
    with pytest.raises(ReportError):
        pdf_pages(REPORT[: int(len(REPORT) * keep)])


@FUZZ
@given(st.lists(noise, max_size=4))
def test_read_report_takes_any_pages(pages: list[str]) -> None:
    reading = read_report(pages, councils=COUNCILS)
    reading.to_event()


@FUZZ
@given(st.integers(0, len(REPORT_PAGES[0])), noise, st.integers(0, 200))
def test_read_report_takes_damaged_report_text(at: int, inserted: str, cut: int) -> None:
    first = REPORT_PAGES[0]
    pages = [first[:at] + inserted + first[at + cut :], *REPORT_PAGES[1:]]
    reading = read_report(pages, councils=COUNCILS)
    reading.to_event()
    pdf_article = Article("u", "u", "t", "\n".join(pages), content_kind="pdf", pages=tuple(pages))
    assert isinstance(classify_article(pdf_article, councils=COUNCILS), Classification)


@FUZZ
@given(text=noise, title=st.none() | noise, published=st.none() | st.dates())
def test_classify_text_takes_any_text(text: str, title: str | None, published: date) -> None:
    result = classify_text(text, title=title, councils=COUNCILS, published=published)
    assert isinstance(result, Classification)


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "text",
    [
        "Stockport " * 5000,
        "rated " * 5000 + "good",
        "requires improvement to be " * 2000,
        "children's services in " * 2000,
        " " * 100_000 + "inadequate",
        "a" * 200_000,
        ("Ofsted rated Stockport good. " * 400),
        "\n".join(f"Inspection dates: {d} to {d} May 2025" for d in range(1, 29)) * 50,
    ],
    ids=["names", "rated", "ri", "services-in", "blanks", "one-word", "sentences", "dates"],
)
def test_pathological_text_finishes(text: str) -> None:
    # Guard against catastrophic regex backtracking: each of these must finish (the timeout
    # fails the test otherwise), in both the news classifier and the report reader.
    classify_text(text, councils=COUNCILS, published=date(2025, 7, 16))
    read_report([text], councils=COUNCILS).to_event()
    now = datetime(2026, 11, 23, tzinfo=UTC)
    article = Article("u", "u", text[:80], text, published=now)
    classify_article(article, councils=COUNCILS)
