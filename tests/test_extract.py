"""extract(): HTML, plain text, PDF and bare feed entries -> Article."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fpdf import FPDF

from monitor.demo.fixtureweb import FixtureWeb
from monitor.errors import ReportError
from monitor.extract import decode, extract, parse_date, sniff_kind
from monitor.models import Document

URL = "https://news.example.org/local/stockport-childrens-services?utm_source=rss"

ARTICLE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>Stockport children's services downgraded | The Example Gazette</title>
  {head}
</head>
<body>
  <header><nav><a href="/">Home</a> <a href="/sport">Sport</a></nav></header>
  <article>
    <h1>Stockport children's services downgraded</h1>
    <p>Inspectors have judged the borough's services for children to require improvement
    to be good, a fall from the good rating the council held after its previous visit.</p>
    <p>The report found that help for care leavers remained good, and that leaders had a
    clear plan to put things right before the next inspection.</p>
    <p>A spokesperson for the council said it accepted the findings in full and would
    publish an action plan within weeks.</p>
    {body}
  </article>
  <section id="comments"><p>Reader comment: I never trusted the old rating anyway.</p></section>
  <footer>Copyright The Example Gazette. Cookie settings.</footer>
</body>
</html>
"""


def html_doc(head: str = "", body: str = "", **fields: object) -> Document:
    content = ARTICLE.format(head=head, body=body).encode("utf-8")
    return Document(source="test", url=URL, content=content, content_type="text/html", **fields)  # type: ignore[arg-type]


# -- HTML ---------------------------------------------------------------------------------------
def test_html_article_text_title_and_url() -> None:
    article = extract(html_doc())

    assert article.content_kind == "html"
    assert article.title == "Stockport children's services downgraded"
    assert "require improvement to be good" in " ".join(article.text.split())
    assert "action plan within weeks" in article.text
    # Navigation, comments and the footer are not the story.
    assert "Sport" not in article.text
    assert "Reader comment" not in article.text
    assert "Cookie settings" not in article.text
    assert article.url == URL
    assert article.canonical_url == "https://news.example.org/local/stockport-childrens-services"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        pytest.param(
            '<link rel="canonical" href="/2025/07/stockport-downgraded?utm_medium=x">',
            "https://news.example.org/2025/07/stockport-downgraded",
            id="relative rel=canonical made absolute and cleaned",
        ),
        pytest.param(
            '<meta property="og:url" content="https://WWW.Example.org/story/1#top">',
            "https://www.example.org/story/1",
            id="og:url when no rel=canonical",
        ),
        pytest.param(
            '<link rel="canonical" href="https://a.example.org/one">'
            '<meta property="og:url" content="https://b.example.org/two">',
            "https://a.example.org/one",
            id="rel=canonical outranks og:url",
        ),
        pytest.param(
            '<link rel="canonical" href="javascript:void(0)">',
            "https://news.example.org/local/stockport-childrens-services",
            id="a non-http canonical is ignored",
        ),
        pytest.param(
            '<base href="https://mirror.example.org/news/"><link rel="canonical" href="item-7">',
            "https://mirror.example.org/news/item-7",
            id="relative to <base href>",
        ),
    ],
)
def test_canonical_url_honours_the_page(head: str, expected: str) -> None:
    assert extract(html_doc(head=head)).canonical_url == expected


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        pytest.param(
            '<meta property="article:published_time" content="2025-07-15T10:30:00+01:00">',
            "",
            utc(2025, 7, 15, 9, 30),
            id="article:published_time with offset to UTC",
        ),
        pytest.param(
            '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
            '{"@type": "WebPage"}, {"@type": "NewsArticle", '
            '"datePublished": "2025-07-16T08:00:00Z"}]}</script>',
            "",
            utc(2025, 7, 16, 8, 0),
            id="JSON-LD datePublished inside @graph",
        ),
        pytest.param(
            "",
            '<p>Posted <time datetime="2025-01-20T10:00:00">20 January</time></p>',
            utc(2025, 1, 20, 10, 0),
            id="<time datetime> without offset is London time (winter)",
        ),
        pytest.param(
            "",
            '<time datetime="2025-07-20T10:00:00">20 July</time>',
            utc(2025, 7, 20, 9, 0),
            id="<time datetime> without offset is London time (summer)",
        ),
        pytest.param(
            '<meta name="date" content="03/04/2026">',
            "",
            utc(2026, 4, 3),
            id="numeric meta date is day-first",
        ),
        pytest.param(
            "",
            '<p class="published">Published 03/04/2026</p>',
            utc(2026, 4, 3),
            id="numeric date in the page text is day-first",
        ),
        pytest.param(
            "",
            "<p>Published on Friday 3rd April 2026 by the press office.</p>",
            utc(2026, 4, 3),
            id="worded date in the page text",
        ),
    ],
)
def test_publication_date(head: str, body: str, expected: datetime) -> None:
    published = extract(html_doc(head=head, body=body)).published
    assert published == expected
    assert published is not None and published.tzinfo is not None


def test_page_metadata_date_outranks_the_feed_date() -> None:
    feed_date = utc(2025, 7, 18, 12, 0)
    head = '<meta property="article:published_time" content="2025-07-15T09:00:00Z">'
    assert extract(html_doc(head=head, published=feed_date)).published == utc(2025, 7, 15, 9)


def test_feed_date_used_when_the_page_states_none() -> None:
    feed_date = utc(2025, 7, 18, 12, 0)
    assert extract(html_doc(published=feed_date)).published == feed_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-07-15", utc(2025, 7, 15)),
        ("2025-07-15T23:30:00-02:00", utc(2025, 7, 16, 1, 30)),
        ("2025-07-15T09:30:00.123Z", utc(2025, 7, 15, 9, 30)),
        ("12/05/2025", utc(2025, 5, 12)),
        ("1.2.2024", utc(2024, 2, 1)),
        ("July 15, 2025", utc(2025, 7, 15)),
        ("Tue, 15 Jul 2025 10:00:00 +0100", utc(2025, 7, 15, 9, 0)),
        ("Tue, 15 Jul 2025 10:00:00 GMT", utc(2025, 7, 15, 10, 0)),
        ("31/02/2025", None),
        ("next Tuesday", None),
        ("", None),
    ],
)
def test_parse_date(value: str, expected: datetime | None) -> None:
    parsed = parse_date(value)
    assert parsed == expected
    if parsed is not None:
        assert parsed.utcoffset() == timedelta(0)


def test_title_falls_back_to_the_feed_title() -> None:
    doc = Document(
        source="t",
        url="https://example.org/a",
        content=b"<html><body><p>Inspectors visited the borough in May.</p></body></html>",
        content_type="text/html",
        title="Council rated good",
    )
    assert extract(doc).title == "Council rated good"


def test_text_falls_back_when_trafilatura_finds_no_article() -> None:
    # trafilatura drops a lone comments section; the fallback reader keeps the page's text.
    content = (
        b"<html><body><script>var tracker = 1;</script><aside>Related stories</aside>"
        b'<div id="comments"><p>Barnet children\'s services were rated outstanding.</p></div>'
        b"<footer>Cookie settings</footer></body></html>"
    )
    doc = Document(source="t", url="https://example.org/a", content=content)
    assert extract(doc).text == "Barnet children's services were rated outstanding."


# -- decoding -----------------------------------------------------------------------------------
WESTERN = (
    "<p>The council\u2019s \u201cgood\u201d rating cost \u00a34,500 \u2013 caf\u00e9 talk.</p>"
)
WESTERN_TEXT = "The council\u2019s \u201cgood\u201d rating cost \u00a34,500 \u2013 caf\u00e9 talk."


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        pytest.param(WESTERN.encode("cp1252"), "text/html", id="windows-1252, no charset anywhere"),
        pytest.param(WESTERN.encode("cp1252"), "text/html; charset=iso-8859-1", id="latin-1 label"),
        pytest.param(
            b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
            + WESTERN.encode("cp1252"),
            "text/html",
            id="meta http-equiv charset",
        ),
        pytest.param(
            WESTERN.encode("cp1252"), "text/html; charset=utf-8", id="wrong header charset"
        ),
        pytest.param(WESTERN.encode("utf-8"), "text/html", id="utf-8, no charset"),
        pytest.param(
            b'<meta charset="windows-1252">' + WESTERN.encode("utf-8"),
            "text/html; charset=UTF-8",
            id="header charset outranks meta",
        ),
        pytest.param(b"\xef\xbb\xbf" + WESTERN.encode("utf-8"), "", id="utf-8 BOM"),
        pytest.param(WESTERN.encode("utf-16"), "", id="utf-16 BOM"),
        pytest.param(
            WESTERN.encode("cp1252"), "text/html; charset=no-such-codec", id="unknown label"
        ),
    ],
)
def test_decode(content: bytes, content_type: str) -> None:
    assert WESTERN_TEXT in decode(content, content_type)


def test_windows_1252_page_without_charset_extracts_readably() -> None:
    page = ARTICLE.format(head="", body=WESTERN).replace('<meta charset="utf-8">', "")
    doc = Document(source="t", url=URL, content=page.encode("cp1252"), content_type="text/html")
    assert WESTERN_TEXT in extract(doc).text


def test_charset_kept_in_meta_is_honoured() -> None:
    # Sources keep the header's charset in meta; koi8-r cannot be guessed from these bytes.
    body = "<html><body><p>\u041e\u0444\u0441\u0442\u0435\u0434</p></body></html>"
    doc = Document(
        source="t",
        url=URL,
        content=body.encode("koi8-r"),
        content_type="text/html",
        meta={"charset": "koi8-r"},
    )
    assert "\u041e\u0444\u0441\u0442\u0435\u0434" in extract(doc).text


# -- other kinds --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("content", "content_type", "kind"),
    [
        (b"%PDF-1.7\n...", "application/pdf", "pdf"),
        (b"%PDF-1.4\n...", "application/octet-stream", "pdf"),
        (b"\r\n%PDF-1.4\n...", "", "pdf"),
        (b"<!DOCTYPE html><html><body>Report moved</body></html>", "application/pdf", "html"),
        (b"  <html><body>x</body></html>", "text/plain", "html"),
        (b"Plain words only", "text/plain", "text"),
        (b"Plain words only", "", "text"),
        (b"<p>fragment</p>", "", "html"),
        (b"junk", "application/pdf", "pdf"),
    ],
)
def test_sniff_kind(content: bytes, content_type: str, kind: str) -> None:
    assert sniff_kind(content, content_type) == kind


def test_plain_text_document() -> None:
    text = "Barnsley judged good\r\n\r\n\r\nThe borough's services for children improved.\r\n"
    doc = Document(
        source="t",
        url="file:///tmp/barnsley.txt",
        content=text.encode("utf-8"),
        content_type="text/plain",
    )
    article = extract(doc)
    assert article.content_kind == "text"
    assert article.title == "Barnsley judged good"
    assert article.text == "Barnsley judged good\n\nThe borough's services for children improved."
    assert article.canonical_url == "file:///tmp/barnsley.txt"


def test_feed_entry_without_page() -> None:
    published = utc(2025, 7, 15, 8, 30)
    doc = Document(
        source="t",
        url="https://example.org/news/1",
        content=b"",
        title="  Barnet rated\noutstanding ",
        summary="<p>Inspectors found <b>outstanding</b> practice.</p><p>Second paragraph.</p>",
        published=published,
    )
    article = extract(doc)
    assert article.content_kind == "text"
    assert article.title == "Barnet rated outstanding"
    assert article.text == "Inspectors found\noutstanding\npractice.\nSecond paragraph."
    assert article.published == published


def report_pdf(lines: list[list[str]]) -> bytes:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for page in lines:
        pdf.add_page()
        for line in page:
            pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def test_pdf_document_pages() -> None:
    content = report_pdf(
        [
            ["Stockport local authority children's services inspection", "Inspection dates:"],
            ["Overall effectiveness Requires improvement to be good"],
        ]
    )
    doc = Document(
        source="t",
        url="https://files.example.org/v1/file/50280000",
        content=content,
        content_type="application/pdf",
    )
    article = extract(doc)
    assert article.content_kind == "pdf"
    assert len(article.pages) == 2
    assert "Overall effectiveness" in article.pages[1]
    assert article.text == "\n".join(article.pages)
    assert article.title == "Stockport local authority children's services inspection"


def test_broken_pdf_raises_report_error() -> None:
    doc = Document(source="t", url="https://example.org/r.pdf", content=b"%PDF-1.4\nbroken")
    with pytest.raises(ReportError):
        extract(doc)


@pytest.mark.parametrize(
    "content",
    [
        b"<html>",
        b"<<<<>>>>",
        b"\x00\xff\xfe<html><body>\x00\x01</body>",
        b"<html><head><title></title></head><body></body></html>",
        b"<html><body>" + b"<div>" * 5000 + b"deep" + b"</div>" * 5000 + b"</body></html>",
        b'<html><head><script type="application/ld+json">{not json</script>'
        b'<meta name="date" content="99/99/9999"></head></html>',
    ],
    ids=["unclosed", "brackets", "binary", "empty", "deep nesting", "bad metadata"],
)
def test_garbage_html_never_raises(content: bytes) -> None:
    article = extract(Document(source="t", url=URL, content=content, content_type="text/html"))
    assert article.content_kind == "html"
    assert "\x00" not in article.text
    assert article.published is None


@pytest.mark.parametrize("content_type", ["text/html", "text/plain", ""])
def test_a_body_that_is_a_url_is_never_fetched(web: FixtureWeb, content_type: str) -> None:
    # trafilatura and htmldate fetch a URL string themselves; extract hands them bytes/trees.
    web.set("/trap", ARTICLE.format(head="", body=""))
    content = web.url("/trap").encode()
    article = extract(Document(source="t", url=URL, content=content, content_type=content_type))
    assert web.requests_to("/trap") == []
    assert article.text == web.url("/trap")
