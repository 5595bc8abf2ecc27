"""A fork server for the tests that kill or signal the monitor many times.

One process imports the monitor once, then forks a fresh child per run, so that each killed
run costs its own work rather than a second of imports. The children are real processes. Each
test gives its own zygote script: it reads one JSON message per line from stdin, forks a child
for it, and prints the child's pid, then the child's exit code (negative: killed by that
signal)."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys


class ForkServer:
    def __init__(self, zygote: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", zygote], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def start(self, message: object) -> int:
        """Fork a child for ``message``; its pid."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def result(self, pid: int | None = None, timeout: float | None = None) -> int:
        """The last child's exit code. With its ``pid`` and a ``timeout``, a child still
        running after ``timeout`` seconds is killed and the test fails."""
        assert self.process.stdout is not None
        if pid is not None and timeout is not None:
            ready, _, _ = select.select([self.process.stdout], [], [], timeout)
            if not ready:
                os.kill(pid, signal.SIGKILL)
                self.process.stdout.readline()
                raise AssertionError(f"the child did not stop within {timeout:g}s")
        return int(self.process.stdout.readline())

    def run(self, message: object) -> int:
        self.start(message)
        return self.result()

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # waiting on a child that did not end: no leftovers
            self.process.kill()
            self.process.wait()
            raise
