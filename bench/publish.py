"""The published views at national scale: ``monitor ratings --format xlsx``, the web board's
render time and size, and ``monitor serve``'s memory.

    .venv/bin/python bench/publish.py [--requests 20]

Builds a database of 153 current authorities, 600 inspections (report evidence, 2012-2026,
every framework) and 5,000 news items, each a stored item with a rating event merged into its
inspection, through the product's own write path (``store.items.upsert_item`` and
``pipeline.record_event``: the timeline's policy, its SQL, the quotes). Then it runs the
commands as child processes and prints what it measured. Everything stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import psutil

if __package__ in (None, ""):  # run as a script: the repository root on the path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import measure, work_dir
from monitor.councils import load_councils
from monitor.models import (
    Article,
    Council,
    Document,
    Evidence,
    EvidenceKind,
    Framework,
    Grade,
    Grades,
    RatingEvent,
)
from monitor.pipeline import record_event
from monitor.records import EvidenceRef
from monitor.store import items as item_store
from monitor.store import open_db
from monitor.store.db import immediate
from monitor.views import ratings

GRADES = (Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE)
WEIGHTS = (0.15, 0.5, 0.25, 0.1)
# Inspection starts; the fifth (after April 2026: no overall grade) for some authorities only.
STARTS = (date(2012, 3, 5), date(2015, 6, 1), date(2019, 2, 4), date(2023, 5, 8))
LATE = date(2026, 6, 1)
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
VOCABULARY = tuple(
    f"{a}{b}"
    for a in ("care", "staff", "family", "court", "school", "budget", "team", "plan", "ward")
    for b in ("", "s", "ing", "ed", "er", "ly", "ness", "ful", "ment", "al", "ist", "ward")
)


def build(db_path: Path, *, inspections: int = 600, news: int = 5000, seed: int = 13) -> dict:
    rng = random.Random(seed)
    councils = list(load_councils().current())
    db = open_db(db_path)
    made: list[tuple[Council, Framework, Grades, date, date]] = []
    per_council = {c.la_code: 3 for c in councils}
    for council in rng.sample(councils, inspections - 3 * len(councils)):
        per_council[council.la_code] += 1
    started = time.perf_counter()
    with immediate(db):
        for council in councils:
            # Three inspections 2015-2023; a fourth either before 2013 or after April 2026.
            starts = list(STARTS[1:])
            if per_council[council.la_code] == 4:
                starts = [STARTS[0], *starts] if rng.random() < 0.5 else [*starts, LATE]
            for index, start in enumerate(starts):
                start = start + timedelta(days=rng.randrange(0, 200))
                end = start + timedelta(days=11)
                framework = Framework.for_date(end)
                grades = _grades(rng, framework, end)
                made.append((council, framework, grades, start, end))
                event = RatingEvent(
                    council=council,
                    framework=framework,
                    grades=grades,
                    inspection_start=start,
                    inspection_end=end,
                    published=end + timedelta(days=38),
                    evidence=(Evidence("overall", f"Overall effectiveness {_word(grades)}"),),
                )
                published = datetime.combine(end + timedelta(days=38), datetime.min.time(), UTC)
                record_event(
                    db,
                    event,
                    evidence=EvidenceRef(
                        item_id=None,
                        url=f"https://files.example.org/v1/file/{council.la_code}{index}",
                        title=f"Children's services inspection, pdf - {published:%-d %B %Y}",
                        source="ofsted",
                        kind=EvidenceKind.REPORT,
                        published=published,
                    ),
                    silent=index < len(starts) - 1,  # history silent, the latest alerts
                    subscribers=(),
                    now=NOW,
                )
        for number in range(news):
            council, framework, grades, start, end = rng.choice(made)
            published = datetime.combine(
                end + timedelta(days=rng.randrange(30, 60)), datetime.min.time(), UTC
            )
            url = f"https://news.example.org/story/{number}"
            title = f"{council.name} children's services rated {_word(grades)} <b>#{number}</b>"
            sentence = (
                f"Ofsted inspectors rated children's services in {council.name} "
                f"{_word(grades)} after the inspection from {start:%-d %B} to {end:%-d %B %Y}."
            )
            # Words drawn at random: every story is its own item, not a syndicated copy.
            filler = " ".join(rng.choices(VOCABULARY, k=160))
            text = f"{sentence} {filler}."
            document = Document(source="paper", url=url, content=text.encode(), title=title)
            article = Article(url, url, title, text, published=published, content_kind="html")
            stored = item_store.upsert_item(db, document, article, now=NOW)
            record_event(
                db,
                RatingEvent(
                    council=council,
                    framework=framework,
                    grades=Grades(overall=grades.overall),
                    inspection_start=start,
                    inspection_end=end,
                    evidence=(Evidence("council", council.name), Evidence("overall", sentence)),
                ),
                evidence=EvidenceRef(stored.id, url, title, "paper", EvidenceKind.NEWS, published),
                silent=True,
                subscribers=(),
                now=NOW,
            )
    built = time.perf_counter() - started
    counts = {
        table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("inspections", "evidence", "items", "changes", "evidence_quotes")
    }
    db.close()
    return {"seconds": built, **counts}


def _grades(rng: random.Random, framework: Framework, end: date) -> Grades:
    def pick() -> Grade:
        return rng.choices(GRADES, WEIGHTS)[0]

    if framework is Framework.PRE_2013:
        overall = pick()
        return Grades(overall=Grade.ADEQUATE if overall is Grade.REQUIRES_IMPROVEMENT else overall)
    grades = Grades(
        overall=pick() if framework.grades_overall(end) else None,
        leaders=pick(),
        help_and_protection=pick(),
        in_care=pick(),
        care_leavers=pick() if end.year >= 2023 or framework is Framework.SIF else None,
        adoption=pick() if framework is Framework.SIF else None,
    )
    return grades


def _word(grades: Grades) -> str:
    grade = grades.overall or grades.leaders or Grade.GOOD
    return grade.value


def main() -> int:
    parser = argparse.ArgumentParser(description="published views at national scale")
    parser.add_argument("--requests", type=int, default=20, help="GETs per page timed")
    args = parser.parse_args()
    work = work_dir("publish")
    db_path = work / "monitor.db"
    facts = build(db_path)
    print(
        f"database: {facts['inspections']} inspections, {facts['items']} news items, "
        f"{facts['evidence']} evidence rows, {facts['evidence_quotes']} quotes, "
        f"{facts['changes']} changes; built in {facts['seconds']:.1f} s; "
        f"{db_path.stat().st_size / 1e6:.1f} MB"
    )
    monitor = [sys.executable, "-m", "monitor", "--db", str(db_path)]
    runs = [
        measure([*monitor, "ratings", "--format", "xlsx", "-o", str(work / "ratings.xlsx")])
        for _ in range(3)
    ]
    assert all(r.returncode == 0 for r in runs), runs
    print(
        "monitor ratings --format xlsx (153 authorities + 3 former, 600 inspections in the "
        f"history sheet): median {statistics.median(r.wall for r in runs):.2f} s wall, "
        f"{statistics.median(r.cpu for r in runs):.2f} s CPU, "
        f"{max(r.peak_rss_mb for r in runs):.0f} MB peak RSS over 3 runs; "
        f"{(work / 'ratings.xlsx').stat().st_size / 1024:.0f} KiB"
    )
    inside = []
    for _ in range(3):
        started = time.perf_counter()
        rows, timelines = ratings.load(db_path, load_councils())
        ratings.render_xlsx(rows, ratings.history_rows(load_councils(), timelines))
        inside.append(time.perf_counter() - started)
    print(
        f"  of which reading the database and writing the workbook in process: median "
        f"{statistics.median(inside):.2f} s (the rest is interpreter start-up and imports)"
    )
    text = measure([*monitor, "ratings", "--format", "csv", "-o", str(work / "ratings.csv")])
    print(f"monitor ratings --format csv: {text.row()}")
    serve(monitor, args.requests)
    return 0


def serve(monitor: list[str], requests: int) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [*monitor, "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        process = psutil.Process(server.pid)
        with httpx.Client(base_url=base, timeout=30) as http:
            deadline = time.monotonic() + 30
            while True:
                try:
                    http.get("/static/board.css")
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline, "serve did not start"
                    time.sleep(0.1)
            idle = process.memory_info().rss / 2**20
            print(f"monitor serve: RSS {idle:.0f} MB after start")
            for path in ("/", "/?region=London&sort=grade", "/council/356", "/changes",
                         "/changes.atom", "/ratings.csv", "/ratings.json"):  # fmt: skip
                times, size = [], 0
                for _ in range(requests):
                    started = time.perf_counter()
                    response = http.get(path)
                    times.append(time.perf_counter() - started)
                    assert response.status_code == 200, (path, response.status_code)
                    size = len(response.content)
                times.sort()
                print(
                    f"  GET {path:<28} median {statistics.median(times) * 1000:6.1f} ms, "
                    f"p95 {times[int(len(times) * 0.95) - 1] * 1000:6.1f} ms, "
                    f"{size / 1024:7.1f} KiB"
                )
            peak = _peak_rss_mb(server.pid)
            print(
                f"monitor serve: RSS {process.memory_info().rss / 2**20:.0f} MB after "
                f"{requests * 7} requests (peak {peak:.0f} MB)"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


if __name__ == "__main__":
    sys.exit(main())
