"""Grade phrases in a sentence, and what each one is about.

A grade word is a rating only in a rating context: quoted ("'good'"), capitalised mid-sentence
("rated Good"), the unmistakable "requires improvement (to be good)", or after a rating verb
("rated", "judged", "remains", "downgraded to", "from ... to"). "Good social work", "outstanding
practice" and "inadequate oversight" are prose. Each rating gets:
- a judgement, from the words next to it ("'outstanding' adoption services", "rated good for
  care leavers", "the LSCB 'requires improvement'"), else the overall grade;
- a role: the current grade, a previous one ("up from", "previously", "an improvement on
  2012's adequate", "moved from X to"), an aspiration ("to be considered good") or retained
  ("remains good": the previous grade is the same).
"""

from __future__ import annotations

import enum
import itertools
import re
from dataclasses import dataclass, replace

from monitor.models import Grade, Judgement

_GRADE = re.compile(
    r"(?P<open>['\"(])?(?P<grade>requir(?:es|e|ed|ing)\s+improvements?(?:\s+to\s+be\s+good)?|"
    # "requires further improvement to be good": the grade's words with a modifier
    r"requir(?:es|e|ed|ing)\s+(?:further|more)\s+improvement\s+to\s+be\s+good|"
    # the press's word for it: "rated 'needs improvement'", "judged as needing improvement"
    r"(?:needs|needing)\s+improvement(?:\s+to\s+be\s+good)?|"
    r"outstanding|good|adequate|inadequate|poor|excellent|"
    r"perform(?:s|ed|ing)?\s+['\"]{0,2}(?:poorly|adequately|well|excellently)|"
    r"scor(?:ed|es|e|ing)\s+(?:an?\s+)?(?:(?:grade|score)\s+(?:of\s+)?)?(?:four|three|two|one|[1-4])\b|"
    r"(?:the\s+|its\s+)?(?:second[\s-]+)?(?:lowest|worst|bottom|highest|top)(?:\s+possible)?\s+"
    r"(?:ofsted\s+)?(?:rating|grade|judge?ment))"
    r"(?P<close>['\")])?",
    re.IGNORECASE,
)
# No real sentence names more grades than this (a judgement table is one line per grade).
MAX_GRADES = 12
_GRADE_WORDS = (
    *("good", "outstanding", "adequate", "improvement", "poor", "excellent", "perform", "scor"),
    *("lowest", "worst", "bottom", "highest", "top "),
)

# Words that may follow a grade that is a rating ("good overall", "'good' rating", "good for").
_FOLLOW_OK = re.compile(
    r"(?i)(?:"
    r"rating|ratings|ranking|rankings|judgement|judgements|judgment|judgments|grade|grades|grading|"
    r"verdict|conclusion|tag|"
    r"overall|by|for|in|from|to|and|or|with|after|at|on|across|when|since|following|status|"
    r"result|outcome|last|this|as|under|despite|but|while|the|its|their|a|an|which|whereas|"
    r"than|before|again|once|now|also|too|\-|ofsted|inspection|report|rather|not|instead|"
    r"category|categories|label|except|apart|save|were|are|was|is|include|included|includes|"
    r"just|only|some|years?|months?|ago|earlier|previously|then|until|because|so|back|still|"
    r"meaning|making|having|one|two|three|four|five|six|seven|eight|nine|ten|between|during|"
    r"due|because|over|amid|according|respectively|where|along|alongside|"
    # the verdict's source after it: "X children's services 'inadequate' says Ofsted"
    r"says|said|warns|warned|"
    # participles of consequence: "were both rated outstanding contributing to the overall"
    r"contributing|leading|resulting|prompting|putting|placing|bringing|ensuring"
    r")"
)
# Words before a bare grade that make it a rating ("rated good", "remains inadequate").
_RATING_BEFORE = re.compile(
    r"\b(?:rat(?:ed|ing|e|es)|judged|marked|no\s+longer|previously|formerly|gave|give|gives|giving|"
    r"out\s+of|escap\w+|judge?ments?|"
    r"grad(?:ed|e|es|ing)|deemed|assessed|found|improvement\s+on|improved\s+on|"
    r"compared\s+(?:with|to)|"
    r"branded|labelled|declared|given|awarded|receiv(?:ed|es|e|ing)|achiev(?:ed|es)|earn(?:ed|s)|"
    r"secur(?:ed|es)|retain(?:s|ed|ing)?|kept|keeps|keep|maintain(?:s|ed|ing)?|remain(?:s|ed|ing)?|"
    r"stay(?:s|ed)?|upgraded|downgraded|moved|improved|slipped|fell|dropped|rose|climbed|jumped|"
    r"returned|regarded|considered|classed|classified|ranked|verdict|overall|effectiveness|"
    r"overall\s+assessment|from|to|"
    # "with an overall rating of the services being adequate"
    r"(?:rating|grade|judge?ment)\s+of\s+(?:the\s+|its\s+|their\s+)?(?:services|council|authority)"
    r"\s+being)\s+(?:(?:a|an|as|the|being|to\s+be|"
    r"now|still|again|only|just|also|judged|rated|found|of|its|their|overall|be|at|position|"
    r"(?:19|20)\d\d(?:'s)?)\s+){0,3}$",
    re.IGNORECASE,
)
# "rated Peterborough City Council's safeguarding services adequate"
_OBJECT_THEN = re.compile(
    r"(?i)\b(?:rated|judged|graded|deemed|considered|assessed|found)\s+(?:the\s+|its\s+|their\s+)?"
    r"[A-Z][\w'-]*(?:\s+[\w'-]+){0,6}?\s+(?:as\s+|to\s+be\s+)?$"
)
# "rated its child protection services inadequate", "rated children's services in Bath and
# North East Somerset as good"
_OBJECT_SERVICES = re.compile(
    r"(?i)\b(?:rated|judged|graded|labelled|branded|deemed|declared|found)\s+(?:its|their|the)\s+"
    r"(?:[\w']+\s+){0,4}?(?:services|department|arrangements)\s+(?:as\s+|to\s+be\s+)?$|"
    r"\b(?:rated|judged|graded|labelled|branded|deemed)\s+children'?s\s+(?:social\s+care\s+)?"
    r"services\s+(?:in|at)\s+(?-i:[A-Z])[\w'-]*(?:\s+[\w'-]+){0,5}?\s+(?:as\s+|to\s+be\s+)$"
)
_RATED_THING = re.compile(
    r"(?i)\b(?:rating|grade|judge?ment|verdict|inspection|overall\s+effectiveness)\b|"
    r"impact\s+of\s+leaders|help\s+and\s+protection|children\s+in\s+care|care\s+leavers|"
    r"looked[\s-]after|adoption\s+performance|leadership|safeguarding\s+children\s+board"
)
_VERB_EARLIER = re.compile(
    r"(?i)\b(?:rated|rating|judged|graded|found|gave|given|awarded|assessed|deemed|considered|"
    r"upgraded|downgraded)\b"
)
# A bare grade after only "is/are/was" counts in the formula "children's services ... are good".
_WEAK_VERB = re.compile(
    r"\b(?:was|were|is|are|be|been|as)\s+(?:now\s+|still\s+|also\s+)?$", re.IGNORECASE
)
_SERVICES_SUBJECT = re.compile(
    r"(?:children's\s+(?:social\s+)?(?:services|social\s+care|care)|"
    r"services\s+(?:for|to)\s+children(?:\s+and\s+(?:families|young\s+people))?|"
    r"\bservices|"
    r"social\s+care\s+services|the\s+(?:council|authority|local\s+authority|service|services))"
    r"(?:\s+(?:in|at|of)\s+[A-Z][\w' -]{1,40}?)?\s+(?:are|is|were|was|remain|remains|have\s+been|"
    r"has\s+been)\s+(?:now\s+|still\s+)?$",
    re.IGNORECASE,
)
_NOT_RATING_BEFORE = re.compile(
    # "was found to not be consistently good": a quality not reached, not a rating
    r"(?:\bnot\s+(?:be\s+|been\s+)?(?:always|yet|consistently|sufficiently|reliably|routinely)|"
    # "we scored three 'threes' (good) and four 'twos' (adequate)": areas counted by score
    r"\b(?:ones|twos|threes|fours)['\"]?|"
    r"\bnot|\bno|\bso|\bvery|\bhow|\bwhat|\bmore|\bmost|\bless|\bquite|\breally|\bfairly|"
    r"\bmake|\bfeel|\blooks?|\bsounds?|\bdoing|\bdo|\bpretty|\btoo|\brather\s+than|"
    r"\bparticularly|\bespecially|\bextremely|\bexceptionally|\bgenerally|\blargely|\bbroadly|"
    r"\binstead\s+of|\bthan|\bbenefit\w*\s+from|\bat\s+least|\bfar\s+from|"
    # "64 of these failing to secure a 'good' rating": the grade not reached
    r"\bfail(?:s|ed|ing)?\s+to\s+(?:secure|achieve|get|reach|gain|win|earn|receive)(?:\s+an?|\s+the)?"
    r")\s+['\"]?$",
    re.IGNORECASE,
)
_NOT_RATING_AFTER = re.compile(
    r"^\s*(?:enough|as\b|news\b|to\s+(?:see|hear|know|be\s+here)|luck)", re.IGNORECASE
)
_ASPIRATION = re.compile(
    r"\b(?:in\s+order\s+to|aim(?:s|ing)?|ambitio(?:ns?|us)|aspir\w*|target|goal|journey(?!\s+(?:from|since|continues|has\s+|had\s+|so\s+far))|on\s+track|"
    r"hop(?:e|es|ed|ing)|want(?:s|ed)?|striv\w*|push\w*\s+for|would\s+be|could\s+be|will\s+be|"
    r"to\s+become|becoming|plans?\s+to|determined|will\s+(?:\w+\s+)?(?:keep|retain|maintain|protect)|expect\w*|path\s+to|road\s+to|route\s+to|"
    r"if|unless|needs?\s+to\s+be|must\s+be|should\s+be|to\s+(?:make|reach|achieve|get\s+to))\b"
    r"[^.;]{0,40}$",
    re.IGNORECASE,
)


# "recommendations to move services from requires improvement to good", "the work needed to
# take the service from inadequate to good": the first grade is the current one, the second an
# aim.
_MOVE_TARGET = re.compile(
    r"(?i)\b(?:recommendations?|plans?|steps|actions?|work|help|helps|helping|needed|required|"
    r"designed|intended)\s+to\s+(?:move|take|get|bring|lift|improve)\s+(?:[\w'-]+\s+){0,4}?"
    r"from\s+(?:an?\s+|its\s+|the\s+|their\s+)?['\"]?$"
)
# "expects the new Ofsted report into the council's services to be rated inadequate": a
# forecast of a verdict to come, however long its subject.
_PREDICTED = re.compile(
    r"(?i)\b(?:expects?|expected|expecting|predicts?|predicted|fears?|feared|anticipates?|"
    r"likely)\b[^.;]{0,120}?\bto\s+be\s+(?:rated|judged|graded|found|branded|labelled|deemed)\s+"
    r"(?:as\s+)?['\"]?$"
)

# "Inspectors ... have concluded that the council should be rated 'Good'": the verdict.
# "X will retain its 'requires improvement' judgement following a recent inspection": the
# outcome of an inspection done, not a hope for one to come
_KEPT_AFTER_INSPECTION = re.compile(
    r"(?i)['\"]?\s+(?:judge?ment|rating|grade)\s+(?:following|after)\s+(?:an?|the|its)\s+"
    r"(?:recent\s+|latest\s+|full\s+)?(?:ofsted\s+)?inspection"
)
_VERDICT_SHOULD = re.compile(
    r"(?i)\b(?:concluded|decided|determined|ruled)\s+that\b[^.;]{0,60}?\bshould\s+be\s+"
    r"(?:rated|judged|graded)\s+(?:as\s+)?['\"]?$"
)


class Role(enum.Enum):
    """What a grade phrase says about the inspection being reported."""

    CURRENT = "current"
    PREVIOUS = "previous"
    RETAINED = "retained"  # current, and the same as before ("remains good")


@dataclass(frozen=True)
class GradeMention:
    """A rating found in a sentence, with what it grades and whether it is the latest one."""

    start: int
    end: int
    grade: Grade
    judgements: tuple[Judgement, ...]
    role: Role
    year: int | None = None  # a year stated next to it ("in 2019", "2012's")
    explicit: bool = False  # the judgement was named, not defaulted to overall
    context: str = ""  # the grade's clause, for relevance checks and evidence
    old_scale: bool = False  # worded in the 2005-2011 annual scale ("rated poor")
    standing: bool = False  # held for a while ("rated inadequate for the past eight years")
    majority: bool = False  # the grade of most areas ("good in three of four areas"), no overall


# Judgement cues; the LSCB is named for itself, the rest by their usual news wording.
_CUES: tuple[tuple[Judgement, re.Pattern[str]], ...] = tuple(
    (j, re.compile(p, re.IGNORECASE))
    for j, p in (
        (Judgement.LSCB, r"\bLSCB\b|\b[A-Z]{1,3}SCB\b|safeguarding\s+(?:children\s+)?board"),
        (
            Judgement.ADOPTION,
            r"\badoption(?:\s+(?:performance|services?|support|work))?\b|\badopt(?:ers?|ive)\b",
        ),
        (
            Judgement.IN_CARE,
            r"children\s+in\s+care(?:\s+and\s+care[\s-]leavers)?|"
            # "children in Waltham Forest's care", "children in the council's care"
            r"children\s+in\s+(?:[\w-]+\s+){0,3}?[\w-]+'s\s+care\b|"
            r"(?:children\s+)?looked[\s-]after(?:\s+children)?(?:\s+and\s+achieving\s+permanence)?|"
            r"permanence|"
            r"children\s+who\s+are\s+looked|in\s+care\b",
        ),
        (Judgement.CARE_LEAVERS, r"care[\s-]leavers?|leaving\s+care|care[\s-]experienced"),
        (
            Judgement.HELP_AND_PROTECTION,
            r"help\s+and\s+protection(?:\s+(?:of|for|given\s+to)\s+children)?|"
            r"(?:children\s+(?:who\s+are\s+|who\s+)?)?(?:in\s+)?"
            r"need(?:s|ing)?\s+(?:of\s+)?(?:help(?:\s+(?:and|or)\s+protection)?|protection)|"
            r"child\s+protection(?:\s+(?:work|services?|arrangements))?|"
            r"children\s+in\s+need\b",
        ),
        (
            Judgement.LEADERS,
            r"impact\s+of\s+(?:its\s+|the\s+|their\s+)?leaders(?:\s+on\s+social\s+work\s+practice(?:\s+with\s+children"
            r"\s+and\s+families)?)?|leadership(?!\s+teams?['\"]?\s+(?:who|have|has|had)\b)|"
            # (leaders who speak are people: "Council leaders have said they are committed to
            # improving standards which dropped from ..."; so is "the leadership team who have
            # made changes")
            r"\bleaders\b(?!\s+(?:have\s+|had\s+)?(?:said|say|says|told|admitted|promised|pledged|"
            r"vowed|welcomed|apologised|insisted|claimed|responded)\b)|management\s+and\s+governance|"
            r"senior\s+managers",
        ),
        (
            Judgement.OVERALL,
            r"overall(?:\s+effectiveness)?|children's\s+(?:social\s+)?(?:services|social\s+care)|"
            r"social\s+care\s+services|services\s+for\s+children|headline\s+(?:grade|judge?ment)",
        ),
    )
)
# Clause boundaries: a grade's judgement is looked for within its own clause.
_CLAUSE = re.compile(
    r";|:|,\s+(?:and|but|while|whereas|with|although|though|having|after|following|which|who|"
    r"as\s+was|as\s+were)\b|\bwhile\b|\bwhereas\b|"
    r"\bbut\b|,\s+(?:compared|up|down)\b|\.\s"
)
_FORWARD_FOR = re.compile(
    r"^\W{0,3}\s*(?:(?:overall|ratings?|grades?|judge?ments?)['\"]?\s+)?"
    # "The 'good' ratings were for ...", "Good ratings were received for ..."
    r"(?:(?:were|was)\s+(?:(?:received|given|awarded)\s+)?(?=for\b))?"
    r"(?:in\s+relation\s+to|in\s+respect\s+of|with\s+regard\s+to|in\s+terms\s+of|for|in|on|"
    r"around|regarding|across|when\s+it\s+comes\s+to)\s+"
    # "good in the category assessing the impact of leaders"
    r"(?:(?:the|its|their)\s+(?:category|area|judge?ment)\s+(?:assessing|covering|measuring|for|of)\s+)?"
)
_YEAR = re.compile(r"\b(?:19[89]\d|20[0-4]\d)\b")
_PREVIOUS_BEFORE = re.compile(
    r"\b(?:previously|previous|prior|formerly|former|escap\w+|exit\w*|ditch\w*|shed(?:s|ding)?|"
    r"(?:shak(?:es|en|ing)|shook|throws?|threw|thrown|casts?)\s+off|leaves?\s+behind|"
    r"last\s+(?:full\s+|fully\s+)?(?:ofsted\s+)?(?:inspect\w*|review|assessment|report)|"
    # "its fifth report since Bradford Council children's services department was judged"
    r"since\s+(?:the\s+|its\s+|their\s+)?(?:[\w']+\s+){0,5}?(?:was|were|had\s+been)|"
    r"last\s+time|last\s+rated|had\s+been|had\s+previously|was\s+once|up\s+from|down\s+from|"
    r"improvement\s+on|improved\s+on|compared\s+(?:with|to)|since\s+being|after\s+being|"
    r"no\s+longer|out\s+of(?!\s+(?:\d+|one|two|three|four|five|six)\b)|back\s+in|at\s+the\s+time|(?:is|are)\s+currently|which\s+(?:is|was|has\s+been|"
    r"remains|are|were|remain)|whose|historic\w*|last\s+year|(?:years|a\s+decade|decades)\s+ago|"
    r"(?:years?|months?)\s+(?:after|following)|after\s+(?:\w+\s+){0,3}(?:years?|months?)\b|"
    r"(?:years?|months?)\s+since|"
    r"since\s+(?:it|they)\s+(?:was|were)|after\s+(?:it|they)\s+(?:was|were|had\s+been))\b|"
    # "It follows a May 2019 report by Ofsted which judged ...", "It follows publication on 5
    # May of a report that judged ...": the reason for a notice
    r"\b(?:it|this|the\s+\w+)\s+follows\s+(?:an?|the|(?:the\s+)?publication)\s+[^.;]{0,40}?\b"
    r"(?:report|inspection)\b|"
    r"\bafter\s+(?:two|three|four|successive|consecutive|repeated)\s+(?:successive\s+|consecutive\s+)?"
    r"['\"]?$",
    re.IGNORECASE,
)
_PREVIOUS_AFTER = re.compile(
    r"^\W{0,3}\s*(?:(?:rating|grade|judge?ment|verdict|status)\s+)?(?:\w+\s+){0,4}?"
    r"(?:previously|before\b|last\s+time|(?:at|during)\s+(?:its|the|their|our)\s+(?:last|previous)|"
    r"(?:following|after)\s+(?:its|the|their)\s+(?:last|previous)\s+(?:two|three|four|several)\s+"
    r"inspections|"
    # "two-and-a-half years ago" (not months: "a month ago" may be this item's inspection)
    r"(?:[\w-]+\s+)?years?\s+(?:ago|earlier|previously|before)|earlier(?!\s+this\s+(?:year|month|week))|"
    r"in\s+(?:its|the|their|our)\s+"
    r"(?:last|previous)|when\s+(?:it|they)\s+(?:(?:was|were)\s+)?(?:last|previously|first)\b|"
    r"last\s+year|(?:a|one|two|three|four|five|six|\d+)\s+years?\s+ago)",
    re.IGNORECASE,
)
# A previous-grade marker right before the next grade is that grade's: "outstanding
# (previously good)".
_MARKS_NEXT = re.compile(
    r"(?i)\b(?:previously|formerly|before|last\s+time|up\s+from|down\s+from|from)\s+"
    r"(?:(?:rated|judged|graded|a|an)\s+)?['\"(]?$"
)
_FROM_TO = re.compile(
    # "a fall from its second-highest 'good' rating": a word may describe the grade moved from
    r"\bfrom\s+(?:(?:an?|its|the|their)\s+(?:[\w-]+\s+)?|being\s+)?(?:(?:overall\s+|ofsted\s+)?(?:rating|"
    r"grade|judge?ment|verdict|position)\s+of\s+)?(?:rated\s+)?['\"(]?$",
    re.IGNORECASE,
)
_LIST_GAP = re.compile(
    r"(?i)[\s,]*(?:(?:and|&|as\s+well\s+as)\s+)?(?:(?:also\s+)?(?:for|in|on)\s+)?"
    r"(?:the\s+|its\s+|their\s+)?(?:(?:council|authority|services?)(?:'s|s')\s+)?"
    r"(?:(?:work|services?|support)\s+(?:for|with)\s+)?"
    # "its first 'outstanding' grade for how it looks after children in care"
    r"(?:how\s+(?:it|they|the\s+council)\s+(?:looks?\s+after|cares?\s+for|supports?|helps?|"
    r"protects?)\s+)?"
    r"(?:(?:experiences?(?:\s+and\s+progress)?|impact|those|that)\s+of\s+)?(?:the\s+)?"
    r"(?:those\s+)?['\"]?"  # "in relation to those in need of help and protection"
)
_AS_WAS = re.compile(r"(?i)^\W{0,2}\s*(?:,\s*)?(?:as|(?:and\s+)?so)\s+(?:was|were|did|is|are)\s+")
# No start inside a run of separators (the match would start at the run's first one anyway):
# without it every position of a long run rescans the run.
_CUE_TAIL = re.compile(
    r"(?i)(?<![\s:,\-'\"])(?:[\s:,\-'\"]*\b(?:as|to\s+be|were|was|is|are|judged|rated|graded|grade|rating|"
    r"which|who|that|all|both|each)\b)*"
    r"[\s:,\-'\"]*$"
)
# A round-up or table row that starts with a name and a colon or dash: "Barnet: outstanding".
_NAME_ROW = re.compile(r"\W*[A-Z][\w'&,.]*(?:[ -][A-Za-z][\w'&,.]*){0,5}\s*(?::|\s[-|])\s*['\"]?")
_KEPT_THAT = re.compile(
    r"(?i)\b(?:retain\w*|kept|keeps|keep|maintain\w*|held\s+on\s+to|holds\s+on\s+to)\s+"
    r"(?:that|this|the\s+same|its|their)\s+(?:grade|rating|judge?ment)\b"
)
_LIST_AFTER = re.compile(r"\s*(?:['\"]\s*)?(?:-|:)\s+")
_PARENTHETICAL = re.compile(
    r"(?i),\s+(?:which|who|whose|including|such\s+as|especially|particularly)\b[^,;:]*,"
)
# "all four areas were rated outstanding": every judgement of the current framework.
_ALL_FOUR_WORDS = (
    r"(?:all\s+(?:four|4)\s+(?:(?:key|inspection|judge?ment)\s+)?"
    r"(?:areas?|judge?ments?|categories|aspects|parts|headings)|(?:every|each)\s+judge?ment)\b"
)
_ALL_FOUR = re.compile(rf"(?i)\b{_ALL_FOUR_WORDS}")
_ALL_FOUR_AFTER = re.compile(rf"(?i)\W{{0,3}}\s*(?:across|in|for|on)\s+{_ALL_FOUR_WORDS}")
# "All four areas, and the overall effectiveness of services, were judged good": the subject
# that opens the sentence.
_ALL_FOUR_LEADS = re.compile(
    rf"(?i)(?:^|[:;,]\s)\W*{_ALL_FOUR_WORDS}(?:\s*,[^.;]*,)?\s+(?:were|are|have\s+been)\s+(?:all\s+)?"
    r"(?:(?:rated|judged|graded|found\s+to\s+be)\s+)?['\"]?$"
)
# "across all five areas of inspection criteria, which are", "in each of the four main
# inspection areas -": the areas named after it
_ALL_AREAS_NAMED = re.compile(
    r"(?i)\W{0,3}\s*(?:ratings?\s+|grades?\s+)?(?:across|in|for|on)\s+(?:(?P<every>all|each\s+of)\s+)?"
    r"(?:the\s+|its\s+)?(?:three|four|five|[345])\s+(?:[\w-]+\s+){0,2}?(?:areas|judge?ments|"
    r"categories|criteria)\b[^.;:]{0,40}?(?:,?\s+(?:which\s+(?:are|were)|namely)|\s*[:-])\s*"
)
_SEMICOLON = re.compile(r";\s*(?:and\s+)?")
_ALL_FOUR_OBJECT = re.compile(
    rf"(?i)\b(?:rat(?:ed|es|e|ing)|judg(?:ed|es|ing)|grad(?:ed|es|ing)|found)\s+(?:\w+\s+)?"
    rf"{_ALL_FOUR_WORDS}\s+(?:as\s+|to\s+be\s+)?['\"]?$"
)
_EXCEPT = re.compile(
    r"(?i)['\"]?\s*(?:,\s*)?(?:except|apart\s+from|other\s+than|save\s+(?:for\s+)?)\s+(?:for\s+)?"
)
_EVERY_JUDGEMENT = (
    Judgement.OVERALL,
    Judgement.LEADERS,
    Judgement.HELP_AND_PROTECTION,
    Judgement.IN_CARE,
    Judgement.CARE_LEAVERS,
)
_LABEL = re.compile(r"(?i)\W*(?:\d(?:\.\d)?\.?\s+)?[\w\s,'()-]{3,120}?[\s:-]*")
_IN_CARE_AND_LEAVERS = re.compile(r"(?i)(children\s+in\s+care)\s+and\s+(care[\s-]leavers)")
_SOME_AREAS = re.compile(
    r"(?i)\b(?:a\s+number\s+of|some|several|many|most|other|one|two|three|four|remaining)\s+"
    r"(?:of\s+the\s+|(?:out\s+)?of\s+(?:the\s+|its\s+)?(?:two|three|four|five|six|\d)\s+)?"
    r"(?:service\s+|key\s+)?(?:areas?|aspects?|parts?)\b"
)
# A grade in a relative clause is background: "Islington, which is rated outstanding".
_RELATIVE = re.compile(
    r"(?i),\s+(?:which(?:\s+both)?|whose\s+[\w\s']{1,40}?|both\s+of\s+which|both)\s+(?:is|are|was|were|"
    r"remains?|currently)\b[^,;]*$"
)
_EITHER_AFTER = re.compile(
    r"(?i)['\"]?\s*(?:or|and/or|nor)\s+(?:better|worse|above|below|['\"]?(?:outstanding|good|"
    r"inadequate|adequate|requir(?:es|e|ed|ing)\s+improvement))"
)
_EITHER_BEFORE = re.compile(
    r"(?i)(?:outstanding|good|inadequate|adequate|improvement)['\"]?\s*(?:or|and/or|nor)\s+['\"]?$"
)
# "one of only a few councils whose services are rated outstanding" is news, not background.
_ONE_OF = re.compile(
    r"(?i)\bone\s+of\s+(?:only\s+)?(?:a\s+few|a\s+handful(?:\s+of)?|(?:[\w-]+\s+){0,3}?)(?:councils|"
    r"authorities|local\s+authorities)\b(?:\s+in\s+(?:the\s+)?[\w-]+(?:\s+[\w-]+)?)?\s+"
    r"(?:whose|which|that)\b"
)
# "..., rating them requires improvement": the verdict that follows the earlier grade.
_CONTRAST = re.compile(
    r"\b(?:now|this\s+time|latest|new|but|while|whereas|however|to|into|has\s+been|"
    r"have\s+been|today|since\s+then|(?:rating|judging|grading|giving)\s+(?:them|it)\b)\b",
    re.IGNORECASE,
)
_REFLECTED_IN = re.compile(
    r"(?i)\s+(?:also\s+)?(?:reflected|shown|seen|summed\s+up|captured|confirmed|recognised|"
    r"expressed)\s+(?:in|by)\b"
)
_FORMS_OVERALL_AFTER = re.compile(
    r"(?i)^\W{0,3}\s*(?:with\s+)?(?:this|which|that)\s+(?:forming|forms|formed|becoming|"
    r"became|becomes|giving|gives|gave|making|makes|made)\s+(?:the|its|their)\s+overall\s+"
    r"(?:rating|grade|judge?ment)\b"
)
# "... overall are rated inadequate", "... were judged overall to require improvement"
_OVERALL_THEN_VERB = re.compile(
    r"(?i)\boverall,?\s+(?:are|is|was|were|has\s+been|have\s+been)\s+(?:rated|judged|graded|"
    r"assessed|deemed)\s+(?:as\s+)?['\"]?$|"
    r"\b(?:rated|judged|graded|assessed|deemed)\s+overall\s+(?:as\s+|to\s+be\s+|to\s+)?['\"]?$"
)
_ALL_FOUR_AREAS_AFTER = re.compile(
    r"(?i)^\W{0,3}\s*(?:in|for|across)\s+(?:all\s+)?(?:the\s+|its\s+)?four\s+(?:key\s+|main\s+)?"
    r"(?:areas|judge?ments|categories)\b(?!\s+(?:of|out\s+of)\b)"
)
_SOME_AREAS_AFTER = re.compile(
    r"(?i)^\W{0,3}\s*(?:in|for|across|on)\s+(?:the\s+)?(?:one|two|three|four|five|some|several|"
    r"most|many|other|remaining|\d)\b(?:\s+\w+){0,3}?\s+(?:areas?|judge?ments?|categories|"
    r"aspects?|parts?)\b|^\W{0,3}\s*in\s+(?:the\s+)?(?:other|another|fourth|remaining)\b"
)
_COUNT_SUBJECT = re.compile(
    # "Seven were found to be good" (outcome areas); "four of these were previously good" after
    # a list of councils is those councils
    r"(?i)(?:^|,)\s*(?:but\s+|and\s+|while\s+)?(?:\d+\s+(?:of\s+(?:them|these|those)\s+)?|"
    r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+)(?:were|are|as)\s+"
    r"(?:[a-z]+\s+){0,3}['\"]?$"
)
# "awarded the council nine 'outstanding' grades out of 22": a count of area grades
_COUNTED_BEFORE = re.compile(
    r"(?i)\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+['\"]?$"
)
_GRADES_AFTER = re.compile(r"(?i)^['\"]?\s*(?:grades|ratings|judge?ments|scores)\b")
_NOW = re.compile(r"\b(?:now|this\s+time|latest|new|has\s+been|have\s+been|today)\b", re.IGNORECASE)
_RETAINED = re.compile(
    r"\b(?:retain\w*|remain\w*|maintain\w*|kept|keeps|keep|stay\w*|again|continues?\s+to\s+be|"
    r"(?:is|are|was|were)\s+still|"
    r"once\s+more|held\s+on\s+to|hold\s+on\s+to)\b",
    re.IGNORECASE,
)
# "..., maintaining the grade it achieved in 2018": the grade kept.
_NEW_RATING = re.compile(
    r"(?i)\b(?:after|when|once|now\s+that)\s+(?:ofsted|inspectors|the\s+inspectorate|the\s+watchdog)\s+"
    r"(?:\w+\s+)?(?:rated|judged|graded|found)\b"
)
_MAINTAINING = re.compile(
    r"(?i)\W{0,3}\s*(?:\w+\s+){0,3}?(?:maintaining|retaining|keeping|holding\s+on\s+to)\s+"
    r"(?:the|its|their)\s+(?:same\s+|top\s+|highest\s+|\w+\s+)?(?:grade|rating|judge?ment)\b"
)
_SAME_AS = re.compile(
    # "perform adequately as they did in 2010": the grade kept
    r"(?i)^\W{0,3}\s*(?:,\s*)?(?:just\s+)?as\s+(?:(?:it|they|the\s+\w+)\s+(?:did|was|were|had\s+been)|"
    r"was\s+the\s+case)\s+(?:in|at|last|when)\b|"
    r"^\W{0,3}\s*(?:(?:which|that)\s+(?:was|is)\s+)?(?:the\s+)?same\s+"
    r"(?:grade\s+|grading\s+|rating\s+|judge?ment\s+|result\s+)?(?:as\b|(?:at|during|in)\s+(?:the|its)\s+"
    r"(?:last|previous))"
)
_RETAINED_AFTER = re.compile(
    r"^\W{0,3}\s*(?:\w+\s+){0,3}?(?:again|once\s+more|for\s+(?:a|the)\s+(?:second|third|fourth)"
    # "for the second time in six years" repeats a grade, not necessarily the last one
    r"\s+(?:consecutive\s+|successive\s+)?(?:time|inspection)(?!\s+in\s+(?:\w+\s+)?(?:years|decades?)\b)|"
    r"in\s+a\s+row|the\s+same\s+(?:grade|rating|judge?ment)|"
    # "graded outstanding on three consecutive inspections"
    r"(?:on|in|at|for)\s+(?:two|three|four|five|\d)\s+(?:consecutive|successive)\s+(?:inspections|occasions)|"
    r"unchanged)\b",
    re.IGNORECASE,
)
# "for the third time in four years": inspections come about three years apart at most, so a
# grade given that often in that span was given at each of them, the last one too (not "for the
# second time in six years", which may skip one).
_REPEAT_IN_YEARS = re.compile(
    r"(?i)^\W{0,3}\s*(?:\w+\s+){0,3}?for\s+the\s+(second|third|fourth)\s+time\s+in\s+"
    r"(?:the\s+(?:last|past)\s+)?(two|three|four|five|six|[2-6])\s+years\b"
)
_ORDINALS = {"second": 2, "third": 3, "fourth": 4}


def _repeated_in_a_row(after: str) -> bool:
    hit = _REPEAT_IN_YEARS.match(after)
    if hit is None:
        return False
    years = _COUNTS.get(hit.group(2).lower()) or int(hit.group(2))
    return years <= 3 * (_ORDINALS[hit.group(1).lower()] - 1)


_RANGE_FROM = re.compile(
    r"(?i)\b(?:rang(?:e|es|ed|ing)|scale\s+(?:runs\s+|running\s+)?)\s*from\s+['\"]?$"
)
_TO_AFTER = re.compile(
    r"^\W{0,3}\s*(?:rating\s+|grade\s+|judge?ment\s+)?(?:to|into)\s+['\"]?\w", re.IGNORECASE
)


def find_grades(sentence: str) -> list[GradeMention]:
    """The ratings in one (normalised) sentence, left to right."""
    lowered = sentence.lower()
    if not any(word in lowered for word in _GRADE_WORDS):  # most sentences: a cheap no
        return []
    candidates = itertools.islice(_GRADE.finditer(sentence), MAX_GRADES)
    spans = [m for m in candidates if _is_rating(sentence, m)]
    mentions: list[GradeMention] = []
    last_role: Role | None = None
    last_year: int | None = None
    for i, match in enumerate(spans):
        prev_end = spans[i - 1].end() if i else 0
        next_start = spans[i + 1].start() if i + 1 < len(spans) else len(sentence)
        # A closed relative clause ("The council, which works with Bolton on adoption, was
        # rated") says nothing about the grade that follows it.
        before = _clause_tail(_PARENTHETICAL.sub("", sentence[prev_end : match.start()]))
        after = _clause_head(sentence[match.end() : next_start])
        if (
            (
                _ASPIRATION.search(before)
                and not _VERDICT_SHOULD.search(before)
                and not _KEPT_AFTER_INSPECTION.match(sentence[match.end() : match.end() + 80])
            )
            or _NEXT_INSPECTION.match(sentence[match.end() : next_start])
            or _PREDICTED.search(sentence[max(0, match.start() - 160) : match.start()])
        ):
            continue  # a hope, a grade sought at the next inspection, or a forecast
        if i > 0 and _MOVE_TARGET.search(sentence[: spans[i - 1].start()][-120:]):
            continue  # "recommendations to move services from X to Y": Y is the aim
        if _RANGE_FROM.search(sentence[prev_end : match.start()][-40:]) or (
            i > 0 and _RANGE_FROM.search(sentence[: spans[i - 1].start()][-40:])
        ):
            continue  # "four ratings, which range from 'inadequate' to 'outstanding'": the scale
        judgements, explicit = _judgements(
            before, after, sentence[prev_end : match.start()], sentence[match.end() : next_start]
        )
        grade = _grade_of(match.group("grade"))
        follows_from = i > 0 and _FROM_TO.search(sentence[: spans[i - 1].start()][-40:]) is not None
        role = _role(before, after, follows_from, sentence[prev_end : match.start()])
        if _MOVE_TARGET.search(sentence[prev_end : match.start()][-120:]):
            role = Role.CURRENT  # the grade to move from is where the services stand
        # "ranked inadequate in 2012, which was upped to requires improvement", "from good (in
        # 2014), to requires improvement": the grade moved to is the new one, and the earlier
        # grade's year is not its year.
        moved_to = i > 0 and (
            (follows_from and _TO_BEFORE.search(before) is not None)
            or _MOVED_TO.search(sentence[prev_end : match.start()]) is not None
        )
        kept = _STILL.search(before)
        if role is Role.CURRENT and kept and (match.group(0)[0] in "'\"" or kept.group(1)):
            # "services still 'require improvement'", "they continue to require improvement":
            # a rating kept ("still required improvement" unquoted is often "not yet good")
            role = Role.RETAINED
        if moved_to:
            role = Role.CURRENT
            if mentions and mentions[-1].start == spans[i - 1].start():
                mentions[-1] = replace(mentions[-1], role=Role.PREVIOUS)  # the grade moved from
                if explicit and not mentions[-1].explicit:
                    # "downgraded from outstanding to good in the category assessing the impact
                    # of leaders": the grade moved from is that judgement's too
                    mentions[-1] = replace(mentions[-1], judgements=judgements, explicit=True)
                elif mentions[-1].explicit and not explicit:
                    # "The impact of leaders improved from 'good' in 2018 to 'outstanding'": the
                    # grade moved to is the same judgement's
                    judgements, explicit = mentions[-1].judgements, True
        if (moved_to or follows_from) and _WHO_LED.search(sentence[: spans[i - 1].start()][-120:]):
            # "having previously led X from 'inadequate' to 'outstanding'": a person's record
            role = Role.PREVIOUS
        if (
            role is Role.CURRENT
            and _DURATION_BEFORE.match(sentence[prev_end : match.start()])
            and _LATER_CONTRAST.match(sentence[match.end() : next_start])
        ):
            # "For over a decade services were rated inadequate, but this year ... 'Good'"
            role = Role.PREVIOUS
        if role is Role.CURRENT and (
            _SAME_AS.match(sentence[match.end() : next_start])
            or _MAINTAINING.match(sentence[match.end() : next_start])
        ):
            role = Role.RETAINED  # "..., which was the same as at the last inspection"
        # A year inside a closed parenthesis before the main verb is the parenthesis's.
        year = _year_near("" if _MAIN_CLAUSE.search(before) or moved_to else before, after)
        if year is None and role is not Role.RETAINED and not moved_to:
            # "Improvement was noted when Ofsted inspected in 2018, and it was rated ...":
            # the time clause before the grade dates it.
            when = _WHEN_YEAR.search(sentence[prev_end : match.start()])
            year = int(when.group(1) or when.group(2)) if when else None
        if year is None and not moved_to:
            year = _sentence_year(sentence[: match.start()])
        if not (
            moved_to
            or _CONTRAST.search(before)
            or _MAIN_CLAUSE.search(before)
            or _OVERALL_NOUN.search(before)
            or _NEW_RATING.search(before)  # "no longer inadequate after Ofsted rated them RI"
        ):
            # "areas were rated adequate and one area inadequate": the same time
            if role is Role.CURRENT and last_role is Role.PREVIOUS:
                role = Role.PREVIOUS
            year = year or last_year
        if role is Role.RETAINED and year is not None and _KEPT_SINCE.match(after):
            year = None  # "remain 'inadequate' with rating unchanged since 2020": kept since then
        if role is Role.RETAINED and _SAME_AS.match(after):
            year = None  # "as they did in 2010": the year is the earlier grade's
        last_role, last_year = role, year
        majority = not judgements and _most_areas(sentence[match.end() : next_start])
        if majority:
            judgements = (Judgement.OVERALL,)  # weaker than a stated overall grade
        if not judgements:
            judgements = _the_other_areas(before, mentions)
            explicit = bool(judgements)
        if not judgements:
            continue
        # The clause a relevance check reads: up to the next comma ("good, weeks after an
        # area SEND inspection" is not about SEND).
        context = before + match.group(0) + re.split(r"[,;]", after, maxsplit=1)[0]
        mentions.append(
            GradeMention(
                match.start(),
                match.end(),
                grade,
                judgements,
                role,
                year,
                explicit,
                context,
                old_scale(match.group("grade")),
                bool(_DURATION_AFTER.match(sentence[match.end() : next_start]))
                and not _FIRST_TIME.search(sentence[prev_end : match.start()]),
                majority,
            )
        )
    return mentions + _kept_that(sentence, mentions) + _score_from(sentence)


_COUNTS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_MOST_AREAS = re.compile(
    r"(?i)\W{0,3}\s*(?:in|for|across|on)\s+(one|two|three|four|five|[1-5])\s+(?:out\s+)?of\s+"
    r"(?:the\s+|its\s+|their\s+)?(two|three|four|five|six|[2-6])\s+(?:\w+\s+){0,2}?"
    r"(?:areas?|judge?ments?|categories|aspects)\b"
)

_MOST_AREAS_WORDED = re.compile(
    r"(?i)\W{0,3}\s*(?:in|for|across|on)\s+(?:most|the\s+majority)\s+(?:of\s+(?:the\s+|its\s+|their\s+)?)?"
    r"(?:\w+\s+)?(?:areas|judge?ments|categories|aspects)\b"
)


def _most_areas(after: str) -> bool:
    """ "requires improvement in three of its four areas": most of the judgements share that
    grade, which is then the overall one unless the item states the overall grade itself."""
    hit = _MOST_AREAS.match(after)
    if hit is None:
        return _MOST_AREAS_WORDED.match(after) is not None  # "inadequate in most areas"
    count, of = (_COUNTS.get(g.lower()) or int(g) for g in hit.groups())
    return 2 * count > of


_OTHER_AREAS = re.compile(
    r"(?i)\bthe\s+(?:other|remaining)\s+(two|three|2|3)\s+(?:key\s+|main\s+|judge?ment\s+)?"
    r"(?:areas|judge?ments|categories)\b"
)
# The areas graded beside the overall judgement: three until 2023, four since.
_AREA_SETS = {
    3: (Judgement.LEADERS, Judgement.HELP_AND_PROTECTION, Judgement.IN_CARE),
    4: (
        Judgement.LEADERS,
        Judgement.HELP_AND_PROTECTION,
        Judgement.IN_CARE,
        Judgement.CARE_LEAVERS,
    ),
}


def _the_other_areas(before: str, mentions: list[GradeMention]) -> tuple[Judgement, ...]:
    """ "Care leavers were rated good, but the other three areas were rated as requiring
    improvement": the areas not named, when the count and the named ones make up a framework's
    set."""
    hit = _OTHER_AREAS.search(before)
    if hit is None:
        return ()
    count = _COUNTS.get(hit.group(1).lower()) or int(hit.group(1))
    named = {j for m in mentions if m.explicit for j in m.judgements} - {Judgement.OVERALL}
    areas = _AREA_SETS.get(len(named) + count)
    if not named or areas is None or not named <= set(areas):
        return ()
    return tuple(j for j in areas if j not in named)


# "increasing the overall grade from a 2 to a 3": the annual assessments' 4-point scores.
_SCORE_FROM_TO = re.compile(
    r"(?i)\b(?:grade|score|rating)\s+from\s+(?:an?\s+)?([1-4])\s+to\s+(?:an?\s+)?([1-4])\b"
)
_SCORES = {
    "1": Grade.INADEQUATE,
    "2": Grade.ADEQUATE,
    "3": Grade.GOOD,
    "4": Grade.OUTSTANDING,
}


def _score_from(sentence: str) -> list[GradeMention]:
    """The score a 2005-2011 annual assessment moved from, as the grade before this one."""
    hit = _SCORE_FROM_TO.search(sentence)
    if hit is None or hit.group(1) == hit.group(2):
        return []
    return [
        GradeMention(
            hit.start(1),
            hit.end(1),
            _SCORES[hit.group(1)],
            (Judgement.OVERALL,),
            Role.PREVIOUS,
            context=hit.group(0),
            old_scale=True,
        )
    ]


def _kept_that(sentence: str, mentions: list[GradeMention]) -> list[GradeMention]:
    """ "X, which was rated good last time, retained that grade": the earlier grade, kept."""
    kept: list[GradeMention] = []
    for match in _KEPT_THAT.finditer(sentence):
        earlier = [
            m
            for m in mentions
            if m.end <= match.start()
            and m.role is Role.PREVIOUS
            and m.judgements == (Judgement.OVERALL,)
        ]
        if earlier:
            grade, judgements = earlier[-1].grade, (Judgement.OVERALL,)
            kept.append(
                GradeMention(
                    match.start(),
                    match.end(),
                    grade,
                    judgements,
                    Role.RETAINED,
                    context=match.group(0),
                )
            )
    return kept


# The 2005-2011 annual assessments' scale ("performs poorly / adequately / well /
# excellently", "rated poor", "excellent"): the pre-2013 framework's grades.
_OLD_SCALE = re.compile(r"(?i)poor|excellent|perform|scor")
_OLD_GRADES = {
    "poor": Grade.INADEQUATE,
    "poorly": Grade.INADEQUATE,
    "adequately": Grade.ADEQUATE,
    "well": Grade.GOOD,
    "excellent": Grade.OUTSTANDING,
    "excellently": Grade.OUTSTANDING,
    # The 2005-2008 annual performance assessments scored 1 to 4, 4 best.
    **dict.fromkeys(("four", "4"), Grade.OUTSTANDING),
    **dict.fromkeys(("three", "3"), Grade.GOOD),
    **dict.fromkeys(("two", "2"), Grade.ADEQUATE),
    **dict.fromkeys(("one", "1"), Grade.INADEQUATE),
}


# "were"/"are" only after a council or its services ("12 councils were poor"), not after
# other subjects ("the care and experiences of children were 'poor'": a report's prose).
_OLD_RATED = re.compile(
    r"(?i)\b(?:(?:rated|judged|graded|deemed|assessed|classed|categorised|ranked|as)\s+|"
    r"(?:praised|commended|recognised)\s+for\s+being\s+|"
    r"(?:services|councils?|authorit(?:y|ies)|areas|boroughs|counties|[A-Z][\w-]*'s?|they|"
    r"it)\s+(?:were|are|was|is)\s+|"
    # the rated services between verb and word: "Ofsted rates Leeds children's services 'poor'"
    r"\brat(?:es|ed|ing)\s+(?:[\w'\u2019-]+\s+){0,4}?(?:services|council)\s+)"
    r"(?:(?:as|to\s+be|being|all|now)\s+){0,2}['\"]?$"
)
# "ten councils have excellent ratings", "received a poor rating": the grade held as a noun's
_OLD_HELD = re.compile(
    r"(?i)\b(?:ha(?:ve|s|d)|received?|given|got|gained|earned)\s+(?:an?\s+)?['\"]?$"
)
_RATING_NOUN = re.compile(r"(?i)^['\"]?\s+(?:ratings?|grades?|judge?ments?)\b")
_PERFORMER = re.compile(
    r"(?i)(?:\b(?:services(?:\s+in\s+(?-i:[A-Z])[\w'-]*(?:\s+[\w'-]+){0,3}?)?|council|councils|"
    r"authority|authorities|areas?|as|were|was|are|is|judged|rated|assessed|deemed|considered|"
    r"found|(?:rating|grade)\s+of)|"
    r"[A-Z][\w-]*'s)\s+(?:to\s+be\s+)?['\"]?$|"
    # the annual assessment's score and its words: "from a 2 to a 3 - 'performing well'"
    r"\b(?:[1-4]|one|two|three|four)\s*[-:(]\s*['\"]?$"
)


def old_scale(text: str) -> bool:
    """Whether a grade phrase is worded in the 2005-2011 annual assessments' scale."""
    return _OLD_SCALE.match(text) is not None


def _grade_of(text: str) -> Grade:
    """The grade a phrase names; "the lowest possible rating" is inadequate, "its
    second-highest rating" good; "performs well" good."""
    grade = Grade.parse(text)
    if grade is not None:
        return grade
    if old_scale(text):
        return _OLD_GRADES[text.split()[-1].lower().strip("'\"")]  # "performing 'well'"
    if text.lower().startswith(("requir", "need")):  # "required improvement", "needs improvement"
        return Grade.REQUIRES_IMPROVEMENT
    low = re.search(r"lowest|worst|bottom", text, re.IGNORECASE) is not None
    if re.search(r"second", text, re.IGNORECASE):
        return Grade.REQUIRES_IMPROVEMENT if low else Grade.GOOD
    return Grade.INADEQUATE if low else Grade.OUTSTANDING


_RATING_VERB_BEFORE = re.compile(
    r"(?i)\b(?:rated|judged|graded|deemed|branded|labelled|found\s+to\s+be|remains?|remained|"
    r"given|awarded|received|achieved)\s+(?:(?:as|an?|the|to\s+be|now|still|again)\s+){0,2}['\"]$"
)
_PROSE_NOUN = re.compile(
    r"practice|work|support|services?|progress|leadership|oversight|relationships?|care|help|job|"
    r"example|examples|news|start|standard|standards|quality|outcomes?|partnership|"
    r"practitioners?|staff|people|thing|things|schools?|homes?|provision|placements?|foster\w*|"
    r"experiences?|results?|evidence|features?|feature|areas?"
)


# A clause whose subject is a piece of practice, not a judgement or the services.
_PRACTICE_SUBJECT = re.compile(
    # ("the quality of personal education plans requires improvement": a few words may qualify
    # the work whose quality is meant)
    # ("persistent absence is high and the quality of ...": the second clause of an "and")
    r"(?i)\W*+(?:[^,;.]{0,80}?\band\s+(?=the\s+quality\b))?"
    r"(?:however|but|and|also|meanwhile)?,?\s*(?:the\s+)?"
    r"(?:quality\s+of\s+(?:(?:the|its|their)\s+)?(?:[\w'-]+\s+){0,3}?|some\s+)?"
    r"(?:assessments?|plans?|planning|casework|case\s+work|recording|supervision|management\s+"
    r"oversight|oversight|practice|thresholds?)\b(?:\s+and\s+(?:plans?|planning|reviews?))?"
    r"(?!\s+(?:judge?ment|grade|rating))"
)


_JUDGED_PROVIDING = re.compile(
    r"(?i)\b(?:judged|rated|found|assessed|deemed)\s+(?:[\w'-]+\s+){0,4}?to\s+(?:be\s+)?"
    r"(?:providing|provide|delivering|deliver)\b[^.;]{0,100}?\ban?\s+['\"]?$"
)


def _is_rating(sentence: str, match: re.Match[str]) -> bool:
    """Whether a grade word is used as a rating here (see the module docstring)."""
    word = match.group("grade")
    before = sentence[max(0, match.start() - 60) : match.start()]
    after = sentence[match.end() : match.end() + 40]
    if word.lower() in {"poor", "excellent"}:
        # The annual assessments' words are grades only where something rated them ("rated
        # as poor", "were judged excellent"); elsewhere they are prose ("remain poor").
        return bool(_OLD_RATED.search(before)) or bool(
            _OLD_HELD.search(before) and _RATING_NOUN.match(after)
        )
    if word[:4].lower() == "scor":  # "scored four in all three categories"
        return bool(re.match(r"\s+(?:in|for|across|on|overall)\b|\s*\(", after))
    if word[:4].lower() == "perf":
        # "performs well" is the old annual rating only where the subject is the services or
        # the council ("the council performs well", "authorities performing poorly").
        return bool(_PERFORMER.search(before))
    if _NOT_RATING_BEFORE.search(before) or _NOT_RATING_AFTER.match(after):
        return False
    if _EITHER_AFTER.match(after) or _EITHER_BEFORE.search(before):
        return False  # "rated good or outstanding": a range, not one council's grade
    if re.match(
        r"(?i)(?:the\s+|its\s+)?(?:second[\s-]+)?(?:lowest|worst|bottom|highest|top)", word
    ):
        return bool(
            re.search(
                r"(?i)\b(?:rated|given|gave|gives?|received|handed|awarded|gets?|got|with|"
                r"earned|achieved|scoop\w*|secur\w*|won|wins|winning|claim\w*)\s+(?:\w+\s+){0,2}$",
                before,
            )
        )
    next_word = re.match(r"\W*([A-Za-z]+)", after)
    adjectival = (
        next_word is not None
        and after[: next_word.start(1)].strip() in {"", "'", '"', "'s"}
        and not _FOLLOW_OK.fullmatch(next_word.group(1))
        and not _cue_at(after)
        # "an overall 'good' assessment": the rating's noun after "overall"
        and not (
            re.search(r"(?i)\boverall\s*$", before)
            and re.fullmatch(r"(?i)assessments?|scores?|results?|marks?", next_word.group(1))
        )
    )
    quoted = bool(match.group("open") or match.group("close"))
    if word.lower().startswith("requir") or word.lower().endswith("to be good"):
        # "requires improvement", "needs improvement to be good": the grade's own words, but
        # not a report's prose about practice ("assessments and plans ... require improvement")
        if not quoted and _PRACTICE_SUBJECT.match(_clause_tail(sentence[: match.start()])):
            return False
        if not quoted and re.match(r"(?i)required\s+improvements", word):
            return False  # "the required improvements will take time": the changes needed
        return not re.search(r"(?i)\b(?:not|no|never)\s+(?:\w+\s+)?$", before)
    if (
        adjectival
        and quoted
        and next_word is not None
        and next_word.group(1).lower() in {"service", "services"}
        and _JUDGED_PROVIDING.search(sentence[max(0, match.start() - 160) : match.start()])
    ):
        # "judged Children's Services to be providing the children of Swindon with a 'good'
        # service": the verdict, worded as the service given
        return True
    if adjectival and not (
        # After a rating verb, a quoted grade is a rating whatever follows ("rated
        # 'inadequate' due to ...", "judged 'good' overall again"), unless a noun of prose
        # follows it ("rated 'good' practice").
        quoted
        and _RATING_VERB_BEFORE.search(before)
        and next_word is not None
        and not _PROSE_NOUN.fullmatch(next_word.group(1).lower())
    ):
        return False
    capitalised = word[0].isupper() and not re.search(r"(?:^|[.!?:]\s*|\"|')\s*$", before)
    if quoted or capitalised or _RATING_BEFORE.search(before) or _OBJECT_THEN.search(before):
        return True
    if _OBJECT_SERVICES.search(sentence[max(0, match.start() - 120) : match.start()]):
        return True  # "a report which labelled its child protection services inadequate"
    if _ALL_FOUR_LEADS.search(sentence[: match.start()]) or _ALL_FOUR_OBJECT.search(before):
        return True  # "All four judgements were outstanding except", "rates all four areas as"
    if _THAT_AREA.search(before):
        return True  # "..., grading that area good"
    if re.search(
        r"(?i)\bwith\s+(?:the|its|their)\s+(?:children'?s\s+)?services?\s+(?:still|now)\s+$", before
    ):
        return True  # "... come to nothing, with the service still inadequate"
    if re.search(r"(?i)\b(?:are|is|were|was)\s+now\s+$", before):
        return True  # "..., which were rated inadequate in 2016, are now good"
    weak = _WEAK_VERB.search(before)
    if (
        weak
        and (
            # a subject with a long council name: "Services to children in X Borough Council are"
            _SERVICES_SUBJECT.search(sentence[max(0, match.start() - 120) : match.start()])
            or _RATED_THING.search(
                _clause_tail(sentence[max(0, match.start() - 120) : match.start()])
            )
            or _PREVIOUS_AFTER.match(_clause_head(after))  # "been good at the last inspection"
            # "the experience of children who need protection was outstanding": a judgement's
            # name as the subject
            or _cue_ending(before[: weak.start()]) not in (None, Judgement.OVERALL)
        )
    ):
        return True
    # "rated the impact of leaders outstanding, help and protection good, ..."
    head = sentence[max(0, match.start() - 300) : match.start()]
    if (
        _VERB_EARLIER.search(head)
        and (
            _cue_ending(before) is not None
            # (the judgement's name may run past the 40 characters looked at above)
            or bool(
                (forward := _FORWARD_FOR.match(after))
                and _chain(sentence[match.end() + forward.end() : match.end() + 240])
            )
        )
    ):
        return True
    if _cue_ending(head) is not None and _LABEL.fullmatch(head):
        return True  # a judgement table row: "Impact of leaders: good"
    if _NAME_ROW.fullmatch(head):
        return True  # a round-up row: "Barnet: outstanding (previously good)"
    return bool(
        re.match(
            r"\W*(?:rating|judge?ment|grade|overall|by\s+(?:ofsted|inspectors))\b",
            after,
            re.IGNORECASE,
        )
    )


_LABEL_FILLER = re.compile(
    r"(?i)[\s.,;:'\"*\u2022-]*(?:(?:and|the|(?:these|they)\s+(?:are|were))\s+|"
    r"experiences?\s+and\s+progress\s+of\s+|\d\.?\s+)*"
)
_ROW_ASIDE = re.compile(r"\s*\([^()]{0,160}\)")


def judgement_label(line: str) -> Judgement | None:
    """The judgement a line names and nothing else: a row under a heading such as "The areas
    rated requires improvement were:" ("The impact of leaders on social work practice.")."""
    if len(line) > 160:
        return None
    hits = _cue_hits(line)
    if len(hits) != 1:
        return None
    start, end, judgement = hits[0]
    if _LABEL_FILLER.fullmatch(line[:start]) and _LABEL_FILLER.fullmatch(line[end:]):
        return judgement
    return None


def judgement_labels(line: str) -> tuple[Judgement, ...]:
    """The judgements a row (or rows run together) names and nothing else: "* Children who
    need help and protection,", "Leadership, management and governance.", "Children looked
    after (including adoption performance)", "the impact of leaders the experiences and
    progress of children in care"."""
    if len(line) > 600:
        return ()
    line = _ROW_ASIDE.sub("", line)
    position, found = 0, []
    for start, end, judgement in _cue_hits(line):
        if not _LABEL_FILLER.fullmatch(line[position:start]):
            return ()
        found.append(judgement)
        position = end
    if not found or not _LABEL_FILLER.fullmatch(line[position:]):
        return ()
    return tuple(dict.fromkeys(found))


def _cue_ending(text: str) -> Judgement | None:
    """The judgement whose cue ends ``text`` (give or take "as", "to be", a colon or a dash):
    "the impact of leaders", "Overall effectiveness:", "the board" (in an LSCB sentence)."""
    # The last 200 characters: the cue is in the last 80 once a tail of cue words is cut,
    # and the pattern costs the square of what it is given on a run of cue words.
    tail = _CUE_TAIL.sub("", text[-200:])[-80:]
    for _start, end, judgement in reversed(_cue_hits(tail)):
        if end == len(tail):
            return judgement
        break
    if re.search(r"(?i)\bthe\s+(?:service|authority|council)$", tail):
        return Judgement.OVERALL
    if re.search(r"(?i)\bthe\s+board$", tail) and _CUES[0][1].search(text):
        return Judgement.LSCB
    return None


# Words between a grade and the judgement it describes: "provides 'good' services for children
# in care", "the 'outstanding' quality of leadership", "'Outstanding' children's services
# leadership".
_OBJECT_LEAD = re.compile(
    r"(?i)^(?:(?:services?|support|provision)\s+(?:for|to)|(?:quality|standard)\s+of)\s+"
    r"(?:the\s+|its\s+|their\s+)?|^children'?s\s+(?:social\s+care\s+)?services\s+(?=leadership\b)"
)


def _cue_at(text: str) -> bool:
    """Whether a judgement cue starts ``text`` ("'outstanding' adoption services")."""
    head = re.sub(
        r"(?i)^(?:the|its|their)\s+(?=safeguarding|local\s+safeguarding|LSCB)",
        "",
        text.lstrip(" '\""),
    )
    head = _OBJECT_LEAD.sub("", head)
    return any(p.match(head) for _, p in _CUES)


def _clause_tail(text: str) -> str:
    parts = _CLAUSE.split(text)
    return parts[-1] if parts else text


def _clause_head(text: str) -> str:
    parts = _CLAUSE.split(text)
    return parts[0] if parts else text


_SERVICES_RATED = re.compile(
    r"(?i)(?:^|[,;:]\s+|\b(?:as|that|and|while|but)\s+)(?:the\s+|its\s+|their\s+)?"
    r"(?:children'?s\s+(?:social\s+care\s+)?services|services\s+provided\s+to\s+"
    r"(?:[\w-]+\s+){1,4}?|(?:the\s+)?services)\s*(?:is|are|was|were|has\s+been|have\s+been)\s+"
    r"(?:rated|judged|graded|assessed|found\s+to\s+be)\s+(?:as\s+)?['\"]?$|"
    # the active form: "..., rating services as 'requiring improvement'"
    r"\b(?:rating|judging|grading)\s+(?:the\s+|its\s+|their\s+)?(?:children'?s\s+)?services\s+"
    r"(?:as\s+|to\s+be\s+)?['\"]?$|"
    # "..., giving it a 'good' rating": the grade handed to the services (or the council)
    r"\b(?:giving|gave|given|awarding|awarded|handing|handed)\s+(?:it|them|the\s+(?:council|"
    r"authority|department|services?))\s+(?:an?\s+)?(?:overall\s+)?['\"]?$"
)
_OUTCOME_AREA = re.compile(
    r"(?i)\b(?:being\s+healthy|staying\s+safe|enjoying\s+and\s+achieving|making\s+a\s+positive\s+"
    r"contribution|(?:achieving\s+)?economic\s+well-?being)\b"
)
# The annual assessment's outcome area named after the grade: "assessed as inadequate in
# safeguarding", "good in staying safe" ("adequate for safeguarding" is the 2009-2012
# safeguarding inspection's overall grade, and "in safeguarding and looked after children"
# its scope)
_OUTCOME_AREA_AFTER = re.compile(
    r"(?i)['\"]?\s*(?:(?:in|for|on)\s+(?:the\s+)?staying\s+safe\b|in\s+safeguarding\b"
    r"(?!\s+(?:and|services|of|children|arrangements)\b))"
)
_LAC_EFFECTIVENESS = re.compile(
    r"(?i)\boverall\s+effectiveness\s+of\s+(?:the\s+)?(?:(?:council's\s+)?services\s+(?:for|to)\s+)?"
    r"(?:looked[\s-]after|children\s+in\s+care)\b"
)


_OVERALL_BEFORE = re.compile(r"(?i)\ban\s+overall\s+$")
_GIVES_TO = re.compile(r"(?i)\b(?:gave|give|gives|given|giving|awarded|handed)\b")
_RATING_NOT_FOR = re.compile(r"(?i)['\"]?\s*(?:rating|grade|judge?ment)\b(?!\s+(?:for|in)\b)")


def _judgements(
    before: str, after: str, whole_before: str, whole_after: str
) -> tuple[tuple[Judgement, ...], bool]:
    """The judgement(s) a grade belongs to, from the words around it."""
    head = re.sub(r"(?i)^(?:the|its|their)\s+", "", after.lstrip(" '\""))
    head = _OBJECT_LEAD.sub("", head)
    if (
        _ALL_FOUR.search(before)
        or _ALL_FOUR_AFTER.match(whole_after)
        or _ALL_FOUR_LEADS.search(whole_before)
    ):
        # "All four judgements were outstanding except care leavers, which was good"
        exception = _EXCEPT.match(whole_after)
        excluded = _chain(whole_after[exception.end() :]) if exception else ()
        return tuple(j for j in _EVERY_JUDGEMENT if j not in excluded), True
    listed_object = _listed_object(before, whole_after)
    if listed_object:
        return listed_object, True
    areas_of = _AREAS_OF.search(whole_before)
    if areas_of:
        # "in the three main judgement areas of children who need help and protection,
        # looked-after children, and leadership, the services were assessed as ...": those areas
        area_list = tuple(
            j for j in _chain(whole_before[areas_of.end() :]) if j is not Judgement.OVERALL
        )
        if len(area_list) >= 2:
            return area_list, True
    named_list = _ALL_AREAS_NAMED.match(whole_after)
    if named_list:
        # "good across all five areas of inspection, which are overall effectiveness, impact of
        # leaders, ...", "good ratings in each of the four main areas - the impact of leaders;
        # ...": every area, named
        # (a semicolon list's items may themselves be "children in care and care leavers")
        areas = _chain(_SEMICOLON.sub(" and ", whole_after[named_list.end() :]), limit=480)
        if len(areas) >= 2:
            # "inadequate in three areas: A; B; C" grades those; "all" areas include the overall
            overall = (Judgement.OVERALL,) if named_list.group("every") else ()
            return tuple(dict.fromkeys((*overall, *areas))), True
    if _SERVICES_RATED.search(before) and not _FORWARD_FOR.match(whole_after):
        # "..., as Children's Services is judged 'inadequate'", "the services provided to
        # families are rated as 'Good'": the services themselves are the subject, whatever
        # an earlier clause named ("the leadership of X Council", "and the LSCB")
        return (Judgement.OVERALL,), True
    if _OUTCOME_AREA.search(before) or _OUTCOME_AREA_AFTER.match(whole_after):
        # "Being healthy | grade 3 (good)": one of the annual assessment's five outcome areas,
        # which have no judgement of their own here
        return (), False
    if _LAC_EFFECTIVENESS.search(before):
        # "The overall effectiveness of services for looked-after children is adequate": the
        # 2009-2012 looked-after children judgement, not the overall grade
        return (Judgement.IN_CARE,), True
    dash = _LIST_AFTER.match(whole_after)  # "rated all areas outstanding - leaders, help ..."
    if dash and re.search(r"(?i)\ball\b", before):
        areas = tuple(j for j in _chain(whole_after[dash.end() :]) if j is not Judgement.OVERALL)
        if len(areas) >= 2:
            return (Judgement.OVERALL, *areas), True
    for judgement, pattern in _CUES:  # adjectival: "'outstanding' adoption services"
        if judgement is not Judgement.OVERALL and pattern.match(head):
            return (judgement,), True
    if (
        _OVERALL_BEFORE.search(before)
        and _RATING_NOT_FOR.match(whole_after)
        and not _GIVES_TO.search(before)
    ):
        # "Senior leaders are celebrating an overall 'good' rating": "overall" names the
        # judgement, whatever the clause named before it (not "gave leadership an overall
        # 'inadequate' rating", where the area is what the grade was given to)
        return (Judgement.OVERALL,), True
    if _FORMS_OVERALL_AFTER.match(whole_after) or _OVERALL_THEN_VERB.search(before):
        # "other areas were judged as requiring improvement, with this forming the overall
        # rating"; "children's services in Hull overall are rated as inadequate"
        return (Judgement.OVERALL,), True
    if _ALL_FOUR_AREAS_AFTER.match(whole_after):
        # "graded as requiring improvement in four key areas": every area, so the overall
        # grade (the framework has four judgements)
        return (Judgement.OVERALL,), False
    if (
        _SOME_AREAS_AFTER.match(whole_after)
        or _COUNT_SUBJECT.search(before)
        or (_COUNTED_BEFORE.search(before) and _GRADES_AFTER.match(whole_after))
    ):
        # "good in three areas and requires improvement in one"; "Out of 37 categories, 12 were
        # classed 'good'": a count of areas, not a judgement
        return (), False
    if _OTHERS_INCLUDING_OVERALL.match(whole_after):
        # "an 'outstanding' rating for leaders and a 'good' rating for all other areas,
        # including overall effectiveness"
        return (Judgement.OVERALL,), True
    forward = _FORWARD_FOR.match(whole_after)
    if forward:  # "good for leadership", "outstanding grades for X, for Y and for Z"
        found = _chain(_SEMICOLON.sub(" and ", whole_after[forward.end() :]))
        if found:
            return found, found != (Judgement.OVERALL,)
    if _COUNCIL_OBJECT.search(before):
        # "Turnover of senior leaders ... after an inspection grading the council 'inadequate'":
        # the council is what the verb grades, whatever the clause named before it
        return (Judgement.OVERALL,), False
    shared = _AS_WAS.match(whole_after)  # "leaders were inadequate, as was help and protection"
    extra = _chain(whole_after[shared.end() :]) if shared else ()
    found = _cues_in(before, first_only=False)
    direct = None if found else _cue_ending(whole_before)
    if direct is not None and not (direct is Judgement.OVERALL and _SOME_AREAS.search(before)):
        # "The impact of leaders: Requires improvement" (not "three areas of the service")
        found = (direct,)
    if extra and found:  # "children in care and care leavers were good, as was ..."
        shared_by = found if _coordinated(before) else found[-1:]
        return tuple(dict.fromkeys(shared_by + extra)), True
    if not found and _ACROSS_ALL.match(whole_after):
        return (Judgement.OVERALL,), False  # "deemed to require improvement across all areas"
    some = _SOME_AREAS.search(before)
    if (
        not found
        and some
        and not (
            re.search(r"(?i)\b(?:in|across|for)\s+$", before[: some.start()])
            and _LIST_VERB.search(before[some.end() :])
        )
    ):
        # "a number of areas were rated adequate": no judgement named ("... in four areas it
        # is no longer rated inadequate": the areas belong to an earlier clause)
        return (), False
    if re.search(r"(?i)\b(?:both|all|these|those|each)\b", before):
        before = whole_before  # "..., with inspectors rating both areas 'outstanding'"
        found = _cues_in(before, first_only=False)
    board = _WHICH_WAS.search(whole_before)
    if (
        not found
        and board
        and _cues_in(whole_before[: board.start()], first_only=False)[-1:] == (Judgement.LSCB,)
    ):
        # "An inspection of the safeguarding children board was held at the same time, which
        # was also given a 'good' rating": the board's grade, not the council's
        return (Judgement.LSCB,), True
    if not found and _THAT_AREA.search(before):
        # "children in care were well supported, grading that area good"
        found = _cues_in(whole_before, first_only=False)[-1:]
    if (
        re.search(
            r"(?i)\boverall\s+(?:effectiveness|judge?ment|grade|rating)\s+(?:was|is)\s+['\"]?$",
            before,
        )
        or re.search(
            # "with an overall classification of requires improvement", "as part of an overall
            # 'good' rating" (not "gave leadership an overall 'inadequate' rating")
            r"(?i)\boverall\s+(?:judge?ment|grade|rating|classification|verdict)\s+of\s+['\"]?$|"
            r"\b(?:part\s+of|with|and)\s+(?:an|the|its|their)\s+overall\s+['\"]?$",
            before,
        )
        or re.search(
            r"(?i)\boverall\s+effectiveness\s+of\b[^.;,]{0,80}?\s+(?:was|were|is|are)\s+['\"]?$",
            before,
        )
    ):
        # "because of X, the overall judgement was inadequate"; "the overall effectiveness of
        # the authority's child protection arrangements were inadequate"
        return (Judgement.OVERALL,), True
    specific = tuple(j for j in found if j is not Judgement.OVERALL)
    if (
        len(specific) >= 1
        and Judgement.OVERALL in found
        and _OVERALL_LISTED.search(before)
        and (re.search(r"\b(?:both|all|each)\b", before, re.IGNORECASE) or _coordinated(before))
    ):
        # "help and protection, children in care and overall effectiveness were all rated
        # good": the overall grade is one of the list
        return tuple(dict.fromkeys((Judgement.OVERALL, *specific))), True
    hits = _cue_hits(before)
    # the services named as a subject and "overall": "children's services overall"
    services = [
        h for h in hits if h[2] is Judgement.OVERALL and _SERVICES_OVERALL.match(before, h[1])
    ]
    last_specific = max((h[1] for h in hits if h[2] in specific), default=None)
    if (
        services
        and last_specific is not None
        and services[-1][0] > last_specific
        and _VERB_BETWEEN.search(before[last_specific : services[-1][0]])
    ):
        # "Children in care are benefiting from a good service despite children's services
        # overall still being rated 'requires improvement'": the judgements named first belong
        # to their own clause; the grade is that of the services "overall", named next to it
        return (Judgement.OVERALL,), True
    listed = _listed_after_verb(whole_before)
    if len(listed) >= 2 and specific and listed[-1] is specific[-1]:
        return listed, True  # "judged A, B, and C to be outstanding"
    if specific:
        if re.search(r"\b(?:both|all|each)\b", before, re.IGNORECASE) or _coordinated(before):
            return specific, True
        return (specific[-1],), True
    return (Judgement.OVERALL,), False


# "Inspectors have rated as 'outstanding' the council's leadership, ...": the object follows.
_VERB_JUST_BEFORE = re.compile(r"(?i)\b(?:rated|judged|graded|assessed)\s+(?:as\s+)?['\"]?$")
_OBJECT_AFTER = re.compile(r"(?i)['\"]?\s+(?:the|its|their)\s+")
# "The aspects requiring improvement included A, B and C": the areas the grade names.
_AREAS_BEFORE = re.compile(
    r"(?i)\b(?:areas?|aspects?|judge?ments?|categories)\s+(?:(?:rated|judged|graded)\s+)?(?:as\s+)?"
    r"['\"]?$"
)
_AREAS_ARE = re.compile(r"(?i)['\"]?\s*(?:were|are|was|is|included|includes|include)\s*:?\s+")
_AREAS_WORD = re.compile(r"(?i)\b(?:areas?|aspects?|judge?ments?|categories)\b")
_BRACKET_LIST = re.compile(r"['\"]?\s*\(\s*")
_AREAS_COLON = re.compile(r"(?i)['\"]?,?\s+(?:were|are|included|include|includes)\s*:\s*")
_OVERALL_IN = re.compile(r"(?i)\boverall\s+effectiveness\b")


_COUNCIL_OBJECT = re.compile(
    r"(?i)\b(?:rat|judg|grad|assess|deem|brand|label)\w*\s+(?:the|its|their)\s+(?:local\s+)?"
    r"(?:council|authority|borough|county)\s+(?:as\s+|to\s+be\s+)?['\"]?$"
)
_AREAS_OF = re.compile(
    r"(?i)\bin\s+(?:the|all|each\s+of\s+the)\s+(?:two|three|four|five|[2-5])\s+(?:[\w-]+\s+){0,2}?"
    r"areas\s+(?:of|for)\s+"
)


def _listed_object(before: str, whole_after: str) -> tuple[Judgement, ...]:
    """The judgements listed after a grade as what it grades: "rated as 'outstanding' the
    council's leadership, support for children in care and care leavers as well as its overall
    effectiveness", "The aspects requiring improvement included the impact of leaders, ..."."""
    if _VERB_JUST_BEFORE.search(before):
        lead = _OBJECT_AFTER.match(whole_after)
    elif _AREAS_BEFORE.search(before):
        lead = _AREAS_ARE.match(whole_after)
    elif _AREAS_WORD.search(before):
        # "The areas inspected, each of which were described as requiring improvement, were:"
        lead = _AREAS_COLON.match(whole_after)
    else:
        return ()
    if lead is None:
        # "three of the four main areas rated 'Good' (leadership, children in care and care
        # leavers, overall effectiveness)": the areas in brackets
        lead = _BRACKET_LIST.match(whole_after) if _AREAS_WORD.search(before) else None
    if lead is None:
        return ()
    listed = _SEMICOLON.sub(" and ", whole_after[lead.end() : lead.end() + 320])
    found = _chain(listed, limit=320)
    specific = tuple(j for j in found if j is not Judgement.OVERALL)
    if not specific:
        return ()
    # "children's services leadership" names leadership; only "overall effectiveness" adds it
    overall = (Judgement.OVERALL,) if _OVERALL_IN.search(listed) else ()
    return overall + specific


_OTHERS_INCLUDING_OVERALL = re.compile(
    r"(?i)\W{0,3}\s*(?:ratings?\s+|grades?\s+)?(?:for|in|across)\s+(?:all\s+)?(?:the\s+)?other\s+"
    r"(?:\w+\s+){0,2}?(?:areas|judge?ments|benchmarks|categories|aspects)\b[^.;]{0,60}?"
    r"\bincluding\s+(?:the\s+)?overall\s+effectiveness\b"
)
# "..., children in care and overall effectiveness were": the overall judgement named in a list
_OVERALL_LISTED = re.compile(
    r"(?i)(?:,|\band)\s+(?:the\s+)?overall\s+effectiveness\s+(?:were|are)\b"
)
_WHICH_WAS = re.compile(
    r"(?i),\s+which\s+(?:was|were|is|has\s+been)\s+(?:also\s+)?(?:given|rated|judged|graded|"
    r"awarded)\b[^,;]{0,40}$"
)
_OVERALL_NOUN = re.compile(r"(?i)\boverall\s+(?:judge?ment|effectiveness|rating|grade)\b")
_ACROSS_ALL = re.compile(
    r"(?i)\W{0,3}\s*(?:across|in|for)\s+(?:all|every)\s+(?:\w+\s+)?(?:areas?|judge?ments?|categories)"
)
_THAT_AREA = re.compile(
    r"(?i)\b(?:grad|judg|rat|scor)\w*\s+(?:that|this)\s+(?:area|judge?ment|aspect|part)\s+"
    r"(?:as\s+|to\s+be\s+)?['\"]?$"
)
_LIST_VERB = re.compile(r"(?i)\b(?:judged|rated|graded|found|considered|assessed)\b")


def _listed_after_verb(whole_before: str) -> tuple[Judgement, ...]:
    """The judgements listed as the object of the last rating verb: "Inspectors judged the
    impact of leaders, help and protection, and children in care to be ..."."""
    verbs = list(_LIST_VERB.finditer(whole_before))
    if not verbs:
        return ()
    return tuple(j for j in _chain(whole_before[verbs[-1].end() :]) if j is not Judgement.OVERALL)


_TOPIC_NOUN = re.compile(
    r"(?i)\s+(?:shortcomings|failings|failures|concerns|weaknesses|problems|issues|lapses|worries|"
    r"errors|delays|backlogs?|scandals?)\b"
)


# The 2009-2012 framework's name: "inspection of safeguarding and looked after children's
# services", "a rating for safeguarding and looked-after children services", "the report on
# the Safeguarding of Children in Care" name the inspection, not the looked-after judgement.
_INSPECTION_NAME = re.compile(r"(?i)\bsafeguarding\s+(?:and|of)\s+(?:the\s+)?$")


_UNDER = re.compile(r"(?i)\bunder\s+(?:the\s+|its\s+|new\s+)?(?:[\w-]+\s+)?$")


def _cue_hits(text: str) -> list[tuple[int, int, Judgement]]:
    """Non-overlapping judgement cues in ``text``, by position (earlier cues in _CUES win)."""
    hits: list[tuple[int, int, Judgement]] = []
    for judgement, pattern in _CUES:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e, _ in hits):
                continue
            if _TOPIC_NOUN.match(text, m.end()):
                continue  # "child protection shortcomings": a topic, not the judgement graded
            if judgement is Judgement.LEADERS and _UNDER.search(
                text[max(0, m.start() - 30) : m.start()]
            ):
                continue  # "Under Conservative leadership, the council ...": who runs it
            if _INSPECTION_NAME.search(text[max(0, m.start() - 60) : m.start()]):
                continue  # "the inspection of safeguarding and looked after children's services"
            split = _IN_CARE_AND_LEAVERS.fullmatch(m.group(0))
            if split and text[: m.start()].rstrip().endswith(","):
                # "..., children in care and care leavers": two items of a list, not the
                # 2018-2022 combined judgement.
                hits.append((m.start(), m.start() + split.end(1), Judgement.IN_CARE))
                hits.append((m.start() + split.start(2), m.end(), Judgement.CARE_LEAVERS))
            else:
                hits.append((m.start(), m.end(), judgement))
    return sorted(hits)


def _chain(text: str, limit: int = 240) -> tuple[Judgement, ...]:
    """The cues listed at the start of ``text``: "care leavers", "children in care, and for
    care leavers", "the experiences and progress of children who need help and protection"."""
    found: list[Judgement] = []
    position = 0
    for start, end, judgement in _cue_hits(text[:limit]):
        if not _LIST_GAP.fullmatch(text[position:start]):
            break
        found.append(judgement)
        position = end
    return tuple(dict.fromkeys(found))


def _cues_in(text: str, *, first_only: bool) -> tuple[Judgement, ...]:
    """Judgement cues in ``text`` in order of position (the first one only, if asked)."""
    ordered = tuple(dict.fromkeys(judgement for _, _, judgement in _cue_hits(text)))
    return ordered[:1] if first_only else ordered


def _coordinated(before: str) -> bool:
    """Whether the cues before a grade form one list ("adoption support and care leavers")."""
    specific = [h for h in _cue_hits(before) if h[2] is not Judgement.OVERALL]
    if len(specific) < 2:
        return False
    between = before[specific[-2][1] : specific[-1][0]]
    if _VERB_BETWEEN.search(between):
        return False  # "children in care received good support and the impact of leaders"
    # quotes allowed: "rated 'impact of leaders ...' and 'experiences of children in care' as"
    return bool(
        re.fullmatch(
            r"[\w\s'\"]{0,25}?,?\s*\b(?:and|&)\b[\w\s'\"]{0,40}|\s*['\"]?,\s*['\"]?", between
        )
    )


_SERVICES_OVERALL = re.compile(r"(?i)\s+overall\b")
_VERB_BETWEEN = re.compile(
    r"(?i)\b(?:was|were|is|are|has|have|had|received?|receives|got|gets|remain\w*)\b"
)


_NOW_RELATIVE = re.compile(
    r"(?i)\b(?:now|this\s+week|today|newly|(?:has|have)\s+(?:now\s+|just\s+)?been\s+(?:re-?)?"
    r"(?:rated|judged|graded))\b"
)


def _background_clause(whole_before: str) -> bool:
    """Whether the grade sits in a relative clause about a council ("Islington, which is rated
    outstanding"), not one about a judgement ("care leavers, which were judged good")."""
    relative = _RELATIVE.search(whole_before)
    if relative is None or _ONE_OF.search(whole_before):
        return False
    if _NOW_RELATIVE.search(whole_before[relative.start() :]):
        return False  # "Halton, which is now rated good": the relative clause carries the news
    if _REFLECTED_IN.search(whole_before[relative.start() :]):
        # "areas for improvement, which is reflected in the judgement of": the clause is about
        # the finding, and the grade is this inspection's
        return False
    cue = _cue_ending(whole_before[: relative.start()])
    return cue is None or cue is Judgement.OVERALL


# "another inadequate rating", "a repeat 'inadequate'", "back-to-back inadequate ratings"
_REPEAT_BEFORE = re.compile(
    r"(?i)\b(?:another|repeat(?:ed)?|back[\s-]to[\s-]back|(?:second|third)\s+(?:consecutive|successive)|"
    r"consecutive|successive)\s+['\"]?$"
)
# "For the third consecutive time, X was rated ...": a repeat, anywhere before in the clause
# ("for the second time in six years" need not be the last grade again).
_REPEAT_TIME = re.compile(
    r"(?i)\bfor\s+(?:a|the)\s+(?:second|third|fourth|fifth)\s+(?:consecutive\s+|successive\s+)?"
    r"time\b(?!\s+(?:in|since)\b)"
)
_LIFTED_AFTER = re.compile(
    r"(?i)['\"]?\s*(?:(?:label|rating|tag|status|grade|judge?ment)\s+)?(?:has\s+been\s+|was\s+|is\s+|"
    r"will\s+be\s+)?(?:lifted|removed|shed|scrapped|overturned)\b"
)
_BETTER_THAN = re.compile(
    r"(?i)\W*(?:(?:but|and)\s+)?(?:(?:is|are|was|were)\s+)?(?:\w+\s+)?(?:better|worse)\s+than\b"
)
# Minutes report what was said: "the outcome of the inspection had been a judgement of".
_OUTCOME_BEFORE = re.compile(
    r"(?i)\b(?:outcome|result|conclusion|verdict|finding|judge?ment)s?\b[^.;]{0,50}$"
)
# A sentence that opens with a span of years in the past tense, then turns to the present.
_DURATION_BEFORE = re.compile(
    r"(?i)\W*for\s+(?:over\s+|more\s+than\s+|nearly\s+|almost\s+|the\s+(?:past|last)\s+)?"
    r"(?:a\s+decade|decades|(?:\w+\s+)?years)\b[^.;]{0,80}?\b(?:was|were)\s+(?:rated|judged|"
    r"graded|deemed|found\s+to\s+be)\s+(?:as\s+)?['\"]?$"
)
_LATER_CONTRAST = re.compile(
    r"(?i)^['\"]?,?\s+(?:but|and|while|whereas|until)\b[^.;]{0,60}?\b(?:now|this\s+year|latest|"
    r"(?:has|have)\s+(?:now\s+)?been|today)\b"
)
# "rated inadequate for the past eight years", "rated as requiring improvement since 2016":
# a grade held for a while ("the first time it has been rated good since 2011" is not).
_DURATION_AFTER = re.compile(
    r"(?i)\W{0,3}\s*(?:\w+\s+){0,2}?(?:for\s+(?:the\s+(?:past|last)\s+|more\s+than\s+|over\s+)?"
    r"(?:a\s+|\w+\s+)?(?:years|decades?)|since\s+(?:[A-Za-z]+\s+)?(?:19|20)\d\d)\b"
)
_FIRST_TIME = re.compile(r"(?i)\bfirst\s+time\b")
_NEXT_INSPECTION = re.compile(
    r"(?i)\W{0,3}\s*(?:\w+\s+){0,3}?(?:at|by|in|from)\s+(?:the|its|their)\s+next\s+(?:\w+\s+)?inspection"
)
_APPOSITIVE_BEFORE = re.compile(r"(?i),\s+(?:rated|judged|graded|deemed)\s+(?:as\s+)?['\"]?$")
_APPOSITIVE_AFTER = re.compile(
    r"(?i)['\"]?(?:\s+by\s+(?:ofsted|inspectors|the\s+\w+))?(?:\s+in\s+(?:[A-Z][a-z]+\s+)?\d{4})?\s*,"
)
_REPORT_RELATIVE = re.compile(
    r"(?i)\b(?:follow(?:s|ing)|after|since|in\s+response\s+to|update\s+on)\s+(?:an?|the|its|their)\s+"
    r"(?:[\w']+\s+){0,3}?(?:report|inspection)\b[^.;,]{0,40},?\s+(?:which|that)\s+(?:had\s+)?"
    r"(?:judged|rated|graded|found)\b[^.;]{0,80}$|"
    # "progress since the full inspection in May 2023, where an overall judgement of good was
    # achieved": the grade progress is counted from
    r"\bsince\s+(?:an?|the|its|their)\s+(?:[\w']+\s+){0,3}?(?:report|inspection)\b[^.;,]{0,40},?\s+"
    r"(?:where|when|in\s+which|at\s+which)\b[^.;]{0,80}$"
)
_INTERVENTION = (
    r"(?:statutory\s+direction|improvement\s+notice|commissioner|government\s+adviser|"
    r"intervention|direction|(?:improvement\s+)?board\s+(?:was\s+)?(?:set\s+up|established|formed)|"
    r"lose\s+control|stripped\s+of|taken\s+(?:away|over)|"
    r"(?:was|were)\s+(?:set\s+up|established|appointed|brought\s+in))"
)
_CAUSE_OF = re.compile(
    rf"(?i)\b{_INTERVENTION}\b[^.;]{{0,80}}?\b(?:after|following|because|since)\s+"
    r"(?:ofsted|inspectors|the\s+inspectorate|the\s+watchdog|it|they|its|their|the)\b[^.;]{0,60}$"
)
_WHO_LED = re.compile(
    r"(?i)\bwho\s+(?:\w+\s+){0,2}?(?:led|took|steered|guided|helped|oversaw)\b[^.;,]{0,60}$|"
    # "having previously led Sunderland children's services from inadequate to outstanding"
    r"\b(?:having|after)\s+(?:\w+\s+){0,2}?(?:led|leading|taken|taking|steered|steering|guided|"
    r"guiding|overseen|overseeing)\b[^.;,]{0,60}$"
)
_LEADS_TO = re.compile(
    r"(?i)['\"]?(?:\s+by\s+\w+)?(?:\s+in\s+\w+(?:\s+\d{4})?)?,?\s+(?:prompting|leading\s+to|"
    r"which\s+led\s+to|triggering|resulting\s+in)\b"
    # "resulting in the same grading for the service overall": a grade follows, not a sequel
    r"(?!\s+(?:the\s+|an?\s+)?(?:same\s+|overall\s+|similar\s+)?(?:grad\w*|rating|judge?ment))"
)
_EACH_AREA = re.compile(
    r"(?i)\b(?:areas?|judge?ments?|categories)\b[^.;,]{0,30},?\s+(?:each|all|both|every\s+one)\s+of\s+$"
)
_NOT_RATED = re.compile(
    # "cannot yet be rated as good": a grade not reached
    r"(?i)(?:\b(?:not|never|no\s+longer)|\bcan(?:no|')t)\s+(?:yet\s+)?(?:been\s+|be\s+)?"
    r"(?:rated|judged|graded|found)\s+"
    r"(?:as\s+|to\s+be\s+)?['\"]?$|"
    # "the visit does not change the service's 'inadequate' status": the grade it leaves alone
    r"\b(?:does|did|will|would|do)\s+not\s+(?:change|alter|affect)\s+(?:the\s+|its\s+|their\s+)?"
    r"(?:[\w']+\s+){0,3}['\"]?$"
)
_LAST_FOUND = re.compile(
    r"(?i)\b(?:last|previous|prior|earlier)\s+(?:full\s+)?(?:inspection|report|visit)\b[^.;]{0,40}?"
    r",?\s+(?:which|that|when\s+(?:it|they|inspectors))\s+(?:had\s+)?(?:found|rated|judged|said)\b"
    r"[^.;]{0,40}$"
)


_AFTER_BEING = re.compile(
    r"(?i),\s+(?:after|since)\s+being\s+(?:(?:found|judged|rated|graded|deemed)\s+)?"
    r"(?:to\s+be\s+|to\s+|as\s+)?['\"]?$"
)


_REPORTED_THAT = re.compile(
    r"(?i)\b(?:explain\w*|said|says|told|report\w*|announc\w*|confirm\w*|noted|informed)\b"
    r"[^.;]{0,40}?\bthat\b"
)


# "within the council's", "at its": the labelled services are what the sentence is about
# ("failures within ..."), not its headline subject ("X's 'outstanding' children's services")
_LABEL_BEFORE = re.compile(
    r"(?i)\b(?:within|of|in|at|for|by|from|on|about|into|to|across)\s+(?:(?:the\s+)?"
    r"(?:[\w-]+\s+){0,2}?[\w-]+(?:'s|s')|its|their)\s+['\"\u2018\u201c]?$"
)
_LABELLED_SERVICES = re.compile(
    r"(?i)^['\"\u2019\u201d]?\s+(?:children'?s\s+)?(?:social\s+care\s+)?(?:services|department)\b"
)


def _role(before: str, after: str, follows_from: bool, whole_before: str = "") -> Role:
    if follows_from and re.search(r"\bto\s+(?:an?\s+|the\s+)?['\"]?$", before, re.IGNORECASE):
        return Role.CURRENT  # "from inadequate to requires improvement": the second is current
    if _FROM_TO.search(before[-40:]) or _background_clause(whole_before):
        return Role.PREVIOUS
    if _APPOSITIVE_BEFORE.search(before[-40:]) and _APPOSITIVE_AFTER.match(after):
        # "Wigan's children's services, rated inadequate by Ofsted, remain under ...": the
        # standing grade in an aside.
        return Role.PREVIOUS
    if _REPORT_RELATIVE.search(whole_before[-200:]) or (
        _CAUSE_OF.search(whole_before[-160:])
        and not re.search(r"(?i)\b(?:days?|weeks?|a\s+month)\s+after\b", whole_before[-160:])
    ):
        # "the update following the inspection in 2022, which judged X inadequate"; "a
        # direction was issued after Ofsted judged X inadequate": the grade behind the news.
        return Role.PREVIOUS
    if _WHO_LED.search(whole_before[-120:]):
        return Role.PREVIOUS  # "the director, who led the service to an outstanding rating,"
    if _AFTER_BEING.search(whole_before[-60:]):
        # "..., after being found to require improvement": the clause split drops the "after"
        # that "after being" marks in one clause
        return Role.PREVIOUS
    if _LEADS_TO.match(after):
        return Role.PREVIOUS  # "rated inadequate in March, prompting a commissioner"
    if _LABEL_BEFORE.search(before[-50:]) and _LABELLED_SERVICES.match(after):
        # "failures within the council's 'inadequate' children's services": the grade as the
        # services' standing label, not a rating the sentence reports
        return Role.PREVIOUS
    if _NOT_RATED.search(before[-60:]) or _LAST_FOUND.search(whole_before[-160:]):
        # "has not been rated inadequate for the first time in a decade"; "the last
        # inspection in 2018, which found that they required improvement"
        return Role.PREVIOUS
    if _ONE_OF.search(whole_before):  # "one of few councils whose services are rated"
        before = _ONE_OF.split(before)[-1]
    markers = [
        m
        for m in _PREVIOUS_BEFORE.finditer(before)
        if not (m.group(0).lower() == "had been" and _OUTCOME_BEFORE.search(before[: m.start()]))
        # "explaining that ... services had been judged 'good'": reported speech backshifts
        # "have been", so it is this item's news, not an earlier grade
        and not (m.group(0).lower() == "had been" and _REPORTED_THAT.search(whole_before))
        and not (
            m.group(0).lower().startswith("after being")
            and re.match(r"(?i)\s+(?:just\s+|only\s+)?one\s+of\b", before[m.end() :])
        )
        # "the experiences and progress of children in care which was awarded": a relative
        # clause about a judgement, not the council's history
        and not (
            m.group(0).lower().startswith("which")
            and (
                _cue_ending(before[: m.start()].rstrip(" ,")) not in (None, Judgement.OVERALL)
                # "The areas inspected, each of which were described as ...": the areas
                or _EACH_AREA.search(before[: m.start()]) is not None
            )
        )
    ]
    if (
        markers
        and not _NOW.search(before[markers[-1].end() :])
        and not _MAIN_CLAUSE.search(before[markers[-1].end() :])
    ):
        return Role.PREVIOUS
    if _SAME_AS.match(after):  # "good, the same as at the last inspection"
        return Role.RETAINED
    if _LIFTED_AFTER.match(after):
        return Role.PREVIOUS  # "Sefton's 'inadequate' label lifted"
    if (
        _PREVIOUS_AFTER.match(after)
        and not _MARKS_NEXT.search(after)
        and not _BETTER_THAN.match(after)  # "requires improvement, but better than 2015's"
    ):
        return Role.PREVIOUS
    if _CHANGED_TO.search(before[-80:]):
        return Role.CURRENT  # "uplifted its rating again, to good": a change, not a repeat
    if (
        _RETAINED.search(before[-50:])
        or _RETAINED_AFTER.match(after)
        or _repeated_in_a_row(after)
        or _REPEAT_BEFORE.search(before[-40:])
        or _REPEAT_TIME.search(before)
        or _KEPT_BEFORE.search(before[-60:])
        or _SAME_GIVEN_AFTER.match(after)
    ):
        return Role.RETAINED
    return Role.CURRENT


_WHEN_YEAR = re.compile(
    r"(?i)\bwhen\b[^.;]{0,60}?\b((?:19|20)\d\d)\b|"
    r"\b(?:since|after|in|at)\s+(?:the\s+|its\s+)?((?:19|20)\d\d)(?:'s)?\s+inspection\b"
)
# "saw X hold their judgement of good", "services still 'require improvement'": kept.
_KEPT_BEFORE = re.compile(
    r"(?i)\b(?:(?:hold|holds|holding|held)\s+(?:on\s*to\s+)?(?:its|their|the)\s+(?:(?:judge?ment|"
    r"rating|grade)\s+of\s*['\"]?|(?:overall\s+)?['\"]?)|"
    r"still\s+(?:being\s+)?(?:rated|judged|graded)\s+(?:as\s+)?['\"]?)$"
)
_STILL = re.compile(r"(?i)\b(?:still|(continu(?:e|es|ed|ing)\s+to))\s+$")
# "..., finding no overall improvement since the same rating was given in 2019": kept.
_SAME_GIVEN_AFTER = re.compile(
    r"(?i)^[^.;]{0,100}?\bsince\s+the\s+same\s+(?:rating|grade|judge?ment)\s+(?:was|were)\s+"
    r"(?:given|awarded|received)\b"
)
_TO_BEFORE = re.compile(r"(?i)\bto\s+(?:an?\s+|the\s+)?['\"]?$")
# A verb of change just before the second grade of a sentence: "which was upped to", "before
# being lowered to", "and has since risen to".
_MOVED_TO = re.compile(
    r"(?i)\b(?:upped|raised|upgraded|improved|lifted|boosted|moved|rose|risen|"
    r"climbed|lowered|downgraded|dropped|fell|fallen|slipped|slumped)\s+(?:it\s+|them\s+)?"
    r"(?:up\s+|down\s+)?(?:to|into)\s+(?:an?\s+|the\s+)?(?:(?:overall\s+)?(?:rating|grade|"
    r"judge?ment)\s+of\s+)?['\"]?$"
)
_CHANGED_TO = re.compile(
    r"(?i)\b(?:uplift\w*|upgrad\w*|downgrad\w*|rais\w*|lift\w*|improv\w*|boost\w*|lower\w*|"
    r"cut|moved|rose|risen|fell|fallen|dropped|slipped)\b[^.;]{0,60}?,?\s+(?:up\s+|down\s+)?"
    r"(?:to|into)\s+(?:an?\s+|the\s+)?['\"]?$"
)


# "Salford's services, rated good at the last inspection in 2021, were found to be
# outstanding": the history was a parenthesis; the main clause's verb comes after it.
_MAIN_CLAUSE = re.compile(
    r"(?i)^[^,]*,\s+(?:were|was|is|are|has\s+been|have\s+been|remains?|remained)\s+(?:\w+\s+){0,3}$"
)
_NOW_AFTER_YEAR = re.compile(r"(?i)\b(?:now|today|this\s+year|latest|since\s+then)\b")
_YEAR_AFTER = re.compile(
    r"(?i)^\W{0,3}\s*(?:[a-z'-]+\s+){0,5}?(?:in|during|since|from|of|between)\s+(?:[A-Za-z']+\s+)?"
    r"((?:19|20)\d\d)\b|^\W{0,3}\s*\(((?:19|20)\d\d)\)|"
    # "an 'outstanding' rating for safeguarding and looked-after children services in 2012"
    r"^['\"]?\s+(?:rating|grade|judge?ment)s?\s+for\s+(?:[a-z'-]+\s+){1,6}?in\s+((?:19|20)\d\d)\b"
)


# "In 2017, the council came out of special measures, but inspectors ruled ...": a year that
# opens the sentence dates all of it; "a visit at the end of 2023, who deemed ...": a dated
# event whose relative clause gives the grade.
_OPENING_YEAR = re.compile(
    r"(?i)^\W*(?:in|by|during|at\s+the\s+(?:end|start|beginning)\s+of)\s+(?:[a-z]+\s+)?"
    r"((?:19|20)\d\d)\s*,"
)
_YEAR_THEN_RELATIVE = re.compile(r"(?i)\b((?:19|20)\d\d),\s+(?:who|which)\s+[^.;,]{0,80}$")


_KEPT_SINCE = re.compile(
    r"(?i)^\W{0,3}\s*(?:[a-z']+\s+){0,4}?since\s+(?:[A-Za-z]+\s+)?(?:19|20)\d\d\b"
)


def _sentence_year(head: str) -> int | None:
    """The year that dates everything before a grade in its sentence (see above), unless the
    sentence turns to the present after it ("In 2019 it was inadequate; now it is good")."""
    hit = _OPENING_YEAR.match(head) or _YEAR_THEN_RELATIVE.search(head[-160:])
    if hit is None:
        return None
    rest = head[hit.end() :] if hit.re is _OPENING_YEAR else ""
    if _NOW_AFTER_YEAR.search(rest) or _GRADE.search(rest):
        return None
    return int(hit.group(1))


def _year_near(before: str, after: str) -> int | None:
    """A year stated next to a grade: "in 2019", "2012's", "(2016)"."""
    hit = _YEAR_AFTER.match(after)
    if hit is None:
        years = list(_YEAR.finditer(before))
        hit = years[-1] if years else None
        if hit is not None and _NOW_AFTER_YEAR.search(before[hit.end() :]):
            return None  # "rated inadequate between 2010 and 2011 that has now improved to good"
    if hit is None:
        return None
    return int(next(g for g in hit.groups() if g) if hit.re is _YEAR_AFTER else hit.group(0))
