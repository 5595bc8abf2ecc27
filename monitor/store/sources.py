"""Sources: their health counters, HTTP validators and fetch log; and ``StoreSourceState``,
what a source may ask about its own past (``monitor.sources.base.SourceState``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

import sqlite_utils

from ..records import FetchRecord, Validators
from ..redact import redact_text, redact_url
from .db import immediate, seen_key, url_key, utc_iso

# fetch_log keeps this many of the newest rows per source.
FETCH_LOG_KEEP = 1000


@dataclass(frozen=True)
class SourceHealth:
    """One row of the ``monitor sources`` table."""

    name: str
    kind: str
    last_success: datetime | None
    last_error: str | None
    items_seen: int
    consecutive_failures: int
    next_run: datetime | None
    last_error_at: datetime | None = None
    polls: int = 0
    failures: int = 0
    backfilled: bool = False
    refused: int = 0  # fetches refused by the address check, over the source's life
    dropped: int = 0  # new entries the last poll left over the max_items_per_poll cap


class StoreSourceState:
    """The store's answers to a source's questions about its past.

    With ``source``, ``seen`` and ``fingerprint`` answer for that source alone (its
    ``seen:`` keys): an item another source stored under a URL does not make this source skip
    it. Without, any source's item counts (tools that look at the store as a whole).
    """

    def __init__(self, db: sqlite_utils.Database, source: str | None = None) -> None:
        self.db = db
        self.source = source

    def _key(self, url: str) -> str:
        return url_key(url) if self.source is None else seen_key(self.source, url)

    def validators(self, url: str) -> Validators | None:
        row = self.db.execute(
            "SELECT etag, last_modified FROM validators WHERE url = ?", [redact_url(url)]
        ).fetchone()
        if row is None:
            return None
        found = Validators(etag=row[0], last_modified=row[1])
        return found or None

    def seen(self, url: str) -> bool:
        """Whether an item was stored under this URL (fetched, final or canonical)."""
        row = self.db.execute("SELECT 1 FROM item_keys WHERE key = ?", [self._key(url)]).fetchone()
        return row is not None

    def fingerprint(self, url: str) -> str | None:
        # A copy of another source's item has no fingerprint of this source's entry: None
        # (taken as unchanged), else its owner's edits would refetch it here on every poll.
        row = self.db.execute(
            """SELECT json_extract(items.meta, '$.fingerprint') FROM item_keys
               JOIN items ON items.id = item_keys.item_id
               WHERE item_keys.key = ? AND (? IS NULL OR items.source = ?)""",
            [self._key(url), self.source, self.source],
        ).fetchone()
        return str(row[0]) if row and row[0] is not None else None


def save_validators(
    db: sqlite_utils.Database, validators: Mapping[str, Validators], *, now: datetime
) -> None:
    """Remember each URL's validators for the next conditional GET (empty ones forget it)."""
    if not validators:
        return  # an unchanged poll has none: no transaction to open and commit
    stamp = utc_iso(now)
    with immediate(db):
        for raw_url, found in validators.items():
            url = redact_url(raw_url)  # stored: keyed without the source URL's API key
            if not found:
                db.execute("DELETE FROM validators WHERE url = ?", [url])
                continue
            db.execute(
                """INSERT INTO validators (url, etag, last_modified, updated) VALUES (?, ?, ?, ?)
                   ON CONFLICT (url) DO UPDATE SET etag = excluded.etag,
                       last_modified = excluded.last_modified, updated = excluded.updated""",
                [url, found.etag, found.last_modified, stamp],
            )


def record_fetch(db: sqlite_utils.Database, record: FetchRecord, *, now: datetime) -> None:
    """Log one request, and drop that source's rows older than the newest FETCH_LOG_KEEP."""
    with immediate(db):
        _log_fetches(db, [(record, now)])


def _log_fetches(
    db: sqlite_utils.Database, fetches: Iterable[tuple[FetchRecord, datetime]]
) -> None:
    """Log requests (each with its time) inside the caller's transaction, then keep each of
    their sources' newest FETCH_LOG_KEEP rows."""
    rows = [
        (
            record.source,
            redact_url(record.url),
            record.status,
            record.bytes,
            record.duration,
            redact_text(record.error) if record.error is not None else None,
            record.attempts,
            utc_iso(when),
        )
        for record, when in fetches
    ]
    if not rows:
        return
    db.conn.executemany(
        """INSERT INTO fetch_log (source, url, status, bytes, duration, error, attempts, at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        rows,
    )
    for source in dict.fromkeys(row[0] for row in rows):
        # Ids only grow, so "older than the KEEPth newest" is one indexed range delete.
        db.execute(
            """DELETE FROM fetch_log WHERE source = ? AND id <= (
                   SELECT id FROM fetch_log WHERE source = ?
                   ORDER BY id DESC LIMIT 1 OFFSET ?)""",
            [source, source, FETCH_LOG_KEEP],
        )


def record_poll(
    db: sqlite_utils.Database,
    source_name: str,
    *,
    kind: str,
    url: str,
    ok: bool,
    error: str | None,
    new_items: int,
    now: datetime,
    refused: int = 0,
    dropped: int = 0,
    fetches: Iterable[tuple[FetchRecord, datetime]] = (),
) -> None:
    """Count one poll against the source's health; the first successful poll ends its
    backfill (``is_backfilled``). An ``error`` on a successful poll (items that failed) is kept
    as the last error without counting as a failure. ``fetches`` (each request's record and
    time) are logged as ``record_fetch`` does, in the same transaction."""
    stamp = utc_iso(now)
    good = 1 if ok else 0
    with immediate(db):
        _log_fetches(db, fetches)
        db.execute(
            """INSERT INTO sources (name, kind, url, first_polled) VALUES (?, ?, ?, ?)
               ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, url = excluded.url,
                   first_polled = coalesce(first_polled, excluded.first_polled)""",
            [source_name, kind, redact_url(url), stamp],
        )
        db.execute(
            """UPDATE sources SET
                   last_polled = :now,
                   polls = polls + 1,
                   items_seen = items_seen + :new_items,
                   last_success = CASE WHEN :ok THEN :now ELSE last_success END,
                   backfilled = CASE WHEN :ok THEN 1 ELSE backfilled END,
                   consecutive_failures = CASE WHEN :ok THEN 0 ELSE consecutive_failures + 1 END,
                   failures = failures + (1 - :ok),
                   last_error = coalesce(:error, last_error),
                   last_error_at = CASE WHEN :error IS NULL THEN last_error_at ELSE :now END,
                   refused = refused + :refused,
                   dropped = :dropped
               WHERE name = :name""",
            {
                "now": stamp,
                "new_items": new_items,
                "ok": good,
                "error": redact_text(error) if error else (None if ok else "unknown error"),
                "name": source_name,
                "refused": refused,
                "dropped": dropped,
            },
        )


def is_backfilled(db: sqlite_utils.Database, source_name: str) -> bool:
    """Whether the source has had a successful poll (so what it finds now is news)."""
    row = db.execute("SELECT backfilled FROM sources WHERE name = ?", [source_name]).fetchone()
    return bool(row and row[0])


def set_next_run(db: sqlite_utils.Database, name: str, when: datetime | None) -> None:
    """Record when the scheduler will next poll the source (None: not scheduled)."""
    set_next_runs(db, [name], when)


def set_next_runs(db: sqlite_utils.Database, names: Iterable[str], when: datetime | None) -> None:
    """``set_next_run`` for several sources (a wave of them), in one transaction."""
    stamp = utc_iso(when) if when else None
    with immediate(db):
        db.conn.executemany(
            """INSERT INTO sources (name, next_run) VALUES (?, ?)
               ON CONFLICT (name) DO UPDATE SET next_run = excluded.next_run""",
            [(name, stamp) for name in names],
        )


def source_rows(db: sqlite_utils.Database) -> list[SourceHealth]:
    """Every known source's health, by name."""
    rows = db.query(
        """SELECT name, kind, last_success, last_error, items_seen, consecutive_failures,
               next_run, last_error_at, polls, failures, backfilled, refused, dropped
           FROM sources ORDER BY name"""
    )
    return [
        SourceHealth(
            name=row["name"],
            kind=row["kind"],
            last_success=_when(row["last_success"]),
            last_error=row["last_error"],
            items_seen=row["items_seen"],
            consecutive_failures=row["consecutive_failures"],
            next_run=_when(row["next_run"]),
            last_error_at=_when(row["last_error_at"]),
            polls=row["polls"],
            failures=row["failures"],
            backfilled=bool(row["backfilled"]),
            refused=row["refused"],
            dropped=row["dropped"],
        )
        for row in rows
    ]


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
