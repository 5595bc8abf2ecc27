"""PDF decompression bombs: refuse a PDF whose Flate streams inflate past a cap, before
PDFium reads it.

PDFium inflates a stream whole when a page uses it, so a 15 MB file of FlateDecode streams can
ask for gigabytes, and 120 pages sharing one 100 MB content stream inflate it 120 times. This
finds each stream in the raw bytes, inflates the FlateDecode ones a megabyte at a time,
counting the output and keeping none of it, and stops at the first stream (or the running
total) past its cap. Other filters and nested filter chains are left to the parse worker's
memory and time limits (``monitor.parse_worker``), which stand behind this check anyway.

The caps sit far above real reports: across the 189 Ofsted reports in shared/ the largest
stream inflates to 0.31 MB and the largest document's streams to 2.4 MB in all, and the check
takes at most 12 ms a report (``bench/hostile_inputs.py --real-pdfs`` prints the figures).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from .errors import DocumentRejected

MAX_STREAM = 32 * 1024**2  # bytes one stream may inflate to
MAX_TOTAL = 128 * 1024**2  # bytes all streams of one document may inflate to
_STEP = 1024**2  # output inflated per call: the check's own memory
_CHUNK = 256 * 1024  # compressed input fed per call
_DICT_WINDOW = 4096  # how far back a stream's dictionary may start


@dataclass(frozen=True)
class Inflation:
    """What the Flate streams of a PDF inflate to (up to the point the scan stopped)."""

    streams: int
    largest: int
    total: int


def check_inflation(
    content: bytes, *, max_stream: int = MAX_STREAM, max_total: int = MAX_TOTAL
) -> Inflation:
    """Raise ``DocumentRejected`` if a Flate stream of ``content`` inflates past
    ``max_stream`` bytes or all of them past ``max_total``; else say what they inflate to."""
    streams = largest = total = 0
    for start in _flate_streams(content):
        size = _inflated_size(content, start, cap=max_stream + 1)
        streams += 1
        largest = max(largest, size)
        total += size
        if size > max_stream:
            raise DocumentRejected(
                f"the PDF is a decompression bomb: a stream inflates to more than "
                f"{max_stream // 1024**2} MB (stream {streams}, at byte {start})"
            )
        if total > max_total:
            raise DocumentRejected(
                f"the PDF is a decompression bomb: its streams inflate to more than "
                f"{max_total // 1024**2} MB in all ({streams} streams)"
            )
    return Inflation(streams=streams, largest=largest, total=total)


def _flate_streams(content: bytes) -> list[int]:
    """Offsets where the data of each FlateDecode stream starts (``stream`` + end of line,
    after a dictionary naming the filter)."""
    starts: list[int] = []
    pos = 0
    while True:
        found = content.find(b"stream", pos)
        if found < 0:
            return starts
        pos = found + 6
        if found >= 3 and content[found - 3 : found] == b"end":
            continue  # "endstream"
        if content[pos : pos + 2] == b"\r\n":
            data = pos + 2
        elif content[pos : pos + 1] in (b"\n", b"\r"):
            data = pos + 1
        else:
            continue
        window = content[max(0, found - _DICT_WINDOW) : found]
        dictionary = window[window.rfind(b"obj") + 1 :] if b"obj" in window else window
        if b"/FlateDecode" in dictionary:
            starts.append(data)


def _inflated_size(content: bytes, start: int, *, cap: int) -> int:
    """How many bytes the zlib stream at ``start`` inflates to, counting up to ``cap``; a
    corrupt stream counts what inflated before the damage (PDFium copes with the rest)."""
    inflater = zlib.decompressobj()
    size = 0
    pos = start
    try:
        while size < cap and not inflater.eof and pos < len(content):
            pending = content[pos : pos + _CHUNK]
            pos += _CHUNK
            while pending and size < cap and not inflater.eof:
                size += len(inflater.decompress(pending, _STEP))
                pending = inflater.unconsumed_tail
    except zlib.error:
        pass
    return size
