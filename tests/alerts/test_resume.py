"""After a crash, a held alert goes out at once, with the same delivery key.

A sender killed between claiming a row and marking it leaves the row ``sending`` under its lease
(``settings.alert_lease``, 5 minutes). The next process that takes the database's lock knows no
other sender is alive, so its first delivery sweep resends the row at once instead of after the
lease. Real processes killed with SIGKILL, a real webhook receiver, a real SMTP server.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from monitor.alerts.send import DEDUP_HEADER, Message, _body_for
from monitor.config import Config, load_config
from monitor.demo.fixtureweb import FixtureWeb
from monitor.pipeline import poll_once
from monitor.scheduler import DELIVERY_INTERVAL, Daemon
from monitor.store.outbox import outbox_rows

from .scenario import STOCKPORT_HISTORY, play

# Claims the due row like a real sender, then dies: before the send (``before``) or after the
# receiver has it but before it is marked sent (``after``).
KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from datetime import UTC, datetime
    from monitor.alerts.send import claim_next, transmit
    from monitor.config import load_config
    from monitor.store import open_db

    config = load_config(sys.argv[1])
    db = open_db(sys.argv[2])
    row = claim_next(db, config.settings, now=datetime.now(UTC), token="doomed")
    assert row is not None
    if sys.argv[3] == "after":
        ok, error = transmit(row, config.subscribers)
        assert ok, error
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


def _write_config(tmp_path: Path, notify: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(f"sources: []\nsubscribers:\n  - name: desk\n    notify: ['{notify}']\n")
    return path


def _kill_a_sender(config: Path, db_path: Path, when: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run(
        [sys.executable, "-c", KILLER, str(config), str(db_path), when],
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()


def _held(tmp_path: Path, notify: str, when: str) -> tuple[Config, Path]:
    """A change alert for ``desk``, claimed by a sender that was then killed."""
    config_path = _write_config(tmp_path, notify)
    config = load_config(config_path)
    db_path = tmp_path / "monitor.db"
    from monitor.store import open_db

    db = open_db(db_path)
    play(db, STOCKPORT_HISTORY[:2], config.subscribers)  # 2012, then the 2017 upgrade
    db.close()
    _kill_a_sender(config_path, db_path, when)
    return config, db_path


def _rows(db_path: Path) -> list[tuple[str, str | None]]:
    from monitor.store import open_db

    db = open_db(db_path)
    try:
        return [(r.state, r.last_error) for r in outbox_rows(db)]
    finally:
        db.close()


def _hook(web: FixtureWeb) -> str:
    web.set("/hook", "ok", content_type="text/plain", conditional=False)
    return f"json://{web.base_url.removeprefix('http://')}/hook"


def _key(db_path: Path) -> str:
    from monitor.store import open_db

    db = open_db(db_path)
    try:
        (row,) = outbox_rows(db)
        return row.dedup_key
    finally:
        db.close()


def test_poll_once_after_a_kill_between_claim_and_send_sends_at_once(
    web: FixtureWeb, tmp_path: Path
) -> None:
    config, db_path = _held(tmp_path, _hook(web), "before")
    assert _rows(db_path) == [("sending", None)]
    assert web.requests_to("/hook") == []  # killed before the send

    summary = asyncio.run(poll_once(config, db_path=db_path))  # the next cron run

    assert summary.delivered == 1  # not held for the 5-minute lease
    (post,) = web.requests_to("/hook")
    assert json.loads(post.body)["delivery"] == post.headers[DEDUP_HEADER] == _key(db_path)
    assert _rows(db_path) == [("sent", None)]


@pytest.mark.parametrize("when", ["before", "after"])
def test_daemon_restart_sends_the_held_alert_within_one_delivery_cycle(
    web: FixtureWeb, tmp_path: Path, when: str
) -> None:
    """Killed between claim and send (``before``), or between the receiver's answer and
    mark-sent (``after``): either way the restarted daemon's first sweep sends it."""
    config, db_path = _held(tmp_path, _hook(web), when)
    earlier = web.requests_to("/hook")
    assert len(earlier) == (1 if when == "after" else 0)
    assert _rows(db_path) == [("sending", None)]

    async def restart() -> float:
        stop = asyncio.Event()
        started = time.monotonic()
        daemon = asyncio.create_task(Daemon(config, db_path).run(stop, handle_signals=False))
        try:
            while len(web.requests_to("/hook")) <= len(earlier):
                assert not daemon.done(), daemon
                assert time.monotonic() - started < 30, "the held alert did not go out"
                await asyncio.sleep(0.02)
            return time.monotonic() - started
        finally:
            stop.set()
            await asyncio.wait_for(daemon, timeout=20)

    took = asyncio.run(restart())
    assert took < DELIVERY_INTERVAL  # the first sweep, a second after start
    *_, sent = web.requests_to("/hook")
    assert sent.headers[DEDUP_HEADER] == json.loads(sent.body)["delivery"] == _key(db_path)
    for first in earlier:  # the resend is the same message under the same key
        assert sent.body == first.body and sent.headers[DEDUP_HEADER] == first.headers[DEDUP_HEADER]
    assert _rows(db_path) == [("sent", None)]


def test_the_email_header_is_present_and_stable_across_a_resend(smtp: Any, tmp_path: Path) -> None:
    config, db_path = _held(tmp_path, smtp.url(), "after")
    (first,) = smtp.messages
    assert _rows(db_path) == [("sending", None)]

    assert asyncio.run(poll_once(config, db_path=db_path)).delivered == 1

    first, second = smtp.messages
    key = _key(db_path)
    assert first[DEDUP_HEADER] == second[DEDUP_HEADER] == key
    assert first["Subject"] == second["Subject"]
    assert first.get_body(("plain",)).get_content() == second.get_body(("plain",)).get_content()
    assert first["Message-ID"] != second["Message-ID"]  # why receivers must use our key


def test_a_row_whose_sender_died_on_its_last_attempt_is_failed(
    web: FixtureWeb, tmp_path: Path
) -> None:
    config_path = tmp_path / "sources.yaml"
    _, db_path = _held(tmp_path, _hook(web), "before")
    text = config_path.read_text().replace(
        "sources: []", "settings: {alert_retry_limit: 1}\nsources: []"
    )
    config_path.write_text(text)
    summary = asyncio.run(poll_once(load_config(config_path), db_path=db_path))
    assert summary.delivered == 0
    assert _rows(db_path) == [("failed", "sender stopped before finishing 1 attempt(s)")]
    assert web.requests_to("/hook") == []


@pytest.mark.parametrize("url", ["slack://T1/B2/C3", "discord://1234/abcd"])
def test_chat_text_ends_with_the_delivery_key(url: str) -> None:
    import apprise

    plugin = apprise.Apprise.instantiate(url, suppress_exceptions=True)
    assert plugin is not None
    message = Message("subject", "text", "<p>html</p>", "Chat line", dedup_key="ofsted-monitor-k1")
    body, _format = _body_for(plugin, message)
    assert body.startswith("Chat line")
    assert body.splitlines()[-1] == f"{DEDUP_HEADER}: ofsted-monitor-k1"


def test_interrupted_rows_are_resent_only_by_a_lock_holder(web: FixtureWeb, tmp_path: Path) -> None:
    # A sender without the lock (deliver_due on its own) still waits for the lease.
    from monitor.alerts.send import deliver_due

    config, db_path = _held(tmp_path, _hook(web), "before")
    report = deliver_due(db_path, config.settings, config.subscribers, now=datetime.now(UTC))
    assert report.attempted == 0
    assert _rows(db_path) == [("sending", None)]


def test_a_row_interrupted_again_backs_off_instead_of_repeating_at_each_restart(
    web: FixtureWeb, tmp_path: Path
) -> None:
    from monitor.alerts.send import deliver_due
    from monitor.store import open_db
    from monitor.store.outbox import reclaim_interrupted

    config, db_path = _held(tmp_path, _hook(web), "after")  # the receiver has copy 1
    db = open_db(db_path)
    assert reclaim_interrupted(db, now=datetime.now(UTC), retry_limit=8) == 1  # a restart
    db.close()
    _kill_a_sender(tmp_path / "sources.yaml", db_path, "after")  # ...killed mid-send again
    assert len(web.requests_to("/hook")) == 2

    assert asyncio.run(poll_once(config, db_path=db_path)).delivered == 0  # not a third copy now
    assert _rows(db_path)[0][0] == "pending"
    backoff = timedelta(seconds=config.settings.alert_backoff)  # 60 s, then doubling
    subscribers = config.subscribers
    soon = datetime.now(UTC) + backoff / 2
    assert deliver_due(db_path, config.settings, subscribers, now=soon).attempted == 0
    later = datetime.now(UTC) + backoff
    assert deliver_due(db_path, config.settings, subscribers, now=later).sent == 1
    assert len({r.headers[DEDUP_HEADER] for r in web.requests_to("/hook")}) == 1
