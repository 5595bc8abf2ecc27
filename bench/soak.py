"""Daemon memory over a soak: ``monitor run`` polling fixture sources every 10 seconds.

It serves N fixture sources (default 100: feeds and council listing pages, see
fixture_sources.py) from this process, starts the daemon in a child process with every source
on a 10-second interval, gives 10% of the sources a new story every minute (so the daemon keeps
fetching, extracting, classifying and storing), samples the daemon's RSS every 30 seconds,
then stops it with SIGTERM and prints the series, the maximum and the growth after warm-up.

    .venv/bin/python bench/soak.py [--minutes 30] [--sources 100] [--interval 10]
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.fixture_sources import SourceFarm
from bench.measure import monitor_argv, work_dir

SAMPLE_EVERY = 30.0
CHANGE_EVERY = 60.0


def rss_mb(process: psutil.Process) -> float:
    """The daemon's RSS with its children's (the parse worker reads documents in one)."""
    total = process.memory_info().rss
    for child in process.children(recursive=True):
        try:
            total += child.memory_info().rss
        except psutil.Error:  # a worker that just exited
            continue
    return float(total) / 2**20


def soak(minutes: float, sources: int, interval: float) -> int:
    work = work_dir("soak")
    config, db, log = work / "sources.yaml", work / "monitor.db", work / "daemon.log"
    with SourceFarm(sources) as farm, open(log, "wb") as log_file:
        settings = {
            "allow_short_interval": True,
            "interval": f"{interval}s",
            "min_delay": 0.05,
            "jitter": 0,
        }
        config.write_text(farm.config_yaml(**settings), encoding="utf-8")
        argv = monitor_argv(config, db, "-v", "run")  # -v: the daemon logs each poll
        child = subprocess.Popen(argv, stdout=log_file, stderr=log_file)
        process = psutil.Process(child.pid)
        print(
            f"soak: {sources} sources, interval {interval:g}s, {minutes:g} min;"
            f" daemon pid {child.pid}"
        )
        samples: list[tuple[float, float]] = []
        started = last_change = time.monotonic()
        end = started + minutes * 60
        next_sample = started + SAMPLE_EVERY
        try:
            while time.monotonic() < end and child.poll() is None:
                now = time.monotonic()
                if now - last_change >= CHANGE_EVERY:
                    farm.change(0.1)
                    last_change = now
                if now >= next_sample:
                    samples.append((now - started, rss_mb(process)))
                    print(f"  t={samples[-1][0]:6.0f}s  RSS {samples[-1][1]:6.1f} MB", flush=True)
                    next_sample += SAMPLE_EVERY
                time.sleep(0.5)
            if child.poll() is None:
                samples.append((time.monotonic() - started, rss_mb(process)))
                print(f"  t={samples[-1][0]:6.0f}s  RSS {samples[-1][1]:6.1f} MB (end)")
        finally:
            child.send_signal(signal.SIGTERM)
            code = child.wait(timeout=60)
        requests, conditional = farm.request_counts()
    return _summary(samples, code, requests, conditional, log)


def _summary(
    samples: list[tuple[float, float]], code: int, requests: int, conditional: int, log: Path
) -> int:
    if not samples:
        print(f"no samples: the daemon exited early with {code}; see {log}")
        return 1
    values = [mb for _, mb in samples]
    warm = values[min(2, len(values) - 1)]  # after the first minute: caches and imports done
    print(f"max RSS {max(values):.1f} MB; first {values[0]:.1f} MB, last {values[-1]:.1f} MB,")
    print(f"growth after the first minute {values[-1] - warm:+.1f} MB")
    print(f"{requests} requests served ({conditional} conditional); daemon exit code {code}")
    return 0 if code == 0 else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--sources", type=int, default=100)
    parser.add_argument("--interval", type=float, default=10.0, help="poll interval, seconds")
    args = parser.parse_args(argv)
    return soak(args.minutes, args.sources, args.interval)


if __name__ == "__main__":
    sys.exit(main())
