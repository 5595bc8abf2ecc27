"""``/changes.atom``: the alerted changes as an Atom 1.0 feed (RFC 4287).

One entry per change, newest first. An entry's id is a tag URI built from the change's row id,
which never changes once written, so a feed reader never sees an entry twice; its title is the
alert's subject line. Text from elsewhere (news titles in the entry's HTML) is escaped by the
XML writer, and characters XML 1.0 forbids are dropped first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from ...alerts.render import render_html, render_text, subject_line
from ...records import ChangeRecord
from ...timeline.changes import change_kind

ATOM = "http://www.w3.org/2005/Atom"
FEED_ID = "tag:ofsted-monitor,2026:changes"
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def entry_id(record: ChangeRecord) -> str:
    return f"tag:ofsted-monitor,2026:change/{record.id}"


def atom_feed(records: Sequence[ChangeRecord], *, base_url: str, now: datetime) -> bytes:
    """The feed; ``base_url`` ends with '/', links are absolute under it."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", FEED_ID)
    _text(feed, "title", "Children's services ratings: changes")
    _text(feed, "subtitle", "Ofsted rating changes of English councils' children's services")
    updated = max((r.detected for r in records), default=now)
    _text(feed, "updated", _stamp(updated))
    _link(feed, base_url + "changes.atom", rel="self", type="application/atom+xml")
    _link(feed, base_url + "changes", rel="alternate", type="text/html")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "ofsted-monitor")
    _text(feed, "generator", "ofsted-monitor")
    for record in records:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", entry_id(record))
        _text(entry, "title", subject_line(record))
        _text(entry, "updated", _stamp(record.detected))
        _text(entry, "published", _stamp(record.detected))
        _link(entry, f"{base_url}council/{record.council.la_code}", rel="alternate")
        kinds = sorted({change_kind(c) for c in record.changes})
        for kind in (["correction"] if record.kind == "correction" else []) + kinds:
            ET.SubElement(entry, f"{{{ATOM}}}category", {"term": kind})
        _text(entry, "summary", render_text(record))
        _text(entry, "content", render_html(record), type="html")
    body: bytes = ET.tostring(feed, encoding="utf-8")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body


def _text(parent: ET.Element, tag: str, value: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    element.text = _NOT_XML.sub("", value)
    return element


def _link(parent: ET.Element, href: str, **attrs: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}link", {"href": _NOT_XML.sub("", href), **attrs})


def _stamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
