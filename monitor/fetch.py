"""The polite HTTP client: one shared ``httpx.AsyncClient`` for the whole daemon.

``Fetcher.get(url)`` does, for each hop of a redirect chain (at most ``max_redirects``):

0. the address check (``netguard``): no internal address unless a configured source URL names
   that host, no ``user:password@`` in followed links; checked again on the resolved address
   when connecting;
1. robots.txt of the hop's origin (scheme, host, port), fetched once and cached;
2. the host's gate: at most ``per_host_concurrency`` requests in flight and at least
   ``min_delay`` (or the robots.txt Crawl-delay, if larger) between two starts;
3. one GET with the conditional validators, the body streamed and decoded here under the
   size cap (so a truncated gzip is noticed and a gzip bomb is never inflated);
4. retries on timeouts, connection errors, 429 and 5xx: exponential backoff with jitter, or
   the server's Retry-After; the wait is imposed on the whole host, not just this URL. A
   Retry-After over ``MAX_RETRY_SLEEP`` is not slept: the poll gives up and the host is held
   (``HostDeferred`` for every request to it) until then.

Every call produces exactly one ``FetchRecord`` (success, 304 or failure) through
``on_record``; every failure is logged once on the ``monitor.fetch`` logger, and the only
exceptions ``get`` raises for network or HTTP trouble are ``errors.FetchError`` subclasses.

robots.txt policy (RFC 9309 where the project brief says nothing):

- 2xx: parsed with ``urllib.robotparser`` for our product token; cached for ``robots_ttl``.
- 4xx other than 429 (404, 410, also 401/403): no rules, everything allowed; cached as long.
- 429, 5xx, timeouts, unreachable: allowed *for now* and asked again after ``robots_retry``
  (10 minutes), so a failing server is not asked before every page but recovers quickly.
- a body that is not a robots.txt (binary junk, an HTML page, over 512 KiB, a broken gzip):
  whatever rules parse, else allowed, for ``robots_ttl``; a warning is logged.

Crawl-delay is honoured (as a larger min_delay for the host) up to ``MAX_CRAWL_DELAY``.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import functools
import logging
import random
import re
import ssl
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC
from types import TracebackType
from urllib.robotparser import RobotFileParser

import httpx

from .config import Settings
from .errors import (
    BadContent,
    BodyTooLarge,
    FetchError,
    FetchTimeout,
    HostDeferred,
    HTTPStatusError,
    RobotsDisallowed,
    TooManyRedirects,
)
from .netguard import AddressPolicy, guarded_transport
from .records import FetchRecord, Validators
from .redact import redact_text, redact_url

log = logging.getLogger("monitor.fetch")

ROBOTS_TTL = 24 * 3600.0
ROBOTS_RETRY = 600.0
ROBOTS_MAX_BODY = 512 * 1024  # RFC 9309 asks crawlers to parse at least 500 KiB
MAX_CRAWL_DELAY = 60.0  # a hostile robots.txt must not stall a host's polling for hours
# A Retry-After up to this is waited out inside the poll; a longer one ends the poll and holds
# the host instead (``_retry_wait``).
MAX_RETRY_SLEEP = 30.0
ATTEMPT_DEADLINE_FACTOR = 10  # one attempt may last timeout x this (a slow-drip server)
_CHUNK = 64 * 1024
DRAIN_LIMIT = 64 * 1024  # unused bodies (304, redirects, errors) read to keep the connection
_RETRY_AFTER_STATUSES = frozenset({429, 503})
# [ \t], not \s: \s crosses lines, so every line of a run of blank lines rescanned the run.
_ROBOTS_DIRECTIVE = re.compile(
    r"^[ \t]*(user-agent|disallow|allow)[ \t]*:", re.IGNORECASE | re.MULTILINE
)

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]


@dataclass(frozen=True)
class Response:
    url: str  # the final URL, after redirects
    status: int
    content: bytes  # raw, decompressed bytes; never guessed text
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-case names
    validators: Validators = field(default_factory=Validators)
    elapsed: float = 0.0

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-cased ('' when absent)."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


class Fetcher:
    """The daemon's one HTTP client; see the module docstring for what ``get`` guarantees.

    ``transport``, ``sleep``, ``clock`` and ``jitter`` are seams for tests and benchmarks:
    inject a sleep that records its argument and Retry-After is checked without waiting. A
    ``transport`` given replaces the guarded one (``netguard``): only the URL check remains.
    ``trusted`` are the configured source URLs, whose hosts alone may be internal addresses.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        on_record: Callable[[FetchRecord], None] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep,
        clock: Clock = time.monotonic,
        jitter: Callable[[], float] = random.random,
        robots_ttl: float = ROBOTS_TTL,
        robots_retry: float = ROBOTS_RETRY,
        trusted: Iterable[str] = (),
    ) -> None:
        self.settings = settings
        # The configured source URLs: only the hosts they name may be internal (netguard).
        self.policy = AddressPolicy(trusted)
        self._on_record = on_record
        self._sleep = sleep
        self._clock = clock
        self._jitter = jitter
        self._robots_ttl = robots_ttl
        self._robots_retry = robots_retry
        self._agent = product_token(settings.user_agent)
        limits = httpx.Limits(
            max_connections=settings.max_connections,
            max_keepalive_connections=settings.max_connections,
        )
        self._transport = transport
        self._limits = limits
        self._http: httpx.AsyncClient | None = None  # made at the first request: see _client
        self._gates: dict[str, _HostGate] = {}
        # Requests in flight across all hosts, never more than the connection pool holds:
        # a request queued inside httpcore's pool costs a scan of the whole queue per step.
        self._in_flight = asyncio.Semaphore(settings.max_connections)
        self._robots: dict[str, _RobotsRules] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}

    @property
    def on_record(self) -> Callable[[FetchRecord], None] | None:
        """Where each call's ``FetchRecord`` goes (the pipeline's fetch log)."""
        return self._on_record

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()

    @property
    def _client(self) -> httpx.AsyncClient:
        """The HTTP client, made on first use: loading the CA certificates for TLS takes
        tens of milliseconds, which a run with nothing to fetch need not pay."""
        if self._http is None:
            settings = self.settings
            # Verification is always on; ca_bundle only changes whom it trusts.
            verify: ssl.SSLContext | bool = (
                ssl.create_default_context(cafile=settings.ca_bundle)
                if settings.ca_bundle
                else True
            )
            limits = self._limits
            self._http = httpx.AsyncClient(
                # Every connection's address is checked as it is made (netguard.GuardedBackend).
                transport=self._transport
                or guarded_transport(self.policy, limits=limits, verify=verify),
                verify=verify,
                follow_redirects=False,  # followed here, so every hop is checked and gated
                timeout=httpx.Timeout(settings.timeout),
                limits=limits,
                # Only encodings _Decoder handles; httpx would add br/zstd when installed.
                headers={
                    "User-Agent": settings.full_user_agent,
                    "Accept-Encoding": "gzip, deflate",
                },
            )
            # The same cookie jar, read only when a response sets a cookie (_ReceivedCookies).
            self._http._cookies = _ReceivedCookies(self._http.cookies.jar)
        return self._http

    async def get(self, url: str, *, source: str, validators: Validators | None = None) -> Response:
        """GET ``url`` politely; raise a ``FetchError`` subclass on any network/HTTP failure.

        A 304 (when ``validators`` were sent) comes back as ``Response(status=304,
        content=b"")``; a 200 carries the validators to send next time.
        """
        started = self._clock()
        trace = _Trace()
        try:
            response = await self._follow(url, validators, trace)
        except FetchError as exc:
            self._record(source, url, trace, started, error=str(exc))
            raise
        except asyncio.CancelledError:
            self._record(source, url, trace, started, error="cancelled")
            raise
        self._record(source, url, trace, started, size=len(response.content))
        return response

    # -- redirects and robots -------------------------------------------------------------------
    async def _follow(self, url: str, validators: Validators | None, trace: _Trace) -> Response:
        started = self._clock()
        current = _parse_url(url)
        headers = _conditional_headers(validators)
        seen: set[str] = set()  # the chain's URLs, filled at the first redirect
        for hop in range(self.settings.max_redirects + 1):
            # Before robots.txt: a refused host is not asked anything at all.
            self.policy.check_url(current)
            await self._check_robots(current)
            raw = await self._with_retries(current, headers, trace)
            location = raw.redirect_location()
            if location is None:
                return raw.response(validators, elapsed=self._clock() - started)
            target = _parse_url(location, base=current)
            if hop == self.settings.max_redirects:
                raise TooManyRedirects(
                    f"more than {self.settings.max_redirects} redirects", url=str(target)
                )
            seen.add(str(current))
            if str(target) in seen:
                raise TooManyRedirects(f"redirect loop back to {str(target)!r}", url=url)
            seen.add(str(target))
            current = target
        raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover

    async def _check_robots(self, url: httpx.URL) -> None:
        if not self.settings.obey_robots:
            return
        rules = await self._robots_for(url)
        if not rules.allows(self._agent, str(url)):
            raise RobotsDisallowed("robots.txt disallows it", url=str(url))

    async def _robots_for(self, url: httpx.URL) -> _RobotsRules:
        origin = _origin(url)
        rules = self._robots.get(origin)
        if rules is not None and rules.expires > self._clock():
            return rules  # the common case: known and fresh, no lock to take
        # One fetch per origin even when many gets for a new host start together.
        lock = self._robots_locks.get(origin)
        if lock is None:
            lock = self._robots_locks[origin] = asyncio.Lock()
        async with lock:
            rules = self._robots.get(origin)
            if rules is None or rules.expires <= self._clock():
                rules = await self._load_robots(origin)
                self._robots[origin] = rules
                delay = min(rules.crawl_delay or 0.0, MAX_CRAWL_DELAY)
                self._gate(url).set_delay(max(self.settings.min_delay, delay))
            return rules

    async def _load_robots(self, origin: str) -> _RobotsRules:
        now = self._clock()
        try:
            raw = await self._robots_request(_parse_url(origin + "/robots.txt"))
        except (BodyTooLarge, BadContent) as exc:  # there, but junk: asking again won't help
            log.warning("robots.txt of %s unusable (%s); allowing all", origin, exc)
            return _RobotsRules(None, now + self._robots_ttl)
        except (FetchError, httpx.HTTPError, TimeoutError) as exc:
            log.info("robots.txt of %s unavailable (%s); allowing for now", origin, _describe(exc))
            return _RobotsRules(None, now + self._robots_retry)
        if raw.status == 429 or raw.status >= 500:
            log.info("robots.txt of %s answered %d; allowing for now", origin, raw.status)
            return _RobotsRules(None, now + self._robots_retry)
        if not 200 <= raw.status < 300:
            return _RobotsRules(None, now + self._robots_ttl)  # no robots.txt: allow all
        parser = _parse_robots(raw.content, origin)
        crawl_delay = _crawl_delay(parser, self._agent) if parser else None
        return _RobotsRules(parser, now + self._robots_ttl, crawl_delay)

    async def _robots_request(self, url: httpx.URL) -> _Raw:
        """One attempt per hop, no retries: robots.txt trouble falls back to allowing."""
        for _ in range(self.settings.max_redirects + 1):
            raw = await self._attempt(url, {}, limit=ROBOTS_MAX_BODY)
            location = raw.redirect_location()
            if location is None:
                return raw
            url = _parse_url(location, base=url)
        raise TooManyRedirects("robots.txt redirects too often", url=str(url))

    # -- retries and single attempts --------------------------------------------------------------
    async def _with_retries(self, url: httpx.URL, headers: dict[str, str], trace: _Trace) -> _Raw:
        retries = self.settings.max_retries
        for retry in range(retries + 1):
            trace.attempts += 1
            try:
                raw = await self._attempt(url, headers, limit=self.settings.max_body)
            except (httpx.TimeoutException, TimeoutError) as exc:
                failure: FetchError = FetchTimeout(f"timed out ({_describe(exc)})", url=str(url))
                wait = self._backoff(retry)
            except httpx.UnsupportedProtocol as exc:
                raise FetchError(f"unsupported URL: {exc}", url=str(url)) from None
            except httpx.TransportError as exc:
                failure = FetchError(f"connection failed: {_describe(exc)}", url=str(url))
                wait = self._backoff(retry)
            except httpx.HTTPError as exc:  # anything else httpx may raise: not worth a retry
                raise FetchError(_describe(exc), url=str(url)) from None
            else:
                trace.status = raw.status
                if not raw.retryable():
                    raw.raise_for_status()
                    return raw
                failure = raw.status_error()
                wait = self._retry_wait(raw, retry, failure, url)
            # The wait holds every request to this host, even when this one gives up now.
            self._gate(url).defer(wait)
            if retry == retries:
                raise failure
            log.debug("%s; retry %d of %d in %.1f s", failure, retry + 1, retries, wait)
        raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover

    def _retry_wait(self, raw: _Raw, retry: int, failure: HTTPStatusError, url: httpx.URL) -> float:
        """The server's Retry-After (429/503) if any, else our backoff.

        A Retry-After longer than ``MAX_RETRY_SLEEP`` is never slept: sleeping would hold this
        poll (and, through the host's gate, every source on the host) for that long. The poll
        gives up now and the host is held (at most ``max_retry_after``): until then requests
        to it fail at once with ``HostDeferred``, and other hosts are not touched.
        """
        after = None
        if raw.status in _RETRY_AFTER_STATUSES:
            after = parse_retry_after(raw.headers.get("retry-after"), now=time.time())
        if after is None:
            return self._backoff(retry)
        if after > min(MAX_RETRY_SLEEP, self.settings.max_retry_after):
            hold = min(after, self.settings.max_retry_after)
            self._gate(url).hold(hold)
            raise HTTPStatusError(
                f"{failure.args[0]}, Retry-After {after:.0f} s: {url.host} deferred for "
                f"{hold:.0f} s",
                url=failure.url,
                status=raw.status,
            )
        return after

    def _backoff(self, retry: int) -> float:
        # Up to 25% jitter on top, so many sources hitting one host do not retry in step.
        return float(self.settings.backoff * 2**retry * (1 + 0.25 * self._jitter()))

    async def _attempt(self, url: httpx.URL, headers: dict[str, str], *, limit: int) -> _Raw:
        client = self._client  # made (if new) before the slot, so min_delay counts from sending
        async with self._gate(url).slot(str(url)), self._in_flight:
            deadline = self.settings.timeout * ATTEMPT_DEADLINE_FACTOR
            async with (
                asyncio.timeout(deadline),
                client.stream("GET", url, headers=headers) as response,
            ):
                content = b""
                if 200 <= response.status_code < 300:
                    content = await _read_body(response, str(url), limit)
                else:
                    # A 304, redirect or error body is not parsed, but read to its end (when
                    # small) so that httpx puts the connection back in its pool: else every
                    # unchanged feed costs a new TCP connection (and a TLS handshake).
                    await _drain(response)
                return _Raw(str(url), response.status_code, dict(response.headers.items()), content)

    def _gate(self, url: httpx.URL) -> _HostGate:
        # Keyed by host name alone: http and https (or two ports) of one host share a limit.
        host = url.host.lower()
        gate = self._gates.get(host)
        if gate is None:
            gate = _HostGate(
                self.settings.per_host_concurrency,
                self.settings.min_delay,
                self._clock,
                self._sleep,
            )
            self._gates[host] = gate
        return gate

    def _record(
        self,
        source: str,
        url: str,
        trace: _Trace,
        started: float,
        *,
        size: int = 0,
        error: str | None = None,
    ) -> None:
        # Redacted: the record is stored and logged, and a source URL may carry an API key.
        url, error = redact_url(url), redact_text(error) if error is not None else None
        record = FetchRecord(
            source=source,
            url=url,
            status=trace.status,
            bytes=size,
            duration=self._clock() - started,
            error=error,
            attempts=trace.attempts,
        )
        if error is not None:
            log.warning(
                "%s: GET %s failed after %d attempt(s): %s", source, url, trace.attempts, error
            )
        if self._on_record is None:
            return
        try:
            self._on_record(record)
        except Exception:  # bookkeeping trouble must not turn a good fetch into a failure
            log.exception("%s: recording the fetch of %s failed", source, url)


def product_token(user_agent: str) -> str:
    """The robots.txt product token: 'ofsted-monitor/0.1 (+https://...)' -> 'ofsted-monitor'."""
    first = user_agent.strip().split(" ")[0] if user_agent.strip() else "*"
    return first.split("/")[0] or "*"


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """Seconds to wait from a Retry-After of delta-seconds or an HTTP-date (None if unusable)."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


# -- internals -----------------------------------------------------------------------------------
class _ReceivedCookies(httpx.Cookies):
    """httpx's cookie jar, skipped for a response without Set-Cookie.

    httpx hands every response to ``http.cookiejar`` (wrapped as a ``urllib`` request and
    an e-mail message, which parses the URL and copies every header), and the jar only ever
    reads the Set-Cookie and Set-Cookie2 headers: a response with neither (every 304 of an
    unchanged feed) has nothing for it. About 5% of an unchanged request's CPU."""

    def extract_cookies(self, response: httpx.Response) -> None:
        headers = response.headers
        if "set-cookie" in headers or "set-cookie2" in headers:
            super().extract_cookies(response)


@dataclass
class _Trace:
    """What one ``get`` has seen so far, for its FetchRecord."""

    attempts: int = 0
    status: int | None = None


@dataclass(frozen=True)
class _Raw:
    """One HTTP exchange, body kept only for 2xx."""

    url: str
    status: int
    headers: dict[str, str]
    content: bytes

    def redirect_location(self) -> str | None:
        if 300 <= self.status < 400 and self.status != 304:
            location = self.headers.get("location", "").strip()
            if not location:
                raise HTTPStatusError(
                    f"HTTP {self.status} redirect without a Location",
                    url=self.url,
                    status=self.status,
                )
            return location
        return None

    def retryable(self) -> bool:
        return self.status == 429 or 500 <= self.status < 600

    def status_error(self) -> HTTPStatusError:
        reason = httpx.codes.get_reason_phrase(self.status)
        return HTTPStatusError(
            f"HTTP {self.status} {reason}".strip(), url=self.url, status=self.status
        )

    def raise_for_status(self) -> None:
        if self.status >= 400:
            raise self.status_error()

    def response(self, sent: Validators | None, *, elapsed: float) -> Response:
        etag, modified = self.headers.get("etag"), self.headers.get("last-modified")
        if self.status == 304 and sent is not None:
            # A 304 may refresh a validator; otherwise the ones we sent still hold.
            etag, modified = etag or sent.etag, modified or sent.last_modified
        return Response(
            url=self.url,
            status=self.status,
            content=self.content,
            headers=self.headers,
            validators=Validators(etag=etag, last_modified=modified),
            elapsed=elapsed,
        )


class _HostGate:
    """Requests to one host: at most ``limit`` in flight, starts at least ``delay`` apart."""

    def __init__(self, limit: int, delay: float, clock: Clock, sleep: Sleep) -> None:
        self._slots = asyncio.Semaphore(limit)
        self.delay = delay
        self._next_start = float("-inf")
        self._held_until = float("-inf")  # a long Retry-After: refuse, never sleep, until then
        self._clock = clock
        self._sleep = sleep

    def set_delay(self, delay: float) -> None:
        """Change the spacing, including that after the request that started last."""
        self._next_start += delay - self.delay
        self.delay = delay

    def defer(self, seconds: float) -> None:
        """Hold every request to this host for ``seconds`` (a Retry-After or a backoff)."""
        self._next_start = max(self._next_start, self._clock() + seconds)

    def hold(self, seconds: float) -> None:
        """Refuse every request to this host for ``seconds`` (a long Retry-After)."""
        self._held_until = max(self._held_until, self._clock() + seconds)

    def _check_held(self, url: str) -> None:
        if (left := self._held_until - self._clock()) > 0:
            raise HostDeferred(
                f"host asked us to wait (Retry-After); deferred for another {left:.0f} s", url=url
            )

    @contextlib.asynccontextmanager
    async def slot(self, url: str) -> AsyncIterator[None]:
        self._check_held(url)
        async with self._slots:
            # Re-check after each sleep: another holder may have started, or a deferral come.
            while (wait := self._next_start - self._clock()) > 0:
                self._check_held(url)
                await self._sleep(wait)
            self._check_held(url)
            self._next_start = self._clock() + self.delay
            yield


ROBOTS_ANSWERS_KEPT = 4096  # per origin: a feed is asked about every poll, an article once


@dataclass
class _RobotsRules:
    parser: RobotFileParser | None  # None: everything allowed
    expires: float
    crawl_delay: float | None = None
    # The parser's answer per URL: the same rules give the same answer (robotparser quotes
    # and splits the URL again on every question).
    answers: dict[tuple[str, str], bool] = field(default_factory=dict)

    def allows(self, agent: str, url: str) -> bool:
        if self.parser is None:
            return True
        known = self.answers.get((agent, url))
        if known is not None:
            return known
        try:
            allowed = bool(self.parser.can_fetch(agent, url))
        except Exception as exc:  # robotparser on hostile input: allow rather than crash
            log.warning("robots.txt check of %s failed (%s); allowing", url, _describe(exc))
            return True
        if len(self.answers) >= ROBOTS_ANSWERS_KEPT:
            self.answers.clear()
        self.answers[agent, url] = allowed
        return allowed


def _parse_robots(content: bytes, origin: str) -> RobotFileParser | None:
    text = content.decode("utf-8", errors="replace")
    parser = RobotFileParser()
    try:
        parser.parse(text.splitlines())
    except Exception as exc:
        log.warning("robots.txt of %s unreadable (%s); allowing all", origin, _describe(exc))
        return None
    if text.strip() and not _ROBOTS_DIRECTIVE.search(text):
        log.warning("robots.txt of %s has no usable rules; allowing all", origin)
    return parser


def _crawl_delay(parser: RobotFileParser, agent: str) -> float | None:
    try:
        delay = parser.crawl_delay(agent)
    except Exception:
        return None
    return float(delay) if delay is not None else None


class _Decoder:
    """Content-Encoding decoding that notices truncation (httpx's does not) and never inflates
    more than the room left under the size cap."""

    def __init__(self, encoding: str, url: str) -> None:
        self._url = url
        self._fresh = True  # no compressed byte seen yet
        self._raw_deflate_fallback = False
        name = encoding.strip().lower()
        self._z: zlib._Decompress | None
        if name in ("", "identity"):
            self._z = None
        elif name in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif name == "deflate":
            self._z = zlib.decompressobj()
            self._raw_deflate_fallback = True  # some servers send raw deflate, no zlib header
        else:
            raise BadContent(f"unsupported Content-Encoding {encoding!r}", url=url)

    def feed(self, data: bytes, room: int) -> bytes:
        """Decode ``data``; returns more than ``room`` bytes only to signal 'too large'."""
        if self._z is None or not data:
            return data
        first, self._fresh = self._fresh, False
        try:
            return self._z.decompress(data, room + 1)
        except zlib.error as exc:
            if first and self._raw_deflate_fallback:
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                self._raw_deflate_fallback = False
                return self.feed(data, room)
            raise BadContent(f"undecodable compressed body: {exc}", url=self._url) from None

    def finish(self) -> None:
        if self._z is not None and not self._fresh and not self._z.eof:
            raise BadContent("truncated compressed body", url=self._url)


async def _read_body(response: httpx.Response, url: str, limit: int) -> bytes:
    """The decoded body, refused as soon as it (or its Content-Length) passes ``limit``."""
    length = _content_length(response.headers)
    if length is not None and length > limit:
        raise BodyTooLarge(f"Content-Length {length} exceeds the cap of {limit} bytes", url=url)
    decoder = _Decoder(response.headers.get("content-encoding", ""), url)
    body = bytearray()
    received = 0
    async for chunk in response.aiter_raw(_CHUNK):
        received += len(chunk)
        body += decoder.feed(chunk, limit - len(body))
        if received > limit or len(body) > limit:
            raise BodyTooLarge(f"body exceeds the cap of {limit} bytes", url=url)
    decoder.finish()
    return bytes(body)


async def _drain(response: httpx.Response) -> None:
    """Read and drop a body we do not use, up to ``DRAIN_LIMIT`` raw bytes; a larger one is
    left unread, and closing the response then closes its connection instead."""
    length = _content_length(response.headers)
    if length is not None and length > DRAIN_LIMIT:
        return
    received = 0
    try:
        async for chunk in response.aiter_raw(_CHUNK):
            received += len(chunk)
            if received > DRAIN_LIMIT:
                return
    except httpx.HTTPError:  # the status is the answer; a broken unused body only loses the
        return  # connection


def _content_length(headers: httpx.Headers) -> int | None:
    try:
        return int(headers.get("content-length", ""))
    except ValueError:
        return None


def _conditional_headers(validators: Validators | None) -> dict[str, str]:
    headers: dict[str, str] = {}
    if validators is None:
        return headers
    # Validators came from a server: send them back only if they are a legal header value.
    if validators.etag and _header_safe(validators.etag):
        headers["If-None-Match"] = validators.etag
    if validators.last_modified and _header_safe(validators.last_modified):
        headers["If-Modified-Since"] = validators.last_modified
    return headers


def _header_safe(value: str) -> bool:
    return value.isascii() and value.isprintable()


def _parse_url(url: str, *, base: httpx.URL | None = None) -> httpx.URL:
    try:
        parsed = base.join(url) if base is not None else _url(url)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise FetchError(f"invalid URL: {exc}", url=url) from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise FetchError("not an http(s) URL", url=str(parsed))
    return parsed


@functools.lru_cache(maxsize=4096)
def _url(url: str) -> httpx.URL:
    """``httpx.URL(url)``, parsed once per URL: a daemon asks for the same feeds every cycle
    (and httpx checks every character of a URL as it parses it). URLs are immutable."""
    return httpx.URL(url)


def _origin(url: httpx.URL) -> str:
    host = f"[{url.host}]" if ":" in url.host else url.host  # an IPv6 literal
    port = f":{url.port}" if url.port is not None else ""
    return f"{url.scheme}://{host}{port}"


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
