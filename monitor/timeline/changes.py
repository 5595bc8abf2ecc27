"""Change detection: pure functions over the domain types, no I/O.

A change is a judgement whose grade differs (by rank) from the council's previous inspection,
framework-aware: adequate (pre-2013) -> requires improvement is not a change (``Grade.rank``);
an overall grade absent after April 2026 is not a change; a judgement that did not exist under
the previous inspection's framework is "new" (``JudgementChange.before is None``); the LSCB
review grades the safeguarding board, never the council.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Literal

from ..models import (
    COUNCIL_JUDGEMENTS,
    ILACS_CARE_LEAVERS_FROM,
    Direction,
    Framework,
    Grade,
    Grades,
    Judgement,
    JudgementChange,
)
from ..records import ChangeRecord, GradedInspection

ChangeKind = Literal["upgrade", "downgrade", "new"]

_SIF_JUDGEMENTS = frozenset(COUNCIL_JUDGEMENTS)
_ILACS_JUDGEMENTS = frozenset(
    {Judgement.OVERALL, Judgement.LEADERS, Judgement.HELP_AND_PROTECTION, Judgement.IN_CARE}
)


def judgements_of(framework: Framework, inspected: date | None) -> frozenset[Judgement]:
    """The council judgements an inspection under ``framework`` on ``inspected`` grades."""
    if framework is Framework.PRE_2013:
        return frozenset({Judgement.OVERALL})
    if framework is Framework.SIF:
        return _SIF_JUDGEMENTS
    if framework is Framework.ILACS:
        found = set(_ILACS_JUDGEMENTS)
        if inspected is None or inspected >= ILACS_CARE_LEAVERS_FROM:
            found.add(Judgement.CARE_LEAVERS)
        if not framework.grades_overall(inspected):
            found.discard(Judgement.OVERALL)
        return frozenset(found)
    return frozenset(COUNCIL_JUDGEMENTS)  # unknown framework: anything may be graded


def graded_only(grades: Grades, framework: Framework, inspected: date | None) -> Grades:
    """``grades`` without the council judgements that ``framework`` does not grade on
    ``inspected`` (the LSCB review, graded apart, is kept)."""
    graded = judgements_of(framework, inspected)
    for judgement in COUNCIL_JUDGEMENTS:
        if judgement not in graded and grades[judgement] is not None:
            grades = grades.with_grade(judgement, None)
    return grades


def detect_changes(
    previous: GradedInspection | None, current: GradedInspection
) -> tuple[JudgementChange, ...]:
    """Every council judgement of ``current`` that moved from ``previous``, or is new.

    A judgement ``current`` does not grade is never a change (no overall after April 2026);
    one ``previous`` left blank although its framework graded it is unknown, not new."""
    if previous is None:
        return ()
    existed = judgements_of(previous.framework, previous.inspected)
    found: list[JudgementChange] = []
    for judgement in COUNCIL_JUDGEMENTS:
        after = current.grades[judgement]
        if after is None:
            continue
        before = previous.grades[judgement]
        if before is None:
            if judgement not in existed:
                found.append(JudgementChange(judgement, None, after))
        elif before.rank != after.rank:
            found.append(JudgementChange(judgement, before, after))
    return tuple(found)


def change_kind(change: JudgementChange) -> ChangeKind:
    """``new`` for a judgement that did not exist before, else the direction."""
    if change.before is None:
        return "new"
    return "upgrade" if change.direction is Direction.UPGRADE else "downgrade"


def is_alerting(changes: Sequence[JudgementChange]) -> bool:
    """Whether the changes warrant an alert: at least one grade moved (new ones alone don't)."""
    return any(change_kind(c) != "new" for c in changes)


def headline(changes: Sequence[JudgementChange]) -> JudgementChange | None:
    """The change a subject line leads with: the overall grade's, else the first that moved."""
    moved = [c for c in changes if change_kind(c) != "new"]
    for change in moved:
        if change.judgement is Judgement.OVERALL:
            return change
    return moved[0] if moved else None


def grades_compatible(a: Grades, b: Grades) -> bool:
    """No judgement graded by both with a different rank (blanks are compatible with anything)."""
    for judgement in Judgement:
        x, y = a[judgement], b[judgement]
        if x is not None and y is not None and x.rank != y.rank:
            return False
    return True


def disagreements(a: Grades, b: Grades) -> tuple[tuple[Judgement, Grade, Grade], ...]:
    """(judgement, a's grade, b's grade) for each judgement both grade differently."""
    found = []
    for judgement in Judgement:
        x, y = a[judgement], b[judgement]
        if x is not None and y is not None and x.rank != y.rank:
            found.append((judgement, x, y))
    return tuple(found)


def settled(record: ChangeRecord) -> ChangeRecord:
    """The change as the timeline stands now: evidence merged since detection (the report
    after the news) may add judgements, so re-detect against the previous inspection and keep
    the recorded changes only when the re-detection no longer shows a move."""
    if record.previous is None:
        return record
    current = detect_changes(record.previous.graded, record.inspection.graded)
    return replace(record, changes=current) if is_alerting(current) else record
