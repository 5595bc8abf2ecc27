"""What a subscriber reads: a subject line a newsroom can triage, plain text, HTML email
(every value escaped: titles come from articles and may carry markup) and short chat text.

Each names the council, every changed judgement (from -> to, up or down; "new" for a judgement
the previous framework did not grade), the inspection dates, the framework, and links to the
report and the news items.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..models import EvidenceKind, Grade, Judgement, JudgementChange
from ..records import ChangeRecord, EvidenceRecord, InspectionRecord
from ..timeline.changes import change_kind, headline

_VERB = {"upgrade": "upgraded", "downgrade": "downgraded", "new": "new"}
# Read from news alone, a change is wrong about one time in four (bench/real): the subject says
# so, and the subscriber can choose to wait for the report (``wait_for_report``).
UNCONFIRMED = "(news, unconfirmed)"
_ARROW = {"upgrade": "up", "downgrade": "down", "new": "new"}


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    chat: str


def short(grade: Grade | None) -> str:
    """A grade as a subject line shows it ('Requires improvement', not '... to be good')."""
    return grade.label.removesuffix(" to be good") if grade else "not graded"


def render_alert(record: ChangeRecord) -> Rendered:
    return Rendered(
        subject=subject_line(record),
        text=render_text(record),
        html=render_html(record),
        chat=render_chat(record),
    )


def subject_line(record: ChangeRecord) -> str:
    who = f"{record.council.name} children's services"
    if record.kind == "correction":
        return f"Correction: {who}: {_correction_phrase(record)}"
    lead = headline(record.changes)
    if lead is None:
        return f"{who}: new judgements graded"
    kind = change_kind(lead)
    if lead.judgement is Judgement.OVERALL:
        phrase = f"{_VERB[kind]} to {short(lead.after)} (was {short(lead.before)})"
    else:
        phrase = (
            f"{lead.judgement.label} {_VERB[kind]} to {short(lead.after)}"
            f" (was {short(lead.before)})"
        )
    others = sum(1 for c in record.changes if c is not lead and change_kind(c) != "new")
    if others and lead.judgement is not Judgement.OVERALL:
        phrase += f", {others} more judgement{'s' if others > 1 else ''} changed"
    if record.unconfirmed:
        phrase += f" {UNCONFIRMED}"
    return f"{who}: {phrase}"


def _correction_phrase(record: ChangeRecord) -> str:
    grades, replaced = record.inspection.grades, record.replaced
    for judgement in Judgement:
        was = replaced[judgement] if replaced else None
        now = grades[judgement]
        if was is not None and now is not None and was.rank != now.rank:
            name = "" if judgement is Judgement.OVERALL else f"{judgement.label} "
            return f"official report says {name}{short(now)} (news reported {short(was)})"
    return "official report differs from the news"


def change_line(change: JudgementChange) -> str:
    """``Overall effectiveness: Good -> Requires improvement to be good (down)``"""
    kind = change_kind(change)
    if kind == "new":
        return f"{change.judgement.label}: {change.after.label} (new judgement)"
    before = change.before.label if change.before else "?"
    return f"{change.judgement.label}: {before} -> {change.after.label} ({_ARROW[kind]})"


def _dates(record: InspectionRecord) -> str:
    start, end = record.inspection_start, record.inspection_end
    if start and end:
        return f"{start:%-d %B %Y} to {end:%-d %B %Y}"
    if start or end:
        day = start or end
        assert day is not None
        return f"{day:%-d %B %Y}"
    if record.published:
        return f"not yet known (first reported {record.published:%-d %B %Y})"
    return "not yet known"


def _framework(record: InspectionRecord) -> str:
    note = "" if record.framework.grades_overall(record.when) else " (no overall grade)"
    return record.framework.value + note


def _intro(record: ChangeRecord) -> str:
    if record.kind == "correction":
        return (
            "The official report disagrees with the grades the news reported earlier; "
            "the report's grades are below."
        )
    if not record.unconfirmed:
        return "Ofsted has changed its rating of these children's services."
    intro = (
        "The news reports that Ofsted has changed its rating of these children's services."
        " No official report has been seen yet: the grades are as the news gave them, and a"
        " correction follows if the report differs."
    )
    if record.previous is None:
        intro += " The earlier grade is the one the news stated; none is on record here."
    return intro


def _sources(items: Sequence[EvidenceRecord]) -> list[EvidenceRecord]:
    """Reports first, then news, as the timeline orders them."""
    return sorted(items, key=lambda e: e.kind is not EvidenceKind.REPORT)


def _label(item: EvidenceRecord) -> str:
    kind = "Ofsted report" if item.kind is EvidenceKind.REPORT else item.source or "news"
    title = item.title or item.url
    return f"{kind}: {title}"


def _review_notes(inspection: InspectionRecord) -> list[str]:
    """Fields a source could not read reliably: the reader flags, never guesses."""
    return [f"{_label(e)}: {p}" for e in inspection.evidence for p in e.needs_review]


def render_text(record: ChangeRecord) -> str:
    inspection = record.inspection
    lines = [subject_line(record), "", _intro(record), ""]
    lines += [f"  {change_line(c)}" for c in record.changes] or ["  (no judgement changed)"]
    if record.replaced is not None:
        said = ", ".join(f"{j.label} {g.label}" for j, g in record.replaced.items())
        lines += ["", f"Earlier news reported: {said}"]
    lines += [
        "",
        f"Council: {record.council.name} (DfE code {record.council.la_code})",
        f"Inspection dates: {_dates(inspection)}",
        f"Framework: {_framework(inspection)}",
    ]
    if inspection.conflict:
        lines.append("Note: sources disagree; the official report's grades are used when present.")
    if notes := _review_notes(inspection):
        lines += ["", "Needs review (could not be read reliably):"]
        lines += [f"  - {n}" for n in notes]
    lines += ["", "Sources:"]
    lines += [f"  - {_label(e)}\n    {e.url}" for e in _sources(inspection.evidence)]
    return "\n".join(lines) + "\n"


def render_html(record: ChangeRecord) -> str:
    esc = html.escape
    inspection = record.inspection
    items = "".join(f"<li>{esc(change_line(c))}</li>" for c in record.changes)
    # The URL is shown as well as linked: apprise derives the plain-text part from this HTML.
    sources = "".join(
        f'<li><a href="{esc(e.url, quote=True)}">{esc(_label(e))}</a><br>{esc(e.url)}</li>'
        for e in _sources(inspection.evidence)
    )
    parts = [
        f"<h2>{esc(subject_line(record))}</h2>",
        f"<p>{esc(_intro(record))}</p>",
        f"<ul>{items or '<li>(no judgement changed)</li>'}</ul>",
    ]
    if record.replaced is not None:
        said = ", ".join(f"{j.label} {g.label}" for j, g in record.replaced.items())
        parts.append(f"<p>Earlier news reported: {esc(said)}</p>")
    parts += [
        "<table>",
        f"<tr><th>Council</th><td>{esc(record.council.name)} (DfE code "
        f"{esc(record.council.la_code)})</td></tr>",
        f"<tr><th>Inspection dates</th><td>{esc(_dates(inspection))}</td></tr>",
        f"<tr><th>Framework</th><td>{esc(_framework(inspection))}</td></tr>",
        "</table>",
    ]
    if notes := _review_notes(inspection):
        flagged = "".join(f"<li>{esc(n)}</li>" for n in notes)
        parts.append(f"<h3>Needs review (could not be read reliably)</h3><ul>{flagged}</ul>")
    parts.append(f"<h3>Sources</h3><ul>{sources}</ul>")
    return "\n".join(parts) + "\n"


def render_chat(record: ChangeRecord) -> str:
    """Short text for every chat service; titles and URLs from articles are neutralised
    (``chat_text``, ``chat_url``): the same text goes to Discord, Slack, Teams and the rest."""
    inspection = record.inspection
    lines = [chat_text(subject_line(record))]
    lines += [f"• {change_line(c)}" for c in record.changes]
    lines.append(f"Inspected {_dates(inspection)} ({_framework(inspection)})")
    lines += [
        f"{chat_text(_label(e))} {chat_url(e.url)}" for e in _sources(inspection.evidence)[:6]
    ]
    return "\n".join(lines)


_ZWSP = "\u200b"  # zero-width space: invisible, but no chat service parses across it
# '@' before a name or id: @everyone, @here, @channel, <@U123> (Slack), <@123>, <@&456>
# (Discord; apprise's Discord plug-in even turns these into real pings).
_MENTION = re.compile(r"@(?=[\w&!#])")
# '<!' and '<#' open Slack's special mentions (<!channel>, <!here>) and channel links.
_SLACK_SPECIAL = re.compile(r"<(?=[!#])")
# ']' then '(' is a Markdown link: "[Official report](http://evil.example/)" would show only
# the words, on Discord and in Teams cards, and hide where it leads.
_MASKED_LINK = re.compile(r"\](?=\s*\()")
# Characters that could end a URL early in chat markup or start markup inside it.
_URL_UNSAFE = re.compile(r"[\s<>()\[\]@|`\"\\]")


def chat_text(text: str) -> str:
    """``text`` that no chat service reads as a mention or a disguised link."""
    text = _MENTION.sub("@" + _ZWSP, text)
    text = _SLACK_SPECIAL.sub("<" + _ZWSP, text)
    return _MASKED_LINK.sub("]" + _ZWSP, text)


def chat_url(url: str) -> str:
    """``url`` percent-encoded where chat markup could break out of it or start inside it."""
    return _URL_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m[0].encode()), url)
