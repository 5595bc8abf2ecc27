"""Report text -> a ReportReading: who was inspected, when, under which framework, and the grades.

Ofsted's local authority children's services reports state their grades on page one:

- SIF (Nov 2013 - 2018): ``Children's services in X are good`` (earlier: ``The overall
  judgement is ...``), then numbered rows ``1. Children who need help and protection``,
  ``2. Children looked after and achieving permanence``, ``2.1 Adoption performance``,
  ``2.2 Experiences and progress of care leavers``, ``3. Leadership, management and
  governance``. Most are bundled with an LSCB review whose grade sits in its own section.
- ILACS (2018 -): a ``Judgement Grade`` table of label/grade rows: impact of leaders, help and
  protection, children in care (``and care leavers`` until 2022; a separate care-leavers row
  from 2023) and ``Overall effectiveness`` (no overall row from 1 April 2026).

The reader is strict: a grade is taken only from a table row (or SIF's fixed sentences) whose
label it recognises; anything it cannot read is left null and named in ``problems``, never
guessed. Text is normalised first (curly quotes, soft hyphens, spacing, wrapped lines).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ..councils import CouncilRegistry
from ..models import (
    ILACS_CARE_LEAVERS_FROM,
    Council,
    Evidence,
    Framework,
    Grade,
    Grades,
    Judgement,
    RatingEvent,
)
from ..ukdates import month_number

# The grade phrases, longest first; "inadequate" before "adequate" (a word boundary guards too).
_GRADE = r"(?:requires?\s+improvements?(?:\s+to\s+be\s+good)?|outstanding|good|inadequate|adequate)"
_GRADE_RE = re.compile(rf"\b{_GRADE}\b", re.IGNORECASE)

# An inspection lasts one to six weeks; a longer span means the dates were misread.
_MAX_INSPECTION_DAYS = 70


@dataclass(frozen=True)
class ReportReading:
    """What one inspection report PDF says. Unreadable fields are None and named in
    ``problems`` (as ``"field: reason"``) so a person can review them."""

    authority_text: str | None
    council: Council | None
    inspection_start: date | None
    inspection_end: date | None
    published: date | None
    lead_inspector: str | None
    framework: Framework
    grades: Grades
    evidence: tuple[Evidence, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def overall_removed(self) -> bool:
        """True for an ILACS inspection from 1 April 2026, which has no overall judgement."""
        if self.framework is not Framework.ILACS or self.inspection_start is None:
            return False
        return not self.framework.grades_overall(self.inspection_start)

    def to_event(self) -> RatingEvent | None:
        """The rating event this report is evidence of; None when the council is unknown."""
        if self.council is None:
            return None
        return RatingEvent(
            council=self.council,
            framework=self.framework,
            grades=self.grades,
            inspection_start=self.inspection_start,
            inspection_end=self.inspection_end,
            published=self.published,
            evidence=self.evidence,
            needs_review=self.problems,
        )


# --------------------------------------------------------------------------- text clean-up

_CHAR_MAP = (
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\t": " ",
        "\ufffe": "-",
        "\u00ad": "",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\r": "\n",
    }
).items()


def _clean(text: str) -> str:
    """Unify quotes, dashes and spaces; keep line breaks (some rules need them)."""
    for old, new in _CHAR_MAP:  # str.replace is far faster than str.translate with a dict
        if old in text:
            text = text.replace(old, new)
    return "\n".join(" ".join(line.split()) for line in text.split("\n"))


def _flat(text: str) -> str:
    """The text as one line: wrapped labels and grades become single-spaced phrases."""
    return " ".join(text.split())


# --------------------------------------------------------------------------- recognising


_TITLE_RE = re.compile(
    r"\b(?:re-?\s?inspection|inspection) of (?:the )?.{0,90}?(?:local authority children's"
    r" services|children's social care services|services for children in need of help)",
    re.IGNORECASE,
)
_NOT_A_REPORT_RE = re.compile(
    r"\b(?:focused visit|monitoring visit|joint targeted area inspection|area send|"
    r"special educational needs|local area partnership)\b",
    re.IGNORECASE,
)
_GRADED_RE = re.compile(
    r"\bjudgements?\s+grades?\b|\boverall effectiveness\s+" + _GRADE + r"|"
    r"\boverall judgement is\b|\bchildren's services in .{1,120}? (?:are|is|requires?)\b",
    re.IGNORECASE,
)


def looks_like_report(text: str) -> bool:
    """Whether ``text`` is a graded Ofsted inspection of a local authority's children's
    services (SIF or ILACS), not a focused or monitoring visit, a JTAI or a SEND letter."""
    head = _flat(_clean(text[:6000]))
    # A report opens with its title; a news story that quotes one does not.
    title = _TITLE_RE.search(head[:300])
    if title is None or _NOT_A_REPORT_RE.search(head[: title.end()]):
        return False
    dated = _DATES_LABEL.search(head[:1500]) is not None
    return dated and _GRADED_RE.search(head[:4000]) is not None


def _framework(first: str) -> Framework:
    """SIF or ILACS from the first pages' own wording (not the date: SIF re-inspections ran
    into 2018): the table's labels first, then the report's title."""
    if _ILACS_MARK.search(first):
        return Framework.ILACS
    if _SIF_TITLE.search(first[:700]):
        return Framework.SIF
    if _ILACS_TITLE.search(first[:700]):
        return Framework.ILACS
    if _SIF_MARK.search(first):
        return Framework.SIF
    return Framework.UNKNOWN


_ILACS_MARK = re.compile(
    r"judgements?\s+grades?\b.{0,200}?(?:impact of leaders|experiences and progress)|"
    r"\bimpact of leaders on social work practice\b",
    re.IGNORECASE,
)
_SIF_TITLE = re.compile(
    r"\bservices for children in need of help and protection, children looked after\b",
    re.IGNORECASE,
)
_SIF_MARK = re.compile(
    r"\b(?:children looked after and achieving permanence|overall judgement is|leadership,?"
    r" management and governance)\b",
    re.IGNORECASE,
)
_ILACS_TITLE = re.compile(
    r"\binspection of .{0,90}?(?:local authority children's services|children's social care"
    r" services)|\bjudgements?\s+grades?\b",
    re.IGNORECASE,
)


# --------------------------------------------------------------------------- reading


def read_report(pages: Sequence[str], *, councils: CouncilRegistry) -> ReportReading:
    """Read an inspection report from the text of its pages (``monitor.pdf.pdf_pages``)."""
    cleaned = [_clean(page) for page in pages]
    first = _flat("\n".join(cleaned[:2]))
    page_one = _flat(cleaned[0]) if cleaned else ""
    problems: list[str] = []
    evidence: list[Evidence] = []

    authority = _authority_text(page_one)
    council = _resolve(authority, councils) if authority else None
    if authority is None:
        problems.append("council: no authority name found on page one")
    elif council is None:
        problems.append(f"council: authority {authority!r} is not in the reference list")
    else:
        evidence.append(Evidence("council", authority))

    start, end, date_problem = _inspection_dates(first)
    if date_problem:
        problems.append(date_problem)
    published = _published(first)
    inspector = _lead_inspector(cleaned)

    framework = _framework(first)
    if framework is Framework.ILACS:
        grades, found, read_problems = _ilacs_grades(first, start)
    elif framework is Framework.SIF:
        grades, found, read_problems = _sif_grades(first, cleaned)
    else:
        grades, found = Grades(), []
        read_problems = ["grades: no SIF or ILACS judgement table found"]
    problems.extend(read_problems)
    evidence.extend(found)

    return ReportReading(
        authority_text=authority,
        council=council,
        inspection_start=start,
        inspection_end=end,
        published=published,
        lead_inspector=inspector,
        framework=framework,
        grades=grades,
        evidence=tuple(evidence),
        problems=tuple(problems),
    )


# --------------------------------------------------------------------------- authority

_AUTHORITY_PATTERNS = (
    # ILACS 2019-: "Inspection of [the] X local authority children's services"
    re.compile(
        r"\binspection of (?:the )?(?P<name>[^:;]{2,90}?) local authority children's services",
        re.IGNORECASE,
    ),
    # SIF and ILACS 2018: "X Inspection of children's social care services" / "of services ..."
    re.compile(
        r"^(?:\d{1,2} )?(?P<name>.{2,90}?) (?:re-?inspection|inspection) of (?:children's"
        r" social care services|local authority children's services|services for children)",
        re.IGNORECASE,
    ),
    # Last resort, SIF: "Children's services in X are good"
    re.compile(
        r"\bchildren's services in (?:the )?(?P<name>.{2,60}?) (?:are|is|requires?)\b",
        re.IGNORECASE,
    ),
)


def _authority_text(page_one: str) -> str | None:
    """The authority as the title names it (the title opens page one)."""
    for pattern in _AUTHORITY_PATTERNS:
        match = pattern.search(page_one[:400])
        if match:
            return match.group("name").strip(" ,.:")
    return None


# Prefixes and suffixes that dress a council's name ("London Borough of X", "X City Council").
_PREFIXES = (
    "the ",
    "london borough of ",
    "royal borough of ",
    "metropolitan borough of ",
    "borough of ",
    "city of ",
    "county of ",
)
_SUFFIXES = (
    " council",
    " metropolitan",
    " borough",
    " district",
    " county",
    " city",
    " area",
)
# Names Ofsted prints that are neither the official name nor a listed alias.
_EXTRA_ALIASES = {"hull": "810", "hull city": "810", "durham": "840"}


def _norm(name: str) -> str:
    name = name.lower().replace("&", " and ").replace("'", "").replace(".", " ")
    name = re.sub(r"[,\-/()]", " ", name)
    return " ".join(name.split())


def _stripped(key: str) -> str:
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if key.startswith(prefix) and len(key) > len(prefix) + 2:
                key, changed = key[len(prefix) :], True
        for suffix in _SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix) + 2:
                key, changed = key[: -len(suffix)], True
    return key


def _name_forms(name: str) -> Iterable[str]:
    yield name
    # The reference list writes "Bristol, City of"; reports write "Bristol City Council".
    head, sep, tail = name.partition(",")
    if sep:
        yield head
        yield f"{tail.strip()} {head}"


@functools.lru_cache(maxsize=4)
def _council_index(councils: CouncilRegistry) -> dict[str, Council]:
    """Normalised name -> council, for exact lookups; a key two councils share is dropped."""
    seen: dict[str, set[str]] = {}
    by_code = {c.la_code: c for c in councils}
    for council in councils:
        for name in (council.name, *council.aliases):
            for form in _name_forms(name):
                for key in {_norm(form), _stripped(_norm(form))}:
                    seen.setdefault(key, set()).add(council.la_code)
    index = {k: by_code[next(iter(v))] for k, v in seen.items() if len(v) == 1}
    for alias, code in _EXTRA_ALIASES.items():
        if code in by_code:
            index.setdefault(alias, by_code[code])
    return index


def _resolve(authority: str, councils: CouncilRegistry) -> Council | None:
    direct = councils.by_name(authority)
    if direct is not None:
        return direct
    index = _council_index(councils)
    key = _norm(authority)
    return index.get(key) or index.get(_stripped(key))


# --------------------------------------------------------------------------- dates

_DATE_TOKEN = re.compile(
    r"\s*(?:(?P<numeric>\d{1,2}/\d{1,2}/\d{2,4})\b|(?P<day>\d{1,2})(?:st|nd|rd|th)?\b|"
    r"(?P<year>\d{4})\b|(?P<sep>to|and|-|,)(?=\s|\d|$)|(?P<month>[a-z]+)\b)",
    re.IGNORECASE,
)
_DATES_LABEL = re.compile(
    r"\b(?:inspection dates?|dates? of (?:the )?inspection)\s*:\s*", re.IGNORECASE
)
_PUBLISHED_RE = re.compile(r"\b(?:report )?published\s*:\s*", re.IGNORECASE)


@dataclass
class _Partial:
    day: int
    month: int | None = None
    year: int | None = None


def _date_parts(text: str) -> list[_Partial]:
    """The run of day/month/year tokens at the start of ``text`` ('12 to 23 May 2025')."""
    parts: list[_Partial] = []
    position = 0
    while match := _DATE_TOKEN.match(text, position):
        if match.end() == position:
            break
        position = match.end()
        if match.group("numeric"):
            day, number, year = (int(x) for x in match.group("numeric").split("/"))
            parts.append(_Partial(day, number, year + 2000 if year < 100 else year))
        elif match.group("year"):
            if not parts or parts[-1].year is not None:
                break
            parts[-1].year = int(match.group("year"))
        elif match.group("day"):
            parts.append(_Partial(int(match.group("day"))))
        elif match.group("month"):
            month = month_number(match.group("month"))
            if month is None or not parts or parts[-1].month is not None:
                break
            parts[-1].month = month
    return parts


def _inspection_dates(text: str) -> tuple[date | None, date | None, str | None]:
    """(start, end, problem) from 'Inspection date(s): ...' in any of its written forms."""
    label = _DATES_LABEL.search(text)
    if label is None:
        return None, None, "inspection_dates: no 'Inspection dates:' line found"
    written = text[label.end() : label.end() + 90]
    parts = _date_parts(written)
    if len(parts) < 2:
        return None, None, f"inspection_dates: cannot read {written[:50]!r}"
    first, last = parts[0], parts[-1]
    # "12 to 23 May 2025": the start borrows the end's month and year.
    first.month = first.month or last.month
    first.year = first.year or last.year
    try:
        end = date(last.year or 0, last.month or 0, last.day)
        start = date(first.year or 0, first.month or 0, first.day)
    except (ValueError, TypeError):
        return None, None, f"inspection_dates: cannot read {written[:50]!r}"
    if start > end and parts[0].year == end.year:
        start = start.replace(year=start.year - 1)  # "28 December to 8 January 2016"
    if not timedelta(0) <= end - start <= timedelta(days=_MAX_INSPECTION_DAYS):
        return None, None, f"inspection_dates: implausible range {written[:50]!r}"
    return start, end, None


def _published(text: str) -> date | None:
    """'Report published: 25 August 2017' (SIF; ILACS reports do not print it)."""
    label = _PUBLISHED_RE.search(text)
    if label is None:
        return None
    parts = _date_parts(text[label.end() : label.end() + 40])
    if not parts or parts[0].month is None or parts[0].year is None:
        return None
    try:
        return date(parts[0].year, parts[0].month, parts[0].day)
    except ValueError:
        return None


_INSPECTOR_RE = re.compile(
    r"^lead inspectors?(?: on site)?\s*:\s*(?P<name>.+)$", re.IGNORECASE | re.MULTILINE
)
_INSPECTOR_TITLE = re.compile(
    r"[,\s]*\b(?:(?:his|her) majesty's inspectors?(?: of education, children's services and"
    r" skills)?|(?:senior )?hmis?|ofsted inspectors?|social care regulatory inspectors?)\b\.?",
    re.IGNORECASE,
)


def _lead_inspector(pages: Sequence[str]) -> str | None:
    """The lead inspector's name without the HMI title ('A and B' for joint leads). ILACS
    print it on page one, SIF in the team list at the end: the first such line wins."""
    for page in pages:
        match = _INSPECTOR_RE.search(page)
        if match:
            name = _INSPECTOR_TITLE.sub("", match.group("name"))
            name = re.sub(r"\s*,\s*and\s+", " and ", name)
            name = " ".join(name.split()).strip(" ,.;:")
            return name or None
    return None


# --------------------------------------------------------------------------- ILACS table

_TABLE_HEADER = re.compile(r"\bjudgements?\s+grades?\b", re.IGNORECASE)
# Where the rows start when a report has no "Judgement Grade" header.
_FIRST_ROW = re.compile(
    r"\b(?:the )?(?:impact of leaders on social work|experiences and progress of)", re.IGNORECASE
)
_LABEL_START = re.compile(
    r"^(?:the )?(?:impact of leaders|experiences and progress of|overall effectiveness)\b"
)
_LABEL_HEADS = re.compile(r"impact of leaders|experiences and progress of|overall effectiveness")
# Every word a judgement label uses: a "label" with any other word is prose, and ends the table
# (so a sentence such as "the experiences of children in care are good" is never a row).
_LABEL_WORDS = frozenset(
    {
        "the", "impact", "of", "leaders", "on", "social", "work", "practice", "with",
        "children", "and", "families", "experiences", "progress", "who", "need", "help",
        "protection", "in", "care", "leavers", "overall", "effectiveness", "young", "people",
        "care-experienced", "experienced",
    }
)  # fmt: skip


def _ilacs_label(label: str) -> Judgement | None:
    """Which judgement a table label names; None for anything else (prose ends the table)."""
    key = " ".join(label.lower().strip(" :").split())
    words = key.split()
    if not _LABEL_START.match(key) or len(words) > 16 or not _LABEL_WORDS.issuperset(words):
        return None
    if len(_LABEL_HEADS.findall(key)) != 1:
        return None  # two labels run together: a grade is missing between them
    if key == "overall effectiveness":
        return Judgement.OVERALL
    if "leaders" in key and "impact" in key:
        return Judgement.LEADERS
    if "help and protection" in key:
        return Judgement.HELP_AND_PROTECTION
    leavers = "care leavers" in key or "experienced" in key
    if "in care" in key and (not leavers or "in care and care leavers" in key):
        return Judgement.IN_CARE  # before 2023 one row covered children in care and care leavers
    if leavers:
        return Judgement.CARE_LEAVERS
    return None


def _ilacs_rows(text: str) -> list[tuple[Judgement, Grade, str]]:
    """The (judgement, grade, row text) rows after the 'Judgement Grade' header, in order,
    up to the first text that is not a recognised row."""
    header = _TABLE_HEADER.search(text) or _FIRST_ROW.search(text)
    if header is None:
        return []
    rows: list[tuple[Judgement, Grade, str]] = []
    position = header.end() if header.re is _TABLE_HEADER else header.start()
    for match in _GRADE_RE.finditer(text, position):
        label = text[position : match.start()].strip()
        judgement = _ilacs_label(label)
        grade = Grade.parse(match.group(0))
        if judgement is None or grade is None:
            break
        rows.append((judgement, grade, f"{label} {match.group(0)}"))
        position = match.end()
    return rows


def _ilacs_grades(text: str, start: date | None) -> tuple[Grades, list[Evidence], list[str]]:
    rows = _ilacs_rows(text)
    if not rows:
        return Grades(), [], ["grades: the ILACS judgement table cannot be read"]
    problems: list[str] = []
    grades = Grades()
    evidence: list[Evidence] = []
    counts: dict[Judgement, int] = {}
    for judgement, _, _ in rows:
        counts[judgement] = counts.get(judgement, 0) + 1
    combined = any("care leavers" in row.lower() for j, _, row in rows if j is Judgement.IN_CARE)
    for judgement, grade, row in rows:
        if counts[judgement] > 1:
            continue
        grades = grades.with_grade(judgement, grade)
        evidence.append(Evidence(judgement.value, row))
    for judgement, count in counts.items():
        if count > 1:
            problems.append(f"{judgement.value}: the table has {count} rows for it")
    for judgement in _expected_ilacs(start, combined):
        if judgement not in counts:
            problems.append(f"{judgement.value}: no row for it in the judgement table")
    return grades, evidence, problems


def _expected_ilacs(start: date | None, combined: bool) -> list[Judgement]:
    expected = [Judgement.LEADERS, Judgement.HELP_AND_PROTECTION, Judgement.IN_CARE]
    if not combined and (start is None or start >= ILACS_CARE_LEAVERS_FROM):
        expected.append(Judgement.CARE_LEAVERS)
    # No overall row is expected from April 2026; without a date we cannot tell, so ask.
    if start is None or Framework.ILACS.grades_overall(start):
        expected.append(Judgement.OVERALL)
    return expected


# --------------------------------------------------------------------------- SIF

_SIF_OVERALL = re.compile(
    r"\b(?:children's services? in .{1,120}? |the overall judgement is (?:that )?"
    r"(?:children's services? )?)(?:are |is )?(?:judged )?(?:to be )?(?P<grade>" + _GRADE + r")\b",
    re.IGNORECASE,
)
# Row numbers are matched loosely: one report numbers its leadership row "1." by mistake.
_SIF_ROWS = {
    Judgement.HELP_AND_PROTECTION: r"children who need help and protection",
    Judgement.IN_CARE: r"children looked after and achieving permanence",
    Judgement.ADOPTION: r"adoption performance",
    Judgement.CARE_LEAVERS: r"experiences and progress of care leavers",
    Judgement.LEADERS: r"leadership,? management and governance",
}
_SIF_ROW_RES = {
    j: re.compile(rf"(?:\b\d(?:\.\d)?\.? )?\b{label}:? (?P<grade>{_GRADE})\b", re.IGNORECASE)
    for j, label in _SIF_ROWS.items()
}
# "The Local Safeguarding Children Board is good", "The LSCB requires improvement because",
# "105. The LSCB in X is inadequate.": a sentence that starts a line and whose grade ends the
# sentence or line, so "attendance at the LSCB is good" or "An LSCB that is good" never count.
_LSCB_RE = re.compile(
    r"^(?:\d{1,3}\.\s+)?(?:the\s+)?(?:judgement\s+for\s+the\s+)?(?:effectiveness\s+of\s+the\s+)?"
    r"(?:[\w'-]+\s+)?(?:safeguarding\s+children\s+board|lscb)(?:\s+\([a-z]+\))?"
    r"(?:\s+in\s+[a-z][\w' -]{1,40}?)?\s+(?:is\s+|are\s+)?(?:judged\s+(?:to\s+be\s+)?)?"
    r"(?P<grade>" + _GRADE + r")(?=[ ]*(?:[.;:]|because\b|\n|$))",
    re.IGNORECASE | re.MULTILINE,
)
# An LSCB grade counts only in a report that includes the board's review.
_LSCB_REVIEW = re.compile(
    r"\b(?:review|inspection) of the effectiveness of the\s+local\s+safeguarding\s+children",
    re.IGNORECASE,
)


def _sif_grades(first: str, pages: Sequence[str]) -> tuple[Grades, list[Evidence], list[str]]:
    grades = Grades()
    evidence: list[Evidence] = []
    problems: list[str] = []
    rows = _sif_table(first)
    head = first[: rows[0].start()] if rows else first[:1500]
    overall = _SIF_OVERALL.search(head)
    if overall and (grade := Grade.parse(overall.group("grade"))):
        grades = grades.with_grade(Judgement.OVERALL, grade)
        evidence.append(Evidence(Judgement.OVERALL.value, overall.group(0)))
    else:
        problems.append("overall: the SIF overall judgement sentence cannot be read")
    if rows:
        for judgement, match in zip(_SIF_ROWS, rows, strict=True):
            if grade := Grade.parse(match.group("grade")):
                grades = grades.with_grade(judgement, grade)
                evidence.append(Evidence(judgement.value, match.group(0)))
    else:
        # A partial or out-of-order table may pair a label with another row's grade (a PDF
        # whose text comes out column by column): read none of it rather than guess.
        problems.append("grades: the five SIF judgement rows cannot be read in order")
    reviewed = any(_LSCB_REVIEW.search(_flat(page)) for page in pages)
    lscb, lscb_evidence, lscb_problem = _lscb_grade(pages)
    if lscb is not None and not reviewed:
        problems.append(
            "lscb: an LSCB grade is stated but the report does not say it reviews the board"
        )
    elif lscb is not None:
        grades = grades.with_grade(Judgement.LSCB, lscb)
        evidence.append(Evidence(Judgement.LSCB.value, lscb_evidence))
    elif lscb_problem or reviewed:
        problems.append(lscb_problem or "lscb: the report reviews the LSCB but no grade found")
    return grades, evidence, problems


def _sif_table(text: str) -> list[re.Match[str]]:
    """The five numbered rows as one block, each grade followed directly by the next row's
    label; [] when there is no such block (prose that names a judgement never counts)."""
    first, *rest = _SIF_ROW_RES.values()
    for start in first.finditer(text):
        rows = [start]
        for pattern in rest:
            position = rows[-1].end()
            while position < len(text) and text[position] == " ":
                position += 1
            match = pattern.match(text, position)
            if match is None:
                break
            rows.append(match)
        if len(rows) == len(_SIF_ROW_RES):
            return rows
    return []


def _lscb_grade(pages: Sequence[str]) -> tuple[Grade | None, str, str | None]:
    """The LSCB review's grade, from its stated sentences; (None, '', problem) if they
    disagree."""
    found: dict[Grade, str] = {}
    for page in pages:
        for match in _LSCB_RE.finditer(page):
            grade = Grade.parse(match.group("grade"))
            if grade is not None:
                found.setdefault(grade, " ".join(match.group(0).split()))
    if len(found) > 1:
        named = ", ".join(g.value for g in found)
        return None, "", f"lscb: the report states different LSCB grades ({named})"
    if found:
        grade, text = next(iter(found.items()))
        return grade, text, None
    return None, "", None
