"""canonical_url and host_of: one spelling per URL, table-driven."""

from __future__ import annotations

import pytest

from monitor.urls import canonical_url, host_of, is_http_url

CANONICAL = [
    ("already canonical", "https://example.org/news/a", None, "https://example.org/news/a"),
    ("scheme and host lower-cased", "HTTPS://Example.ORG/News", None, "https://example.org/News"),
    ("default https port", "https://example.org:443/a", None, "https://example.org/a"),
    ("default http port", "http://example.org:80/a", None, "http://example.org/a"),
    ("other port kept", "http://127.0.0.1:8080/a", None, "http://127.0.0.1:8080/a"),
    ("fragment dropped", "https://example.org/a#comments", None, "https://example.org/a"),
    ("empty path is /", "https://example.org", None, "https://example.org/"),
    (
        "utm dropped",
        "https://example.org/a?utm_source=x&utm_medium=rss",
        None,
        "https://example.org/a",
    ),
    (
        "click ids dropped",
        "https://example.org/a?fbclid=1&gclid=2&msclkid=3",
        None,
        "https://example.org/a",
    ),
    (
        "mailchimp and bbc dropped",
        "https://example.org/a?mc_cid=1&mc_eid=2&at_medium=rss"
        "&at_campaign=x&ocid=y&cmpid=z&ito=w&_ga=1&ref=home",
        None,
        "https://example.org/a",
    ),
    (
        "tracking names are case-blind",
        "https://example.org/a?UTM_Source=x",
        None,
        "https://example.org/a",
    ),
    (
        "query sorted, real params kept",
        "https://example.org/s?q=ofsted&page=2&utm_term=x",
        None,
        "https://example.org/s?page=2&q=ofsted",
    ),
    (
        "bracketed params survive",
        "https://reports.ofsted.gov.uk/search?level_2_types%5B%5D=12&q=",
        None,
        "https://reports.ofsted.gov.uk/search?level_2_types%5B%5D=12&q=",
    ),
    (
        "relative path",
        "story-2",
        "https://example.org/news/story-1",
        "https://example.org/news/story-2",
    ),
    (
        "root-relative path",
        "/news/b?utm_source=x",
        "https://example.org/x/y",
        "https://example.org/news/b",
    ),
    (
        "protocol-relative",
        "//cdn.example.org/a",
        "https://example.org/",
        "https://cdn.example.org/a",
    ),
    ("dot segments", "https://example.org/a/./b/../c", None, "https://example.org/a/c"),
    ("trailing slash kept", "https://example.org/news/", None, "https://example.org/news/"),
    (
        "index.html kept",
        "https://example.org/news/index.html",
        None,
        "https://example.org/news/index.html",
    ),
    ("www kept", "https://www.example.org/a", None, "https://www.example.org/a"),
    ("whitespace stripped", "  https://example.org/a \n", None, "https://example.org/a"),
    ("mailto untouched", "mailto:press@example.org", None, "mailto:press@example.org"),
    ("trailing dot in host", "https://example.org./a", None, "https://example.org/a"),
]


@pytest.mark.parametrize(
    ("url", "base", "expected"), [c[1:] for c in CANONICAL], ids=[c[0] for c in CANONICAL]
)
def test_canonical_url(url: str, base: str | None, expected: str) -> None:
    assert canonical_url(url, base) == expected


@pytest.mark.parametrize("url", [c[3] for c in CANONICAL], ids=[c[0] for c in CANONICAL])
def test_canonical_url_is_idempotent(url: str) -> None:
    assert canonical_url(canonical_url(url)) == canonical_url(url)


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://WWW.Stockport.gov.uk:8443/news", "www.stockport.gov.uk"),
        ("http://127.0.0.1:5000/a", "127.0.0.1"),
        ("/relative/only", ""),
        ("http://[::1]:80/", "::1"),
        ("http://[broken/", ""),
    ],
)
def test_host_of(url: str, host: str) -> None:
    assert host_of(url) == host


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a", True),
        ("HTTP://example.org", True),
        ("ftp://example.org/a", False),
        ("/news/a", False),
        ("javascript:void(0)", False),
    ],
)
def test_is_http_url(url: str, expected: bool) -> None:
    assert is_http_url(url) is expected
