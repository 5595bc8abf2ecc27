"""Delivery throughput of the outbox sender: N subscribers alerted of one change, delivered
over apprise to a local JSON webhook receiver (FixtureWeb) and to a local SMTP server
(aiosmtpd). Prints messages per second for each, with one message at a time to a host and
with several (``alert_senders_per_host``).

    .venv/bin/python bench/delivery_throughput.py [--subscribers 1000] [--senders 1 4]
        [--smtp-delay 0.05]
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from aiosmtpd.controller import Controller

from monitor.alerts.send import deliver_due
from monitor.config import Settings, SubscriberConfig
from monitor.councils import load_councils
from monitor.demo.fixtureweb import FixtureWeb
from monitor.models import EvidenceKind, Framework, Grade, Grades, RatingEvent
from monitor.pipeline import record_event
from monitor.records import EvidenceRef
from monitor.store import open_db
from monitor.store.outbox import counts

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


class Counter:
    """Accepts every message, after ``delay`` seconds (a remote relay's round trips)."""

    def __init__(self, delay: float = 0.0) -> None:
        self.received = 0
        self.delay = delay

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        self.received += 1
        return "250 OK"


def _event(year: int, grade: Grade) -> RatingEvent:
    return RatingEvent(
        council=load_councils().by_name("Stockport"),  # type: ignore[arg-type]
        framework=Framework.ILACS,
        grades=Grades(overall=grade),
        inspection_start=date(year, 3, 1),
        inspection_end=date(year, 3, 12),
        published=date(year, 5, 1),
    )


def run(label: str, urls: list[str], workdir: Path, senders: int) -> None:
    db_path = workdir / f"{label}-{senders}.db"
    subscribers = [SubscriberConfig(name=f"s{i}", notify=[url]) for i, url in enumerate(urls)]
    db = open_db(db_path)
    ref = EvidenceRef(None, "https://files.example/r", "r", "bench", EvidenceKind.REPORT, None)
    record_event(db, _event(2022, Grade.GOOD), evidence=ref, silent=True, subscribers=(), now=NOW)
    started = time.perf_counter()
    applied = record_event(
        db,
        _event(2025, Grade.INADEQUATE),
        evidence=ref,
        silent=False,
        subscribers=subscribers,
        now=NOW,
    )
    enqueue_s = time.perf_counter() - started
    db.close()
    started, cpu = time.perf_counter(), time.process_time()
    settings = Settings(alert_senders_per_host=senders)
    report = deliver_due(db_path, settings, subscribers, now=NOW, limit=len(urls) + 10)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    check = open_db(db_path)
    states = counts(check)
    check.close()
    print(
        f"{label:8} senders/host {senders:2d}: {applied.deliveries} rows enqueued in"
        f" {enqueue_s * 1000:.0f} ms; sent {report.sent}, failed {report.failed} in"
        f" {seconds:.2f} s = {report.sent / seconds:.0f} messages/s;"
        f" {1000 * cpu / max(report.sent, 1):.1f} ms CPU each (this process, receiver"
        f" included)  (outbox: {states})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument(
        "--senders", type=int, nargs="+", default=[1, 4], help="alert_senders_per_host values"
    )
    parser.add_argument(
        "--smtp-delay", type=float, default=0.0, help="seconds the SMTP server takes per message"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, FixtureWeb() as web:
        web.set("/hook", "ok", content_type="text/plain", conditional=False)
        host = web.base_url.removeprefix("http://")
        hooks = [f"json://{host}/hook?n={i}" for i in range(args.subscribers)]
        for senders in args.senders:
            run("webhook", hooks, Path(tmp), senders)
        print(f"         receiver got {len(web.requests_to('/hook'))} POSTs")

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        counter = Counter(args.smtp_delay)
        controller = Controller(counter, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            urls = [
                f"mailto://127.0.0.1:{port}?from=monitor@example.com&to=desk{i}@example.com"
                "&mode=insecure"
                for i in range(args.subscribers)
            ]
            for senders in args.senders:
                run("smtp", urls, Path(tmp), senders)
            print(f"         SMTP server accepted {counter.received} messages")
        finally:
            controller.stop()


if __name__ == "__main__":
    main()
