"""Readable text and metadata from a fetched ``Document``: HTML, PDF, plain text or a bare feed
entry.

Everything here treats the bytes as hostile. HTML never raises: a page that yields nothing
gives an ``Article`` with empty text. Only a broken PDF raises (``ReportError``, from
``monitor.pdf``), because a report that cannot be read must show in the source's health.

Bytes are decoded here, not by the libraries, in this order: a byte-order mark, the charset of
the HTTP content type, the page's ``<meta charset>``, UTF-8 if the bytes are valid UTF-8, then
windows-1252 (what browsers assume for an undeclared English page; statistical detection
mistakes short windows-1252 pages for Central European ones, turning "£" into "Ł"), then
``charset_normalizer``, and last UTF-8 with replacement characters.
"""

from __future__ import annotations

import codecs
import email.utils
import json
import logging
import re
import warnings
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import lxml.html
import webencodings
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag, XMLParsedAsHTMLWarning

from .models import Article, Document
from .ukdates import month_number
from .urls import canonical_url, is_http_url, registrable_domain

log = logging.getLogger("monitor.extract")

LONDON = ZoneInfo("Europe/London")
_TITLE_MAX = 300
# Parse work is bounded by cutting the markup: BeautifulSoup costs about 2 KB per element, and a
# 19 MB tag soup (2.4 million elements) took 5.3 GB and 255 s. Article pages have a few
# thousand elements; what follows the cut is lost, the page is still read.
MAX_MARKUP_CHARS = 8_000_000
MAX_TAGS = 50_000

_HTML_TYPES = ("text/html", "application/xhtml+xml")
# The tags an HTML page may open with (after blanks and comments); see _opens_like_html.
_HTML_OPENERS = (b"html", b"head", b"body", b"meta", b"title")
_ASCII_BLANKS = b" \t\n\r\x0b\x0c"
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_CHARSET_PARAM = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BLANKS = re.compile(r"[ \t\u00a0\u200b]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# <meta> names and properties that carry a publication date, strongest first.
_DATE_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.created",
    "date",
    "pubdate",
    "publishdate",
    "publication_date",
    "sailthru.date",
    "parsely-pub-date",
)
_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?)?$"
)
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_MONTH_NAME = r"(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_WORDED_DMY = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH_NAME}\s+(?P<year>\d{{4}})\b", re.IGNORECASE
)
_WORDED_MDY = re.compile(
    rf"\b{_MONTH_NAME}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b", re.IGNORECASE
)


def extract(doc: Document) -> Article:
    """The article in ``doc``; PDFs are read by ``monitor.pdf`` (``ReportError`` if broken)."""
    content = doc.content
    if not content.strip():
        return _from_feed_entry(doc)
    kind = sniff_kind(content, doc.content_type)
    if kind == "pdf":
        return _from_pdf(doc)
    if kind == "text":
        return _from_text(doc)
    return _from_html(doc)


def sniff_kind(content: bytes, content_type: str = "") -> str:
    """'pdf', 'html' or 'text'. The bytes outrank the declared type: some report links
    named .pdf answer with an HTML page, and some servers call everything text/plain."""
    head = content[:1024].lstrip()
    media = content_type.split(";")[0].strip().lower()
    if head.startswith(b"%PDF"):
        return "pdf"
    if _opens_like_html(_strip_bom(head)):
        return "html"
    if b"%PDF-" in head:  # a PDF behind a little junk, which PDF readers accept
        return "pdf"
    if media == "application/pdf":
        return "pdf"
    if media in _HTML_TYPES:
        return "html"
    if media.startswith("text/") and media != "text/xml":
        return "text"
    return "html" if b"<" in head and b">" in head else "text"


def looks_like_html(content: bytes) -> bool:
    """Whether the bytes open like an HTML page (a doctype, <html>, <head>...)."""
    return _opens_like_html(_strip_bom(content[:1024].lstrip()))


def _opens_like_html(head: bytes) -> bool:
    """Blanks and ``<!-- comments -->``, then a doctype or one of ``_HTML_OPENERS``.

    A scan, not a regular expression: ``(<!--.*?-->\\s*)*`` backtracks exponentially on a
    run of empty comments (``<!---->`` * 40 froze the daemon). Each byte is looked at a bounded
    number of times, and a comment ends at its first ``-->``, as in a browser."""
    pos = 0
    while True:
        while pos < len(head) and head[pos] in _ASCII_BLANKS:
            pos += 1
        if not head.startswith(b"<!--", pos):
            break
        end = head.find(b"-->", pos + 4)
        if end < 0:
            return False
        pos = end + 3
    if not head.startswith(b"<", pos):
        return False
    pos += 1
    if head[pos : pos + 8].lower() == b"!doctype":
        after = pos + 8
        blanks = after
        while blanks < len(head) and head[blanks] in _ASCII_BLANKS:
            blanks += 1
        return blanks > after and _word_at(head, blanks, b"html")
    return any(_word_at(head, pos, tag) for tag in _HTML_OPENERS)


def _word_at(data: bytes, pos: int, word: bytes) -> bool:
    """Whether ``word`` (any case) stands at ``pos`` and ends there (``\\b``)."""
    end = pos + len(word)
    if data[pos:end].lower() != word:
        return False
    following = data[end : end + 1]
    return not (following.isalnum() or following == b"_")  # bytes: ASCII letters only


# -- decoding ---------------------------------------------------------------------------------
def decode(content: bytes, content_type: str = "", *, html: bool = True) -> str:
    """``content`` as text, by the order in the module docstring; never raises."""
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            return content.decode(encoding, errors="replace").lstrip("\ufeff")
    declared = [charset_of(content_type)]
    if html:
        match = _META_CHARSET.search(content[:4096])
        declared.append(match.group(1).decode("ascii", "replace") if match else None)
    for label in declared:
        text = _try_decode(content, label)
        if text is not None:
            return text
    for fallback in ("utf-8", "windows-1252"):
        text = _try_decode(content, fallback)
        if text is not None:
            return text
    return _detected(content)


def charset_of(content_type: str) -> str | None:
    """The charset parameter of a Content-Type header, if any."""
    match = _CHARSET_PARAM.search(content_type)
    return match.group(1) if match else None


def _try_decode(content: bytes, label: str | None) -> str | None:
    """``content`` decoded by a declared label, or None to try the next clue.

    Only WHATWG Encoding Standard labels count, mapped as browsers map them ('latin1' and
    'ascii' are windows-1252, 'utf-16' is UTF-16LE): a page names the label, and Python's own
    codec names include transforms that are no text encoding at all ('punycode', 'idna',
    'rot13', 'base64'), some of which raise more than ``UnicodeDecodeError``, and UTF-7.
    """
    if not label:
        return None
    encoding = webencodings.lookup(label)
    if encoding is None or encoding.name == "replacement":
        return None  # unknown, or one browsers refuse to decode (ISO-2022-KR, HZ...)
    try:
        text, _ = encoding.codec_info.decode(content)
    except (UnicodeError, ValueError, LookupError, TypeError):
        return None  # a wrong declaration: try the next clue
    return str(text)


def _detected(content: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(content[:20000]).best()
    if best is not None and best.encoding:
        # A Python codec name chosen by the detector among real text encodings.
        try:
            return content.decode(best.encoding)
        except (UnicodeError, ValueError, LookupError):
            pass
    return content.decode("utf-8", errors="replace")


def _strip_bom(head: bytes) -> bytes:
    return head[3:] if head.startswith(codecs.BOM_UTF8) else head


def _content_type_with_charset(doc: Document) -> str:
    """The content type, with the charset a source kept in ``meta`` when it dropped it there."""
    charset = doc.meta.get("charset")
    if charset and "charset" not in doc.content_type.lower():
        return f"{doc.content_type}; charset={charset}"
    return doc.content_type


# -- the kinds ----------------------------------------------------------------------------------
def _from_feed_entry(doc: Document) -> Article:
    """A feed entry whose page was not fetched: its title and summary are all there is."""
    return _plain(doc, html_to_text(doc.summary or ""), "text", title=doc.title or "")


def _from_text(doc: Document) -> Article:
    text = normalise_text(decode(doc.content, _content_type_with_charset(doc), html=False))
    return _plain(doc, text, "text")


def _from_pdf(doc: Document) -> Article:
    from .pdf import pdf_pages  # imported here: PDF libraries are heavy and only reports need them

    pages = tuple(pdf_pages(doc.content))
    return _plain(doc, "\n".join(pages), "pdf", pages=pages)


def _plain(
    doc: Document,
    text: str,
    kind: str,
    *,
    title: str | None = None,
    pages: tuple[str, ...] = (),
) -> Article:
    """An Article for a body with no HTML metadata: the document's own URL, date and title
    (else the text's first line, which the classifier reads once; and the text's dateline)."""
    published = doc.published
    if kind == "text":
        # A stored copy may lead with "date 2023-01-27": the date the story was published.
        stamp = _DATE_PREFIX.match(text)
        if stamp is not None:
            text = text[stamp.end() :]
            published = published or parse_date(stamp.group(1))
        if published is None:
            published = dateline(text)
    return Article(
        url=doc.url,
        canonical_url=canonical_url(doc.url),
        title=clean_line(title if title is not None else doc.title or _first_line(text)),
        text=text,
        published=published,
        content_kind=kind,
        pages=pages,
    )


# A dateline is a line of its own at the top of a story: a date, perhaps after "Published",
# a weekday, a byline and a bar ("By Jo Bloggs | 23 January 2015"). A year in the prose ("at
# the last inspection in 2022") is never a publication date.
_DATELINE_LEAD = re.compile(
    r"(?i)(?:(?:by\s+[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,3}\s*)?[|,\-:]?\s*)?"
    r"(?:(?:first\s+)?(?:published|posted|updated|last\s+updated)(?:\s+on)?\s*:?\s*)?"
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
)
_DATELINE_TAIL = re.compile(r"(?i)(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:am|pm|bst|gmt)?)?\s*$")
_MONTH_WORD = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATELINE_DATE = re.compile(
    rf"(?i)(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH_WORD}\s+\d{{4}}|{_MONTH_WORD}\s+\d{{1,2}}"
    r"(?:st|nd|rd|th)?,?\s+\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/(?:\d{4}|\d{2}))"
)
_SHORT_NUMERIC = re.compile(r"(\d{1,2}/\d{1,2})/(\d{2})")
_PUBLISHED_ON = re.compile(r"(?i)^.{0,40}?\b(?:published|posted)(?:\s+on)?\s*:?\s+(?=\d|[a-z]{3})")
# "September 29, 2011 in Child safeguarding, Children": a date filed under categories.
_FILED_UNDER = re.compile(r"\s+in\s+[A-Z][\w'-]*(?:[\s,]+[\w'-]+)*$")
_DATELINE_LINES = 12
# A date under a label that makes it a meeting's ("Date of meeting:", "Meeting date:"), not the
# page's publication date.
_EVENT_DATE_LABEL = re.compile(
    r"(?i)^.{0,30}\b(?:meeting|committee|hearing|decision|event)\b.{0,20}:\s*$|"
    r"^(?:date\s+of\s+)?(?:meeting|decision|hearing|event)\s*(?:date)?\s*:?\s*$"
)
_DATE_PREFIX = re.compile(r"\s*date:?\s+(\d{4}-\d{2}-\d{2})\b[\s:|-]*", re.IGNORECASE)


def dateline(text: str) -> datetime | None:
    """The publication date a plain-text story states on a line of its own near its top."""
    lines = [line.strip() for line in text[:4000].splitlines() if line.strip()]
    for i, line in enumerate(lines[:_DATELINE_LINES]):
        if len(line) > 100 or (i and _EVENT_DATE_LABEL.search(lines[i - 1])):
            continue
        said = _PUBLISHED_ON.match(line)  # "News release PR12 - published on 24 February 2026"
        lead = _DATELINE_LEAD.match(line)
        if said:
            lead = _DATELINE_LEAD.match(line, said.end())
        rest = line[lead.end() if lead else 0 :]
        rest = _DATELINE_TAIL.sub("", _FILED_UNDER.sub("", rest))
        found = _DATELINE_DATE.fullmatch(rest.strip(" |-,"))
        if found is not None:
            parsed = parse_date(_four_digit_year(found.group(0)))
            if parsed is not None and 1990 <= parsed.year <= datetime.now(UTC).year + 1:
                return parsed
    return None


def _four_digit_year(value: str) -> str:
    """ "19/04/23" as "19/04/2023" (a short dateline is this century's)."""
    short = _SHORT_NUMERIC.fullmatch(value)
    return f"{short.group(1)}/20{short.group(2)}" if short else value


def _from_html(doc: Document) -> Article:
    markup = bounded_markup(decode(doc.content, _content_type_with_charset(doc)), doc.url)
    soup = parse_html(markup)
    canonical = _canonical_of(soup, _base_url(soup, doc.url), doc.url)
    title = _title_of(soup) or clean_line(doc.title or "")
    published = _meta_date(soup) or doc.published or _guessed_date(markup)
    # Last: the fallback reader strips boilerplate out of the soup.
    text = _main_text(markup) or _fallback_text(soup) or html_to_text(doc.summary or "")
    return Article(
        url=doc.url,
        canonical_url=canonical,
        title=title,
        text=text,
        published=published,
        content_kind="html",
    )


# -- HTML parts ---------------------------------------------------------------------------------
def bounded_markup(markup: str, url: str = "") -> str:
    """``markup`` cut at ``MAX_MARKUP_CHARS`` characters or before its ``MAX_TAGS``-th tag."""
    cut = markup[:MAX_MARKUP_CHARS]
    if cut.count("<") > MAX_TAGS:
        pos = -1
        for _ in range(MAX_TAGS):
            pos = cut.find("<", pos + 1)
        cut = cut[:pos]
    if len(cut) < len(markup):
        log.info("%s: markup cut to %d of %d characters (parse limit)", url, len(cut), len(markup))
    return cut


def _base_url(soup: BeautifulSoup, url: str) -> str:
    tag = soup.find("base", href=True)
    href = _attr(tag, "href")
    return canonical_url(href, url) if href else url


def _canonical_of(soup: BeautifulSoup, base: str, url: str) -> str:
    """<link rel=canonical>, then og:url, then the document's own URL; always absolute.

    A declared canonical counts only on the fetched URL's own registrable domain: a page
    on another site could otherwise claim an official report's URL, pass its own grades off
    as the report's and, under that URL's identity, hide the real report when it appears.
    """
    candidates = [
        _attr(soup.find("link", rel="canonical"), "href"),
        _meta_content(soup, "og:url"),
    ]
    own = registrable_domain(url)
    for href in candidates:
        if href:
            absolute = canonical_url(href, base)
            if is_http_url(absolute) and registrable_domain(absolute) == own:
                return absolute
    return canonical_url(url)


def _title_of(soup: BeautifulSoup) -> str:
    """og:title, then the first <h1>, then <title> (which usually carries the site's name)."""
    for candidate in (
        _meta_content(soup, "og:title"),
        _text_of(soup.find("h1")),
        _text_of(soup.find("title")),
    ):
        title = clean_line(candidate or "")
        if title:
            return title
    return ""


def _main_text(markup: str) -> str:
    """The article body by trafilatura; '' when it finds none."""
    import trafilatura  # heavy import, deferred until the first HTML document

    try:
        # UTF-8 bytes: trafilatura's fast path, so it cannot second-guess our decoding.
        text = trafilatura.extract(
            markup.encode("utf-8"),
            include_comments=False,
            include_tables=True,
            favor_precision=False,
            deduplicate=False,
        )
    except Exception as exc:  # third-party parsing of hostile bytes: any failure means "none"
        log.debug("trafilatura failed: %s", exc)
        return ""
    return normalise_text(text or "")


_BOILERPLATE_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "button",
)


def _fallback_text(soup: BeautifulSoup) -> str:
    """The text of <article>, <main> or <body>, without navigation and scripts."""
    root = soup.find("article") or soup.find("main") or soup.find("body") or soup
    if not isinstance(root, Tag):
        return ""
    for tag in root.find_all(_BOILERPLATE_TAGS):
        tag.decompose()
    return normalise_text(root.get_text("\n"))


def _meta_date(soup: BeautifulSoup) -> datetime | None:
    """The publication date the page states in its metadata."""
    for value in _date_candidates(soup):
        parsed = parse_date(value)
        if parsed is not None:
            return parsed
    return None


def _date_candidates(soup: BeautifulSoup) -> Iterator[str]:
    metas: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = (_attr(tag, "property") or _attr(tag, "name") or _attr(tag, "itemprop")).lower()
        content = _attr(tag, "content")
        if key and content and key not in metas:
            metas[key] = content
    for key in _DATE_META:
        if key in metas:
            yield metas[key]
    yield from _json_ld_dates(soup)
    for tag in soup.find_all(itemprop="datePublished"):
        yield _attr(tag, "datetime") or _attr(tag, "content") or _text_of(tag)
    for tag in soup.find_all("time"):
        yield _attr(tag, "datetime") or _text_of(tag)


def _json_ld_dates(soup: BeautifulSoup) -> Iterator[str]:
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.get_text())
        except ValueError:
            continue
        for node in _json_nodes(data):
            value = node.get("datePublished")
            if isinstance(value, str):
                yield value


def _json_nodes(data: Any) -> Iterator[dict[str, Any]]:
    """Every object in a JSON-LD document (top level, lists and @graph)."""
    if isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            yield from _json_nodes(data.get(key))
    elif isinstance(data, list):
        for item in data:
            yield from _json_nodes(item)


def _guessed_date(markup: str) -> datetime | None:
    """htmldate's reading of the page (dates in URLs, text, markup); the last resort."""
    from htmldate import find_date

    try:
        tree = lxml.html.document_fromstring(markup.encode("utf-8"))
        found = find_date(tree, original_date=True, extensive_search=True)
    except Exception as exc:  # hostile markup: no date rather than no article
        log.debug("htmldate failed: %s", exc)
        return None
    return parse_date(found) if found else None


# -- small helpers ------------------------------------------------------------------------------
def parse_html(markup: str | bytes) -> BeautifulSoup:
    """BeautifulSoup with lxml, quiet: a body that looks like a URL or like XML is still
    just hostile input to read, not a mistake worth a warning.

    Bytes are decoded here (``decode``: WHATWG labels only), never by BeautifulSoup, which
    honours any Python codec a page names: ``<meta charset="utf-7">`` would turn
    ``+ADw-a href=...+AD4-`` into a link no browser shows."""
    if isinstance(markup, bytes):
        markup = decode(markup)
    markup = bounded_markup(markup)  # listings too: a tag soup must not take gigabytes
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(markup, "lxml")


def parse_date(value: str) -> datetime | None:
    """A UTC datetime from ISO 8601 (an offset is honoured; none means London time) or a
    day-first numeric date ('03/04/2026' is 3 April); None when unreadable."""
    value = value.strip()
    match = _ISO.match(value)
    if match:
        return _iso_to_utc(match)
    match = _DAY_FIRST.match(value)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return _midnight_utc(year, month, day)
    return _rfc2822_date(value) or _worded_date(value)


def _worded_date(value: str) -> datetime | None:
    """'3 April 2026', 'Friday 3rd April 2026' or 'April 3, 2026'."""
    match = _WORDED_DMY.search(value) or _WORDED_MDY.search(value)
    if not match:
        return None
    parts = match.groupdict()
    month = month_number(parts["month"])
    if month is None:
        return None
    return _midnight_utc(int(parts["year"]), month, int(parts["day"]))


def _rfc2822_date(value: str) -> datetime | None:
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:  # no zone (or "-0000"): London time, as for ISO dates
        parsed = parsed.replace(tzinfo=LONDON)
    return parsed.astimezone(UTC)


def _iso_to_utc(match: re.Match[str]) -> datetime | None:
    year, month, day = int(match[1]), int(match[2]), int(match[3])
    if match[4] is None:
        return _midnight_utc(year, month, day)
    zone = match[7]
    try:
        local = datetime(year, month, day, int(match[4]), int(match[5]), int(match[6] or 0))
    except ValueError:
        return None
    if zone is None:
        return local.replace(tzinfo=LONDON).astimezone(UTC)
    if zone == "Z":
        return local.replace(tzinfo=UTC)
    offset = datetime.strptime(zone.replace(":", ""), "%z").tzinfo
    return local.replace(tzinfo=offset).astimezone(UTC)


def _midnight_utc(year: int, month: int, day: int) -> datetime | None:
    try:
        return datetime.combine(date(year, month, day), datetime.min.time(), tzinfo=UTC)
    except ValueError:
        return None


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment such as a feed summary."""
    if "<" not in fragment:
        return normalise_text(fragment)
    return normalise_text(parse_html(bounded_markup(fragment)).get_text("\n"))


def normalise_text(text: str) -> str:
    """Blanks collapsed inside lines, at most one empty line between paragraphs."""
    text = _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = (_BLANKS.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def clean_line(text: str) -> str:
    return _BLANKS.sub(" ", " ".join(text.split()))[:_TITLE_MAX]


def _first_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip()), "")


def _attr(tag: object, name: str) -> str:
    if not isinstance(tag, Tag):
        return ""
    value = tag.get(name)
    if isinstance(value, list):
        value = " ".join(value)
    return value.strip() if isinstance(value, str) else ""


def _meta_content(soup: BeautifulSoup, key: str) -> str:
    tag = soup.find("meta", property=key) or soup.find("meta", attrs={"name": key})
    return _attr(tag, "content")


def _text_of(tag: object) -> str:
    return tag.get_text(" ") if isinstance(tag, Tag) else ""
