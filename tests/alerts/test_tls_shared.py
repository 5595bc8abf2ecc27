"""Email over apprise shares one verified TLS context; a URL that turns verification off gets
a private copy, and the shared context stays verifying."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller

from monitor.alerts import tls
from monitor.alerts.send import Message, send_message


class Box:
    def __init__(self) -> None:
        self.received: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.extend(envelope.rcpt_tos)
        return "250 OK"


@pytest.fixture
def tls_smtp() -> Iterator[tuple[Box, int]]:
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = Box()
    controller = Controller(
        box, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True
    )
    controller.start()
    yield box, port
    controller.stop()


MESSAGE = Message(subject="s", text="t", html="<p>t</p>", chat="c", dedup_key="k1")


def _url(port: int, *extra: str) -> str:
    query = "&".join(["from=monitor@example.com", "to=desk@example.com", "mode=starttls", *extra])
    return f"mailtos://127.0.0.1:{port}?{query}"


def test_a_write_makes_a_private_copy() -> None:
    loose = tls.SharedContext()
    loose.check_hostname = False
    loose.verify_mode = ssl.CERT_NONE
    assert loose.verify_mode == ssl.CERT_NONE
    shared = tls.shared_context()
    assert shared.check_hostname and shared.verify_mode == ssl.CERT_REQUIRED
    assert tls.SharedContext().verify_mode == ssl.CERT_REQUIRED


def test_install_gives_apprise_the_shared_context() -> None:
    import importlib

    smtp_module: Any = importlib.import_module("apprise.plugins.email.smtp")
    assert tls.install() and tls.install()  # idempotent
    first = smtp_module.ssl.create_default_context()
    second = smtp_module.ssl.create_default_context()
    assert isinstance(first, tls.SharedContext)
    assert first._target() is second._target() is tls.shared_context()


def test_starttls_with_verify_off_delivers_and_leaves_the_shared_one_verifying(
    tls_smtp: tuple[Box, int],
) -> None:
    box, port = tls_smtp
    ok, error = send_message(_url(port, "verify=no"), MESSAGE)
    assert (ok, error) == (True, "")
    assert box.received == ["desk@example.com"]
    assert tls.shared_context().verify_mode == ssl.CERT_REQUIRED


def test_starttls_to_an_untrusted_certificate_is_refused(tls_smtp: tuple[Box, int]) -> None:
    box, port = tls_smtp
    ok, _error = send_message(_url(port), MESSAGE)  # the test CA is not in the system store
    assert not ok
    assert box.received == []
