"""``kill -9`` at random moments, repeated: of ``monitor poll --once`` (fetching, storing,
recording rating changes, sending their alerts) and of the alert sender on its own.

Real processes, a real SQLite file, a FixtureWeb site and a FixtureWeb webhook receiver. After
the kills, a clean run: every item is stored exactly once, every change recorded once, the
file passes ``integrity_check``, and every alert has arrived. Delivery is at-least-once as
``monitor.store.outbox`` documents it: a sender killed after sending but before marking the
row sent leaves it ``sending``; once its lease (``monitor.alerts.send.LEASE``) expires the
next run sends it again under the same dedup key. So no alert is lost, and each kill can
repeat at most the one message in flight: duplicates <= kills.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import pytest

from monitor.alerts.send import LEASE, deliver_due
from monitor.config import Config, load_config
from monitor.fixtureweb import FixtureWeb
from monitor.store import open_db
from monitor.store import outbox

KILLS = 6
SEED = 20261123
COUNCILS = ["Stockport", "Merton", "Leeds", "Wigan"]
FILLER = 24


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


def _query(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _kill_at_random(
    command: list[str], started: Callable[[], bool], rng: random.Random, window: float
) -> bool:
    """Run ``command``; once ``started()`` (it is past its imports and at work), wait a random
    part of ``window`` and SIGKILL it. True if it was killed, False if it finished first."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not started() and process.poll() is None:
            assert time.monotonic() < deadline, "the process never started working"
            time.sleep(0.005)
        time.sleep(rng.uniform(0, window))
        if process.poll() is not None:
            return False
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        return True
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


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
    filler = [
        (
            f"local-{i}",
            f"Local story {i}",
            f"Story {i}: the council will resurface road {i} and repaint bus shelter {i * 7}.",
            when,
        )
        for i in range(FILLER)
    ]
    # Rating stories spread through the feed, so that kills land among them.
    return [s for pair in zip(filler[::6], stories, strict=False) for s in pair] + [
        s for i, s in enumerate(filler) if i % 6
    ]


def _poll_command(config: Path, db_path: Path) -> list[str]:
    return [sys.executable, "-m", "monitor", "--config", str(config), "--db", str(db_path)] + [
        "poll",
        "--once",
    ]


def test_kill_during_polls_loses_and_repeats_nothing(
    web: FixtureWeb, hook: FixtureWeb, tmp_path: Path
) -> None:
    web.set("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    config, db_path = _write_config(tmp_path, web, hook), tmp_path / "monitor.db"
    command = _poll_command(config, db_path)
    _publish(web, _history())
    assert subprocess.run(command, capture_output=True, timeout=60).returncode == 0  # backfill
    _publish(web, _history() + _news())

    rng, kills = random.Random(SEED), 0
    for _ in range(KILLS):
        seen = len(web.requests)
        # Past start-up once it asks for the feed; a poll then takes about a second.
        kills += _kill_at_random(command, lambda: len(web.requests) > seen, rng, window=1.5)
        _integrity(db_path)
    assert kills >= KILLS // 2, "most runs should have been killed mid-way"

    clean = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert clean.returncode == 0, clean.stderr
    # Rows whose sender was killed mid-send wait for their lease to expire: let time pass.
    later = datetime.now(UTC) + LEASE + LEASE
    deliver_due(db_path, load_config(config).settings, load_config(config).subscribers, now=later)

    _integrity(db_path)
    total = len(COUNCILS) * 2 + FILLER
    assert _query(db_path, "SELECT count(*), count(DISTINCT guid) FROM items") == [(total, total)]
    assert _query(db_path, "SELECT count(*) FROM changes") == [(len(COUNCILS),)]
    assert _query(db_path, "SELECT state, count(*) FROM outbox GROUP BY state") == [
        ("sent", len(COUNCILS))
    ]
    received = _deliveries(hook)
    keys = {outbox.dedup_key(key) for (key,) in _query(db_path, "SELECT key FROM outbox")}
    assert set(received) == keys  # every alert arrived, and nothing else did
    assert sum(received.values()) - len(keys) <= kills


# -- kill -9 during alert delivery -----------------------------------------------------------
ROWS = 16
SENDER = """
import sys
from datetime import UTC, datetime
from monitor.alerts.send import deliver_due
from monitor.config import load_config
config = load_config(sys.argv[1])
deliver_due(sys.argv[2], config.settings, config.subscribers, now=datetime.now(UTC))
"""


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
    web: FixtureWeb, hook: FixtureWeb, tmp_path: Path
) -> None:
    config_path, db_path = _write_config(tmp_path, web, hook), tmp_path / "monitor.db"
    config = load_config(config_path)
    _fill_outbox(config, db_path)
    command = [sys.executable, "-c", SENDER, str(config_path), str(db_path)]

    rng, kills = random.Random(SEED), 0
    for _ in range(KILLS):
        seen = len(hook.requests)
        kills += _kill_at_random(command, lambda: len(hook.requests) > seen, rng, window=0.6)
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
    assert duplicates <= kills, received  # at most the message in flight, per kill
    # and a run with nothing due sends nothing more
    assert deliver_due(db_path, config.settings, config.subscribers, now=later).attempted == 0
    assert sum(_deliveries(hook).values()) == sum(received.values())


def test_kill_helper_reports_a_finished_process() -> None:
    # Guards the tests above: a process that ends before the kill is not counted as killed.
    rng = random.Random(1)
    assert not _kill_at_random([sys.executable, "-c", "pass"], lambda: False, rng, window=0.0)
    assert _kill_at_random(
        [sys.executable, "-c", "import time; time.sleep(30)"], lambda: True, rng, window=0.0
    )

