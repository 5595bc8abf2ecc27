"""The alert outbox: one row per (subscriber, change or digest window, channel).

Rows are written in the same transaction that records the change, so a change is never
recorded without its deliveries, nor the other way round. ``key`` is unique: enqueueing the
same delivery twice is a no-op.

States: ``pending`` -> ``sending`` (claimed, under a lease) -> ``sent`` | ``failed``.
A sender claims one row at a time with a single UPDATE (atomic, so two senders never hold the
same row), sends it with no transaction open, then marks it sent or failed. A failed attempt
goes back to ``pending`` with ``next_attempt`` backed off (``alert_backoff`` doubling) until
``alert_retry_limit`` attempts, then stays ``failed`` with its last error.

Crash semantics (at-least-once): a sender killed after sending but before marking leaves the
row ``sending``; the next process that takes the database's lock puts it back to ``pending``
at once (``reclaim_interrupted``), and a sender without the lock takes it over when its lease
(``settings.alert_lease``) expires. Either way it is sent again. Every copy carries the
same ``dedup_key`` (email header and webhook field ``X-Monitor-Delivery``/``delivery``) so a
receiver can drop the duplicate. A sender killed before sending loses nothing either.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlsplit

import sqlite_utils

from ..config import SubscriberConfig
from ..redact import redact_text, redact_url

State = Literal["pending", "sending", "sent", "failed"]
STATES: tuple[State, ...] = ("pending", "sending", "sent", "failed")


@dataclass(frozen=True)
class OutboxRow:
    id: int
    key: str
    subscriber: str
    channel: str
    channel_label: str
    kind: str
    change_id: int | None
    subject: str | None
    body_text: str | None
    body_html: str | None
    body_chat: str | None
    state: State
    attempts: int
    next_attempt: datetime
    claim: str | None
    lease_until: datetime | None
    last_error: str | None
    created: datetime
    sent_at: datetime | None

    @property
    def dedup_key(self) -> str:
        return dedup_key(self.key)


def timestamp(moment: datetime) -> str:
    """A fixed-width UTC timestamp, so that text order is time order in SQL."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def dedup_key(key: str) -> str:
    """The identity every copy of one delivery carries, for receivers to drop duplicates."""
    return "ofsted-monitor-" + hashlib.sha256(key.encode()).hexdigest()[:32]


def channel_id(url: str) -> str:
    """A stable name for an apprise URL that does not store its secrets: the hash is of the
    URL with its password and secret-looking parameters masked (``redact_url``), so no
    unsalted hash of a password is kept either."""
    return hashlib.sha256(redact_url(url).encode()).hexdigest()[:16]


def legacy_channel_id(url: str) -> str:
    """The channel id of rows written before ids were redacted (the whole URL, secrets too)."""
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def channel_ids(url: str) -> tuple[str, ...]:
    """Every id a row for ``url`` may carry: the current one first."""
    current, legacy = channel_id(url), legacy_channel_id(url)
    return (current,) if current == legacy else (current, legacy)


def rekey_channels(db: sqlite_utils.Database, subscribers: Sequence[SubscriberConfig]) -> int:
    """Give rows written with a legacy channel id (``legacy_channel_id``) the current one, in
    their ``channel`` and their ``key``; returns how many changed.

    Only rows whose key no receiver can hold yet, or no longer needs, are changed: never
    tried (pending, no attempt) or finished (sent, failed). A row in flight or being retried
    keeps its key, so a copy sent again carries the same dedup key (derived from the key);
    it is changed by a later call, once finished. Until then ``enqueue`` and the sender
    accept both ids, so nothing is sent twice or lost.
    """
    changed = 0
    with db.atomic():
        for subscriber in subscribers:
            for url in subscriber.notify:
                ids = channel_ids(url)
                if len(ids) == 1:
                    continue
                current, legacy = ids
                changed += db.execute(
                    "UPDATE OR IGNORE outbox SET channel = :current,"
                    " key = substr(key, 1, length(key) - length(:legacy)) || :current"
                    " WHERE subscriber = :subscriber AND channel = :legacy"
                    " AND (state IN ('sent', 'failed') OR (state = 'pending' AND attempts = 0))",
                    {"current": current, "legacy": legacy, "subscriber": subscriber.name},
                ).rowcount
    return changed


def channel_label(url: str) -> str:
    """``scheme://host[:port]`` of an apprise URL, without user or password."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"


def enqueue(
    db: sqlite_utils.Database,
    *,
    key: str,
    subscriber: SubscriberConfig,
    kind: Literal["change", "digest"],
    now: datetime,
    change_id: int | None = None,
    subject: str | None = None,
    body_text: str | None = None,
    body_html: str | None = None,
    body_chat: str | None = None,
) -> int:
    """One row per channel of ``subscriber``; returns how many were new."""
    added = 0
    for url in subscriber.notify:
        channel, *legacy = channel_ids(url)
        if (
            legacy
            and db.execute(
                "SELECT 1 FROM outbox WHERE key = ?", [f"{key}:{subscriber.name}:{legacy[0]}"]
            ).fetchone()
        ):
            continue  # enqueued before channel ids were redacted: the same delivery
        row = db.execute(
            "INSERT INTO outbox (key, subscriber, channel, channel_label, kind, change_id,"
            " subject, body_text, body_html, body_chat, state, next_attempt, created)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)"
            " ON CONFLICT (key) DO NOTHING RETURNING id",
            [
                f"{key}:{subscriber.name}:{channel}",
                subscriber.name,
                channel,
                channel_label(url),
                kind,
                change_id,
                subject,
                body_text,
                body_html,
                body_chat,
                timestamp(now),
                timestamp(now),
            ],
        ).fetchone()
        added += row is not None
    return added


_DUE = "(state = 'pending' AND next_attempt <= :now) OR (state = 'sending' AND lease_until <= :now)"


def due_channels(db: sqlite_utils.Database, *, now: datetime) -> set[tuple[str, str]]:
    """(subscriber, channel) of every row due now, so a sender can ready those channels."""
    return {
        (row["subscriber"], row["channel"])
        for row in db.query(
            f"SELECT DISTINCT subscriber, channel FROM outbox WHERE {_DUE}", {"now": timestamp(now)}
        )
    }


def claim_one(
    db: sqlite_utils.Database, *, now: datetime, lease: timedelta, token: str, retry_limit: int
) -> OutboxRow | None:
    """Claim the oldest due row (pending and due, or sending with an expired lease)."""
    with db.atomic():
        _give_up_abandoned(db, now=now, retry_limit=retry_limit)
        rows = list(
            db.query(
                "UPDATE outbox SET state = 'sending', claim = :token, lease_until = :lease,"
                " attempts = attempts + 1 WHERE id = (SELECT id FROM outbox WHERE"
                f" {_DUE} ORDER BY id LIMIT 1) RETURNING *",
                {"token": token, "lease": timestamp(now + lease), "now": timestamp(now)},
            )
        )
    return _row(rows[0]) if rows else None


def _give_up_abandoned(db: sqlite_utils.Database, *, now: datetime, retry_limit: int) -> None:
    """A row whose sender died on every one of its attempts is failed, not tried forever."""
    db.execute(
        "UPDATE outbox SET state = 'failed', last_error = coalesce(last_error || '; ', '')"
        " || 'sender stopped before finishing ' || attempts || ' attempt(s)'"
        " WHERE state = 'sending' AND lease_until <= ? AND attempts >= ?",
        [timestamp(now), retry_limit],
    )


INTERRUPTED = "interrupted (the sender stopped mid-send); resent with the same key"


def reclaim_interrupted(
    db: sqlite_utils.Database, *, now: datetime, retry_limit: int, backoff: float = 0.0
) -> int:
    """Put every ``sending`` row back to ``pending``; returns how many.

    Only for a process that holds the database's lock (``monitor.lock``): then no other
    sender is alive, so a ``sending`` row is one whose sender died between claiming it and
    marking it, and waiting for its lease would only delay the alert. It may or may not have
    reached its receiver; the resend carries the same delivery key.

    A row on its first attempt is due at once. One that had been tried before waits like a
    failed attempt (``backoff`` doubling): when a sender keeps dying mid-send (a crash loop,
    or a message that kills it), each restart must not send the receiver another copy. A row
    whose sender died on every one of its attempts is failed, as when its lease runs out.
    """
    with db.atomic():
        db.execute(
            "UPDATE outbox SET state = 'failed', claim = NULL, lease_until = NULL,"
            " last_error = coalesce(last_error || '; ', '')"
            " || 'sender stopped before finishing ' || attempts || ' attempt(s)'"
            " WHERE state = 'sending' AND attempts >= ?",
            [retry_limit],
        )
        rows = db.execute("SELECT id, attempts FROM outbox WHERE state = 'sending'").fetchall()
        for row_id, attempts in rows:
            delay = 0.0 if attempts <= 1 else backoff * 2 ** (attempts - 2)
            db.execute(
                "UPDATE outbox SET state = 'pending', claim = NULL, lease_until = NULL,"
                " next_attempt = ?, last_error = ? WHERE id = ?",
                [timestamp(now + timedelta(seconds=delay)), INTERRUPTED, row_id],
            )
    return len(rows)


def new_token() -> str:
    return uuid.uuid4().hex


def store_rendered(
    db: sqlite_utils.Database, row_id: int, *, subject: str, text: str, html: str, chat: str
) -> None:
    """Keep what was rendered, so that every copy of a delivery says the same thing."""
    with db.atomic():
        db.execute(
            "UPDATE outbox SET subject = ?, body_text = ?, body_html = ?, body_chat = ?"
            " WHERE id = ?",
            [subject, text, html, chat, row_id],
        )


def mark_sent(db: sqlite_utils.Database, row_id: int, *, token: str, now: datetime) -> bool:
    with db.atomic():
        cursor = db.execute(
            "UPDATE outbox SET state = 'sent', sent_at = ?, last_error = NULL, lease_until = NULL"
            " WHERE id = ? AND claim = ? AND state = 'sending'",
            [timestamp(now), row_id, token],
        )
    return cursor.rowcount == 1


def mark_failed(
    db: sqlite_utils.Database,
    row_id: int,
    *,
    token: str,
    error: str,
    now: datetime,
    retry_limit: int,
    backoff: float,
) -> State:
    """Record a failed attempt: back to pending after a doubling delay, or failed for good."""
    with db.atomic():
        row = db.execute(
            "SELECT attempts FROM outbox WHERE id = ? AND claim = ?", [row_id, token]
        ).fetchone()
        if row is None:
            return "sending"  # another sender took the row over; it owns the outcome
        attempts = int(row[0])
        state: State = "failed" if attempts >= retry_limit else "pending"
        delay = timedelta(seconds=backoff * 2 ** max(attempts - 1, 0))
        db.execute(
            "UPDATE outbox SET state = ?, last_error = ?, next_attempt = ?, lease_until = NULL"
            " WHERE id = ?",
            [state, redact_text(error), timestamp(now + delay), row_id],  # apprise's words
        )
    return state


def outbox_rows(db: sqlite_utils.Database, *, state: str | None = None) -> list[OutboxRow]:
    """Every outbox row (or those in ``state``), oldest first: for ``monitor alerts``."""
    if state is not None and state not in STATES:
        raise ValueError(f"unknown outbox state {state!r}; one of: {', '.join(STATES)}")
    sql, params = "SELECT * FROM outbox", []
    if state is not None:
        sql, params = sql + " WHERE state = ?", [state]
    return [_row(r) for r in db.query(sql + " ORDER BY id", params)]


def render_outbox(rows: list[OutboxRow]) -> str:
    """``monitor alerts``: one line per delivery, with the last error of failed ones."""
    if not rows:
        return "The outbox is empty."
    lines = []
    for row in rows:
        when = row.sent_at or row.next_attempt
        what = row.subject or f"{row.kind} (not rendered yet)"
        lines.append(
            f"{row.id:>6}  {row.state:<7}  {row.attempts} tries  {when:%Y-%m-%d %H:%M}  "
            f"{row.subscriber} via {row.channel_label}  {what}"
        )
        if row.last_error and row.state != "sent":
            lines.append(f"        last error: {row.last_error}")
    return "\n".join(lines)


def counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Rows per state."""
    found: dict[str, int] = dict.fromkeys(STATES, 0)
    for state, number in db.execute("SELECT state, count(*) FROM outbox GROUP BY state"):
        found[state] = number
    return found


def _row(row: dict[str, Any]) -> OutboxRow:
    return OutboxRow(
        id=row["id"],
        key=row["key"],
        subscriber=row["subscriber"],
        channel=row["channel"],
        channel_label=row["channel_label"],
        kind=row["kind"],
        change_id=row["change_id"],
        subject=row["subject"],
        body_text=row["body_text"],
        body_html=row["body_html"],
        body_chat=row["body_chat"],
        state=row["state"],
        attempts=row["attempts"],
        next_attempt=datetime.fromisoformat(row["next_attempt"]),
        claim=row["claim"],
        lease_until=_when(row["lease_until"]),
        last_error=row["last_error"],
        created=datetime.fromisoformat(row["created"]),
        sent_at=_when(row["sent_at"]),
    )


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
