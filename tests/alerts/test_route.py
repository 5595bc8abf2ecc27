"""Subscriber filters: councils (name, alias, code), regions, change kinds, enabled."""

from __future__ import annotations

import pytest

from monitor.alerts.route import change_kinds, route
from monitor.config import SubscriberConfig
from monitor.councils import load_councils
from monitor.models import Grade, Judgement, JudgementChange

REGISTRY = load_councils()
STOCKPORT = REGISTRY.by_name("Stockport")
BARNET = REGISTRY.by_name("Barnet")
DOWN = JudgementChange(Judgement.OVERALL, Grade.GOOD, Grade.INADEQUATE)
UP = JudgementChange(Judgement.OVERALL, Grade.INADEQUATE, Grade.GOOD)
NEW = JudgementChange(Judgement.CARE_LEAVERS, None, Grade.GOOD)


def sub(**filters):
    return SubscriberConfig(name="s", notify=["json://127.0.0.1/x"], **filters)


@pytest.mark.parametrize(
    ("filters", "council", "changes", "routed"),
    [
        pytest.param({}, BARNET, [DOWN], True, id="no-filter-everything"),
        pytest.param({"councils": ["Stockport"]}, STOCKPORT, [DOWN], True, id="by-name"),
        pytest.param({"councils": ["Stockport Council"]}, STOCKPORT, [UP], True, id="by-alias"),
        pytest.param({"councils": ["356"]}, STOCKPORT, [UP], True, id="by-code"),
        pytest.param({"councils": ["Stockport"]}, BARNET, [DOWN], False, id="other-council"),
        pytest.param({"regions": ["north west"]}, STOCKPORT, [DOWN], True, id="region-case"),
        pytest.param({"regions": ["London"]}, STOCKPORT, [DOWN], False, id="other-region"),
        pytest.param(
            {"councils": ["Stockport"], "regions": ["London"]},
            BARNET,
            [UP],
            True,
            id="council-or-region",
        ),
        pytest.param({"changes": ["downgrade"]}, STOCKPORT, [UP, NEW], False, id="not-a-downgrade"),
        pytest.param({"changes": ["downgrade"]}, STOCKPORT, [DOWN, NEW], True, id="downgrade"),
        pytest.param({"changes": ["upgrade"]}, STOCKPORT, [UP], True, id="upgrade"),
        pytest.param({"changes": ["new"]}, STOCKPORT, [DOWN, NEW], True, id="new-judgement"),
        pytest.param({"changes": ["new"]}, STOCKPORT, [DOWN], False, id="no-new-judgement"),
        pytest.param({"enabled": False}, STOCKPORT, [DOWN], False, id="disabled"),
    ],
)
def test_route(filters, council, changes, routed):
    subscriber = sub(**filters)
    found = route([subscriber], council, change_kinds(changes), registry=REGISTRY)
    assert (found == [subscriber]) is routed
