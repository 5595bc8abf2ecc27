"""Which subscribers hear of a change: pure filters over ``SubscriberConfig``.

A subscriber with no ``councils`` and no ``regions`` hears of every council; with either, of
the councils named (by name, alias or DfE code) *or* in the regions named. ``changes`` keeps
alerts containing at least one change of a listed kind (``any``: all).

``wait_for_report`` decides *when*: such a subscriber hears of a change read from the news only
once an official report confirms it, and of a correction as the report's plain change (they
never heard the news it corrects). Its outbox key says which (``delivery_key``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..config import SubscriberConfig
from ..councils import CouncilRegistry
from ..models import Council, JudgementChange
from ..timeline.changes import ChangeKind, change_kind


def change_kinds(changes: Iterable[JudgementChange]) -> frozenset[ChangeKind]:
    """The kinds (upgrade, downgrade, new) among ``changes``."""
    return frozenset(change_kind(c) for c in changes)


def wants_council(
    subscriber: SubscriberConfig, council: Council, *, registry: CouncilRegistry
) -> bool:
    if not subscriber.councils and not subscriber.regions:
        return True
    for name in subscriber.councils:
        named = registry.lookup(name)
        if named is not None and named.la_code == council.la_code:
            return True
    region = council.region.casefold()
    return any(r.casefold() == region for r in subscriber.regions)


def wants_kinds(subscriber: SubscriberConfig, kinds: Iterable[str]) -> bool:
    wanted = set(subscriber.changes)
    return "any" in wanted or bool(wanted & set(kinds))


def route(
    subscribers: Sequence[SubscriberConfig],
    council: Council,
    kinds: Iterable[str],
    *,
    registry: CouncilRegistry,
) -> list[SubscriberConfig]:
    """The enabled subscribers who want to hear of ``kinds`` of change at ``council``."""
    kinds = frozenset(kinds)
    return [
        s
        for s in subscribers
        if s.enabled and wants_council(s, council, registry=registry) and wants_kinds(s, kinds)
    ]


# The key of a delivery told as the report's plain change (``ChangeRecord.as_change``).
_AS_CHANGE = "as-change"


def delivery_key(change_id: int, *, as_change: bool = False) -> str:
    """The outbox key of one change's delivery; ``as_change``: a correction told as a change."""
    return f"{_AS_CHANGE if as_change else 'change'}:{change_id}"


def told_as_change(key: str) -> bool:
    """Whether the delivery with outbox ``key`` tells a correction as a plain change."""
    return key.startswith(f"{_AS_CHANGE}:")
