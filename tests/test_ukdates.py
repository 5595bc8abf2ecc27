from __future__ import annotations

import pytest

from monitor.ukdates import month_number


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("January", 1),
        ("jan", 1),
        ("Sept", 9),
        ("sep.", 9),
        ("September", 9),
        ("may", 5),
        ("Mai", None),
    ],
)
def test_month_number(name: str, number: int | None) -> None:
    assert month_number(name) == number
