"""After a crash: how long a held alert waits, and how many same-key re-sends kills cause.

    .venv/bin/python bench/crash_delivery.py [--tree PATH] [--trials 3] [--kills 50]

``--tree`` is the code measured (default: this checkout). For the code before the fix
(issue 15), make a second worktree and pass it:
``git worktree add /work/orig_crash f24a84b``, then ``--tree /work/orig_crash``. Every monitor
runs as a real child process (``python -m monitor`` with ``PYTHONPATH=TREE``) against a local
feed and a local webhook receiver (``monitor.demo.fixtureweb``), killed with SIGKILL.

1. **Delay from a kill to the alert's arrival.** A change alert is being sent when the sender
   is killed: the kill comes the moment the receiver has the POST, before it answers (it
   answers after 0.5 s), so the outbox row stays ``sending``, the worst case. Then, at once:
   the daemon is restarted (``run``), or a cron job runs ``poll --once`` every 10 s. Printed:
   seconds from the kill to the alert's next arrival (same key), per trial, and the largest.
   A trial that has seen nothing after ``--cap`` seconds prints ``>CAP``.
2. **Same-key re-sends in N kills.** ``poll --once`` killed at random moments (while fetching,
   storing and sending; the receiver answers in 50 ms) while rating changes keep arriving; then
   the outbox is settled: one clean ``poll --once``, and a sender with its clock moved past the
   lease (for code that waits for the lease). Printed: kills, alerts, copies received, same-key
   re-sends (copies - alerts), lost alerts, kills after which some row was ``sending`` (held
   by a dead sender), and the alerts that went out only once the clock was moved past the
   lease (those a restart did not send).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

from bench.measure import ROOT, work_dir
from monitor.demo.fixtureweb import FixtureWeb

COUNCILS = [
    "Stockport",
    "Merton",
    "Leeds",
    "Wigan",
    "Bury",
    "Derby",
    "Bolton",
    "Salford",
    "Oldham",
    "Rochdale",
]
SEED = 20261201
SETTLE = r"""
import sys
from datetime import UTC, datetime, timedelta
from monitor.alerts.send import deliver_due
from monitor.config import load_config
config = load_config(sys.argv[1])
later = datetime.now(UTC) + timedelta(hours=1)  # past any lease
print(deliver_due(sys.argv[2], config.settings, config.subscribers, now=later).sent)
"""


class Tree:
    """Runs the monitor of one source tree as child processes."""

    def __init__(self, path: Path, work: Path, senders: int | None = None):
        self.env = {**os.environ, "PYTHONPATH": str(path)}
        self.work = work  # the children's cwd: `python -m` puts it first on sys.path
        knows = "alert_senders_per_host" in (path / "monitor" / "config.py").read_text()
        # Parallel senders (a later change) put several messages in flight per host.
        self.extra = f", alert_senders_per_host: {senders}" if senders and knows else ""

    def start(self, config: Path, db: Path, *command: str) -> subprocess.Popen[bytes]:
        argv = [sys.executable, "-m", "monitor", "--config", str(config), "--db", str(db)]
        return subprocess.Popen(
            [*argv, *command],
            env=self.env,
            cwd=self.work,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def run(self, config: Path, db: Path, *command: str) -> int:
        return self.start(config, db, *command).wait(timeout=600)

    def settle(self, config: Path, db: Path) -> int:
        done = subprocess.run(
            [sys.executable, "-c", SETTLE, str(config), str(db)],
            env=self.env,
            cwd=self.work,
            capture_output=True,
            text=True,
            check=True,
        )
        return int(done.stdout.strip() or 0)


def _story(name: str, grade: str, year: int) -> tuple[str, str, str, datetime]:
    text = (
        f"Ofsted inspectors rated children's services in {name} {grade} after their visit."
        if grade == "good"
        else f"Ofsted has downgraded {name}'s children's services from good to inadequate"
        " after inspectors found serious weaknesses in the help given to children at risk."
    )
    when = datetime(year, 8 if year < 2026 else 11, 20, 9, tzinfo=UTC)
    return f"{name.lower()}-{year}", f"{name} children's services rated {grade}", text, when


def _filler(prefix: str, count: int) -> list[tuple[str, str, str, datetime]]:
    when = datetime(2026, 11, 20, 9, tzinfo=UTC)
    return [
        (
            f"{prefix}{i}",
            f"Local story {prefix}{i}",
            f"Story {prefix}{i}: the council will resurface road {i} and repaint shelter {i}.",
            when,
        )
        for i in range(count)
    ]


def _publish(web: FixtureWeb, stories: list[tuple[str, str, str, datetime]]) -> None:
    items = ""
    for slug, title, text, when in stories:
        web.set(
            f"/news/{slug}",
            f"<html><head><title>{title}</title><meta property='article:published_time'"
            f" content='{when.isoformat()}'></head><body><article><h1>{title}</h1><p>{text}</p>"
            "</article></body></html>",
            delay=0.02,
        )
        items += (
            f"<item><title>{title}</title><link>{web.url(f'/news/{slug}')}</link>"
            f"<guid>{slug}</guid><pubDate>{format_datetime(when)}</pubDate></item>"
        )
    web.set(
        "/feed.xml",
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>{items}'
        "</channel></rss>",
        content_type="application/rss+xml",
    )


def _config(folder: Path, web: FixtureWeb, hook: FixtureWeb, extra: str = "") -> Path:
    # Only keys the tree knows: the code before the fix refuses unknown keys. Alert retries
    # keep their default backoff (60 s), as in a real deployment.
    path = folder / "sources.yaml"
    path.write_text(
        "settings: {min_delay: 0s, jitter: 0s, backoff: 0s, max_retries: 0,"
        f" max_articles_per_poll: 200{extra}}}\n"
        f"sources:\n  - {{name: paper, kind: feed, url: '{web.url('/feed.xml')}'}}\n"
        "subscribers:\n"
        f"  - {{name: desk, notify: ['json://{hook.base_url.removeprefix('http://')}/hook']}}\n"
    )
    return path


def _posts(hook: FixtureWeb) -> list[tuple[float, str]]:
    return [
        (r.started, json.loads(r.body)["delivery"]) for r in hook.requests if r.method == "POST"
    ]


def _query(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _wait(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def _kill(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


# -- 1. delay from a kill to the alert's arrival ----------------------------------------------
def restart_delay(tree: Tree, mode: str, trials: int, cap: float) -> list[float | None]:
    delays: list[float | None] = []
    for trial in range(trials):
        folder = work_dir(f"crash-{mode}-{trial}")
        tree.work = folder
        with FixtureWeb() as web, FixtureWeb() as hook:
            hook.set("/hook", b"ok", content_type="text/plain", conditional=False, delay=0.5)
            config, db = _config(folder, web, hook, tree.extra), folder / "monitor.db"
            _publish(web, [_story("Stockport", "good", 2017)])
            tree.run(config, db, "poll", "--once", "--no-deliver")  # the silent backfill
            _publish(
                web, [_story("Stockport", "good", 2017), _story("Stockport", "inadequate", 2026)]
            )
            tree.run(config, db, "poll", "--once", "--no-deliver")  # the change, queued
            sender = tree.start(config, db, *(["run"] if mode == "run" else ["poll", "--once"]))
            try:
                sent = _wait(lambda: len(_posts(hook)) >= 1, 120)
            finally:
                _kill(sender)  # the receiver has it and has not answered: the row is `sending`
            if not sent:
                raise SystemExit(f"{mode}: the alert was never sent")
            killed = time.time()
            (key,) = {k for _, k in _posts(hook)}
            state = _query(db, "SELECT state FROM outbox")
            if mode == "run":
                daemon = tree.start(config, db, "run")
                try:
                    arrived = _wait(lambda: len(_posts(hook)) >= 2, cap)
                finally:
                    daemon.send_signal(signal.SIGTERM)
                    daemon.wait(timeout=60)
            else:  # cron: poll --once every 10 s
                arrived = False
                while time.time() - killed < cap and not arrived:
                    tree.run(config, db, "poll", "--once")
                    arrived = len(_posts(hook)) >= 2
                    if not arrived:
                        time.sleep(max(0.0, 10 - (time.time() - killed) % 10))
            again = [t for t, k in _posts(hook)[1:] if k == key]
            delay = again[0] - killed if arrived and again else None
            delays.append(delay)
            shown = f"{delay:6.1f} s" if delay is not None else f">{cap:g} s"
            print(f"  {mode:<8} trial {trial + 1}: row left {state[0][0]}; next copy {shown} later")
    return delays


# -- 2. same-key re-sends in N kills ----------------------------------------------------------
def resends(tree: Tree, kills_wanted: int) -> dict[str, int]:
    folder = work_dir("crash-resends")
    tree.work = folder
    rng = random.Random(SEED)
    with FixtureWeb() as web, FixtureWeb() as hook:
        hook.set("/hook", b"ok", content_type="text/plain", conditional=False, delay=0.05)
        web.set("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        config, db = _config(folder, web, hook, tree.extra), folder / "monitor.db"
        stories = [_story(name, "good", 2017) for name in COUNCILS]
        _publish(web, stories)
        tree.run(config, db, "poll", "--once")  # the silent backfill
        kills = left_sending = runs = 0
        while kills < kills_wanted:
            runs += 1
            stories += _filler(f"r{runs}-", 3)
            if runs % 5 == 1 and runs // 5 < len(COUNCILS):
                stories.append(_story(COUNCILS[runs // 5], "inadequate", 2026))
            _publish(web, stories)
            target = len(web.requests) + len(hook.requests) + rng.randint(1, 12)
            child = tree.start(config, db, "poll", "--once")

            def working(child: subprocess.Popen[bytes] = child, target: int = target) -> bool:
                # Around the k-th request of this run: fetching, storing or sending alerts.
                return len(web.requests) + len(hook.requests) >= target or child.poll() is not None

            _wait(working, 60)
            time.sleep(rng.uniform(0, 0.03))
            if child.poll() is None:
                _kill(child)
                kills += 1
                left_sending += bool(_query(db, "SELECT 1 FROM outbox WHERE state = 'sending'"))
            else:
                child.wait()
        tree.run(config, db, "poll", "--once")  # a clean run
        settled = tree.settle(config, db)  # and past the lease, for code that waits for it
        keys = {str(k) for (k,) in _query(db, "SELECT key FROM outbox")}
        copies = Counter(k for _, k in _posts(hook))
    from monitor.store.outbox import dedup_key  # the key formula is the same in both trees

    expected = {dedup_key(k) for k in keys}
    return {
        "runs": runs,
        "kills": kills,
        "kills after which a row was sending": left_sending,
        "alerts": len(expected),
        "copies received": sum(copies.values()),
        "same-key re-sends": sum(copies.values()) - len(copies),
        "lost": len(expected - set(copies)),
        "sent only once the clock was moved an hour on (lease or backoff)": settled,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, default=ROOT, help="the code to measure")
    parser.add_argument("--trials", type=int, default=3, help="kills per restart mode")
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--cap", type=float, default=420.0, help="seconds to wait for an alert")
    parser.add_argument("--only", choices=["delay", "resends"], default=None)
    parser.add_argument(
        "--senders", type=int, default=None, help="alert_senders_per_host, if the tree has it"
    )
    args = parser.parse_args()
    tree = Tree(args.tree.resolve(), ROOT, args.senders)
    print(f"tree: {args.tree.resolve()}; settings: defaults{tree.extra or ''}")
    if args.only in (None, "delay"):
        print("1. delay from a kill (mid-send) to the alert's arrival")
        for mode in ("run", "cron-10s"):
            delays = restart_delay(tree, mode, args.trials, args.cap)
            worst = max((d if d is not None else float("inf")) for d in delays)
            print(f"  {mode}: largest delay {worst:.1f} s over {len(delays)} kills")
    if args.only in (None, "resends"):
        print(f"2. same-key re-sends in {args.kills} kills of poll --once")
        for name, value in resends(tree, args.kills).items():
            print(f"  {name}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
