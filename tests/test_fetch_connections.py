"""Connections the fetcher opens, counted by the fixture servers that accept them.

A response whose body is not parsed (a 304, an error, a redirect) must still be read to its
end, or httpx closes the connection and the next request to that host pays a new TCP
connection, and on HTTPS a TLS handshake. Over HTTPS the client trusts a test CA through the
``ca_bundle`` setting; verification itself is never turned off.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import trustme
import yaml

from monitor.config import Settings, load_config
from monitor.demo.fixtureweb import FixtureWeb
from monitor.errors import FetchError, HTTPStatusError
from monitor.fetch import DRAIN_LIMIT, Fetcher
from monitor.pipeline import poll_once

HOSTS = [f"127.0.0.{i}" for i in range(11, 21)]  # 10 loopback aliases (all of 127/8 on Linux)
FEEDS = 500


def rss(index: int) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Feed {index}</title><link>http://example.test/</link>
<description>fixture</description>
<item><title>Library hours change in town {index}</title><link>http://example.test/{index}</link>
<guid isPermaLink="false">feed-{index}-1</guid><pubDate>Mon, 02 Nov 2026 09:00:00 GMT</pubDate>
<description>The library opens later on Saturdays from next month.</description></item>
</channel></rss>"""


@pytest.fixture
def farm() -> Iterator[list[FixtureWeb]]:
    webs = [FixtureWeb(host=host) for host in HOSTS]
    for web in webs:
        web.start()
        web.set("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    yield webs
    for web in webs:
        web.stop()


def test_an_unchanged_cycle_opens_one_connection_per_host(
    farm: list[FixtureWeb], tmp_path: Path
) -> None:
    sources = []
    for i in range(FEEDS):
        web = farm[i % len(farm)]
        web.set(f"/f{i}.xml", rss(i), content_type="application/rss+xml")
        sources.append(
            {"name": f"feed-{i}", "kind": "feed", "url": web.url(f"/f{i}.xml"),
             "fetch_articles": False}
        )  # fmt: skip
    settings = {"min_delay": 0, "jitter": 0, "max_retries": 0, "per_host_concurrency": 1}
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump({"settings": settings, "sources": sources}), encoding="utf-8")
    config, db = load_config(path), tmp_path / "monitor.db"

    first = asyncio.run(poll_once(config, db_path=db, deliver=False))
    assert not first.failed
    assert sum(w.connections for w in farm) <= len(farm)  # 200s are read to the end too
    for web in farm:
        web.reset_log()

    second = asyncio.run(poll_once(config, db_path=db, deliver=False))
    assert not second.failed
    requests = [r for w in farm for r in w.requests if r.path != "/robots.txt"]
    assert len(requests) == FEEDS
    assert all("If-None-Match" in r.headers for r in requests)  # every answer was a 304
    # One connection per host for the whole cycle (no retries here: max_retries is 0).
    assert [w.connections for w in farm] == [1] * len(farm)


def _settings(**overrides: object) -> Settings:
    base: dict[str, object] = {"min_delay": 0, "max_retries": 0, "obey_robots": False}
    base.update(overrides)
    return Settings.model_validate(base)


async def _get_all(fetcher: Fetcher, urls: list[str]) -> list[BaseException | None]:
    outcomes: list[BaseException | None] = []
    for url in urls:
        try:
            await fetcher.get(url, source="t")
            outcomes.append(None)
        except FetchError as exc:
            outcomes.append(exc)
    return outcomes


def test_error_and_redirect_answers_keep_the_connection(web: FixtureWeb) -> None:
    web.set("/gone", "no such page here", status=404, content_type="text/plain")
    web.set("/broken", "server trouble " * 100, status=500, content_type="text/plain")
    web.set("/moved", "", status=301, headers={"Location": "/target"})
    web.set("/target", "the page")

    async def go() -> list[BaseException | None]:
        # backoff 0: a 500 holds its host for the backoff even without a retry (fetch.py),
        # which here would add 2 s before each of the next four rounds and test nothing.
        settings = _settings(backoff=0)
        async with Fetcher(settings, trusted=[web.base_url]) as fetcher:
            return await _get_all(fetcher, [web.url(p) for p in ("/gone", "/broken", "/moved")] * 5)

    outcomes = asyncio.run(go())
    assert [type(o).__name__ for o in outcomes[:3]] == [
        "HTTPStatusError",
        "HTTPStatusError",
        "NoneType",
    ]
    assert len(web.requests) == 20  # 15 gets, 5 of them redirected once
    assert web.connections == 1


def test_retries_reuse_the_connection_too(web: FixtureWeb) -> None:
    web.set("/busy", "try later", status=503, content_type="text/plain")

    async def go() -> None:
        async with Fetcher(_settings(max_retries=2, backoff=0), trusted=[web.base_url]) as fetcher:
            with pytest.raises(HTTPStatusError):
                await fetcher.get(web.url("/busy"), source="t")

    asyncio.run(go())
    assert len(web.requests) == 3
    assert web.connections == 1


def test_a_large_unused_body_is_dropped_with_its_connection(web: FixtureWeb) -> None:
    # Reading megabytes nobody parses costs more than a new connection: past DRAIN_LIMIT the
    # connection is closed instead, and the next request still works.
    web.set("/huge-error", b"x" * (DRAIN_LIMIT * 4), status=500, content_type="text/plain")
    web.set("/ok", "fine")

    async def go() -> list[BaseException | None]:
        async with Fetcher(_settings(backoff=0), trusted=[web.base_url]) as fetcher:  # no 2 s hold
            return await _get_all(fetcher, [web.url("/huge-error"), web.url("/ok")])

    first, second = asyncio.run(go())
    assert isinstance(first, HTTPStatusError) and first.status == 500
    assert second is None
    assert web.connections == 2


# -- HTTPS ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls_web(ca: trustme.CA) -> Iterator[FixtureWeb]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    with FixtureWeb(ssl_context=context) as server:
        yield server


def test_https_with_a_trusted_ca_reuses_one_connection(
    tls_web: FixtureWeb, ca: trustme.CA, tmp_path: Path
) -> None:
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    tls_web.set("/feed.xml", rss(1), content_type="application/rss+xml")
    url = tls_web.url("/feed.xml")
    assert url.startswith("https://")

    async def go() -> list[int]:
        async with Fetcher(_settings(ca_bundle=str(bundle)), trusted=[url]) as fetcher:
            first = await fetcher.get(url, source="t")
            statuses = [first.status]
            for _ in range(5):
                again = await fetcher.get(url, source="t", validators=first.validators)
                statuses.append(again.status)
            return statuses

    assert asyncio.run(go()) == [200, 304, 304, 304, 304, 304]
    assert tls_web.connections == 1


def test_https_from_an_unknown_ca_is_refused(tls_web: FixtureWeb) -> None:
    tls_web.set("/feed.xml", rss(1), content_type="application/rss+xml")

    async def go() -> None:
        async with Fetcher(_settings(), trusted=[tls_web.base_url]) as fetcher:
            await fetcher.get(tls_web.url("/feed.xml"), source="t")

    with pytest.raises(FetchError, match="CERTIFICATE_VERIFY_FAILED"):
        asyncio.run(go())
    assert tls_web.requests == []


def test_an_unreadable_ca_bundle_is_a_config_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate\n", encoding="utf-8")
    with pytest.raises(ValueError, match="cannot load CA certificates"):
        _settings(ca_bundle=str(junk))


# -- a pooled connection the server has closed --------------------------------------------------
class ClosingServer:
    """Answers each connection's first request (keep-alive, so the client pools it), then
    hangs up without a word: the next request must notice and use a new connection."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.connections = 0
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(4096)
                    if not chunk:
                        break
                    data += chunk
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                time.sleep(0.05)  # the response is read and the connection pooled first


def test_a_connection_the_server_closed_is_not_reused() -> None:
    server = ClosingServer()
    url = f"http://127.0.0.1:{server.port}/page"

    async def go() -> list[bytes]:
        async with Fetcher(_settings(), trusted=[url]) as fetcher:
            first = await fetcher.get(url, source="t")
            await asyncio.sleep(0.3)  # the server has hung up on the pooled connection
            second = await fetcher.get(url, source="t")
            return [first.content, second.content]

    try:
        assert asyncio.run(go()) == [b"ok", b"ok"]
    finally:
        server.sock.close()
    assert server.connections == 2


def test_at_the_connection_limit_an_idle_connection_makes_room(farm: list[FixtureWeb]) -> None:
    # max_connections 2, three hosts one after another: the pool (netguard._LinearPool) closes
    # an idle connection to open the third, and each host's next request reuses its own
    # connection while it is still pooled.
    webs = farm[:3]
    for web in webs:
        web.set("/page", "a page")
    urls = [web.url("/page") for web in webs]

    async def go() -> None:
        settings = _settings(max_connections=2, obey_robots=False)
        async with Fetcher(settings, trusted=urls) as fetcher:
            for url in urls + urls[-1:] + urls[:1]:
                assert (await fetcher.get(url, source="t")).content == b"a page"

    asyncio.run(go())
    # host 3 reused its connection; host 1's was closed to make room for host 3's: a new one.
    assert [web.connections for web in webs] == [2, 1, 1]


def test_the_ssl_context_is_made_at_the_first_https_connection(
    web: FixtureWeb, tls_web: FixtureWeb, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Loading the CA certificates waits for a TLS connection: plain HTTP never pays it, and
    # the https request after it is still verified (the test CA is not trusted here).
    made: list[object] = []
    real = httpx.create_ssl_context

    def counting(*args: object, **kwargs: object) -> ssl.SSLContext:
        made.append(kwargs.get("verify"))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(httpx, "create_ssl_context", counting)
    web.set("/page", "plain")
    tls_web.set("/page", "secret")

    async def go() -> None:
        async with Fetcher(_settings(), trusted=[web.base_url, tls_web.base_url]) as fetcher:
            for _ in range(3):
                assert (await fetcher.get(web.url("/page"), source="t")).content == b"plain"
            assert made == []
            with pytest.raises(FetchError, match="CERTIFICATE_VERIFY_FAILED"):
                await fetcher.get(tls_web.url("/page"), source="t")
            assert made == [True]

    asyncio.run(go())
    assert tls_web.requests == []
