"""JSON shapes of what the store holds, for ``--format json`` and the web view: one council's
timeline, the sources' health, the alert outbox. Keys are the contract's (grades and
judgements as ``monitor classify --json`` spells them); timestamps are UTC ISO 8601."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from ..models import Council, Grade
from ..records import EvidenceRecord, InspectionRecord, PublicationRecord
from ..store.outbox import OutboxRow
from ..store.sources import SourceHealth
from ..timeline.changes import change_kind, detect_changes

Quotes = Mapping[str, Sequence[tuple[str, str]]]


def inspection_json(
    record: InspectionRecord,
    previous: InspectionRecord | None = None,
    quotes: Quotes | None = None,
) -> dict[str, Any]:
    """One inspection: dates, framework, every judgement, flags, evidence with its quotes,
    and the judgements that moved since ``previous``."""
    changes = detect_changes(previous.graded, record.graded) if previous else ()
    return {
        "framework": record.framework.value,
        "inspection_start": _iso(record.inspection_start),
        "inspection_end": _iso(record.inspection_end),
        "published": _iso(record.published),
        "overall_graded": record.framework.grades_overall(record.when),
        "grades": record.grades.to_json(),
        "grades_from": record.grades_from.value,
        "conflict": record.conflict,
        "needs_review": [p for e in record.evidence for p in e.needs_review],
        "changes": [
            {
                "judgement": c.judgement.value,
                "before": _grade(c.before),
                "after": c.after.value,
                "change": change_kind(c),
            }
            for c in changes
        ],
        "evidence": [evidence_json(e, (quotes or {}).get(e.url, ())) for e in record.evidence],
    }


def evidence_json(item: EvidenceRecord, quotes: Iterable[tuple[str, str]] = ()) -> dict[str, Any]:
    return {
        "kind": item.kind.value,
        "url": item.url,
        "title": item.title,
        "source": item.source,
        "published": _stamp(item.published),
        "grades": {k: v for k, v in item.grades.to_json().items() if v is not None},
        "previous": _grade(item.previous),
        "agrees": item.agrees,
        "needs_review": list(item.needs_review),
        "quotes": [{"field": f, "text": t} for f, t in quotes],
    }


def publication_json(visit: PublicationRecord) -> dict[str, Any]:
    return {
        "kind": visit.kind.value,
        "published": _iso(visit.published),
        "url": visit.url,
        "graded": False,
    }


def history_json(
    council: Council,
    records: Sequence[InspectionRecord],
    visits: Sequence[PublicationRecord] = (),
    quotes: Quotes | None = None,
) -> dict[str, Any]:
    """``monitor history COUNCIL --format json``: the council and its whole timeline."""
    return {
        "council": council.name,
        "la_code": council.la_code,
        "region": council.region,
        "inspections": [
            inspection_json(r, records[i - 1] if i else None, quotes) for i, r in enumerate(records)
        ],
        "ungraded_publications": [publication_json(v) for v in visits],
    }


def source_json(name: str, kind: str, enabled: bool, row: SourceHealth | None) -> dict[str, Any]:
    """One source's health; the URL is left out (it may carry a key)."""
    return {
        "name": name,
        "kind": kind,
        "enabled": enabled,
        "last_success": _stamp(row.last_success) if row else None,
        "last_error": row.last_error if row else None,
        "last_error_at": _stamp(row.last_error_at) if row else None,
        "items_seen": row.items_seen if row else 0,
        "consecutive_failures": row.consecutive_failures if row else 0,
        "polls": row.polls if row else 0,
        "failures": row.failures if row else 0,
        "next_run": _stamp(row.next_run) if row else None,
        "backfilled": row.backfilled if row else False,
        "refused": row.refused if row else 0,  # fetches refused by the address check
        "dropped": row.dropped if row else 0,  # entries the last poll left over its cap
    }


def outbox_json(row: OutboxRow) -> dict[str, Any]:
    """One delivery of the outbox (the channel by label only: the URL may hold secrets)."""
    return {
        "id": row.id,
        "subscriber": row.subscriber,
        "channel": row.channel_label,
        "kind": row.kind,
        "change_id": row.change_id,
        "subject": row.subject,
        "state": row.state,
        "attempts": row.attempts,
        "next_attempt": _stamp(row.next_attempt),
        "last_error": row.last_error,
        "created": _stamp(row.created),
        "sent_at": _stamp(row.sent_at),
    }


def _grade(grade: Grade | None) -> str | None:
    return grade.value if grade else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _stamp(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
