"""Several messages in flight to one SMTP server, never more than ``alert_senders_per_host``;
each is sent and recorded exactly once."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from monitor.alerts.send import deliver_due
from monitor.config import Settings, SubscriberConfig
from monitor.councils import load_councils
from monitor.demo.fixtureweb import FixtureWeb, Page, Request
from monitor.models import EvidenceKind, Framework, Grade, Grades, RatingEvent
from monitor.pipeline import record_event
from monitor.records import EvidenceRef
from monitor.store import open_db, outbox
from monitor.store.outbox import counts

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
MESSAGES = 12


class SlowMailbox:
    """Takes 0.2 s per message and remembers how many sessions were in DATA at once."""

    def __init__(self) -> None:
        self.recipients: list[str] = []
        self.active = 0
        self.most = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            self.active += 1
            self.most = max(self.most, self.active)
        await asyncio.sleep(0.2)
        with self._lock:
            self.active -= 1
            self.recipients.extend(envelope.rcpt_tos)
        return "250 OK"


@pytest.fixture
def mailbox() -> Any:
    box = SlowMailbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    box.port = port  # type: ignore[attr-defined]
    yield box
    controller.stop()


def _event(year: int, grade: Grade) -> RatingEvent:
    return RatingEvent(
        council=load_councils().by_name("Stockport"),  # type: ignore[arg-type]
        framework=Framework.ILACS,
        grades=Grades(overall=grade),
        inspection_start=date(year, 3, 1),
        inspection_end=date(year, 3, 12),
        published=date(year, 5, 1),
    )


def _enqueue(db_path: Path, subscribers: list[SubscriberConfig]) -> None:
    db = open_db(db_path)
    ref = EvidenceRef(None, "https://files.example/r", "r", "test", EvidenceKind.REPORT, None)
    record_event(db, _event(2022, Grade.GOOD), evidence=ref, silent=True, subscribers=(), now=NOW)
    applied = record_event(
        db, _event(2025, Grade.INADEQUATE), evidence=ref, silent=False,
        subscribers=subscribers, now=NOW,
    )  # fmt: skip
    assert applied.deliveries == len(subscribers)
    db.close()


@pytest.mark.parametrize("per_host", [1, 4])
def test_at_most_the_limit_in_flight_and_each_sent_once(
    mailbox: Any, tmp_path: Path, per_host: int
) -> None:
    url = "mailto://127.0.0.1:{port}?from=monitor@example.com&to=desk{i}@example.com&mode=insecure"
    subscribers = [
        SubscriberConfig(name=f"s{i}", notify=[url.format(port=mailbox.port, i=i)])
        for i in range(MESSAGES)
    ]
    db_path = tmp_path / "monitor.db"
    _enqueue(db_path, subscribers)
    settings = Settings(alert_senders_per_host=per_host)

    report = deliver_due(db_path, settings, subscribers, now=NOW, limit=MESSAGES + 5)

    assert (report.sent, report.failed) == (MESSAGES, 0)
    assert sorted(mailbox.recipients) == sorted(f"desk{i}@example.com" for i in range(MESSAGES))
    assert mailbox.most == per_host  # 12 slow messages: the limit is reached, never passed
    db = open_db(db_path)
    assert counts(db)["sent"] == MESSAGES and counts(db)["sending"] == 0
    db.close()


class SlowFirstHook:
    """A webhook whose first request takes 0.3 s; counts requests in progress at once."""

    def __init__(self) -> None:
        self.titles: list[str] = []
        self.active = 0
        self.most = 0
        self._lock = threading.Lock()

    def answer(self, request: Request) -> Page:
        with self._lock:
            first = not self.titles
            self.titles.append(json.loads(request.body)["title"])
            self.active += 1
            self.most = max(self.most, self.active)
        time.sleep(0.3 if first else 0.0)
        with self._lock:
            self.active -= 1  # before the answer: the next message may follow it at once
        return Page(b"ok", content_type="text/plain", conditional=False)


def test_one_channel_gets_its_messages_one_at_a_time_in_order(
    web: FixtureWeb, tmp_path: Path
) -> None:
    # With four senders free, a second message to the same webhook must still wait for the
    # first: else it overtakes a slow first one, and a newsroom reads a downgrade before the
    # upgrade that came before it.
    hook = SlowFirstHook()
    web.set("/hook", handler=hook.answer)
    desk = SubscriberConfig(name="desk", notify=[f"json://{web.base_url[7:]}/hook"])
    db_path = tmp_path / "monitor.db"
    db = open_db(db_path)
    with db.atomic():
        for n in range(3):
            outbox.enqueue(
                db, key=f"digest:order:{n}", subscriber=desk, kind="digest", now=NOW,
                subject=f"Message {n}", body_text=f"Message {n}.", body_html=f"<p>{n}</p>",
            )  # fmt: skip
    db.close()

    report = deliver_due(db_path, Settings(alert_senders_per_host=4), [desk], now=NOW)

    assert (report.sent, report.failed) == (3, 0)
    assert hook.titles == ["Message 0", "Message 1", "Message 2"]
    assert hook.most == 1
