"""``wait_for_report``: a change read from the news alone reaches such a subscriber only when an
official report confirms it, to a real HTTP receiver; everyone else hears of it at once, marked
unconfirmed, and of the report's correction if it differs."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from monitor.alerts.send import DEDUP_HEADER, deliver_due
from monitor.config import Settings, SubscriberConfig
from monitor.models import Grade, Grades

from .scenario import NOW, STEPS_2025, STOCKPORT_HISTORY, play

SETTINGS = Settings(alert_backoff=60, alert_retry_limit=3)
DOWN = "Stockport children's services: downgraded to Requires improvement (was Good)"
G, RI, INAD = Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE
NEWS_RI, REPORT_RI = STEPS_2025[0], STEPS_2025[1]


def hook(web, path):
    web.set(path, "ok", content_type="text/plain", conditional=False)
    return f"json://{web.base_url.removeprefix('http://')}{path}"


def titles(web, path):
    return [json.loads(r.body)["title"] for r in web.requests_to(path)]


def regraded(step, **grades):
    """The step with its event's grades replaced."""
    event, *rest = step
    return (replace(event, grades=Grades(**grades)), *rest)


@pytest.fixture
def world(db, db_path, web):
    """Stockport's history to 2022 recorded and its alerts sent; two subscribers."""
    subscribers = [
        SubscriberConfig(name="desk", notify=[hook(web, "/desk")]),
        SubscriberConfig(name="analyst", notify=[hook(web, "/analyst")], wait_for_report=True),
    ]
    play(db, STOCKPORT_HISTORY[:6], subscribers)
    with db.atomic():
        db.execute("UPDATE outbox SET state = 'sent'")

    def step(*steps):
        play(db, list(steps), subscribers)
        deliver_due(db_path, SETTINGS, subscribers, now=NOW)
        return titles(web, "/desk"), titles(web, "/analyst")

    return step


def test_news_then_an_agreeing_report_reaches_the_waiting_subscriber_once(world):
    assert world(NEWS_RI) == ([f"{DOWN} (news, unconfirmed)"], [])
    assert world(REPORT_RI) == ([f"{DOWN} (news, unconfirmed)"], [DOWN])
    third = STEPS_2025[2]  # later news of the same inspection: nothing more to anyone
    assert world(third) == ([f"{DOWN} (news, unconfirmed)"], [DOWN])


def test_a_report_that_corrects_the_news_reaches_the_waiting_subscriber_as_its_change(world):
    world(regraded(NEWS_RI, overall=INAD))
    desk, analyst = world(REPORT_RI)
    assert desk == [
        "Stockport children's services: downgraded to Inadequate (was Good) (news, unconfirmed)",
        "Correction: Stockport children's services: official report says Requires improvement"
        " (news reported Inadequate)",
    ]
    assert analyst == [DOWN]


def test_a_report_showing_no_change_sends_the_waiting_subscriber_nothing(world):
    world(NEWS_RI)
    report_good = regraded(
        REPORT_RI, overall=G, leaders=G, help_and_protection=G, in_care=G, care_leavers=G
    )
    desk, analyst = world(report_good)
    assert desk[1].startswith(
        "Correction: Stockport children's services: official report says Good"
    )
    assert analyst == []


def test_news_that_no_report_follows_never_reaches_the_waiting_subscriber(world, db):
    assert world(NEWS_RI, STEPS_2025[2]) == ([f"{DOWN} (news, unconfirmed)"], [])
    rows = db.execute("SELECT subscriber FROM outbox WHERE state != 'sent'").fetchall()
    assert rows == []  # nothing held back in the queue either: the report will queue it


def test_a_report_first_reaches_both_at_once_unmarked(world, web):
    assert world(REPORT_RI) == ([DOWN], [DOWN])
    assert all(r.headers.get(DEDUP_HEADER) for r in web.requests_to("/analyst"))
