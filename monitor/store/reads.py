"""Whole-table reads for the published views (the national table, the web board): every
inspection of every council in one query instead of one per council, and the database opened
read-only for a process that must never write.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date

import sqlite_utils

from ..models import EvidenceKind
from ..records import EvidenceRecord, InspectionRecord
from .db import open_read_only as open_read_only  # its home is db.py, beside open_db
from .timeline import evidence_from_row, inspection_from_row


def all_inspections(db: sqlite_utils.Database) -> dict[str, list[InspectionRecord]]:
    """Every inspection, by DfE code, each council's oldest first (as ``timeline.history``
    orders them), with the evidence the tables cite: the reports and the review flags."""
    evidence = _table_evidence(db)
    found: dict[str, list[InspectionRecord]] = defaultdict(list)
    for row in db.query("SELECT * FROM inspections"):
        record = inspection_from_row(row)
        found[record.la_code].append(replace(record, evidence=tuple(evidence.get(record.id, ()))))
    for records in found.values():
        records.sort(key=lambda r: (r.when or date.min, r.id))
    return dict(found)


def _table_evidence(db: sqlite_utils.Database) -> dict[int, list[EvidenceRecord]]:
    """Report evidence and flagged evidence only: news rows are many and the tables need none
    of their text."""
    found: dict[int, list[EvidenceRecord]] = defaultdict(list)
    rows = db.query(
        "SELECT * FROM evidence WHERE kind = ? OR needs_review != '' OR agrees = 0"
        " ORDER BY inspection_id, kind = 'news', published, id",
        [EvidenceKind.REPORT.value],
    )
    for r in rows:
        found[r["inspection_id"]].append(evidence_from_row(r))
    return found


def recent_change_ids(db: sqlite_utils.Database, *, limit: int) -> list[int]:
    """The ids of the latest alerted changes (silent backfills left out), newest first."""
    rows = db.execute(
        "SELECT id FROM changes WHERE silent = 0 ORDER BY detected DESC, id DESC LIMIT ?",
        [limit],
    )
    return [int(r[0]) for r in rows]
