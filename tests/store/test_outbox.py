"""The outbox: unique keys, claims under a lease, backoff, giving up, and two senders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from monitor.config import SubscriberConfig
from monitor.store import open_db, outbox
from monitor.store.outbox import claim_one, enqueue, mark_failed, mark_sent, outbox_rows

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)
SUB = SubscriberConfig(
    name="desk", notify=["json://127.0.0.1:9/hook", "mailto://user:secret@127.0.0.1:25?to=a@b.c"]
)


def add(db, key="change:1"):
    with db.atomic():
        return enqueue(
            db, key=key, subscriber=SUB, kind="digest", now=NOW, subject="s", body_text="t"
        )


def claim(db, now=NOW, token="run-1", limit=8):
    return claim_one(db, now=now, lease=LEASE, token=token, retry_limit=limit)


def test_enqueue_is_idempotent_and_keeps_no_secrets(db):
    assert add(db) == 2
    assert add(db) == 0
    rows = outbox_rows(db)
    assert [r.channel_label for r in rows] == ["json://127.0.0.1:9", "mailto://127.0.0.1:25"]
    assert all("secret" not in str(r) for r in rows)
    assert len({r.dedup_key for r in rows}) == 2


def test_claim_lease_and_sent(db):
    add(db)
    first, second = claim(db), claim(db, token="run-1")
    assert (first.id, second.id) == (1, 2)
    assert claim(db) is None  # both leased
    assert mark_sent(db, first.id, token="run-1", now=NOW)
    assert claim(db, now=NOW + LEASE, token="run-2").id == 2  # an unfinished lease expires
    assert not mark_sent(db, second.id, token="run-1", now=NOW)  # taken over by another run
    assert outbox.counts(db) == {"pending": 0, "sending": 1, "sent": 1, "failed": 0}


@pytest.mark.parametrize("limit", [1, 3])
def test_backoff_doubles_then_gives_up(db, limit):
    add(db, key="only")
    with db.atomic():
        db.execute("DELETE FROM outbox WHERE id > 1")
    now, delays = NOW, []
    for attempt in range(1, limit + 1):
        row = claim(db, now=now, limit=limit)
        assert row.attempts == attempt
        state = mark_failed(
            db,
            row.id,
            token="run-1",
            error=f"boom {attempt}",
            now=now,
            retry_limit=limit,
            backoff=60,
        )
        after = outbox_rows(db)[0]
        delays.append((after.next_attempt - now).total_seconds())
        assert claim(db, now=now + timedelta(seconds=59), limit=limit) is None
        now = after.next_attempt
    assert state == "failed"
    assert delays == [60 * 2**i for i in range(limit)]
    failed = outbox_rows(db, state="failed")
    assert [r.last_error for r in failed] == [f"boom {limit}"]
    assert claim(db, now=now + timedelta(days=1), limit=limit) is None


def test_sender_dying_every_time_is_given_up(db):
    add(db, key="only")
    now = NOW
    for _ in range(2):
        assert claim(db, now=now, limit=2) is not None
        now += LEASE
    assert claim(db, now=now, limit=2).id == 2  # row 1 is failed for good, row 2 goes on
    assert (
        outbox_rows(db, state="failed")[0].last_error
        == "sender stopped before finishing 2 attempt(s)"
    )


def test_two_connections_never_claim_one_row(db_path, db):
    for n in range(20):
        add(db, key=f"k{n}")
    other = open_db(db_path)
    try:
        claimed = []
        for n in range(50):
            conn = db if n % 2 else other
            row = claim(conn, token=f"t{n % 2}")
            if row:
                claimed.append(row.id)
        assert sorted(claimed) == list(range(1, 41))
    finally:
        other.close()


def test_render_outbox_shows_failures(db):
    assert outbox.render_outbox([]) == "The outbox is empty."
    add(db, key="only")
    row = claim(db)
    mark_failed(db, row.id, token="run-1", error="HTTP 500", now=NOW, retry_limit=8, backoff=60)
    lines = outbox.render_outbox(outbox_rows(db)).splitlines()
    assert lines[0] == "     1  pending  1 tries  2026-11-23 09:01  desk via json://127.0.0.1:9  s"
    assert lines[1] == "        last error: HTTP 500"
    assert lines[2].startswith("     2  pending  0 tries")


def test_unknown_state_is_an_error(db):
    with pytest.raises(
        ValueError, match="unknown outbox state 'done'; one of: pending, sending, sent, failed"
    ):
        outbox_rows(db, state="done")
