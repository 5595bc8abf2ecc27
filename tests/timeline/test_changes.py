"""Change detection is framework-aware: table-driven cases over monitor.timeline.changes."""

from __future__ import annotations

from datetime import date

import pytest

from monitor.models import Framework, Grade, Grades, Judgement, JudgementChange
from monitor.timeline.changes import (
    GradedInspection,
    change_kind,
    detect_changes,
    grades_compatible,
    headline,
    is_alerting,
    judgements_of,
)

OUT, G, RI, A, INAD = (
    Grade.OUTSTANDING,
    Grade.GOOD,
    Grade.REQUIRES_IMPROVEMENT,
    Grade.ADEQUATE,
    Grade.INADEQUATE,
)
J = Judgement


def insp(framework: Framework, day: date, **grades: Grade) -> GradedInspection:
    return GradedInspection(framework, Grades(**grades), day)


PRE_2012 = insp(Framework.PRE_2013, date(2012, 3, 1), overall=A)
SIF_2017 = insp(
    Framework.SIF,
    date(2017, 6, 30),
    overall=G,
    help_and_protection=G,
    in_care=G,
    adoption=OUT,
    care_leavers=G,
    leaders=G,
    lscb=RI,
)
ILACS_2022 = insp(
    Framework.ILACS, date(2022, 4, 1), overall=G, leaders=G, help_and_protection=G, in_care=G
)
ILACS_2025 = insp(
    Framework.ILACS,
    date(2025, 5, 23),
    overall=RI,
    leaders=RI,
    help_and_protection=RI,
    in_care=RI,
    care_leavers=G,
)
POST_2026 = insp(
    Framework.ILACS,
    date(2026, 6, 5),
    leaders=RI,
    help_and_protection=RI,
    in_care=RI,
    care_leavers=G,
)

CASES = [
    pytest.param(None, SIF_2017, [], id="no-history-no-change"),
    pytest.param(
        PRE_2012,
        SIF_2017,
        [
            (J.OVERALL, A, G),
            (J.LEADERS, None, G),
            (J.HELP_AND_PROTECTION, None, G),
            (J.IN_CARE, None, G),
            (J.CARE_LEAVERS, None, G),
            (J.ADOPTION, None, OUT),
        ],
        id="adequate-to-good-is-upgrade-sif-judgements-new",
    ),
    pytest.param(
        insp(Framework.PRE_2013, date(2012, 3, 1), overall=A),
        insp(Framework.SIF, date(2015, 3, 1), overall=RI),
        [],
        id="adequate-to-ri-unchanged",
    ),
    pytest.param(SIF_2017, ILACS_2022, [], id="good-stays-good-adoption-gone-lscb-ignored"),
    pytest.param(
        ILACS_2022,
        ILACS_2025,
        [
            (J.OVERALL, G, RI),
            (J.LEADERS, G, RI),
            (J.HELP_AND_PROTECTION, G, RI),
            (J.IN_CARE, G, RI),
            (J.CARE_LEAVERS, None, G),
        ],
        id="downgrade-care-leavers-new",
    ),
    pytest.param(ILACS_2025, POST_2026, [], id="overall-absent-after-april-2026"),
    pytest.param(
        ILACS_2025,
        insp(
            Framework.ILACS,
            date(2026, 6, 5),
            leaders=INAD,
            help_and_protection=RI,
            care_leavers=OUT,
        ),
        [(J.LEADERS, RI, INAD), (J.CARE_LEAVERS, G, OUT)],
        id="post-2026-per-judgement",
    ),
    pytest.param(
        insp(Framework.SIF, date(2016, 1, 1), overall=G, lscb=G),
        insp(Framework.SIF, date(2017, 1, 1), overall=G, lscb=INAD),
        [],
        id="lscb-never-a-council-change",
    ),
    pytest.param(
        insp(Framework.ILACS, date(2019, 1, 1), overall=G),
        insp(Framework.ILACS, date(2022, 1, 1), overall=G, leaders=OUT),
        [],
        id="previous-blank-but-graded-is-unknown-not-new",
    ),
]


@pytest.mark.parametrize(("previous", "current", "expected"), CASES)
def test_detect_changes(previous, current, expected):
    found = detect_changes(previous, current)
    assert [(c.judgement, c.before, c.after) for c in found] == expected


def test_kinds_and_headline():
    changes = detect_changes(ILACS_2022, ILACS_2025)
    assert [change_kind(c) for c in changes] == ["downgrade"] * 4 + ["new"]
    assert headline(changes) == JudgementChange(J.OVERALL, G, RI)
    assert is_alerting(changes)
    assert not is_alerting([JudgementChange(J.CARE_LEAVERS, None, G)])
    assert change_kind(JudgementChange(J.IN_CARE, INAD, RI)) == "upgrade"


@pytest.mark.parametrize(
    ("framework", "day", "has_overall", "has_care_leavers"),
    [
        (Framework.ILACS, date(2022, 6, 1), True, False),
        (Framework.ILACS, date(2023, 2, 1), True, True),
        (Framework.ILACS, date(2026, 4, 1), False, True),
        (Framework.SIF, date(2016, 1, 1), True, True),
        (Framework.PRE_2013, date(2012, 1, 1), True, False),
    ],
)
def test_judgements_of(framework, day, has_overall, has_care_leavers):
    found = judgements_of(framework, day)
    assert (J.OVERALL in found) is has_overall
    assert (J.CARE_LEAVERS in found) is has_care_leavers
    assert J.LSCB not in found


@pytest.mark.parametrize(
    ("a", "b", "compatible"),
    [
        (Grades(overall=G), Grades(overall=G, leaders=RI), True),
        (Grades(overall=A), Grades(overall=RI), True),
        (Grades(overall=G), Grades(overall=RI), False),
        (Grades(), Grades(overall=INAD), True),
    ],
)
def test_grades_compatible(a, b, compatible):
    assert grades_compatible(a, b) is compatible
