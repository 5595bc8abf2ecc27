"""A scripted Stockport-like history, as the pipeline would apply it item by item."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from monitor.config import SubscriberConfig
from monitor.councils import load_councils
from monitor.models import EvidenceKind, Framework, Grade, Grades, RatingEvent
from monitor.pipeline import AppliedEvent, record_event
from monitor.records import EvidenceRef

OUT, G, RI, A = Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.ADEQUATE
STOCKPORT = load_councils().by_name("Stockport")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
REPORT, NEWS = EvidenceKind.REPORT, EvidenceKind.NEWS


def _event(framework, start=None, end=None, published=None, previous=None, **grades):
    return RatingEvent(
        council=STOCKPORT,
        framework=framework,
        grades=Grades(**grades),
        previous=previous,
        inspection_start=start,
        inspection_end=end,
        published=published,
    )


# (event, kind, url, title, silent)
HISTORY_2012 = [
    (
        _event(
            Framework.PRE_2013, date(2012, 2, 6), date(2012, 2, 17), date(2012, 3, 20), overall=A
        ),
        REPORT,
        "https://files.example/2012",
        "Stockport inspection 2012",
        True,
    ),
]
STEPS_2017 = [
    (
        _event(
            Framework.SIF,
            date(2017, 5, 30),
            date(2017, 6, 22),
            date(2017, 8, 10),
            overall=G,
            help_and_protection=G,
            in_care=G,
            adoption=OUT,
            care_leavers=G,
            leaders=G,
            lscb=G,
        ),
        REPORT,
        "https://files.example/2017",
        "Stockport SIF report",
        False,
    ),
    (
        _event(Framework.UNKNOWN, published=date(2017, 8, 14), previous=A, overall=G),
        NEWS,
        "https://news.example/2017/good",
        "Stockport <b>rated good</b> & praised",
        False,
    ),
    (
        _event(Framework.UNKNOWN, published=date(2017, 8, 20), overall=G, adoption=OUT),
        NEWS,
        "https://trade.example/2017/stockport",
        "Adoption outstanding in Stockport",
        False,
    ),
]
STEPS_2022 = [
    (
        _event(
            Framework.ILACS,
            date(2022, 3, 14),
            date(2022, 3, 25),
            date(2022, 5, 18),
            overall=G,
            leaders=G,
            help_and_protection=G,
            in_care=G,
        ),
        REPORT,
        "https://files.example/2022",
        "Stockport ILACS report",
        False,
    ),
    (
        _event(Framework.UNKNOWN, published=date(2022, 5, 19), previous=G, overall=G),
        NEWS,
        "https://council.example/2022/press",
        "Council retains good rating",
        False,
    ),
]
STEPS_2025 = [
    (
        _event(Framework.UNKNOWN, published=date(2025, 7, 15), previous=G, overall=RI),
        NEWS,
        "https://news.example/2025/ri",
        "Stockport services 'require improvement'",
        False,
    ),
    (
        _event(
            Framework.ILACS,
            date(2025, 5, 12),
            date(2025, 5, 23),
            date(2025, 7, 15),
            overall=RI,
            leaders=RI,
            help_and_protection=RI,
            in_care=RI,
            care_leavers=G,
        ),
        REPORT,
        "https://files.example/2025",
        "Stockport ILACS report 2025",
        False,
    ),
    (
        _event(Framework.UNKNOWN, published=date(2025, 9, 30), previous=G, overall=RI),
        NEWS,
        "https://news.example/2025/scrutiny",
        "Scrutiny committee hears of Ofsted verdict",
        False,
    ),
]
STOCKPORT_HISTORY = HISTORY_2012 + STEPS_2017 + STEPS_2022 + STEPS_2025


def play(db, steps, subscribers: Sequence[SubscriberConfig], *, now=NOW) -> list[AppliedEvent]:
    """Apply each step as the pipeline does: one transaction per item."""
    results = []
    for event, kind, url, title, silent in steps:
        published = event.published
        when = datetime(published.year, published.month, published.day, tzinfo=UTC)
        with db.atomic():
            results.append(
                record_event(
                    db,
                    event,
                    evidence=EvidenceRef(None, url, title, "fixture", kind, when),
                    silent=silent,
                    subscribers=subscribers,
                    now=now,
                )
            )
    return results
