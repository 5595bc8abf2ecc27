"""The daemon: a job per source on its interval, first runs spread out, alerts delivered,
and a clean stop on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from monitor.config import load_config
from monitor.demo.fixtureweb import FixtureWeb
from monitor.scheduler import FIRST_RUN_SPREAD_CAP, Daemon, first_run_delay


def _feed(web: FixtureWeb, count: int) -> None:
    items = "".join(
        f"<item><title>Item {i}</title><link>{web.url(f'/a/{i}')}</link><guid>g{i}</guid>"
        f"<description>Council road works update number {i}.</description></item>"
        for i in range(count)
    )
    web.set(
        "/feed.xml",
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>',
        content_type="application/rss+xml",
    )


def _write_config(tmp_path: Path, web: FixtureWeb, interval: str = "1s") -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(
        "settings:\n  min_delay: 0s\n  jitter: 0s\n  allow_short_interval: true\n"
        "  interval: " + interval + "\n"
        "sources:\n"
        f"  - name: one\n    kind: feed\n    url: {web.url('/feed.xml')}\n"
        "    fetch_articles: false\n"
        f"  - name: broken\n    kind: feed\n    url: {web.url('/missing.xml')}\n"
    )
    return path


@pytest.mark.parametrize("overdue", [True, False])
def test_first_runs_are_spread_over_a_window(overdue: bool) -> None:
    rng = random.Random(7)
    delays = [first_run_delay(1800, overdue=overdue, rng=rng) for _ in range(200)]
    window = FIRST_RUN_SPREAD_CAP if overdue else 1800
    assert min(delays) >= 0
    assert max(delays) <= window
    assert max(delays) > window * 0.8  # spread, not bunched at the start


def test_daemon_polls_on_its_interval_and_stops(web: FixtureWeb, tmp_path: Path) -> None:
    _feed(web, 2)
    config = load_config(_write_config(tmp_path, web), environ={})
    db_path = tmp_path / "monitor.db"

    def polled() -> int:
        return len(web.requests_to("/feed.xml"))

    async def until(condition: Callable[[], bool], task: asyncio.Task[None]) -> None:
        # Waits on what the daemon did, not on a clock: a slow machine only takes longer.
        deadline = time.monotonic() + 30
        while not condition():
            assert not task.done(), task
            assert time.monotonic() < deadline, f"{polled()} polls so far"
            await asyncio.sleep(0.02)

    async def scenario() -> float:
        stop = asyncio.Event()
        daemon = Daemon(config, db_path, rng=random.Random(1))
        started = time.monotonic()
        task = asyncio.create_task(daemon.run(stop, handle_signals=False))
        await until(lambda: polled() >= 2, task)  # the first poll is over: its items stored
        _feed(web, 3)  # a new entry between polls
        seen = polled()
        # A poll that began after the change: the stop waits for it (a running job is drained).
        await until(lambda: polled() >= seen + 1, task)
        stop.set()
        await asyncio.wait_for(task, timeout=30)
        return time.monotonic() - started

    took = asyncio.run(scenario())
    polls = [r for r in web.requests if r.path == "/feed.xml"]
    assert len(polls) >= 3
    assert len(polls) <= took / 1.0 + 2  # on its 1 s interval, not as fast as it can
    # After the first poll, unchanged content is fetched conditionally (and answered 304).
    assert any("If-None-Match" in r.headers for r in polls[1:])
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("select count(*) from items").fetchone()[0] == 3
        row = conn.execute(
            "select consecutive_failures, last_error from sources where name = 'broken'"
        ).fetchone()
        assert row[0] >= 1 and "404" in row[1]  # a failing source does not stop the others
    finally:
        conn.close()


def test_sigterm_stops_the_daemon_cleanly(web: FixtureWeb, tmp_path: Path) -> None:
    _feed(web, 1)
    config = _write_config(tmp_path, web)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "monitor",
            "--config",
            str(config),
            "--db",
            str(tmp_path / "m.db"),
            "run",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not web.requests_to("/feed.xml"):
        time.sleep(0.05)
    assert web.requests_to("/feed.xml"), "the daemon polled"
    os.kill(process.pid, signal.SIGTERM)
    _out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "daemon stopped" in err
