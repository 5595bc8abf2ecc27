"""Deliver the outbox over apprise: email (HTML with a plain-text part), JSON webhooks (full
text) and chat services (short text).

Thread safety: an SQLite connection belongs to the thread that made it, and apprise sends
synchronously with ``requests``/``smtplib``. So ``deliver_due`` is synchronous and, given a
database *path*, opens and closes its own connection in the calling thread; the daemon runs it
with ``asyncio.to_thread(deliver_due, db_path, ...)``. (Given a ``Database`` it uses it, for
callers already on that connection's thread.) No transaction is open while sending.

Each row is claimed alone under a lease (``settings.alert_lease``), sent, and marked at once,
so a crash can repeat at most the messages in flight (one per channel, and up to
``alert_senders_per_host`` to one host when several are sent at once). Delivery is at least
once: every copy of a delivery carries the same key (see ``store.outbox``), as the
``X-Monitor-Delivery`` email and HTTP header, the ``delivery`` field of JSON webhooks, and the
last line of chat text (``X-Monitor-Delivery: <key>``), so a receiver can drop a repeat. A
fresh apprise object per message means apprise's pause between emails from one plugin object
does not apply; an SMTP server sees one connection per message. The object is built *before*
its row is claimed (building the first one loads apprise's plug-ins, about 0.1 s), so that a
crash can fall between claim and mark only during the send itself.
"""

from __future__ import annotations

import html
import logging
import threading
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import sqlite_utils

from ..config import Settings, SubscriberConfig
from ..store import open_db
from ..store import outbox as store
from ..store.outbox import OutboxRow
from ..store.timeline import change_record
from ..timeline.changes import settled
from .render import render_alert
from .route import told_as_change

if TYPE_CHECKING:
    import apprise

# apprise (about 0.1 s of imports and regex compiling) is imported only when a message is
# about to be sent: a poll whose outbox is empty never loads it.

log = logging.getLogger("monitor.alerts")

LEASE = timedelta(seconds=Settings.model_fields["alert_lease"].default)  # the default lease
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
    lease: timedelta | None = None,
    stop: threading.Event | None = None,
    resume: bool = False,
) -> DeliveryReport:
    """Send up to ``limit`` due outbox rows; every outcome is recorded on its row. With
    ``stop`` set (shutdown), the messages in flight are finished and no other is started.
    ``resume`` (only for the holder of the database's lock, before its first sweep) first
    makes every row left ``sending`` due again (``resume_interrupted``)."""
    own = not isinstance(db, sqlite_utils.Database)
    database = open_db(db) if not isinstance(db, sqlite_utils.Database) else db
    lease = lease if lease is not None else timedelta(seconds=settings.alert_lease)
    report = DeliveryReport()
    token = store.new_token()
    try:
        if resume:
            resume_interrupted(database, settings, now=now)
        store.rekey_channels(database, subscribers)  # no hash of a password left behind
        channels = Channels(subscribers)
        channels.prepare(store.due_channels(database, now=now))
        if settings.alert_senders_per_host > 1:
            _deliver_in_parallel(
                database,
                settings,
                subscribers,
                channels,
                now=now,
                limit=limit,
                lease=lease,
                stop=stop,
                token=token,
                report=report,
            )
            return report
        for _ in range(limit):
            if stop is not None and stop.is_set():
                break
            row = claim_next(database, settings, now=now, lease=lease, token=token)
            if row is None:
                break
            ok, error = transmit(row, subscribers, channels)
            _record(database, settings, row, ok, error, token=token, now=now, report=report)
            channels.refill()  # the next message's object, before its row is claimed
    finally:
        if own:
            database.close()
    return report


def resume_interrupted(db: sqlite_utils.Database, settings: Settings, *, now: datetime) -> int:
    """At the start of a process that holds the database's lock: every delivery a dead
    process left half-sent is due again now (same key), instead of after its lease."""
    count = store.reclaim_interrupted(
        db, now=now, retry_limit=settings.alert_retry_limit, backoff=settings.alert_backoff
    )
    if count:
        log.warning(
            "%d alert(s) were interrupted mid-send by a stopped process: resending now with"
            " the same delivery key",
            count,
        )
    return count


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
    record = settled(change_record(db, row.change_id))
    rendered = render_alert(record.as_change() if told_as_change(row.key) else record)
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


class Channels:
    """Apprise objects made ready before their rows are claimed: one unused object per
    (subscriber, channel), replaced by a fresh one after each send."""

    def __init__(self, subscribers: Sequence[SubscriberConfig]):
        self._subscribers = subscribers
        self._ready: dict[str, apprise.NotifyBase | None] = {}
        self._used: set[str] = set()

    def prepare(self, due: set[tuple[str, str]]) -> None:
        for subscriber, channel in due:
            url = _find_url(self._subscribers, subscriber, channel)
            if url is not None and url not in self._ready:
                self._ready[url] = _instantiate(url)

    def take(self, url: str) -> apprise.NotifyBase | None:
        if url in self._used:  # its ready object is in flight (parallel senders): a new one
            return _instantiate(url)
        if url not in self._ready:
            self._ready[url] = _instantiate(url)
        self._used.add(url)
        return self._ready[url]

    def refill(self) -> None:
        for url in self._used:
            self._ready[url] = _instantiate(url)
        self._used.clear()


MAX_SENDERS = 16  # threads sending at once, over all hosts


def _deliver_in_parallel(
    db: sqlite_utils.Database,
    settings: Settings,
    subscribers: Sequence[SubscriberConfig],
    channels: Channels,
    *,
    now: datetime,
    limit: int,
    lease: timedelta,
    stop: threading.Event | None,
    token: str,
    report: DeliveryReport,
) -> None:
    """``deliver_due``'s loop with up to ``alert_senders_per_host`` messages in flight to one
    host (an SMTP server, a webhook's site), each on its own connection: apprise sends one
    message per connection and spends most of it waiting or building a TLS context.

    This thread alone touches the database and the apprise objects' bookkeeping: it claims
    the rows in order, readies each one's object before handing it to a sending thread, and
    records every outcome as it comes back. Threads only send (``send_message``).

    One message at a time per channel (notify URL): the rows are claimed in the order they
    were enqueued, and a subscriber's alerts must arrive in that order too (an upgrade, then
    the downgrade after it; never the other way round). Messages to different channels on one
    host go out at once."""
    per_host = settings.alert_senders_per_host
    in_flight: dict[Future[tuple[bool, str]], tuple[OutboxRow, str, str]] = {}
    busy: Counter[str] = Counter()
    sending_to: set[str] = set()

    def collect() -> None:
        done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
        for future in done:
            row, host, url = in_flight.pop(future)
            busy[host] -= 1
            sending_to.discard(url)
            ok, error = future.result()
            _record(db, settings, row, ok, error, token=token, now=now, report=report)
        channels.refill()  # the next messages' objects, before their rows are claimed

    with ThreadPoolExecutor(max_workers=MAX_SENDERS, thread_name_prefix="alert") as pool:
        try:
            for _ in range(limit):
                if stop is not None and stop.is_set():
                    break
                while len(in_flight) >= MAX_SENDERS:
                    collect()
                row = claim_next(db, settings, now=now, lease=lease, token=token)
                if row is None:
                    break
                url = _channel_url(row, subscribers)
                if url is None:
                    ok, error = transmit(row, subscribers)  # the "no longer has" failure
                    _record(db, settings, row, ok, error, token=token, now=now, report=report)
                    continue
                host = store.channel_label(url)
                while busy[host] >= per_host or url in sending_to:
                    collect()
                plugin = channels.take(url)
                future = pool.submit(send_message, url, _message(row), plugin=plugin)
                in_flight[future] = (row, host, url)
                busy[host] += 1
                sending_to.add(url)
        finally:
            while in_flight:  # claimed rows are finished and recorded, even on the way out
                collect()


def _instantiate(url: str) -> apprise.NotifyBase | None:
    import apprise

    from .tls import install

    install()  # one shared, verified TLS context for email instead of one per message
    return apprise.Apprise.instantiate(url, suppress_exceptions=True)


def transmit(
    row: OutboxRow, subscribers: Sequence[SubscriberConfig], channels: Channels | None = None
) -> tuple[bool, str]:
    """Send one claimed row to its channel; (ok, error). No database access."""
    url = _channel_url(row, subscribers)
    if url is None:
        return False, f"subscriber {row.subscriber!r} no longer has channel {row.channel_label}"
    return send_message(url, _message(row), plugin=channels.take(url) if channels else None)


def _message(row: OutboxRow) -> Message:
    return Message(
        subject=row.subject or "",
        text=row.body_text or "",
        html=row.body_html or "",
        chat=row.body_chat or row.body_text or "",
        dedup_key=row.dedup_key,
    )


def _channel_url(row: OutboxRow, subscribers: Sequence[SubscriberConfig]) -> str | None:
    return _find_url(subscribers, row.subscriber, row.channel)


def _find_url(subscribers: Sequence[SubscriberConfig], name: str, channel: str) -> str | None:
    for subscriber in subscribers:
        if subscriber.name == name:
            for url in subscriber.notify:
                if channel in store.channel_ids(url):  # rows of older versions too
                    return url
    return None


def send_message(
    url: str, message: Message, *, plugin: apprise.NotifyBase | None = None
) -> tuple[bool, str]:
    """One message to one apprise URL, stamped with its dedup key; (ok, error). ``plugin`` is
    a fresh apprise object for ``url`` if the caller made one already."""
    plugin = plugin if plugin is not None else _instantiate(url)
    if plugin is None:
        return False, f"not a usable apprise URL: {store.channel_label(url)}"
    plugin.retry = 0  # the outbox retries, with backoff, and remembers failures
    _stamp(plugin, message.dedup_key)
    body, body_format = _body_for(plugin, message)
    import apprise

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
    from apprise.plugins.custom_json import NotifyJSON

    headers = getattr(plugin, "headers", None)
    if isinstance(headers, dict):
        headers[DEDUP_HEADER] = dedup_key
    if isinstance(plugin, NotifyJSON):
        plugin.payload_extras[DEDUP_FIELD] = dedup_key


def _body_for(plugin: object, message: Message) -> tuple[str, apprise.NotifyFormat]:
    import apprise
    from apprise.plugins.custom_json import NotifyJSON
    from apprise.plugins.email import NotifyEmail

    if isinstance(plugin, NotifyEmail):
        if plugin.resolve_format(apprise.NotifyFormat.HTML) is apprise.NotifyFormat.HTML:
            return message.html, apprise.NotifyFormat.HTML
        return message.text, apprise.NotifyFormat.TEXT
    if isinstance(plugin, NotifyJSON):
        return message.text, apprise.NotifyFormat.TEXT
    return message.chat + chat_footer(message.dedup_key), apprise.NotifyFormat.TEXT


def chat_footer(dedup_key: str) -> str:
    """The last line of chat text: the delivery key, where a chat service has no header."""
    return f"\n{DEDUP_HEADER}: {dedup_key}"


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
