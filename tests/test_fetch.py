"""The polite fetcher against real HTTP servers on loopback (the ``web`` fixture).

Waits the fetcher asks for (Retry-After, backoff, min_delay, Crawl-delay) go through an
injected ``FakeTime`` that records them and moves a fake clock, so no test sleeps for them;
timeouts and per-host concurrency use real time with small values.
"""

from __future__ import annotations

import asyncio
import email.utils
import gzip
import itertools
import logging
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from monitor.config import Settings
from monitor.demo.fixtureweb import FixtureWeb, Page, Request
from monitor.errors import (
    BadContent,
    BodyTooLarge,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    RobotsDisallowed,
    TooManyRedirects,
)
from monitor.fetch import (
    Fetcher,
    FetchRecord,
    Response,
    Validators,
    parse_retry_after,
    product_token,
)

MB = 1024 * 1024
LOOPBACK = "http://127.0.0.1/"  # trusted as a configured source URL naming the fixture host


# -- harness -----------------------------------------------------------------------------------
class FakeTime:
    """A clock that only moves when the fetcher sleeps; every requested sleep is recorded."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.now += seconds
        await asyncio.sleep(0)


def make_settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "contact": "ops@example.org",
        "min_delay": 0,
        "backoff": 1.0,
        "max_retries": 2,
        "timeout": 5,
    }
    return Settings(**{**values, **overrides})


@dataclass
class Harness:
    """A fetcher factory wired to fake time and a list of records."""

    settings: Settings = field(default_factory=make_settings)
    time: FakeTime = field(default_factory=FakeTime)
    records: list[FetchRecord] = field(default_factory=list)
    real_time: bool = False

    def fetcher(self, **options: Any) -> Fetcher:
        timing: dict[str, Any] = {}
        if not self.real_time:
            timing = {"sleep": self.time.sleep, "clock": self.time.clock}
        options.setdefault("trusted", [LOOPBACK])  # the fixture server is configured, as it were
        return Fetcher(
            self.settings, on_record=self.records.append, jitter=lambda: 0.0, **timing, **options
        )

    def get(self, url: str, validators: Validators | None = None) -> Response:
        """One get on a fresh fetcher (a fresh robots cache)."""
        return self.get_all([url], validators)[0]

    def get_all(self, urls: list[str], validators: Validators | None = None) -> list[Response]:
        """Sequential gets on one fetcher."""

        async def scenario() -> list[Response]:
            async with self.fetcher() as fetcher:
                return [await fetcher.get(u, source="test", validators=validators) for u in urls]

        return asyncio.run(scenario())

    def only_record(self) -> FetchRecord:
        assert len(self.records) == 1, self.records
        return self.records[0]


def sequence(*pages: Page) -> Callable[[Request], Page]:
    """A page handler answering ``pages`` in turn, then the last one forever."""
    answers = iter(pages)
    return lambda request: next(answers, pages[-1])


def redirect(location: str, status: int = 302) -> Page:
    return Page(status=status, headers={"Location": location})


@pytest.fixture
def h() -> Harness:
    return Harness()


# -- conditional GET ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("keep", "header"),
    [("etag", "If-None-Match"), ("last_modified", "If-Modified-Since")],
    ids=["etag", "last-modified"],
)
def test_200_then_304_with_validators_sent(
    web: FixtureWeb, h: Harness, keep: str, header: str
) -> None:
    web.set("/page", "<p>hello</p>")
    first = h.get(web.url("/page"))
    assert (first.status, first.content) == (200, b"<p>hello</p>")
    assert first.validators.etag and first.validators.last_modified
    assert first.content_type == "text/html"

    sent = Validators(**{keep: getattr(first.validators, keep)})
    second = h.get(web.url("/page"), sent)
    assert second.not_modified and second.content == b""
    assert web.requests_to("/page")[1].headers[header] == getattr(sent, keep)
    assert [(r.status, r.bytes, r.error) for r in h.records] == [(200, 12, None), (304, 0, None)]

    web.set("/page", "<p>changed</p>")
    third = h.get(web.url("/page"), first.validators)
    assert (third.status, third.content) == (200, b"<p>changed</p>")


def test_unsafe_validator_is_not_sent(web: FixtureWeb, h: Harness) -> None:
    web.set("/page", "x")
    response = h.get(web.url("/page"), Validators(etag='"a"\r\nX-Evil: 1'))
    assert response.status == 200
    assert "If-None-Match" not in web.requests_to("/page")[0].headers


# -- retries ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("retry_after", "low", "high"),
    [("7", 7.0, 7.0), ("in 30 s", 20.0, 30.0), ("soon", 1.0, 1.0)],  # 20: a stalled machine
    ids=["seconds", "http-date", "unparsable-uses-backoff"],
)
def test_429_honours_retry_after_then_succeeds(
    web: FixtureWeb, h: Harness, retry_after: str, low: float, high: float
) -> None:
    if retry_after == "in 30 s":  # an HTTP-date, made now: seconds tick during collection
        retry_after = email.utils.formatdate(time.time() + 30, usegmt=True)
    web.set(
        "/busy",
        handler=sequence(Page(status=429, headers={"Retry-After": retry_after}), Page(b"ok")),
    )
    response = h.get(web.url("/busy"))
    assert response.content == b"ok"
    [slept] = h.time.sleeps
    assert low <= slept <= high
    record = h.only_record()
    assert (record.status, record.attempts, record.error) == (200, 2, None)


@pytest.mark.parametrize(
    ("jitter", "expected"), [(0.0, [1.0, 2.0]), (1.0, [1.25, 2.5])], ids=["no-jitter", "jitter"]
)
def test_503_backs_off_exponentially_then_succeeds(
    web: FixtureWeb, h: Harness, jitter: float, expected: list[float]
) -> None:
    web.set("/flaky", handler=sequence(Page(status=503), Page(status=502), Page(b"ok")))

    async def scenario() -> Response:
        fetcher = Fetcher(
            h.settings,
            sleep=h.time.sleep,
            clock=h.time.clock,
            jitter=lambda: jitter,
            trusted=[LOOPBACK],
        )
        async with fetcher:
            return await fetcher.get(web.url("/flaky"), source="test")

    assert asyncio.run(scenario()).content == b"ok"
    assert h.time.sleeps == expected
    assert len(web.requests_to("/flaky")) == 3


def test_503_forever_fails_after_max_retries(
    web: FixtureWeb, h: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    web.set("/down", status=503)
    with caplog.at_level(logging.INFO, logger="monitor.fetch"), pytest.raises(HTTPStatusError) as e:
        h.get(web.url("/down"))
    assert e.value.status == 503
    assert len(web.requests_to("/down")) == h.settings.max_retries + 1 == 3
    record = h.only_record()
    assert (record.status, record.attempts, record.bytes) == (503, 3, 0)
    assert record.error is not None and "HTTP 503" in record.error
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "/down" in warnings[0].getMessage()


def test_retry_after_past_the_limit_gives_up_at_once(web: FixtureWeb, h: Harness) -> None:
    h.settings = make_settings(max_retry_after=3600)
    web.set("/later", status=429, headers={"Retry-After": "7200"})
    with pytest.raises(HTTPStatusError, match="Retry-After 7200 s") as e:
        h.get(web.url("/later"))
    assert e.value.status == 429
    assert len(web.requests_to("/later")) == 1
    assert h.time.sleeps == []
    assert h.only_record().attempts == 1


@pytest.mark.parametrize("status", [400, 403, 404, 410])
def test_other_4xx_fail_without_retry(web: FixtureWeb, h: Harness, status: int) -> None:
    web.set("/gone", status=status)
    with pytest.raises(HTTPStatusError) as e:
        h.get(web.url("/gone"))
    assert e.value.status == status
    assert len(web.requests_to("/gone")) == 1
    assert (h.only_record().status, h.only_record().attempts) == (status, 1)


def test_timeout_after_retries(web: FixtureWeb, h: Harness) -> None:
    h.settings = make_settings(timeout=0.2, max_retries=1)
    web.set("/slow", "late", delay=5.0)
    started = time.monotonic()
    with pytest.raises(FetchTimeout):
        h.get(web.url("/slow"))
    # Two 0.2 s attempts, not the server's 5 s each: a bound with room for a loaded machine.
    assert time.monotonic() - started < 3.0
    assert len(web.requests_to("/slow")) == 2
    assert h.time.sleeps == [1.0]
    record = h.only_record()
    assert (record.status, record.attempts) == (None, 2)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_connection_refused_is_a_fetch_error(h: Harness) -> None:
    h.settings = make_settings(max_retries=1, obey_robots=False)
    with pytest.raises(FetchError, match="connection failed"):
        h.get(f"http://127.0.0.1:{free_port()}/x")
    assert h.only_record().attempts == 2


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "http://", "not a url"])
def test_bad_url_is_a_fetch_error(h: Harness, url: str) -> None:
    with pytest.raises(FetchError):
        h.get(url)
    assert h.only_record().attempts == 0


def test_failing_on_record_does_not_fail_the_fetch(web: FixtureWeb) -> None:
    web.set("/page", "x")

    def broken(record: FetchRecord) -> None:
        raise RuntimeError("database is locked")

    async def scenario() -> Response:
        async with Fetcher(make_settings(), on_record=broken, trusted=[LOOPBACK]) as fetcher:
            return await fetcher.get(web.url("/page"), source="test")

    assert asyncio.run(scenario()).content == b"x"


# -- redirects -------------------------------------------------------------------------------
def test_redirect_chain_within_limit_ends_at_final_url(web: FixtureWeb, h: Harness) -> None:
    h.settings = make_settings(max_redirects=3)
    web.set("/a", "moved", status=301, headers={"Location": "/b"})
    web.set("/b", status=307, headers={"Location": web.url("/c")})
    web.set("/c", status=302, headers={"Location": "d"})  # relative to /c
    web.set("/d", "final")
    response = h.get(web.url("/a"))
    assert (response.url, response.content) == (web.url("/d"), b"final")
    assert [r.path for r in web.requests if r.path != "/robots.txt"] == ["/a", "/b", "/c", "/d"]
    record = h.only_record()
    assert (record.url, record.status, record.attempts) == (web.url("/a"), 200, 4)


@pytest.mark.parametrize(
    ("pages", "requests"),
    [
        ({"/x": "/y", "/y": "/x"}, 2),
        ({"/x": "/1", "/1": "/2", "/2": "/3", "/3": "/4"}, 3),
    ],
    ids=["loop", "chain-past-limit"],
)
def test_redirects_are_bounded(
    web: FixtureWeb, h: Harness, pages: dict[str, str], requests: int
) -> None:
    h.settings = make_settings(max_redirects=2)
    for path, location in pages.items():
        web.set(path, handler=lambda r, loc=location: redirect(loc))
    web.set("/4", "never reached")
    with pytest.raises(TooManyRedirects):
        h.get(web.url("/x"))
    assert len([r for r in web.requests if r.path != "/robots.txt"]) == requests
    assert h.only_record().error is not None


# -- hostile bodies --------------------------------------------------------------------------
def test_body_over_cap_by_content_length(web: FixtureWeb, h: Harness) -> None:
    h.settings = make_settings(max_body=MB)
    web.set("/huge", b"x" * (20 * MB), content_type="application/pdf")
    with pytest.raises(BodyTooLarge, match="Content-Length 20971520"):
        h.get(web.url("/huge"))
    assert h.only_record().error is not None


def test_gzip_bomb_is_not_inflated_past_cap(web: FixtureWeb, h: Harness) -> None:
    h.settings = make_settings(max_body=MB)
    bomb = gzip.compress(b"\0" * (20 * MB))
    assert len(bomb) < MB  # so only the decoded size can trip the cap
    web.set("/bomb", bomb, headers={"Content-Encoding": "gzip"})
    with pytest.raises(BodyTooLarge, match="exceeds the cap"):
        h.get(web.url("/bomb"))


class EndlessChunkedServer:
    """Answers every request with a chunked body that never ends; counts bytes sent."""

    def __init__(self, stop_after: int = 64 * MB) -> None:
        self.sent = 0
        self._stop_after = stop_after  # a safety net: a fetcher that reads all would pass it
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}/stream"

    def __enter__(self) -> EndlessChunkedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._sock.close()
        self._thread.join(timeout=5)

    def _serve(self) -> None:
        conn, _ = self._sock.accept()
        with conn:
            while b"\r\n\r\n" not in conn.recv(65536):
                pass
            conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
            chunk = b"%x\r\n%s\r\n" % (65536, b"y" * 65536)
            try:
                while self.sent < self._stop_after:
                    conn.sendall(chunk)
                    self.sent += 65536
            except OSError:
                pass  # the client hung up: what we want


def test_endless_chunked_body_stops_at_cap(h: Harness) -> None:
    h.settings = make_settings(max_body=MB, obey_robots=False, max_retries=0)
    with EndlessChunkedServer() as server, pytest.raises(BodyTooLarge):
        h.get(server.url)
    assert server.sent < 20 * MB  # reading stopped near the cap (plus socket buffers)


LINES = "".join(f"line {i}: children's services\n" for i in range(3000)).encode()


@pytest.mark.parametrize(
    ("encoding", "body", "expected"),
    [
        ("gzip", gzip.compress(LINES), LINES),
        ("deflate", zlib.compress(LINES), LINES),
        ("deflate", zlib.compress(LINES)[2:-4], LINES),  # raw deflate, as some servers send
        ("gzip", gzip.compress(LINES)[: len(gzip.compress(LINES)) // 2], BadContent),
        ("gzip", gzip.compress(LINES)[:-6], BadContent),  # only the trailer cut
        ("gzip", b"\x1f\x8b\x08\x00garbage that is not deflate", BadContent),
        ("br", b"whatever", BadContent),
    ],
    ids=["gzip", "deflate", "raw-deflate", "gzip-half", "gzip-no-trailer", "gzip-junk", "br"],
)
def test_content_encoding(
    web: FixtureWeb, h: Harness, encoding: str, body: bytes, expected: bytes | type[Exception]
) -> None:
    web.set("/enc", body, headers={"Content-Encoding": encoding}, content_type="text/plain")
    if isinstance(expected, bytes):
        assert h.get(web.url("/enc")).content == expected
        assert h.only_record().bytes == len(expected)
    else:
        with pytest.raises(expected):
            h.get(web.url("/enc"))
        assert len(web.requests_to("/enc")) == 1  # a bad body is not retried


# -- robots.txt ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("robots", "path", "allowed"),
    [
        ("User-agent: *\nDisallow: /private/\n", "/private/report", False),
        ("User-agent: *\nDisallow: /private/\n", "/public/report", True),
        ("User-agent: ofsted-monitor\nDisallow: /\n", "/public/report", False),
        ("User-agent: otherbot\nDisallow: /\n", "/public/report", True),
        ("User-agent: *\nDisallow: /\n\nUser-agent: ofsted-monitor\nAllow: /\n", "/x", True),
    ],
    ids=["star-disallow", "star-other-path", "our-token", "other-bot", "ours-allowed"],
)
def test_robots_rules_obeyed(
    web: FixtureWeb, h: Harness, robots: str, path: str, allowed: bool
) -> None:
    web.set("/robots.txt", robots, content_type="text/plain")
    web.set(path, "content")
    if allowed:
        assert h.get_all([web.url(path), web.url(path)])[1].content == b"content"
    else:
        with pytest.raises(RobotsDisallowed):
            h.get(web.url(path))
        assert web.requests_to(path) == []
        record = h.only_record()
        assert (record.status, record.attempts) == (None, 0)
    assert len(web.requests_to("/robots.txt")) == 1


@pytest.mark.parametrize(
    "robots",
    [
        bytes(range(256)) * 8,
        b"<html><body><h1>Welcome</h1><p>Disallow: everything</p></body></html>",
        b"\xff\xfeU\x00s\x00e\x00r\x00-\x00a\x00g\x00e\x00n\x00t\x00",
        gzip.compress(b"User-agent: *\nDisallow: /\n"),  # compressed but not labelled so
    ],
    ids=["binary", "html", "utf16", "unlabelled-gzip"],
)
def test_garbage_robots_allows(web: FixtureWeb, h: Harness, robots: bytes) -> None:
    web.set("/robots.txt", robots, content_type="text/plain")
    web.set("/page", "fine")
    assert h.get(web.url("/page")).content == b"fine"


@pytest.mark.parametrize(
    ("robots", "headers"),
    [
        (b"User-agent: *\nDisallow: /\n" + b"# padding\n" * 60_000, {}),  # 600 KB
        (gzip.compress(b"User-agent: *\nDisallow: /\n")[:20], {"Content-Encoding": "gzip"}),
    ],
    ids=["too-large", "truncated-gzip"],
)
def test_unusable_robots_allows(
    web: FixtureWeb, h: Harness, robots: bytes, headers: dict[str, str]
) -> None:
    web.set("/robots.txt", robots, content_type="text/plain", headers=headers)
    web.set("/page", "fine")
    assert h.get(web.url("/page")).content == b"fine"


def test_robots_redirect_is_followed(web: FixtureWeb, h: Harness) -> None:
    web.set("/robots.txt", status=301, headers={"Location": "/real-robots.txt"})
    web.set("/real-robots.txt", "User-agent: *\nDisallow: /no\n", content_type="text/plain")
    with pytest.raises(RobotsDisallowed):
        h.get(web.url("/no"))


@pytest.mark.parametrize(
    ("status", "asked_again_after"),
    [(404, 24 * 3600), (410, 24 * 3600), (500, 600), (503, 600)],
)
def test_robots_failure_allows_and_is_cached(
    web: FixtureWeb, h: Harness, status: int, asked_again_after: float
) -> None:
    web.set("/robots.txt", status=status)
    web.set("/page", "ok")

    async def scenario() -> None:
        async with h.fetcher() as fetcher:
            await fetcher.get(web.url("/page"), source="test")
            h.time.now += asked_again_after - 1
            await fetcher.get(web.url("/page"), source="test")
            assert len(web.requests_to("/robots.txt")) == 1
            h.time.now += 2
            await fetcher.get(web.url("/page"), source="test")
            assert len(web.requests_to("/robots.txt")) == 2

    asyncio.run(scenario())
    # robots.txt trouble is never retried nor recorded against the source
    assert len(h.records) == 3 and all(r.error is None for r in h.records)


def test_robots_unreachable_allows(h: Harness) -> None:
    # Nothing listens: robots.txt fails (allowed), then the page itself fails as it should.
    h.settings = make_settings(max_retries=0)
    with pytest.raises(FetchError, match="connection failed"):
        h.get(f"http://127.0.0.1:{free_port()}/x")
    assert h.only_record().attempts == 1


def test_crawl_delay_widens_min_delay(web: FixtureWeb, h: Harness) -> None:
    h.settings = make_settings(min_delay=0.5)
    web.set("/robots.txt", "User-agent: *\nCrawl-delay: 3\n", content_type="text/plain")
    web.set("/page", "ok")
    h.get_all([web.url("/page")] * 3)
    assert h.time.sleeps == [3.0, 3.0, 3.0]  # robots.txt, then each page 3 s apart


def test_obey_robots_false_never_asks(web: FixtureWeb, h: Harness) -> None:
    h.settings = make_settings(obey_robots=False)
    web.set("/robots.txt", "User-agent: *\nDisallow: /\n", content_type="text/plain")
    web.set("/page", "ok")
    assert h.get(web.url("/page")).content == b"ok"
    assert web.requests_to("/robots.txt") == []


def test_user_agent_on_every_request(web: FixtureWeb, h: Harness) -> None:
    web.set("/page", "ok")
    h.get(web.url("/page"))
    expected = h.settings.full_user_agent
    assert expected.endswith(" ops@example.org") and expected.startswith("ofsted-monitor/")
    assert [(r.path, r.headers["User-Agent"]) for r in web.requests] == [
        ("/robots.txt", expected),
        ("/page", expected),
    ]


# -- per-host politeness -----------------------------------------------------------------------
@pytest.mark.parametrize("limit", [1, 2])
def test_per_host_concurrency(web: FixtureWeb, limit: int) -> None:
    h = Harness(settings=make_settings(per_host_concurrency=limit), real_time=True)
    for n in range(4):
        web.set(f"/p{n}", f"page {n}", delay=0.15)

    async def scenario() -> list[Response]:
        async with h.fetcher() as fetcher:
            gets = [fetcher.get(web.url(f"/p{n}"), source="test") for n in range(4)]
            return await asyncio.gather(*gets)

    responses = asyncio.run(scenario())
    assert [r.content for r in responses] == [f"page {n}".encode() for n in range(4)]
    assert web.max_in_flight == limit
    assert len(web.requests_to("/robots.txt")) == 1  # concurrent gets share one robots fetch
    assert len(h.records) == 4


def test_min_delay_between_request_starts(web: FixtureWeb) -> None:
    h = Harness(settings=make_settings(min_delay=0.2), real_time=True)
    for n in range(3):
        web.set(f"/p{n}", "ok")

    async def scenario() -> None:
        async with h.fetcher() as fetcher:
            await asyncio.gather(*(fetcher.get(web.url(f"/p{n}"), source="t") for n in range(3)))

    asyncio.run(scenario())
    starts = [r.started for r in web.requests]
    assert len(starts) == 4  # robots.txt and three pages
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) >= 0.15, gaps  # server-side clocks: allow connection-setup jitter


def test_min_delay_with_fake_clock(web: FixtureWeb, h: Harness) -> None:
    h.settings = make_settings(min_delay=0.5)
    web.set("/page", "ok")
    h.get_all([web.url("/page")] * 3)
    assert h.time.sleeps == [0.5, 0.5, 0.5]


@pytest.fixture
def second_host() -> Iterator[FixtureWeb]:
    try:
        server = FixtureWeb(host="127.0.0.2")
    except OSError:
        pytest.skip("127.0.0.2 does not bind here")
    with server:
        yield server


def test_different_hosts_overlap(web: FixtureWeb, second_host: FixtureWeb) -> None:
    h = Harness(settings=make_settings(min_delay=1.0, obey_robots=False), real_time=True)
    # Each host answers only once the other host's request has arrived (or after 3 s): so
    # both requests were in flight at once, whatever the machine's speed. (A wall-clock bound
    # on the pair failed on a loaded machine, or passed if both were quick enough anyway.)
    arrived = {"one": threading.Event(), "two": threading.Event()}
    met: list[bool] = []

    def meeting(me: str, other: str) -> Callable[[Request], Page]:
        def answer(request: Request) -> Page:
            arrived[me].set()
            met.append(arrived[other].wait(3))
            return Page(body=me.encode(), content_type="text/plain")

        return answer

    web.set("/slow", handler=meeting("one", "two"))
    second_host.set("/slow", handler=meeting("two", "one"))

    async def scenario() -> list[Response]:
        async with h.fetcher(trusted=[web.base_url, second_host.base_url]) as fetcher:
            return list(
                await asyncio.gather(
                    fetcher.get(web.url("/slow"), source="a"),
                    fetcher.get(second_host.url("/slow"), source="b"),
                )
            )

    responses = asyncio.run(scenario())
    assert [r.content for r in responses] == [b"one", b"two"]
    assert met == [True, True]  # one after the other: the first would have waited in vain


def test_retry_after_holds_the_whole_host(web: FixtureWeb, h: Harness) -> None:
    h.settings = make_settings(max_retries=0)
    web.set("/busy", status=429, headers={"Retry-After": "5"})
    web.set("/other", "other")

    async def scenario() -> None:
        async with h.fetcher() as fetcher:
            with pytest.raises(HTTPStatusError):
                await fetcher.get(web.url("/busy"), source="test")
            assert h.time.sleeps == []
            assert (await fetcher.get(web.url("/other"), source="test")).content == b"other"

    asyncio.run(scenario())
    assert h.time.sleeps == [5.0]  # the server's wait applied to the next URL on the host


# -- small parsers ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("120", 120.0),
        (" 0 ", 0.0),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 10.0),
        ("Wed, 21 Oct 2015 07:27:00 GMT", 0.0),  # in the past: now
        ("-5", None),
        ("tomorrow", None),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    now = email.utils.parsedate_to_datetime("Wed, 21 Oct 2015 07:27:50 GMT").timestamp()
    assert parse_retry_after(value, now=now) == expected


@pytest.mark.parametrize(
    ("agent", "token"),
    [
        ("ofsted-monitor/0.1 (+https://example.org)", "ofsted-monitor"),
        ("mybot", "mybot"),
        ("", "*"),
    ],
)
def test_product_token(agent: str, token: str) -> None:
    assert product_token(agent) == token
