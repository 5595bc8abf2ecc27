"""The polite HTTP client: one shared ``httpx.AsyncClient`` for the whole daemon.

INTERFACE ONLY (to be implemented): conditional GET, robots.txt, per-host limits, retries
with backoff honouring Retry-After, timeouts, a body size cap, bounded redirects, and a
``FetchRecord`` for every outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .config import Settings


@dataclass(frozen=True)
class Validators:
    """HTTP cache validators of a stored response, sent back as a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None

    def __bool__(self) -> bool:
        return bool(self.etag or self.last_modified)


@dataclass(frozen=True)
class Response:
    url: str  # the final URL, after redirects
    status: int
    content: bytes  # raw, decompressed bytes; never guessed text
    headers: Mapping[str, str] = field(default_factory=dict)
    validators: Validators = Validators()
    elapsed: float = 0.0

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-cased ('' when absent)."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass(frozen=True)
class FetchRecord:
    """One request's outcome, as recorded against its source."""

    source: str
    url: str
    status: int | None  # None when no response arrived
    bytes: int
    duration: float
    error: str | None = None
    attempts: int = 1


class Fetcher:
    def __init__(
        self,
        settings: Settings,
        *,
        on_record: Callable[[FetchRecord], None] | None = None,
    ) -> None:
        raise NotImplementedError

    async def get(self, url: str, *, source: str, validators: Validators | None = None) -> Response:
        raise NotImplementedError

    async def aclose(self) -> None:
        raise NotImplementedError
