"""The fetcher's network backend (``netguard.AsyncioBackend``, asyncio streams under httpcore)
against servers that misbehave at the socket level: each failure must come out as the
fetcher's own error, quickly, and the next request must work. Raw sockets on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from monitor.config import Settings
from monitor.errors import FetchError, FetchTimeout
from monitor.fetch import Fetcher

Behaviour = Callable[[socket.socket], None]


class RawServer:
    """Accepts connections and hands each to ``behaviour`` (in a thread of its own)."""

    def __init__(self, behaviour: Behaviour) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.behaviour = behaviour
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/page"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            self.behaviour(conn)


def _request(conn: socket.socket) -> None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return
        data += chunk


def silent(conn: socket.socket) -> None:
    _request(conn)
    time.sleep(3)


def reset(conn: socket.socket) -> None:
    _request(conn)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # RST


def hang_up_before_answering(conn: socket.socket) -> None:
    _request(conn)


def hang_up_mid_body(conn: socket.socket) -> None:
    _request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly part of it")


def garbage(conn: socket.socket) -> None:
    _request(conn)
    conn.sendall(b"\x16\x03\x01 this is not HTTP at all\r\n\r\n")


@pytest.fixture
def settings() -> Settings:
    return Settings.model_validate(
        {"min_delay": 0, "max_retries": 0, "obey_robots": False, "timeout": 0.5}
    )


def _fetch(settings: Settings, url: str) -> BaseException | None:
    async def go() -> BaseException | None:
        async with Fetcher(settings, trusted=[url]) as fetcher:
            try:
                await fetcher.get(url, source="t")
            except FetchError as exc:
                return exc
            return None

    return asyncio.run(go())


@pytest.mark.parametrize(
    ("behaviour", "error", "words"),
    [
        (silent, FetchTimeout, "timed out"),
        (reset, FetchError, "connection failed"),
        (hang_up_before_answering, FetchError, "connection failed"),
        (hang_up_mid_body, FetchError, ""),
        (garbage, FetchError, ""),
    ],
)
def test_a_misbehaving_server_is_a_fetch_error(
    settings: Settings, behaviour: Behaviour, error: type[FetchError], words: str
) -> None:
    server = RawServer(behaviour)
    started = time.monotonic()
    try:
        outcome = _fetch(settings, server.url)
    finally:
        server.sock.close()
    assert isinstance(outcome, error), repr(outcome)
    assert words in str(outcome)
    assert time.monotonic() - started < 2.5  # the 0.5 s timeout, not the server's 3 s


@pytest.fixture
def tls_silent() -> Iterator[str]:
    # Accepts TCP and never speaks TLS: the handshake must time out, not hang.
    server = RawServer(lambda conn: time.sleep(3))
    yield server.url.replace("http://", "https://")
    server.sock.close()


def test_a_tls_handshake_that_never_ends_times_out(settings: Settings, tls_silent: str) -> None:
    started = time.monotonic()
    outcome = _fetch(settings, tls_silent)
    assert isinstance(outcome, FetchTimeout), repr(outcome)
    assert time.monotonic() - started < 2.5
