"""The resident memory of a process and all its descendants (the daemon and its parse
worker), sampled in a thread: for the hostile-input tests and benchmarks. psutil is a test
dependency, so it is imported here and nowhere in the product."""

from __future__ import annotations

import contextlib
import threading
import time

import psutil


class TreeMemory:
    """``with TreeMemory(pid) as m:`` samples every ``interval`` seconds; ``m.peak`` is the
    highest total RSS seen and ``m.samples`` each (seconds since start, RSS) reading."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        started = time.monotonic()
        while not self._stop.is_set():
            rss = tree_rss(self.root)
            self.peak = max(self.peak, rss)
            self.samples.append((time.monotonic() - started, rss))
            self._stop.wait(self.interval)


def tree_rss(root: psutil.Process) -> int:
    """RSS of ``root`` and its descendants now; processes that vanish mid-count add nothing."""
    total = 0
    with contextlib.suppress(psutil.Error):
        for process in [root, *root.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += process.memory_info().rss
    return total
