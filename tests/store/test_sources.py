"""Source health, HTTP validators, the fetch log, and what a source may ask of the store."""

from __future__ import annotations

from datetime import timedelta

import pytest

from monitor.fetch import FetchRecord, Validators
from monitor.models import Article, Document
from monitor.sources.base import SourceState
from monitor.store import sources
from monitor.store.items import upsert_item
from monitor.store.sources import (
    StoreSourceState,
    is_backfilled,
    record_fetch,
    record_poll,
    save_validators,
    set_next_run,
    source_rows,
)

FEED = "https://paper.example/feed.xml"


def poll(db, now, *, ok: bool, new_items: int = 0, error: str | None = None, name="paper"):
    record_poll(db, name, kind="feed", url=FEED, ok=ok, error=error, new_items=new_items, now=now)


def health(db, name="paper"):
    return {row.name: row for row in source_rows(db)}[name]


@pytest.mark.parametrize(
    ("outcomes", "consecutive", "failures", "polls", "backfilled", "items_seen"),
    [
        pytest.param([True], 0, 0, 1, True, 3, id="first-ok"),
        pytest.param([False], 1, 1, 1, False, 0, id="first-fails"),
        pytest.param([False, False, True], 0, 2, 3, True, 3, id="recovers"),
        pytest.param([True, False, False], 2, 2, 3, True, 3, id="breaks-after-backfill"),
        pytest.param([True, True, False, True], 0, 1, 4, True, 9, id="one-blip"),
    ],
)  # fmt: skip
def test_health_counters(db, now, outcomes, consecutive, failures, polls, backfilled, items_seen):
    for i, ok in enumerate(outcomes):
        poll(
            db,
            now + timedelta(minutes=i),
            ok=ok,
            new_items=3 if ok else 0,
            error=None if ok else "HTTP 503",
        )
    row = health(db)
    assert (row.consecutive_failures, row.failures, row.polls) == (consecutive, failures, polls)
    assert (row.backfilled, is_backfilled(db, "paper"), row.items_seen) == (
        backfilled,
        backfilled,
        items_seen,
    )
    last_ok = max((i for i, ok in enumerate(outcomes) if ok), default=None)
    expected = None if last_ok is None else now + timedelta(minutes=last_ok)
    assert row.last_success == expected


def test_failure_records_the_error_and_when(db, now):
    poll(db, now, ok=True)
    poll(db, now + timedelta(hours=1), ok=False, error="HTTP 403 from reports.example")
    row = health(db)
    assert row.last_error == "HTTP 403 from reports.example"
    assert row.last_error_at == now + timedelta(hours=1)
    assert row.last_success == now
    assert row.kind == "feed"


def test_item_errors_on_a_good_poll_are_kept_but_not_counted(db, now):
    poll(db, now, ok=True, error="1 item error(s); last: https://a.example/x: bad PDF")
    row = health(db)
    assert (row.last_error, row.last_error_at) == (
        "1 item error(s); last: https://a.example/x: bad PDF",
        now,
    )
    assert (row.failures, row.consecutive_failures, row.backfilled) == (0, 0, True)
    poll(db, now + timedelta(hours=1), ok=True)
    assert health(db).last_error_at == now


def test_unknown_source_is_not_backfilled(db):
    assert is_backfilled(db, "never-polled") is False
    assert source_rows(db) == []


def test_next_run_is_kept_before_and_after_polls(db, now):
    set_next_run(db, "paper", now + timedelta(minutes=5))
    assert health(db).next_run == now + timedelta(minutes=5)
    assert health(db).polls == 0
    poll(db, now, ok=True)
    assert health(db).next_run == now + timedelta(minutes=5)
    set_next_run(db, "paper", None)
    assert health(db).next_run is None


def test_source_rows_are_sorted_by_name(db, now):
    for name in ("zeta", "alpha", "mid"):
        poll(db, now, ok=True, name=name)
    assert [row.name for row in source_rows(db)] == ["alpha", "mid", "zeta"]


@pytest.mark.parametrize(
    "validators",
    [
        Validators(etag='"abc"'),
        Validators(last_modified="Mon, 02 Nov 2026 09:00:00 GMT"),
        Validators(etag='W/"x1"', last_modified="Tue, 03 Nov 2026 10:00:00 GMT"),
    ],
    ids=["etag", "last-modified", "both"],
)
def test_validators_round_trip(db, now, validators):
    state = StoreSourceState(db)
    assert state.validators(FEED) is None
    save_validators(db, {FEED: validators}, now=now)
    assert state.validators(FEED) == validators


def test_validators_are_replaced_and_forgotten(db, now):
    state = StoreSourceState(db)
    both = {FEED: Validators(etag='"1"'), "https://b.example/": Validators(etag='"b"')}
    save_validators(db, both, now=now)
    save_validators(db, {FEED: Validators(etag='"2"')}, now=now)
    assert state.validators(FEED) == Validators(etag='"2"')
    save_validators(db, {FEED: Validators()}, now=now)
    assert state.validators(FEED) is None
    assert state.validators("https://b.example/") == Validators(etag='"b"')


def test_state_is_a_source_state_and_knows_stored_urls(db, now):
    state: SourceState = StoreSourceState(db)
    doc = Document(source="paper", url="https://paper.example/n/1?utm_source=rss", content=b"")
    article = Article(
        url="https://paper.example/n/1?page=all",
        canonical_url="https://paper.example/n/1",
        title="Council judged good",
        text="Children's services were judged good.",
    )
    assert not state.seen("https://paper.example/n/1")
    upsert_item(db, doc, article, now=now)
    for url in (doc.url, article.url, article.canonical_url):
        assert state.seen(url), url
    assert not state.seen("https://paper.example/n/2")


def fetch(source: str, i: int) -> FetchRecord:
    url = f"https://{source}.example/{i}"
    return FetchRecord(source=source, url=url, status=200, bytes=100 + i, duration=0.01)


def test_fetch_log_keeps_the_newest_rows_per_source(db, now, monkeypatch):
    monkeypatch.setattr(sources, "FETCH_LOG_KEEP", 5)
    for i in range(12):
        record_fetch(db, fetch("a", i), now=now)
    for i in range(3):
        record_fetch(db, fetch("b", i), now=now)
    rows = db.execute("SELECT source, url FROM fetch_log ORDER BY id").fetchall()
    assert [url for source, url in rows if source == "a"] == [
        f"https://a.example/{i}" for i in range(7, 12)
    ]
    assert len([1 for source, _ in rows if source == "b"]) == 3


def test_fetch_log_records_failures(db, now):
    record = FetchRecord(
        source="a",
        url="https://a.example/",
        status=None,
        bytes=0,
        duration=30.0,
        error="read timeout",
        attempts=3,
    )
    record_fetch(db, record, now=now)
    row = next(db.query("SELECT * FROM fetch_log"))
    assert (row["status"], row["error"], row["attempts"], row["at"]) == (
        None,
        "read timeout",
        3,
        now.isoformat(),
    )
