"""Run a command as a child process and measure it: wall time, CPU seconds, peak RSS.

``os.wait4`` returns the resource usage of exactly that child, so successive runs do not blur
into each other as they would with ``getrusage(RUSAGE_CHILDREN)``. Peak RSS is read by
``/usr/bin/time`` when it exists: a child forked from this process starts with this process's
resident-set high-water mark, so its own ``ru_maxrss`` can never read below the benchmark's
(with a fixture server holding every request in memory, ``python -c pass`` read 163 MiB);
``/usr/bin/time`` is small when it forks the command, so the figure is the command's own.
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
TIME = Path("/usr/bin/time")  # GNU time: the command's own peak RSS (module docstring)
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
    report = None
    if TIME.exists():
        fd, name = tempfile.mkstemp(suffix=".time")
        os.close(fd)
        report = Path(name)
        argv = [str(TIME), "-o", name, "-f", "%M", *argv]
    try:
        started = time.perf_counter()
        child = subprocess.Popen(argv, stdout=sink, stderr=sink, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)  # Popen must not reap it again
        peak_kib = usage.ru_maxrss
        if report is not None:  # the last line: a failed command adds "Command exited ..."
            peak_kib = int(report.read_text().split()[-1])
    finally:
        if log:
            sink.close()  # type: ignore[union-attr]
        if report is not None:
            report.unlink(missing_ok=True)
    return Usage(wall, usage.ru_utime + usage.ru_stime, peak_kib / 1024, child.returncode)


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
