"""Several messages in flight to one SMTP server, never more than ``alert_senders_per_host``;
each is sent and recorded exactly once."""

from __future__ import annotations

import asyncio
import socket
import threading
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from monitor.alerts.send import deliver_due
from monitor.config import Settings, SubscriberConfig
from monitor.councils import load_councils
from monitor.models import EvidenceKind, Framework, Grade, Grades, RatingEvent
from monitor.pipeline import record_event
from monitor.records import EvidenceRef
from monitor.store import open_db
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
