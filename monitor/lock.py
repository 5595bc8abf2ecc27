"""One monitor per database: an exclusive ``flock`` on ``<db>.lock``, beside the database.

Two daemons (or a daemon and a cron ``poll --once``) on one file would double every request
to every host and fetch each article twice. The lock is an advisory ``fcntl.flock`` on a file
that holds the holder's pid (for the message the second one prints). The kernel drops the lock
when its holder dies, even by ``kill -9``, so a crash never leaves a stale lock behind; the
file itself stays (removing it would let two processes lock two different files).

Whoever holds the lock knows no other sender of this database is alive, so it may take over
deliveries that a dead process left half-done (``store.outbox.reclaim_interrupted``).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from pathlib import Path
from types import TracebackType

from .errors import MonitorError


class LockHeld(MonitorError):
    """Another process holds the database's lock."""


def lock_path(db_path: str | Path) -> Path:
    return Path(f"{db_path}.lock")


class DatabaseLock:
    """``with DatabaseLock(db_path, timeout=0):`` holds the lock, or raises ``LockHeld``
    (after waiting up to ``timeout`` seconds), or ``MonitorError`` when the lock file cannot
    be made (a missing or unwritable folder)."""

    POLL = 0.1  # seconds between two tries while waiting

    def __init__(self, db_path: str | Path, *, timeout: float = 0.0):
        self.db_path = str(db_path)
        self.path = lock_path(db_path)
        self.timeout = timeout
        self._fd: int | None = None

    def acquire(self) -> None:
        if self.db_path == ":memory:":
            return  # a private database: nobody else can open it
        fd = self._open()
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _read_pid(fd)
                    os.close(fd)
                    who = f" (pid {holder})" if holder else ""
                    waited = f"; gave up after waiting {self.timeout:g}s" if self.timeout else ""
                    raise LockHeld(
                        f"another monitor is running on {self.db_path}{who}{waited}"
                    ) from None
                time.sleep(self.POLL)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)  # no pid of a process that no longer holds it
        os.close(fd)  # closing drops the flock

    @property
    def held(self) -> bool:
        return self._fd is not None

    def _open(self) -> int:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            reason = exc.strerror or exc.__class__.__name__
            raise MonitorError(
                f"cannot create the lock file {self.path}: {reason} (the database's folder"
                " must be writable by this user)"
            ) from None

    def __enter__(self) -> DatabaseLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None
