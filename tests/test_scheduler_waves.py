"""Sources are polled in waves: the same interval and first runs in the same tenth of it."""

from __future__ import annotations

import random

from monitor.config import FeedSourceConfig
from monitor.scheduler import WAVES_PER_INTERVAL, first_run_delay, plan_waves


def feed(i: int) -> FeedSourceConfig:
    return FeedSourceConfig(kind="feed", name=f"f{i}", url=f"https://news{i}.example/feed")


def test_many_sources_share_few_waves_and_none_starts_later_than_its_delay() -> None:
    rng = random.Random(3)
    entries = [(feed(i), 1800.0, first_run_delay(1800, overdue=False, rng=rng)) for i in range(500)]
    waves = plan_waves(entries)
    assert len(waves) <= WAVES_PER_INTERVAL
    assert sum(len(sources) for _, sources in waves.values()) == 500
    delays = {source.name: delay for source, _, delay in entries}
    for (_interval, _slot), (start, sources) in waves.items():
        for source in sources:
            assert start <= delays[source.name] < start + 1800 / WAVES_PER_INTERVAL


def test_different_intervals_never_share_a_wave() -> None:
    entries = [(feed(1), 600.0, 5.0), (feed(2), 1800.0, 5.0), (feed(3), 600.0, 50.0)]
    waves = plan_waves(entries)
    assert {key: [s.name for s in sources] for key, (_, sources) in waves.items()} == {
        (600.0, 0): ["f1", "f3"],
        (1800.0, 0): ["f2"],
    }
