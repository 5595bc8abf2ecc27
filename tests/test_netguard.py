"""The address check and the Retry-After hold, with real servers on 127.0.0.1 (and 127.0.0.2).

A refused fetch must make no connection at all: the second server on 127.0.0.2 counts its
requests, and a connection to an address off this machine would fail in tests/conftest.py
with a connection error instead of the ``AddressRefused`` asserted here.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

from monitor.config import Settings
from monitor.demo.fixtureweb import FixtureWeb, Page
from monitor.errors import AddressRefused, FetchError, HostDeferred, HTTPStatusError
from monitor.fetch import MAX_RETRY_SLEEP, Fetcher, Response
from monitor.netguard import AddressPolicy, AsyncioBackend, GuardedBackend, is_internal
from monitor.records import FetchRecord


def settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {"min_delay": 0, "backoff": 0, "max_retries": 1, "timeout": 5}
    return Settings(**{**values, **overrides})


@pytest.fixture
def other() -> Iterator[FixtureWeb]:
    """A second server on another loopback address, which no configured URL names."""
    try:
        server = FixtureWeb(host="127.0.0.2")
    except OSError:
        pytest.skip("127.0.0.2 does not bind here")
    with server:
        yield server


def fetch(
    url: str, *, trusted: list[str], records: list[FetchRecord] | None = None, **options: Any
) -> Response:
    async def run() -> Response:
        on_record = records.append if records is not None else None
        async with Fetcher(
            options.pop("settings", settings()), trusted=trusted, on_record=on_record, **options
        ) as fetcher:
            return await fetcher.get(url, source="s")

    return asyncio.run(run())


@pytest.mark.parametrize(
    ("address", "internal"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("10.0.0.1", True),
        ("172.16.5.4", True),
        ("192.168.1.1", True),
        ("169.254.169.254", True),  # cloud metadata
        ("100.64.0.1", True),  # shared address space (CGNAT)
        ("0.0.0.0", True),
        ("224.0.0.1", True),  # multicast: "global" to Python, never a web server
        ("240.0.0.1", True),  # reserved
        ("255.255.255.255", True),
        ("::1", True),
        ("fe80::1", True),
        ("fc00::1", True),
        ("ff02::1", True),
        ("::ffff:127.0.0.1", True),  # IPv4-mapped
        ("64:ff9b::a00:1", True),  # NAT64 of 10.0.0.1
        ("2002:7f00:1::", True),  # 6to4 of 127.0.0.1
        ("8.8.8.8", False),
        ("151.101.0.1", False),
        ("2a00:1450:4009:80b::200e", False),
        ("::ffff:8.8.8.8", False),
    ],
)
def test_internal_addresses(address: str, internal: bool) -> None:
    assert is_internal(ipaddress.ip_address(address)) is internal


@pytest.mark.parametrize(
    "link",
    [
        "http://127.0.0.2:{port}/admin",
        "http://[::1]:{port}/secret",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://[::ffff:127.0.0.2]:{port}/admin",
        "http://2130706434:{port}/admin",  # 127.0.0.2 as one decimal number
    ],
)
def test_internal_address_refused_without_a_connection(
    web: FixtureWeb, other: FixtureWeb, link: str
) -> None:
    records: list[FetchRecord] = []
    port = other.base_url.rsplit(":", 1)[1]
    with pytest.raises(AddressRefused, match="internal address"):
        fetch(link.format(port=port), trusted=[web.url("/feed.xml")], records=records)
    assert other.requests == []  # not even robots.txt
    assert [r.attempts for r in records] == [0]
    assert records[0].error is not None and "refused" in records[0].error


def test_configured_address_is_allowed_but_its_redirect_to_another_is_not(
    web: FixtureWeb, other: FixtureWeb
) -> None:
    web.set("/feed.xml", "<rss/>", content_type="application/rss+xml")
    web.set("/go", status=302, headers={"Location": other.url("/admin")})
    other.set("/admin", "internal secrets")
    assert fetch(web.url("/feed.xml"), trusted=[web.url("/feed.xml")]).content == b"<rss/>"
    with pytest.raises(AddressRefused):
        fetch(web.url("/go"), trusted=[web.url("/feed.xml")])
    assert other.requests == []


def test_resolved_address_is_checked_when_connecting(web: FixtureWeb) -> None:
    """'localhost' is a name: the URL check cannot tell, the connection check sees 127.0.0.1
    (a hostile DNS answer looks the same)."""
    web.set("/admin", "internal secrets")
    port = web.base_url.rsplit(":", 1)[1]
    with pytest.raises(AddressRefused, match="localhost resolves to internal address"):
        fetch(f"http://localhost:{port}/admin", trusted=[web.url("/feed.xml")])
    assert web.requests == []
    # Named by the configuration, the same name is allowed.
    trusted = [f"http://localhost:{port}/feed.xml"]
    assert fetch(f"http://localhost:{port}/admin", trusted=trusted).content == b"internal secrets"


def test_nothing_configured_means_no_internal_address(web: FixtureWeb) -> None:
    web.set("/page", "x")
    with pytest.raises(AddressRefused):
        fetch(web.url("/page"), trusted=[])
    assert web.requests == []


def test_userinfo_in_a_followed_link_is_refused(web: FixtureWeb) -> None:
    host = web.base_url.removeprefix("http://")
    web.set("/page", "members only")
    web.set("/go", status=302, headers={"Location": f"http://admin:hunter2@{host}/page"})
    with pytest.raises(AddressRefused, match="user:password@") as refused:
        fetch(web.url("/go"), trusted=[web.url("/feed.xml")])
    assert "hunter2" not in str(refused.value)
    assert [r.path for r in web.requests] == ["/robots.txt", "/go"]
    # The configured URL's own credentials are the operator's: allowed.
    configured = f"http://reader:pw@{host}/page"
    assert fetch(configured, trusted=[configured]).content == b"members only"


def test_policy_trusts_the_hosts_configured_urls_name() -> None:
    policy = AddressPolicy(["http://127.0.0.1:8000/feed", "https://Intranet.Example./news"])
    assert policy.trusts("127.0.0.1") and policy.trusts("intranet.example")
    assert not policy.trusts("127.0.0.2")


# -- Retry-After -------------------------------------------------------------------------------
def test_long_retry_after_holds_the_host_without_sleeping(
    web: FixtureWeb, other: FixtureWeb
) -> None:
    """3600 s with max_retry_after 1h used to be slept inside the poll (the check was
    ``after > max_retry_after``), and every source on the host waited behind it."""
    web.set("/busy", status=429, headers={"Retry-After": "3600"})
    web.set("/healthy", "fine")
    other.set("/elsewhere", "also fine")
    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        await asyncio.sleep(0)

    async def run() -> tuple[BaseException | Response, ...]:
        trusted = [web.base_url, other.base_url]
        async with Fetcher(
            settings(max_retry_after=3600, max_retries=3), trusted=trusted, sleep=sleep
        ) as fetcher:
            with pytest.raises(HTTPStatusError, match="Retry-After 3600 s"):
                await fetcher.get(web.url("/busy"), source="busy")
            return tuple(
                await asyncio.gather(
                    fetcher.get(web.url("/healthy"), source="same-host"),
                    fetcher.get(other.url("/elsewhere"), source="other-host"),
                    return_exceptions=True,
                )
            )

    started = time.monotonic()
    same_host, other_host = asyncio.run(run())
    assert time.monotonic() - started < 30  # a sleep of an hour would never get here
    assert all(s <= MAX_RETRY_SLEEP for s in sleeps), sleeps
    assert len(web.requests_to("/busy")) == 1  # given up at once, not retried
    assert isinstance(same_host, HostDeferred)  # held, without a request or a wait
    assert web.requests_to("/healthy") == []
    assert isinstance(other_host, Response) and other_host.content == b"also fine"


def test_short_retry_after_is_still_waited_out(web: FixtureWeb) -> None:
    answers = iter([Page(status=503, headers={"Retry-After": "2"}), Page(b"ok")])
    web.set("/flaky", handler=lambda request: next(answers, Page(b"ok")))
    sleeps: list[float] = []
    now = [0.0]

    async def sleep(seconds: float) -> None:
        # The fake sleep moves a fake clock: with the real one the host's gate re-checked its
        # wait in a tight loop for the 2 s (all CPU, and a list of millions of sleeps).
        sleeps.append(seconds)
        now[0] += seconds

    fetched = fetch(web.url("/flaky"), trusted=[web.base_url], sleep=sleep, clock=lambda: now[0])
    assert fetched.content == b"ok"
    assert 2 in [round(s) for s in sleeps]


def test_refusal_is_a_fetch_error() -> None:
    # Sources catch FetchError per item: a refused link costs that item, never the poll.
    assert issubclass(AddressRefused, FetchError) and issubclass(HostDeferred, FetchError)


@pytest.mark.parametrize("make", [AsyncioBackend, lambda: GuardedBackend(AddressPolicy([]))])
def test_no_backend_opens_a_unix_socket(make: Any, tmp_path: Any) -> None:
    # A socket file that exists, so only the refusal can stop the connection.
    path = str(tmp_path / "s")
    server = socket.socket(socket.AF_UNIX)
    server.bind(path)
    server.listen()
    try:
        with pytest.raises(AddressRefused, match="Unix sockets"):
            asyncio.run(make().connect_unix_socket(path))
    finally:
        server.close()
