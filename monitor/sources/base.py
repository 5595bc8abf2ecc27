"""The interface every source kind implements, and the registry keyed by ``kind``.

A source turns HTTP responses into ``Document``s. It fetches only through ``PollContext.get``
(which applies the polite fetcher and conditional GET) and never touches the database: what it
needs to know about the past (has this URL been stored already?) it asks the context.
"""

from __future__ import annotations

import abc
import importlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Protocol

from ..config import Settings
from ..errors import AddressRefused
from ..fetch import Fetcher, Response
from ..models import Document
from ..records import Validators
from ..redact import redact_text


class SourceState(Protocol):
    """What a source may ask about its own past (implemented by the store)."""

    def validators(self, url: str) -> Validators | None: ...

    def seen(self, url: str) -> bool: ...

    def fingerprint(self, url: str) -> str | None:
        """The ``meta["fingerprint"]`` stored with the item at ``url`` (a feed entry's title,
        summary and update time), so a source can tell an edited entry from an old one."""
        ...


@dataclass
class PollContext:
    """Everything one poll of one source may use; built by the pipeline."""

    source_name: str
    fetcher: Fetcher
    settings: Settings
    state: SourceState
    now: datetime
    log: logging.Logger = field(default_factory=lambda: logging.getLogger("monitor.sources"))
    # Validators of conditional responses, saved by the pipeline only after the poll's
    # documents are stored: a crash mid-poll must not leave a 304 hiding unstored items.
    pending_validators: dict[str, Validators] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)  # per-item problems, counted on the source
    refused: int = 0  # fetches refused by the address check (netguard), counted on the source
    taken: int = 0  # new entries taken this poll (``take``)
    dropped: int = 0  # new entries left over the ``max_items_per_poll`` cap

    async def get(self, url: str, *, conditional: bool = True) -> Response:
        validators = self.state.validators(url) if conditional else None
        try:
            response = await self.fetcher.get(url, source=self.source_name, validators=validators)
        except AddressRefused:
            self.refused += 1  # the fetcher has logged it
            raise
        if conditional and not response.not_modified and response.validators:
            self.pending_validators[url] = response.validators
        return response

    def take(self) -> bool:
        """Whether one more new entry may be taken this poll (``max_items_per_poll``)."""
        if self.taken >= self.settings.max_items_per_poll:
            return False
        self.taken += 1
        return True

    def leave(self, count: int, *, listing: str) -> None:
        """``count`` entries of ``listing`` are over the cap: counted as dropped, and the
        listing's validators forgotten, so that the next poll reads it again for them."""
        self.dropped += count
        self.pending_validators.pop(listing, None)

    def item_error(self, url: str, message: str) -> None:
        """Record a problem with one item; the poll goes on."""
        entry = redact_text(f"{url}: {message}")  # shown and stored: no API key from a URL
        self.errors.append(entry)
        self.log.warning("%s: %s", self.source_name, entry)


class Source(abc.ABC):
    """A kind of source. The subclass docstring is its user documentation."""

    kind: ClassVar[str]

    def __init__(self, config: Any):
        self.config = config

    @abc.abstractmethod
    def poll(self, ctx: PollContext) -> AsyncIterator[Document]:
        """Yield the documents of one poll, newest information first where it matters."""


REGISTRY: dict[str, type[Source]] = {}


def register(cls: type[Source]) -> type[Source]:
    REGISTRY[cls.kind] = cls
    return cls


BUILTIN_KINDS = ("feed", "page", "ofsted")  # modules of this package, one per kind


def source_for(config: Any) -> Source:
    """The adapter for a configured source (``config.kind`` picks the class)."""
    if config.kind not in REGISTRY and config.kind in BUILTIN_KINDS:
        # Only the kinds configured are imported (their parsers cost start-up time).
        importlib.import_module(f"{__package__}.{config.kind}")
    return REGISTRY[config.kind](config)


OnDocument = Callable[[Document], None]
