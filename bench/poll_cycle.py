"""Poll-cycle cost: ``monitor poll --once`` over N fixture sources on 127.0.0.1.

For each N (default 100, 500, 2000) it serves N sources (half RSS feeds, half council-style
listing pages, 10 stories each) from this process, then measures two cycles of the daemon
running in a child process: the first (everything new: listings, feeds and articles fetched,
extracted, classified, stored as a silent backfill) and the second, after 10% of the sources
got a new story (the other 90% answer 304).

    .venv/bin/python bench/poll_cycle.py [--sizes 100 500 2000] [--changed 0.1] [--hosts H]
"""

from __future__ import annotations

import argparse
import io
import pstats
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.fixture_sources import SourceFarm
from bench.measure import Usage, drop_database, measure, monitor_argv, work_dir


def run_size(
    count: int, *, changed: float, hosts: int | None, min_delay: float, profile: bool = False
) -> list[str]:
    work = work_dir(f"poll-{count}")
    config, db, log = work / "sources.yaml", work / "monitor.db", work / "monitor.log"
    rows = []
    with SourceFarm(count, hosts=hosts) as farm:
        config.write_text(farm.config_yaml(min_delay=min_delay), encoding="utf-8")
        argv = monitor_argv(config, db, "poll", "--once")
        for cycle, label in enumerate(("first (all new)", f"second ({1 - changed:.0%} unchanged)")):
            if cycle:
                farm.change(changed)
            farm.reset_logs()
            stats = work / f"cycle{cycle + 1}.prof"
            usage = measure(profiled(argv, stats) if profile else argv, log=log)
            requests, conditional = farm.request_counts()
            rows.append(_row(count, farm.hosts, label, usage, requests, conditional))
            if usage.returncode != 0:
                rows.append(f"    exit code {usage.returncode}: see {log}")
            if profile:
                rows.append(hotspots(stats))
    drop_database(work)
    return rows


def profiled(argv: list[str], stats: Path) -> list[str]:
    """``python -m cProfile -o STATS -m monitor ...`` in place of ``python -m monitor ...``."""
    return [argv[0], "-m", "cProfile", "-o", str(stats), *argv[1:]]


def hotspots(stats: Path, count: int = 15) -> str:
    buffer = io.StringIO()
    pstats.Stats(str(stats), stream=buffer).sort_stats("cumulative").print_stats(count)
    return buffer.getvalue()


def baseline() -> str:
    """The fixed cost of one ``monitor poll --once`` process: interpreter, imports, database."""
    work = work_dir("poll-0")
    config = work / "sources.yaml"
    config.write_text("sources: []\n", encoding="utf-8")
    usage = measure(monitor_argv(config, work / "monitor.db", "poll", "--once"))
    drop_database(work)
    return f"    0 sources    0 hosts  {'start-up only':22s} {usage.row()}"


def _row(count: int, hosts: int, label: str, usage: Usage, requests: int, conditional: int) -> str:
    return (
        f"{count:5d} sources {hosts:4d} hosts  {label:22s} {usage.row()}"
        f"  {requests:6d} requests ({conditional} conditional)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 500, 2000])
    parser.add_argument("--changed", type=float, default=0.1, help="share changed in cycle 2")
    parser.add_argument("--hosts", type=int, default=None, help="loopback hosts (default N/10)")
    parser.add_argument("--min-delay", type=float, default=0.0, help="settings.min_delay, s")
    parser.add_argument("--profile", action="store_true", help="cProfile each cycle (slower)")
    args = parser.parse_args(argv)
    print(f"poll cycle: per_host_concurrency 1, min_delay {args.min_delay}s, obey_robots true")
    print(baseline(), flush=True)
    for count in args.sizes:
        options = {"changed": args.changed, "hosts": args.hosts, "min_delay": args.min_delay}
        for line in run_size(count, **options, profile=args.profile):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
