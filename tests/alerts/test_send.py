"""Delivery over apprise to a real SMTP server and a real HTTP receiver: exactly the expected
messages, retries through outages and hangs, and a sender killed between send and mark."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import timedelta

import pytest

from monitor.alerts.send import DEDUP_FIELD, DEDUP_HEADER, LEASE, deliver_due, notify_test
from monitor.config import Settings, SubscriberConfig
from monitor.store.outbox import outbox_rows

from .scenario import NOW, STEPS_2025, STOCKPORT_HISTORY, play

SETTINGS = Settings(alert_backoff=60, alert_retry_limit=3)
UP_SUBJECT = "Stockport children's services: upgraded to Good (was Adequate)"
DOWN_SUBJECT = "Stockport children's services: downgraded to Requires improvement (was Good)"


def hook(web, path, *, timeout=""):
    web.set(path, "ok", content_type="text/plain", conditional=False)
    host = web.base_url.removeprefix("http://")
    return f"json://{host}{path}" + (f"?rto={timeout}&cto={timeout}" if timeout else "")


def posts(web, path):
    return [(r.headers.get(DEDUP_HEADER), json.loads(r.body)) for r in web.requests_to(path)]


@pytest.fixture
def subscribers(smtp, web):
    return [
        SubscriberConfig(
            name="newsroom",
            councils=["Stockport"],
            # A URL with options; 5 s, as a 0.5 s read timeout could expire on a loaded machine.
            notify=[smtp.url("desk@example.com"), hook(web, "/newsroom", timeout="5")],
        ),
        SubscriberConfig(
            name="nw-downgrades",
            regions=["North West"],
            changes=["downgrade"],
            notify=[hook(web, "/nw")],
        ),
        SubscriberConfig(name="london", regions=["London"], notify=[hook(web, "/london")]),
        SubscriberConfig(
            name="digest-only", immediate=False, digest="daily", notify=[hook(web, "/digest")]
        ),
    ]


def test_stockport_history_delivers_exactly_two_alerts(db, db_path, smtp, web, subscribers):
    play(db, STOCKPORT_HISTORY, subscribers)
    report = deliver_due(db_path, SETTINGS, subscribers, now=NOW)
    assert (report.sent, report.failed) == (5, 0)

    assert [m["Subject"] for m in smtp.messages] == [UP_SUBJECT, DOWN_SUBJECT]
    rows = {r.key: r for r in outbox_rows(db)}
    assert {m[DEDUP_HEADER] for m in smtp.messages} <= {r.dedup_key for r in rows.values()}
    down = smtp.messages[1]
    html = down.get_body(("html",)).get_content()
    text = down.get_body(("plain",)).get_content()
    for part in (html, text):
        assert "12 May 2025 to 23 May 2025" in part
        assert "https://files.example/2025" in part
        assert "https://news.example/2025/ri" in part
    assert "Care leavers: Good (new judgement)" in text
    assert "Overall effectiveness: Good -&gt; Requires improvement to be good (down)" in html
    up_html = smtp.messages[0].get_body(("html",)).get_content()
    assert "Stockport &lt;b&gt;rated good&lt;/b&gt; &amp; praised" in up_html
    assert "<b>rated" not in up_html

    newsroom = posts(web, "/newsroom")
    assert [body["title"] for _, body in newsroom] == [UP_SUBJECT, DOWN_SUBJECT]
    assert all(key == body[DEDUP_FIELD] for key, body in newsroom)
    assert "Framework: SIF" in newsroom[0][1]["message"]
    assert [body["title"] for _, body in posts(web, "/nw")] == [DOWN_SUBJECT]
    assert posts(web, "/london") == [] and posts(web, "/digest") == []

    again = deliver_due(db_path, SETTINGS, subscribers, now=NOW + timedelta(days=1))
    assert again.attempted == 0
    assert len(smtp.messages) == 2 and len(web.requests_to("/newsroom")) == 2


def test_outages_are_retried_then_delivered_once(db, db_path, smtp, web, subscribers):
    subscribers[1] = subscribers[1].model_copy(
        update={"changes": ["any"], "notify": [subscribers[1].notify[0] + "?rto=0.3&cto=0.3"]}
    )
    play(db, STOCKPORT_HISTORY[:5], subscribers)  # up to 2017: one alert, three channels
    smtp.stop()
    web.set("/newsroom", "down", status=500, content_type="text/plain")
    web.set("/nw", "slow", delay=1.5, content_type="text/plain")
    first = deliver_due(db_path, SETTINGS, subscribers, now=NOW)
    assert (first.sent, first.failed) == (0, 3)
    assert {r.state for r in outbox_rows(db)} == {"pending"}
    assert all(r.last_error for r in outbox_rows(db))

    too_soon = deliver_due(db_path, SETTINGS, subscribers, now=NOW + timedelta(seconds=59))
    assert too_soon.attempted == 0

    smtp.start()
    hook(web, "/newsroom")
    hook(web, "/nw")
    later = deliver_due(db_path, SETTINGS, subscribers, now=NOW + timedelta(seconds=60))
    assert (later.sent, later.failed) == (3, 0)
    assert [m["Subject"] for m in smtp.messages] == [UP_SUBJECT]
    ok_posts = [p for p in posts(web, "/newsroom") if p[1].get("title")]
    assert [b["title"] for _, b in ok_posts] == [UP_SUBJECT, UP_SUBJECT]  # the 500 and the retry
    # The hung request may have reached the receiver before the client gave up: at least
    # once, and every copy carries one dedup key.
    assert len({key for key, _ in posts(web, "/nw")}) == 1
    assert {r.state for r in outbox_rows(db)} == {"sent"}


def test_gives_up_after_the_retry_limit_with_the_error_visible(db, db_path, web, subscribers):
    only = [subscribers[1].model_copy(update={"changes": ["any"]})]
    play(db, STOCKPORT_HISTORY[:2], only)
    web.set("/nw", "nope", status=500, content_type="text/plain")
    now = NOW
    for delay in (0, 60, 120):
        now += timedelta(seconds=delay)
        assert deliver_due(db_path, SETTINGS, only, now=now).failed == 1
    final = deliver_due(db_path, SETTINGS, only, now=now + timedelta(days=1))
    assert final.attempted == 0
    (row,) = outbox_rows(db, state="failed")
    assert row.attempts == 3 and "500" in row.last_error


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from datetime import datetime
    from monitor.alerts.send import claim_next, transmit
    from monitor.config import Settings, SubscriberConfig
    from monitor.store import open_db

    db = open_db(sys.argv[1])
    subscriber = SubscriberConfig(name="nw-downgrades", notify=[sys.argv[2]])
    row = claim_next(db, Settings(), now=datetime.fromisoformat(sys.argv[3]), token="doomed")
    ok, error = transmit(row, [subscriber])
    assert ok, error
    os.kill(os.getpid(), signal.SIGKILL)  # after the send, before mark-sent
    """
)


def test_killed_between_send_and_mark_resends_with_the_same_key(db, db_path, web):
    subscriber = SubscriberConfig(name="nw-downgrades", notify=[hook(web, "/nw")])
    play(db, STOCKPORT_HISTORY[:2], [subscriber])
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    done = subprocess.run(
        [sys.executable, "-c", KILLER, str(db_path), subscriber.notify[0], NOW.isoformat()],
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()
    assert [r.state for r in outbox_rows(db)] == ["sending"]
    assert len(web.requests_to("/nw")) == 1

    assert deliver_due(db_path, SETTINGS, [subscriber], now=NOW).attempted == 0  # leased
    resent = deliver_due(db_path, SETTINGS, [subscriber], now=NOW + LEASE)
    assert resent.sent == 1
    copies = posts(web, "/nw")
    assert len(copies) == 2
    assert copies[0][0] == copies[1][0] == outbox_rows(db)[0].dedup_key
    assert copies[0][1] == copies[1][1]
    assert deliver_due(db_path, SETTINGS, [subscriber], now=NOW + 3 * LEASE).attempted == 0


def test_news_first_then_report_sends_one_alert_citing_both(db, db_path, web):
    subscriber = SubscriberConfig(name="nw", notify=[hook(web, "/nw")])
    play(db, STOCKPORT_HISTORY[:6], [subscriber])  # to 2022; its 2017 alert marked sent
    with db.atomic():
        db.execute("UPDATE outbox SET state = 'sent'")
    play(db, STEPS_2025, [subscriber])
    assert deliver_due(db_path, SETTINGS, [subscriber], now=NOW).sent == 1
    ((_, body),) = posts(web, "/nw")
    assert body["title"] == DOWN_SUBJECT
    for url in ("files.example/2025", "news.example/2025/ri", "news.example/2025/scrutiny"):
        assert url in body["message"]


def test_notify_test_reports_each_channel(smtp, web):
    subscriber = SubscriberConfig(
        name="t", notify=[smtp.url(), hook(web, "/t"), "json://127.0.0.1:1/closed"]
    )
    results = notify_test(subscriber, SETTINGS)
    assert [(label, ok) for label, ok, _ in results] == [
        (f"mailto://127.0.0.1:{smtp.port}", True),
        (web.base_url.replace("http", "json"), True),
        ("json://127.0.0.1:1", False),
    ]
    assert results[2][2]
    assert smtp.messages[0]["Subject"] == "ofsted-monitor test message"


def test_runs_in_a_worker_thread_beside_the_loops_connection(db, db_path, web):
    subscriber = SubscriberConfig(name="nw", notify=[hook(web, "/nw")])
    play(db, STOCKPORT_HISTORY[:2], [subscriber])  # db stays open on this thread meanwhile

    async def main():
        return await asyncio.to_thread(deliver_due, db_path, SETTINGS, [subscriber], now=NOW)

    assert asyncio.run(main()).sent == 1
    assert [r.state for r in outbox_rows(db)] == ["sent"]
