"""Recent changes: for ``monitor digest`` and for periodic digest deliveries.

A digest window is a whole day (daily) or a whole Monday-to-Monday week (weekly) in the
configured time zone, ending at the last boundary before ``now``: running ``send_digests``
twice in one window enqueues nothing new (one outbox key per subscriber per window). Silent
changes (backfills, imported history) are history, not news: digests leave them out. A window
with no change for a subscriber sends nothing. A change whose grades are still the news's alone
says so ("(news, unconfirmed)"); digests list it for every subscriber, ``wait_for_report``
holding back immediate alerts only, so that a digest reader sees the news and its status.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

import sqlite_utils

from ..alerts.render import UNCONFIRMED, change_line, chat_url, short
from ..alerts.route import change_kinds, wants_council, wants_kinds
from ..config import Settings, SubscriberConfig
from ..councils import CouncilRegistry, load_councils
from ..models import Council, Framework, Judgement, JudgementChange
from ..records import ChangeRecord
from ..store import outbox
from ..store.timeline import changes_between
from ..timeline.changes import change_kind, headline, settled

Format = Literal["text", "markdown", "json"]
Period = Literal["daily", "weekly"]


@dataclass(frozen=True)
class DigestEntry:
    """One change (or correction) in a digest."""

    detected: datetime
    council: Council
    kind: Literal["change", "correction"]
    changes: tuple[JudgementChange, ...]
    framework: Framework
    inspection_start: date | None
    inspection_end: date | None
    published: date | None
    sources: tuple[tuple[str, str], ...]  # (title, url)
    unconfirmed: bool = False  # the grades are still the news's alone: no report seen yet

    @property
    def summary(self) -> str:
        lead = headline(self.changes)
        prefix = "correction: " if self.kind == "correction" else ""
        if lead is None:
            return prefix + "no judgement changed"
        verb = "upgraded" if change_kind(lead) == "upgrade" else "downgraded"
        what = "" if lead.judgement is Judgement.OVERALL else f"{lead.judgement.label} "
        said = f"{prefix}{what}{verb} to {short(lead.after)} (was {short(lead.before)})"
        return f"{said} {UNCONFIRMED}" if self.unconfirmed else said

    def to_json(self) -> dict[str, Any]:
        return {
            "detected": self.detected.isoformat(),
            "council": self.council.name,
            "la_code": self.council.la_code,
            "region": self.council.region,
            "kind": self.kind,
            "framework": self.framework.value,
            "inspection_start": _iso(self.inspection_start),
            "inspection_end": _iso(self.inspection_end),
            "published": _iso(self.published),
            "changes": [
                {
                    "judgement": c.judgement.value,
                    "before": c.before.value if c.before else None,
                    "after": c.after.value,
                    "change": "new" if c.before is None else c.direction.value,
                }
                for c in self.changes
            ],
            "sources": [{"title": t, "url": u} for t, u in self.sources],
            "unconfirmed": self.unconfirmed,
        }


def changes_since(
    db: sqlite_utils.Database,
    since: datetime,
    *,
    council: str | None = None,
    region: str | None = None,
    until: datetime | None = None,
    registry: CouncilRegistry | None = None,
) -> list[DigestEntry]:
    """Alerted changes detected in [since, until), newest first, optionally for one council
    (name, alias or code) or one region; raises ValueError naming an unknown council."""
    registry = registry or load_councils()
    wanted = None
    if council is not None:
        wanted = registry.lookup(council)
        if wanted is None:
            raise ValueError(
                f"unknown council {council!r} (use a name or DfE code, e.g. Stockport or 356)"
            )
    entries = []
    for record in map(settled, reversed(changes_between(db, since, until))):
        if record.silent:
            continue
        if wanted is not None and record.council.la_code != wanted.la_code:
            continue
        if region is not None and record.council.region.casefold() != region.casefold():
            continue
        entries.append(_entry(record))
    return entries


def _entry(record: ChangeRecord) -> DigestEntry:
    inspection = record.inspection
    return DigestEntry(
        detected=record.detected,
        council=record.council,
        kind=record.kind,
        changes=record.changes,
        framework=inspection.framework,
        inspection_start=inspection.inspection_start,
        inspection_end=inspection.inspection_end,
        published=inspection.published,
        sources=tuple((e.title or e.url, e.url) for e in inspection.evidence),
        unconfirmed=record.unconfirmed,
    )


def render_digest(entries: Sequence[DigestEntry], fmt: Format) -> str:
    if fmt == "json":
        return json.dumps([e.to_json() for e in entries], indent=2) + "\n"
    if fmt == "markdown":
        return _markdown(entries)
    return _text(entries)


def _text(entries: Sequence[DigestEntry]) -> str:
    if not entries:
        return "No rating changes.\n"
    lines = []
    for entry in entries:
        lines.append(f"{entry.council.name} ({entry.council.region}): {entry.summary}")
        lines.append(f"  inspected {_dates(entry)}, {entry.framework.value}")
        lines += [f"  {change_line(c)}" for c in entry.changes]
        lines += [f"  - {title}: {url}" for title, url in entry.sources]
        lines.append("")
    return "\n".join(lines)


def _markdown(entries: Sequence[DigestEntry]) -> str:
    if not entries:
        return "No rating changes.\n"
    lines = []
    for entry in entries:
        lines.append(f"## {_md(entry.council.name)}: {_md(entry.summary)}")
        lines.append("")
        lines.append(
            f"Inspected {_dates(entry)} ({entry.framework.value}); {_md(entry.council.region)}"
        )
        lines.append("")
        lines += [f"- {_md(change_line(c))}" for c in entry.changes]
        # The URL percent-encoded where it could close the link early: "(" ")" "<" ">"...
        lines += [f"- [{_md(title)}]({chat_url(url)})" for title, url in entry.sources]
        lines.append("")
    return "\n".join(lines)


def _html(entries: Sequence[DigestEntry]) -> str:
    esc = html.escape
    parts = []
    for entry in entries:
        changes = "".join(f"<li>{esc(change_line(c))}</li>" for c in entry.changes)
        sources = "".join(
            f'<li><a href="{esc(url, quote=True)}">{esc(title)}</a></li>'
            for title, url in entry.sources
        )
        parts.append(
            f"<h3>{esc(entry.council.name)}: {esc(entry.summary)}</h3>"
            f"<p>Inspected {esc(_dates(entry))} ({esc(entry.framework.value)})</p>"
            f"<ul>{changes}</ul><ul>{sources}</ul>"
        )
    return "\n".join(parts) + "\n"


def _md(text: str) -> str:
    # "[" and "]" escaped: text from an article never opens a link of its own.
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text


def _dates(entry: DigestEntry) -> str:
    start, end = entry.inspection_start, entry.inspection_end
    if start and end:
        return f"{start.isoformat()} to {end.isoformat()}"
    if start or end:
        return _iso(start or end) or ""
    return f"(reported {_iso(entry.published) or 'date unknown'})"


def digest_window(period: Period, now: datetime, timezone: str) -> tuple[datetime, datetime]:
    """The last whole day or Monday-to-Monday week before ``now``, in ``timezone``."""
    zone = ZoneInfo(timezone)
    local = now.astimezone(zone)
    end_day = local.date()
    if period == "weekly":
        end_day -= timedelta(days=end_day.weekday())
    start_day = end_day - timedelta(days=7 if period == "weekly" else 1)
    start = datetime(start_day.year, start_day.month, start_day.day, tzinfo=zone)
    end = datetime(end_day.year, end_day.month, end_day.day, tzinfo=zone)
    return start, end


def send_digests(
    db: sqlite_utils.Database,
    settings: Settings,
    subscribers: Sequence[SubscriberConfig],
    *,
    period: Period,
    now: datetime,
) -> int:
    """Enqueue one digest per subscriber of ``period`` for the last whole window; returns the
    number of new outbox rows (zero when the window's digests are already queued)."""
    start, end = digest_window(period, now, settings.timezone)
    registry = load_councils()
    entries = changes_since(db, start, until=end, registry=registry)[::-1]  # oldest first
    added = 0
    with db.atomic():
        for subscriber in subscribers:
            if not subscriber.enabled or subscriber.digest != period:
                continue
            mine = [
                e
                for e in entries
                if wants_council(subscriber, e.council, registry=registry)
                and wants_kinds(subscriber, change_kinds(e.changes))
            ]
            if not mine:
                continue
            label = (
                f"{start.date().isoformat()}" if period == "daily" else f"week of {start.date()}"
            )
            subject = (
                f"Children's services ratings: {len(mine)} change{'s' * (len(mine) != 1)} ({label})"
            )
            added += outbox.enqueue(
                db,
                key=f"digest:{period}:{start.date().isoformat()}",
                subscriber=subscriber,
                kind="digest",
                now=now,
                subject=subject,
                body_text=_text(mine),
                body_html=_html(mine),
                body_chat=subject
                + "\n"
                + "\n".join(f"{e.council.name}: {e.summary}" for e in mine),
            )
    return added


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
