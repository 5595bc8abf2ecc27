"""Digests: the changes of a window, in text, markdown and JSON, and one delivery per
subscriber per window through the outbox."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from monitor.alerts.send import deliver_due
from monitor.config import Settings, SubscriberConfig
from monitor.councils import load_councils
from monitor.models import EvidenceKind, Framework, Grade, Grades, RatingEvent
from monitor.pipeline import record_event
from monitor.records import EvidenceRef
from monitor.store.outbox import outbox_rows
from monitor.views.digest import changes_since, digest_window, render_digest, send_digests

G, RI, INAD = Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE
REGISTRY = load_councils()
STOCKPORT, BARNET = REGISTRY.by_name("Stockport"), REGISTRY.by_name("Barnet")
UP_AT = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
DOWN_AT = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)  # 23:30 in London: still 20 November
BARNET_AT = datetime(2026, 11, 21, 0, 30, tzinfo=UTC)
SETTINGS = Settings()


def report(db, council, year, grade, *, now, silent=False):
    event = RatingEvent(
        council=council,
        framework=Framework.ILACS,
        grades=Grades(overall=grade),
        inspection_start=date(year, 3, 1),
        inspection_end=date(year, 3, 12),
        published=date(year, 5, 1),
    )
    ref = EvidenceRef(
        None,
        f"https://files.example/{council.la_code}/{year}",
        f"{council.name} {year}",
        "ofsted",
        EvidenceKind.REPORT,
        None,
    )
    with db.atomic():
        record_event(db, event, evidence=ref, silent=silent, subscribers=(), now=now)


@pytest.fixture
def history(db):
    report(db, STOCKPORT, 2019, INAD, now=UP_AT, silent=True)
    report(db, STOCKPORT, 2022, G, now=UP_AT)
    report(db, STOCKPORT, 2025, RI, now=DOWN_AT)
    report(db, BARNET, 2021, G, now=UP_AT, silent=True)
    report(db, BARNET, 2024, INAD, now=BARNET_AT)
    return db


@pytest.mark.parametrize(
    ("council", "region", "expected"),
    [
        (None, None, ["Barnet", "Stockport", "Stockport"]),
        ("356", None, ["Stockport", "Stockport"]),
        (None, "london", ["Barnet"]),
    ],
)
def test_changes_since_filters(history, council, region, expected):
    entries = changes_since(history, UP_AT - timedelta(hours=1), council=council, region=region)
    assert [e.council.name for e in entries] == expected


def test_unknown_council_is_an_error(history):
    with pytest.raises(ValueError, match="unknown council 'Atlantis'"):
        changes_since(history, UP_AT, council="Atlantis")


def test_render_formats(history):
    entries = changes_since(history, DOWN_AT - timedelta(hours=1), council="Stockport")
    text = render_digest(entries, "text")
    assert text.splitlines()[0] == (
        "Stockport (North West): downgraded to Requires improvement (was Good)"
    )
    assert "  Overall effectiveness: Good -> Requires improvement to be good (down)" in text
    markdown = render_digest(entries, "markdown")
    assert markdown.startswith("## Stockport: downgraded to Requires improvement (was Good)")
    (item,) = json.loads(render_digest(entries, "json"))
    assert item["changes"] == [
        {
            "judgement": "overall",
            "before": "good",
            "after": "requires improvement",
            "change": "downgrade",
        }
    ]
    assert item["sources"][0]["url"] == "https://files.example/356/2025"
    assert render_digest([], "text") == "No rating changes.\n"


def test_a_change_from_the_news_alone_is_marked_until_the_report_arrives(history):
    said = datetime(2026, 5, 2, tzinfo=UTC)  # the day after the 2026 report below is published
    seen = BARNET_AT + timedelta(hours=1)  # after the fixture's changes
    news = RatingEvent(
        council=BARNET,
        framework=Framework.UNKNOWN,
        grades=Grades(overall=RI),
        previous=INAD,
        published=said.date(),
    )
    ref = EvidenceRef(None, "https://news.example/b", "Barnet", "paper", EvidenceKind.NEWS, said)
    with history.atomic():
        record_event(history, news, evidence=ref, silent=False, subscribers=(), now=seen)
    (entry,) = changes_since(history, seen, council="Barnet")
    assert entry.summary == "upgraded to Requires improvement (was Inadequate) (news, unconfirmed)"
    assert json.loads(render_digest([entry], "json"))[0]["unconfirmed"] is True
    report(history, BARNET, 2026, RI, now=seen + timedelta(days=1))
    (entry,) = changes_since(history, seen, council="Barnet")
    assert entry.summary == "upgraded to Requires improvement (was Inadequate)"
    assert not entry.unconfirmed


@pytest.mark.parametrize(
    ("period", "now", "window"),
    [
        (
            "daily",
            datetime(2026, 11, 21, 8, 0, tzinfo=UTC),
            ("2026-11-20T00:00:00+00:00", "2026-11-21T00:00:00+00:00"),
        ),
        (
            "daily",
            datetime(2026, 7, 2, 6, 0, tzinfo=UTC),
            ("2026-06-30T23:00:00+00:00", "2026-07-01T23:00:00+00:00"),
        ),
        (
            "weekly",
            datetime(2026, 11, 25, 8, 0, tzinfo=UTC),
            ("2026-11-16T00:00:00+00:00", "2026-11-23T00:00:00+00:00"),
        ),
    ],
)
def test_digest_window(period, now, window):
    start, end = digest_window(period, now, "Europe/London")
    assert (start.astimezone(UTC).isoformat(), end.astimezone(UTC).isoformat()) == window


def test_daily_digest_holds_exactly_its_window(history, db_path, web):
    web.set("/d", "ok", content_type="text/plain", conditional=False)
    hook = "json://" + web.base_url.removeprefix("http://")
    subscribers = [
        SubscriberConfig(name="all", digest="daily", immediate=False, notify=[hook + "/d"]),
        SubscriberConfig(name="london", digest="daily", regions=["London"], notify=[hook + "/l"]),
        SubscriberConfig(name="weekly", digest="weekly", notify=[hook + "/w"]),
        SubscriberConfig(name="none", notify=[hook + "/n"]),
    ]
    now = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
    assert send_digests(history, SETTINGS, subscribers, period="daily", now=now) == 1
    assert (
        send_digests(history, SETTINGS, subscribers, period="daily", now=now + timedelta(hours=3))
        == 0
    )
    (row,) = outbox_rows(history)
    assert row.key.startswith("digest:daily:2026-11-20:all:")
    assert deliver_due(db_path, SETTINGS, subscribers, now=now).sent == 1
    (request,) = web.requests_to("/d")
    body = json.loads(request.body)
    assert body["title"] == "Children's services ratings: 1 change (2026-11-20)"
    assert (
        "Stockport (North West): downgraded to Requires improvement (was Good)" in body["message"]
    )
    assert "Barnet" not in body["message"] and "upgraded" not in body["message"]
    next_day = send_digests(
        history, SETTINGS, subscribers, period="daily", now=now + timedelta(days=1)
    )
    assert next_day == 2  # Barnet's change: for "all" and for "london"
