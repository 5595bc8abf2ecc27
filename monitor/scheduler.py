"""The daemon: APScheduler 3.11 on asyncio, one job per wave of sources, plus alert delivery
and digests.

Jobs are rebuilt from the configuration at every start (no persistent job store: several
schedulers must not share a 3.x job store, and sources.yaml is the truth). After a restart the
first runs are spread out so that a hundred sources do not all fire in the first second; but
not one by one: sources with the same interval whose first runs fall in the same tenth of it
form a *wave*, one job that polls them together (each host still gated by the fetcher). A
process that wakes for every poll separately pays its wake-up again and again: polled in waves,
an unchanged cycle costs about 2.5 times less CPU (bench/urlwatch_compare.py steady). Each wave
job runs at most one instance at a time, coalesces missed runs, and has a misfire grace of its
own interval so a busy loop delays a poll instead of silently skipping it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import signal
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from .config import Config
from .errors import MonitorError
from .lock import DatabaseLock
from .pipeline import AnySourceConfig, Pipeline, make_fetcher, utcnow
from .store import items as item_store
from .store import open_db
from .store.db import check_writable_place, describe_store_error
from .views.digest import Period, send_digests

log = logging.getLogger("monitor.scheduler")

DELIVERY_INTERVAL = 15.0  # seconds between two outbox sweeps
FIRST_RUN_SPREAD_CAP = 120.0  # overdue sources start within this many seconds
SHUTDOWN_GRACE = 10.0  # seconds in-flight polls get to finish on SIGTERM
CANCEL_GRACE = 5.0  # seconds a cancelled job gets to unwind before the database closes anyway


class CycleMeter:
    """The daemon's own cost, logged once per cycle (as many polls as enabled sources): the
    process's CPU seconds (``time.process_time``, every thread) and wall time since the last
    cycle. This is what a server pays per cycle in the steady state; bench/ reads the line."""

    def __init__(
        self,
        sources: int,
        *,
        cpu: Callable[[], float] = time.process_time,
        wall: Callable[[], float] = time.monotonic,
    ):
        self.sources = max(sources, 1)
        self._cpu, self._wall = cpu, wall
        self._polls = 0
        self._started = (cpu(), wall())

    def polled(self) -> None:
        self._polls += 1
        if self._polls < self.sources:
            return
        cpu, wall = self._cpu(), self._wall()
        used, took = cpu - self._started[0], wall - self._started[1]
        log.info(
            "cycle: %d polls in %.1f s wall, %.3f s CPU (%.3f ms per poll)",
            self._polls,
            took,
            used,
            1000 * used / self._polls,
        )
        self._polls, self._started = 0, (cpu, wall)


WAVES_PER_INTERVAL = 10  # first runs are spread over this many waves per interval


def plan_waves(
    entries: Sequence[tuple[AnySourceConfig, float, float]],
) -> dict[tuple[float, int], tuple[float, list[AnySourceConfig]]]:
    """(source, interval, first-run delay) -> {(interval, slot): (delay, sources)}: the sources
    whose first runs fall in the same tenth of the same interval run together, at the start of
    that tenth (never later than their own delay)."""
    waves: dict[tuple[float, int], tuple[float, list[AnySourceConfig]]] = {}
    for source, interval, delay in entries:
        width = max(interval, 1.0) / WAVES_PER_INTERVAL
        slot = int(delay // width)
        waves.setdefault((interval, slot), (slot * width, []))[1].append(source)
    return waves


def first_run_delay(interval: float, *, overdue: bool, rng: random.Random) -> float:
    """When a source first runs after start: soon if it is overdue (or new), else spread over
    its interval."""
    window = min(interval, FIRST_RUN_SPREAD_CAP) if overdue else interval
    return rng.uniform(0, window)


class Daemon:
    """``await Daemon(config, db_path).run(stop)`` until ``stop`` is set (or SIGTERM/SIGINT)."""

    def __init__(self, config: Config, db_path: str | Path, *, rng: random.Random | None = None):
        self.config = config
        self.db_path = db_path
        self.rng = rng or random.Random()
        self._running: set[asyncio.Task[Any]] = set()
        self._meter = CycleMeter(sum(1 for s in config.sources if s.enabled))
        self._scheduler: AsyncIOScheduler | None = None
        self._stopping = threading.Event()  # tells a delivery thread to stop after its message
        self._delivering: asyncio.Lock | None = None  # one delivery at a time in this process
        self._resumed = False  # interrupted deliveries put back (see _deliver)

    async def run(self, stop: asyncio.Event | None = None, *, handle_signals: bool = True) -> None:
        """Run until ``stop``; raises ``LockHeld`` if another monitor has the database.

        The stop order is what keeps shutdown off a closed database: the scheduler is paused
        (no job starts), delivery is told to stop after the message in flight, every running
        job is waited for (up to ``SHUTDOWN_GRACE``) or cancelled, and only then do the
        fetcher and the database close."""
        stop = stop or asyncio.Event()
        if handle_signals:
            _install_signal_handlers(stop)
        check_writable_place(Path(self.db_path))  # before the lock, whose file goes beside it
        with DatabaseLock(self.db_path):
            await self._run(stop)

    async def _run(self, stop: asyncio.Event) -> None:
        self._delivering = asyncio.Lock()
        db = open_db(self.db_path)
        fetcher = make_fetcher(self.config, db)
        pipeline = Pipeline(self.config, db, fetcher)
        scheduler = AsyncIOScheduler(timezone=self.config.settings.timezone)
        self._scheduler = scheduler
        try:
            self._schedule_sources(scheduler, pipeline, db)
            self._schedule_delivery(scheduler)
            scheduler.start()
            log.info("daemon started: %d sources", len(self.config.sources))
            await stop.wait()
            log.info("stopping: waiting up to %.0fs for in-flight polls", SHUTDOWN_GRACE)
        finally:
            if scheduler.running:  # not yet started if scheduling failed
                scheduler.pause()  # no new runs; the running ones may finish
            self._stopping.set()
            await self._drain()
            if scheduler.running:
                scheduler.shutdown(wait=False)
            await fetcher.aclose()
            db.close()
            log.info("daemon stopped")

    def _schedule_sources(self, scheduler: AsyncIOScheduler, pipeline: Pipeline, db: Any) -> None:
        now = utcnow()
        last_polled = {row.name: row.last_success for row in item_store.source_rows(db)}
        entries = []
        for source in self.config.sources:
            if not source.enabled:
                continue
            interval = self.config.interval_of(source)
            previous = last_polled.get(source.name)
            overdue = previous is None or (now - previous).total_seconds() >= interval
            entries.append(
                (source, interval, first_run_delay(interval, overdue=overdue, rng=self.rng))
            )
        for (interval, slot), (delay, sources) in plan_waves(entries).items():
            job_id = f"wave:{interval:g}s:{slot}"
            scheduler.add_job(
                self._tracked(self._poll_job(pipeline, sources, job_id)),
                IntervalTrigger(seconds=interval, jitter=self.config.settings.jitter),
                id=job_id,
                name=f"{len(sources)} source(s) every {interval:g} s",
                next_run_time=now + timedelta(seconds=delay),
                max_instances=1,
                coalesce=True,
                misfire_grace_time=int(max(interval, 1)),
            )
            _note_next_runs(db, [s.name for s in sources], now + timedelta(seconds=delay))

    def _poll_job(
        self, pipeline: Pipeline, sources: Sequence[AnySourceConfig], job_id: str
    ) -> Callable[[], Any]:
        async def one(source: AnySourceConfig) -> int:
            outcome = await pipeline.poll_source(source)
            self._meter.polled()
            # An unchanged source is news to nobody: its line is debug (-vv); the cycle line
            # says the daemon is alive. New items, changes and errors are info.
            news = outcome.new_items or outcome.updated_items or outcome.changes
            quiet = outcome.ok and not (news or outcome.error or outcome.item_errors)
            log.log(
                logging.DEBUG if quiet else logging.INFO,
                "polled %s: ok=%s new=%d changes=%d%s",
                source.name,
                outcome.ok,
                outcome.new_items,
                outcome.changes,
                f" error={outcome.error}" if outcome.error else "",
            )
            return outcome.changes

        async def job() -> None:
            # poll_source records every failure itself; only cancellation leaves gather.
            changes = await asyncio.gather(*(one(source) for source in sources))
            if any(changes):
                await self._deliver()  # news is news now, not at the next outbox sweep
            job_ = self._scheduler.get_job(job_id) if self._scheduler else None
            if job_ is not None and job_.next_run_time is not None:
                names = [source.name for source in sources]
                _note_next_runs(pipeline.db, names, job_.next_run_time)

        return job

    def _schedule_delivery(self, scheduler: AsyncIOScheduler) -> None:
        scheduler.add_job(
            self._tracked(self._deliver),
            IntervalTrigger(seconds=DELIVERY_INTERVAL),
            id="deliver",
            next_run_time=utcnow() + timedelta(seconds=1),
            max_instances=1,
            coalesce=True,
            misfire_grace_time=60,
        )
        tz = self.config.settings.timezone
        periods: tuple[tuple[Period, CronTrigger], ...] = (
            ("daily", CronTrigger(hour=7, minute=0, timezone=tz)),
            ("weekly", CronTrigger(day_of_week="mon", hour=7, minute=0, timezone=tz)),
        )
        for period, trigger in periods:
            scheduler.add_job(
                self._tracked(self._digest_job(period)),
                trigger,
                id=f"digest:{period}",
                max_instances=1,
                coalesce=True,
                misfire_grace_time=3600,
            )

    async def _deliver(self) -> None:
        """Send what the outbox has due. Sweeps in this process take turns (each row is
        claimed under a lease anyway); a database that refuses is logged and tried again."""
        from .alerts.send import deliver_due

        assert self._delivering is not None
        await self._delivering.acquire()
        try:
            if self._stopping.is_set():
                return
            # The first sweep (a second after start) first puts back what a dead process left
            # `sending`: we hold the database's lock, so it has no live sender. Until that
            # succeeds (the database may be locked), every sweep tries again. Sweeps never
            # overlap, so none of ours is `sending` while that runs.
            report = await asyncio.to_thread(
                deliver_due,
                self.db_path,
                self.config.settings,
                self.config.subscribers,
                now=utcnow(),
                stop=self._stopping,
                resume=not self._resumed,
            )
        except (sqlite3.Error, MonitorError) as exc:  # a locked or full database: next sweep
            detail = describe_store_error(exc) if isinstance(exc, sqlite3.Error) else str(exc)
            log.error("alert delivery failed: %s", detail)
            return
        finally:
            self._delivering.release()
        self._resumed = True
        if report.sent or report.failed:
            log.info("alerts: %d sent, %d failed", report.sent, report.failed)

    def _digest_job(self, period: Period) -> Callable[[], Any]:
        async def job() -> None:
            db = open_db(self.db_path)
            try:
                send_digests(
                    db, self.config.settings, self.config.subscribers, period=period, now=utcnow()
                )
            finally:
                db.close()

        return job

    def _tracked(self, func: Callable[[], Any]) -> Callable[[], Any]:
        """Wrap a job so that shutdown can wait for (or cancel) what is running."""

        async def wrapper() -> None:
            task = asyncio.current_task()
            if task is not None:
                self._running.add(task)
            try:
                if self._stopping.is_set():
                    return  # submitted just before the stop: nothing new starts now
                await func()
            except asyncio.CancelledError:
                # Only shutdown cancels a job, after its grace period; what it had stored
                # is whole (one transaction per document) and the rest is fetched next time.
                log.info("job cancelled at shutdown")
            except Exception:
                log.exception("job failed")
            finally:
                if task is not None:
                    self._running.discard(task)

        return wrapper

    async def _drain(self) -> None:
        """Return when no job runs: wait for each, cancel those past the grace period.

        The set is read afresh each round, not once: a job the scheduler submitted just
        before it was paused is a task that has not started yet, and joins the set only when
        it does (the ``sleep(0)`` lets it)."""
        loop = asyncio.get_running_loop()
        me = asyncio.current_task()
        deadline = loop.time() + SHUTDOWN_GRACE
        cancelled_at: float | None = None
        cancelled: set[asyncio.Task[Any]] = set()
        while True:
            await asyncio.sleep(0)
            running = {t for t in self._running if t is not me and not t.done()}
            if not running:
                return
            now = loop.time()
            if cancelled_at is None and now >= deadline:
                # Each document commits atomically: cancelling loses nothing stored.
                log.info(
                    "cancelling %d job(s) still running after %.0fs", len(running), SHUTDOWN_GRACE
                )
                cancelled_at = now
            if cancelled_at is not None:
                if now - cancelled_at > CANCEL_GRACE:
                    log.error("%d job(s) did not stop; closing anyway", len(running))
                    return
                for task in running - cancelled:
                    task.cancel()  # a job that starts later is cancelled in its turn
                    cancelled.add(task)
                await asyncio.wait(running, timeout=CANCEL_GRACE)
            else:
                await asyncio.wait(running, timeout=deadline - now)


def _install_signal_handlers(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not the main thread
            loop.add_signal_handler(sig, stop.set)


async def run_daemon(
    config: Config, *, db_path: str | Path, stop_event: asyncio.Event | None = None
) -> None:
    await Daemon(config, db_path).run(stop_event)


def _note_next_runs(db: Any, names: Sequence[str], when: Any) -> None:
    """Record the next run of a wave's sources (one transaction) for `monitor sources`; a
    locked or full database only loses that note (the scheduler itself keeps the time)."""
    try:
        item_store.set_next_runs(db, names, when)
    except sqlite3.Error as exc:
        log.warning("could not record the next run of %d source(s): %s", len(names), exc)
