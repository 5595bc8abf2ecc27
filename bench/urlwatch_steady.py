"""The steady state against urlwatch 2.29: N unchanged RSS feeds on 10 loopback hosts.

Run as ``bench/urlwatch_compare.py steady`` (see there for the options). The feeds are
served by ``bench/feed_server.py`` in a process of its own, over HTTP or HTTPS (a test CA made
here with trustme; the monitor trusts it through its ``ca_bundle`` setting and urlwatch through
``REQUESTS_CA_BUNDLE``; neither turns verification off). Each tool is measured by
``/usr/bin/time`` (user + system CPU seconds and peak RSS of exactly that process).

For each size and scheme:

1. start-up: ``monitor poll --once`` with no sources (rounds, median);
2. the first run of each tool on an empty state (the monitor stores every feed entry as an
   item: its CPU per stored article is printed), then one unmeasured warm-up run each;
3. ``rounds`` alternations of ``monitor poll --once`` and ``urlwatch`` on the unchanged feeds:
   medians of CPU and peak RSS, the ratios, and the connections and conditional requests the
   feed server saw per run;
4. the daemon: ``monitor run`` on the same database with every source on a short interval;
   its own per-cycle log line (``time.process_time`` deltas, all threads) gives the CPU per
   cycle, the first cycle (start-up, robots.txt) left out. That is the cost a server pays
   per cycle, against urlwatch's cost per run (urlwatch has no daemon; cron starts it).
"""

from __future__ import annotations

import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bench.measure import ROOT, monitor_argv, work_dir

CYCLE_LINE = re.compile(r"cycle: (\d+) polls in ([\d.]+) s wall, ([\d.]+) s CPU")
URLWATCH_HINT = (
    "urlwatch 2.29 not found. Install it into a venv of its own, outside the project:\n"
    "    python3 -m venv /work/urlwatch-venv && /work/urlwatch-venv/bin/pip install"
    " urlwatch==2.29\n"
    "and/or point URLWATCH_VENV at that venv."
)


def find_urlwatch() -> Path | None:
    """urlwatch from $URLWATCH_VENV, /work/urlwatch-venv or bench/out/urlwatch-venv."""
    candidates = [os.environ.get("URLWATCH_VENV", "")]
    candidates += ["/work/urlwatch-venv", str(ROOT / "bench" / "out" / "urlwatch-venv")]
    for venv in filter(None, candidates):
        binary = Path(venv) / "bin" / "urlwatch"
        if binary.exists():
            return binary
    return None


@dataclass(frozen=True)
class Run:
    cpu: float  # user + system seconds
    rss_mb: float  # peak resident set, MiB
    wall: float
    returncode: int


def timed(argv: Sequence[str], *, log: Path, env: dict[str, str]) -> Run:
    """Run ``argv`` under /usr/bin/time: its own CPU and peak RSS, nobody else's."""
    with tempfile.NamedTemporaryFile("r", suffix=".time", delete=False) as report:
        out = Path(report.name)
    try:
        with open(log, "ab") as sink:
            code = subprocess.call(
                ["/usr/bin/time", "-o", str(out), "-f", "%e %U %S %M", *argv],
                stdout=sink,
                stderr=sink,
                env=env,
            )
        wall, user, system, kib = out.read_text().split()[-4:]
    finally:
        out.unlink(missing_ok=True)
    return Run(float(user) + float(system), int(kib) / 1024, float(wall), code)


class FeedServer:
    """bench/feed_server.py as a child process."""

    def __init__(self, feeds: int, hosts: int, tls: tuple[Path, Path] | None, env: dict[str, str]):
        argv = [sys.executable, "-m", "bench.feed_server", "--feeds", str(feeds)]
        argv += ["--hosts", str(hosts)]
        if tls:
            argv += ["--tls-cert", str(tls[0]), "--tls-key", str(tls[1])]
        self.child = subprocess.Popen(
            argv, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
        )
        assert self.child.stdout is not None
        self.sources: list[dict[str, Any]] = json.loads(self.child.stdout.readline())["sources"]

    def stats(self) -> dict[str, int]:
        assert self.child.stdin is not None and self.child.stdout is not None
        self.child.stdin.write("stats\n")
        self.child.stdin.flush()
        counts: dict[str, int] = json.loads(self.child.stdout.readline())
        return counts

    def stop(self) -> None:
        assert self.child.stdin is not None
        self.child.stdin.close()
        self.child.wait(timeout=30)


def make_tls(work: Path) -> tuple[Path, Path, Path]:
    """(certificate chain, key, CA bundle) for 127.0.1.x from a throwaway test CA."""
    import trustme  # test extra: only the HTTPS runs need it

    ca = trustme.CA()
    cert = ca.issue_cert(*[f"127.0.1.{i}" for i in range(1, 251)], "127.0.0.1")
    chain, key, bundle = work / "server.pem", work / "server.key", work / "ca.pem"
    cert.private_key_pem.write_to_path(str(key))
    chain.write_bytes(b"".join(blob.bytes() for blob in cert.cert_chain_pems))
    ca.cert_pem.write_to_path(str(bundle))
    return chain, key, bundle


@dataclass
class SizeResult:
    feeds: int
    scheme: str
    startup: list[float] = field(default_factory=list)
    first_cpu: float = 0.0
    first_articles: int = 0
    ours: list[Run] = field(default_factory=list)
    theirs: list[Run] = field(default_factory=list)
    ours_stats: list[dict[str, int]] = field(default_factory=list)
    theirs_stats: list[dict[str, int]] = field(default_factory=list)
    urlwatch_first: float = 0.0
    cycles: list[tuple[int, float, float]] = field(default_factory=list)  # polls, wall, cpu
    daemon_stats: dict[str, int] = field(default_factory=dict)

    def ours_cpu(self) -> float:
        return statistics.median(r.cpu for r in self.ours)

    def theirs_cpu(self) -> float:
        return statistics.median(r.cpu for r in self.theirs)

    def cycle_cpu(self) -> float:
        return statistics.median(c[2] for c in self.cycles) if self.cycles else float("nan")


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # users' installs have their .pyc files
    env.update(extra or {})
    return env


def stored_articles(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(db) as connection:
        return int(connection.execute("select count(*) from items").fetchone()[0])


def measure_size(
    feeds: int, *, https: bool, rounds: int, urlwatch: Path, daemon_cycles: int, hosts: int
) -> SizeResult:
    scheme = "https" if https else "http"
    work = work_dir(f"steady-{feeds}-{scheme}")
    result = SizeResult(feeds, scheme)
    tls = make_tls(work) if https else None
    ours_env = child_env()
    theirs_env = child_env({"REQUESTS_CA_BUNDLE": str(tls[2])} if tls else {})
    server = FeedServer(feeds, hosts, (tls[0], tls[1]) if tls else None, child_env())
    log = work / "runs.log"
    try:
        settings: dict[str, Any] = {"min_delay": 0, "jitter": 0}
        if tls:
            settings["ca_bundle"] = str(tls[2])
        config, db = work / "sources.yaml", work / "monitor.db"
        document = {"settings": settings, "sources": server.sources, "subscribers": []}
        config.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        empty = work / "empty.yaml"
        empty.write_text("sources: []\n", encoding="utf-8")
        poll = monitor_argv(config, db, "poll", "--once")
        jobs, uw_config, cache = urlwatch_files(work, [s["url"] for s in server.sources])
        uw_argv = [str(urlwatch), "--urls", str(jobs), "--config", str(uw_config)]
        uw_argv += ["--cache", str(cache)]

        for _ in range(rounds):
            run = timed(monitor_argv(empty, work / "empty.db", "poll", "--once"), log=log,
                        env=ours_env)  # fmt: skip
            result.startup.append(run.cpu)
        first = timed(poll, log=log, env=ours_env)
        result.first_cpu, result.first_articles = first.cpu, stored_articles(db)
        result.urlwatch_first = timed(uw_argv, log=log, env=theirs_env).cpu
        timed(poll, log=log, env=ours_env)  # warm-up: every feed answers 304 from now on
        timed(uw_argv, log=log, env=theirs_env)
        server.stats()
        for _ in range(rounds):
            result.ours.append(timed(poll, log=log, env=ours_env))
            result.ours_stats.append(server.stats())
            result.theirs.append(timed(uw_argv, log=log, env=theirs_env))
            result.theirs_stats.append(server.stats())
        if daemon_cycles:
            result.cycles, result.daemon_stats = run_daemon(
                work, document, db, feeds=feeds, cycles=daemon_cycles, env=ours_env, server=server
            )
    finally:
        server.stop()
    failures = [r for r in result.ours + result.theirs if r.returncode != 0]
    if failures:
        print(f"  warning: {len(failures)} runs exited non-zero; see {log}", flush=True)
    return result


def run_daemon(
    work: Path,
    document: dict[str, Any],
    db: Path,
    *,
    feeds: int,
    cycles: int,
    env: dict[str, str],
    server: FeedServer,
) -> tuple[list[tuple[int, float, float]], dict[str, int]]:
    """``monitor run`` until it has logged ``cycles`` cycles after its first one."""
    interval = max(10, feeds // 50)  # seconds; a cycle of 10 hosts x N/10 feeds fits in it
    settings = {**document["settings"], "interval": f"{interval}s", "allow_short_interval": True}
    config = work / "daemon.yaml"
    config.write_text(yaml.safe_dump({**document, "settings": settings}, sort_keys=False))
    log = work / "daemon.log"
    server.stats()
    with open(log, "wb") as sink:
        child = subprocess.Popen(
            monitor_argv(config, db, "run"), stdout=sink, stderr=sink, env=env, cwd=work
        )
        deadline = time.monotonic() + interval * (cycles + 3) + 60
        try:
            while time.monotonic() < deadline and child.poll() is None:
                if len(CYCLE_LINE.findall(log.read_text(errors="replace"))) > cycles:
                    break
                time.sleep(1)
        finally:
            child.send_signal(signal.SIGTERM)
            child.wait(timeout=60)
    found = [(int(n), float(w), float(c)) for n, w, c in CYCLE_LINE.findall(log.read_text())]
    return found[1 : cycles + 1], server.stats()


def urlwatch_files(work: Path, urls: list[str]) -> tuple[Path, Path, Path]:
    from bench.urlwatch_compare import urlwatch_files as files

    return files(work, urls)


def report(results: list[SizeResult], rounds: int) -> None:
    print(f"\nmedians of {rounds} alternating runs; CPU = user + system s of the whole process")
    head = (
        f"{'feeds':>5s} {'scheme':>6s} | {'poll --once CPU':>15s} {'urlwatch CPU':>12s}"
        f" {'ratio':>5s} | {'ours RSS':>8s} {'urlwatch RSS':>12s} {'ratio':>5s} |"
        f" {'daemon cycle CPU':>16s} {'ratio':>5s} | {'ms/feed':>7s} | {'conn/run':>12s}"
    )
    print(head)
    print("-" * len(head))
    for r in results:
        ours_rss = statistics.median(x.rss_mb for x in r.ours)
        theirs_rss = statistics.median(x.rss_mb for x in r.theirs)
        startup = statistics.median(r.startup)
        per_feed = 1000 * (r.ours_cpu() - startup) / r.feeds
        conn = statistics.median(s["connections"] for s in r.ours_stats)
        uw_conn = statistics.median(s["connections"] for s in r.theirs_stats)
        print(
            f"{r.feeds:5d} {r.scheme:>6s} | {r.ours_cpu():13.3f} s {r.theirs_cpu():10.3f} s"
            f" {r.ours_cpu() / r.theirs_cpu():5.2f} | {ours_rss:6.1f} MB {theirs_rss:9.1f} MB"
            f" {ours_rss / theirs_rss:5.2f} | {r.cycle_cpu():14.3f} s"
            f" {r.cycle_cpu() / r.theirs_cpu():5.2f} | {per_feed:7.3f} |"
            f" {conn:5.0f} / {uw_conn:<5.0f}"
        )
    print("\nratio = monitor / urlwatch; ms/feed = (poll --once CPU - start-up CPU) / feeds;")
    print("conn/run = TCP connections the feed server accepted per run (monitor / urlwatch)")
    for r in results:
        startup = statistics.median(r.startup)
        per_article = 1000 * r.first_cpu / max(r.first_articles, 1)
        net = 1000 * (r.first_cpu - startup) / max(r.first_articles, 1)
        conditional = statistics.median(s["conditional"] for s in r.ours_stats)
        uw_conditional = statistics.median(s["conditional"] for s in r.theirs_stats)
        requests = statistics.median(s["requests"] for s in r.ours_stats)
        uw_requests = statistics.median(s["requests"] for s in r.theirs_stats)
        print(
            f"\n{r.feeds} feeds, {r.scheme}: start-up (0 sources) {startup:.3f} s CPU"
            f" (runs: {', '.join(f'{x:.2f}' for x in r.startup)})"
        )
        print(
            f"  first run: monitor {r.first_cpu:.2f} s CPU for {r.first_articles} new articles"
            f" = {per_article:.2f} ms each ({net:.2f} ms without start-up);"
            f" urlwatch {r.urlwatch_first:.2f} s"
        )
        print(
            f"  poll --once CPU runs: {', '.join(f'{x.cpu:.2f}' for x in r.ours)};"
            f" urlwatch: {', '.join(f'{x.cpu:.2f}' for x in r.theirs)}"
        )
        print(
            f"  requests per run (conditional): monitor {requests:.0f} ({conditional:.0f}),"
            f" urlwatch {uw_requests:.0f} ({uw_conditional:.0f})"
        )
        if r.cycles:
            cycles = ", ".join(f"{c:.3f}" for _, _, c in r.cycles)
            walls = ", ".join(f"{w:.1f}" for _, w, _ in r.cycles)
            stats = r.daemon_stats
            print(
                f"  daemon cycles ({r.cycles[0][0]} polls each): CPU {cycles} s; wall {walls} s;"
                f" server saw {stats.get('connections', 0)} connections,"
                f" {stats.get('requests', 0)} requests during the daemon's run"
            )


def steady(
    sizes: Sequence[int], *, schemes: Sequence[str], rounds: int, daemon_cycles: int, hosts: int
) -> int:
    urlwatch = find_urlwatch()
    if urlwatch is None:
        print(URLWATCH_HINT)
        return 1
    # Compiled once, as an installed package is; the children then load .pyc files.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "monitor")], check=True)
    results = []
    for feeds in sizes:
        for scheme in schemes:
            print(f"measuring {feeds} feeds on {hosts} hosts over {scheme} ...", flush=True)
            results.append(
                measure_size(
                    feeds,
                    https=scheme == "https",
                    rounds=rounds,
                    urlwatch=urlwatch,
                    daemon_cycles=daemon_cycles,
                    hosts=hosts,
                )
            )
    report(results, rounds)
    return 0
