"""What hostile documents cost: peak RSS and wall time of ``monitor poll --once`` for each
input of ``monitor.demo.hostile.CASES``, and the daemon's RSS over a run fed one hostile
document per minute among healthy sources.

    # each input through the current code, and through an older tree for comparison
    .venv/bin/python bench/hostile_inputs.py
    .venv/bin/python bench/hostile_inputs.py --tree /work/orig_parse --label before
    # the daemon, 10 minutes, one hostile document a minute among 5 healthy feeds
    .venv/bin/python bench/hostile_inputs.py --daemon --minutes 10
    # the PDF decompression check on the real reports in ../shared/ofsted-reports
    .venv/bin/python bench/hostile_inputs.py --real-pdfs
    # what the parse worker costs an ordinary article
    .venv/bin/python bench/hostile_inputs.py --overhead

Each run is the real CLI in a child process (``python -m monitor``, with ``PYTHONPATH`` set to
the tree measured) against a FixtureWeb on 127.0.0.1: a healthy feed of 3 stories and a feed
whose one entry links to the hostile document (or is the hostile feed itself). The child runs
under ``prlimit --as`` (3 GB by default) and is killed after ``--timeout`` seconds (120), so
an old tree that would freeze or eat the machine is stopped; that shows as "killed". Peak
RSS is of the whole process tree (the CLI and, in the current code, its parse worker),
sampled every 50 ms with psutil.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor.demo.fixtureweb import FixtureWeb  # noqa: E402
from monitor.demo.hostile import CASES, Hostile  # noqa: E402
from monitor.demo.memory import TreeMemory  # noqa: E402

MB = 1024**2


def feed(items: list[tuple[str, str, str]]) -> str:
    entries = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{guid}</guid>"
        "<pubDate>Mon, 23 Nov 2026 09:00:00 GMT</pubDate>"
        f"<description>The summary of {guid}.</description></item>"
        for guid, link, title in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>{entries}'
        "</channel></rss>"
    )


def page(title: str, text: str) -> str:
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>{text}</p></article></body></html>"
    )


def healthy_feed(web: FixtureWeb, name: str, stories: int) -> None:
    items: list[tuple[str, str, str]] = []
    for number in range(stories):
        path = f"/{name}/story-{number}"
        web.set(path, page(f"{name} story {number}", f"The library opens later ({number})."))
        items.insert(0, (f"{name}-{number}", web.url(path), f"Story {number}"))
    web.set(f"/{name}.xml", feed(items), content_type="application/rss+xml")


def serve_case(web: FixtureWeb, case: Hostile, body: bytes, feed_path: str, n: int = 0) -> None:
    if case.where == "feed":
        web.set(feed_path, body, content_type=case.content_type, headers=dict(case.headers))
        return
    bad = f"/bad/{case.name}-{n}"
    web.set(bad, body, content_type=case.content_type, headers=dict(case.headers))
    web.set(
        feed_path,
        feed([(f"bad-{case.name}-{n}", web.url(bad), "A story")]),
        content_type="application/rss+xml",
    )


def child_env(tree: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(tree)
    return env


@dataclass
class Result:
    name: str
    seconds: float
    peak: int
    outcome: str


def run_case(case: Hostile, tree: Path, limit: int, timeout: float) -> Result:
    body = case.build()
    with FixtureWeb() as web, tempfile.TemporaryDirectory() as tmp:
        web.set("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        healthy_feed(web, "healthy", 3)
        serve_case(web, case, body, "/hostile.xml")
        config = Path(tmp, "sources.yaml")
        config.write_text(
            "settings: {min_delay: 0s, jitter: 0s, backoff: 0s, max_retries: 0, timeout: 10s}\n"
            "sources:\n"
            f'  - {{name: healthy, kind: feed, url: "{web.url("/healthy.xml")}"}}\n'
            f'  - {{name: hostile, kind: feed, url: "{web.url("/hostile.xml")}"}}\n'
        )
        db = Path(tmp, "monitor.db")
        command = ["prlimit", f"--as={limit}", "--", sys.executable, "-m", "monitor"]
        command += ["--config", str(config), "--db", str(db), "-q", "poll", "--once"]
        command += ["--no-deliver"]
        started = time.monotonic()
        proc = subprocess.Popen(
            command,
            env=child_env(tree),
            cwd=tmp,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        with TreeMemory(proc.pid) as memory:
            try:
                _, stderr = proc.communicate(timeout=timeout)
                seconds = time.monotonic() - started
                outcome = describe(proc.returncode, stderr, db)
                if "Traceback" in stderr:  # kept for a look
                    out = ROOT / "bench/out"
                    out.mkdir(parents=True, exist_ok=True)
                    (out / f"hostile-{case.name}.stderr").write_text(stderr)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
                seconds = time.monotonic() - started
                outcome = f"killed after {timeout:.0f} s (still running)"
    return Result(case.name, seconds, memory.peak, outcome)


def describe(code: int, stderr: str, db: Path) -> str:
    if code < 0:
        return f"died ({signal.Signals(-code).name})"
    healthy, hostile = 0, "not polled"
    with contextlib.suppress(sqlite3.Error):
        conn = sqlite3.connect(db)
        healthy = conn.execute("SELECT count(*) FROM items WHERE source = 'healthy'").fetchone()[0]
        stored = conn.execute("SELECT count(*) FROM items WHERE source = 'hostile'").fetchone()[0]
        row = conn.execute(
            "SELECT consecutive_failures, last_error FROM sources WHERE name = 'hostile'"
        ).fetchone()
        failed = 0
        with contextlib.suppress(sqlite3.Error):  # the table is new with the parse worker
            failed = conn.execute("SELECT count(*) FROM parse_failures").fetchone()[0]
        conn.close()
        if failed:
            hostile = "recorded as failed"
        elif row and row[0]:
            hostile = "source failed"
        elif stored:
            hostile = "stored" + (" (summary)" if row and row[1] else "")
        elif row and row[1]:
            hostile = "item error"
    traceback = "; traceback" if "Traceback" in stderr else ""
    return f"exit {code}; healthy {healthy}/3 stored; hostile: {hostile}{traceback}"


def inputs(args: argparse.Namespace) -> int:
    tree = Path(args.tree).resolve()
    wanted = set(args.cases.split(",")) if args.cases else None
    print(f"# {args.label}: {tree} (prlimit --as={args.limit_gb} GB, timeout {args.timeout:.0f} s)")
    print(f"{'input':22} {'wall s':>8} {'peak RSS MB':>12}  outcome")
    for case in CASES:
        if wanted and case.name not in wanted:
            continue
        result = run_case(case, tree, int(args.limit_gb * 1024**3), args.timeout)
        print(
            f"{result.name:22} {result.seconds:8.1f} {result.peak / MB:12.0f}  {result.outcome}",
            flush=True,
        )
    return 0


def daemon(args: argparse.Namespace) -> int:
    """``monitor run`` with 5 healthy feeds (30 s interval) and one hostile feed that gains
    one hostile document a minute, cycling through CASES."""
    tree = Path(args.tree).resolve()
    cycle = [case for case in CASES if case.where == "article"]
    bodies = {case.name: case.build() for case in cycle}
    with FixtureWeb() as web, tempfile.TemporaryDirectory() as tmp:
        web.set("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        healthy = [f"healthy{i}" for i in range(5)]
        for name in healthy:
            healthy_feed(web, name, 3)
        hostile_items: list[tuple[str, str, str]] = []
        web.set("/hostile.xml", feed(hostile_items), content_type="application/rss+xml")
        config = Path(tmp, "sources.yaml")
        lines = [f'  - {{name: {n}, kind: feed, url: "{web.url(f"/{n}.xml")}"}}' for n in healthy]
        lines.append(f'  - {{name: hostile, kind: feed, url: "{web.url("/hostile.xml")}"}}')
        # Trees before the 60 s minimum interval have no allow_short_interval (an unknown key).
        short = "allow_short_interval" in (tree / "monitor/config.py").read_text()
        config.write_text(
            "settings: {min_delay: 0s, jitter: 0s, backoff: 0s, max_retries: 0, timeout: 10s,"
            + (" allow_short_interval: true," if short else "")
            + " interval: 30s}\nsources:\n"
            + "\n".join(lines)
            + "\n"
        )
        db = Path(tmp, "monitor.db")
        log = Path(tmp, "daemon.log")
        command = ["prlimit", f"--as={int(args.limit_gb * 1024**3)}", "--", sys.executable]
        command += ["-m", "monitor", "--config", str(config), "--db", str(db), "run"]
        with log.open("wb") as out:
            proc = subprocess.Popen(
                command, env=child_env(tree), cwd=tmp, stdout=out, stderr=subprocess.STDOUT
            )
        print(f"# daemon: {tree}, {args.minutes} min, one hostile document a minute")
        print(f"{'minute':>6} {'fed':22} {'max RSS MB':>11} {'healthy polls':>14} {'items':>6}")
        with TreeMemory(proc.pid, interval=0.5) as memory:
            for minute in range(args.minutes):
                case = cycle[minute % len(cycle)]
                path = f"/bad/{case.name}-{minute}"
                web.set(
                    path,
                    bodies[case.name],
                    content_type=case.content_type,
                    headers=dict(case.headers),
                )
                hostile_items.insert(0, (f"bad-{minute}", web.url(path), case.name))
                web.set("/hostile.xml", feed(hostile_items), content_type="application/rss+xml")
                begin = len(memory.samples)
                time.sleep(60)
                window = [rss for _, rss in memory.samples[begin:]] or [0]
                polls, items = counts(db, healthy)
                print(
                    f"{minute + 1:6d} {case.name:22} {max(window) / MB:11.0f} {polls:14d} "
                    f"{items:6d}",
                    flush=True,
                )
                if proc.poll() is not None:
                    print(f"daemon exited with {proc.returncode}")
                    break
            proc.send_signal(signal.SIGTERM)
            try:
                stopped = f"exit {proc.wait(timeout=60)} on SIGTERM"
            except subprocess.TimeoutExpired:
                proc.kill()
                stopped = f"SIGTERM ignored for 60 s, killed ({proc.wait()})"
        text = log.read_text(errors="replace")
        failed = failures(db)
        print(
            f"peak RSS {memory.peak / MB:.0f} MB; {stopped}; tracebacks in log: "
            f"{text.count('Traceback')}; documents recorded as failed: {failed}"
        )
    return 0


def counts(db: Path, healthy: list[str]) -> tuple[int, int]:
    with contextlib.suppress(sqlite3.Error):
        conn = sqlite3.connect(db)
        marks = ",".join("?" * len(healthy))
        polls = (
            conn.execute(
                f"SELECT sum(polls) FROM sources WHERE name IN ({marks})", healthy
            ).fetchone()[0]
            or 0
        )
        items = conn.execute("SELECT count(*) FROM items").fetchone()[0]
        conn.close()
        return int(polls), int(items)
    return 0, 0


def failures(db: Path) -> int:
    with contextlib.suppress(sqlite3.Error):
        conn = sqlite3.connect(db)
        found = conn.execute("SELECT count(*) FROM parse_failures").fetchone()[0]
        conn.close()
        return int(found)
    return 0


def real_pdfs() -> int:
    from monitor.pdfbomb import check_inflation

    files = sorted(glob.glob(str(ROOT.parent / "shared/ofsted-reports/**/*.pdf"), recursive=True))
    largest = total = streams = 0
    slowest = 0.0
    for path in files:
        began = time.perf_counter()
        found = check_inflation(Path(path).read_bytes(), max_stream=2**62, max_total=2**62)
        slowest = max(slowest, time.perf_counter() - began)
        largest, total = max(largest, found.largest), max(total, found.total)
        streams = max(streams, found.streams)
    print(
        f"{len(files)} real reports: largest stream inflates to {largest / MB:.2f} MB, "
        f"largest document to {total / MB:.2f} MB ({streams} streams at most); "
        f"slowest check {slowest * 1000:.0f} ms"
    )
    return 0


def overhead(reads: int = 100) -> int:
    """What the worker costs in the common case: one ordinary article, read ``reads`` times
    in this process and through a warm worker; the worker's start and RSS."""
    from monitor.classify import classify_document
    from monitor.councils import load_councils
    from monitor.models import Document
    from monitor.parse_worker import ParseWorker

    prose = "The council said its teams were more stable and used fewer agency staff. " * 4
    html = (
        "<html><head><title>Wigan children's services rated good</title></head><body><article>"
        "<p>Ofsted has rated Wigan Council's children's services good, up from requires "
        f"improvement.</p>{f'<p>{prose}</p>' * 8}</article></body></html>"
    ).encode()
    doc = Document(source="bench", url="http://127.0.0.1/a", content=html, content_type="text/html")
    councils = load_councils()
    classify_document(doc, councils=councils)
    began = time.perf_counter()
    for _ in range(reads):
        classify_document(doc, councils=councils)
    in_process = (time.perf_counter() - began) / reads
    with ParseWorker() as worker:
        began = time.perf_counter()
        worker.start()
        start = time.perf_counter() - began
        worker.read(doc)
        began = time.perf_counter()
        for _ in range(reads):
            worker.read(doc)
        through = (time.perf_counter() - began) / reads
        rss = psutil.Process(worker.pid).memory_info().rss if worker.pid else 0
    print(
        f"{len(html)} B article, {reads} reads: in-process {in_process * 1000:.1f} ms, through "
        f"the worker {through * 1000:.1f} ms (+{(through - in_process) * 1000:.1f} ms); worker "
        f"start {start:.2f} s, worker RSS {rss / MB:.0f} MB"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tree", default=str(ROOT), help="the source tree to measure")
    parser.add_argument("--label", default="after")
    parser.add_argument("--cases", default="", help="comma-separated input names")
    parser.add_argument("--limit-gb", type=float, default=3.0)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--daemon", action="store_true")
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--real-pdfs", action="store_true")
    parser.add_argument("--overhead", action="store_true", help="the common case's cost")
    args = parser.parse_args()
    if args.real_pdfs:
        return real_pdfs()
    if args.overhead:
        return overhead()
    if args.daemon:
        return daemon(args)
    return inputs(args)


if __name__ == "__main__":
    raise SystemExit(main())
