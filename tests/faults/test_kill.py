"""``kill -9`` at random moments, repeated: of ``monitor poll --once`` (fetching, storing,
recording rating changes, sending their alerts) and of the alert sender on its own.

Real processes (children forked from a server that has already imported the monitor, each
running the real CLI or the real sender), a real SQLite file, a FixtureWeb site and a FixtureWeb
webhook receiver. After the kills, a clean run: every item is stored exactly once, every change
recorded once, the file passes ``integrity_check``, and every alert has arrived. Delivery is
at-least-once as ``monitor.store.outbox`` documents it: a sender killed after sending but before
marking the row sent leaves it ``sending``; the next process that holds the database's lock
(``run``, ``poll --once``) sends it again at once, and a bare sender (``deliver_due``) once its
lease (``monitor.alerts.send.LEASE``) expires, under the same dedup key. So no alert is lost,
and each kill can repeat at most the messages in flight: one per channel (a channel's messages
go one at a time, in order), and at most ``settings.alert_senders_per_host`` to one host; so
duplicates <= kills * min(channels, alert_senders_per_host).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from fork_server import ForkServer

from monitor.alerts.send import LEASE, deliver_due
from monitor.config import Config, load_config
from monitor.demo.fixtureweb import FixtureWeb
from monitor.store import open_db, outbox

KILLS = 8
SEED = 20261123
COUNCILS = ["Stockport", "Merton", "Leeds", "Wigan"]
FILLER = 24
ROUND_STORIES = 3


@pytest.fixture
def hook() -> Iterator[FixtureWeb]:
    with FixtureWeb() as receiver:
        # A slow receiver widens the window between "sent" and "marked sent".
        receiver.set("/hook", b"ok", content_type="text/plain", conditional=False, delay=0.05)
        yield receiver


def _write_config(tmp_path: Path, web: FixtureWeb, hook: FixtureWeb) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(
        f"""
settings: {{min_delay: 0s, jitter: 0s, backoff: 0s, alert_backoff: 0s, max_retries: 0,
            max_articles_per_poll: 100}}
sources:
  - {{name: paper, kind: feed, url: "{web.url("/feed.xml")}"}}
subscribers:
  - name: desk
    notify: ["json://{hook.base_url.removeprefix("http://")}/hook"]
"""
    )
    return path


def _deliveries(hook: FixtureWeb) -> Counter[str]:
    return Counter(json.loads(r.body)["delivery"] for r in hook.requests if r.method == "POST")


def _query(db_path: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


# The fork server's children run the real CLI, or the real sender; they are killed with SIGKILL.
ZYGOTE = r"""
import json, os, sys
from datetime import UTC, datetime
import monitor.alerts.send, monitor.cli, monitor.pipeline  # the imports every child shares
for line in sys.stdin:
    argv = json.loads(line)
    pid = os.fork()
    if pid == 0:
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        code = 0
        try:
            if argv[0] == "deliver":
                config = monitor.config.load_config(argv[1])
                monitor.alerts.send.deliver_due(
                    argv[2], config.settings, config.subscribers, now=datetime.now(UTC)
                )
            else:
                monitor.cli.cli(argv, prog_name="monitor")
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            code = 1
        os._exit(code)
    print(pid, flush=True)
    print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), flush=True)
"""


@pytest.fixture(scope="module")
def forks() -> Iterator[ForkServer]:
    server = ForkServer(ZYGOTE)
    yield server
    server.close()


def _at_least(count: Callable[[], int], target: int) -> Callable[[], bool]:
    return lambda: count() >= target


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # the fork server reaps its child at once: no zombie lingers
    except ProcessLookupError:
        return False
    return True


def _kill_at_random(
    forks: ForkServer,
    argv: list[str],
    started: Callable[[], bool],
    rng: random.Random,
    window: float,
) -> bool:
    """Run ``argv`` in a fresh child; once ``started()`` (it is at work), wait a random part of
    ``window`` and SIGKILL it. True if it was killed, False if it had finished first."""
    pid = forks.start(argv)
    deadline = time.monotonic() + 60
    while not started() and _alive(pid):
        if time.monotonic() > deadline:  # killed first: a daemon left running outlives the test
            os.kill(pid, signal.SIGKILL)
            forks.result()
            raise AssertionError("the child neither started working nor ended")
        time.sleep(0.002)
    time.sleep(rng.uniform(0, window))
    with contextlib.suppress(ProcessLookupError):  # already finished and reaped
        os.kill(pid, signal.SIGKILL)
    return forks.result() == -signal.SIGKILL


def _integrity(db_path: Path) -> None:
    assert _query(db_path, "PRAGMA integrity_check") == [("ok",)]


# -- kill -9 during `monitor poll --once` ----------------------------------------------------
def _article(title: str, text: str, published: datetime) -> str:
    return (
        f'<html><head><title>{title}</title><meta property="article:published_time" '
        f'content="{published.isoformat()}"></head><body><article><h1>{title}</h1><p>{text}</p>'
        "</article></body></html>"
    )


def _publish(web: FixtureWeb, stories: list[tuple[str, str, str, datetime]]) -> None:
    """Serve each (slug, title, text, published) at /news/<slug>, listed in /feed.xml."""
    items = ""
    for slug, title, text, published in stories:
        web.set(f"/news/{slug}", _article(title, text, published), delay=0.02)
        items += (
            f"<item><title>{title}</title><link>{web.url(f'/news/{slug}')}</link>"
            f"<guid>{slug}</guid><pubDate>{format_datetime(published)}</pubDate></item>"
        )
    web.set(
        "/feed.xml",
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>{items}'
        "</channel></rss>",
        content_type="application/rss+xml",
    )


def _history() -> list[tuple[str, str, str, datetime]]:
    when = datetime(2017, 8, 24, 9, tzinfo=UTC)
    return [
        (
            f"{name.lower()}-2017",
            f"{name} children's services rated good",
            f"Ofsted inspectors rated children's services in {name} good after their visit.",
            when,
        )
        for name in COUNCILS
    ]


def _news() -> list[tuple[str, str, str, datetime]]:
    when = datetime(2026, 11, 20, 9, tzinfo=UTC)
    stories = [
        (
            f"{name.lower()}-2026",
            f"{name} children's services rated inadequate",
            f"Ofsted has downgraded {name}'s children's services from good to inadequate after "
            "inspectors found serious weaknesses in the help given to children at risk.",
            when,
        )
        for name in COUNCILS
    ]
    filler = _filler("local-", FILLER)
    # Rating stories spread through the feed, so that kills land among them.
    return [s for pair in zip(filler[::6], stories, strict=False) for s in pair] + [
        s for i, s in enumerate(filler) if i % 6
    ]


def _filler(prefix: str, count: int) -> list[tuple[str, str, str, datetime]]:
    when = datetime(2026, 11, 20, 9, tzinfo=UTC)
    return [
        (
            f"{prefix}{i}",
            f"Local story {prefix}{i}",
            f"Story {prefix}{i}: the council will resurface road {i} and repaint shelter {i * 7}.",
            when,
        )
        for i in range(count)
    ]


def _poll_argv(config: Path, db_path: Path) -> list[str]:
    return ["--config", str(config), "--db", str(db_path), "poll", "--once"]


def test_kill_during_polls_loses_and_repeats_nothing(
    web: FixtureWeb, hook: FixtureWeb, tmp_path: Path, forks: ForkServer
) -> None:
    web.set("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    config, db_path = _write_config(tmp_path, web, hook), tmp_path / "monitor.db"
    argv = _poll_argv(config, db_path)
    _publish(web, _history())
    assert forks.run(argv) == 0  # the backfill: history recorded silently
    stories = _history() + _news()

    def traffic() -> int:
        return len(web.requests) + len(hook.requests)

    rng, kills = random.Random(SEED), 0
    for round_ in range(KILLS):
        stories += _filler(f"r{round_}-", ROUND_STORIES)  # so that every run has work to do
        _publish(web, stories)
        seen, k = traffic(), rng.randint(1, 12)
        # Kill around the k-th request of this run: fetching, storing, or sending alerts.
        kills += _kill_at_random(forks, argv, _at_least(traffic, seen + k), rng, window=0.03)
        _integrity(db_path)
    assert kills >= KILLS // 2, "most runs should have been killed mid-way"

    assert forks.run(argv) == 0  # the clean run
    # Rows whose sender was killed mid-send wait for their lease to expire: let time pass.
    later = datetime.now(UTC) + LEASE + LEASE
    deliver_due(db_path, load_config(config).settings, load_config(config).subscribers, now=later)

    _integrity(db_path)
    total = len(COUNCILS) * 2 + FILLER + KILLS * ROUND_STORIES
    assert _query(db_path, "SELECT count(*), count(DISTINCT guid) FROM items") == [(total, total)]
    assert _query(db_path, "SELECT count(*) FROM changes") == [(len(COUNCILS),)]
    assert _query(db_path, "SELECT state, count(*) FROM outbox GROUP BY state") == [
        ("sent", len(COUNCILS))
    ]
    received = _deliveries(hook)
    keys = {outbox.dedup_key(key) for (key,) in _query(db_path, "SELECT key FROM outbox")}
    assert set(received) == keys  # every alert arrived, and nothing else did
    in_flight = 1  # one channel: one message in flight at a time
    assert sum(received.values()) - len(keys) <= kills * in_flight


# -- kill -9 during alert delivery -----------------------------------------------------------
ROWS = 40


def _fill_outbox(config: Config, db_path: Path) -> None:
    db = open_db(db_path)
    try:
        now = datetime.now(UTC)
        with db.atomic():
            for n in range(ROWS):
                outbox.enqueue(
                    db,
                    key=f"digest:test:{n}",
                    subscriber=config.subscribers[0],
                    kind="digest",
                    now=now,
                    subject=f"Digest {n}",
                    body_text=f"Digest number {n}.",
                    body_html=f"<p>Digest number {n}.</p>",
                    body_chat=f"Digest {n}",
                )
    finally:
        db.close()


def test_kill_during_delivery_loses_nothing(
    web: FixtureWeb, hook: FixtureWeb, tmp_path: Path, forks: ForkServer
) -> None:
    config_path, db_path = _write_config(tmp_path, web, hook), tmp_path / "monitor.db"
    config = load_config(config_path)
    _fill_outbox(config, db_path)
    argv = ["deliver", str(config_path), str(db_path)]

    rng, kills = random.Random(SEED), 0
    for _ in range(KILLS):
        seen = len(hook.requests)
        # Kill inside or just after the k-th send of this run (each takes 50 ms).
        k = rng.randint(1, 3)
        kills += _kill_at_random(
            forks, argv, _at_least(lambda: len(hook.requests), seen + k), rng, 0.06
        )
        _integrity(db_path)
    assert kills >= KILLS // 2, "most runs should have been killed mid-way"
    assert len(_deliveries(hook)) < ROWS, "the kills should have left work for the clean run"

    # The clean run, after the leases of rows killed mid-send have expired.
    later = datetime.now(UTC) + LEASE + LEASE
    report = deliver_due(db_path, config.settings, config.subscribers, now=later)
    assert report.failed == 0, report.errors

    _integrity(db_path)
    assert _query(db_path, "SELECT state, count(*) FROM outbox GROUP BY state") == [("sent", ROWS)]
    received = _deliveries(hook)
    keys = {outbox.dedup_key(key) for (key,) in _query(db_path, "SELECT key FROM outbox")}
    assert set(received) == keys  # nothing lost
    duplicates = sum(received.values()) - len(keys)
    in_flight = 1  # one channel: one message in flight at a time
    assert duplicates <= kills * in_flight, received  # the messages in flight, per kill
    # and a run with nothing due sends nothing more
    assert deliver_due(db_path, config.settings, config.subscribers, now=later).attempted == 0
    assert sum(_deliveries(hook).values()) == sum(received.values())


def test_kill_helper_tells_killed_from_finished(forks: ForkServer, tmp_path: Path) -> None:
    # Guards the tests above: a child that ends before the kill is not counted as killed.
    rng = random.Random(1)
    assert forks.run(["--help"]) == 0
    finished = _kill_at_random(forks, ["--help"], lambda: True, rng, window=0.5)
    assert not finished
    config = tmp_path / "sources.yaml"
    config.write_text("sources: []\n")
    assert forks.run(["--config", str(config), "--db", str(tmp_path / "m.db"), "check-config"]) == 0


# -- kill -9 of `poll --once` and of the daemon, alternately, then one clean run ---------------
CAMPAIGN = 20
CAMPAIGN_COUNCILS = ["Stockport", "Merton", "Leeds", "Wigan", "Bury", "Derby"]
DESKS = ("desk", "nw")


def _campaign_config(tmp_path: Path, web: FixtureWeb, hook: FixtureWeb) -> Path:
    host = hook.base_url.removeprefix("http://")
    path = tmp_path / "sources.yaml"
    path.write_text(
        f"""
settings: {{min_delay: 0s, jitter: 0s, backoff: 0s, alert_backoff: 0s, max_retries: 0,
            max_articles_per_poll: 100, allow_short_interval: true, interval: 1s}}
sources:
  - {{name: paper, kind: feed, url: "{web.url("/feed.xml")}"}}
subscribers:
"""
        + "".join(f"  - {{name: {d}, notify: ['json://{host}/hook/{d}']}}\n" for d in DESKS)
    )
    return path


def _rating_story(name: str) -> tuple[str, str, str, datetime]:
    return (
        f"{name.lower()}-2026",
        f"{name} children's services rated inadequate",
        f"Ofsted has downgraded {name}'s children's services from good to inadequate after "
        "inspectors found serious weaknesses in the help given to children at risk.",
        datetime(2026, 11, 20, 9, tzinfo=UTC),
    )


@pytest.mark.timeout(300)  # about 25 s here; a slow CI machine must not hit the 120 s default
def test_kill_of_polls_and_of_the_daemon_delivers_exactly_the_expected_alerts(
    web: FixtureWeb, hook: FixtureWeb, tmp_path: Path, forks: ForkServer
) -> None:
    """20 kills at random moments, alternately of `poll --once` and of `monitor run`, while
    rating changes keep arriving; then one clean `poll --once`. Exactly the expected (subscriber,
    change) deliveries arrive, none is lost, and no key ever came with two different payloads.
    No clock is moved: a delivery a kill left `sending` is resent by the next process that takes
    the database's lock."""
    web.set("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    for desk in DESKS:  # slow receivers widen the window between "sent" and "marked sent"
        hook.set(f"/hook/{desk}", b"ok", content_type="text/plain", conditional=False, delay=0.05)
    config, db_path = _campaign_config(tmp_path, web, hook), tmp_path / "monitor.db"
    history = [
        (
            f"{n.lower()}-2017",
            f"{n} children's services rated good",
            f"Ofsted inspectors rated children's services in {n} good after their visit.",
            datetime(2017, 8, 24, 9, tzinfo=UTC),
        )
        for n in CAMPAIGN_COUNCILS
    ]
    _publish(web, history)
    assert forks.run(_poll_argv(config, db_path)) == 0  # the backfill: silent
    stories = list(history)

    def traffic() -> int:
        return len(web.requests) + len(hook.requests)

    rng, kills = random.Random(SEED + 1), 0
    for round_ in range(CAMPAIGN):
        stories += _filler(f"k{round_}-", 2)
        if round_ % 3 == 1 and round_ // 3 < len(CAMPAIGN_COUNCILS):  # kills land among them
            stories.append(_rating_story(CAMPAIGN_COUNCILS[round_ // 3]))
        _publish(web, stories)
        daemon = round_ % 2 == 1
        argv = _poll_argv(config, db_path)
        if daemon:
            argv = ["--config", str(config), "--db", str(db_path), "run"]
        seen, k = traffic(), rng.randint(1, 10)
        # Kill around the k-th request of this run: fetching, storing, or sending alerts.
        kills += _kill_at_random(forks, argv, _at_least(traffic, seen + k), rng, window=0.05)
        _integrity(db_path)
    assert kills >= CAMPAIGN // 2, "most runs should have been killed mid-way"

    # The clean run; no clock moved. Rows a kill left `sending` are resent by it, not after
    # their lease (else the outbox check below finds them still `sending`). No wall-clock
    # bound: it only measured the machine.
    assert forks.run(_poll_argv(config, db_path)) == 0

    _integrity(db_path)
    changes = dict(_query(db_path, "SELECT id, la_code FROM changes"))
    assert len(changes) == len(CAMPAIGN_COUNCILS)  # each downgrade recorded once
    owner = {
        outbox.dedup_key(key): (subscriber, change_id)
        for key, subscriber, change_id in _query(
            db_path, "SELECT key, subscriber, change_id FROM outbox"
        )
    }
    rows = _query(db_path, "SELECT state, attempts, last_error FROM outbox")
    assert {state for state, _, _ in rows} == {"sent"}, rows
    payloads: dict[str, set[bytes]] = {}
    received: set[tuple[str, int]] = set()
    for request in hook.requests:
        if request.method != "POST":
            continue
        key = json.loads(request.body)["delivery"]
        subscriber, change_id = owner[key]
        assert request.path == f"/hook/{subscriber}"  # to its own subscriber's channel
        payloads.setdefault(key, set()).add(request.body)
        received.add((subscriber, change_id))
    expected = {(desk, change_id) for desk in DESKS for change_id in changes}
    assert received == expected  # exactly the expected deliveries: none lost, none extra
    assert all(len(bodies) == 1 for bodies in payloads.values())  # one payload per key
    copies = sum(1 for r in hook.requests if r.method == "POST")
    senders = load_config(config).settings.alert_senders_per_host  # one host here
    in_flight = min(len(DESKS), senders)  # one message at a time per desk's channel
    assert copies - len(expected) <= kills * in_flight  # the messages in flight, per kill
