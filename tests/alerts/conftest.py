"""A real SMTP server (aiosmtpd) on 127.0.0.1 that can be stopped and restarted on its port,
and helpers shared by the alert tests."""

from __future__ import annotations

import email
import email.message
import email.policy
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller


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
