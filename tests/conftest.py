"""Shared fixtures: a local web server whose pages tests change, a real SMTP server, a
migrated temporary database, a fixed clock; and a guard that makes any connection off this
machine fail."""

from __future__ import annotations

import email
import email.message
import email.policy
import ipaddress
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from aiosmtpd.controller import Controller

from monitor.demo.fixtureweb import FixtureWeb
from monitor.store import open_db

_real_connect = socket.socket.connect
_real_getaddrinfo = socket.getaddrinfo
_real_connect_ex = socket.socket.connect_ex


def _loopback_only(address: object) -> None:
    if isinstance(address, tuple) and address:
        host = str(address[0])
        try:
            if ipaddress.ip_address(host).is_loopback:
                return
        except ValueError:
            if host == "localhost":
                return
        raise OSError(f"tests must not touch the network: connection to {host!r} blocked")


def _guarded_getaddrinfo(host: object, *args: Any, **kwargs: Any) -> Any:
    # Name lookups leave the machine too: only addresses and localhost may be resolved.
    if host is not None:
        name = host.decode() if isinstance(host, bytes) else str(host)
        try:
            ipaddress.ip_address(name.strip("[]"))
        except ValueError:
            if name != "localhost":
                message = f"tests must not touch the network: lookup of {name!r} blocked"
                raise OSError(message) from None
    return _real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]


def _guarded_connect(self: socket.socket, address: object) -> None:
    _loopback_only(address)
    return _real_connect(self, address)  # type: ignore[arg-type]


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    _loopback_only(address)
    return _real_connect_ex(self, address)  # type: ignore[arg-type]


@pytest.fixture(autouse=True, scope="session")
def no_internet() -> Iterator[None]:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = _guarded_getaddrinfo
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _real_connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = _real_getaddrinfo


@pytest.fixture
def web() -> Iterator[FixtureWeb]:
    """A real HTTP server on 127.0.0.1 (free port); ``web.set(path, body)`` changes a page."""
    with FixtureWeb() as server:
        yield server


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "monitor.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[sqlite_utils.Database]:
    database = open_db(db_path)
    yield database
    database.close()


@pytest.fixture
def now() -> datetime:
    return datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


class Mailbox:
    """Records every message the SMTP server accepts."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(parsed)  # type: ignore[arg-type]
        return "250 OK"


class SMTPServer:
    """``smtp.url(to=...)`` is an apprise URL for it; ``stop()``/``start()`` take it down."""

    def __init__(self) -> None:
        self.mailbox = Mailbox()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def url(self, to: str = "desk@example.com") -> str:
        return f"mailto://127.0.0.1:{self.port}?from=monitor@example.com&to={to}&mode=insecure"

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        return self.mailbox.messages


@pytest.fixture
def smtp() -> Iterator[SMTPServer]:
    server = SMTPServer()
    server.start()
    yield server
    server.stop()
