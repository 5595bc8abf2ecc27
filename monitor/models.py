"""The domain, defined once.

Every other module speaks these types: a ``Grade`` (ordered, best first), a ``Judgement`` (which
part of an inspection a grade belongs to), a ``Framework``, a ``Council``, the ``Grades`` of one
inspection, a ``RatingEvent`` (what one item says about one council's inspection) and the
``Direction`` of a change. Nothing here does I/O.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from typing import Any

# From 1 April 2026 ILACS reports carry no overall effectiveness judgement.
OVERALL_REMOVED_ON = date(2026, 4, 1)
# The separate care-leavers judgement exists for ILACS inspections from January 2023.
ILACS_CARE_LEAVERS_FROM = date(2023, 1, 1)
# SIF replaced the older frameworks in November 2013; ILACS replaced SIF in January 2018.
SIF_FROM = date(2013, 11, 1)
ILACS_FROM = date(2018, 1, 1)


class Grade(enum.Enum):
    """An Ofsted grade. ``rank`` orders them, 1 best; adequate (pre-2013) shares rank 3 with
    requires improvement because Ofsted recast the one as the other in 2013."""

    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires improvement"
    ADEQUATE = "adequate"
    INADEQUATE = "inadequate"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def label(self) -> str:
        """The grade as Ofsted prints it, for messages."""
        return _LABEL[self]

    @classmethod
    def parse(cls, text: str | None) -> Grade | None:
        """Normalise a grade phrase ('Requires improvement to be good', 'require improvement',
        "'Outstanding'") to a Grade; None when the text is not exactly one grade."""
        if text is None:
            return None
        key = _GRADE_NOISE.sub(" ", text.lower()).strip()
        key = re.sub(r"\s+", " ", key)
        return _GRADE_WORDS.get(key)

    def direction_from(self, previous: Grade | None) -> Direction:
        """How this grade compares with ``previous`` (adequate -> requires improvement is
        unchanged)."""
        if previous is None:
            return Direction.UNKNOWN
        if self.rank < previous.rank:
            return Direction.UPGRADE
        if self.rank > previous.rank:
            return Direction.DOWNGRADE
        return Direction.UNCHANGED


_RANK = {
    Grade.OUTSTANDING: 1,
    Grade.GOOD: 2,
    Grade.REQUIRES_IMPROVEMENT: 3,
    Grade.ADEQUATE: 3,
    Grade.INADEQUATE: 4,
}
_LABEL = {
    Grade.OUTSTANDING: "Outstanding",
    Grade.GOOD: "Good",
    Grade.REQUIRES_IMPROVEMENT: "Requires improvement to be good",
    Grade.ADEQUATE: "Adequate",
    Grade.INADEQUATE: "Inadequate",
}
_GRADE_NOISE = re.compile(r"[‘’'\"“”.,;:()\[\]*]")
_GRADE_WORDS = {
    "outstanding": Grade.OUTSTANDING,
    "good": Grade.GOOD,
    "adequate": Grade.ADEQUATE,
    "inadequate": Grade.INADEQUATE,
    "requires improvement": Grade.REQUIRES_IMPROVEMENT,
    "requires improvement to be good": Grade.REQUIRES_IMPROVEMENT,
    "require improvement": Grade.REQUIRES_IMPROVEMENT,
    "require improvement to be good": Grade.REQUIRES_IMPROVEMENT,
    "requiring improvement": Grade.REQUIRES_IMPROVEMENT,
    "requires improvements": Grade.REQUIRES_IMPROVEMENT,
    "ri": Grade.REQUIRES_IMPROVEMENT,
}


class Direction(enum.Enum):
    """The direction of a rating change; the ``change`` field of the classify contract."""

    UPGRADE = "upgrade"
    DOWNGRADE = "downgrade"
    UNCHANGED = "unchanged"
    UNKNOWN = "unknown"


class Framework(enum.Enum):
    """The inspection framework a grade was given under (values are the contract's)."""

    ILACS = "ILACS"
    SIF = "SIF"
    PRE_2013 = "pre-2013"
    UNKNOWN = "unknown"

    @classmethod
    def for_date(cls, inspected: date | None) -> Framework:
        """The framework in force on a date (an inference; a report's own wording wins)."""
        if inspected is None:
            return cls.UNKNOWN
        if inspected >= ILACS_FROM:
            return cls.ILACS
        if inspected >= SIF_FROM:
            return cls.SIF
        return cls.PRE_2013

    def grades_overall(self, inspected: date | None) -> bool:
        """Whether an inspection under this framework on this date has an overall grade."""
        return not (
            self is Framework.ILACS and inspected is not None and inspected >= OVERALL_REMOVED_ON
        )


class Judgement(enum.Enum):
    """One graded part of an inspection. Values are the keys of the classify contract."""

    OVERALL = "overall"
    LEADERS = "leaders"
    HELP_AND_PROTECTION = "help_and_protection"
    IN_CARE = "in_care"
    CARE_LEAVERS = "care_leavers"
    ADOPTION = "adoption"
    LSCB = "lscb"

    @property
    def label(self) -> str:
        return _JUDGEMENT_LABEL[self]


_JUDGEMENT_LABEL = {
    Judgement.OVERALL: "Overall effectiveness",
    Judgement.LEADERS: "Impact of leaders",
    Judgement.HELP_AND_PROTECTION: "Help and protection",
    Judgement.IN_CARE: "Children in care",
    Judgement.CARE_LEAVERS: "Care leavers",
    Judgement.ADOPTION: "Adoption performance",
    Judgement.LSCB: "LSCB review",
}

# The LSCB review grades the safeguarding board, not the council: never a council rating change.
COUNCIL_JUDGEMENTS = tuple(j for j in Judgement if j is not Judgement.LSCB)


@dataclass(frozen=True)
class Grades:
    """The grades of one inspection, one optional Grade per Judgement."""

    overall: Grade | None = None
    leaders: Grade | None = None
    help_and_protection: Grade | None = None
    in_care: Grade | None = None
    care_leavers: Grade | None = None
    adoption: Grade | None = None
    lscb: Grade | None = None

    def __getitem__(self, judgement: Judgement) -> Grade | None:
        value: Grade | None = getattr(self, judgement.value)
        return value

    def items(self) -> Iterator[tuple[Judgement, Grade]]:
        """The judgements that carry a grade, in contract order."""
        for judgement in Judgement:
            grade = self[judgement]
            if grade is not None:
                yield judgement, grade

    def with_grade(self, judgement: Judgement, grade: Grade | None) -> Grades:
        return replace(self, **{judgement.value: grade})

    def merged(self, other: Grades) -> Grades:
        """These grades, with gaps filled from ``other``."""
        return Grades(
            **{f.name: getattr(self, f.name) or getattr(other, f.name) for f in fields(self)}
        )

    @property
    def empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))

    def to_json(self) -> dict[str, str | None]:
        return {j.value: (g.value if (g := self[j]) else None) for j in Judgement}

    @classmethod
    def from_json(cls, data: Mapping[str, str | None]) -> Grades:
        return cls(**{j.value: Grade.parse(data.get(j.value)) for j in Judgement})


@dataclass(frozen=True)
class Council:
    """An English local authority with children's services responsibilities."""

    la_code: str  # three-digit DfE code, e.g. "356"
    name: str
    urn: str  # Ofsted provider URN
    ons_code: str = ""
    region: str = ""
    la_type: str = ""
    domain: str = ""
    aliases: tuple[str, ...] = ()
    defunct: bool = False  # a predecessor authority (Cumbria, Northamptonshire, Poole)


class PublicationKind(enum.Enum):
    """What an Ofsted provider-page publication is; only INSPECTION carries grades."""

    INSPECTION = "inspection"
    FOCUSED_VISIT = "focused visit"
    MONITORING_VISIT = "monitoring visit"
    JTAI = "joint targeted area inspection"
    SEND = "area SEND inspection"
    OTHER = "other"

    @property
    def graded(self) -> bool:
        return self is PublicationKind.INSPECTION


class EvidenceKind(enum.Enum):
    """Where a piece of evidence came from; an official report outranks the news."""

    REPORT = "report"
    NEWS = "news"


@dataclass(frozen=True)
class Evidence:
    """Why a classification was made: the field it supports and the sentence that says so."""

    field: str  # "council", "previous", or a Judgement value
    text: str


@dataclass(frozen=True)
class RatingEvent:
    """What one item says about one council's inspection."""

    council: Council
    framework: Framework
    grades: Grades
    previous: Grade | None = None
    inspection_start: date | None = None
    inspection_end: date | None = None
    published: date | None = None
    evidence: tuple[Evidence, ...] = ()
    needs_review: tuple[str, ...] = ()  # fields that could not be read reliably
    # A direction the item states without naming the grade before ("improved on its last
    # result", "downgraded"): the change when no previous grade is stated.
    stated_change: Direction | None = None

    @property
    def overall(self) -> Grade | None:
        return self.grades.overall

    @property
    def change(self) -> Direction:
        """The direction the item itself states (overall grade against its stated previous,
        else the direction it states in words)."""
        if self.overall is None:
            return Direction.UNKNOWN
        if self.previous is None and self.stated_change is not None:
            return self.stated_change
        return self.overall.direction_from(self.previous)

    def to_json(self) -> dict[str, Any]:
        """The event in the ``monitor classify --json`` contract shape (DESIGN.md section 5)."""
        judgements = self.grades.to_json()
        judgements.pop(Judgement.OVERALL.value)
        return {
            "council": self.council.name,
            "la_code": self.council.la_code,
            "framework": self.framework.value,
            "overall": self.overall.value if self.overall else None,
            "previous": self.previous.value if self.previous else None,
            "change": self.change.value,
            "judgements": judgements,
            "inspection_start": _iso(self.inspection_start),
            "inspection_end": _iso(self.inspection_end),
            "published": _iso(self.published),
            "evidence": [{"field": e.field, "text": e.text} for e in self.evidence],
            "needs_review": list(self.needs_review),
        }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True)
class JudgementChange:
    """One judgement of one council that moved between two inspections."""

    judgement: Judgement
    before: Grade | None  # None: the judgement did not exist before ("new")
    after: Grade

    @property
    def direction(self) -> Direction:
        return self.after.direction_from(self.before)


@dataclass(frozen=True)
class Document:
    """A fetched item, as a source hands it to the pipeline: bytes, not guessed text."""

    source: str  # the configured source name
    url: str
    content: bytes
    content_type: str = ""  # the response's media type, e.g. "text/html", "application/pdf"
    guid: str | None = None  # feed id/guid or other stable identity
    title: str | None = None
    published: datetime | None = None  # UTC
    summary: str | None = None  # a feed entry's summary, when no page was fetched
    meta: Mapping[str, str] = field(default_factory=dict)  # source-specific facts (URN, kind)


@dataclass(frozen=True)
class Article:
    """What extraction made of a Document: readable text and its metadata."""

    url: str
    canonical_url: str
    title: str
    text: str
    published: datetime | None = None  # UTC
    content_kind: str = "html"  # "html", "pdf" or "text"
    pages: tuple[str, ...] = ()  # PDF text, one string per page


@dataclass(frozen=True)
class Classification:
    """What an item says: no events when it is not about a council's children's-services
    grade (``reason`` says why, for the logs and ``monitor classify``)."""

    events: tuple[RatingEvent, ...] = ()
    reason: str = ""
    evidence_kind: EvidenceKind = EvidenceKind.NEWS
    # What could not be read of an item that gave no event ("council: ..." for a report whose
    # authority is not in the reference list): shown for review, never guessed.
    needs_review: tuple[str, ...] = ()

    @property
    def relevant(self) -> bool:
        return bool(self.events)
