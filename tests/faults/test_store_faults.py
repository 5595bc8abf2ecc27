"""Faults in the database: a full disk and a database locked by another process.

A full disk is simulated with SQLite's own limit (``PRAGMA max_page_count`` on the
pipeline's connection: writes past it fail with SQLITE_FULL, "database or disk is full", just
as on ENOSPC). The lock is real: another process holds ``BEGIN EXCLUSIVE`` for longer than
the pipeline's busy timeout. Expected each time: the poll reports a clear store error and does
not raise; what was stored is whole (every item with all its keys, the file passes
``integrity_check``); once the disk has room or the lock is gone, the next poll stores the
rest, each item exactly once; and the daemon keeps running throughout.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

import monitor.scheduler
from monitor.config import Config, parse_config
from monitor.councils import load_councils
from monitor.demo.fixtureweb import FixtureWeb
from monitor.pipeline import Pipeline, SourceOutcome, make_fetcher
from monitor.scheduler import Daemon
from monitor.store import open_db

ENTRIES = 12
WORDS = [
    "council",
    "road",
    "budget",
    "park",
    "library",
    "bus",
    "tree",
    "meeting",
    "river",
    "market",
]


def _story_text(index: int) -> str:
    # Distinct, incompressible-ish text: items are neither deduplicated nor tiny.
    rng = random.Random(index)
    return " ".join(f"{rng.choice(WORDS)}{rng.randint(0, 99999)}" for _ in range(1500))


@pytest.fixture
def news(web: FixtureWeb) -> FixtureWeb:
    items = ""
    for i in range(ENTRIES):
        web.set(
            f"/news/{i}",
            f"<html><head><title>Story {i}</title></head><body><article><h1>Story {i}</h1>"
            f"<p>{_story_text(i)}</p></article></body></html>",
        )
        items += f"<item><title>Story {i}</title><link>{web.url(f'/news/{i}')}</link>"
        items += f"<guid>g{i}</guid></item>"
    web.set(
        "/feed.xml",
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>',
        content_type="application/rss+xml",
    )
    return web


def _config(web: FixtureWeb, interval: str = "30m") -> Config:
    return parse_config(
        f"""
settings: {{min_delay: 0s, jitter: 0s, backoff: 0s, max_retries: 0, obey_robots: false,
            max_articles_per_poll: 100}}
sources:
  - {{name: news, kind: feed, url: "{web.url("/feed.xml")}", interval: {interval},
     allow_short_interval: true}}
""",
        environ={},
    )


def _poll(config: Config, db: sqlite_utils.Database) -> SourceOutcome:
    async def run() -> SourceOutcome:
        fetcher = make_fetcher(config, db)
        try:
            pipeline = Pipeline(config, db, fetcher, councils=load_councils())
            return await pipeline.poll_source(config.sources[0])
        finally:
            await fetcher.aclose()

    return asyncio.run(run())


def _assert_whole(db_path: Path, web: FixtureWeb) -> int:
    """Integrity, and every stored item complete: its full text and all its keys."""
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute("SELECT id, guid, url, text FROM items").fetchall()
        for item_id, guid, url, text in rows:
            index = int(guid.removeprefix("g"))
            assert url == web.url(f"/news/{index}")
            assert _story_text(index) in text
            keys = {
                k for (k,) in conn.execute("SELECT key FROM item_keys WHERE item_id = ?", [item_id])
            }
            assert {f"guid:news {guid}", f"url:{url}"} <= keys, keys
        assert len({guid for _, guid, _, _ in rows}) == len(rows)  # nothing stored twice
        return len(rows)
    finally:
        conn.close()


def _health(db_path: Path) -> tuple[int, int, int]:
    conn = sqlite3.connect(db_path)
    try:
        row = conn.execute(
            "SELECT polls, failures, consecutive_failures FROM sources WHERE name = 'news'"
        ).fetchone()
        return tuple(row) if row else (0, 0, 0)
    finally:
        conn.close()


# -- disk full -------------------------------------------------------------------------------
def _limit_pages(db: sqlite_utils.Database, extra: int) -> None:
    pages = db.conn.execute("PRAGMA page_count").fetchone()[0]
    db.conn.execute(f"PRAGMA max_page_count = {pages + extra}")


def test_disk_full_mid_poll_then_recovery(news: FixtureWeb, db_path: Path) -> None:
    config = _config(news)
    db = open_db(db_path)
    try:
        _limit_pages(db, 20)  # room for a few of the stories, not all
        full = _poll(config, db)
        assert not full.ok
        assert full.error is not None and "full" in full.error, full.error
        assert not full.error.startswith("internal error"), full.error
        stored = _assert_whole(db_path, news)
        assert 0 < stored < ENTRIES

        db.conn.execute("PRAGMA max_page_count = 1073741823")  # space freed
        recovered = _poll(config, db)
        assert recovered.ok, recovered.error
        assert recovered.new_items == ENTRIES - stored
    finally:
        db.close()
    assert _assert_whole(db_path, news) == ENTRIES
    assert _health(db_path) == (2, 1, 0)


class FullDisk:
    """Stands in for ``open_db`` in the scheduler: the daemon's connection gets a page limit
    that the test lifts later ("the operator frees some space")."""

    def __init__(self, extra_pages: int) -> None:
        self.extra_pages = extra_pages
        self.connections: list[sqlite_utils.Database] = []

    def open_db(self, path: str | Path, **options: Any) -> sqlite_utils.Database:
        db = open_db(path, **options)
        _limit_pages(db, self.extra_pages)
        self.connections.append(db)
        return db

    def free_space(self) -> None:
        for db in self.connections:
            db.conn.execute("PRAGMA max_page_count = 1073741823")


async def _wait_for(
    condition: Callable[[], bool], timeout: float, *, running: asyncio.Task[None]
) -> None:
    """Wait until ``condition()``; fail at once if the ``running`` daemon stops."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if running.done():
            running.result()  # raises what stopped it
            raise AssertionError("the daemon stopped")
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


def test_daemon_keeps_running_on_a_full_disk(
    news: FixtureWeb, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    disk = FullDisk(extra_pages=20)
    monkeypatch.setattr(monitor.scheduler, "open_db", disk.open_db)
    open_db(db_path).close()  # migrated before the limit applies

    async def scenario() -> None:
        stop = asyncio.Event()
        daemon = asyncio.create_task(
            Daemon(_config(news, interval="1s"), db_path, rng=random.Random(1)).run(
                stop, handle_signals=False
            )
        )
        try:
            await _wait_for(lambda: _health(db_path)[1] >= 2, timeout=20, running=daemon)
            disk.free_space()
            await _wait_for(lambda: _count(db_path) == ENTRIES, timeout=20, running=daemon)
            await _wait_for(lambda: _health(db_path)[2] == 0, timeout=20, running=daemon)
        finally:
            stop.set()
            await asyncio.wait_for(daemon, timeout=20)

    asyncio.run(scenario())
    assert _assert_whole(db_path, news) == ENTRIES


def _count(db_path: Path) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return int(conn.execute("SELECT count(*) FROM items").fetchone()[0])
    finally:
        conn.close()


# -- locked by another process ---------------------------------------------------------------
LOCKER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()  # hold the lock until told to let go
conn.execute("COMMIT")
"""


class Locker:
    """Another process that takes the database's write lock (``lock``) until ``release``."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.process: subprocess.Popen[str] | None = None

    def lock(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", LOCKER, str(self.db_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "locked"

    def release(self) -> None:
        if self.process is not None and self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.write("\n")
            self.process.stdin.flush()
            self.process.wait(timeout=10)


@pytest.fixture
def locker(db_path: Path) -> Iterator[Locker]:
    open_db(db_path).close()  # migrated before anyone locks it
    holder = Locker(db_path)
    yield holder
    holder.release()


def test_locked_database_then_recovery(news: FixtureWeb, db_path: Path, locker: Locker) -> None:
    config = _config(news)
    db = open_db(db_path, timeout=0.3)  # the lock outlasts the busy timeout
    locker.lock()
    try:
        locked = _poll(config, db)  # must not raise
        assert not locked.ok
        assert locked.error is not None and "locked" in locked.error, locked.error
        assert not locked.error.startswith("internal error"), locked.error
        locker.release()
        recovered = _poll(config, db)
        assert recovered.ok, recovered.error
        assert recovered.new_items == ENTRIES
    finally:
        db.close()
    assert _assert_whole(db_path, news) == ENTRIES


@pytest.mark.parametrize(
    "locked_at_start",
    [
        False,
        True,
    ],
    ids=["locked-while-running", "locked-at-start"],
)
def test_daemon_keeps_running_while_the_database_is_locked(
    news: FixtureWeb,
    db_path: Path,
    locker: Locker,
    monkeypatch: pytest.MonkeyPatch,
    locked_at_start: bool,
) -> None:
    def short_timeout(path: str | Path, **options: Any) -> sqlite_utils.Database:
        return open_db(path, timeout=0.3)

    monkeypatch.setattr(monitor.scheduler, "open_db", short_timeout)
    if locked_at_start:
        locker.lock()

    async def scenario() -> None:
        stop = asyncio.Event()
        daemon = asyncio.create_task(
            Daemon(_config(news, interval="1s"), db_path, rng=random.Random(1)).run(
                stop, handle_signals=False
            )
        )
        try:
            if not locked_at_start:
                await asyncio.sleep(0.2)  # running; its first poll may have stored a little
                locker.lock()
            stored, polled = _count(db_path), len(news.requests_to("/feed.xml"))

            def two_more_polls() -> bool:  # each poll fetches the feed (no validators saved)
                return len(news.requests_to("/feed.xml")) >= polled + 2

            await _wait_for(two_more_polls, timeout=20, running=daemon)
            assert _count(db_path) == stored  # nothing could be written meanwhile
            locker.release()
            await _wait_for(lambda: _count(db_path) == ENTRIES, timeout=20, running=daemon)
        finally:
            stop.set()
            await asyncio.wait_for(daemon, timeout=20)

    asyncio.run(scenario())
    assert _assert_whole(db_path, news) == ENTRIES
