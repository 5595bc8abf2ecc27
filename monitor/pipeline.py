"""One poll of one source, through every stage: fetch -> extract -> classify -> store -> alert.

This is the only module that knows the order of the stages. Each document is stored in its own
transaction together with the rating events and outbox rows it causes, so a crash at any
moment loses at most the document in hand, which the next poll fetches again (its listing's
validators are saved only after the poll's documents are stored).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlite_utils

from .alerts.route import change_kinds, delivery_key, route
from .config import (
    Config,
    FeedSourceConfig,
    OfstedSourceConfig,
    PageSourceConfig,
    SubscriberConfig,
)
from .councils import CouncilRegistry, load_councils
from .errors import DocumentRejected, FetchError, MonitorError, ParseError
from .fetch import Fetcher
from .models import Council, Document, EvidenceKind, JudgementChange, PublicationKind, RatingEvent
from .parse_worker import ParseLimits, ParseWorker, shared_worker
from .records import EvidenceRef, FetchRecord, PlannedChange, Status
from .redact import redact_text
from .sources import PollContext, source_for
from .store import failures, open_db, outbox, quotes, timeline
from .store import items as item_store
from .store.db import check_writable_place, describe_store_error, immediate
from .timeline.apply import plan_event
from .timeline.changes import is_alerting, settled
from .urls import canonical_url

if TYPE_CHECKING:
    from .classify import Classified

log = logging.getLogger("monitor.pipeline")

AnySourceConfig = FeedSourceConfig | PageSourceConfig | OfstedSourceConfig


@dataclass
class SourceOutcome:
    """What one poll of one source did."""

    name: str
    ok: bool = True
    error: str | None = None
    documents: int = 0
    new_items: int = 0
    updated_items: int = 0
    events: int = 0
    changes: int = 0
    item_errors: list[str] = field(default_factory=list)
    backfill: bool = False
    seconds: float = 0.0
    refused: int = 0  # fetches refused by the address check (internal address, credentials)
    dropped: int = 0  # new entries over max_items_per_poll, left for a later poll


@dataclass
class PollSummary:
    outcomes: list[SourceOutcome] = field(default_factory=list)
    delivered: int = 0
    delivery_failures: int = 0
    interrupted: bool = False  # stopped by SIGTERM/SIGINT before the end
    delivery_error: str | None = None  # the database refused the delivery run

    @property
    def failed(self) -> list[SourceOutcome]:
        return [o for o in self.outcomes if not o.ok]


def utcnow() -> datetime:
    return datetime.now(UTC)


class Pipeline:
    """The stages wired together for one process: one database connection (owned by the event
    loop's thread), one shared fetcher, the configuration."""

    def __init__(
        self,
        config: Config,
        db: sqlite_utils.Database,
        fetcher: Fetcher,
        *,
        councils: CouncilRegistry | None = None,
        reader: ParseWorker | None = None,
    ):
        self.config = config
        self.db = db
        self.fetcher = fetcher
        self._councils = councils  # loaded when first needed: an unchanged poll never is
        # Documents are read in a worker process, off the event loop and under its limits.
        self.reader = reader or shared_worker(ParseLimits.from_settings(config.settings))
        limits = self.reader.limits
        self._limits = failures.Limits(timeout=limits.timeout, memory=limits.memory)
        # make_fetcher's log: a poll's requests are then logged with the poll's own record.
        fetch_log = fetcher.on_record
        self._fetch_log = (
            fetch_log if isinstance(fetch_log, FetchLog) and fetch_log.db is db else None
        )

    @property
    def councils(self) -> CouncilRegistry:
        if self._councils is None:
            self._councils = load_councils()
        return self._councils

    async def poll_source(
        self, source: AnySourceConfig, *, now: datetime | None = None
    ) -> SourceOutcome:
        """Poll one source; every failure is recorded against it and none escapes."""
        now = now or utcnow()
        started = time.monotonic()
        outcome = SourceOutcome(name=source.name)
        # The first successful poll of a source records history silently (a backfill).
        outcome.backfill = not item_store.is_backfilled(self.db, source.name)
        if self._fetch_log is not None:
            self._fetch_log.hold(source.name)  # written by _record, with the poll's record
        ctx = PollContext(
            source_name=source.name,
            fetcher=self.fetcher,
            settings=self.config.settings,
            state=failures.FailureAwareState(
                item_store.StoreSourceState(self.db, source.name),
                self.db,
                source.name,
                self._limits,
            ),
            now=now,
        )
        try:
            async for document in source_for(source).poll(ctx):
                outcome.documents += 1
                classified = await self._read(document, ctx, now=now)
                if classified is not None:
                    self._process(document, classified, outcome, now=now)
            item_store.save_validators(self.db, ctx.pending_validators, now=now)
        except (MonitorError, ValueError, LookupError) as exc:
            outcome.ok, outcome.error = False, _describe(exc)
            log.warning("source %s failed: %s", source.name, outcome.error)
        except sqlite3.Error as exc:  # a full disk or a lock held elsewhere: retried next poll
            outcome.ok, outcome.error = False, describe_store_error(exc)
            log.error("source %s failed: %s", source.name, outcome.error)
        except asyncio.CancelledError:
            outcome.ok, outcome.error = False, "cancelled (shutdown)"
            self._record(source, outcome, now, started)
            raise
        except Exception as exc:  # a bug in one adapter must not stop the daemon
            outcome.ok, outcome.error = False, f"internal error: {_describe(exc)}"
            log.exception("source %s crashed", source.name)
        outcome.item_errors = list(ctx.errors)
        outcome.refused, outcome.dropped = ctx.refused, ctx.dropped
        if ctx.dropped:
            log.warning(
                "source %s: %d entries over max_items_per_poll=%d left for the next poll",
                source.name,
                ctx.dropped,
                self.config.settings.max_items_per_poll,
            )
        self._record(source, outcome, now, started)
        return outcome

    def _record(
        self, source: AnySourceConfig, outcome: SourceOutcome, now: datetime, started: float
    ) -> None:
        outcome.seconds = time.monotonic() - started
        error = outcome.error
        if error is None and outcome.item_errors:
            error = f"{len(outcome.item_errors)} item error(s); last: {outcome.item_errors[-1]}"
        fetches = self._fetch_log.release(source.name) if self._fetch_log is not None else []

        def record(fetched: list[tuple[FetchRecord, datetime]]) -> None:
            item_store.record_poll(
                self.db,
                source.name,
                kind=source.kind,
                url=source.url,
                ok=outcome.ok,
                error=error,
                new_items=outcome.new_items,
                now=now,
                refused=outcome.refused,
                dropped=outcome.dropped,
                fetches=fetched,
            )

        try:
            record(fetches)
            return
        except sqlite3.Error as exc:  # the trouble that failed the poll may stop this too
            problem = describe_store_error(exc)
        if fetches:
            # The poll's own record comes first: on a full disk it still fits, as an update
            # in place, where new fetch_log rows do not.
            log.error("source %s: %d fetches not logged: %s", source.name, len(fetches), problem)
            try:
                record([])
                return
            except sqlite3.Error as exc:
                problem = describe_store_error(exc)
        log.error("source %s: poll not recorded: %s", source.name, problem)

    async def _read(
        self, document: Document, ctx: PollContext, *, now: datetime
    ) -> Classified | None:
        """Extract and classify one document (``classify_document``, the one product path)
        in the parse worker; None when it cannot be read, recorded against the source."""
        urls = (document.url, document.meta.get("link", ""))
        known = failures.failed_before(
            self.db, document.source, document.url, document.content, self._limits
        )
        if known is not None:
            log.info(
                "%s: %s: not read: these bytes failed before (%s)",
                ctx.source_name,
                document.url,
                known,
            )
            return None
        try:
            classified = await self.reader.aread(document, document.meta.get("la_code", ""))
        except DocumentRejected as exc:
            # Killed or overran the worker, or a bomb: read again only when it changes.
            failures.record_failure(
                self.db,
                document.source,
                urls,
                content=document.content,
                fingerprint=document.meta.get("fingerprint"),
                reason=str(exc),
                limits=self._limits,
                now=now,
            )
            ctx.item_error(document.url, f"{exc}; not read again until it changes")
            return None
        except ParseError as exc:
            ctx.item_error(document.url, _describe(exc))
            return None
        except Exception as exc:  # hostile bytes must cost one item, never the whole source
            # Not stored: the next poll tries this item again.
            log.exception("reading %s failed", document.url)
            ctx.item_error(document.url, f"internal error while reading: {_describe(exc)}")
            return None
        failures.clear_failure(self.db, document.source, urls)
        return classified

    def _process(
        self, document: Document, classified: Classified, outcome: SourceOutcome, *, now: datetime
    ) -> None:
        """Store one read document with the events it states, all or nothing."""
        article, classification = classified.article, classified.classification
        # immediate(): take the write lock up front, so a concurrent writer waits its turn
        # (busy timeout) instead of failing the transaction half-way.
        with immediate(self.db):
            result = item_store.upsert_item(self.db, document, article, now=now)
            if result.status == "new":
                outcome.new_items += 1
            elif result.status == "updated":
                outcome.updated_items += 1
            elif result.duplicate_of is None:
                return
            # A verbatim copy under another URL (syndication) is one more piece of evidence;
            # the timeline keeps one row per (inspection, url), so repeats add nothing.
            self._record_publication(document, now=now)
            for event in classification.events:
                applied = record_event(
                    self.db,
                    event,
                    evidence=EvidenceRef(
                        item_id=result.id,
                        # What was fetched, never what the page claims to be (its
                        # canonical): a page must not present itself as an official report.
                        url=canonical_url(document.url),
                        title=article.title or document.title or "",
                        source=document.source,
                        kind=classification.evidence_kind,
                        published=article.published or document.published,
                    ),
                    silent=outcome.backfill,
                    subscribers=self.config.subscribers,
                    now=now,
                )
                outcome.events += 1
                outcome.changes += len(applied.changes)

    def _record_publication(self, document: Document, *, now: datetime) -> None:
        """Ungraded Ofsted publications (focused visits, monitoring visits...) are context."""
        kind_value = document.meta.get("publication_kind")
        if not kind_value:
            return
        kind = PublicationKind(kind_value)
        council = self.councils.by_code(document.meta.get("la_code", ""))
        if kind.graded or council is None:
            return
        published = document.published.date() if document.published else None
        timeline.record_publication(
            self.db,
            council=council,
            kind=kind,
            published=published,
            url=document.url,
            source=document.source,
            now=now,
        )

    async def poll_all(
        self,
        sources: Sequence[AnySourceConfig],
        *,
        now: datetime | None = None,
        on_outcome: Callable[[SourceOutcome], None] | None = None,
    ) -> list[SourceOutcome]:
        """Poll sources concurrently (the fetcher keeps to one request at a time per host)."""

        async def one(source: AnySourceConfig) -> SourceOutcome:
            outcome = await self.poll_source(source, now=now)
            if on_outcome is not None:
                on_outcome(outcome)
            return outcome

        return list(await asyncio.gather(*(one(s) for s in sources)))


@dataclass(frozen=True)
class AppliedEvent:
    """What recording one event did: the inspection touched, how, the changes it revealed
    and how many deliveries it queued."""

    inspection_id: int
    status: Status
    changes: tuple[JudgementChange, ...]
    deliveries: int


def record_event(
    db: sqlite_utils.Database,
    event: RatingEvent,
    *,
    evidence: EvidenceRef,
    silent: bool,
    subscribers: Sequence[SubscriberConfig],
    now: datetime,
) -> AppliedEvent:
    """Record what ``event`` says in the council's timeline, in one transaction together with
    the outbox rows of any change it reveals (none when silent): load the timeline, plan,
    save, route, enqueue."""
    with db.atomic():
        plan = plan_event(
            timeline.load_timeline(db, event.council.la_code), event, evidence, silent=silent
        )
        saved = timeline.save_plan(db, event, evidence, plan, now=now)
        # The sentences it was read from, for the web view's evidence ("why this grade").
        quotes.save_quotes(
            db, la_code=event.council.la_code, url=evidence.url, evidence=event.evidence
        )
        deliveries = 0
        change = plan.change
        if change is not None and saved.change_id is not None and not change.silent:
            unconfirmed = plan.fields is not None and plan.fields.grades_from is EvidenceKind.NEWS
            deliveries += _enqueue_change(
                db, saved.change_id, change, event.council, subscribers, unconfirmed, now
            )
        if plan.confirms:
            deliveries += _enqueue_confirmed(
                db, saved.inspection_id, event.council, subscribers, now
            )
    return AppliedEvent(saved.inspection_id, plan.status, plan.changes, deliveries)


def _enqueue_change(
    db: sqlite_utils.Database,
    change_id: int,
    change: PlannedChange,
    council: Council,
    subscribers: Sequence[SubscriberConfig],
    unconfirmed: bool,
    now: datetime,
) -> int:
    """Queue a new change for its subscribers: at once, except to those who wait for the
    report while the grades are the news's alone; a correction reaches those as a change."""
    registry = load_councils()
    kinds = change_kinds(change.changes) | change_kinds(change.earlier)
    routed = route(subscribers, council, kinds, registry=registry)
    added = _enqueue(db, change_id, [s for s in routed if not s.wait_for_report], now)
    if unconfirmed or not is_alerting(change.changes):
        return added  # those who wait hear of it when a report confirms it, or never
    routed = route(subscribers, council, change_kinds(change.changes), registry=registry)
    waited = [s for s in routed if s.wait_for_report]
    return added + _enqueue(db, change_id, waited, now, as_change=change.kind == "correction")


def _enqueue_confirmed(
    db: sqlite_utils.Database,
    inspection_id: int,
    council: Council,
    subscribers: Sequence[SubscriberConfig],
    now: datetime,
) -> int:
    """A report has confirmed the news's grades: the change alerted from the news now
    reaches the subscribers who waited for the report."""
    record = timeline.alerted_change(db, inspection_id)
    if record is None:
        return 0
    kinds = change_kinds(settled(record).changes)
    routed = route(subscribers, council, kinds, registry=load_councils())
    return _enqueue(db, record.id, [s for s in routed if s.wait_for_report], now)


def _enqueue(
    db: sqlite_utils.Database,
    change_id: int,
    subscribers: Sequence[SubscriberConfig],
    now: datetime,
    *,
    as_change: bool = False,
) -> int:
    key = delivery_key(change_id, as_change=as_change)
    return sum(
        outbox.enqueue(db, key=key, subscriber=s, kind="change", change_id=change_id, now=now)
        for s in subscribers
        if s.immediate
    )


def _describe(exc: BaseException) -> str:
    # Shown, logged and stored: a URL in it may carry an API key.
    text = redact_text(str(exc) or exc.__class__.__name__)
    if isinstance(exc, FetchError | ParseError):
        return text
    return f"{exc.__class__.__name__}: {text}"


class FetchLog:
    """The fetcher's records on their way to ``fetch_log``.

    While a poll of their source is open (``hold``), records wait and are written with that
    poll's own record (``Pipeline._record``), in one transaction: an unchanged poll commits
    once, not once per request and once more for the poll. Any other record is written at
    once. Only bookkeeping waits: every document is stored in its own transaction as it
    is read, whatever happens to its fetch's log row."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self._held: dict[str, list[tuple[FetchRecord, datetime]]] = {}

    def __call__(self, record: FetchRecord) -> None:
        held = self._held.get(record.source)
        if held is None:
            item_store.record_fetch(self.db, record, now=utcnow())
        else:
            held.append((record, utcnow()))

    def hold(self, source: str) -> None:
        self._held.setdefault(source, [])

    def release(self, source: str) -> list[tuple[FetchRecord, datetime]]:
        return self._held.pop(source, [])


def make_fetcher(config: Config, db: sqlite_utils.Database) -> Fetcher:
    """The shared fetcher, recording every request outcome against its source."""
    on_record = FetchLog(db)
    # Only hosts the configuration names may be internal addresses (a local feed, a fixture).
    trusted = [source.url for source in config.sources]
    return Fetcher(config.settings, on_record=on_record, trusted=trusted)


async def poll_once(
    config: Config,
    *,
    db_path: str | Path,
    now: datetime | None = None,
    sources: Sequence[str] | None = None,
    deliver: bool = True,
    on_outcome: Callable[[SourceOutcome], None] | None = None,
    lock_timeout: float = 0.0,
    handle_signals: bool = False,
) -> PollSummary:
    """One cycle of every enabled source (or of the named ones), then the alerts that fall due.

    Holds the database's lock throughout (``LockHeld`` if another monitor keeps it longer
    than ``lock_timeout`` seconds), so deliveries a dead process left half-sent are resent at
    once with the alerts that fall due (not after their lease).
    With ``handle_signals``, SIGTERM/SIGINT stop it cleanly: the polls in flight are
    cancelled (what each stored stays stored; the rest is fetched next time), the message
    being sent is finished and no other is started, and ``summary.interrupted`` is set.
    """
    from .alerts.send import deliver_due
    from .lock import DatabaseLock

    selected = [s for s in config.sources if s.enabled and (not sources or s.name in sources)]
    summary = PollSummary()
    stop = threading.Event()
    polling: asyncio.Task[list[SourceOutcome]] | None = None

    def on_signal() -> None:
        stop.set()
        summary.interrupted = True
        if polling is not None and not polling.done():
            polling.cancel()

    finished: list[SourceOutcome] = []

    def collect(outcome: SourceOutcome) -> None:
        finished.append(outcome)  # kept even if a signal cuts the cycle short
        if on_outcome is not None:
            on_outcome(outcome)

    check_writable_place(Path(db_path))  # before the lock, whose file goes beside it
    with DatabaseLock(db_path, timeout=lock_timeout), _signals(on_signal, handle_signals):
        db = open_db(db_path)
        try:
            fetcher = make_fetcher(config, db)
            try:
                pipeline = Pipeline(config, db, fetcher)
                if not stop.is_set():
                    polling = asyncio.ensure_future(
                        pipeline.poll_all(selected, now=now, on_outcome=collect)
                    )
                try:
                    summary.outcomes = await polling if polling is not None else []
                except asyncio.CancelledError:
                    if not stop.is_set():
                        raise  # cancelled by our caller, not by a signal
                    summary.outcomes = finished
            finally:
                await fetcher.aclose()
            if deliver and not stop.is_set():
                try:
                    report = await asyncio.to_thread(
                        deliver_due,
                        db_path,
                        config.settings,
                        config.subscribers,
                        now=now or utcnow(),
                        stop=stop,
                        resume=True,  # we hold the lock: what is `sending` has no live sender
                    )
                except sqlite3.Error as exc:  # locked or full: the outbox keeps them for later
                    summary.delivery_error = describe_store_error(exc)
                    log.error("alert delivery failed: %s", summary.delivery_error)
                else:
                    summary.delivered, summary.delivery_failures = report.sent, report.failed
        finally:
            db.close()
    return summary


@contextlib.contextmanager
def _signals(handler: Callable[[], None], enabled: bool) -> Iterator[None]:
    """SIGTERM and SIGINT call ``handler`` (on the event loop) while inside."""
    loop = asyncio.get_running_loop()
    installed = []
    if enabled:
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError):  # not the main thread
                loop.add_signal_handler(sig, handler)
                installed.append(sig)
    try:
        yield
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)
