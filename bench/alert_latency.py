"""Alert latency: from a report appearing on the (fixture) Ofsted site to the email arriving.

    .venv/bin/python bench/alert_latency.py [--rounds 3] [--interval 60]

The daemon (``monitor run``, a child process) watches a fixture Ofsted site on 127.0.0.1 with
a poll interval of ``--interval`` seconds (no jitter) and a subscriber whose email goes to a
local SMTP sink. After the silent backfill, each round publishes a new inspection report with
a changed grade at a random moment and measures the time until the email arrives. The
expectation is at most one poll interval plus the time to poll and deliver.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from monitor.demo.fixtureweb import FixtureWeb
from monitor.demo.ofstedsite import INSPECTION, FixtureOfstedSite
from monitor.demo.reportpdf import build_report_pdf
from monitor.demo.world import MailSink
from monitor.models import Grade, Grades

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "latency"
COUNCILS = [("Stockport", "80562"), ("Wigan", "80579"), ("Trafford", "80573")]
GRADES = [Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE, Grade.OUTSTANDING]


def _report(council: str, year: int, grade: Grade) -> bytes:
    return build_report_pdf(
        council_name=council,
        layout="ilacs",
        grades=Grades(
            overall=grade,
            leaders=grade,
            help_and_protection=grade,
            in_care=grade,
            care_leavers=grade,
        ),
        inspection_start=date(year, 3, 2),
        inspection_end=date(year, 3, 13),
    )


def _backfilled(db: Path) -> bool:
    try:
        conn = sqlite3.connect(db)
        row = conn.execute("select backfilled from sources where name = 'ofsted'").fetchone()
        conn.close()
    except sqlite3.Error:
        return False
    return bool(row and row[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--interval", type=int, default=60)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / "monitor.db"
    for leftover in OUT.glob("monitor.db*"):
        leftover.unlink()
    rng = random.Random(11)
    with FixtureWeb() as web:
        web.set("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        site = FixtureOfstedSite(web)
        for council, urn in COUNCILS:
            site.add_provider(council, urn)
            site.add_publication(
                urn, INSPECTION, date(2022, 5, 1), pdf=_report(council, 2022, Grade.GOOD)
            )
        sink = MailSink().start()
        config = OUT / "sources.yaml"
        config.write_text(
            f"settings:\n  allow_short_interval: true\n  interval: {args.interval}s\n"
            "  jitter: 0s\n  min_delay: 0s\n"
            f'sources:\n  - name: ofsted\n    kind: ofsted\n    url: "{site.search_url}"\n'
            "subscribers:\n  - name: desk\n"
            f"    notify: ['{sink.url(sender='m@example.org', to='d@example.org')}']\n"
        )
        daemon = subprocess.Popen(
            [sys.executable, "-m", "monitor", "--config", str(config), "--db", str(db), "run"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + args.interval * 3
            while not _backfilled(db) and time.monotonic() < deadline:
                time.sleep(0.5)
            print(f"backfill done; poll interval {args.interval} s; {args.rounds} rounds")
            latencies = []
            for round_ in range(args.rounds):
                time.sleep(rng.uniform(1, args.interval))
                council, urn = COUNCILS[round_ % len(COUNCILS)]
                grade = GRADES[(round_ + 1) % len(GRADES)]
                before = len(sink.messages)
                published = time.monotonic()
                site.add_publication(
                    urn,
                    INSPECTION,
                    date(2026, 6, 1 + round_),
                    pdf=_report(council, 2026 - round_ % 2, grade),
                )
                while (
                    len(sink.messages) == before
                    and time.monotonic() - published < args.interval * 3
                ):
                    time.sleep(0.05)
                if len(sink.messages) == before:
                    print(f"round {round_ + 1}: no email within {args.interval * 3} s")
                    continue
                latency = sink.messages[before].received - published
                latencies.append(latency)
                subject = sink.messages[before].subject
                print(
                    f"round {round_ + 1}: {council} -> {grade.label}: {latency:.1f} s ({subject})"
                )
            if latencies:
                low, high = min(latencies), max(latencies)
                print(f"latency: min {low:.1f} s, max {high:.1f} s (interval {args.interval} s)")
        finally:
            daemon.terminate()
            daemon.wait(timeout=30)
            sink.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
