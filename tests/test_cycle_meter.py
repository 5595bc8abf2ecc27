"""The daemon logs its own CPU per cycle (one poll of every enabled source)."""

from __future__ import annotations

import logging

import pytest

from monitor.scheduler import CycleMeter


def test_one_line_per_cycle_with_the_cpu_since_the_last(caplog: pytest.LogCaptureFixture) -> None:
    cpu, wall = iter([10.0, 10.6, 11.0]), iter([100.0, 130.0, 160.0])
    meter = CycleMeter(3, cpu=lambda: next(cpu), wall=lambda: next(wall))
    with caplog.at_level(logging.INFO, logger="monitor.scheduler"):
        for _ in range(6):
            meter.polled()
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("cycle:")]
    assert lines == [
        "cycle: 3 polls in 30.0 s wall, 0.600 s CPU (200.000 ms per poll)",
        "cycle: 3 polls in 30.0 s wall, 0.400 s CPU (133.333 ms per poll)",
    ]


def test_no_sources_still_counts_cycles_of_one() -> None:
    meter = CycleMeter(0, cpu=lambda: 0.0, wall=lambda: 0.0)
    assert meter.sources == 1
