"""The domain types: grade order and parsing, frameworks, the classify contract shape."""

from __future__ import annotations

from datetime import date

import pytest

from monitor.councils import load_councils
from monitor.models import Direction, Evidence, Framework, Grade, Grades, Judgement, RatingEvent


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("Outstanding", Grade.OUTSTANDING),
        ("'good'", Grade.GOOD),
        ("Requires improvement to be good", Grade.REQUIRES_IMPROVEMENT),
        ("requires  improvement", Grade.REQUIRES_IMPROVEMENT),
        ("require improvement to be good", Grade.REQUIRES_IMPROVEMENT),
        ("‘Inadequate’", Grade.INADEQUATE),
        ("adequate", Grade.ADEQUATE),
        ("excellent", None),
        ("", None),
        (None, None),
    ],
)
def test_grade_parse(text: str | None, grade: Grade | None) -> None:
    assert Grade.parse(text) is grade


@pytest.mark.parametrize(
    ("before", "after", "direction"),
    [
        (Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Direction.DOWNGRADE),
        (Grade.INADEQUATE, Grade.REQUIRES_IMPROVEMENT, Direction.UPGRADE),
        (Grade.ADEQUATE, Grade.REQUIRES_IMPROVEMENT, Direction.UNCHANGED),  # recast in 2013
        (Grade.ADEQUATE, Grade.GOOD, Direction.UPGRADE),
        (Grade.GOOD, Grade.GOOD, Direction.UNCHANGED),
        (None, Grade.GOOD, Direction.UNKNOWN),
    ],
)
def test_direction(before: Grade | None, after: Grade, direction: Direction) -> None:
    assert after.direction_from(before) is direction


@pytest.mark.parametrize(
    ("inspected", "framework", "overall"),
    [
        (date(2012, 6, 1), Framework.PRE_2013, True),
        (date(2017, 5, 1), Framework.SIF, True),
        (date(2025, 5, 12), Framework.ILACS, True),
        (date(2026, 4, 20), Framework.ILACS, False),
    ],
)
def test_framework_for_date(inspected: date, framework: Framework, overall: bool) -> None:
    assert Framework.for_date(inspected) is framework
    assert framework.grades_overall(inspected) is overall


def test_event_json_is_the_classify_contract() -> None:
    stockport = load_councils().by_code("356")
    assert stockport is not None
    event = RatingEvent(
        council=stockport,
        framework=Framework.ILACS,
        grades=Grades(
            overall=Grade.REQUIRES_IMPROVEMENT,
            leaders=Grade.REQUIRES_IMPROVEMENT,
            care_leavers=Grade.GOOD,
        ),
        previous=Grade.GOOD,
        inspection_start=date(2025, 5, 12),
        inspection_end=date(2025, 5, 23),
        evidence=(Evidence("council", "A sentence."),),
    )
    data = event.to_json()
    assert data["council"] == "Stockport"
    assert data["la_code"] == "356"
    assert data["framework"] == "ILACS"
    assert data["overall"] == "requires improvement"
    assert data["previous"] == "good"
    assert data["change"] == "downgrade"
    assert data["judgements"] == {
        "leaders": "requires improvement",
        "help_and_protection": None,
        "in_care": None,
        "care_leavers": "good",
        "adoption": None,
        "lscb": None,
    }
    assert data["inspection_start"] == "2025-05-12"
    assert data["inspection_end"] == "2025-05-23"


def test_grades_merge_and_json_round_trip() -> None:
    report = Grades(overall=Grade.GOOD, adoption=Grade.OUTSTANDING)
    news = Grades(overall=Grade.REQUIRES_IMPROVEMENT, lscb=Grade.REQUIRES_IMPROVEMENT)
    merged = report.merged(news)
    assert merged.overall is Grade.GOOD  # the first wins
    assert merged.lscb is Grade.REQUIRES_IMPROVEMENT
    assert Grades.from_json(merged.to_json()) == merged
    assert [j for j, _ in merged.items()] == [Judgement.OVERALL, Judgement.ADOPTION, Judgement.LSCB]
