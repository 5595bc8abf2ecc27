"""Is this item about a graded inspection of a council's children's services at all?

Same four grade words, same council names, different subjects: schools, nurseries, colleges,
children's homes, fostering and adoption agencies, CQC adult social care, youth justice,
police, NHS trusts, area SEND. And the same inspectorate, no grade: focused visits, monitoring
visits, joint targeted area inspections. Whole-article tests decide the mode; clause tests
decide whether one rating is about children's services.
"""

from __future__ import annotations

import enum
import re

from .sentences import Sentence

_INSPECTORATE = re.compile(r"\bofsted\b|\binspect(?:or|ors|ion|ions|ed|orate)\b", re.IGNORECASE)
_CHILDRENS_SERVICES = re.compile(
    r"children'?s\s+(?:social\s+)?(?:services|social\s+care|care\s+services)|"
    r"social\s+care\s+(?:services\s+)?for\s+children|services\s+for\s+(?:vulnerable\s+)?children|"
    r"help\s+and\s+protection|children\s+in\s+care|care[\s-]leavers|looked[\s-]after|"
    r"\bILACS\b|overall\s+effectiveness|impact\s+of\s+leaders|children'?s\s+(?:services\s+)?trust|"
    r"children\s+first|achieving\s+for\s+children|together\s+for\s+children|"
    r"brighter\s+futures\s+for\s+children|stockport\s+family|adoption\s+performance|"
    r"safeguarding\s+children\s+board|child\s+protection|social\s+work|"
    r"protect(?:ing|ion\s+of)\s+children|safeguarding\s+(?:and\s+looked\s+after\s+)?children|"
    r"safeguarding\s+services",
    re.IGNORECASE,
)
_RATED = re.compile(r"\b(?:rated|judged|graded|downgraded|upgraded)\b", re.IGNORECASE)
# Ungraded Ofsted activity: an article about one of these carries no rating change.
_VISIT = re.compile(
    r"focused\s+visit|monitoring\s+visit|joint\s+targeted\s+area\s+inspection|\bJTAIs?\b|"
    r"area\s+SEND|SEND\s+(?:inspection|services|provision|partnership|arrangements)|"
    r"local\s+area\s+partnership|written\s+statement\s+of\s+action|annual\s+engagement|"
    r"special\s+educational\s+needs",
    re.IGNORECASE,
)
_FULL_INSPECTION = re.compile(
    r"full\s+inspection|re-?inspect\w*|standard\s+inspection|short\s+inspection|"
    r"ILACS\s+inspection|overall\s+effectiveness|single\s+inspection\s+framework|"
    r"inspection\s+of\s+(?:local\s+authority\s+)?children'?s\s+(?:social\s+care\s+)?services",
    re.IGNORECASE,
)
# Other subjects that carry the same grade words.
OTHER_SUBJECT = re.compile(
    r"\bschools?\b|\bacadem(?:y|ies)\b|\bnurser(?:y|ies)\b|\bcolleges?\b|\bpupils?\b|"
    r"head\s*teachers?|\bchildminders?\b|children'?s\s+centres?|children'?s\s+homes?|"
    r"residential\s+(?:home|unit|setting|special)|secure\s+(?:children'?s\s+)?(?:home|unit)|"
    r"\bfostering\b|adoption\s+(?:agenc\w+|support\s+agenc\w+)|regional\s+adoption|"
    r"\bCQC\b|care\s+quality\s+commission|adult\s+social\s+care|adults'?\s+(?:social\s+)?services|"
    r"care\s+act|care\s+homes?|youth\s+justice|youth\s+offending|\bYOT\b|\bYJS\b|probation|"
    r"\bpolice\b|constabulary|HMICFRS|\bNHS\b|hospitals?|foundation\s+trust|\bGP\b|"
    r"\bSEND\b|special\s+educational|report\s+cards?|special\s+measures|"
    r"care\s+inspectorate|\bestyn\b|\bCIW\b|\bwales\b|\bwelsh\b|\bscotland\b|\bscottish\b|"
    r"universit(?:y|ies)|apprenticeships?|early\s+years|registered\s+manager|housing",
    re.IGNORECASE,
)


# "... until a full re-inspection": a full inspection to come is not one being reported.
_FUTURE = re.compile(
    r"(?:until|before|ahead\s+of|awaiting|await|next|expected|due|prepar\w+\s+for|will|"
    r"planned|upcoming)\W+(?:\w+\W+){0,3}$",
    re.IGNORECASE,
)


def _reports_full_inspection(text: str) -> bool:
    return any(
        not _FUTURE.search(text[max(0, m.start() - 40) : m.start()])
        for m in _FULL_INSPECTION.finditer(text)
    )


class Mode(enum.Enum):
    """How much an article's ratings are trusted."""

    NORMAL = "normal"
    STRICT = "strict"  # another subject leads: a rating must name children's services itself
    NONE = "none"  # not about a graded children's-services inspection at all


def article_mode(sentences: list[Sentence]) -> tuple[Mode, str]:
    """The article's mode, with the reason when it yields nothing or is strict."""
    whole = " ".join(s.text for s in sentences)
    lede = " ".join(s.text for s in sentences[:4])
    opening = " ".join(s.text for s in sentences[:6])
    if not _INSPECTORATE.search(whole):
        return Mode.NONE, "no inspection or Ofsted mentioned"
    if not (_CHILDRENS_SERVICES.search(whole) or re.search(r"(?i)\bofsted\b", whole)):
        return Mode.NONE, "no children's services context"
    if not (_INSPECTORATE.search(opening) or _RATED.search(opening)):
        return Mode.NONE, "an inspection is not the subject (none in the opening)"
    visit = _VISIT.search(lede)
    if visit and not _reports_full_inspection(whole):
        return Mode.NONE, f"ungraded activity: {visit.group(0)!r}"
    headline = " ".join(s.text for s in sentences[:2])
    other = OTHER_SUBJECT.search(headline) or visit
    if other is None and len(OTHER_SUBJECT.findall(whole)) > len(
        _CHILDRENS_SERVICES.findall(whole)
    ):
        other = OTHER_SUBJECT.search(whole)
    if other:
        return Mode.STRICT, f"another subject in the lede: {other.group(0)!r}"
    return Mode.NORMAL, ""


def about_other_subject(clause: str) -> bool:
    """Whether a rating's own clause is about a school, a home, the CQC, a visit, ..."""
    return bool(OTHER_SUBJECT.search(clause) or _VISIT.search(clause))


def names_childrens_services(clause: str) -> bool:
    return bool(_CHILDRENS_SERVICES.search(clause))
