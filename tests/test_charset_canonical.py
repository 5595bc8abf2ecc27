"""Two things a page declares about itself: its charset (only WHATWG labels count; decoding
never raises) and its canonical URL (only on the fetched URL's own registrable domain)."""

from __future__ import annotations

import pytest

from monitor.extract import decode, extract
from monitor.models import Document
from monitor.urls import registrable_domain


@pytest.mark.parametrize(
    "label",
    [
        "punycode",
        "idna",
        "rot13",
        "base64",
        "uu_codec",
        "zlib",
        "hex",
        "utf-7",
        "utf-32",
        "iso-2022-kr",
        "replacement",
        "unicode_internal",
        "mbcs",
        "x\x00y",
        "",
        "  ",
        "c" * 300,
    ],
)
@pytest.mark.parametrize(
    "body",
    [b"caf\xc3\xa9 -abc- xn--", b"hello-world-\xff\xfe", b"abc-9999999999", b"+ADw-script+AD4-"],
)
def test_any_charset_label_decodes_without_raising(label: str, body: bytes) -> None:
    content = f'<html><head><meta charset="{label}"></head><body>'.encode("latin-1") + body
    text = decode(content)
    assert isinstance(text, str)
    assert decode(body, f"text/html; charset={label}", html=False) is not None
    # UTF-7 is not a web encoding: "+ADw-" must not turn into "<".
    assert "<script>" not in text


@pytest.mark.parametrize(
    ("label", "body", "expected"),
    [
        ("latin1", "£5".encode("cp1252"), "£5"),  # browsers read latin1 as windows-1252
        ("windows-1252", b"\x93quoted\x94", "\u201cquoted\u201d"),
        ("shift_jis", "日本".encode("shift_jis"), "日本"),
        ("utf-16", "hi".encode("utf-16-le"), "hi"),  # WHATWG: utf-16 means UTF-16LE
    ],
)
def test_whatwg_labels_are_honoured(label: str, body: bytes, expected: str) -> None:
    assert decode(body, f"text/plain; charset={label}", html=False) == expected


def page(canonical: str) -> bytes:
    return (
        f'<html><head><link rel="canonical" href="{canonical}"><title>Stockport rated good'
        "</title></head><body><article><h1>Stockport rated good</h1><p>Text of the story, "
        "long enough to be an article body for the extractor to keep.</p></article></body>"
        "</html>"
    ).encode()


@pytest.mark.parametrize(
    ("fetched", "declared", "kept"),
    [
        # Another site claiming an official report's URL: ignored.
        ("https://news.example/story", "https://files.ofsted.gov.uk/v1/file/5021", False),
        ("http://127.0.0.1:8000/story", "https://files.ofsted.gov.uk/v1/file/5021", False),
        ("http://127.0.0.1:8000/story", "http://127.0.0.2:8000/story", False),
        ("https://www.bbc.co.uk/news/1", "https://www.itv.co.uk/news/1", False),
        ("https://a.github.io/story", "https://b.github.io/story", False),  # private suffix
        # The same registrable domain: a site's own canonical spelling, kept.
        ("https://reports.ofsted.gov.uk/provider/44/1", "https://files.ofsted.gov.uk/v1/x", True),
        ("https://m.bbc.co.uk/news/1?utm_source=x", "https://www.bbc.co.uk/news/1", True),
        ("http://127.0.0.1:8000/story?x=1", "http://127.0.0.1:8000/story", True),
        ("https://news.example/amp/story", "/story", True),  # relative: same host
    ],
)
def test_canonical_only_on_the_fetched_registrable_domain(
    fetched: str, declared: str, kept: bool
) -> None:
    article = extract(
        Document(source="paper", url=fetched, content=page(declared), content_type="text/html")
    )
    if kept:
        assert registrable_domain(article.canonical_url) == registrable_domain(fetched)
        assert article.canonical_url != fetched
    else:
        assert registrable_domain(article.canonical_url) == registrable_domain(fetched)
        assert article.canonical_url.startswith(fetched.split("?")[0].rsplit("/", 1)[0])


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://files.ofsted.gov.uk/v1/file/1", "ofsted.gov.uk"),
        ("https://www.manchestereveningnews.co.uk/news", "manchestereveningnews.co.uk"),
        ("https://WWW.Stockport.GOV.uk./x", "stockport.gov.uk"),
        ("http://127.0.0.1:8000/", "127.0.0.1"),
        ("http://[::1]:8000/", "::1"),
        ("http://localhost/", "localhost"),
        ("https://news.example/", "news.example"),
        ("not a url", ""),
    ],
)
def test_registrable_domain(url: str, domain: str) -> None:
    assert registrable_domain(url) == domain


def test_a_utf7_page_smuggles_no_link() -> None:
    """BeautifulSoup itself would honour utf-7 and find a link no browser shows."""
    from monitor.sources.page import select_links

    body = (
        b'<html><head><meta charset="utf-7"></head><body><a class="s" href="/seen">Seen</a>'
        b"+ADw-a class=+ACI-s+ACI- href=+ACI-http://127.0.0.2/admin+ACI-+AD4-x+ADw-/a+AD4-"
        b"</body></html>"
    )
    links = select_links(body, "http://127.0.0.1:8000/news", "a.s")
    assert [link.url for link in links] == ["http://127.0.0.1:8000/seen"]
