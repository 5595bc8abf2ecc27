"""Hostile documents, built here (no files shipped): for tests/faults/test_hostile.py and
bench/hostile_inputs.py. Each is something a probe of the daemon found or that the design
says to expect: pages that freeze a regular expression or exhaust the parser, PDF
decompression bombs, PDFs that make the reader work per page, broken encodings, feeds and
PDFs. Product code never imports this module.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from .reportpdf import truncated_pdf

MB = 1024**2

# What the monitor should make of a case:
# - "read": read (perhaps cut short) and stored as an item;
# - "rejected": recorded as failed for its URL (parse_failures) and not read again;
# - "item_error": an error on that item, nothing stored (a broken PDF);
# - "fallback": the page could not be fetched; its feed entry is stored from the summary;
# - "source_error": the feed itself is unreadable; the poll of that source fails.
Expect = Literal["read", "rejected", "item_error", "fallback", "source_error"]


@dataclass(frozen=True)
class Hostile:
    """One hostile input and how it is served: as the page a feed entry links to
    (``where="article"``) or as the feed itself (``where="feed"``)."""

    name: str
    build: Callable[[], bytes]
    content_type: str
    expect: Expect
    where: Literal["article", "feed"] = "article"
    headers: dict[str, str] = field(default_factory=dict)
    slow: bool = False  # costs seconds to build or to read
    note: str = ""


# -- HTML and text ------------------------------------------------------------------------------
def comment_page() -> bytes:
    """300 bytes: 40 empty comments, then something that is not an HTML opening tag. The old
    ``(<!--.*?-->\\s*)*`` sniffing regex backtracked exponentially on it (0.37 s at 22
    comments, four times longer for every two more)."""
    return b"<!---->" * 40 + b"<p>Nothing to see here, just comments.</p>"


def tag_soup(size: int = 19 * MB) -> bytes:
    """``<b>x</b><i>y</i>`` repeated to ``size`` bytes (under max_body): 2.4 million elements
    at 19 MB, which took 5.3 GB and 255 s to parse."""
    unit = b"<b>x</b><i>y</i>"
    return b"<html><body>" + unit * (size // len(unit)) + b"</body></html>"


def deep_nesting(depth: int = 200_000) -> bytes:
    """``<div>`` nested ``depth`` deep: recursion in tree walkers."""
    return b"<html><body>" + b"<div>" * depth + b"deep" + b"</div>" * depth + b"</body></html>"


def punycode_charset() -> bytes:
    """A charset label that is a Python codec but no WHATWG encoding (it raised UnicodeError)."""
    return (
        b'<html><head><meta charset="punycode"><title>Council news</title></head><body>'
        b"<article><p>The council opened a new library on the high street.</p></article>"
        b"</body></html>"
    )


def invalid_utf8() -> bytes:
    """Declared UTF-8, with bytes that are not UTF-8 and a NUL inside the charset label."""
    return (
        b'<html><head><meta charset="utf-8"><meta charset="ut\x00f-8"><title>Caf\xe9 '
        b"\xff\xfe news</title></head><body><article><p>Bad bytes \xc3\x28 and \xa0 here, "
        b"\xed\xa0\x80 a surrogate.</p></article></body></html>"
    )


def utf16_without_bom() -> bytes:
    """UTF-16 with no byte-order mark, labelled as nothing."""
    return "<html><body><p>Sixteen bits a character.</p></body></html>".encode("utf-16-le")


def truncated_gzip() -> bytes:
    """A gzip body cut in half (served with ``Content-Encoding: gzip``)."""
    page = b"<html><body><article><p>" + b"A story that never arrives whole. " * 400
    packed = gzip.compress(page + b"</p></article></body></html>")
    return packed[: len(packed) // 2]


# -- PDFs -----------------------------------------------------------------------------------------
def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (object 1 is the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _stream(data: bytes, filters: str = "/FlateDecode") -> bytes:
    return (
        b"<< /Length %d /Filter %s >>\nstream\n" % (len(data), filters.encode())
        + data
        + (b"\nendstream")
    )


def deflated(size: int, unit: bytes = b" ", *, prefix: bytes = b"") -> bytes:
    """``prefix`` and ``unit`` repeated to ``size`` more bytes, deflated (zlib) without
    holding it inflated."""
    packer = zlib.compressobj(9)
    chunk = unit * (4 * MB // len(unit))
    parts = [packer.compress(prefix)]
    left = size
    while left > 0:
        piece = chunk if left >= len(chunk) else chunk[:left]
        parts.append(packer.compress(piece))
        left -= len(piece)
    parts.append(packer.flush())
    return b"".join(parts)


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _pages_pdf(page_count: int, contents_ref: int, streams: list[bytes]) -> bytes:
    """Catalog, page tree, ``page_count`` pages all drawing object ``contents_ref``."""
    first_page = 3
    font_ref = first_page + page_count + len(streams)
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(page_count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, page_count),
    ]
    for _ in range(page_count):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (contents_ref, font_ref)
        )
    objects.extend(streams)
    objects.append(_FONT)
    return raw_pdf(objects)


def flate_bomb(inflated: int = 1024 * MB) -> bytes:
    """One page whose content stream is ``inflated`` bytes of blanks deflated (about 1,000:1:
    1 MB of file for 1 GB). PDFium inflates it whole; it took 2.1 GB per MB of file."""
    return _pages_pdf(1, 4, [_stream(deflated(inflated))])


def double_flate_bomb(inflated: int = 2048 * MB) -> bytes:
    """A content stream deflated twice (``/Filter [/FlateDecode /FlateDecode]``): the outer
    layer inflates to a few MB, so only the parse worker's memory cap stands in the way."""
    inner = deflated(inflated)
    return _pages_pdf(1, 4, [_stream(zlib.compress(inner, 9), "[/FlateDecode /FlateDecode]")])


def shared_stream_pdf(pages: int = 120, inflated: int = 100 * MB) -> bytes:
    """``pages`` pages sharing one content stream of ``inflated`` bytes (0.12 MB of file for
    100 MB): PDFium inflates it once per page (21 s)."""
    text = b"BT /F1 12 Tf 72 720 Td (Shared stream) Tj ET\n"
    stream = deflated(inflated - len(text), prefix=text)
    return _pages_pdf(pages, 3 + pages, [_stream(stream)])


def glyph_flood_pdf(pages: int = 120, glyphs: int = 400_000) -> bytes:
    """``pages`` pages sharing one small stream that draws ``glyphs`` characters: cheap to
    inflate (it passes the decompression check) but 48 M characters of text: reading stops at
    ``pdf.MAX_TEXT_CHARS``."""
    line = b"(Ofsted) Tj "
    ops = b"BT /F1 1 Tf 1 1 Td " + line * (glyphs // 6) + b"ET\n"
    return _pages_pdf(pages, 3 + pages, [_stream(zlib.compress(ops, 9))])


def path_flood_pdf(pages: int = 120, paths: int = 1_000_000) -> bytes:
    """``pages`` pages sharing one 14 MB content stream of ``paths`` line segments (0.1 MB of
    file): no text to cap and little to inflate, but PDFium builds every path of every page
    (a minute or more; 13 s at 200,000 paths). What the parse time limit is for."""
    ops = b"0 0 m 1 1 l S\n" * paths + b"BT /F1 12 Tf 72 720 Td (Paths) Tj ET\n"
    return _pages_pdf(pages, 3 + pages, [_stream(zlib.compress(ops, 9))])


def broken_pdf() -> bytes:
    """Garbage after a PDF header, served as application/pdf."""
    return (
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\n"
        + b"\x00\xff" * 500
        + (b"\n%%EOF\n")
    )


def cut_pdf() -> bytes:
    """A valid one-page PDF with its end cut off (a download cut short)."""
    return truncated_pdf(_pages_pdf(1, 4, [_stream(zlib.compress(b"BT ET", 9))]), keep=0.6)


# -- feeds ----------------------------------------------------------------------------------------
def garbage_feed() -> bytes:
    """Not a feed at all: binary noise with an XML declaration."""
    return b'<?xml version="1.0"?>\n' + bytes(range(256)) * 20


def html_instead_of_feed() -> bytes:
    """A login page where the feed should be, opening with a run of empty comments."""
    return b"<!---->" * 40 + b"<html><body><form>Sign in</form></body></html>"


def truncated_feed() -> bytes:
    """An RSS feed cut off mid-entry."""
    return (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>'
        b"<item><title>Half an entry</title><link>http://127.0.0.1:9/half</link><descr"
    )


CASES: tuple[Hostile, ...] = (
    Hostile("comment-page", comment_page, "text/html", "read", note="300 B, 40 empty comments"),
    Hostile("tag-soup-19mb", tag_soup, "text/html", "read", slow=True, note="19 MB, 2.4 M tags"),
    Hostile("deep-nesting", deep_nesting, "text/html", "read", note="200,000 nested divs"),
    Hostile("punycode-charset", punycode_charset, "text/html", "read"),
    Hostile("invalid-utf8", invalid_utf8, "text/html; charset=utf-8", "read"),
    Hostile("utf16-no-bom", utf16_without_bom, "text/html", "read"),
    Hostile(
        "truncated-gzip",
        truncated_gzip,
        "text/html",
        "fallback",
        headers={"Content-Encoding": "gzip"},
    ),
    Hostile(
        "flate-bomb",
        flate_bomb,
        "application/pdf",
        "rejected",
        slow=True,
        note="1 MB file inflating to 1 GB",
    ),
    Hostile(
        "double-flate-bomb",
        double_flate_bomb,
        "application/pdf",
        "rejected",
        slow=True,
        note="deflated twice, 2 GB: past the check, stopped by the memory cap",
    ),
    Hostile(
        "shared-stream-120p",
        shared_stream_pdf,
        "application/pdf",
        "rejected",
        note="120 pages x one 100 MB stream",
    ),
    Hostile(
        "glyph-flood-120p",
        glyph_flood_pdf,
        "application/pdf",
        "read",
        note="120 pages x 400,000 glyphs: text cut at 2 M characters",
    ),
    Hostile(
        "path-flood-120p",
        path_flood_pdf,
        "application/pdf",
        "rejected",
        slow=True,
        note="120 pages x 1,000,000 paths: stopped by the time limit",
    ),
    Hostile("broken-pdf", broken_pdf, "application/pdf", "item_error"),
    Hostile("cut-pdf", cut_pdf, "application/pdf", "item_error"),
    Hostile("garbage-feed", garbage_feed, "application/rss+xml", "source_error", where="feed"),
    Hostile(
        "html-instead-of-feed",
        html_instead_of_feed,
        "application/rss+xml",
        "source_error",
        where="feed",
    ),
    Hostile("truncated-feed", truncated_feed, "application/rss+xml", "read", where="feed"),
)
