"""Shutdown never races the database: no job starts after the stop, every running job is waited
for or cancelled (the set is read afresh, not once), and the database closes last. Then
SIGTERM at random moments, 100 times, to the real daemon, and 30 times to ``poll --once``:
never a traceback, never a half-written file.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import pytest
from fork_server import ForkServer

from monitor.config import load_config
from monitor.demo.fixtureweb import FixtureWeb
from monitor.scheduler import Daemon

SEED = 20261201
DAEMON_SIGTERMS = 100
POLL_SIGTERMS = 30


def _config(tmp_path: Path, web: FixtureWeb, hook: FixtureWeb) -> Path:
    path = tmp_path / "sources.yaml"
    hook_url = f"json://{hook.base_url.removeprefix('http://')}/hook"
    path.write_text(
        "settings: {min_delay: 0s, jitter: 0s, backoff: 0s, max_retries: 0,"
        " alert_backoff: 0s, allow_short_interval: true, interval: 1s}\n"
        "sources:\n"
        + "".join(
            f"  - {{name: paper{n}, kind: feed, url: '{web.url(f'/feed{n}.xml')}'}}\n"
            for n in range(3)
        )
        + f"subscribers:\n  - {{name: desk, notify: ['{hook_url}']}}\n"
    )
    return path


def _publish(web: FixtureWeb, stories: int) -> None:
    """``stories`` stories in each feed; every fourth one in the first feed is a rating change."""
    when = datetime(2026, 11, 20, 9, tzinfo=UTC)
    for n in range(3):
        items = ""
        for r in range(stories):
            slug = f"s{n}-{r}"
            if r % 4 == 3 and n == 0:
                council = ["Stockport", "Leeds", "Wigan", "Merton", "Bury", "Derby"][r // 4 % 6]
                title = f"{council} children's services rated {['inadequate', 'good'][r // 24 % 2]}"
                text = f"Ofsted inspectors judged {council} council's children's services."
            else:
                title, text = f"Road works {slug}", f"The council will resurface road {slug}."
            web.set(
                f"/news/{slug}",
                f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
                f"<p>{text}</p></article></body></html>",
                delay=0.01,
            )
            items += (
                f"<item><title>{title}</title><link>{web.url(f'/news/{slug}')}</link>"
                f"<guid>{slug}</guid><pubDate>{format_datetime(when)}</pubDate></item>"
            )
        web.set(
            f"/feed{n}.xml",
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}'
            "</channel></rss>",
            content_type="application/rss+xml",
        )


# -- the drain, step by step -------------------------------------------------------------------
def test_a_job_submitted_just_before_the_stop_is_waited_for(tmp_path: Path) -> None:
    config = load_config(_write_empty(tmp_path))
    ran: list[str] = []

    async def job() -> None:
        ran.append("started")
        await asyncio.sleep(0.1)
        ran.append("finished")

    async def scenario() -> None:
        daemon = Daemon(config, tmp_path / "m.db")
        # What the scheduler does: a task is created now and starts at the loop's next turn.
        task = asyncio.get_running_loop().create_task(daemon._tracked(job)())
        await daemon._drain()
        assert task.done()  # the old drain looked at its set before this task had joined it

    asyncio.run(scenario())
    assert ran == ["started", "finished"]


def test_after_the_stop_a_job_that_had_not_started_does_nothing(tmp_path: Path) -> None:
    config = load_config(_write_empty(tmp_path))
    ran: list[str] = []

    async def job() -> None:
        ran.append("started")

    async def scenario() -> None:
        daemon = Daemon(config, tmp_path / "m.db")
        task = asyncio.get_running_loop().create_task(daemon._tracked(job)())
        daemon._stopping.set()
        await daemon._drain()
        assert task.done()

    asyncio.run(scenario())
    assert ran == []


def test_a_job_that_starts_while_another_is_waited_for_is_waited_for_too(tmp_path: Path) -> None:
    config = load_config(_write_empty(tmp_path))
    finished: list[str] = []

    async def scenario() -> None:
        daemon = Daemon(config, tmp_path / "m.db")
        loop = asyncio.get_running_loop()
        tasks: list[asyncio.Task[None]] = []

        async def second() -> None:
            await asyncio.sleep(0.2)
            finished.append("second")

        async def first() -> None:
            await asyncio.sleep(0.1)
            tasks.append(loop.create_task(daemon._tracked(second)()))  # while the drain waits
            finished.append("first")

        tasks.append(loop.create_task(daemon._tracked(first)()))
        await daemon._drain()
        assert all(t.done() for t in tasks)

    asyncio.run(scenario())
    assert finished == ["first", "second"]  # a snapshot of the set would miss "second"


def _write_empty(tmp_path: Path) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text("sources: []\n")
    return path


# -- SIGTERM at random moments, in real processes ----------------------------------------------
# A fork server: the monitor is imported once, and each run is a fresh child running the real
# CLI with its stderr in a file of its own (to look for tracebacks).
ZYGOTE = r"""
import json, os, sys
import monitor.cli, monitor.pipeline, monitor.scheduler  # what every child shares
import apprise
apprise.Apprise.instantiate("json://127.0.0.1/warm")  # plug-ins loaded once, here
for line in sys.stdin:
    stderr_path, argv = json.loads(line)
    pid = os.fork()
    if pid == 0:
        null = os.open(os.devnull, os.O_RDWR)
        err = os.open(stderr_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(null, 0)
        os.dup2(null, 1)
        os.dup2(err, 2)
        code = 0
        try:
            monitor.cli.cli(argv, prog_name="monitor")
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            import traceback
            traceback.print_exc()
            code = 1
        sys.stderr.flush()
        os._exit(code)
    print(pid, flush=True)
    print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), flush=True)
"""


@pytest.fixture(scope="module")
def forks() -> Iterator[ForkServer]:
    server = ForkServer(ZYGOTE)
    yield server
    server.close()


@pytest.fixture
def hook() -> Iterator[FixtureWeb]:
    with FixtureWeb() as receiver:
        receiver.set("/hook", b"ok", content_type="text/plain", conditional=False, delay=0.02)
        yield receiver


def _sigterm_at_random(
    forks: ForkServer, argv: list[str], stderr: Path, rng: random.Random, window: float
) -> tuple[int, str]:
    pid = forks.start([str(stderr), argv])
    time.sleep(rng.uniform(0, window))
    with contextlib.suppress(ProcessLookupError):  # already finished
        os.kill(pid, signal.SIGTERM)
    try:
        code = forks.result(pid, timeout=30)
    except AssertionError as exc:
        raise AssertionError(f"{exc}:\n{stderr.read_text()}") from None
    return code, stderr.read_text()


def _integrity(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()


def _assert_clean(code: int, err: str, allowed: set[int], run: int) -> None:
    assert "Traceback" not in err, f"run {run}:\n{err}"
    assert "closed database" not in err, f"run {run}:\n{err}"
    assert code in allowed, f"run {run}: exit {code}\n{err}"


@pytest.mark.timeout(300)  # about 80 s on a 2-core machine: 100 daemons started and stopped
def test_sigterm_at_random_moments_never_races_the_database(
    web: FixtureWeb, hook: FixtureWeb, tmp_path: Path, forks: ForkServer
) -> None:
    config, db_path = _config(tmp_path, web, hook), tmp_path / "monitor.db"
    stderr = tmp_path / "stderr.txt"
    rng, handled = random.Random(SEED), 0
    for run in range(DAEMON_SIGTERMS):
        # Mostly unchanged feeds (answered 304), so that a run costs what its polls and
        # deliveries cost; every tenth run brings new stories to read and alerts to send.
        _publish(web, 1 + run // 10)
        argv = ["--config", str(config), "--db", str(db_path), "run"]
        # Polls start within the first second (a 1 s interval), deliveries a second in.
        code, err = _sigterm_at_random(forks, argv, stderr, rng, window=1.1)
        # -SIGTERM: the signal came before the daemon installed its handler (the default
        # action, as for any process still starting); otherwise a clean stop, exit 0.
        _assert_clean(code, err, {0, -signal.SIGTERM}, run)
        handled += code == 0 and "daemon stopped" in err
    assert handled >= DAEMON_SIGTERMS * 0.8, "most signals should reach a running daemon"
    _integrity(db_path)


def test_sigterm_stops_poll_once_cleanly(
    web: FixtureWeb, hook: FixtureWeb, tmp_path: Path, forks: ForkServer
) -> None:
    config, db_path = _config(tmp_path, web, hook), tmp_path / "monitor.db"
    stderr = tmp_path / "stderr.txt"
    argv = ["--config", str(config), "--db", str(db_path), "poll", "--once"]
    rng, interrupted = random.Random(SEED), 0
    for run in range(POLL_SIGTERMS):
        _publish(web, run + 1)
        code, err = _sigterm_at_random(forks, argv, stderr, rng, window=0.4)
        _assert_clean(code, err, {0, 1, -signal.SIGTERM}, run)
        if code == 1:
            assert "interrupted by a signal: stopped cleanly" in err, err
            interrupted += 1
        _integrity(db_path)
    assert interrupted >= POLL_SIGTERMS // 3, "many signals should land mid-poll"
    # Nothing was lost: a last, uninterrupted run ends with every story stored.
    assert forks.start([str(stderr), argv]) and forks.result() == 0, stderr.read_text()
    conn = sqlite3.connect(db_path)
    try:
        stored = conn.execute("SELECT count(*), count(DISTINCT guid) FROM items").fetchone()
    finally:
        conn.close()
    assert stored == (3 * POLL_SIGTERMS, 3 * POLL_SIGTERMS)
