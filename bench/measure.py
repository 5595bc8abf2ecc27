"""Run a command as a child process and measure it: wall time, CPU seconds, peak RSS.

``os.wait4`` returns the resource usage of exactly that child (``ru_maxrss`` is its own peak
resident set, in KiB on Linux), so successive runs do not blur into each other as they would
with ``getrusage(RUSAGE_CHILDREN)``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


@dataclass(frozen=True)
class Usage:
    wall: float
    cpu: float  # user + system seconds of the child
    peak_rss_mb: float
    returncode: int

    def row(self) -> str:
        return f"{self.wall:8.2f} s wall {self.cpu:8.2f} s CPU {self.peak_rss_mb:7.1f} MB peak RSS"


def measure(
    argv: Sequence[str], *, log: Path | None = None, env: dict[str, str] | None = None
) -> Usage:
    """Run ``argv`` to completion; its output goes to ``log`` (or is discarded)."""
    sink = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 (closed below)
    try:
        started = time.perf_counter()
        child = subprocess.Popen(argv, stdout=sink, stderr=sink, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)  # Popen must not reap it again
    finally:
        if log:
            sink.close()  # type: ignore[union-attr]
    return Usage(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, child.returncode)


def work_dir(name: str) -> Path:
    """A new directory under bench/out for one run: two runs at once must not share files."""
    OUT.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=OUT))


def drop_database(work: Path) -> None:
    """Remove a run's database (large at 2,000 sources); its config and log stay."""
    for path in work.glob("monitor.db*"):
        path.unlink()


def monitor_argv(config: Path, db: Path, *command: str) -> list[str]:
    """``monitor --config C --db D COMMAND...`` run by this interpreter."""
    return [sys.executable, "-m", "monitor", "--config", str(config), "--db", str(db), *command]
