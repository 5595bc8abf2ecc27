"""Is this item about a graded inspection of a council's children's services at all?

Same four grade words, same council names, different subjects: schools, nurseries, colleges,
children's homes, fostering and adoption agencies, CQC adult social care, youth justice,
police, NHS trusts, area SEND. And the same inspectorate, no grade: focused visits, monitoring
visits, joint targeted area inspections. Whole-article tests say only whether the item can
be about such an inspection at all and how far an unmarked grade is trusted (the mode; a
grade its own sentence reports as news always counts); clause tests decide whether one
rating is about children's services.
"""

from __future__ import annotations

import enum
import itertools
import re

from .sentences import Sentence


class _Terms:
    """Words matched in lower case (fast: no IGNORECASE over a long alternation) and acronyms
    matched as written ("SEND" the inspection, not "send" the verb)."""

    def __init__(self, words: str, acronyms: str = "") -> None:
        self._words = re.compile(words)
        self._acronyms = re.compile(rf"\b(?:{acronyms})\b") if acronyms else None

    def search(self, text: str) -> str | None:
        hit = self._words.search(text.lower())
        if hit is None and self._acronyms is not None:
            hit = self._acronyms.search(text)
        return hit.group(0) if hit else None

    def count(self, text: str) -> int:
        acronyms = len(self._acronyms.findall(text)) if self._acronyms is not None else 0
        return len(self._words.findall(text.lower())) + acronyms

    def spans(self, text: str) -> list[tuple[int, int]]:
        found = [m.span() for m in self._words.finditer(text.lower())]
        if self._acronyms is not None:
            found += [m.span() for m in self._acronyms.finditer(text)]
        return found


_INSPECTORATE = _Terms(r"\bofsted\b|\binspect(?:or|ors|ion|ions|ed|orate)\b|\bwatchdog\b")
_CHILDRENS_SERVICES = _Terms(
    r"children'?s\s+(?:social\s+)?(?:services|social\s+care|care\s+services)|"
    r"child(?:ren)?'?s?\s+social\s+services|"
    # the headline form: "More child services 'inadequate'"
    r"\bchild\s+services|"
    r"social\s+care\s+(?:services\s+)?for\s+children|services\s+for\s+(?:vulnerable\s+)?children|"
    r"help\s+and\s+protection|children\s+in\s+care|care[\s-]leavers|looked[\s-]after|"
    r"\bilacs\b|overall\s+effectiveness|impact\s+of\s+leaders|children'?s\s+(?:services\s+)?trust|"
    r"children\s+first|achieving\s+for\s+children|together\s+for\s+children|"
    r"brighter\s+futures\s+for\s+children|stockport\s+family|adoption\s+performance|"
    r"safeguarding\s+children\s+board|child\s+protection|social\s+work|"
    r"protect(?:ing|ion\s+of)\s+children|safeguarding\s+(?:and\s+looked\s+after\s+)?children|"
    r"safeguarding\s+services"
)
# An opening that reports an inspection or a rating ("after an Ofsted inspection found").
_INSPECTION_NEWS = _Terms(
    r"\binspect(?:ion|ions|ed|ors?)\b|\breport\w*|\bfound\b|\bpublished\b|\bverdicts?\b|"
    r"\bassessments?\b|"
    r"\brat(?:ed|es|ing)\b|\bjudged\b|\bgraded\b|\bdowngrad\w*|\bupgrad\w*|\bgood\b|"
    r"\boutstanding\b|\binadequate\b|\bprais\w*|\bcritici[sz]\w*|\bdamning\b|\bglowing\b|"
    r"\bofsted\s+(?:has\s+|have\s+)?(?:said|says|warned|concluded|stated|identified|identifies)\b|"
    r"\bidentified\s+(?:\w+\s+){1,6}by\s+ofsted\b|"
    r"according\s+to\s+ofsted\s*(?:[.,;]|$)|"
    r"requires?\s+improvement|\b(?:falls?|fell|drops?|dropped|slips?|slipped|climbs?|climbed|"
    r"rises?|rose|jumps?|jumped)\s+(?:\w+\s+)?grades?\b"
)
_RATED = _Terms(r"\b(?:rated|judged|graded|downgraded|upgraded)\b")
# Ungraded Ofsted activity: an article about one of these carries no rating change.
_VISIT = _Terms(
    r"focused\s+(?:visit|inspection)|monitoring\s+(?:visit|inspection)|"
    r"joint\s+targeted\s+area\s+inspection|"
    r"area\s+send\b|local\s+area\s+partnership|written\s+statement\s+of\s+action|"
    r"annual\s+engagement|special\s+educational\s+needs|"
    # "A visit to the county by the watchdog's inspector found ...": a visit, not an inspection
    r"\b(?:a|the)\s+visit\s+(?:to|by|from|which|in)\b",
    r"JTAIs?|SEND\s+(?:inspection|services|provision|partnership|arrangements)",
)
_RECRUITMENT = re.compile(
    r"(?i)\b(?:we\s+are|we're)\s+(?:now\s+)?(?:recruiting|hiring)\b|\bjoin\s+(?:our|us)\b|"
    r"\bapply\s+now\b|\bsocial\s+workers?\s+wanted\b"
)
# Special educational needs: a service of its own, with its own inspections.
_SEND = re.compile(
    r"(?i)area\s+send\b|local\s+area\s+partnership|written\s+statement\s+of\s+action|"
    r"special\s+educational|\bSEND\b"
)
# A sentence that states children's services' grade: "remain 'inadequate'", "rated good".
_GRADES_SERVICES = re.compile(
    r"(?i)\b(?:rated|judged|graded|remains?|found\s+to\s+be)\s+(?:as\s+)?['\"]?(?:inadequate|good|"
    r"outstanding|requires?\s+improvement)\b"
)
# "services given a 'good' overall rating"
_GRADE_GIVEN = re.compile(
    r"(?i)\b(?:given|awarded|handed|received)\s+(?:an?\s+|the\s+)?['\"]?(?:inadequate|good|"
    r"outstanding|requires?\s+improvement)['\"]?\s+(?:overall\s+)?(?:rating|grade|judge?ment)\b"
)
_NEWLY_GRADED = re.compile(
    r"(?i)\b(?:has|have)\s+(?:now\s+|just\s+)?been\s+(?:rated|judged|graded|deemed)\s+(?:as\s+)?"
    r"['\"]?(?:inadequate|good|outstanding|requires?\s+improvement)\b(?![^.;]{0,60}\bsince\b)"
)
_PLAIN_VISIT = re.compile(r"(?:a|the)\s+visit\b")
_GRADE_BEFORE = re.compile(
    r"(?i)\b(?:since|after|previously|once|formerly|was|were|had\s+been)\s+(?:being\s+)?$"
)
_FULL_INSPECTION = re.compile(
    r"full\s+inspection|re-?inspect\w*|standard\s+inspection|short\s+inspection|"
    r"ilacs\s+inspection|overall\s+effectiveness|children'?s\s+(?:social\s+care\s+)?services\s+"
    r"inspection|single\s+inspection\s+framework|"
    r"inspection\s+of\s+(?:local\s+authority\s+)?children'?s\s+(?:social\s+care\s+)?services"
)
# Other subjects that carry the same grade words.
OTHER_SUBJECT = _Terms(
    # "the schools watchdog" is Ofsted, not a school
    r"\bschools?\b(?!\s+(?:watchdog|inspectorate|regulator))|\bacadem(?:y|ies)\b|\bnurser(?:y|ies)\b|\bcolleges?\b|\bpupils?\b|"
    r"head\s*teachers?|\bchildminders?\b|children'?s\s+centres?|children'?s\s+homes?|"
    r"residential\s+(?:home|unit|setting|special)|short[\s-]breaks?|respite\s+(?:care|centre|home)|secure\s+(?:children'?s\s+)?(?:home|unit)|"
    r"\bfostering\b|adoption\s+(?:agenc\w+|support\s+agenc\w+)|regional\s+adoption|"
    r"care\s+quality\s+commission|adult\s+social\s+care|adults'?\s+(?:social\s+)?services|"
    r"care\s+act\b|care\s+homes?|youth\s+justice|youth\s+offending|probation|"
    r"\bpolice\b|constabulary|\bhmicfrs\b|hospitals?|foundation\s+trust|"
    r"special\s+educational|report\s+cards?|special\s+measures|"
    # "the first city in England and Wales to ..." names the jurisdiction, not a Welsh service
    r"care\s+inspectorate|\bestyn\b|(?<!england and )\bwales\b|\bwelsh\b|\bscotland\b|\bscottish\b|"
    r"universit(?:y|ies)|apprenticeships?|early\s+years|registered\s+manager|housing",
    r"CQC|YOT|YJS|NHS|GP|SEND|CIW",
)


# "... until a full re-inspection": a full inspection to come is not one being reported.
_FUTURE = re.compile(
    r"(?:until|before|ahead\s+of|awaiting|await|next|expected|due|prepar\w+\s+for|will|"
    r"planned|upcoming)\W+(?:\w+\W+){0,3}$",
    re.IGNORECASE,
)


# "... at its most recent full inspection in 2022": an earlier full inspection, not one reported.
# "... is not a full inspection": a visit saying what it is not.
_PAST = re.compile(
    r"(?:last|previous|most\s+recent|latest|earlier|prior|former|\bno|"
    r"\bnot\s+(?:classed\s+as\s+|counted\s+as\s+|considered\s+|deemed\s+|treated\s+as\s+)?an?)\s+$"
)


def _reports_full_inspection(text: str) -> bool:
    lowered = text.lower()
    return any(
        not _FUTURE.search(lowered[max(0, m.start() - 40) : m.start()])
        and not _PAST.search(lowered[max(0, m.start() - 40) : m.start()])
        for m in _FULL_INSPECTION.finditer(lowered)
    )


class Mode(enum.Enum):
    """How much an article's ratings are trusted."""

    NORMAL = "normal"
    STRICT = "strict"  # another subject leads: a rating must name children's services itself
    BACKGROUND = "background"  # the opening reports no inspection: ratings are background
    NONE = "none"  # not about a graded children's-services inspection at all


def article_mode(sentences: list[Sentence]) -> tuple[Mode, str]:
    """The article's mode, with the reason when it yields nothing or is strict."""
    whole = " ".join(s.text for s in sentences)
    story = _substantive(sentences)  # a real page opens with a site name, a byline, a date
    lede = " ".join(s.text for s in story[_story_start(story) :][:4])
    opening = " ".join(s.text for s in story[:6])
    if not _INSPECTORATE.search(whole):
        return Mode.NONE, "no inspection or Ofsted mentioned"
    if not (_CHILDRENS_SERVICES.search(whole) or "ofsted" in whole.lower()):
        return Mode.NONE, "no children's services context"
    recruiting = _RECRUITMENT.search(" ".join(s.text for s in sentences[:3]))
    if recruiting:
        # a job advert cites the council's standing grade: "Join our outstanding team ..."
        return Mode.NONE, f"a recruitment page: {recruiting.group(0)!r}"
    first = story[0].text if story else ""
    graded_first = _GRADES_SERVICES.search(first) is not None and bool(
        _CHILDRENS_SERVICES.search(first)
    )
    visit = _visit_now(lede)
    moved = _grade_moved(lede)
    if visit and graded_first and _SEND.search(visit) and not _VISIT.search(first):
        # "X's children's services remain 'inadequate'" then "... echo poor special educational
        # needs provision": another service compared, not the subject
        visit = None
    own_visit = False
    if visit and _PLAIN_VISIT.match(visit):
        # "has been graded 'Outstanding' ... After the visit in early March": a visit with no
        # name after the lede reports the grade given is the graded inspection's own visit
        # (not one looked back on: "progress since being rated 'inadequate'. A visit to ...")
        given = lede[: lede.lower().find(visit)]
        if _CHILDRENS_SERVICES.search(given) and any(
            not _GRADE_BEFORE.search(given[max(0, m.start() - 20) : m.start()])
            for m in itertools.chain(_GRADES_SERVICES.finditer(given), _GRADE_GIVEN.finditer(given))
        ):
            visit, own_visit = None, True
    if visit and moved:
        # "downgraded from good to requires improvement after a visit in January", "has
        # improved its Ofsted rating": a grade that moved was given by a graded inspection,
        # whatever the item calls the inspectors' visit; the visits it names are history
        visit = None
    if visit and any(
        _NEWLY_GRADED.search(s) and not _VISIT.search(s) and _CHILDRENS_SERVICES.search(whole)
        for s in _FIRST_SENTENCE.split(lede)
    ):
        # "The local authority has been deemed inadequate by Ofsted. ... Following a focused
        # visit in March 2021, ...": a lede sentence reporting a grade just given, with no
        # visit in it, is the news; the visits the lede names are what came before
        visit = None
    if visit and not _reports_full_inspection(whole):
        return Mode.NONE, f"ungraded activity: {visit!r}"
    # Another subject leads when the headline is about it, not when a sentence of the lede
    # mentions it beside children's services ("Ofsted, known for rating schools, ...").
    headline = " ".join(s.text for s in story[:2] if not _CHILDRENS_SERVICES.search(s.text))
    # A visit named further down a long lede ("a monitoring visit last year noted progress")
    # is history when the item reports a full inspection; in the headline or first sentence
    # it is the subject.
    other = OTHER_SUBJECT.search(headline) or (None if moved else _named_visit(_opening(sentences)))
    if other and graded_first and _SEND.search(other) and not _VISIT.search(first):
        other = None
    if other and own_visit and _PLAIN_VISIT.match(other):
        other = None  # the inspection's own visit, as above
    if other:
        return Mode.STRICT, f"another subject leads: {other!r}"
    if not (_INSPECTORATE.search(opening) or _RATED.search(opening)):
        return Mode.BACKGROUND, "an inspection is not the subject (none in the opening)"
    if len(_CITATION.findall(whole)) >= 2:
        # "... rated 'inadequate'.[16]": an inquiry, a committee report or an encyclopedia
        # citing its sources looks back on inspections; news does not footnote
        return Mode.BACKGROUND, "a referenced document looking back (citation marks)"
    follow_on = (
        story[2].text
        if len(story) > 2
        and (_FOLLOWS_ON.match(story[2].text) or _OFSTED_SAYS_END.search(story[2].text))
        else ""
    )
    if len(story) > 2 and _UNNAMED_SUBJECT.search(story[1].text):
        # "..., officials at one of the country's largest councils have said." then "X is
        # among ...": a lede that holds back its subject's name; the sentence naming it is
        # the rest of the lede
        follow_on += " " + story[2].text
    if len(story) > 2 and _names_only(story[1].text):
        # a photo credit between headline and lede ("Cllr Jo Bloggs & Sam Smith", maybe twice)
        follow_on += " " + next((s.text for s in story[2:5] if not _names_only(s.text)), "")
    # A headline too short to count as prose ("Middlesbrough children's services 'inadequate'")
    # still opens the story when it names children's services.
    short_head = " ".join(
        s.text for s in sentences[:3] if s not in story and _CHILDRENS_SERVICES.search(s.text)
    )
    if not _INSPECTION_NEWS.search(
        _opening(sentences)
        + " "
        + follow_on
        + " "
        + short_head
        + " "
        + _story_opening(story)
        + " "
        + _lede_below_furniture(story)
    ):
        return Mode.BACKGROUND, "the opening reports no inspection"
    head = _FIRST_SENTENCE.split(first, maxsplit=1)[0]  # a title may run into the lede
    aftermath = _AFTERMATH.search(head)
    if (
        aftermath
        and not _LIFTED.search(head)
        and not (_RATED.search(head) and _GRADE_TERM.search(head))
        and not _REPORT_WORD.search(head[: aftermath.start()])
    ):
        # "Improvement notice issued to X council", "Commissioner to examine child services
        # after Ofsted report": the news is what followed the grade, which is its background
        # (not "the report ... and the direction issued" nor "a new director ... after
        # inspectors rated them inadequate")
        return (
            Mode.BACKGROUND,
            f"the headline reports what followed a grade: {aftermath.group(0)!r}",
        )
    return Mode.NORMAL, ""


# "since a focused visit in 2020", "Ofsted's earlier monitoring visits": a visit looked back
# on, not the item's subject.
_VISIT_PAST = re.compile(
    r"(?:since|earlier|previous|last|prior|former)\s+(?:an?\s+|the\s+|its\s+|their\s+)?"
    r"(?:\w+\s+)?$"
)


# A grade that moved: only a graded inspection moves one (a visit leaves it as it was).
_GRADE_MOVED = re.compile(
    r"(?i)\b(?:downgraded|upgraded)\b|"
    r"\b(?:improved|raised|lifted|lost|regained)\s+(?:its|their|the)\s+(?:overall\s+)?"
    r"(?:ofsted\s+)?(?:rating|grade|judge?ment)\b|"
    r"\bmoved\s+(?:up\s+)?(?:out\s+of|from)\s+(?:an?\s+|its\s+|the\s+)?['\"]?"
    r"(?:inadequate|good|outstanding|requires)\b|"
    r"\bno\s+longer\s+(?:been\s+|be\s+)?(?:rated|judged|graded)\b"
)
# "..., which was downgraded in 2019, ...": a move the item looks back on.
_MOVE_BEFORE = re.compile(
    r"(?i)(?:\b(?:which|that|since|after|when|following|once)\s+(?:it\s+|they\s+)?"
    r"(?:was|were|had\s+been|has\s+been|have\s+been)|\bafter\s+being|\bhaving\s+been)\s+$"
)
_YEAR_AFTER = re.compile(r"^[^.;]{0,40}\b(?:19|20)\d\d\b")


def _grade_moved(text: str) -> bool:
    """Whether the text reports a grade moving ("downgraded", "has improved its rating"), not
    one it looks back on ("which was downgraded to inadequate in 2022")."""
    return any(
        not _MOVE_BEFORE.search(text[max(0, m.start() - 40) : m.start()])
        and not _YEAR_AFTER.match(text[m.end() : m.end() + 60])
        for m in _GRADE_MOVED.finditer(text)
    )


def _visit_now(text: str) -> str | None:
    """The first ungraded activity the text names that it does not look back on."""
    lowered = text.lower()
    for start, end in sorted(_VISIT.spans(text)):
        if _NEEDS_GROUP.search(lowered[max(0, start - 40) : start]):
            continue  # "children with special educational needs": who, not an inspection
        if not _VISIT_PAST.search(lowered[max(0, start - 40) : start]):
            return lowered[start:end]
    return None


def _named_visit(text: str) -> str | None:
    """The first ungraded activity the text names, not counting a group of children ("those
    with special educational needs")."""
    lowered = text.lower()
    for start, end in sorted(_VISIT.spans(text)):
        if not _NEEDS_GROUP.search(lowered[max(0, start - 40) : start]):
            return lowered[start:end]
    return None


_NEEDS_GROUP = re.compile(r"\b(?:children|pupils|young\s+people|those|people|families)\s+with\s+$")


_WORD = re.compile(r"[A-Za-z]{2,}")
# What a site tells every visitor, never a story's words: "Your browser is no longer
# supported", "We use cookies ...", "Skip to main content".
_SITE_NOTICE = re.compile(
    r"(?i)\byour\s+(?:web\s+)?browser\b|\b(?:we|this\s+(?:site|website))\s+uses?\s+cookies\b|"
    r"\baccept\s+(?:all\s+)?cookies\b|\bskip\s+to\s+(?:the\s+)?(?:main\s+)?content\b|"
    r"\b(?:enable|turn\s+on)\s+javascript\b|\bjavascript\s+is\s+(?:disabled|turned\s+off)\b|"
    # a site's appeal banner: "Support the #X campaign today and ..."
    r"^\W*(?:support|back|join)\s+(?:the|our)\s+\S+\s+(?:campaign|appeal|petition)\b"
)
_BREADCRUMB = re.compile(r"\s[>»|/]\s")


# "Page last updated at 14:17 GMT, Wednesday, 17 December 2008": a timestamp, not the story.
_BYLINE = re.compile(
    r"\s*(?:by|posted|published|updated|(?:page\s+)?last\s+updated)\b", re.IGNORECASE
)
# "X has restated its commitment to children. It follows a recent Ofsted inspection ...": the
# sentence that says what the lede is news of belongs to the opening.
# What follows an inadequate grade: the government's intervention, a new leader.
_AFTERMATH = re.compile(
    r"(?i)\b(?:improvement\s+notices?|statutory\s+directions?|commissioners?|"
    r"(?:government|dfe)\s+(?:intervention|adviser)|trust\s+to\s+run|under\s+council\s+control|"
    r"(?:keep|keeps|retain|retains|lose|loses|losing)\s+(?:\w+\s+){0,2}?control|"
    r"new\s+(?:boss|director|chief|head|leader)|appoint(?:s|ed|ing|ment)?)\b"
)
# "... has been lifted after", "taken out of intervention": the grade that ends it is news.
_LIFTED = re.compile(
    r"(?i)\b(?:lift(?:s|ed|ing)?|removed|revoked|ended|no\s+longer|taken\s+out|out\s+of)\b"
)
_REPORT_WORD = re.compile(r"(?i)\b(?:report|inspect\w*|ofsted|verdict|judge?ment)\b")
_GRADE_TERM = re.compile(
    r"(?i)\b(?:outstanding|good|adequate|inadequate|requires?\s+improvement)\b"
)
_FIRST_SENTENCE = re.compile(r"(?<=[.!?][\"'])\s+|(?<=[.!?])\s+")
_CITATION = re.compile(r"[\w.,;:'\"”’)]\[\d{1,3}\]")
_FOLLOWS_ON = re.compile(r"(?i)\W*(?:it|this)\s+(?:follows|comes\s+(?:after|as))\b")
# "..., according to Ofsted.", "..., Ofsted has said.": a lede below page furniture and a
# headline says what an inspection found.
_OFSTED_SAYS_END = re.compile(
    r"(?i)(?:according\s+to\s+ofsted|ofsted\s+(?:has\s+|have\s+)?(?:said|found|says))\W{0,3}$"
)
_UNNAMED_SUBJECT = re.compile(
    r"(?i)\b(?:one\s+of\s+(?:the\s+)?(?:[\w']+\s+){0,3}?(?:councils|authorities|boroughs|"
    r"counties)|(?:^|[,;]\s+|\b(?:at|by|from|in|of)\s+)an?\s+(?:[\w-]+\s+){0,2}?"
    r"(?:council|local\s+authority|authority|borough|county))\b"
)
_PULL_QUOTE = re.compile(r'^\s*"[^"]+"\s*$')


def _names_only(text: str) -> bool:
    """Whether a line is a caption naming people ("Cllr Jo Bloggs & Sam Smith"): short, every
    word capitalised, no full stop."""
    words = text.split()
    return (
        len(words) <= 8
        and not text.rstrip().endswith(".")
        and all(w[0].isupper() or w in {"&", "and"} for w in words)
    )


def _substantive(sentences: list[Sentence]) -> list[Sentence]:
    """The sentences that can carry the story: not a site name, byline, date or menu."""
    return [
        s
        for s in sentences
        if len(_WORD.findall(s.text)) >= 5
        and not _BREADCRUMB.search(s.text)
        and not _SITE_NOTICE.search(s.text)
        and not (_BYLINE.match(s.text) and len(_WORD.findall(s.text)) < 10)
    ]


def _opening(sentences: list[Sentence]) -> str:
    """The headline and first sentence, skipping page furniture such as a paper's name and a
    pull quote printed above the headline."""
    substantive = [s.text for s in _substantive(sentences)]
    if len(substantive) > 2 and _PULL_QUOTE.match(substantive[0]):
        substantive = substantive[1:]
    return " ".join(substantive[:2])


def _lede_below_furniture(story: list[Sentence]) -> str:
    """The lede when the line below the headline is not prose but page furniture (a photo
    caption, an image credit, the headline printed again): the first line after it that ends
    as a sentence does, when it says an inspection has found something ("..., a damning Ofsted
    report has found."); empty when the headline is followed by prose. A lede that only names
    a grade held ("services rated inadequate by Ofsted are to be overseen ...") is not one."""
    if len(story) < 3 or _PROSE_END.search(story[1].text):
        return ""
    for sentence in story[2:_STORY_START_WITHIN]:
        if _PROSE_END.search(sentence.text) and sentence.text not in story[0].text:
            return sentence.text if _FINDING_REPORTED.search(sentence.text) else ""
    return ""


# "an inspection has found", "Ofsted inspectors have said", "a re-inspection ... has concluded"
_FINDING_REPORTED = re.compile(
    r"(?i)\b(?:inspection|report|inspectors|ofsted|watchdog)\b[^.;]{0,80}?\b(?:has|have)\s+"
    r"(?:found|said|concluded|ruled|warned)\b"
)


def _story_start(story: list[Sentence]) -> int:
    """Where the story begins: at the first sentence about children's services or the
    inspectorate when other prose comes before it (a site's description of itself, an
    editor's note on a repost, "This in from the council, in their own words.", a columnist's
    preamble); at once otherwise. A headline ("Improvement notice lifted at X") is the
    story's start whatever it names."""
    for i, sentence in enumerate(story[:_STORY_START_WITHIN]):
        if _CHILDRENS_SERVICES.search(sentence.text) or _INSPECTORATE.search(sentence.text):
            return i
        if not _PROSE_END.search(sentence.text) and len(sentence.text.split()) <= _HEADLINE_WORDS:
            return 0  # a headline; a longer line without a full stop is a cut-off teaser
    return 0


def _story_opening(story: list[Sentence]) -> str:
    """The story's first two sentences when prose about something else comes before them
    (empty when the story starts at once, so the headline-and-lede reading stands)."""
    start = _story_start(story)
    return " ".join(s.text for s in story[start : start + 2]) if start else ""


_STORY_START_WITHIN = 8  # the furniture a page puts above its story is a few lines at most
_HEADLINE_WORDS = 16
_PROSE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)]?\s*$")


def about_other_subject(clause: str) -> bool:
    """Whether a rating's own clause is about a school, a home, the CQC, a visit, ..."""
    return bool(OTHER_SUBJECT.search(clause) or _VISIT.search(clause))


def names_childrens_services(clause: str) -> bool:
    return bool(_CHILDRENS_SERVICES.search(clause))
