"""Every hostile document (``monitor.demo.hostile.CASES``) through ``monitor poll --once`` and
through the daemon (``monitor run``), among healthy sources on a loopback fixture web.

Real processes (the CLI and its parse worker), a real SQLite file, a FixtureWeb site. After
each hostile input:
- the healthy source's stories are all stored, and in the daemon it keeps being polled;
- the resident memory of the monitor's whole process tree (psutil, sampled every 50 ms)
  stays under ``MEMORY_CAP``;
- nothing stored is lost, and no traceback is printed;
- a document that passed a parse limit or killed or overran the parse worker is recorded
  for its URL (``parse_failures``) and not fetched again while its feed entry is unchanged
  (the hostile feeds answer without validators, so every poll re-reads them in full).

Network-level hostility (slow drips, redirect loops, endless bodies) is in
test_hostile_network.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from monitor.config import parse_config
from monitor.demo.fixtureweb import FixtureWeb
from monitor.demo.hostile import CASES, Hostile, double_flate_bomb, flate_bomb
from monitor.demo.memory import TreeMemory
from monitor.pipeline import poll_once

MB = 1024**2
# The CLI (or daemon) and its parse worker together. The worker is capped at PARSE_MEMORY of
# address space; the CLI holds at most a fetched body (20 MB) and its copies.
MEMORY_CAP = 1024 * MB
PARSE_MEMORY = "768MB"
PARSE_TIMEOUT = "15s"  # far above what the readable inputs take, even on a busy machine
HEALTHY_STORIES = 3
CASE_BY_NAME = {case.name: case for case in CASES}


# Smaller bombs than the bench's, still far past their limits (the 32 MB decompression
# check; PARSE_MEMORY), so that building them takes a second, not five.
TEST_BUILDS = {
    "flate-bomb": lambda: flate_bomb(256 * MB),
    "double-flate-bomb": lambda: double_flate_bomb(1024 * MB),
}


@functools.cache
def body_of(name: str) -> bytes:
    """Each hostile body is built once per session."""
    return TEST_BUILDS.get(name, CASE_BY_NAME[name].build)()


def _page(title: str, text: str) -> str:
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>{text}</p></article></body></html>"
    )


def _feed(items: list[tuple[str, str, str]]) -> str:
    """RSS with (guid, link, title) entries."""
    entries = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{guid}</guid>"
        "<pubDate>Mon, 23 Nov 2026 09:00:00 GMT</pubDate>"
        f"<description>The summary of {guid}.</description></item>"
        for guid, link, title in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>{entries}'
        "</channel></rss>"
    )


@dataclass
class Site:
    """The fixture web: one healthy feed and one feed per hostile case."""

    web: FixtureWeb
    cases: list[Hostile]
    healthy: list[tuple[str, str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.web.set("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        for number in range(HEALTHY_STORIES):
            self.add_healthy_story(number)
        for case in self.cases:
            self.serve(case)

    def add_healthy_story(self, number: int) -> None:
        path = f"/news/story-{number}"
        self.web.set(
            path,
            _page(
                f"Library hours extended, story {number}",
                f"The council said the town library will open later on weekdays ({number}).",
            ),
        )
        self.healthy.insert(0, (f"healthy-{number}", self.web.url(path), f"Story {number}"))
        self.web.set("/healthy.xml", _feed(self.healthy), content_type="application/rss+xml")

    def serve(self, case: Hostile, title: str = "A story") -> None:
        feed_path = self.feed_path(case)
        headers = dict(case.headers)
        if case.where == "feed":
            self.web.set(
                feed_path, body_of(case.name), content_type=case.content_type, headers=headers
            )
            return
        self.web.set(
            self.bad_path(case),
            body_of(case.name),
            content_type=case.content_type,
            headers=headers,
            conditional=False,
        )
        entry = [(f"bad-{case.name}", self.web.url(self.bad_path(case)), title)]
        # No validators: every poll reads the feed in full, so only the monitor's memory of
        # the failed document keeps it from fetching it again.
        self.web.set(feed_path, _feed(entry), content_type="application/rss+xml", conditional=False)

    @staticmethod
    def feed_path(case: Hostile) -> str:
        return f"/hostile/{case.name}.xml"

    @staticmethod
    def bad_path(case: Hostile) -> str:
        return f"/bad/{case.name}"

    def fetches_of_bad(self, case: Hostile) -> int:
        return len(self.web.requests_to(self.bad_path(case)))


def write_config(path: Path, site: Site, *, interval: str = "30m") -> Path:
    sources = [f'  - {{name: healthy, kind: feed, url: "{site.web.url("/healthy.xml")}"}}']
    sources += [
        f'  - {{name: "h-{case.name}", kind: feed, url: "{site.web.url(site.feed_path(case))}"}}'
        for case in site.cases
    ]
    path.write_text(
        f"""
settings: {{min_delay: 0s, jitter: 0s, backoff: 0s, max_retries: 0, timeout: 10s,
            allow_short_interval: true, interval: {interval},
            parse_timeout: {PARSE_TIMEOUT}, parse_memory: {PARSE_MEMORY}}}
sources:
"""
        + "\n".join(sources)
        + "\n"
    )
    return path


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    peak_rss: int


def monitor_cli(config: Path, db: Path, *args: str, timeout: float = 180) -> Run:
    command = [sys.executable, "-m", "monitor", "--config", str(config), "--db", str(db), *args]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with TreeMemory(proc.pid) as memory:
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            stdout, stderr = proc.communicate()
            pytest.fail(f"monitor {' '.join(args)} still running after {timeout} s:\n{stderr}")
    return Run(proc.returncode, stdout, stderr, memory.peak)


def query(db: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def items_of(db: Path, source: str) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in query(db, "SELECT url, kind FROM items WHERE source = ?", source)]


def failed_urls(db: Path, source: str) -> list[str]:
    return [r[0] for r in query(db, "SELECT url FROM parse_failures WHERE source = ?", source)]


def check_outcome(site: Site, db: Path, case: Hostile) -> None:
    """What the store must say about the hostile source after its first poll."""
    source = f"h-{case.name}"
    bad_url = site.web.url(site.bad_path(case))
    stored = items_of(db, source)
    failed = failed_urls(db, source)
    health = query(
        db, "SELECT consecutive_failures, last_error FROM sources WHERE name = ?", source
    )
    assert health, f"{source} was never polled"
    failures, last_error = health[0]
    if case.expect == "read":
        if case.where == "article":
            assert [url for url, _ in stored] == [bad_url]
        assert failed == [] and failures == 0
    elif case.expect == "rejected":
        assert stored == [] and failed == [bad_url]
        assert "not read again until it changes" in (last_error or "")
    elif case.expect == "item_error":
        assert stored == [] and failed == []
        assert bad_url in (last_error or "")
    elif case.expect == "fallback":
        assert stored == [(bad_url, "text")]  # the feed's summary, kept
        assert bad_url in (last_error or "") and failed == []
    elif case.expect == "source_error":
        assert stored == [] and failures >= 1 and last_error  # one per poll


def _param(case: Hostile) -> Any:
    return pytest.param(case, id=case.name, marks=[pytest.mark.slow] if case.slow else [])


def poll_twice(cases: list[Hostile], web: FixtureWeb, tmp_path: Path) -> None:
    """``poll --once`` with these hostile sources beside the healthy one, then again after the
    healthy feed gains a story."""
    site = Site(web, cases)
    config = write_config(tmp_path / "sources.yaml", site)
    db = tmp_path / "monitor.db"

    first = monitor_cli(config, db, "-q", "poll", "--once", "--no-deliver")
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr, first.stderr
    assert first.peak_rss < MEMORY_CAP, f"{first.peak_rss / MB:.0f} MB"
    assert len(items_of(db, "healthy")) == HEALTHY_STORIES
    for case in cases:
        check_outcome(site, db, case)

    # The next poll re-reads every feed in full: a hostile document that was stored or
    # recorded as failed is not fetched again, and the healthy source's new story is stored.
    site.add_healthy_story(HEALTHY_STORIES)
    second = monitor_cli(config, db, "-q", "poll", "--once", "--no-deliver")
    assert second.returncode == 0, second.stderr
    assert "Traceback" not in second.stderr, second.stderr
    assert second.peak_rss < MEMORY_CAP, f"{second.peak_rss / MB:.0f} MB"
    assert len(items_of(db, "healthy")) == HEALTHY_STORIES + 1
    for case in cases:
        check_outcome(site, db, case)
        if case.where == "article" and case.expect in ("read", "rejected"):
            assert site.fetches_of_bad(case) == 1, case.name


@pytest.mark.parametrize("case", [_param(case) for case in CASES if case.slow])
def test_poll_once_heavy(case: Hostile, web: FixtureWeb, tmp_path: Path) -> None:
    """One heavy input at a time, so that the memory cap is checked for each alone."""
    poll_twice([case], web, tmp_path)


def test_poll_once_light(web: FixtureWeb, tmp_path: Path) -> None:
    """The inputs that cost little, each its own source, in one poll."""
    poll_twice([case for case in CASES if not case.slow], web, tmp_path)


def test_rejected_document_is_read_again_only_when_it_changes(
    web: FixtureWeb, tmp_path: Path
) -> None:
    case = CASE_BY_NAME["shared-stream-120p"]
    site = Site(web, [case])
    config = parse_config(write_config(tmp_path / "sources.yaml", site).read_text(), environ={})
    db = tmp_path / "monitor.db"
    bad_url = web.url(site.bad_path(case))

    def poll() -> None:
        asyncio.run(poll_once(config, db_path=db, deliver=False))

    poll()
    assert failed_urls(db, "h-shared-stream-120p") == [bad_url]
    poll()  # unchanged entry: not fetched
    assert site.fetches_of_bad(case) == 1
    site.serve(case, title="A story, edited")  # the entry changed, the bytes did not
    poll()
    assert site.fetches_of_bad(case) == 2  # fetched, but the same bytes are not read again
    assert query(db, "SELECT failures FROM parse_failures") == [(1,)]
    assert items_of(db, "h-shared-stream-120p") == []
    # New bytes under the same URL: read, stored, and the failure forgotten.
    web.set(
        site.bad_path(case),
        _page("A story", "The page is readable now."),
        conditional=False,
    )
    web.set(
        site.feed_path(case),
        _feed([(f"bad-{case.name}", bad_url, "A story, fixed")]),
        content_type="application/rss+xml",
        conditional=False,
    )
    poll()
    assert site.fetches_of_bad(case) == 3
    assert items_of(db, "h-shared-stream-120p") == [(bad_url, "html")]
    assert failed_urls(db, "h-shared-stream-120p") == []


@contextlib.contextmanager
def daemon(config: Path, db: Path, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    command = [sys.executable, "-m", "monitor", "--config", str(config), "--db", str(db), "run"]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield proc
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


def polls(db: Path) -> dict[str, int]:
    with contextlib.suppress(sqlite3.Error):
        return dict(query(db, "SELECT name, polls FROM sources"))
    return {}


@pytest.mark.slow
@pytest.mark.timeout(300)  # its own deadline is 240 s: the 120 s default would cut it short
def test_daemon_among_healthy_sources(web: FixtureWeb, tmp_path: Path) -> None:
    """Every hostile case at once, each its own source, polled every 3 s for a while."""
    site = Site(web, list(CASES))
    config = write_config(tmp_path / "sources.yaml", site, interval="3s")
    db = tmp_path / "monitor.db"
    log = tmp_path / "daemon.log"
    names = [f"h-{case.name}" for case in CASES]
    with daemon(config, db, log) as proc, TreeMemory(proc.pid) as memory:
        deadline = time.monotonic() + 240
        added = False
        while time.monotonic() < deadline and proc.poll() is None:
            counts = polls(db)
            everyone_twice = all(counts.get(name, 0) >= 2 for name in names)
            if everyone_twice and not added:
                # Every hostile document has been met: the healthy source must still work.
                site.add_healthy_story(HEALTHY_STORIES)
                added, healthy_then = True, counts.get("healthy", 0)
            if added and counts.get("healthy", 0) >= healthy_then + 2:
                break
            time.sleep(0.5)
        assert proc.poll() is None, log.read_text()[-3000:]
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
    output = log.read_text()
    assert "Traceback" not in output, output[-5000:]
    assert added, f"not every hostile source was polled twice: {polls(db)}"
    assert memory.peak < MEMORY_CAP, f"{memory.peak / MB:.0f} MB"
    assert len(items_of(db, "healthy")) == HEALTHY_STORIES + 1
    for case in CASES:
        check_outcome(site, db, case)
        if case.where == "article" and case.expect in ("read", "rejected"):
            # Polled at least twice, with the feed read in full each time: fetched once.
            assert site.fetches_of_bad(case) == 1, case.name


def test_raising_the_parse_limits_reads_failed_documents_again(
    web: FixtureWeb, tmp_path: Path
) -> None:
    case = CASE_BY_NAME["shared-stream-120p"]
    site = Site(web, [case])
    text = write_config(tmp_path / "sources.yaml", site).read_text()
    db = tmp_path / "monitor.db"

    def poll(config_text: str) -> None:
        config = parse_config(config_text, environ={})
        asyncio.run(poll_once(config, db_path=db, deliver=False))

    poll(text)
    assert site.fetches_of_bad(case) == 1
    raised = text.replace(f"parse_timeout: {PARSE_TIMEOUT}", "parse_timeout: 90s")
    assert raised != text
    poll(raised)  # higher limits: fetched and read again (and rejected again: a bomb)
    assert site.fetches_of_bad(case) == 2
    assert query(db, "SELECT failures, parse_timeout FROM parse_failures") == [(2, 90.0)]
    poll(raised)  # under the limits it failed with: left alone
    assert site.fetches_of_bad(case) == 2


def test_classify_command_reads_hostile_files_through_the_worker(tmp_path: Path) -> None:
    """``monitor classify`` reads through a parse worker too: one line per file, an error line
    for the bomb, no traceback, and the other files still classified."""
    files = {
        "comments.html": body_of("comment-page"),
        "bomb.pdf": body_of("flate-bomb"),
        "story.html": _page(
            "Wigan children's services rated good",
            "Ofsted has rated Wigan Council's children's services good, up from inadequate.",
        ).encode(),
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    command = [sys.executable, "-m", "monitor", "classify", "--json", *files]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1  # one file could not be read
    assert "Traceback" not in done.stderr, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["path"] for line in lines] == list(files)
    assert lines[0]["relevant"] is False and "error" not in lines[0]
    assert "decompression bomb" in lines[1]["error"]
    assert [e["council"] for e in lines[2]["events"]] == ["Wigan"]
