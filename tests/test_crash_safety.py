"""``kill -9`` in the middle of a poll, then a restart: the database opens, and every item is
stored exactly once (nothing accepted lost, nothing duplicated)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from monitor.demo.fixtureweb import FixtureWeb

ENTRIES = 30


def _feed(web: FixtureWeb) -> str:
    items = "".join(
        f"<item><title>Council news {i}</title><link>{web.url(f'/news/{i}')}</link>"
        f"<guid>news-{i}</guid><pubDate>Mon, 02 Nov 2026 09:{i:02d}:00 GMT</pubDate></item>"
        for i in range(ENTRIES)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    )


def _config(tmp_path: Path, web: FixtureWeb) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(
        "settings:\n  min_delay: 0s\n  jitter: 0s\n  max_articles_per_poll: 100\n"
        f"sources:\n  - name: news\n    kind: feed\n    url: {web.url('/feed.xml')}\n"
    )
    return path


def _poll(config: Path, db: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "monitor",
            "--config",
            str(config),
            "--db",
            str(db),
            "poll",
            "--once",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _count(db: Path, sql: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


def test_kill_during_poll_loses_and_duplicates_nothing(web: FixtureWeb, tmp_path: Path) -> None:
    web.set("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    web.set("/feed.xml", _feed(web), content_type="application/rss+xml")
    for i in range(ENTRIES):
        body = f"<html><head><title>Story {i}</title></head><body><article><h1>Story {i}</h1>"
        body += f"<p>Paragraph {i} about a council budget meeting and local roads.</p>" * 5
        web.set(f"/news/{i}", body + "</article></body></html>", delay=0.05)
    config, db = _config(tmp_path, web), tmp_path / "monitor.db"

    process = _poll(config, db)
    deadline = time.monotonic() + 30
    # Kill once some, but not all, articles have been fetched.
    while time.monotonic() < deadline:
        fetched = sum(1 for r in web.requests if r.path.startswith("/news/"))
        if fetched >= ENTRIES // 3:
            break
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    stored_before = _count(db, "select count(*) from items")
    assert stored_before < ENTRIES

    rerun = _poll(config, db)
    assert rerun.wait(timeout=60) == 0
    assert _count(db, "select count(*) from items") == ENTRIES
    assert _count(db, "select count(distinct guid) from items") == ENTRIES
