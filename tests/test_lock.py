"""One monitor per database: a second daemon exits 1 naming the first one's pid, ``poll --once``
waits for the lock and then gives up with exit 1, and a killed holder leaves no stale lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from monitor.errors import MonitorError
from monitor.lock import DatabaseLock, LockHeld, lock_path

HOLD = r"""
import sys, time
from monitor.lock import DatabaseLock
with DatabaseLock(sys.argv[1]):
    print("held", flush=True)
    time.sleep(60)
"""


def _monitor(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor", *args], capture_output=True, text=True, timeout=timeout
    )


def _holder(db_path: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db_path)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stdout.readline() == "held\n"
    return process


def test_second_lock_is_refused_with_the_holders_pid(tmp_path: Path) -> None:
    db_path = tmp_path / "db" / "monitor.db"
    with DatabaseLock(db_path):
        assert lock_path(db_path).read_text().strip() == str(os.getpid())
        with pytest.raises(LockHeld) as raised:
            DatabaseLock(db_path).acquire()
        assert str(raised.value) == f"another monitor is running on {db_path} (pid {os.getpid()})"
    with DatabaseLock(db_path):  # released: free again
        pass


def test_waiting_for_the_lock_succeeds_once_it_is_released(tmp_path: Path) -> None:
    db_path = tmp_path / "monitor.db"
    first = DatabaseLock(db_path)
    first.acquire()
    started = time.monotonic()  # before the timer: it releases at least 0.3 s after this
    threading.Timer(0.3, first.release).start()
    with DatabaseLock(db_path, timeout=10):
        assert time.monotonic() - started >= 0.28


def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    db_path = tmp_path / "monitor.db"
    holder = _holder(db_path)
    with pytest.raises(LockHeld, match=f"pid {holder.pid}"):
        DatabaseLock(db_path).acquire()
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    with DatabaseLock(db_path):  # the kernel dropped the lock with its holder
        pass


def test_an_unwritable_place_for_the_lock_is_a_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(MonitorError, match="cannot create the lock file"):
        DatabaseLock(blocker / "monitor.db").acquire()  # its "folder" is a file


def test_second_daemon_and_a_waiting_poll_exit_1(tmp_path: Path) -> None:
    config = tmp_path / "sources.yaml"
    config.write_text("sources: []\n")
    db_path = tmp_path / "db" / "monitor.db"
    holder = _holder(db_path)  # stands in for a running daemon
    try:
        done = _monitor("--config", str(config), "--db", str(db_path), "run")
        assert done.returncode == 1, done.stderr
        assert done.stderr.strip() == (
            f"error: another monitor is running on {db_path} (pid {holder.pid})"
        )
        started = time.monotonic()
        done = _monitor(
            "--config", str(config), "--db", str(db_path), "poll", "--once", "--wait", "1s"
        )
        assert done.returncode == 1, done.stderr
        assert time.monotonic() - started >= 1.0  # it waited before giving up
        assert done.stderr.strip() == (
            f"error: another monitor is running on {db_path} (pid {holder.pid});"
            " gave up after waiting 1s"
        )
        assert "Traceback" not in done.stderr
    finally:
        holder.kill()
        holder.wait(timeout=10)
    done = _monitor("--config", str(config), "--db", str(db_path), "poll", "--once")
    assert done.returncode == 0, done.stderr
