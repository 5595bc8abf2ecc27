"""Every exception the monitor raises on purpose.

MonitorError
├── ConfigError            bad sources.yaml: carries file, line and field (exit code 2)
├── FetchError             one request failed; counted against its source
│   ├── RobotsDisallowed   robots.txt forbids the URL
│   ├── BodyTooLarge       the body passed the size cap
│   ├── TooManyRedirects   a redirect loop or chain past the limit
│   ├── FetchTimeout       connect/read timeout after the retries
│   ├── HTTPStatusError    a 4xx/5xx after the retries
│   ├── BadContent         undecodable body (truncated gzip and the like)
│   ├── AddressRefused     an internal address, or a followed link with user:password@
│   └── HostDeferred       the host asked us (Retry-After) to come back later
├── ParseError             a fetched body that cannot be read as what it claims to be
│   ├── FeedError
│   ├── ReportError        a PDF that is not a readable inspection report
│   └── DocumentRejected   past a parse limit (a bomb) or killed the parse worker
├── StoreError             the database refused a write (full disk, locked)
└── AlertError             a delivery failed (kept in the outbox and retried)
"""

from __future__ import annotations

from .redact import redact_text


class MonitorError(Exception):
    """Base class of the monitor's own errors."""


class ConfigError(MonitorError):
    """A configuration problem, located as ``file:line: field: message``."""

    def __init__(self, message: str, *, path: str = "", line: int | None = None, field: str = ""):
        self.path = path
        self.line = line
        self.field = field
        self.message = redact_text(message)  # echoed values may hold secrets from ${ENV}
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where = f"{where}:{self.line}"
        parts = [p for p in (where, self.field) if p]
        return ": ".join([*parts, self.message])


class FetchError(MonitorError):
    """A request that failed; ``url`` names it."""

    def __init__(self, message: str, *, url: str = ""):
        self.url = url  # as requested; the message shows it (and any URL in it) redacted
        super().__init__(redact_text(f"{message} ({url})" if url else message))


class RobotsDisallowed(FetchError):
    pass


class BodyTooLarge(FetchError):
    pass


class TooManyRedirects(FetchError):
    pass


class FetchTimeout(FetchError):
    pass


class HTTPStatusError(FetchError):
    def __init__(self, message: str, *, url: str = "", status: int = 0):
        self.status = status
        super().__init__(message, url=url)


class BadContent(FetchError):
    pass


class AddressRefused(FetchError):
    """Never fetched: the URL names, or its host resolves to, an address the monitor must not
    reach (loopback, private, link-local...), or a followed link carries credentials."""


class HostDeferred(FetchError):
    """Not attempted: the host's Retry-After holds every request to it until later."""


class ParseError(MonitorError):
    pass


class FeedError(ParseError):
    pass


class ReportError(ParseError):
    pass


class DocumentRejected(ParseError):
    """A document that passed a parse limit (a decompression bomb, a parse that ran out of
    time or memory, a crash of the parse worker). The pipeline records it against its URL and
    does not read the same bytes again."""


class StoreError(MonitorError):
    pass


class AlertError(MonitorError):
    pass
