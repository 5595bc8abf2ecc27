"""The timeline's typed records: what the store loads and saves, what policy and views read.

They sit in the bottom layer beside the domain types so that the store (SQL), the timeline
(policy) and the views (presentation) share one vocabulary without importing each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Literal

from .models import (
    Council,
    EvidenceKind,
    Framework,
    Grade,
    Grades,
    JudgementChange,
    PublicationKind,
)


@dataclass(frozen=True)
class GradedInspection:
    """The part of an inspection change detection needs: its framework, grades and date."""

    framework: Framework
    grades: Grades
    inspected: date | None = None  # the inspection's last day (or best known date)


@dataclass(frozen=True)
class EvidenceRef:
    """The item an event came from, as the timeline cites it."""

    item_id: int | None
    url: str
    title: str
    source: str
    kind: EvidenceKind
    published: datetime | None


@dataclass(frozen=True)
class EvidenceRecord:
    url: str
    title: str
    source: str
    kind: EvidenceKind
    published: datetime | None
    grades: Grades
    previous: Grade | None
    agrees: bool
    needs_review: tuple[str, ...] = ()  # "field: reason" for fields that could not be read


@dataclass(frozen=True)
class InspectionRecord:
    """One inspection of one council, with every judgement and every piece of evidence."""

    id: int
    la_code: str
    council: str
    framework: Framework
    inspection_start: date | None
    inspection_end: date | None
    published: date | None
    grades: Grades
    grades_from: EvidenceKind
    conflict: bool
    evidence: tuple[EvidenceRecord, ...] = ()

    @property
    def when(self) -> date | None:
        """The date the timeline orders by: the inspection's end, else its start or report."""
        return self.inspection_end or self.inspection_start or self.published

    @property
    def graded(self) -> GradedInspection:
        return GradedInspection(self.framework, self.grades, self.when)


@dataclass(frozen=True)
class PublicationRecord:
    la_code: str
    kind: PublicationKind
    published: date | None
    url: str
    source: str


@dataclass(frozen=True)
class ChangeRecord:
    """A recorded change (or correction) with what an alert or digest needs to describe it.

    ``changes`` is what was recorded at detection; ``monitor.timeline.changes.settled`` brings
    it up to date with evidence merged since (the report that followed the news)."""

    id: int
    council: Council
    kind: Literal["change", "correction"]
    changes: tuple[JudgementChange, ...]
    replaced: Grades | None  # a correction: the grades it overturns
    silent: bool
    detected: datetime
    inspection: InspectionRecord
    previous: InspectionRecord | None = None  # the inspection the change is measured from

    @property
    def unconfirmed(self) -> bool:
        """Whether the grades are still the news's alone: no official report seen yet."""
        return self.inspection.grades_from is EvidenceKind.NEWS

    def as_change(self) -> ChangeRecord:
        """The record told as a plain change, to a subscriber who never heard the news it
        corrects (one who waits for the report): the report's change, not the correction."""
        return replace(self, kind="change", replaced=None)


@dataclass(frozen=True)
class Validators:
    """HTTP cache validators of a stored response, sent back as a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None

    def __bool__(self) -> bool:
        return bool(self.etag or self.last_modified)


@dataclass(frozen=True)
class FetchRecord:
    """One request's outcome, as recorded against its source."""

    source: str
    url: str  # as requested (before redirects)
    status: int | None  # None when no response arrived
    bytes: int
    duration: float
    error: str | None = None
    attempts: int = 1  # HTTP requests made for this URL (robots.txt excluded); 0 if none


# -- what applying one event to a timeline writes (planned in monitor.timeline) ----------

Status = Literal["new_inspection", "evidence_added", "conflict"]


@dataclass(frozen=True)
class CouncilTimeline:
    """What the policy needs to know of one council: its inspections (oldest first, each with
    its evidence) and, per inspection, the last change that was alerted for it."""

    inspections: tuple[InspectionRecord, ...]
    alerted: Mapping[int, tuple[JudgementChange, ...]]


@dataclass(frozen=True)
class InspectionFields:
    """An inspection's columns, for a new inspection or the update of a matched one."""

    framework: Framework
    inspection_start: date | None
    inspection_end: date | None
    published: date | None
    grades: Grades
    grades_from: EvidenceKind
    conflict: bool


@dataclass(frozen=True)
class PlannedChange:
    """A change (or, with ``replaced``, a correction) to record against the inspection."""

    previous_id: int | None  # None: measured from the previous grade the item itself stated
    changes: tuple[JudgementChange, ...]
    replaced: Grades | None
    silent: bool
    earlier: tuple[JudgementChange, ...] = ()  # the alerted change a correction overturns

    @property
    def kind(self) -> Literal["change", "correction"]:
        return "change" if self.replaced is None else "correction"


@dataclass(frozen=True)
class TimelinePlan:
    """What applying one event writes. ``inspection_id`` None means a new inspection with
    ``fields``; otherwise ``fields`` (when set) updates the matched inspection."""

    status: Status
    inspection_id: int | None
    fields: InspectionFields | None
    evidence_agrees: bool
    adopt: tuple[tuple[int, str], ...] = ()  # (inspection id, url): news moving to this one
    disagreeing: tuple[str, ...] = ()  # urls of this inspection's news that now disagree
    change: PlannedChange | None = None
    changes: tuple[JudgementChange, ...] = ()  # what the event changed, alerted or not
    confirms: bool = False  # an official report agreeing with grades the news gave first
