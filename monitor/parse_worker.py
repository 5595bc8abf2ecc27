"""Read fetched documents (extract + classify) in a separate process with a memory cap and a
time limit, so that no document can freeze, exhaust or crash the daemon.

Everything fetched is hostile: a 19 MB tag soup took 5.3 GB and 255 s to parse, a PDF whose
streams inflate to gigabytes aborted the process, and all of it ran on the event loop's
thread, where it stopped every other source and made SIGTERM wait. So documents are read by a
``ParseWorker``: one warm child process (``python -m monitor.parse_worker``) that imports the
parsers once and then reads one document at a time. Its address space is capped
(``RLIMIT_AS``), each document has a wall-clock limit, and a worker that dies, overruns or
runs out of memory is killed and replaced by a fresh one for the next document. The document
that did it raises ``DocumentRejected``; the pipeline records that against the URL.

The common case costs one round trip of pickled bytes over a pipe (under a millisecond for
an article), and one process start per daemon (about a second, paid before the first document
is sent, so it never counts against a document's time limit).

Frames on the child's stdin/stdout are a 8-byte length and a pickle. Parent to child:
``(Document, la_code)``. Child to parent: ``("ready", pid)`` once, then per document
``("ok", Classified)``, ``("error", class_name, message)`` for a ``ParseError``,
``("rejected", message)`` for a limit it hit itself, or ``("bug", message)``. Replies are
unpickled with an allow-list (the domain types and dates), so a child taken over by hostile
bytes (a PDFium exploit, say) cannot run code in the daemon through pickle.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import io
import os
import pickle
import resource
import selectors
import signal
import struct
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import errors
from .errors import DocumentRejected, MonitorError, ParseError
from .models import Document

if TYPE_CHECKING:
    from .classify import Classified
    from .config import Settings

DEFAULT_MEMORY = 1536 * 1024**2  # address space of the worker (it starts at about 0.5 GB)
DEFAULT_TIMEOUT = 60.0  # seconds per document; real reports and pages take well under 2 s
STARTUP_TIMEOUT = 120.0  # seconds a new worker may take to import the parsers
MAX_REPLY = 512 * 1024**2  # bytes; a larger answer is not believed
_HEADER = struct.Struct("!Q")
_EXIT_OUT_OF_MEMORY = 3
# Signals that mean "stopped from outside" (a shutdown, an operator), not "the document did it".
_OUTSIDE_STOPS = {-signal.SIGTERM, -signal.SIGINT, -signal.SIGHUP}


@dataclass(frozen=True)
class ParseLimits:
    """What one document may cost the worker."""

    memory: int = DEFAULT_MEMORY  # bytes of address space (RLIMIT_AS)
    timeout: float = DEFAULT_TIMEOUT  # wall-clock seconds
    startup: float = STARTUP_TIMEOUT

    @classmethod
    def from_settings(cls, settings: Settings) -> ParseLimits:
        return cls(memory=int(settings.parse_memory), timeout=float(settings.parse_timeout))


class WorkerBug(MonitorError):
    """The worker failed in a way that is the monitor's fault, not the document's (an
    exception in the classifier, an answer it may not send); the document is tried again."""


class WorkerStopped(ParseError):
    """The worker was stopped from outside (SIGTERM to the process group at shutdown) while
    reading; not the document's fault, so it is read again on the next poll."""


class _Timeout(Exception):
    pass


class ParseWorker:
    """One warm worker process, reading one document at a time (calls queue on a lock).

    ``read`` blocks (for ``monitor classify``); ``aread`` runs it in a thread so the event
    loop keeps polling, and kills the worker if the awaiting task is cancelled, so shutdown
    never waits for a slow document."""

    def __init__(self, limits: ParseLimits | None = None) -> None:
        self.limits = limits or ParseLimits()
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._in_flight: object | None = None
        self._killed_by_us = False
        self.started = 0  # processes started (1 + restarts)
        self.documents = 0
        self._owner = os.getpid()

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the worker now (else the first document starts it) and wait until it is ready."""
        with self._lock:
            self._ensure()

    def close(self) -> None:
        """Stop the worker: it exits on end of input; killed if it does not within 5 s."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        with contextlib.suppress(OSError):
            assert proc.stdin is not None
            proc.stdin.close()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        _close_pipes(proc)

    def __enter__(self) -> ParseWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    # -- reading --------------------------------------------------------------------------------
    def read(self, document: Document, la_code: str = "", *, token: object = None) -> Classified:
        """The document extracted and classified by the worker.

        Raises ``DocumentRejected`` when it passed a limit or killed the worker, the
        ``ParseError`` the reading raised (a broken PDF), ``WorkerStopped`` or ``WorkerBug``."""
        payload = pickle.dumps((document, la_code), protocol=pickle.HIGHEST_PROTOCOL)
        with self._lock:
            proc = self._ensure()
            self._in_flight = token
            self.documents += 1
            try:
                return self._exchange(proc, payload)
            finally:
                self._in_flight = None

    async def aread(self, document: Document, la_code: str = "") -> Classified:
        """``read`` off the event loop."""
        token = object()
        try:
            return await asyncio.to_thread(self.read, document, la_code, token=token)
        except asyncio.CancelledError:
            if self._in_flight is token:
                self._kill()  # the reading thread sees the pipe close and returns at once
            raise

    def _exchange(self, proc: subprocess.Popen[bytes], payload: bytes) -> Classified:
        timeout = self.limits.timeout
        try:
            _send(proc, payload)
            reply = _receive(proc, time.monotonic() + timeout)
        except _Timeout:
            self._kill()
            self._reap()  # gone before the next document is sent
            raise DocumentRejected(
                f"reading the document took longer than {timeout:g} s (parse time limit); "
                "the parse worker was stopped"
            ) from None
        except (OSError, EOFError):
            raise self._death() from None
        try:
            message = _ReplyUnpickler(io.BytesIO(reply)).load()
        except (pickle.UnpicklingError, AttributeError, ImportError, EOFError) as exc:
            self._kill()
            raise WorkerBug(f"the parse worker sent an answer it may not send: {exc}") from None
        return self._answer(message)

    def _answer(self, message: Any) -> Classified:
        from .classify import Classified

        kind = message[0] if isinstance(message, tuple) and message else None
        if kind == "ok" and isinstance(message[1], Classified):
            return message[1]
        if kind == "error":
            cls = getattr(errors, str(message[1]), ParseError)
            if not (isinstance(cls, type) and issubclass(cls, ParseError)):
                cls = ParseError
            raise cls(str(message[2]))
        if kind == "rejected":
            if self._proc is not None:
                self._proc.wait(timeout=10)  # it exits after running out of memory
                self._reap()
            raise DocumentRejected(str(message[1]))
        if kind == "bug":
            raise WorkerBug(f"the parse worker failed: {message[1]}")
        self._kill()
        raise WorkerBug(f"the parse worker sent an unexpected answer ({kind!r})")

    def _death(self) -> ParseError:
        code = self._reap()
        if code in _OUTSIDE_STOPS and not self._killed_by_us:
            return WorkerStopped(f"the parse worker was stopped from outside ({_describe(code)})")
        return DocumentRejected(
            f"the parse worker died reading the document ({_describe(code)}; memory cap "
            f"{self.limits.memory // 1024**2} MB)"
        )

    # -- the process ----------------------------------------------------------------------------
    def _ensure(self) -> subprocess.Popen[bytes]:
        if self._proc is not None and self._proc.poll() is None and not self._killed_by_us:
            return self._proc
        if self._proc is not None:
            self._reap()  # dead, or killed and perhaps not yet dead
        command = [
            sys.executable,
            "-m",
            "monitor.parse_worker",
            "--memory",
            str(self.limits.memory),
            "--timeout",
            str(self.limits.timeout),
        ]
        proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
        self._proc = proc
        self._killed_by_us = False
        self.started += 1
        _register(self)
        try:
            ready = pickle.loads(_receive(proc, time.monotonic() + self.limits.startup))
        except (_Timeout, OSError, EOFError, pickle.UnpicklingError) as exc:
            self._kill()
            raise WorkerBug(f"the parse worker did not start: {exc!r}") from None
        if not (isinstance(ready, tuple) and ready[:1] == ("ready",)):
            self._kill()
            raise WorkerBug(f"the parse worker did not start: it said {ready!r}")
        return proc

    def _forget(self) -> None:
        """Drop (without stopping) a worker that belongs to the process this one forked from."""
        if self._proc is not None:
            _close_pipes(self._proc)
        self._proc = None
        self._lock = threading.Lock()
        self._owner = os.getpid()

    def _kill(self) -> None:
        """SIGKILL the worker (callable from another thread: it only signals; whoever next
        uses the worker reaps it)."""
        proc = self._proc
        if proc is not None and proc.poll() is None:
            self._killed_by_us = True
            with contextlib.suppress(OSError):
                proc.kill()

    def _reap(self) -> int | None:
        proc, self._proc = self._proc, None
        if proc is None:
            return None
        try:
            code = proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = proc.wait()
        _close_pipes(proc)
        return code


def _describe(code: int | None) -> str:
    if code is None:
        return "no exit status"
    if code == _EXIT_OUT_OF_MEMORY:
        return "out of memory"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return {"SIGKILL": "killed (SIGKILL)", "SIGABRT": "aborted (SIGABRT)"}.get(name, name)
    return f"exit status {code}"


def _close_pipes(proc: subprocess.Popen[bytes]) -> None:
    for pipe in (proc.stdin, proc.stdout):
        if pipe is not None:
            with contextlib.suppress(OSError):
                pipe.close()


# -- one worker per process, shared by every pipeline in it --------------------------------------
_SHARED: dict[ParseLimits, ParseWorker] = {}
_SHARED_LOCK = threading.Lock()
_LIVE: set[ParseWorker] = set()


def shared_worker(limits: ParseLimits) -> ParseWorker:
    """The process's worker for these limits: a daemon keeps one for its life, and repeated
    ``poll_once`` calls (tests, the bench) do not pay a process start each."""
    with _SHARED_LOCK:
        worker = _SHARED.get(limits)
        if worker is None:
            worker = _SHARED[limits] = ParseWorker(limits)
        return worker


def _register(worker: ParseWorker) -> None:
    _LIVE.add(worker)


@atexit.register
def _close_all() -> None:
    for worker in list(_LIVE):
        if worker._owner == os.getpid():
            worker.close()


def _forget_after_fork() -> None:
    """In a forked child, the parent's workers (and locks) are the parent's: start afresh."""
    global _SHARED_LOCK
    for worker in _LIVE:
        worker._forget()
    _LIVE.clear()
    _SHARED.clear()
    _SHARED_LOCK = threading.Lock()


os.register_at_fork(after_in_child=_forget_after_fork)


# -- frames --------------------------------------------------------------------------------------
def _send(proc: subprocess.Popen[bytes], payload: bytes) -> None:
    assert proc.stdin is not None
    proc.stdin.write(_HEADER.pack(len(payload)))
    proc.stdin.write(payload)  # unbuffered: written whole or BrokenPipeError
    proc.stdin.flush()


def _receive(proc: subprocess.Popen[bytes], deadline: float) -> bytes:
    """One frame from the child, or ``_Timeout`` at ``deadline``; ``EOFError`` if it died."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        header = _read_exactly(fd, selector, _HEADER.size, deadline)
        (size,) = _HEADER.unpack(header)
        if size > MAX_REPLY:
            raise EOFError(f"an answer of {size} bytes")
        return _read_exactly(fd, selector, size, deadline)


def _read_exactly(fd: int, selector: selectors.BaseSelector, size: int, deadline: float) -> bytes:
    chunks: list[bytes] = []
    wanted = size
    while wanted:
        left = deadline - time.monotonic()
        if left <= 0 or not selector.select(timeout=left):
            raise _Timeout
        chunk = os.read(fd, min(wanted, 1024**2))
        if not chunk:
            raise EOFError("the parse worker closed its output")
        chunks.append(chunk)
        wanted -= len(chunk)
    return b"".join(chunks)


class _ReplyUnpickler(pickle.Unpickler):
    """Only the classes a reply is made of: the monitor's own domain types and dates."""

    _MODULES = ("monitor.models", "monitor.classify", "monitor.records")
    _OTHERS = {("datetime", n) for n in ("datetime", "date", "timezone", "timedelta")} | {
        ("builtins", "frozenset"),
        ("builtins", "set"),
        ("zoneinfo", "ZoneInfo"),
    }

    def find_class(self, module: str, name: str) -> Any:
        if module in self._MODULES and "." not in name:
            found = super().find_class(module, name)
            if isinstance(found, type) and found.__module__ == module:
                return found
        elif (module, name) in self._OTHERS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in an answer")


# -- the child -----------------------------------------------------------------------------------
def _child(memory: int, timeout: float) -> int:
    out_fd = os.dup(1)
    os.dup2(2, 1)  # a library's stray print must not corrupt the frames
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent, which stops us
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # an abort leaves no core file behind

    from .classify import classify_document
    from .councils import load_councils

    councils = load_councils()
    from . import pdf  # noqa: F401  (PDFium, imported before the first document's clock runs)

    # Warm: the first article pays the lazy imports and caches (trafilatura, htmldate, the
    # gazetteer) here, before "ready", so they never count against a document's time limit.
    classify_document(_WARM_UP, councils=councils)

    # The cap counts from here: the imports above are the worker's fixed cost.
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    _write(out_fd, pickle.dumps(("ready", os.getpid())))
    while True:
        frame = _read_frame(0)
        if frame is None:
            return 0  # the parent closed our input: it is done, or gone
        document, la_code = pickle.loads(frame)
        # A backstop if the parent dies mid-document: CPU seconds for this document only.
        used = resource.getrusage(resource.RUSAGE_SELF)
        spent = int(used.ru_utime + used.ru_stime)
        with contextlib.suppress(ValueError, OSError):
            hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
            resource.setrlimit(resource.RLIMIT_CPU, (spent + int(timeout * 2) + 10, hard))
        exit_after = False
        try:
            council = councils.by_code(la_code) if la_code else None
            reply: tuple[Any, ...] = (
                "ok",
                classify_document(document, councils=councils, council=council),
            )
        except MemoryError:
            reply = (
                "rejected",
                f"reading the document ran out of memory (cap {memory // 1024**2} MB)",
            )
            exit_after = True
        except RecursionError:
            reply = ("rejected", "the document is nested too deeply to read")
        except ParseError as exc:
            reply = ("error", type(exc).__name__, str(exc))
        except Exception as exc:  # the monitor's bug, not the document's: reported, retried
            traceback.print_exc()
            reply = ("bug", f"{type(exc).__name__}: {exc}")
        try:
            _write(out_fd, pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL))
        except BrokenPipeError:
            return 0
        if exit_after:
            return _EXIT_OUT_OF_MEMORY  # a heap that hit the cap is not trusted for the next one


_WARM_UP = Document(
    source="warm-up",
    url="http://localhost/warm-up",
    content=b"<html><head><title>Warm-up</title><meta name='date' content='2026-01-02'></head>"
    b"<body><article><p>Ofsted rated Stockport Council's children's services good.</p>"
    b"</article></body></html>",
    content_type="text/html",
)


def _write(fd: int, payload: bytes) -> None:
    data = memoryview(_HEADER.pack(len(payload)) + payload)
    while data:
        written = os.write(fd, data)
        data = data[written:]


def _read_frame(fd: int) -> bytes | None:
    header = _read_blocking(fd, _HEADER.size)
    if header is None:
        return None
    (size,) = _HEADER.unpack(header)
    return _read_blocking(fd, size)


def _read_blocking(fd: int, size: int) -> bytes | None:
    chunks: list[bytes] = []
    wanted = size
    while wanted:
        chunk = os.read(fd, min(wanted, 1024**2))
        if not chunk:
            return None
        chunks.append(chunk)
        wanted -= len(chunk)
    return b"".join(chunks)


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    options = dict(zip(args[::2], args[1::2], strict=False))
    memory = int(options.get("--memory", DEFAULT_MEMORY))
    timeout = float(options.get("--timeout", DEFAULT_TIMEOUT))
    return _child(memory, timeout)


if __name__ == "__main__":
    raise SystemExit(main())
