"""Report text -> a ReportReading: who was inspected, when, under which framework, and the grades.

Ofsted's local authority children's services reports state their grades on page one:

- SIF (Nov 2013 - 2018): ``Children's services in X are good`` (earlier: ``The overall
  judgement is ...``; some without the name: ``Children's services require improvement to be
  good``), then numbered rows ``1. Children who need help and protection``, ``2. Children
  looked after and achieving permanence``, ``2.1 Adoption performance``, ``2.2 Experiences
  and progress of care leavers``, ``3. Leadership, management and governance``, each graded
  or ``Not judged``. Most are bundled with an LSCB review whose grade sits in its own section.
- ILACS (2018 -): a ``Judgement Grade`` table of label/grade rows: impact of leaders, help and
  protection, children in care (``and care leavers`` until 2022; a separate care-leavers row
  from 2023) and ``Overall effectiveness`` (no overall row from 1 April 2026).

Layouts vary: the title names the authority in any of its formal names or aliases, or a trust
("Inspection of Kent County Council children's services", "Medway Children's Services" over
"Inspection of children's social care services"); labels may end in punctuation; a table may
break across pages one and two under a footnote; an inspection may have two or three visits
("30 June to 11 July 2025 and 15 to 18 September 2025").

The contract (tested in ``tests/classify/test_report.py``, on whole and damaged fixtures):

- **A field is right or null.** A grade is taken only from a whole table row (or SIF's fixed
  sentences) whose label it recognises; a date only from the "Inspection dates:" line, every
  visit kept, the start the first day of the first visit and the end the last day of the
  last; the council only from the title block (or page two's running title, or SIF's
  sentence) when it names exactly one authority. Nothing is guessed.
- **Every null is named in ``problems``** as ``"field: reason"``: ``council``,
  ``inspection_dates``, ``framework``, and each judgement the report's framework grades
  (a "Not judged" row too). ``published`` (SIF prints it, ILACS does not: the provider page
  dates the report) and ``lead_inspector`` are context, null when not printed.
- ``problems`` become the event's ``needs_review``: a report with any null judgement raises
  a review flag that ``monitor history`` and the change alert show.

Text is normalised first (curly quotes, soft hyphens, spacing, wrapped lines).
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
    # Every visit of the inspection, in order: most have one; some two or three, months
    # apart. inspection_start is the first day of the first, inspection_end the last of the last.
    inspection_spans: tuple[tuple[date, date], ...] = ()

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


# Where a report's title ends on page one: the dates line, or whatever follows the title.
_TITLE_END = re.compile(
    r"\b(?:inspection dates?|dates? of (?:the )?inspection|review of the effectiveness|lead"
    r" inspectors?|judgements?\s+grades?|report published)\b",
    re.IGNORECASE,
)
_NOT_A_REPORT_RE = re.compile(
    r"\b(?:focused visit|monitoring visit|joint targeted area inspection|area send|"
    r"special educational needs|local area partnership|children's homes?|fostering|"
    r"adoption (?:support )?agency|residential|secure training|school|college|nursery|"
    r"childminder|youth justice|probation|adult social care)\b",
    re.IGNORECASE,
)
# Words only a graded inspection of a local authority's children's services prints on its
# first pages: the ILACS judgement labels, SIF's title and numbered judgements. (Children's
# homes, schools and the CQC grade other things under other labels.)
_LA_JUDGEMENTS_RE = re.compile(
    r"\bimpact of leaders on social work practice\b|"
    r"\bexperiences and progress of children who need help and protection\b|"
    r"\bchildren looked after and achieving permanence\b|"
    r"\bservices for children in need of help and protection\b|"
    r"\bleadership,? management and governance\b",
    re.IGNORECASE,
)


def _title_region(page_one: str) -> str:
    """The title block that opens page one (flattened text): up to the dates line or
    whatever else follows the title, at most a few hundred characters."""
    head = page_one[:600]
    end = _TITLE_END.search(head)
    return head[: end.start()] if end else head[:300]


def looks_like_report(text: str) -> bool:
    """Whether ``text`` (the first page or two of a PDF) is a graded Ofsted inspection of a
    local authority's children's services, SIF or ILACS, whatever its title's wording ("...
    local authority children's services", "... Council children's services", a trust's
    name, "Inspection of children's social care services"); not a focused or monitoring
    visit, a JTAI, a SEND letter or an inspection of a home, school or agency.

    It decides only whether a PDF that did not come from the Ofsted source goes to the report
    reader; a PDF the Ofsted source lists as an inspection is read as a report regardless."""
    head = _flat(_clean(text[:8000]))
    title = _title_region(head)
    if "inspection" not in title.lower() or _NOT_A_REPORT_RE.search(title):
        return False
    dated = _DATES_LABEL.search(head[:2000]) is not None
    return dated and _LA_JUDGEMENTS_RE.search(head[:5000]) is not None


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
    boundary = len(_flat(cleaned[0])) if cleaned else 0  # where page two starts in ``first``
    problems: list[str] = []
    evidence: list[Evidence] = []

    named = _find_authority(cleaned, councils)
    authority, council = named.text, named.council
    if named.problem:
        problems.append(named.problem)
    elif authority:
        evidence.append(Evidence("council", authority))

    spans, date_problem = _inspection_dates(first)
    start, end = (spans[0][0], spans[-1][1]) if spans else (None, None)
    if date_problem:
        problems.append(date_problem)
    published = _published(first)
    inspector = _lead_inspector(cleaned)

    framework = _framework(first)
    if framework is Framework.ILACS:
        grades, found, read_problems = _ilacs_grades(first, boundary, start)
    elif framework is Framework.SIF:
        grades, found, read_problems = _sif_grades(first, boundary, cleaned)
    else:
        grades, found = Grades(), []
        read_problems = ["framework: neither a SIF nor an ILACS judgement table found"]
        read_problems += [f"{j.value}: no judgement table found" for j in _COMMON_JUDGEMENTS]
    problems.extend(read_problems)
    evidence.extend(found)

    return ReportReading(
        authority_text=authority,
        council=council,
        inspection_start=start,
        inspection_end=end,
        inspection_spans=spans,
        published=published,
        lead_inspector=inspector,
        framework=framework,
        grades=grades,
        evidence=tuple(evidence),
        problems=tuple(problems),
    )


# --------------------------------------------------------------------------- authority

# Only to name an authority that is not in the reference list, for the problem message.
_AUTHORITY_PATTERNS = (
    # "Inspection of [the] X local authority children's services", "... X children's services"
    re.compile(
        r"\binspection of (?:the )?(?P<name>[^:;]{2,90}?) (?:local authority )?children's"
        r" (?:social care )?services",
        re.IGNORECASE,
    ),
    # SIF and ILACS 2018: "X Inspection of children's social care services" / "of services ..."
    re.compile(
        r"^(?:\d{1,2} )?(?P<name>.{2,90}?) (?:re-?inspection|inspection) of (?:children's"
        r" social care services|local authority children's|services for children)",
        re.IGNORECASE,
    ),
    # Last resort, SIF: "Children's services in X are good"
    re.compile(
        r"\bchildren's services in (?:the )?(?P<name>.{2,60}?) (?:are|is|requires?)\b",
        re.IGNORECASE,
    ),
)
# SIF's cover sentence names the authority too ("Children's services in X are good").
_SIF_NAME_RE = re.compile(
    r"\bchildren's services in (?:the )?(?P<name>.{2,60}?) (?:are|is|requires?)\b",
    re.IGNORECASE,
)
# ILACS pages after the first open with the title ("Inspection of X local authority
# children's services"); only that line, never page two's prose, may name the authority.
_RUNNING_TITLE = re.compile(
    r"(?:\d{1,3} )?(?P<title>(?:re-?)?inspection of .{2,120}?children's (?:social care )?services)",
    re.IGNORECASE,
)
# A name token: anything between spaces and the punctuation _norm turns into spaces.
_NAME_TOKEN = re.compile(r"[^\s,\-/()\[\]:;.]+")


@dataclass(frozen=True)
class _Authority:
    text: str | None  # the authority as printed (None: no name found)
    council: Council | None
    problem: str | None


def _find_authority(pages: Sequence[str], councils: CouncilRegistry) -> _Authority:
    """The inspected authority, from the title block that opens page one; failing that, the
    running title that heads page two, then SIF's "Children's services in X" sentence.

    The title is searched for every council's official name and aliases (and their forms
    without "Council", "Metropolitan Borough" and the like), longest first, so any title
    wording works: "Inspection of Kent County Council children's services", "Medway
    Children's Services", "Inspection of Bradford Children and Families Trust". A title that
    names two councils, or a name that several share (a trust that serves two), gives no
    council: that is a problem to review, never a guess."""
    page_one = _flat(pages[0]) if pages else ""
    places = [_title_region(page_one)]
    if len(pages) > 1 and (running := _RUNNING_TITLE.match(_flat(pages[1])[:200])):
        places.append(running.group("title"))
    if sif := _SIF_NAME_RE.search(page_one[:3000]):
        places.append(sif.group("name"))
    for place in places:
        named = _councils_named(place, councils)
        if named is not None:
            return named
    printed = _authority_text(page_one)
    if printed is None:
        return _Authority(None, None, "council: no authority name found on page one")
    return _Authority(printed, None, f"council: authority {printed!r} is not in the reference list")


def _councils_named(text: str, councils: CouncilRegistry) -> _Authority | None:
    """The one council ``text`` names (leftmost-longest match of the names in the index);
    an _Authority with a problem when it names several; None when it names none."""
    index, shared = _council_index(councils)
    tokens = list(_NAME_TOKEN.finditer(text[:400]))
    words = [_norm(t.group(0)) for t in tokens]
    found: dict[str, tuple[Council, str]] = {}
    shared_found: list[tuple[str, frozenset[str]]] = []
    i = 0
    while i < len(words):
        for n in range(min(_MAX_NAME_WORDS, len(words) - i), 0, -1):
            key = " ".join(words[i : i + n])
            printed = text[tokens[i].start() : tokens[i + n - 1].end()]
            if key in shared:
                shared_found.append((printed, shared[key]))
                break
            council = index.get(key)
            if council is not None and key not in _NOT_A_NAME:
                found.setdefault(council.la_code, (council, printed))
                break
        else:
            n = 1
        i += n
    # A shared name ("Achieving for Children") is fine beside one council it serves.
    stray = [p for p, codes in shared_found if not (len(found) == 1 and set(found) <= codes)]
    if len(found) == 1 and not stray:
        council, printed = next(iter(found.values()))
        return _Authority(printed, council, None)
    if not found and not stray:
        return None
    names = [printed for _, printed in found.values()] + stray
    listed = ", ".join(repr(n) for n in names)
    if len(names) == 1:
        problem = f"council: {listed} names more than one authority in the reference list"
    else:
        problem = f"council: the title names more than one authority ({listed})"
    return _Authority(names[0], None, problem)


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


# Keys that are only the dressing left when a name is stripped ("City of London" -> "london"):
# never a name on their own ("London Borough of X" must not read as the City of London).
_NOT_A_NAME = frozenset({"london"})
# The longest council name or alias, in words ("Bournemouth, Christchurch and Poole Borough
# Council" and the like).
_MAX_NAME_WORDS = 9


@functools.lru_cache(maxsize=4)
def _council_index(
    councils: CouncilRegistry,
) -> tuple[dict[str, Council], dict[str, frozenset[str]]]:
    """(normalised name -> council, for exact lookups; name -> council codes, for the names
    several councils share, which name none of them)."""
    seen: dict[str, set[str]] = {}
    by_code = {c.la_code: c for c in councils}
    for council in councils:
        for name in (council.name, *council.aliases):
            for form in _name_forms(name):
                for key in {_norm(form), _stripped(_norm(form))}:
                    seen.setdefault(key, set()).add(council.la_code)
    index = {k: by_code[next(iter(v))] for k, v in seen.items() if len(v) == 1}
    shared = {k: frozenset(v) for k, v in seen.items() if len(v) > 1}
    for alias, code in _EXTRA_ALIASES.items():
        if code in by_code and alias not in shared:
            index.setdefault(alias, by_code[code])
    return index, shared


# --------------------------------------------------------------------------- dates

_DATE_TOKEN = re.compile(
    r"\s*(?:(?P<numeric>\d{1,2}/\d{1,2}/\d{2,4})\b|(?P<day>\d{1,2})(?:st|nd|rd|th)?\b|"
    r"(?P<year>\d{4})\b|(?P<sep>to|and|&|-|,|;)(?=\s|\d|$)|(?P<month>[a-z]+)\b)",
    re.IGNORECASE,
)
_DATES_LABEL = re.compile(
    r"\b(?:inspection dates?|dates? of (?:the )?inspection)\s*:\s*", re.IGNORECASE
)
_PUBLISHED_RE = re.compile(r"\b(?:report )?published\s*:\s*", re.IGNORECASE)
# How far the written dates may run: three visits with every month and year spelt out.
_DATES_WINDOW = 200
# Visits of one inspection (two or three, months apart) all fall within a year.
_MAX_INSPECTION_SPREAD = timedelta(days=366)
_RANGE_SEPS = frozenset({"to", "-"})
_LIST_SEPS = frozenset({"and", "&", ",", ";"})
# A date the run of dates did not take, close after it ("... 2024 with a further visit on
# 13 to 16 January 2025"): the dates are written some way we do not read, so none is taken.
_STRAY_DATE = re.compile(
    r"\b(?:\d{1,2}/\d{1,2}/\d{2,4}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
    r" \d{4})\b",
    re.IGNORECASE,
)
# Where the dates line ends at the latest: what reports print after it.
_AFTER_DATES = re.compile(
    r"\b(?:lead inspectors?|report published|published|judgements?\s+grades?|children's"
    r" services|the overall judgement|inspection of)\b",
    re.IGNORECASE,
)


@dataclass
class _Partial:
    day: int
    month: int | None = None
    year: int | None = None
    year_borrowed: bool = False


def _date_parts(text: str) -> tuple[list[_Partial | str], int]:
    """The run of dates and separators at the start of ``text`` ('12 to 23 May 2025 and
    ...'): _Partial for each day written, 'to'/'-' between a visit's first and last day,
    'and'/','/'&'/';' between visits. Stops at the first token that continues no date; also
    returns where it stopped."""
    parts: list[_Partial | str] = []
    position = 0
    while match := _DATE_TOKEN.match(text, position):
        if match.end() == position:
            break
        last = parts[-1] if parts else None
        if match.group("numeric"):
            if isinstance(last, _Partial):
                break  # two dates with nothing between them: the second is not a date
            day, number, year = (int(x) for x in match.group("numeric").split("/"))
            parts.append(_Partial(day, number, year + 2000 if year < 100 else year))
        elif match.group("year"):
            if last == "," and len(parts) > 1:  # "23 May, 2025"
                parts.pop()
                last = parts[-1]
            if not isinstance(last, _Partial) or last.year is not None:
                break
            last.year = int(match.group("year"))
        elif match.group("day"):
            if isinstance(last, _Partial):
                break  # a page or footnote number after the dates
            parts.append(_Partial(int(match.group("day"))))
        elif match.group("sep"):
            sep = match.group("sep").lower()
            if isinstance(last, str) and last in _LIST_SEPS and sep in _LIST_SEPS:
                parts[-1] = sep  # ", and", "; and"
            elif not isinstance(last, _Partial):
                break
            else:
                parts.append(sep)
        else:
            month = month_number(match.group("month"))
            if month is None or not isinstance(last, _Partial) or last.month is not None:
                break
            if last.year is not None:
                break  # "2025 May": a month never follows the year
            last.month = month
        position = match.end()
    while parts and isinstance(parts[-1], str):
        parts.pop()
    return parts, position


def _visits(parts: list[_Partial | str]) -> list[list[_Partial]] | None:
    """The visits a run of dates states, each [first day] or [first day, last day]; None
    when a range has no end."""
    visits: list[list[_Partial]] = []
    ranged = False
    for part in parts:
        if isinstance(part, str):
            ranged = part in _RANGE_SEPS
            if ranged and (not visits or len(visits[-1]) == 2):
                return None  # "1 to 5 to 9 May"
        elif ranged:
            visits[-1].append(part)
            ranged = False
        else:
            visits.append([part])
    return visits


def _fill_from_later(days: list[_Partial]) -> bool:
    """Give each day the month and year of the nearest later day that states them ('12 to 23
    May 2025': 12 May 2025); a borrowed year steps back one when the borrowed date would come
    after the later one ('28 December to 8 January 2016'). False when a day cannot be
    completed this way."""
    month: int | None = None
    year: int | None = None
    later: _Partial | None = None
    for day in reversed(days):
        if day.month is None:
            if month is None:
                return False
            day.month = month
        elif (
            day.year is None
            and later is not None
            and year is not None
            and (day.month, day.day) > (later.month or 0, later.day)
        ):
            year -= 1  # the month is the writer's; only the year is ours
        if day.year is None:
            if year is None:
                return False
            day.year, day.year_borrowed = year, True
        month, year, later = day.month, day.year, day
    return True


def _inspection_dates(
    text: str,
) -> tuple[tuple[tuple[date, date], ...], str | None]:
    """(every visit as (first day, last day), problem) from 'Inspection date(s): ...' in any
    of its written forms, one to three visits ('30 June to 4 July 2025 and 8 to 10 September
    2025'). Nothing is ever inferred beyond a day borrowing its visit's (or a later visit's)
    month and year: anything else is no dates and a problem."""
    label = _DATES_LABEL.search(text)
    if label is None:
        return (), "inspection_dates: no 'Inspection dates:' line found"
    written = text[label.end() : label.end() + _DATES_WINDOW]
    shown = written[:60]
    parts, stop = _date_parts(written)
    rest = written[stop:]
    if (after := _AFTER_DATES.search(rest)) is not None:
        rest = rest[: after.start()]
    if _STRAY_DATE.search(rest[:80]):
        return (), f"inspection_dates: cannot read {written[:90]!r}"
    visits = _visits(parts)
    days = [day for visit in visits or () for day in visit]
    if visits is None or len(days) < 2 or not _fill_from_later(days):
        return (), f"inspection_dates: cannot read {shown!r}"
    spans: list[tuple[date, date]] = []
    try:
        for visit in visits:
            first, last = visit[0], visit[-1]
            spans.append(
                (date(first.year or 0, first.month or 0, first.day),
                 date(last.year or 0, last.month or 0, last.day))
            )  # fmt: skip
    except ValueError:
        return (), f"inspection_dates: cannot read {shown!r}"
    for index, (start, end) in enumerate(spans):
        if not timedelta(0) <= end - start <= timedelta(days=_MAX_INSPECTION_DAYS):
            return (), f"inspection_dates: implausible range {shown!r}"
        if index and start <= spans[index - 1][1]:
            return (), f"inspection_dates: visits out of order {shown!r}"
    if spans[-1][1] - spans[0][0] > _MAX_INSPECTION_SPREAD:
        return (), f"inspection_dates: implausible range {shown!r}"
    return tuple(spans), None


def _published(text: str) -> date | None:
    """'Report published: 25 August 2017' (SIF; ILACS reports do not print it)."""
    label = _PUBLISHED_RE.search(text)
    if label is None:
        return None
    parts, _ = _date_parts(text[label.end() : label.end() + 40])
    day = parts[0] if parts else None
    if not isinstance(day, _Partial) or day.month is None or day.year is None:
        return None
    try:
        return date(day.year, day.month, day.day)
    except ValueError:
        return None


_INSPECTOR_RE = re.compile(
    r"^lead inspectors?(?: on site)?\s*:\s*(?P<name>.+)$", re.IGNORECASE | re.MULTILINE
)
# The lookbehind starts the comma/space run only at its first character: without it every
# position of a long run of commas would re-scan the rest of the run (quadratic).
_INSPECTOR_TITLE = re.compile(
    r"(?<![,\s])[,\s]*\b(?:(?:his|her) majesty's inspectors?(?: of education, children's"
    r" services and skills)?|(?:senior )?hmis?|ofsted inspectors?|social care regulatory"
    r" inspectors?)\b\.?",
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
# A judgement label, whole: the reports' wordings of each row (lower case, punctuation gone).
# Anything else, a sentence or a label that lost words ("...practice with need help and
# protection", when a line went missing), is not a row and ends the table.
_WHO = r"(?:children|young people|families)"
_CARE_EXPERIENCED = r"care[- ]?experienced (?:young people|children(?: and young people)?)"
_ILACS_LABEL_RE = re.compile(
    r"(?:the )?(?:"
    r"(?P<leaders>impact of leaders on social work practice"
    rf"(?: with {_WHO}(?: (?:and )?{_WHO})*)?)|"
    r"experiences? and progress of (?:"
    r"(?P<help>children (?:and young people )?who need help and protection)|"
    r"(?P<in_care>children (?:and young people )?in care"
    rf"(?: and care leavers| and {_CARE_EXPERIENCED})?)|"
    rf"(?P<leavers>(?:children |young people )?care leavers|{_CARE_EXPERIENCED}))|"
    r"(?P<overall>overall effectiveness))"
)
_LABEL_GROUPS = {
    "leaders": Judgement.LEADERS,
    "help": Judgement.HELP_AND_PROTECTION,
    "in_care": Judgement.IN_CARE,
    "leavers": Judgement.CARE_LEAVERS,
    "overall": Judgement.OVERALL,
}
# Punctuation a row label or cell may carry ("children and families.", "Good;").
_PUNCTUATION = ".,:;!?*-\u2022\u2026"
# A table cell: a grade, or the words a report prints for a judgement it did not make.
_PUNCTUATION_CLASS = re.escape(_PUNCTUATION)  # inside [...]
_NOT_JUDGED = r"not\s+(?:judged|graded)"
_NOT_JUDGED_RE = re.compile(_NOT_JUDGED, re.IGNORECASE)
_CELL_RE = re.compile(rf"\b(?:{_GRADE}|{_NOT_JUDGED})\b", re.IGNORECASE)
# The judgements both frameworks grade (what an unrecognised table leaves unread).
_COMMON_JUDGEMENTS = (
    Judgement.OVERALL,
    Judgement.LEADERS,
    Judgement.HELP_AND_PROTECTION,
    Judgement.IN_CARE,
)
# A continued table must resume near the top of the next page, after its running title.
_CONTINUATION_WINDOW = 400
# The most text (a footnote, a page footer) between a table's last row and the page's end.
_MAX_PAGE_TAIL = 1500


@dataclass(frozen=True)
class _Row:
    judgement: Judgement
    grade: Grade | None  # None: the report marks this judgement "Not judged"
    text: str


def _row_grade(cell: str) -> tuple[bool, Grade | None]:
    """(is a cell, its grade): (True, None) for 'Not judged'; (False, None) for no grade."""
    if _NOT_JUDGED_RE.fullmatch(" ".join(cell.split())):
        return True, None
    grade = Grade.parse(cell)
    return grade is not None, grade


def _label_key(label: str) -> str:
    """A label as lower-case words without the punctuation around them ('The impact of
    leaders ... and families.' -> '... and families'); footnote digits go too."""
    words = (w.strip(_PUNCTUATION) for w in label.lower().split())
    words = (w.rstrip("0123456789") if w[:1].isalpha() else w for w in words)
    return " ".join(w for w in words if w)


def _ilacs_label(label: str) -> Judgement | None:
    """Which judgement a table label names; None for anything else (prose ends the table).
    Before 2023 one row covered children in care and care leavers: that is ``in_care``."""
    match = _ILACS_LABEL_RE.fullmatch(_label_key(label))
    if match is None or match.lastgroup is None:
        return None
    return _LABEL_GROUPS[match.lastgroup]


def _ilacs_run(text: str, position: int) -> tuple[list[_Row], int]:
    """The label/grade rows from ``position``, up to the first text that is not a recognised
    row; and where they end."""
    rows: list[_Row] = []
    for match in _CELL_RE.finditer(text, position):
        label = text[position : match.start()].strip(" " + _PUNCTUATION)
        judgement = _ilacs_label(label)
        is_cell, grade = _row_grade(match.group(0))
        if judgement is None or not is_cell:
            break
        rows.append(_Row(judgement, grade, f"{label} {match.group(0)}"))
        position = match.end()
    return rows, position


def _continuation(text: str, position: int, boundary: int, row: re.Pattern[str]) -> int | None:
    """Where a table that stops at ``position`` on page one resumes on page two (which starts
    at ``boundary``): only if nothing but a footnote or footer (no grade word) follows its
    last row on page one, and ``row`` starts page two after its running title or page number
    (no grade word either). None otherwise: the table simply ends."""
    if not position <= boundary <= position + _MAX_PAGE_TAIL:
        return None
    if _CELL_RE.search(text, position, boundary):
        return None
    resumed = row.search(text, boundary, boundary + _CONTINUATION_WINDOW)
    if resumed is None or _CELL_RE.search(text, boundary, resumed.start()):
        return None
    return resumed.start()


_ANY_LABEL_START = re.compile(
    r"\b(?:the )?(?:impact of leaders|experiences and progress of|overall effectiveness)\b",
    re.IGNORECASE,
)


def _ilacs_rows(text: str, boundary: int) -> list[_Row]:
    """The rows after the 'Judgement Grade' header, in order, up to the first text that is
    not a recognised row; a table that page one cuts off continues on page two (``text``
    is pages one and two, page two from ``boundary``)."""
    header = _TABLE_HEADER.search(text) or _FIRST_ROW.search(text)
    if header is None:
        return []
    position = header.end() if header.re is _TABLE_HEADER else header.start()
    rows, position = _ilacs_run(text, position)
    if rows and position < boundary:
        resumed = _continuation(text, position, boundary, _ANY_LABEL_START)
        if resumed is not None:
            more, _ = _ilacs_run(text, resumed)
            read = {row.judgement for row in rows}
            if more and not read & {row.judgement for row in more}:
                rows += more
    return rows


def _ilacs_grades(
    text: str, boundary: int, start: date | None
) -> tuple[Grades, list[Evidence], list[str]]:
    rows = _ilacs_rows(text, boundary)
    if not rows:
        reason = "the ILACS judgement table cannot be read"
        return Grades(), [], [f"{j.value}: {reason}" for j in _expected_ilacs(start, False)]
    problems: list[str] = []
    if start is not None and start < ILACS_CARE_LEAVERS_FROM:
        # No inspection before 2023 graded care leavers apart: such a row is a misreading
        # (a combined row that lost its first words, say), so it is not taken.
        early = [r for r in rows if r.judgement is Judgement.CARE_LEAVERS]
        rows = [r for r in rows if r.judgement is not Judgement.CARE_LEAVERS]
        problems += [
            f"care_leavers: a separate care leavers row ({r.text!r}) in an inspection before"
            " 2023, when care leavers were not graded apart"
            for r in early[:1]
        ]
    grades = Grades()
    evidence: list[Evidence] = []
    counts: dict[Judgement, int] = {}
    for row in rows:
        counts[row.judgement] = counts.get(row.judgement, 0) + 1
    combined = any(
        "care leavers" in r.text.lower() for r in rows if r.judgement is Judgement.IN_CARE
    )
    for row in rows:
        if counts[row.judgement] > 1:
            continue
        if row.grade is None:
            problems.append(f"{row.judgement.value}: not judged (the table says {row.text!r})")
            continue
        grades = grades.with_grade(row.judgement, row.grade)
        evidence.append(Evidence(row.judgement.value, row.text))
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
    Judgement.CARE_LEAVERS: r"experiences? and progress of care leavers",
    Judgement.LEADERS: r"leadership,? management and governance",
}
# Any punctuation may follow a label ("Adoption performance: Good"); a row a report did not
# grade reads "Not judged" (read as null and flagged, never as the next row's grade).
_SIF_ROW_RES = {
    j: re.compile(
        rf"(?:\b\d(?:\.\d)?\.? )?\b{label}[ {_PUNCTUATION_CLASS}]{{0,6}}"
        rf"(?P<grade>{_GRADE}|{_NOT_JUDGED})\b",
        re.IGNORECASE,
    )
    for j, label in _SIF_ROWS.items()
}
# The overall sentence without the authority's name, alone on its line ("Children's services
# require improvement to be good"): on its own line only, so prose never counts.
_SIF_OVERALL_UNNAMED = re.compile(
    r"^children's\s+services?\s+(?:are\s+|is\s+)?(?:judged\s+)?(?:to\s+be\s+)?"
    r"(?P<grade>" + _GRADE + r")[ .]*$",
    re.IGNORECASE | re.MULTILINE,
)
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


def _sif_grades(
    first: str, boundary: int, pages: Sequence[str]
) -> tuple[Grades, list[Evidence], list[str]]:
    grades = Grades()
    evidence: list[Evidence] = []
    problems: list[str] = []
    rows = _sif_table(first, boundary)
    head = first[: rows[0].start()] if rows else first[:1500]
    overall = _SIF_OVERALL.search(head) or _SIF_OVERALL_UNNAMED.search(pages[0][:3000])
    if overall and (grade := Grade.parse(overall.group("grade"))):
        grades = grades.with_grade(Judgement.OVERALL, grade)
        evidence.append(Evidence(Judgement.OVERALL.value, " ".join(overall.group(0).split())))
    else:
        problems.append("overall: the SIF overall judgement sentence cannot be read")
    if rows:
        for judgement, match in zip(_SIF_ROWS, rows, strict=True):
            row = " ".join(match.group(0).split())
            if grade := Grade.parse(match.group("grade")):
                grades = grades.with_grade(judgement, grade)
                evidence.append(Evidence(judgement.value, row))
            else:
                problems.append(f"{judgement.value}: not judged (the table says {row!r})")
    else:
        # A partial or out-of-order table may pair a label with another row's grade (a PDF
        # whose text comes out column by column): read none of it rather than guess.
        problems += [
            f"{j.value}: the five SIF judgement rows cannot be read in order" for j in _SIF_ROWS
        ]
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


def _sif_chain(
    text: str, position: int, patterns: Sequence[re.Pattern[str]]
) -> list[re.Match[str]]:
    """Rows matching ``patterns`` in order from ``position``, each directly after the last."""
    rows: list[re.Match[str]] = []
    for pattern in patterns:
        while position < len(text) and text[position] in " " + _PUNCTUATION:
            position += 1
        match = pattern.match(text, position)
        if match is None:
            break
        rows.append(match)
        position = match.end()
    return rows


def _sif_table(text: str, boundary: int) -> list[re.Match[str]]:
    """The five numbered rows as one block, each grade followed directly by the next row's
    label, or continued on page two (which starts at ``boundary``) after a footnote and a
    page number; [] when there is no such block (prose that names a judgement never
    counts)."""
    patterns = list(_SIF_ROW_RES.values())
    for start in patterns[0].finditer(text):
        rows = [start, *_sif_chain(text, start.end(), patterns[1:])]
        if len(rows) == len(patterns):
            return rows
        resumed = _continuation(text, rows[-1].end(), boundary, patterns[len(rows)])
        if resumed is not None:
            rows += _sif_chain(text, resumed, patterns[len(rows) :])
            if len(rows) == len(patterns):
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
