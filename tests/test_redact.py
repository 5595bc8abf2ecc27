"""Secrets in URLs: masked wherever the monitor shows or stores a URL, and outbox channel ids
that hash the notify URL without its secrets (old rows rekeyed, never sent twice)."""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.alerts.send import deliver_due
from monitor.cli import cli
from monitor.config import Settings, SubscriberConfig
from monitor.demo.fixtureweb import FixtureWeb
from monitor.redact import MASK, RedactFilter, redact_text, redact_url
from monitor.store import open_db, outbox

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SECRET = "K3Y-5ECRET-value"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "https://news.example/api?q=ofsted&api_key=K3Y&page=2",
            "https://news.example/api?q=ofsted&api_key=***&page=2",
        ),
        ("https://news.example/s?apikey=a&token=b", "https://news.example/s?apikey=***&token=***"),
        (
            "https://x.example/f?accessToken=a;X-Amz-Signature=b&sig=c&auth=d",
            "https://x.example/f?accessToken=***;X-Amz-Signature=***&sig=***&auth=***",
        ),
        ("https://x.example/?client_secret=a&password=b", None),
        (
            "mailtos://desk:hunter2@smtp.example/?to=a@b.c",
            "mailtos://desk:***@smtp.example/?to=a@b.c",
        ),
        ("https://ghp_T0KEN@git.example/feed", "https://***@git.example/feed"),
        ("mailtos:desk:hunter2@smtp.example", "mailtos:***@smtp.example"),
        ("https://news.example/story?id=7&ref=home", "https://news.example/story?id=7&ref=home"),
        ("someone@example.org", "someone@example.org"),
        ("https://x.example/?key=", "https://x.example/?key="),
    ],
)
def test_redact_url(url: str, shown: str | None) -> None:
    redacted = redact_url(url)
    if shown is not None:
        assert redacted == shown
    for secret in ("K3Y", "hunter2", "T0KEN"):
        assert secret not in redacted
    assert redact_url(redacted) == redacted  # idempotent


def test_redact_text_finds_urls_in_messages() -> None:
    message = "HTTP 500 Internal Server Error (https://n.example/api?api_key=K3Y). Retrying."
    assert redact_text(message) == (
        f"HTTP 500 Internal Server Error (https://n.example/api?api_key={MASK}). Retrying."
    )


def test_log_filter_redacts_any_logger(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("some.library")
    caplog.handler.addFilter(RedactFilter())
    try:
        with caplog.at_level(logging.WARNING):
            logger.warning("GET %s failed", "https://n.example/api?token=K3Y")
    finally:
        caplog.handler.removeFilter(caplog.handler.filters[-1])
    assert "K3Y" not in caplog.text and "token=***" in caplog.text


def test_check_config_does_not_echo_a_notify_password(tmp_path: Path) -> None:
    config = tmp_path / "sources.yaml"
    config.write_text(
        'subscribers:\n  - name: desk\n    notify: ["mailtos:desk:${PW}@smtp.example"]\n'
    )
    result = CliRunner().invoke(
        cli, ["--config", str(config), "check-config"], env={"PW": "hunter2"}
    )
    assert result.exit_code == 2
    assert "hunter2" not in result.output
    assert "expected an apprise URL" in result.output


# -- outbox channel ids ----------------------------------------------------------------------
def test_channel_id_hashes_the_url_without_its_password() -> None:
    one = outbox.channel_id("mailtos://desk:first@smtp.example/?to=a@b.c")
    two = outbox.channel_id("mailtos://desk:second@smtp.example/?to=a@b.c")
    assert one == two  # the password is not in what is hashed
    masked = "mailtos://desk:***@smtp.example/?to=a@b.c"
    assert one == hashlib.sha256(masked.encode()).hexdigest()[:16]


@pytest.fixture
def hook() -> Iterator[FixtureWeb]:
    with FixtureWeb() as receiver:
        receiver.set("/hook", b"ok", content_type="text/plain", conditional=False)
        yield receiver


def test_rows_of_legacy_channel_ids_are_sent_once_and_rekeyed(
    tmp_path: Path, hook: FixtureWeb
) -> None:
    url = f"json://{hook.base_url.removeprefix('http://')}/hook?token=s3cret"
    subscriber = SubscriberConfig(name="desk", notify=[url])
    legacy = hashlib.sha256(url.encode()).hexdigest()[:16]
    db = open_db(tmp_path / "monitor.db")
    # Two rows as the previous version wrote them: one already sent, one still due.
    for key, state in (("digest:daily:2026-11-21", "sent"), ("digest:daily:2026-11-22", "pending")):
        db.execute(
            "INSERT INTO outbox (key, subscriber, channel, channel_label, kind, subject,"
            " body_text, body_chat, state, next_attempt, created)"
            " VALUES (?, 'desk', ?, 'json://127.0.0.1', 'digest', 's', 't', 'c', ?, ?, ?)",
            [f"{key}:desk:{legacy}", legacy, state, outbox.timestamp(NOW), outbox.timestamp(NOW)],
        )
    db.conn.commit()
    # The same deliveries enqueued again (a digest run twice in its window): nothing new.
    for day in ("2026-11-21", "2026-11-22"):
        with db.atomic():
            added = outbox.enqueue(
                db,
                key=f"digest:daily:{day}",
                subscriber=subscriber,
                kind="digest",
                now=NOW,
                subject="s",
                body_text="t",
            )
        assert added == 0
    report = deliver_due(db, Settings(), [subscriber], now=NOW)
    assert (report.sent, report.failed) == (1, 0)
    assert len([r for r in hook.requests if r.method == "POST"]) == 1
    assert json.loads(hook.requests[-1].body)["message"] == "t"
    rows = db.execute("SELECT key, channel, state FROM outbox ORDER BY id").fetchall()
    current = outbox.channel_id(url)
    assert [r[1] for r in rows] == [current, current]
    assert all(legacy not in r[0] for r in rows)  # no hash of the token left behind
    # And a later enqueue of those deliveries still adds nothing.
    with db.atomic():
        again = outbox.enqueue(
            db,
            key="digest:daily:2026-11-22",
            subscriber=subscriber,
            kind="digest",
            now=NOW,
            subject="s",
            body_text="t",
        )
    assert again == 0
    db.close()


def test_upgrade_forgets_secrets_stored_by_earlier_versions(tmp_path: Path) -> None:
    """A database written before redaction: the migration drops what held the key."""
    from monitor.store.db import migrations

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for version, _name, sql in migrations():
        if version >= 7:
            break
        conn.executescript(sql)
        conn.execute(f"PRAGMA user_version = {version}")
    keyed = f"https://news.example/api?api_key={SECRET}"
    conn.execute(
        "INSERT INTO sources (name, kind, url, last_error) VALUES ('n', 'feed', ?, ?)",
        [keyed, f"HTTP 500 ({keyed})"],
    )
    conn.execute(
        "INSERT INTO fetch_log (source, url, status, bytes, duration, error, attempts, at)"
        " VALUES ('n', ?, 500, 0, 0.1, 'HTTP 500', 1, '2026-11-23T09:00:00+00:00')",
        [keyed],
    )
    conn.execute(
        "INSERT INTO fetch_log (source, url, status, bytes, duration, error, attempts, at)"
        " VALUES ('n', 'https://news.example/feed', 200, 10, 0.1, NULL, 1, '2026-11-23')"
    )
    conn.execute(
        "INSERT INTO validators (url, etag, updated) VALUES (?, '\"e\"', '2026-11-23')", [keyed]
    )
    conn.commit()
    conn.close()
    open_db(path).close()
    conn = sqlite3.connect(path)
    dump = "\n".join(
        str(row)
        for table in ("sources", "fetch_log", "validators")
        for row in conn.execute(f"SELECT * FROM {table}")
    )
    kept = conn.execute("SELECT url FROM fetch_log").fetchall()
    conn.close()
    assert SECRET not in dump
    assert kept == [("https://news.example/feed",)]  # the rest of the log stays
