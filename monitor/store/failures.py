"""Documents that could not be read safely: they killed or overran the parse worker, or passed
a parse limit (``errors.DocumentRejected``). Recorded per (source, URL) with the hash of the
bytes, so that a hostile document costs one failure, not one crash per poll.

``FailureAwareState`` wraps a source's ``SourceState``: a failed URL counts as seen, with the
fingerprint its feed entry had when it failed, so the source fetches it again only when the
entry changes; and ``failed_before`` lets the pipeline skip the same bytes when it does.
Both hold only while the parse limits are no higher than when it failed: an operator who
raises ``parse_timeout`` or ``parse_memory`` gets every failed document read again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import sqlite_utils

from ..records import Validators
from ..redact import redact_text, redact_url
from .db import immediate, utc_iso


class SourceState(Protocol):
    """``monitor.sources.base.SourceState``, restated: the store sits below the sources."""

    def validators(self, url: str) -> Validators | None: ...

    def seen(self, url: str) -> bool: ...

    def fingerprint(self, url: str) -> str | None: ...


def content_digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@dataclass(frozen=True)
class Limits:
    """The parse limits a failure was met under (``parse_worker.ParseLimits``' numbers)."""

    timeout: float
    memory: int


# A failure counts while the limits now are no higher than the ones it was met under.
_STILL_FAILED = "parse_timeout >= ? AND parse_memory >= ?"


@dataclass(frozen=True)
class ParseFailure:
    source: str
    url: str
    reason: str
    failures: int
    last_failed: str


def record_failure(
    db: sqlite_utils.Database,
    source: str,
    urls: Iterable[str],
    *,
    content: bytes,
    fingerprint: str | None,
    reason: str,
    limits: Limits,
    now: datetime,
) -> None:
    """Remember that these bytes, fetched by ``source`` under each of ``urls`` (the entry's
    link and the final URL), could not be read."""
    stamp = utc_iso(now)
    digest = content_digest(content)
    with immediate(db):
        for url in dict.fromkeys(redact_url(u) for u in urls if u):
            db.execute(
                """INSERT INTO parse_failures (source, url, content_hash, fingerprint, reason,
                       first_failed, last_failed, parse_timeout, parse_memory)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (source, url) DO UPDATE SET
                       content_hash = excluded.content_hash,
                       fingerprint = excluded.fingerprint, reason = excluded.reason,
                       failures = failures + 1, last_failed = excluded.last_failed,
                       parse_timeout = excluded.parse_timeout,
                       parse_memory = excluded.parse_memory""",
                [
                    source,
                    url,
                    digest,
                    fingerprint,
                    redact_text(reason),
                    stamp,
                    stamp,
                    limits.timeout,
                    limits.memory,
                ],
            )


def failed_before(
    db: sqlite_utils.Database, source: str, url: str, content: bytes, limits: Limits
) -> str | None:
    """The recorded reason if exactly these bytes at this URL failed before (under limits no
    lower than ``limits``), else None."""
    row = db.execute(
        "SELECT reason FROM parse_failures WHERE source = ? AND url = ? AND content_hash = ?"
        f" AND {_STILL_FAILED}",
        [source, redact_url(url), content_digest(content), limits.timeout, limits.memory],
    ).fetchone()
    return str(row[0]) if row else None


def clear_failure(db: sqlite_utils.Database, source: str, urls: Iterable[str]) -> None:
    """Forget a failure once the URL's (changed) document was read."""
    with immediate(db):
        for url in dict.fromkeys(redact_url(u) for u in urls if u):
            db.execute("DELETE FROM parse_failures WHERE source = ? AND url = ?", [source, url])


def failures(db: sqlite_utils.Database, source: str | None = None) -> list[ParseFailure]:
    """Recorded failures, newest first (of one source, or of all)."""
    rows = db.execute(
        """SELECT source, url, reason, failures, last_failed FROM parse_failures
           WHERE ? IS NULL OR source = ? ORDER BY last_failed DESC, url""",
        [source, source],
    ).fetchall()
    return [ParseFailure(*row) for row in rows]


class FailureAwareState:
    """A source's ``SourceState`` in which a URL whose document failed counts as seen."""

    def __init__(
        self, inner: SourceState, db: sqlite_utils.Database, source: str, limits: Limits
    ) -> None:
        self.inner = inner
        self.db = db
        self.source = source
        self.limits = limits

    def _failed(self, url: str) -> tuple[str | None] | None:
        row = self.db.execute(
            "SELECT fingerprint FROM parse_failures WHERE source = ? AND url = ?"
            f" AND {_STILL_FAILED}",
            [self.source, redact_url(url), self.limits.timeout, self.limits.memory],
        ).fetchone()
        return (row[0],) if row else None

    def validators(self, url: str) -> Validators | None:
        return self.inner.validators(url)

    def seen(self, url: str) -> bool:
        return self.inner.seen(url) or self._failed(url) is not None

    def fingerprint(self, url: str) -> str | None:
        if self.inner.seen(url):
            return self.inner.fingerprint(url)
        failed = self._failed(url)
        return failed[0] if failed else None
