"""The pipeline's fetch log: every request a poll makes is one ``fetch_log`` row, written with
the poll's own record (one transaction), and the poll is still counted when those rows cannot
be written. Real fixture web, real SQLite file."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path

import pytest

import monitor.pipeline
from monitor.config import Config, parse_config
from monitor.demo.fixtureweb import FixtureWeb
from monitor.pipeline import FetchLog, poll_once
from monitor.records import FetchRecord
from monitor.store import open_db

STORIES = 3


def _site(web: FixtureWeb) -> None:
    web.set("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    items = ""
    for i in range(STORIES):
        web.set(
            f"/news/{i}",
            f"<html><head><title>Story {i}</title></head><body><article><h1>Story {i}</h1>"
            f"<p>The council's own words about its new park, number {i}, told at length.</p>"
            "</article></body></html>",
        )
        items += f"<item><title>Story {i}</title><link>{web.url(f'/news/{i}')}</link></item>"
    web.set(
        "/feed.xml",
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>',
        content_type="application/rss+xml",
    )


def _config(web: FixtureWeb) -> Config:
    return parse_config(
        f"""
settings: {{min_delay: 0s, jitter: 0s, max_retries: 0}}
sources:
  - {{name: news, kind: feed, url: "{web.url("/feed.xml")}"}}
""",
        environ={},
    )


def _rows(db_path: Path) -> list[tuple[str, str, int | None]]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT source, url, status FROM fetch_log ORDER BY id").fetchall()


def _polls(db_path: Path) -> int:
    with sqlite3.connect(db_path) as conn:
        return int(conn.execute("SELECT polls FROM sources WHERE name = 'news'").fetchone()[0])


def test_every_request_of_a_poll_is_one_row(web: FixtureWeb, db_path: Path) -> None:
    _site(web)
    config = _config(web)
    asyncio.run(poll_once(config, db_path=db_path, deliver=False))
    served = [r.path for r in web.requests]
    assert sorted(served) == sorted(["/robots.txt", "/feed.xml"] + [f"/news/{i}" for i in range(3)])
    # robots.txt is asked on behalf of no source: it is not a row of its own.
    rows = _rows(db_path)
    assert [(s, u.removeprefix(web.base_url), st) for s, u, st in rows] == [
        ("news", "/feed.xml", 200),
        *[("news", f"/news/{i}", 200) for i in range(STORIES)],
    ]

    web.reset_log()
    asyncio.run(poll_once(config, db_path=db_path, deliver=False))  # unchanged: one 304
    assert [r.path for r in web.requests] == ["/robots.txt", "/feed.xml"]
    assert _rows(db_path)[len(rows) :] == [("news", web.url("/feed.xml"), 304)]
    assert _polls(db_path) == 2


def test_the_poll_is_counted_when_its_fetches_cannot_be_logged(
    web: FixtureWeb,
    db_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _site(web)
    open_db(db_path).close()
    real_open = open_db

    def refusing_fetch_log(path: str | Path, **options: object) -> object:
        db = real_open(path)  # a real database that refuses fetch_log rows, as a full one would
        db.conn.execute(
            "CREATE TEMP TRIGGER no_room BEFORE INSERT ON main.fetch_log"
            " BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
        )
        return db

    monkeypatch.setattr(monitor.pipeline, "open_db", refusing_fetch_log)
    with caplog.at_level(logging.ERROR, logger="monitor.pipeline"):
        summary = asyncio.run(poll_once(_config(web), db_path=db_path, deliver=False))
    assert summary.outcomes[0].ok, summary.outcomes[0].error
    assert summary.outcomes[0].new_items == STORIES  # the documents are stored regardless
    assert _rows(db_path) == []
    assert _polls(db_path) == 1
    assert "4 fetches not logged" in caplog.text


def test_a_record_outside_a_poll_is_written_at_once(db_path: Path) -> None:
    db = open_db(db_path)
    try:
        log = FetchLog(db)
        record = FetchRecord(
            source="news", url="https://a.example/", status=200, bytes=1, duration=0.1
        )
        log(record)
        assert _rows(db_path) == [("news", "https://a.example/", 200)]
        log.hold("news")  # a poll of news is open: its records wait for the poll's record
        log(record)
        log(
            FetchRecord(source="other", url="https://b.example/", status=404, bytes=0, duration=0.1)
        )
        assert len(_rows(db_path)) == 2
        assert [r.url for r, _ in log.release("news")] == ["https://a.example/"]
        assert log.release("news") == []
    finally:
        db.close()
