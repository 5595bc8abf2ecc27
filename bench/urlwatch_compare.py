"""This monitor against urlwatch 2.29 on the same fixture web and the same scripted changes.

The world is the offline demo's (``monitor.demo.DemoWorld``): an Ofsted-like reports site,
three news feeds and a council news page on 127.0.0.1. urlwatch watches the equivalent job
list (the search page, every provider page, the feeds and the listing page); the monitor has
the demo's sources and a subscriber with an email (SMTP sink) and a webhook channel. Both
tools run once per step, as from cron: a first run (urlwatch records the pages; the monitor
makes its silent backfill), then one run after each scripted change (cosmetic changes, news
that is not a rating, two rating changes each reported by several sources, a syndicated copy,
an ungraded focused visit).

Truth: the two councils whose ratings change. An alert is correct when it is about one of them
(for urlwatch: a changed job whose new content carries that rating change). Precision is the
share of alerts that are correct; recall the share of rating changes with at least one correct
alert; duplicates are correct alerts beyond the first per change.

urlwatch is installed from PyPI into bench/out/urlwatch-venv by this script (needs network
once); the monitor runs from this interpreter.

    .venv/bin/python bench/urlwatch_compare.py

``steady`` measures the other side, cost: N unchanged feeds, both tools alternating, and the
daemon's per-cycle CPU (see ``bench/urlwatch_steady.py``):

    nice -n 5 .venv/bin/python bench/urlwatch_compare.py steady [--sizes 100 500 2000]
        [--schemes http https] [--rounds 5] [--daemon-cycles 3] [--hosts 10]

urlwatch comes from $URLWATCH_VENV, /work/urlwatch-venv or bench/out/urlwatch-venv (in that
order); ``steady`` says so plainly and stops when none exists, rather than installing.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import OUT, Usage, measure, monitor_argv, work_dir
from monitor.demo.world import DemoWorld, MailSink, WebhookReceiver, demo_config

URLWATCH = "urlwatch==2.29"
VENV = OUT / "urlwatch-venv"
CHANGED_LINE = re.compile(r"^CHANGED: .* \( (https?://\S+) \)$")  # a report detail header


@dataclass
class Tally:
    """One tool's cost and alerts over the whole run."""

    name: str
    wall: float = 0.0
    cpu: float = 0.0
    peak_rss_mb: float = 0.0
    failures: int = 0
    alerts: list[tuple[int, str]] = field(default_factory=list)  # (step, subject or URL)
    correct: list[tuple[int, str]] = field(default_factory=list)  # (step, council)

    def add(self, usage: Usage) -> None:
        self.wall += usage.wall
        self.cpu += usage.cpu
        self.peak_rss_mb = max(self.peak_rss_mb, usage.peak_rss_mb)
        self.failures += usage.returncode != 0

    def scores(self, truth: list[str]) -> tuple[float, float, int]:
        """(precision, recall, duplicates)."""
        covered = {council for _, council in self.correct}
        precision = len(self.correct) / len(self.alerts) if self.alerts else 1.0
        recall = len(covered & set(truth)) / len(truth) if truth else 1.0
        return precision, recall, len(self.correct) - len(covered)


def ensure_urlwatch() -> Path:
    """urlwatch from $URLWATCH_VENV or /work/urlwatch-venv if there, else
    bench/out/urlwatch-venv/bin/urlwatch, installing it on first use."""
    from bench.urlwatch_steady import find_urlwatch

    found = find_urlwatch()
    if found is not None:
        return found
    binary = VENV / "bin" / "urlwatch"
    if not binary.exists():
        print(f"installing {URLWATCH} into {VENV} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
        pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        subprocess.run([*pip, URLWATCH], check=True)
    return binary


def urlwatch_files(work: Path, urls: list[str]) -> tuple[Path, Path, Path]:
    jobs, config, cache = work / "urls.yaml", work / "urlwatch.yaml", work / "cache.db"
    jobs.write_text(
        yaml.safe_dump_all([{"name": f"job-{i}", "url": u} for i, u in enumerate(urls)]),
        encoding="utf-8",
    )
    settings = {
        "display": {"new": True, "error": True, "unchanged": False},
        "report": {
            "text": {"line_length": 100, "details": True, "footer": False, "minimal": False},
            "stdout": {"enabled": True, "color": False},
            "email": {"enabled": False},
            "html": {"diff": "unified"},
        },
    }
    config.write_text(yaml.safe_dump(settings), encoding="utf-8")
    return jobs, config, cache


def urlwatch_changes(output: str) -> list[str]:
    """The URLs of the jobs a urlwatch report says CHANGED."""
    changed = []
    for line in output.splitlines():
        match = CHANGED_LINE.match(line.strip())
        if match:
            changed.append(match.group(1))
    return changed


def council_of(text: str, councils: list[str]) -> str | None:
    return next((c for c in councils if c.lower() in text.lower()), None)


def run(work: Path) -> int:
    binary = ensure_urlwatch()
    world, mail, hook = DemoWorld(), MailSink(), WebhookReceiver()
    ours, theirs = Tally("ofsted-monitor"), Tally("urlwatch 2.29")
    world.start()
    mail.start()
    hook.start()
    try:
        config, db = work / "sources.yaml", work / "monitor.db"
        settings = demo_config(world, mail, hook, interval=60)
        config.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
        jobs, uw_config, cache = urlwatch_files(work, world.watched_urls())
        uw_argv = [str(binary), "--urls", str(jobs), "--config", str(uw_config)]
        uw_argv += ["--cache", str(cache)]
        poll = monitor_argv(config, db, "poll", "--once")
        truth = world.truth()
        steps = [None, *world.steps]
        print(f"{'step':<78s} {'ours':>5s} {'urlwatch':>8s}")
        for number, step in enumerate(steps):
            if step is not None:
                step.apply()
            before = len(hook.bodies)
            ours.add(measure(poll, log=work / "monitor.log"))
            for body in hook.bodies[before:]:
                text = f"{body.get('title', '')} {body.get('message', '')}"
                ours.alerts.append((number, str(body.get("title", ""))))
                council = council_of(text, truth)
                if council is not None:
                    ours.correct.append((number, council))
            log = work / f"urlwatch-{number:02d}.txt"
            log.unlink(missing_ok=True)
            theirs.add(measure(uw_argv, log=log))
            changed = urlwatch_changes(log.read_text(encoding="utf-8", errors="replace"))
            for url in changed:
                theirs.alerts.append((number, url))
                if step is not None and step.rating and url in step.rating_urls:
                    theirs.correct.append((number, step.rating))
            label = "first run (urlwatch records pages; monitor backfills silently)"
            if step is not None:
                label = step.label
            new_ours = len(hook.bodies) - before
            print(f"{number:2d} {label[:75]:<75s} {new_ours:5d} {len(changed):8d}", flush=True)
    finally:
        hook.stop()
        mail.stop()
        world.stop()
    print(f"\nscripted rating changes (truth): {len(truth)} ({', '.join(truth)})")
    print(f"monitor emails received: {len(mail.messages)}; webhook posts: {len(hook.bodies)}")
    columns = [("tool", 16), ("wall s", 7), ("CPU s", 7), ("peak RSS MB", 12), ("alerts", 7)]
    columns += [("precision", 10), ("recall", 7), ("duplicates", 11), ("failed runs", 12)]
    print("\n" + " ".join(f"{h:>{w}s}" if i else f"{h:<{w}s}" for i, (h, w) in enumerate(columns)))
    for tally in (ours, theirs):
        precision, recall, duplicates = tally.scores(truth)
        print(
            f"{tally.name:<16s} {tally.wall:7.2f} {tally.cpu:7.2f} {tally.peak_rss_mb:12.1f}"
            f" {len(tally.alerts):7d} {precision:10.2f} {recall:7.2f} {duplicates:11d}"
            f" {tally.failures:12d}"
        )
    print("\n(monitor alerts counted on the webhook channel; the email channel got the same.)")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] != ["steady"]:
        return run(work_dir("urlwatch-compare"))
    from bench.urlwatch_steady import steady

    parser = argparse.ArgumentParser(prog="urlwatch_compare.py steady")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 500, 2000])
    parser.add_argument(
        "--schemes", nargs="+", choices=["http", "https"], default=["http", "https"]
    )
    parser.add_argument("--rounds", type=int, default=5, help="alternations of the two tools")
    parser.add_argument("--daemon-cycles", type=int, default=3, help="0: no daemon run")
    parser.add_argument("--hosts", type=int, default=10)
    args = parser.parse_args(argv[1:])
    return steady(
        args.sizes,
        schemes=args.schemes,
        rounds=args.rounds,
        daemon_cycles=args.daemon_cycles,
        hosts=args.hosts,
    )


if __name__ == "__main__":
    sys.exit(main())
