"""Deliver the outbox over apprise: email (HTML with a plain-text part), JSON webhooks (full
text) and chat services (short text).

Thread safety: an SQLite connection belongs to the thread that made it, and apprise sends
synchronously with ``requests``/``smtplib``. So ``deliver_due`` is synchronous and, given a
database *path*, opens and closes its own connection in the calling thread; the daemon runs it
with ``asyncio.to_thread(deliver_due, db_path, ...)``. (Given a ``Database`` it uses it, for
callers already on that connection's thread.) No transaction is open while sending.

Each row is claimed alone under a lease (``LEASE``), sent, and marked at once, so a crash can
repeat at most the message in flight; its copies share one dedup key (see ``store.outbox``),
sent as the ``X-Monitor-Delivery`` email/HTTP header and the ``delivery`` field of JSON
webhooks. A fresh apprise object per message means apprise's pause between emails from one
plugin object does not apply; an SMTP server sees one connection per message.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import apprise
import sqlite_utils
from apprise.plugins.custom_json import NotifyJSON
from apprise.plugins.email import NotifyEmail

from ..config import Settings, SubscriberConfig
from ..store import open_db
from ..store import outbox as store
from ..store.outbox import OutboxRow
from ..store.timeline import change_record
from .render import render_alert

log = logging.getLogger("monitor.alerts")

LEASE = timedelta(minutes=5)  # longer than any one send (apprise's timeouts are seconds)
DEDUP_HEADER = "X-Monitor-Delivery"
DEDUP_FIELD = "delivery"


@dataclass
class DeliveryReport:
    """What one ``deliver_due`` run did."""

    sent: int = 0
    failed: int = 0  # attempts that failed (the row is retried later or given up)
    gave_up: int = 0  # rows now failed for good
    errors: list[str] = field(default_factory=list)

    @property
    def attempted(self) -> int:
        return self.sent + self.failed


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    html: str
    chat: str
    dedup_key: str


def deliver_due(
    db: sqlite_utils.Database | str | Path,
    settings: Settings,
    subscribers: Sequence[SubscriberConfig],
    *,
    now: datetime,
    limit: int = 100,
    lease: timedelta = LEASE,
) -> DeliveryReport:
    """Send up to ``limit`` due outbox rows; every outcome is recorded on its row."""
    own = not isinstance(db, sqlite_utils.Database)
    database = open_db(db) if not isinstance(db, sqlite_utils.Database) else db
    report = DeliveryReport()
    token = store.new_token()
    try:
        for _ in range(limit):
            row = claim_next(database, settings, now=now, lease=lease, token=token)
            if row is None:
                break
            ok, error = transmit(row, subscribers)
            _record(database, settings, row, ok, error, token=token, now=now, report=report)
    finally:
        if own:
            database.close()
    return report


def claim_next(
    db: sqlite_utils.Database,
    settings: Settings,
    *,
    now: datetime,
    lease: timedelta = LEASE,
    token: str,
) -> OutboxRow | None:
    """Claim the next due row and make sure its message is rendered and stored."""
    row = store.claim_one(
        db, now=now, lease=lease, token=token, retry_limit=settings.alert_retry_limit
    )
    if row is None or row.subject is not None or row.change_id is None:
        return row
    rendered = render_alert(change_record(db, row.change_id))
    store.store_rendered(
        db,
        row.id,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        chat=rendered.chat,
    )
    return OutboxRow(
        **{
            **row.__dict__,
            "subject": rendered.subject,
            "body_text": rendered.text,
            "body_html": rendered.html,
            "body_chat": rendered.chat,
        }
    )


def transmit(row: OutboxRow, subscribers: Sequence[SubscriberConfig]) -> tuple[bool, str]:
    """Send one claimed row to its channel; (ok, error). No database access."""
    url = _channel_url(row, subscribers)
    if url is None:
        return False, f"subscriber {row.subscriber!r} no longer has channel {row.channel_label}"
    message = Message(
        subject=row.subject or "",
        text=row.body_text or "",
        html=row.body_html or "",
        chat=row.body_chat or row.body_text or "",
        dedup_key=row.dedup_key,
    )
    return send_message(url, message)


def _channel_url(row: OutboxRow, subscribers: Sequence[SubscriberConfig]) -> str | None:
    for subscriber in subscribers:
        if subscriber.name == row.subscriber:
            for url in subscriber.notify:
                if store.channel_id(url) == row.channel:
                    return url
    return None


def send_message(url: str, message: Message) -> tuple[bool, str]:
    """One message to one apprise URL, stamped with its dedup key; (ok, error)."""
    plugin = apprise.Apprise.instantiate(url, suppress_exceptions=True)
    if plugin is None:
        return False, f"not a usable apprise URL: {store.channel_label(url)}"
    plugin.retry = 0  # the outbox retries, with backoff, and remembers failures
    _stamp(plugin, message.dedup_key)
    body, body_format = _body_for(plugin, message)
    with apprise.LogCapture(level=logging.WARNING) as captured:  # type: ignore[no-untyped-call]
        try:
            ok = bool(plugin.notify(body=body, title=message.subject, body_format=body_format))
        except Exception as exc:  # a plug-in bug must fail this delivery, not the sender
            return False, f"{exc.__class__.__name__}: {exc}"
    if ok:
        return True, ""
    lines = [line for line in captured.getvalue().splitlines() if line.strip()]
    detail = lines[-1].split(" - ", 2)[-1] if lines else "apprise reported failure"
    return False, f"{store.channel_label(url)}: {detail}"


def _stamp(plugin: object, dedup_key: str) -> None:
    headers = getattr(plugin, "headers", None)
    if isinstance(headers, dict):
        headers[DEDUP_HEADER] = dedup_key
    if isinstance(plugin, NotifyJSON):
        plugin.payload_extras[DEDUP_FIELD] = dedup_key


def _body_for(plugin: object, message: Message) -> tuple[str, apprise.NotifyFormat]:
    if isinstance(plugin, NotifyEmail):
        if plugin.resolve_format(apprise.NotifyFormat.HTML) is apprise.NotifyFormat.HTML:
            return message.html, apprise.NotifyFormat.HTML
        return message.text, apprise.NotifyFormat.TEXT
    if isinstance(plugin, NotifyJSON):
        return message.text, apprise.NotifyFormat.TEXT
    return message.chat, apprise.NotifyFormat.TEXT


def _record(
    db: sqlite_utils.Database,
    settings: Settings,
    row: OutboxRow,
    ok: bool,
    error: str,
    *,
    token: str,
    now: datetime,
    report: DeliveryReport,
) -> None:
    if ok:
        store.mark_sent(db, row.id, token=token, now=now)
        report.sent += 1
        return
    state = store.mark_failed(
        db,
        row.id,
        token=token,
        error=error,
        now=now,
        retry_limit=settings.alert_retry_limit,
        backoff=settings.alert_backoff,
    )
    report.failed += 1
    report.errors.append(f"{row.subscriber} via {row.channel_label}: {error}")
    if state == "failed":
        report.gave_up += 1
        log.error("gave up on delivery %s after %d attempts: %s", row.key, row.attempts, error)
    else:
        log.warning("delivery %s failed (attempt %d): %s", row.key, row.attempts, error)


def notify_test(subscriber: SubscriberConfig, settings: Settings) -> list[tuple[str, bool, str]]:
    """Send a test message to each of the subscriber's channels: (channel, ok, error)."""
    message = Message(
        subject="ofsted-monitor test message",
        text=f"This is a test message for subscriber {subscriber.name}.\n",
        html=f"<p>This is a test message for subscriber {html.escape(subscriber.name)}.</p>\n",
        chat=f"ofsted-monitor test message for {subscriber.name}",
        dedup_key=store.dedup_key(f"test:{subscriber.name}:{settings.user_agent}"),
    )
    results = []
    for url in subscriber.notify:
        ok, error = send_message(url, message)
        results.append((store.channel_label(url), ok, error))
    return results
