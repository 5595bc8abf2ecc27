"""Evaluate the report reader on the real Ofsted report PDFs in shared/ofsted-reports.

Usage:  .venv/bin/python bench/eval_ofsted_pdfs.py [--workers 2] [--quiet]

Finds the reports as ../shared/ofsted-reports relative to the repository root, or at
$OFSTED_REPORTS; prints a message and exits 0 when they are absent (the project never needs
them). Compares every field with reference_grades.csv, whose values another tool produced
(blank or ``data_unreadable`` where it failed, a few wrong): where we disagree, the PDF is the
truth, and bench/ofsted_reference_verdicts.md records who is right for each disagreement.

Prints per-field accuracy where the reference has a value, every disagreement, what we
flagged for review, and reports/second over all PDFs read by N worker processes.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor.classify.report import ReportReading, looks_like_report, read_report  # noqa: E402
from monitor.councils import load_councils  # noqa: E402
from monitor.errors import ReportError  # noqa: E402
from monitor.models import Framework, Grade, Judgement  # noqa: E402
from monitor.pdf import pdf_pages  # noqa: E402

# Reference column -> our field. Grades: the reference's words; "" / data_unreadable = unknown.
GRADE_COLUMNS = {
    "overall_effectiveness_grade": "overall",
    "impact_of_leaders_grade": "leaders",
    "help_and_protection_grade": "help_and_protection",
    "in_care_grade": "in_care",
    "care_leavers_grade": "care_leavers",
}
UNKNOWN = {"", "data_unreadable"}
# These reference values mean "this report has no such judgement": ours must be null.
ABSENT = {"not_reported_post_reform", "inspection_pre_dates_judgement"}
NONE = "(none)"


def find_reports() -> Path | None:
    env = os.environ.get("OFSTED_REPORTS")
    candidates = [Path(env)] if env else []
    candidates.append(ROOT.parent / "shared" / "ofsted-reports")
    for candidate in candidates:
        if (candidate / "reference_grades.csv").is_file():
            return candidate
    return None


@dataclass
class Outcome:
    path: str
    reading: ReportReading | None = None
    error: str | None = None
    is_report: bool = False
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # unaffected by other load on the machine


def read_one(path: str) -> Outcome:
    started = time.perf_counter()
    cpu_started = time.process_time()
    outcome = Outcome(path)
    try:
        pages = pdf_pages(Path(path).read_bytes())
        # What classify_article asks of a PDF that no provider page lists: pages one and two.
        outcome.is_report = looks_like_report("\n".join(pages[:2]))
        outcome.reading = read_report(pages, councils=load_councils())
    except ReportError as exc:
        outcome.error = str(exc)
    outcome.seconds = time.perf_counter() - started
    outcome.cpu_seconds = time.process_time() - cpu_started
    return outcome


def _uk_date(text: str) -> date | None:
    for fmt in ("%d/%m/%Y", "%d/%m/%y"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _grade_word(grade: Grade | None) -> str:
    return grade.value if grade else NONE


def expected_values(row: dict[str, str]) -> dict[str, str]:
    """The reference's known values in our vocabulary (fields it does not know are absent)."""
    expected: dict[str, str] = {"council_urn": row["urn"].strip()}
    framework = row["inspection_framework"].strip()
    if framework and framework not in UNKNOWN:
        expected["framework"] = Framework.ILACS.value  # standard / short are ILACS types
    for column, name in GRADE_COLUMNS.items():
        value = row[column].strip().lower()
        if value in ABSENT:
            expected[name] = NONE
        elif value not in UNKNOWN:
            grade = Grade.parse(value)
            expected[name] = grade.value if grade else f"?{value}"
    for column, name in (
        ("inspection_start_date", "inspection_start"),
        ("inspection_end_date", "inspection_end"),
    ):
        if parsed := _uk_date(row[column]):
            expected[name] = parsed.isoformat()
    if row["inspector_name"].strip() not in UNKNOWN:
        expected["lead_inspector"] = " ".join(row["inspector_name"].split())
    return expected


def our_values(reading: ReportReading) -> dict[str, str]:
    values = {
        "council_urn": reading.council.urn if reading.council else NONE,
        "framework": reading.framework.value,
        "inspection_start": str(reading.inspection_start or NONE),
        "inspection_end": str(reading.inspection_end or NONE),
        "lead_inspector": reading.lead_inspector or NONE,
    }
    for name in GRADE_COLUMNS.values():
        values[name] = _grade_word(getattr(reading.grades, name))
    return values


@dataclass
class Tally:
    compared: int = 0
    agreed: int = 0
    flagged_null: int = 0  # we said null and flagged it where the reference has a value
    disagreements: list[str] = field(default_factory=list)


def compare(reference: Path, outcomes: dict[str, Outcome]) -> dict[str, Tally]:
    tallies: dict[str, Tally] = {}
    with (reference / "reference_grades.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            outcome = outcomes.get(str(reference / row["pdf_path"]))
            if outcome is None:
                continue
            ours = our_values(outcome.reading) if outcome.reading else {}
            flagged = outcome.reading.problems if outcome.reading else ()
            for name, want in expected_values(row).items():
                tally = tallies.setdefault(name, Tally())
                tally.compared += 1
                got = ours.get(name, f"error: {outcome.error}")
                if got == want:
                    tally.agreed += 1
                    continue
                if got == NONE and any(p.startswith(name.split("_urn")[0]) for p in flagged):
                    tally.flagged_null += 1
                tally.disagreements.append(f"{row['pdf_path']}: reference {want!r}, ours {got!r}")
    return tallies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--quiet", action="store_true", help="figures only")
    args = parser.parse_args()
    reports = find_reports()
    if reports is None:
        print(
            "shared/ofsted-reports not found (looked at $OFSTED_REPORTS and ../shared next to"
            " the repository): nothing to evaluate."
        )
        return 0
    paths = sorted(str(p) for p in (reports / "pdfs").rglob("*") if p.is_file())
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
        outcomes = {o.path: o for o in pool.map(read_one, paths, chunksize=4)}
    elapsed = time.perf_counter() - started

    tallies = compare(reports, outcomes)
    print(f"reports: {reports}")
    print(
        f"files: {len(paths)}; read as PDF: {sum(o.reading is not None for o in outcomes.values())}"
    )
    for outcome in outcomes.values():
        if outcome.error:
            print(f"  refused: {Path(outcome.path).relative_to(reports)}: {outcome.error}")
    not_reports = [o for o in outcomes.values() if o.reading and not o.is_report]
    print(f"looks_like_report false for {len(not_reports)} real reports")
    for outcome in not_reports:
        print(f"  {Path(outcome.path).relative_to(reports)}")
    readings = [o.reading for o in outcomes.values() if o.reading]
    no_council = [o for o in outcomes.values() if o.reading and o.reading.council is None]
    print(
        f"no council read: {len(no_council)} (in the pipeline the provider page's council"
        " stands in; monitor classify flags it)"
    )
    for outcome in no_council:
        print(f"  {Path(outcome.path).relative_to(reports)}")
    visits = sum(len(r.inspection_spans) > 1 for r in readings)
    null_judgements = sum(
        any(p.split(":")[0] in {j.value for j in Judgement} for p in r.problems) for r in readings
    )
    print(f"reports with two or more inspection visits: {visits}")
    print(f"reports with a null judgement (each named in needs_review): {null_judgements}")
    print("\nper-field accuracy where the reference has a value:")
    print(f"  {'field':20} {'agree':>7} {'of':>5} {'accuracy':>9}  ours null+flagged")
    for name, tally in tallies.items():
        accuracy = tally.agreed / tally.compared if tally.compared else 0.0
        print(
            f"  {name:20} {tally.agreed:7} {tally.compared:5} {accuracy:9.1%}  {tally.flagged_null}"
        )
    if not args.quiet:
        print("\ndisagreements (see bench/ofsted_reference_verdicts.md for who is right):")
        for name, tally in tallies.items():
            for line in tally.disagreements:
                print(f"  {name}: {line}")
        print("\nfields we flagged for review:")
        for outcome in outcomes.values():
            if outcome.reading and outcome.reading.problems:
                rel = Path(outcome.path).relative_to(reports)
                print(f"  {rel}: {'; '.join(outcome.reading.problems)}")
    slowest = max(outcomes.values(), key=lambda o: o.seconds)
    cpu = sum(o.cpu_seconds for o in outcomes.values())
    print(
        f"\nspeed: {len(paths)} files in {elapsed:.2f} s with {args.workers} processes ="
        f" {len(paths) / elapsed:.1f} reports/s (slowest file {slowest.seconds:.2f} s)"
    )
    print(
        f"cpu: {cpu:.2f} s for all files = {1000 * cpu / len(paths):.1f} ms per report ="
        f" {len(paths) / cpu:.1f} reports/s per core (independent of other load)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
