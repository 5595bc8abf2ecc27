"""News text -> rating events: which council, which grades, up or down from what.

Decided per statement. Each grade mention (``grades``) gets its subject, its judgement and its
time: the council named before it in the sentence, else the list after it ("the councils
rated poor were: A, B and C"), else the council the story was last about (or, on a council's
own site, the publisher); a clause about another subject (a school, the CQC) drops it; its
time is current, previous (a year before the item's, "up from", "which was", "it follows a
report which judged"), kept ("remains", "another inadequate rating") or a hope ("to be
good at the next inspection"). A council yields an event only when the item states a current
grade for it; its previous grade is the one the item sets against that grade (or a dated
earlier one the latest replaced), and a change stated in words without one ("improved on
its last result", "for the first time") is kept as the event's stated change. The opening
of the story only sets how much an unmarked grade is trusted (``relevance.Mode``): in a story
that opens with something else, a grade still counts when its own sentence reports it as
news, states a judgement as a report does, or lists the members of a group already
reported. Every event keeps the sentences it rests on as evidence.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import dataclass, field
from datetime import date

from monitor.councils import CouncilRegistry, load_councils
from monitor.models import (
    ILACS_FROM,
    OVERALL_REMOVED_ON,
    SIF_FROM,
    Classification,
    Council,
    Direction,
    Evidence,
    Framework,
    Grade,
    Grades,
    Judgement,
    RatingEvent,
)
from monitor.ukdates import FULL_NAMES as MONTH_NAMES
from monitor.ukdates import month_number

from .gazetteer import Mention, gazetteer
from .grades import GradeMention, Role, find_grades, judgement_label, judgement_labels
from .relevance import Mode, about_other_subject, article_mode, names_childrens_services
from .sentences import Sentence, split_sentences

# A council named as a partner, neighbour or comparison is not the subject of a rating.
_PARTNER_BEFORE = re.compile(
    r"(?:neighbou?r\w*|partner\w*[,:]?|supported\s+by|support\s+from|help\s+from|such\s+as|like|"
    r"work(?:s|ed|ing)?\s+(?:closely\s+)?with|team\w*\s+up\s+with|paired\s+with|"
    r"unlike|alongside|mentor\w*|peers?|than|compared\s+(?:with|to)|joining|joins|joined|include|"
    r"includes|including|among|behind|ahead\s+of|"
    r"worked\s+(?:at|for)|formerly\s+(?:at|of)|previously\s+(?:at|of)|moved\s+from|"
    r"came\s+from|comes\s+from|left|leaving|,\s*after|"
    # a helper, not the council graded: "staff brought in from X", "an arrangement with X"
    r"(?:brought|drafted|called|sent)\s+in\s+from|seconded\s+from|on\s+loan\s+from|"
    r"(?:arrangement|agreement|deal|contract)\s+with|"
    # "shared services with X", "services shared with X"
    r"shar(?:e|es|ed|ing)\s+(?:[\w-]+\s+){0,3}?with)"
    r"\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
# "services delivered on the council's behalf by Achieving for Children": the agent.
_AGENT_BEFORE = re.compile(
    r"(?i)\b(?:delivered|run|provided|operated|managed)\b[^.;]{0,40}?\bby\s+(?:the\s+)?"
    r"(?:[\w'-]+\s+){0,3}$"
)
_PARTNER_AFTER = re.compile(
    r"^(?:'s)?,?\s+(?:(?:its|their|a|the)\s*)?(?:neighbou?r\w*|partner\w*|improvement\s+partner|"
    r"which\s+(?:is\s+)?(?:supporting|helping|mentoring)|who\s+(?:is|are)\s+supporting|"
    # "X would take over children's services on the Isle of Wight": the council brought in
    r"(?:\w+\s+){0,2}?(?:take|takes|took|taken|taking)\s+over\s+(?:[\w'-]+\s+){0,4}?"
    r"(?:services|running|management)\b)",
    re.IGNORECASE,
)
# Authorities replaced by others (DfE codes): an item that names the successor is written after
# the change, so the predecessor it names is history ("the split from Cumbria County Council").
_SUCCESSORS: dict[str, tuple[str, ...]] = {
    "909": ("942", "943"),  # Cumbria -> Cumberland, Westmorland and Furness (2023)
    "928": ("940", "941"),  # Northamptonshire -> North and West Northamptonshire (2021)
    "836": ("839",),  # Poole -> Bournemouth, Christchurch and Poole (2019)
}
# When the predecessors ceased: an item published later that names one means its successors
# ("Northamptonshire's children's trust", written in 2022, is North and West Northamptonshire's).
_ABOLISHED: dict[str, date] = {
    "909": date(2023, 4, 1),
    "928": date(2021, 4, 1),
    "836": date(2019, 4, 1),
}
# Wording of the post-April-2026 framework, which gives no overall effectiveness grade.
_NO_OVERALL = re.compile(
    r"(?i)\b(?:no\s+(?:longer\s+)?(?:gives?\s+|awards?\s+)?(?:an?\s+|a\s+single\s+|single\s+)?"
    r"overall|(?:stopped|stop|ceased|without)\s+(?:giving\s+|awarding\s+)?(?:an?\s+|a\s+single\s+)?"
    r"overall|(?:scrapp\w+|abolish\w+|remov\w+|end(?:s|ed|ing)?)\s+(?:of\s+)?(?:the\s+)?"
    r"(?:single\s+|single-word\s+)?overall)"
    # "finding no overall improvement since 2019" is prose, not the reform
    r"(?!\s+(?:improvement|change|progress|difference|increase|decrease|effect|impact)\b)"
)
# An item that mentions the reform but says its inspection came before it.
_OLD_RULES = re.compile(
    r"(?i)\b(?:before\s+the\s+change|under\s+the\s+old\s+(?:arrangements|rules|framework)|"
    r"(?:one\s+of\s+the|among\s+the)\s+last\s+(?:inspections\s+|councils\s+)?to\s+"
    r"(?:give|receive|be\s+given|get)\b)"
)
# "a new report" is every report; only a new framework or "new-style" report names the reform.
_NEW_FRAMEWORK = re.compile(
    r"(?i)\b(?:(?:revised|new|reformed|updated)\s+(?:inspection\s+|ilacs\s+)?(?:framework|rules)|"
    r"new[\s-]+style\s+(?:reports?|inspections?))\b"
)
_GROUP_SUBJECT = re.compile(
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|several|\d+|the\s+number\s+of)\s+(?:more\s+|other\s+|further\s+|english\s+)?"
    r"(?:councils|local\s+authorit(?:y|ies)\s+areas|local\s+authorities|authorities|areas|"
    r"boroughs|counties)\b",
    re.IGNORECASE,
)
_PRONOUN_SUBJECT = re.compile(
    r"\W*(?:it|its|they|their|the\s+(?:council|authority|local\s+authority|borough|county|"
    r"city\s+council|county\s+council|service|services|trust))\b",
    re.IGNORECASE,
)
# Since January 2023 care leavers are a judgement of their own.
_CARE_LEAVERS_SEPARATE = 2023
_COMBINED = re.compile(r"(?i)children\s+in\s+care\s+and\s+care[\s-]leavers")
# What joins a grade to the list of councils it heads: "rated poor were:", "rated good are".
_LIST_FOLLOWS = re.compile(
    # "have excellent ratings: A; B; C"
    r"['\"]?\s*(?:(?:ratings|grades)\s*(?=:))?"
    r"(?:(?:by\s+ofsted|this\s+year|in\s+\d{4}|overall)\s*)?(?:,\s*)?"
    r"(?:(?:are|were|include[sd]?|including)\s*:?|:)\s*(?:the\s+)?"
)
# A grade reported as the latest news, against one dated earlier in the same item.
_LATEST = re.compile(
    r"(?i)\b(?:latest|most\s+recent|new\s+(?:report|inspection|rating)|this\s+(?:year|week|month)|"
    r"now|has\s+(?:uplifted|upgraded|raised|improved|lifted|downgraded|lowered|cut)|"
    r"improved\s+(?:rating|grade|judge?ment)|upgraded\s+to|downgraded\s+to|"
    # "rated inadequate in 2015" then "Almost three years on, inspectors rated ...": later
    r"(?:years?|months?)\s+(?:on|later)(?=\s*(?:,|and|inspectors|ofsted|the)))\b"
)
_GROUP_MEMBER = re.compile(
    r"(?i)\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+)\s+"
    r"(?:[\w-]+\s+){0,3}?(?:councils|authorities|areas|boroughs|counties)\b\s*[,(]?\s*"
    r"(?:including|among\s+them)\s+$"
)
_PARTNERSHIP_BETWEEN = re.compile(
    r"(?i)\b(?:partnership|arrangement|agreement|collaboration)\s+(?:between|of)\s+[^.;:]{0,90}$"
)
_OPENS_INCLUDING = re.compile(r"(?i)\W*(?:including|among\s+them)\s+[^,;:.]{0,80}")
# "X has joined 19 other authorities, including": the group a council joins already holds
# the grade; its members are named as comparisons.
_JOINED_GROUP = re.compile(
    r"(?i)\bjoin(?:s|ed|ing)\s+(?:\w+\s+){0,3}?(?:councils|authorities|areas|boroughs|"
    r"counties)\b[^.;:]{0,30}?\b(?:including|among\s+them|such\s+as|like)\s+[^.;:()]{0,80}$"
)
# "a flurry of 'outstanding' ratings released today ..., in X, Y and Z": a plural grade
# handed to the list that follows it.
_RATINGS_FOR = re.compile(
    r"['\"]?\s+(?:ratings|grades|judge?ments)\b[^.;:]{0,80}?,?\s+(?:in|for|to|at)\s+(?:the\s+)?"
)
_ALSO = re.compile(r"(?i)\b(?:also|too|as\s+well|likewise)\b")
# A grade right after a partner's name, in an aside or relative clause, is the partner's.
_PARTNERS_OWN = re.compile(
    r"(?i)(?:'s)?,?\s*(?:(?:which|who|that)\s+(?:is|are|was|were|has\s+been|have\s+been)\s+)?"
    r"(?:also\s+|both\s+|currently\s+|itself\s+)?(?:rated|judged|graded)\s+(?:as\s+)?['\"]?"
)
_RELATIVE_START = re.compile(r"\s*(?:which|who|whose|that)\b", re.IGNORECASE)
_PLURAL = re.compile(r"\b(?:councils|authorities|areas|boroughs|counties)\b", re.IGNORECASE)
# A sentence about councils in general or about the grading itself, not about one council.
# "Seven inspections were carried out within the region, with only A and B receiving a good
# rating": a tally of the region's (or the country's) inspections, naming no one's news
_TALLY = re.compile(
    r"(?i)\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+inspections\s+"
    r"(?:were|have\s+been|had\s+been)\s+(?:carried\s+out|completed|conducted|held|published)\b"
)
_GENERAL = re.compile(
    r"(?i)\b(?:councils|authorities|boroughs|counties|framework|regime|scale|system|"
    # "areas", but not a report's "areas for further improvement"
    # "four key areas", "all areas were judged good": the judgements
    r"(?<!key\s)(?<!main\s)(?<!all\s)(?<!four\s)(?<!five\s)"
    r"areas(?!\s+(?:for|of)\s+(?:\w+\s+)?(?:improvement|development|concern|"
    r"strength|weakness))|"
    r"reclassif\w+|recast|replaced|settings|schools|centres|providers|homes|nurseries|"
    # "Seven of these were rated inadequate", "The remaining ten were rated good": a count
    r"(?:many|some|most|all|none|several|few|\d+|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve)\s+of\s+(?:the|these|those|them)|"
    r"the\s+(?:remaining|other)\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten)|"
    # "the proportion of services rated excellent has doubled": a national figure
    # ("a number of improvements" is only "several")
    r"(?:proportion|percentage|share)\s+of|the\s+number\s+of|"
    # "A notice is generally issued after an inspection grades services inadequate": what
    # usually happens, a definition, not any council's grade
    r"generally|usually|typically|normally|commonly|ordinarily)\b"
)
# "the Greater Manchester borough", "since its last inspection": one council, not councils in
# general, whatever else the sentence says about the framework.
_ONE_COUNCIL = re.compile(
    r"\bits\s+(?:last|previous|most\s+recent)\s+(?:full\s+)?(?:[Oo]fsted\s+)?inspection\b|"
    r"\bwhen\s+it\s+was\s+(?:last\s+)?(?:rated|judged|found|graded|deemed)\b|"
    r"\bthe\s+(?:[A-Z][\w-]*\s+){1,3}(?:borough|council|county|city|authority)\b"
)
_LOCATION = re.compile(r"(?:,|\()\s*(?:in|near|across|within|outside)\s+(?:the\s+)?$", re.I)
# "Those councils were A, B and C": the group a sentence before graded.
_GROUP_REFERENCE = re.compile(
    # "The others are: A, B and C" after "X is among nine councils rated poor"
    r"\b(?:all|both|each|the\s+(?:two|three|four)|the\s+others|trio|pair|(?:those|these)\s+(?:councils|"
    r"authorities|local\s+authorities|areas))\b|"
    # "The failing authorities are: A, B and C" after "Ten councils were rated inadequate"
    r"^\W*the\s+(?:[\w-]+\s+)?(?:councils|authorities|local\s+authorities|areas)\s+(?:are|were)\b",
    re.I,
)
_YEAR = re.compile(r"\b(?:19[89]\d|20[0-4]\d)\b")
# Years that are plans or financial years, not when the item was written: "by 2030", "2024/25".
_PLAN_YEAR = re.compile(r"(?i)\b(?:by|until|before|in\s+the)\s+\d{4}\b|\d{4}\s*[/-]\s*\d{2}\b")
# Words that make a rating news rather than background.
_NEWS = re.compile(
    r"\b(?:report|published|inspection|inspected|inspectors|latest|new|this\s+week|today|"
    r"has\s+been|have\s+been|after|following|now)\b",
    re.IGNORECASE,
)

# A grade held while a new inspection is awaited is the standing one, not news.
_EXAMPLE = re.compile(r"(?i)\bfor\s+(?:example|instance)\b")
# National tables and overviews list standing grades: "a table of Ofsted ratings shows",
# "among those rated outstanding are", "which have held the grade since 2018".
_STANDING_LIST = re.compile(
    r"(?i)\b(?:a\s+table\s+of|league\s+tables?|the\s+full\s+list|(?:figures|data|statistics)\s+"
    r"shows?|annual\s+(?:social\s+care\s+)?report\s+shows?|among\s+(?:those|the\s+(?:councils|"
    r"authorities|local\s+authorities))\s+(?:rated|judged|graded)|held\s+(?:the|that|this|their)\s+"
    r"(?:grade|rating)\s+since|"
    # "Just two authorities - A and B - have been rated outstanding": a national count (not
    # "one of only two councils rated outstanding", the council's own news)
    r"(?<!of\s)(?:just|only)\s+(?:one|two|three|four|five|six|a\s+handful\s+of|\d+)\s+"
    r"(?:councils|authorities|local\s+authorities)(?!\s+(?:to|in\s+\w+\s+to)\b))\b"
)
_TODAY = re.compile(
    r"(?i)\b(?:today|this\s+week|published\s+(?:today|this|on)|latest\s+(?:report|inspection))\b"
)
# A headline about an inspection or verdict to come: "Ofsted will inspect ...", "verdict due".
_PREVIEW = re.compile(
    # "Watchdogs to inspect whether ...": the headline's future
    r"(?i)\b(?:will\s+(?:be\s+)?inspect\w*|to\s+(?:re-?)?inspect\b|(?:return|come\s+back)\s+to\s+inspect\b|"
    r"(?:verdict|report|result|inspection)s?\s+(?:is\s+|are\s+)?"
    r"(?:due|expected|awaited)|inspection\s+date\s+announced|to\s+be\s+inspected|"
    r"ahead\s+of\s+(?:an?\s+|the\s+|its\s+)?(?:\w+\s+)?inspection|brac(?:es|ing)\s+for|"
    r"prepar(?:es|ing)\s+for\s+(?:an?\s+|the\s+|its\s+)?(?:\w+\s+){0,2}(?:inspection|visit)|"
    r"expect(?:s|ed)?\s+(?:to\s+)?(?:ofsted\s+)?(?:inspectors\s+)?(?:to\s+)?(?:inspect|visit|arrive)|"
    r"(?:inspection|visit)\s+(?:is\s+)?(?:imminent|looming))\b"
)
_UNDER_WAY = re.compile(
    r"(?i)\b(?:inspections?|round|assessments?)\s+(?:\w+\s+){0,3}?(?:is|are)\s+(?:currently\s+|"
    r"still\s+|now\s+)?(?:under\s?way|ongoing|in\s+progress)\b"
)
# In the lede only the future tense previews ("among the first to be inspected" reports one).
_LEDE_PREVIEW = re.compile(
    r"(?i)\b(?:will\s+(?:be\s+)?(?:re-?)?inspect\w*|expect(?:s|ed)?\s+(?:\w+\s+){0,2}to\s+"
    r"(?:inspect|visit|arrive)|(?:inspection|visit)\s+(?:is\s+)?(?:due|imminent|expected))\b"
)
_AWAITING = re.compile(
    r"\b(?:awaiting|awaits|yet\s+to\s+be|due\s+(?:to\s+be\s+|for\s+)?)\s*(?:an?\s+)?"
    r"(?:re-?)?inspect\w*",
    re.IGNORECASE,
)
# "while neighbouring Coventry's were judged good": a neighbour that heads its own clause, in
# the tense of news ("Neighbouring Lincolnshire is also rated outstanding" is its standing).
_HEADS_CLAUSE = re.compile(
    r"(?:'s)?(?:\s+(?:children's\s+)?(?:services|social\s+care))?\s+(?:was|were|has\s+been|"
    r"have\s+been)\s+(?:also\s+)?(?:rated|judged|graded|found)\s+(?:to\s+be\s+|as\s+)?['\"]?",
    re.IGNORECASE,
)
# When the story is about something else (a scrutiny meeting, a notice lifted, a CQC rating), a
# grade is news only when the sentence dates it as fresh: "after an inspection" may be years ago.
_FRESH = re.compile(
    r"\b(?:report\s+published|published\s+(?:on|this|last|today|yesterday)|latest|"
    # "earlier this month" is before the story's own news (a commissioner sent in after it)
    r"new\s+(?:report|inspection|rating|grade)|(?<!earlier\s)this\s+(?:week|month)|"
    r"last\s+(?:week|month)|"
    # "has been rated", not "has been instrumental in taking X from inadequate to good"
    r"today|ha(?:s|ve)\s+(?:(?:once\s+)?again\s+|also\s+|just\s+|recently\s+)?been\s+"
    r"(?:(?:now|officially|formally|again|also|just|recently|once\s+again)\s+)?(?:rated|judged|"
    r"graded|found|given|awarded|handed|branded|labelled|deemed|declared|described|placed|put|"
    r"moved|upgraded|downgraded|raised|lifted|praised|criticised|assessed|inspected|told|"
    r"recognised|classed|ranked|marked|scored|named)|now|"
    # "following a damning report from Ofsted which labelled the service 'inadequate'"
    r"(?:up|down)grad\w+|has\s+(?:rated|judged|graded)|(?:damning|scathing)\s+(?:ofsted\s+)?report\s+from|"
    r"published\s+(?:a|its|the)\s+(?:new\s+|latest\s+)?report|(?:days?|a\s+week|weeks?)\s+after|"
    # "The inspection ... resulted in an improved overall judgement"
    r"resulted\s+in\s+(?:an?\s+)?(?:improved|new|better|higher|lower|worse)\s+(?:overall\s+)?"
    r"(?:judge?ment|rating|grade))\b",
    re.IGNORECASE,
)
# Under a headline about an inspection to come, "has been rated" is the standing grade the
# visit will look at; only a report dated as just out is news.
_PREVIEW_FRESH = re.compile(
    r"(?i)\b(?:report\s+published|published\s+(?:today|this\s+week|yesterday)|"
    r"(?:new|latest)\s+(?:report|inspection|rating|grade)|this\s+week|today)\b"
)
# How a report or a council's own page states its judgements ("the overall judgement was
# inadequate", "This area requires improvement to be good"): what the inspection found, even
# where the page opens with something else.
_JUDGEMENT_FRAME = re.compile(
    r"(?i)\b(?:the\s+overall\s+(?:effectiveness|judge?ment|grade|rating)(?:\s+\w+){0,3}?\s+"
    r"(?:was|is|as)|overall\s+(?:outcome\s+)?(?:judge?ment|grade|rating)\s+of\s+['\"]?"
    r"(?:outstanding|good|inadequate|requires)|(?:this|that|each)\s+(?:area|judge?ment)\s+(?:was|is|were|requires?)|"
    r"overall\s+effectiveness\s*[:-])|"
    # a judgement row: "The impact of leaders on social work practice - Good"
    r"(?:leaders|protection|in\s+care|care\s+leavers)(?:\s+[\w']+){0,8}\s+[:-]\s+['\"]?"
    r"(?:outstanding|good|inadequate|requires\s+improvement)\b|"
    # a judgement row with its grade in brackets: "Overall effectiveness (good): ..."
    r"(?:effectiveness|leaders|protection|in\s+care|care\s+leavers)[^.;()]{0,80}\(\s*['\"]?"
    r"(?:outstanding|good|inadequate|requires\s+improvement(?:\s+to\s+be\s+good)?)['\"]?\s*\)"
)
_ILACS_TO_COME = re.compile(
    r"(?i)\b(?:will\s+be\s+replaced|to\s+be\s+replaced|replac\w+\s+by\s+the\s+new|new\s+ilacs)\b"
)
# "achieving permanence" alone is any report's prose ("delays in achieving permanence"); only
# the SIF's judgement name pairs it with looked-after children.
_SIF_WORDS = re.compile(
    r"adoption\s+performance|\bLSCB\b|safeguarding\s+(?:children\s+)?board|"
    r"looked[\s-]after(?:\s+children)?\s+and\s+achieving\s+permanence|"
    r"leadership,\s+management\s+and\s+governance|single\s+inspection\s+framework|\bSIF\b|"
    # the SIF graded five areas (the ILACS four, the overall judgement among them)
    r"\b(?:of|out\s+of)\s+(?:the\s+|its\s+)?five\s+(?:key\s+|main\s+)?(?:areas|judge?ments|"
    r"categories)\b",
    re.IGNORECASE,
)
_ILACS_WORDS = re.compile(
    r"\bILACS\b|impact\s+of\s+leaders|covid|pandemic|lockdown|inspect(?:ing|ion\s+of)\s+local\s+authority\s+"
    r"children's\s+services|\bpilot\s+(?:ilacs\s+)?inspection|\bfour\s+judge?ments\b|"
    r"no\s+(?:longer\s+)?(?:an?\s+)?overall\s+(?:effectiveness\s+)?(?:grade|judge?ment|rating)|"
    # focused visits began with the ILACS in 2018: an item that looks back on one is later
    r"\bfocused\s+visits?\b",
    re.IGNORECASE,
)
# "looked at Arrangements for the Protection of Children": the 2012-13 inspections' name.
# "an inspection of child protection arrangements", "an unannounced inspection of the council's
# arrangements for protecting young people": the same inspections, in the press's words.
_PROTECTION_INSPECTION = re.compile(
    r"(?i)\barrangements\s+for\s+the\s+protection\s+of\s+children\b|"
    r"\binspection\s+of\s+(?:the\s+)?(?:council's\s+|local\s+authority\s+)?(?:child\s+protection\s+"
    r"arrangements?|arrangements\s+for\s+(?:protecting|child\s+protection))\b"
)
# The names of the 2005-2012 assessments: "the annual performance assessments", published with
# the Commission for Social Care Inspection (closed in 2009), the joint area reviews and the
# comprehensive area assessment.
_OLD_ASSESSMENT = re.compile(
    r"(?i)\bannual\s+performance\s+assessments?\b|\bcommission\s+for\s+social\s+care\s+"
    r"inspection\b|\bjoint\s+area\s+reviews?\b|\bcomprehensive\s+area\s+assessments?\b|"
    # the 2009-2012 inspections of safeguarding and looked-after children's services
    r"\bsafeguarding\s+and\s+looked[\s-]after\s+children'?s?\s+(?:services?|inspections?)\b"
)
_HAD_SAID = re.compile(r"(?i)\bhad\s+(?:said|found|judged|rated|graded|concluded)\b")
# The last reports of the 2012-13 child-protection inspections came out in spring 2014.
_OLD_INSPECTIONS_UNTIL = date(2014, 7, 1)
# ILACS's judgement name, which the press also writes for the SIF's looked-after judgement: a
# hint that an item written before 2018 does not override.
_ILACS_HINT = re.compile(r"(?i)children\s+in\s+care\s+and\s+care\s+leavers")
# Only the SIF graded adoption: "adoption was rated good".
_EARLIER_INSPECTION = re.compile(
    r"(?i)\b(?:previous|last|earlier|prior|former)\s+(?:full\s+)?(?:inspection|report|rating|visit)"
)
_LOOKED_AFTER = re.compile(r"(?i)\blooked[\s-]after\b")
_IN_CARE_WORDS = re.compile(r"(?i)\bchildren\s+in\s+care\b")
# The last SIF re-inspections of inadequate councils were published in the summer of 2018.
_SIF_REINSPECTIONS_UNTIL = date(2018, 9, 1)
_REINSPECTION = re.compile(r"(?i)\bre-?inspect\w*")
# "since the last full inspection in 2014": the year of the inspection before this one.
_LAST_INSPECTION_YEAR = re.compile(
    r"(?i)\b(?:since|after|at|of)\s+(?:the\s+|its\s+|their\s+|an?\s+)?(?:previous|last|most\s+recent|"
    r"single)\s+(?:full\s+)?(?:ofsted\s+)?inspection\s+(?:of\s+(?:[\w']+\s+){1,3}?)?(?:in|of)\s+"
    r"(?:[A-Za-z]+\s+)?((?:19|20)\d\d)\b|"
    # "since they were inspected in 2012", "the last time ... was inspected - in 2015 -"
    r"\b(?:since\s+(?:it|they|the\s+\w+)\s+(?:was|were)\s+(?:last\s+)?|last\s+time\s+[^.;]{0,60}?)"
    r"inspected\W{1,4}(?:in\s+)?(?:[A-Za-z]+\s+)?((?:19|20)\d\d)\b"
)
# Adoption as the council's own work; a service shared with other councils (a regional
# adoption agency, from 2015) is not.
_ADOPTION_NAMED = re.compile(
    r"(?i)(?<!shared\s)(?<!regional\s)(?<!joint\s)\badopt(?:ion|ed|ers?)\b(?!\s+agenc)"
)
# Years that look back: "since 2011", "the grade it first achieved in 2017".
_SINCE_YEAR = re.compile(
    r"(?i)\b(?:since|back\s+in|(?:first|previously|originally)\s+(?:\w+\s+){0,2}?in|"
    # "the first good rating since a tougher inspection regime started in 2013"
    r"since\s+(?:the|a|an)\s+(?:\w+\s+){0,3}?(?:regime|framework|system)\s+(?:started|began|"
    r"was\s+introduced|came\s+in)\s+in)\s+((?:19|20)\d\d)\b"
)
_LONG_SINCE = re.compile(r"(?i)\bfirst\s+time\b(?:\s+in\s+\w+\s+years|[^.;]{0,60}?\bsince\b)")
_ADOPTION_GRADED = re.compile(
    r"(?i)\badoption(?:\s+performance)?\s+(?:was|were|is|has\s+been)\s+(?:also\s+)?"
    r"(?:(?:rated|judged|graded)\s+)?(?:as\s+)?['\"]?(?:outstanding|good|inadequate|requires)\b|"
    r"\b(?:outstanding|good|inadequate|improvement)['\"]?\s+(?:for\s+|in\s+)?adoption\b"
)
_DATES = re.compile(
    r"(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?:(?P<m1>[A-Z][a-z]+)\s+)?(?:(?P<y1>20\d\d)\s+)?"
    r"(?:-|to|and|until)\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m2>[A-Z][a-z]+)"
    r"(?:,?\s+(?P<y2>20\d\d))?"
)


@dataclass(frozen=True)
class _Claim:
    """One grade the item states for one judgement, and the sentence that states it."""

    judgement: Judgement
    grade: Grade
    role: Role
    year: int | None
    sentence: str
    old_scale: bool = False  # the 2005-2011 annual assessments' wording
    standing: bool = False  # "rated inadequate for the past eight years"
    majority: bool = False  # "good in three of four areas": the overall grade unless one is stated
    distant: bool = False  # "eight years after an 'Inadequate' inspection": long ago, undated
    named: bool = False  # its clause calls it the overall grade ("Overall, ... rated good")


@dataclass
class _Found:
    """What the item says about one council, gathered sentence by sentence."""

    council: Council
    current: dict[Judgement, tuple[Grade, str]] = field(default_factory=dict)
    previous: list[_Claim] = field(default_factory=list)  # overall grades before this one
    retained: str | None = None  # the sentence that says the overall grade was kept
    dated: dict[Judgement, int | None] = field(default_factory=dict)  # current grades' years
    replaced: _Claim | None = None  # a dated overall grade the latest one replaced
    council_evidence: str = ""
    ambiguous: bool = False
    old_scale: bool = False  # its current grade is worded in the pre-2013 annual scale
    said: list[str] = field(default_factory=list)  # the sentences that grade it
    standing: set[Judgement] = field(default_factory=set)  # current grades held for years
    majority: _Claim | None = None  # the grade of most areas, when no overall grade is stated
    named: bool = False  # the current overall grade's clause calls it the overall one

    def add(self, claim: _Claim) -> None:
        """Keep a claim; the first current grade stated for a judgement wins (the lede)."""
        if claim.majority:
            if claim.role is not Role.PREVIOUS and self.majority is None:
                self.majority = claim
            return
        if claim.role is Role.PREVIOUS:
            if claim.judgement is Judgement.OVERALL:
                self.previous.append(claim)
            elif (
                claim.judgement is Judgement.HELP_AND_PROTECTION
                and claim.year is not None
                and claim.year <= SIF_FROM.year
            ):
                # Before the SIF no inspection graded help and protection: "previously rated
                # inadequate for child protection in March 2013" was a child-protection
                # inspection's overall grade, as for a current grade (see _event)
                self.previous.append(dataclasses.replace(claim, judgement=Judgement.OVERALL))
            return
        stated = self.current.get(claim.judgement)
        if (
            stated is not None
            and stated[0] is not claim.grade
            and claim.judgement is Judgement.OVERALL
            and claim.year is None
            and (self.dated.get(claim.judgement) is not None or claim.judgement in self.standing)
            and (
                _LATEST.search(claim.sentence)
                # "X, rated inadequate in 2017" then "X has jumped from inadequate to good":
                # the sentence moves the grade held so far on to this one
                or any(p.sentence == claim.sentence and p.grade is stated[0] for p in self.previous)
            )
        ):
            # "... rated requires improvement when inspected in 2018." then "After the latest
            # visit Ofsted has raised its rating to good": the dated grade was the one before.
            earlier = stated
            del self.current[claim.judgement]
            self.replaced = _Claim(
                claim.judgement,
                earlier[0],
                Role.PREVIOUS,
                self.dated.get(claim.judgement),
                earlier[1],
            )
            self.standing.discard(claim.judgement)
            self.retained = None
            self.council_evidence = claim.sentence
            stated = None
        if (
            stated is not None
            and stated[0] is not claim.grade
            and claim.judgement is Judgement.OVERALL
            and claim.named
            and not self.named
            and claim.year is None
            and claim.role is Role.CURRENT
        ):
            # "leadership ..., which Ofsted says is now good" (read as overall by default) then
            # "Overall, services are now rated as requiring improvement": the grade called the
            # overall one outranks one that was overall only by default
            del self.current[claim.judgement]
            self.standing.discard(claim.judgement)
            self.council_evidence = claim.sentence
            stated = None
        if stated is not None and stated[0] is claim.grade and claim.judgement is Judgement.OVERALL:
            self.named = self.named or claim.named
        if (
            stated is not None
            and stated[0] is claim.grade
            and claim.judgement is Judgement.OVERALL
            and claim.year is not None
            and self.dated.get(claim.judgement) is None
            and (_ALSO.search(claim.sentence) or _MOVED_THEN.search(claim.sentence))
        ):
            # "rated outstanding" then "It also received an 'outstanding' rating in its 2019
            # inspection": the same grade, the time before.
            self.previous.append(claim)
            return
        if stated is not None and stated[0] is not claim.grade and claim.year is not None:
            # A different, dated grade after the lede's is history: "Hull's services have been
            # judged inadequate. They were rated requires improvement in 2021."
            if claim.judgement is Judgement.OVERALL:
                self.previous.append(claim)
            return
        if (
            stated is not None
            and stated[0] is claim.grade
            and claim.judgement is Judgement.OVERALL
            and claim.standing
        ):
            # "rated as requiring improvement" then "The service, which has been rated as
            # requiring improvement since 2016, ...": the grade was held before, so kept
            self.retained = self.retained or claim.sentence
        if stated is None:
            self.current[claim.judgement] = (claim.grade, claim.sentence)
            self.dated[claim.judgement] = claim.year
            if claim.standing:
                self.standing.add(claim.judgement)
            self.council_evidence = self.council_evidence or claim.sentence
            if claim.judgement is Judgement.OVERALL:
                self.old_scale = claim.old_scale
                self.named = claim.named
        if (
            claim.role is Role.RETAINED
            and claim.judgement is Judgement.OVERALL
            # "good in all areas except X, which still requires improvement": a grade kept by
            # something else, not the overall grade the item gives
            and self.current.get(claim.judgement, (claim.grade,))[0] is claim.grade
        ):
            self.retained = self.retained or claim.sentence


def classify_news(
    text: str,
    *,
    title: str | None,
    councils: CouncilRegistry | None,
    published: date | None,
    publisher: Council | None = None,
) -> Classification:
    """Rating events stated by a news item (see the module docstring). ``publisher`` is the
    council whose own site published the item (its minutes, its press release): what "the
    council" means until the item names another."""
    sentences = split_sentences(text, title=title)
    mode, reason = article_mode(sentences)
    if mode is Mode.NONE:
        return Classification(reason=reason)
    gaz = gazetteer(councils)
    mentions = [_without_places(s.text, gaz.find(s.text)) for s in sentences]
    resolved = _resolve_shared_names(mentions)
    resolved.update(_successors_after_abolition(mentions, published, councils))
    history = _superseded(mentions)
    heirs = _heirs(mentions, history)
    ref_year = _reference_year(sentences, published)
    found: dict[str, _Found] = {}
    # Until the item names a council, "the council" is its publisher's (a council's own page),
    # else the first-named council's when that sentence is about its children's services ("A
    # council apologised ..." then "Cornwall's head of children's services resigned"), else
    # nobody's ("123 Sandwell children were adopted" does not own an adoption agency's grade).
    focus: list[Mention] = (
        [Mention(0, 0, "", (publisher,))]
        if publisher is not None
        else _first_subject(sentences, mentions) or _sole_council(sentences, mentions)
    )
    group: Grade | None = None  # a grade given to "three councils" not yet named
    reported: set[Grade] = set()  # grades reported as news for a group of councils
    # The headline previews an inspection, or states no grade and the lede previews one ("Kent
    # children's services: what inspectors will look at" then "Ofsted will inspect ...").
    preview = (
        bool(sentences)
        and (
            _PREVIEW.search(sentences[0].text) is not None
            or (
                len(sentences) > 1
                and _LEDE_PREVIEW.search(sentences[1].text) is not None
                and not find_grades(sentences[0].text)
            )
            # "This year's round of inspections is under way": the verdicts are still to come
            or any(_UNDER_WAY.search(s.text) for s in sentences[:8])
        )
    )
    heading: GradeMention | None = None  # "The areas rated good were:" over a list of rows
    label: Judgement | None = None  # a line that only names a judgement ("Impact of leaders.")
    last_year: int | None = None  # the one year the sentence before named
    adoption_focus = False  # "the service" is an adoption service the story is about
    named_year: int | None = None  # the one year the last sentence naming years named
    leads = _lead_codes(sentences, mentions)
    named_before = False  # a council has been named: the story has begun
    about_previous = False  # the sentence before was about the previous inspection
    for sentence, sentence_mentions in zip(sentences, mentions, strict=True):
        ratings = _rated(
            _dated_by_reference(find_grades(sentence.text), sentence.text, last_year, named_year),
            mode,
            ref_year,
            sentence.text,
            reported,
            preview,
        )
        if about_previous and not _FRESH.search(sentence.text):
            # "The previous inspection of the council's services was in June 2012." then "The
            # local authority was judged to be good.": that inspection's grade
            ratings = [_with_role(r, Role.PREVIOUS) for r in ratings]
        about_previous = not ratings and _PREVIOUS_SUBJECT.match(sentence.text) is not None
        years = set(_YEAR.findall(sentence.text))
        last_year = int(years.pop()) if len(years) == 1 else None
        if years or last_year is not None:  # "Three years later" counts from it
            named_year = last_year
        if (
            ratings
            and not sentence_mentions
            and named_before
            and _SECTION_HEADING.fullmatch(sentence.text)
        ):
            # A section heading inside the story ("Inadequate rating") names what the section
            # is about; the section's own sentences say whose grade it is and when.
            ratings = []
        named_before = named_before or bool(sentence_mentions)
        reported |= _reported_group_grades(sentence.text, ratings, sentence_mentions)
        if (
            ratings
            and not sentence_mentions
            and _scale(sentence.text)
            and not _before_scale(sentence.text, ratings)
        ):
            ratings = []  # "Outstanding is the highest, followed by good, ...": the scale
        group = _note_group_grade(sentence, ratings, sentence_mentions) or group
        if not ratings and group and _lists_group(sentence, sentence_mentions):
            claim = _Claim(Judgement.OVERALL, group, Role.CURRENT, None, sentence.text)
            for mention in sentence_mentions:
                _record(found, resolved.get(id(mention), mention.councils), claim, history)
        if _COUNCIL_SERVICES.search(sentence.text):
            adoption_focus = False
        if adoption_focus:
            ratings = _as_adoption(ratings)
        adoption_focus = adoption_focus or _about_adoption_service(sentence.text)
        ratings = _this_area(sentence.text, ratings, label)
        label = judgement_label(sentence.text) if not ratings else None
        heading = _heading_under(sentence, ratings, sentence_mentions, heading, found, focus)
        if heading is not None and ratings and heading is ratings[0]:
            ratings = []  # the heading grades the rows below it, not the overall judgement
        respectively = _respectively(sentence.text, ratings, sentence_mentions, focus)
        for rating in ratings:
            owners = _owners(sentence.text, rating, sentence_mentions, focus)
            for mention in respectively.get(id(rating), owners):
                if not reported and _standing_aside(sentence.text, rating, mention, leads):
                    continue
                for judgement in _split_combined(rating, sentence.text, ref_year):
                    claim = _Claim(
                        judgement,
                        rating.grade,
                        rating.role,
                        rating.year,
                        sentence.text,
                        rating.old_scale,
                        rating.standing,
                        rating.majority,
                        _DISTANT.search(sentence.text[max(0, rating.start - 100) : rating.start])
                        is not None
                        or _OVER_YEARS.match(sentence.text[rating.end : rating.end + 60])
                        is not None,
                        _named_overall(sentence.text, ratings, rating),
                    )
                    _record(
                        found, resolved.get(id(mention), mention.councils), claim, history, heirs
                    )
        if (
            _SAME_RATING.search(sentence.text)
            and not any(r.role is Role.CURRENT for r in ratings)
            and len(focus) == 1
        ):
            # "This maintains a similar rating as the previous review": the grade was kept
            for council in focus[0].councils:
                entry = found.get(council.la_code)
                if entry is not None and Judgement.OVERALL in entry.current:
                    entry.retained = entry.retained or sentence.text
        # A council named as a partner stays one for the rest of its sentence ("a partnership
        # with Hampshire, under which Hampshire's director also leads services").
        partnered = _partner_runs(sentence.text, sentence_mentions)
        partners = {c for m in partnered for c in _codes(m)}
        subjects = [
            m
            for m in sentence_mentions
            if not any(m is p for p in partnered)
            and not history.issuperset(_codes(m))
            and not partners.issuperset(_codes(m))
        ]
        subjects = _narrowed(subjects)
        if subjects and not (not ratings and _COMPARED.search(sentence.text)):
            # "the council" later means the last council the story was about, not one named
            # only to compare with ("Locally, only Lincolnshire has a higher rating.")
            focus = _coordinated_run(sentence.text, subjects)
    counted = any(_MONITORED_SINCE.search(s.text) for s in sentences)
    if counted or any(_progress_since(s.text) for s in sentences):
        # Monitoring visits follow an inadequate judgement: an item that counts them ("their
        # first monitoring visit") is written after it, and the inadequate grade is background;
        # so is one that reports the progress made since ("has made substantial progress since
        # it was slammed by inspectors") when nothing reports the grade as news.
        monitored = {
            code
            for code, f in found.items()
            if f.current.get(Judgement.OVERALL, (None, ""))[0] is Grade.INADEQUATE
            and all(c.grade is Grade.INADEQUATE for c in f.previous)
            and f.retained is None
            and (counted or not any(_FRESH.search(said) for said in f.said))
        }
        if monitored:
            found = {code: f for code, f in found.items() if code not in monitored}
            reason = reason or "the inadequate grade is background: monitoring visits since"
    # "a dramatic turnaround last year" (no grade of its own: "an 'inadequate' rating last
    # year" is the grade before the one reported)
    outcome_last_year = any(
        _OUTCOME_LAST_YEAR.search(s.text) and not _GRADE_WORD.search(s.text.lower())
        for s in sentences
    )
    followed_up = [s.text for s in sentences if _FOLLOW_UP_VISIT.search(s.text)]
    restated = {
        code
        for code, f in found.items()
        if _restates_last_years_grade(f, outcome_last_year)
        or (followed_up and _dated_before_item(f, followed_up))
        or _only_held(f)
    }
    if restated:
        found = {code: f for code, f in found.items() if code not in restated}
        reason = reason or "the grade is dated before the item's news (last year, a visit since)"
    framework = _framework(sentences, published, found)
    start, end = _inspection_dates(sentences, published)
    if _after_reform(sentences, published, start):
        for f in found.values():
            _drop_overall(f)
    events = tuple(
        event
        for f in found.values()
        if (
            event := _event(
                f, framework, published, start, end, _context(f, found, sentences, mentions)
            )
        )
        is not None
    )
    if not events:
        return Classification(reason=reason or "no current children's-services grade stated")
    return Classification(events=events, reason=reason)


# A grade given long ago: "For over a decade ... were rated", "eight years after an".
_DISTANT = re.compile(
    r"(?i)\b(?:for\s+(?:over\s+|more\s+than\s+|nearly\s+|almost\s+|the\s+(?:past|last)\s+)?"
    r"(?:a\s+decade|decades|(?:two|three|four|five|six|seven|eight|nine|ten|many|\d+)\s+years)|"
    r"(?:a\s+decade|decades|(?:two|three|four|five|six|seven|eight|nine|ten|many|\d+)\s+years)\s+"
    r"(?:after|since|of))\b"
)
# "risen from 'inadequate' to 'outstanding' in six years": a move over several inspections,
# from a grade given long ago
_OVER_YEARS = re.compile(
    r"(?i)['\"]?\s+to\s+['\"]?[\w ]{0,30}?['\"]?\s+(?:in|over|within)\s+"
    r"(?:the\s+(?:past|last)\s+|just\s+)?(?:a\s+decade|(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\s+years)\b"
)
# A sentence whose subject is the inspection before this one.
_PREVIOUS_SUBJECT = re.compile(
    # ("The last full Safeguarding Inspection of Children's Services was in November 2016")
    r"(?i)\W*(?:the|its|their|our)\s+(?:previous|last|prior|earlier)\s+(?:[\w'-]+\s+){0,3}?"
    r"inspection\b"
)


def _restates_last_years_grade(found: _Found, outcome_last_year: bool = False) -> bool:
    """Whether the council's current overall grade is the one the item says it was given last
    year ("... after it was rated 'requires improvement' last year"), restated elsewhere with
    nothing that makes it news or says it was given again: the item is a follow-up written a
    year on. ``outcome_last_year``: the item puts the outcome itself last year ("a dramatic
    turnaround last year"), so a grade it dates ("... outstanding when inspectors visited in
    2018") is that one. The annual ratings before 2013 came every year, so there "last year"
    is the rating before this one."""
    current = found.current.get(Judgement.OVERALL)
    if current is None or found.old_scale:
        return False
    if found.retained is not None and _KEPT_WORDS.search(found.retained):
        return False  # "remains", "again": a grade given again (not a concessive "still")
    grade, sentence = current
    return (
        (
            any(
                c.grade is grade
                and c.sentence != sentence
                and not c.old_scale
                and _LAST_YEAR.search(c.sentence)
                and not _GIVEN_AGAIN.search(c.sentence)  # "it was also rated X last year"
                for c in found.previous
            )
            or (
                outcome_last_year
                and (
                    found.dated.get(Judgement.OVERALL) is not None
                    or _YEAR.search(sentence) is not None
                )
            )
        )
        and not _FRESH.search(sentence)
        and not _GIVEN_AGAIN.search(sentence)
    )


_LAST_YEAR = re.compile(r"(?i)\blast\s+year\b")
# A grade the item dates before itself, counting back from its own time: "in May last year",
# "Last July, an inspection found ...", "two years ago". (A named year needs the item's date to
# compare with; these do not.)
_BEFORE_ITEM = re.compile(
    rf"(?i)\blast\s+(?:year|{'|'.join(MONTH_NAMES)}|spring|summer|autumn|winter)\b|"
    r"\b(?:a|one|two|three|four|five|six|\d+)\s+years?\s+ago\b"
)


# The ungraded visits that follow a grade: an item that reports one is written after the grade.
_FOLLOW_UP_VISIT = re.compile(
    r"(?i)\b(?:monitoring|focused|review|follow[\s-]up|progress)\s+(?:visit|inspection)s?\b"
)


def _only_held(found: _Found) -> bool:
    """Whether the council's one graded sentence says only how long it has held its overall
    grade ("The department has been rated 'requires improvement' since 2019."), with nothing
    that reports it as news: background to a story about something else."""
    current = found.current.get(Judgement.OVERALL)
    return (
        current is not None
        and Judgement.OVERALL in found.standing
        and found.retained is None
        and not found.previous
        and found.said == [current[1]]
        # ("has been rated" is the holding here, not news)
        and not _PREVIEW_FRESH.search(current[1])
    )


def _dated_before_item(found: _Found, visits: list[str]) -> bool:
    """Whether the council's current overall grade is one its own sentence dates before the
    item ("was rated inadequate in May last year") in an item that reports a visit since, in
    another sentence, with nothing that reports the grade as news: the item is about the visit.
    (An item reporting a grade from an inspection "in December last year" is news; the visit
    makes the difference.) The annual ratings before 2013 came every year, so there "last
    year" is the rating before this one."""
    if found.old_scale or not found.current:
        return False
    # the overall grade, else (a visit story naming one judgement's grade) every grade it holds
    judgements = [Judgement.OVERALL] if Judgement.OVERALL in found.current else list(found.current)
    earlier = {c.sentence for c in found.previous}
    return all(
        _dated_before_visit(found.current[j][1], found.dated.get(j), visits, earlier)
        for j in judgements
    )


def _dated_before_visit(
    sentence: str, year: int | None, visits: list[str], earlier: set[str]
) -> bool:
    """Whether a grade's own sentence dates it before the visit another sentence reports: back
    from the item's time ("last year"), or by a year no visit is dated before ("inspected in May
    2018, when ..." then "following the focused visit"; a visit "in 2021" before a grade "in
    2023" was the warning before that inspection). A year in a sentence that also states an
    earlier grade ("good, whereas in 2013 it required improvement") or counts from it ("out of
    the inadequate category it had been in since 2019") dates that one, not this grade."""
    others = [visit for visit in visits if visit != sentence]
    if not others or _GIVEN_AGAIN.search(sentence):
        return False
    if _BEFORE_ITEM.search(sentence):
        return not _FRESH.search(sentence)
    if year is None and sentence not in earlier and not _SINCE_YEAR.search(sentence):
        years = [int(y) for y in _YEAR.findall(sentence)]
        year = min(years) if len(set(years)) == 1 else None
    if year is None:
        return False
    visit_years = [int(y) for visit in others for y in _YEAR.findall(visit)]
    # a visit dated after the grade's year puts the item after it, whatever the sentence says
    # of its own time ("the outcome was published on 13 June 2017")
    return min(visit_years, default=year) >= year and (
        not _FRESH.search(sentence) or min(visit_years, default=year) > year
    )


# A grade given again, not said to be kept ("remains", "retained"): it may skip a grade between.
_AGAIN = re.compile(
    r"(?i)\b(?:once\s+)?again\b(?![^.;]{0,60}?\b(?:remain|retain|maintain|kept|same)\w*)"
)
_KEPT_WORDS = re.compile(
    r"(?i)\b(?:again|remains?|remained|retain\w*|maintain\w*|kept|same|once\s+more|"
    r"(?:second|third|fourth)\s+(?:time|inspection))\b"
)
_OUTCOME_LAST_YEAR = re.compile(
    r"(?i)\b(?:turnaround|rating|judge?ment|verdict|grade|upgrade|downgrade)\s+last\s+year\b|"
    r"\blast\s+year's\s+(?:turnaround|rating|judge?ment|verdict|grade|upgrade|downgrade)\b"
)
_GIVEN_AGAIN = re.compile(
    r"(?i)\b(?:again|still|remains?|retain\w*|maintain\w*|kept|once\s+more|as\s+(?:it|they)\s+did|"
    # "rated good too", not "too many children"
    r"also|too(?=\s*(?:[,.;:!?)]|$))|as\s+well)\b"
)
# Progress reported since an earlier verdict: "has made substantial progress since it was
# slammed", "Improvements have been noted following a two-day visit".
_PROGRESS_SINCE = re.compile(
    r"(?i)\b(?:(?:made|making|shown|shows|showing|noted|seen|found)\s+(?:\w+\s+){0,2}?"
    r"(?:progress|improvements?)|(?:progress|improvements?)\s+(?:has|have)\s+been\s+"
    r"(?:made|noted|seen|found))\s+(?:\w+\s+){0,3}?(?:since|following|after)\b"
)
_NOT_MUCH = re.compile(
    r"(?i)\b(?:no|not|little|insufficient|limited|slow|while|whilst|although|though|despite)\b"
)


def _progress_since(text: str) -> bool:
    """Whether a sentence with no grade of its own reports progress since an earlier verdict
    ("not enough progress since", "While some progress has been made since ..., weaknesses
    remain" are the findings of a new one)."""
    found = _PROGRESS_SINCE.search(text)
    return (
        found is not None
        and not _GRADE_WORD.search(text.lower())
        and not _NOT_MUCH.search(text[max(0, found.start() - 30) : found.end()])
    )


_MONITORED_SINCE = re.compile(
    r"(?i)\b(?:first|second|third|fourth|fifth|subsequent)\s+(?:ofsted\s+)?monitoring\s+visits?\b"
)
_SECTION_HEADING = re.compile(
    r"(?i)\W*(?:an?\s+|the\s+)?['\"]?(?:outstanding|good|inadequate|adequate|requires?\s+"
    r"improvement(?:\s+to\s+be\s+good)?)['\"]?\s+(?:ofsted\s+)?(?:rating|grade|judge?ment|verdict)s?\W*"
)
# A grade kept, said without the grade word: "maintains a similar rating as the previous
# review", "had attained the same rating at their previous inspection", "worked hard to
# maintain the rating we were given in our last inspection".
_SAME_RATING = re.compile(
    r"(?i)\b(?:same\s+|(?:maintain\w*|retain\w*|keep\w*|kept)\s+(?:a|the|its|their|our)\s+"
    r"(?:same\s+|similar\s+)?)(?:overall\s+)?(?:rating|grade|judge?ment)\b[^.;]{0,50}?"
    r"\b(?:previous|last|prior)\s+(?:full\s+)?(?:ofsted\s+)?(?:inspection|review|report|visit|time)\b|"
    # Ofsted's wording for a grade kept: "Since the last inspection, in 2019, children continue
    # to receive good services"
    r"\bsince\s+the\s+(?:last|previous)\s+(?:full\s+)?inspection\b[^.;]{0,60}?\bcontinue[sd]?\s+to\s+"
    r"(?:receive|benefit\s+from|be|get)\s+(?:\w+\s+)?(?:good|outstanding)\b"
)
# A grade a council holds, stated in the present: "X and Y are also rated good", "Bradford's
# services, now run by a trust, remain rated inadequate".
_STANDING = re.compile(
    r"(?i)\b(?:(?:is|are)\s+(?:also\s+|still\s+|currently\s+|both\s+)?(?:rated|judged|graded)|"
    # an aside: "Richmond (still rated good) and Kingston agreed ..."
    r"remains?\s+(?:rated|judged)|still\s+(?:rated|judged|graded))|\(\s*(?:also\s+|currently\s+)?"
    r"(?:rated|judged|graded)\b"
)
_REPORTED = re.compile(
    r"(?i)\b(?:report\w*|published|inspection|inspected|inspectors|latest|"
    r"(?<!earlier\s)this\s+(?:week|month)|"
    r"today|has\s+been|have\s+been|following|after|again)\b"
)
_BYLINE = re.compile(r"\s*(?:by|posted|published|updated)\b", re.IGNORECASE)
# "Outstanding is the highest of four grades, followed by good, ...": the scale, not a rating.
_GRADE_WORD = re.compile(r"\b(?:outstanding|good|requires?\s+improvement|inadequate|adequate)\b")
_SCALE_WORDS = re.compile(
    r"(?i)\b(?:highest|lowest|best|worst|followed\s+by|scale|ranging|range|possible\s+"
    r"(?:grades|ratings|judge?ments)|(?:four|4)\s+(?:grades|ratings|levels|categories))\b"
)


# A council named as the measure of another's grade: "only X has a higher rating", "rated
# better than X".
_COMPARED = re.compile(
    r"(?i)\b(?:higher|lower|better|worse)\s+(?:\w+\s+)?(?:rating|grade|judge?ment)s?\b|"
    r"\b(?:rated|graded|judged)\s+(?:higher|lower|better|worse)\b"
)
_SCALE_NAMED = re.compile(r"(?i)\bscale\b")


def _narrowed(mentions: list[Mention]) -> list[Mention]:
    """The mentions without a body serving several councils (a trust, a company) named beside
    one of them: there it stands for that council ("helps Kingston gain top rating as AfC ..."
    is about Kingston)."""
    singles = {c for m in mentions if len(m.councils) == 1 for c in _codes(m)}
    return [m for m in mentions if len(m.councils) == 1 or not _codes(m) & singles]


def _lead_codes(sentences: list[Sentence], mentions: list[list[Mention]]) -> set[str]:
    """The councils named in the headline and lede (the first two sentences of prose, or
    the first of the next few that names one)."""
    leads: set[str] = set()
    prose = 0
    for sentence, sentence_mentions in zip(sentences, mentions, strict=True):
        if len(sentence.text.split()) < 5 or _BYLINE.match(sentence.text):
            continue
        leads.update(code for m in _narrowed(sentence_mentions) for code in _codes(m))
        prose += 1
        if prose >= 8 or (prose >= 2 and leads):
            break
    return leads


def _scale(text: str) -> bool:
    """Whether a sentence lists three or more grades without a council, or two and names the
    scale: the grading scale."""
    named = len(set(_GRADE_WORD.findall(text.lower())))
    if named >= 2 and _SCALE_NAMED.search(text):
        return True  # "Only one category, outstanding, is above good on the four-point scale"
    return named >= 4 or (named >= 3 and bool(_SCALE_WORDS.search(text)))


def _before_scale(text: str, ratings: list[GradeMention]) -> bool:
    """Whether every grade kept is a named judgement's, stated before the words describing the
    scale ("The overall judgement was 'requires improvement', the second lowest of four
    ratings, which range from ...": the scale's ends are not ratings)."""
    scale = _SCALE_WORDS.search(text)
    return scale is not None and all(r.explicit and r.end <= scale.start() for r in ratings)


def _standing_aside(text: str, rating: GradeMention, mention: Mention, leads: set[str]) -> bool:
    """Whether a rating is the standing grade of a council the story is not about: another
    council's grade in the present tense, with nothing that reports it as new."""
    if rating.role is Role.PREVIOUS or not leads or leads & _codes(mention):
        return False
    if mention.end > rating.start:
        return False
    clause = text[mention.end : rating.end]
    return bool(_STANDING.search(clause)) and not _REPORTED.search(text)


def _rated(
    ratings: list[GradeMention],
    mode: Mode,
    ref_year: int | None,
    sentence: str,
    reported: set[Grade],
    preview: bool = False,
) -> list[GradeMention]:
    """The ratings about children's services, with history (an earlier year) marked previous.
    ``preview``: the item's headline is about an inspection or verdict still to come.

    ``reported`` holds the grades the item has already reported as news for a group ("nine
    councils have been rated poor"): a later list under the same grade ("the others rated poor
    are ...") names that group's members, so it is news too."""
    kept: list[GradeMention] = []
    for rating in ratings:
        if about_other_subject(rating.context) and not names_childrens_services(rating.context):
            continue
        if _TALLY.search(sentence):
            continue  # a tally of inspections grades no one's news
        role = rating.role
        if role is not Role.PREVIOUS and (
            _dated_earlier(rating.year, ref_year, sentence)
            or _AWAITING.search(sentence)
            or _EXAMPLE.search(sentence)
            or (preview and not _PREVIEW_FRESH.search(sentence))
            or (_STANDING_LIST.search(sentence) and not _TODAY.search(sentence))
        ):
            # History: an earlier year, a grade held while a verdict is awaited, an example in
            # an explainer, the standing grade in a story that previews an inspection to come.
            role = Role.PREVIOUS
        named = rating.explicit or names_childrens_services(rating.context)
        # In a story about something else, "have been found" in the quoted words of a notice or
        # a letter cites the grade behind it; only the reporter's own words date it.
        told = (
            _QUOTED.sub(" ", sentence)
            if mode is Mode.BACKGROUND and _DOCUMENT_SAYS.search(sentence)
            else sentence
        )
        fresh = (
            bool(_FRESH.search(told))
            or (role is Role.CURRENT and rating.grade in reported)
            or (mode is Mode.BACKGROUND and _JUDGEMENT_FRAME.search(sentence) is not None)
        )
        if role is not Role.PREVIOUS and (
            (mode is Mode.STRICT and not (named and fresh))
            or (mode is Mode.BACKGROUND and not fresh)
        ):
            if rating.year is None:
                continue  # only a grade reported as news counts when the story is about else
            role = Role.PREVIOUS  # "In 2009 and 2011 the services were labelled inadequate"
        kept.append(_with_role(rating, role))
    return kept


_QUOTED = re.compile(r'"[^"]{20,}"')
_DOCUMENT_SAYS = re.compile(
    r"(?i)\b(?:notice|letter|direction|statement|decision)\s+(?:said|says|stated|states|reads?)\b"
)
_OVERALL_WORD = re.compile(r"(?i)\boverall\b")
_A_COUNCIL = re.compile(r"(?i)\b(?:council|authority)\b")
_AREAS_INCLUDING = re.compile(r"(?i)\b(?:categories|areas|judge?ments)\b[^.;]{0,80}\bincluding\b")
_ADOPTION_SERVICE = re.compile(r"(?i)\badoption\s+(?:services?|agency|agencies|team)\b")
_COUNCIL_SERVICES = re.compile(
    r"(?i)children'?s\s+(?:social\s+)?(?:services|social\s+care)|social\s+care\s+services|"
    r"services\s+for\s+children"
)


_ASIDE = re.compile(r",\s+(?:which|who|whose)\b[^,;]*,")


def _named_overall(text: str, ratings: list[GradeMention], rating: GradeMention) -> bool:
    """Whether the words between the grade before and just after this one call it the overall
    grade ("Overall, services are now rated as requiring improvement", "good overall"), in a
    sentence that is not a quotation ("We aim for a rating of good overall") and names no other
    area's grade before it (there "an overall rating" is that area's)."""
    before = [r for r in ratings if r.end <= rating.start]
    if text.lstrip().startswith(('"', "'")) or any(
        Judgement.OVERALL not in r.judgements for r in before
    ):
        return False
    start = max(before[-1].end if before else 0, rating.start - 80)
    return _OVERALL_WORD.search(text[start : rating.end + 16]) is not None


def _about_adoption_service(sentence: str) -> bool:
    """Whether a sentence makes an adoption service what the story is about ("praised for the
    way its adoption service works"), from the next sentence on and until one turns to
    children's services; not an aside ("which works with Bolton on a shared adoption
    service") or a service shared with other councils."""
    main = _ASIDE.sub(",", sentence)
    return (
        any(
            not re.search(
                r"(?i)\b(?:shared|joint|regional)\s+$", main[max(0, m.start() - 12) : m.start()]
            )
            # nor one of the areas an inspection of children's services graded ("improvement was
            # needed in all three categories, including adoption services")
            and not _AREAS_INCLUDING.search(main[: m.start()])
            for m in _ADOPTION_SERVICE.finditer(main)
        )
        and not _COUNCIL_SERVICES.search(sentence)
    )


def _as_adoption(ratings: list[GradeMention]) -> list[GradeMention]:
    """In a story about an adoption service, "Ofsted rated the service as good" and "boosted
    their rating to good" grade that service (a provider inspection), not children's services.
    A sentence that grades the adoption service itself grades something else beside it ("Rated
    good overall, the council was judged outstanding for its adoption services")."""
    if any(Judgement.ADOPTION in r.judgements for r in ratings):
        return ratings
    return [
        dataclasses.replace(r, judgements=(Judgement.ADOPTION,), explicit=True)
        if r.judgements == (Judgement.OVERALL,)
        and not names_childrens_services(r.context)
        # ("good overall" is the council's only beside it: "an overall judgement of 'Good'"
        # and "the overall quality rating of the service" are the adoption inspection's)
        and (
            not _OVERALL_WORD.search(r.context)
            if _A_COUNCIL.search(r.context)
            else not r.explicit or _OVERALL_WORD.search(r.context)
        )
        else r
        for r in ratings
    ]


# "The result of that inspection was ...", not "the report of the inspection of children's
# services found" (an inspection named by what follows it).
_BACK_REFERENCE = re.compile(
    r"(?i)\b(?:that|this|the)\s+(?:inspection|report|visit)\b(?!\s+(?:of|into|by|published)\b)"
)


# "On 27 August 2019 Ofsted published its findings. They graded the service inadequate.": a
# pronoun subject carries on the dated sentence before it.
_PRONOUN_CONTINUES = re.compile(
    r"(?i)\W*(?:they|it)\s+(?:also\s+)?(?:graded|rated|judged|found|gave|awarded|assessed)\b"
)


def _dated_by_reference(
    ratings: list[GradeMention], sentence: str, last_year: int | None, named_year: int | None
) -> list[GradeMention]:
    """ "In March 2019 services were inspected. The result of that inspection was ...": the
    grades of a sentence that refers back to a dated inspection carry its year, and those of
    one that counts on from it ("Three years later ...") that year plus the count."""
    if _YEAR.search(sentence):
        return ratings
    later = _YEARS_LATER.match(sentence)
    if later is not None and named_year is not None:
        # "In 2014 ... inadequate. The verdict ... Three years later this rating was ..."
        year = named_year + _NUMBERS.get(later.group(1).lower(), 1)
    elif last_year is not None and (
        _BACK_REFERENCE.search(sentence) or _PRONOUN_CONTINUES.match(sentence)
    ):
        year = last_year
    else:
        return ratings
    return [r if r.year is not None else dataclasses.replace(r, year=year) for r in ratings]


_NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_YEARS_LATER = re.compile(r"(?i)\W*(a|one|two|three|four|five|six)\s+years?\s+(?:later|on)\b")


def _reported_group_grades(
    sentence: str, ratings: list[GradeMention], mentions: list[Mention]
) -> set[Grade]:
    """Grades a sentence reports as news for a group of councils ("Children's services at 12
    councils have been rated as poor")."""
    if not _FRESH.search(sentence) or not _GROUP_SUBJECT.search(sentence):
        return set()
    return {r.grade for r in ratings if r.role is Role.CURRENT}


def _split_combined(
    rating: GradeMention, sentence: str, ref_year: int | None
) -> tuple[Judgement, ...]:
    """A rating's judgements; "children in care and care leavers" was one judgement until
    2023 and is two since, so in a later item it grades both."""
    judgements = rating.judgements
    if (
        Judgement.IN_CARE in judgements
        and Judgement.CARE_LEAVERS not in judgements
        and ref_year is not None
        and ref_year >= _CARE_LEAVERS_SEPARATE
        and _COMBINED.search(sentence)
    ):
        return (*judgements, Judgement.CARE_LEAVERS)
    return judgements


def _dated_earlier(year: int | None, ref_year: int | None, sentence: str) -> bool:
    """Whether a grade's stated year makes it history. The year before the item's own may
    still be this inspection's ("inspected in December 2024", written in 2025) when the
    sentence reports it as news."""
    if year is None or ref_year is None or year >= ref_year:
        return False
    on_site = _DATES.search(sentence)
    if on_site and on_site.group("y2") == str(year) and _INSPECTED.search(sentence):
        # "Following an inspection between 28 November and 9 December 2022, all categories were
        # rated good": the sentence gives this inspection's own dates (the item's date may be a
        # site banner's)
        return False
    looked_back = _YEAR_IN_REVIEW.search(sentence)
    if looked_back and looked_back.group(1) == str(year):
        return True  # "The overarching achievement from 2025 was the 'outstanding' judgment"
    return year < ref_year - 1 or not _NEWS.search(sentence)


_INSPECTED = re.compile(r"(?i)\binspect(?:ion|ed|ors)\b")
# A year reviewed as a period: "the achievement from 2025", "highlights of 2024".
_YEAR_IN_REVIEW = re.compile(
    r"(?i)\b(?:achievements?|highlights?|successes|milestones?)\s+(?:from|of|in|during)\s+"
    r"((?:19|20)\d\d)\b"
)


def _with_role(rating: GradeMention, role: Role) -> GradeMention:
    return rating if role is rating.role else dataclasses.replace(rating, role=role)


def _owners(
    text: str, rating: GradeMention, mentions: list[Mention], focus: list[Mention]
) -> list[Mention]:
    """The council mention(s) a rating belongs to."""
    if _IMAGINED_BEFORE.search(text[max(0, rating.start - 80) : rating.start]) or (
        _IMAGINED_AFTER.match(text[rating.end : rating.end + 60])
    ):
        return []  # "Another inadequate rating would lead to ...": a grade imagined, not given
    if _ONLY_OTHER.search(text[: rating.start]):
        return []  # "The only other council to go from X to outstanding is Y": a comparison
    after = [m for m in mentions if m.start >= rating.end]
    if after and (
        _LIST_FOLLOWS.fullmatch(text[rating.end : after[0].start])
        or _RATINGS_FOR.fullmatch(text[rating.end : after[0].start])
    ):
        # A heading over its list: "the councils rated poor were: A, B and C".
        listed = _coordinated_run(text, after[:1] + _following_run(text, after))
        first = next((m for m in mentions if m.end <= rating.start), None)
        if (
            first is not None
            and _ALONG_WITH.fullmatch(text[: first.start])
            and _THE_OTHERS.search(text[first.end : rating.start])
        ):
            # "Along with Haringey, the others rated poor are A, B and C": one of the group too
            listed = [first, *listed]
        return listed
    before = [m for m in mentions if m.end <= rating.start]
    if len(before) > 1:  # "Cumberland Council, in Cumbria, has been rated": a place, not a subject
        before = [m for m in before if not _LOCATION.search(text[: m.start]) or m is before[0]]
    partners_named: Mention | None = None
    while before:
        owners = _coordinated_run(text, before)
        # A partner named first makes the whole list partners ("alongside Manchester and
        # Salford"); the subject, if any, was named before them ("Stockport, unlike
        # neighbouring Trafford, was rated good").
        if not _is_partner(text, owners[0]):
            return [m for m in owners if not _is_partner(text, m)]
        if _HEADS_CLAUSE.fullmatch(text[owners[-1].end : rating.start]):
            return owners[-1:]
        if _PARTNERS_OWN.fullmatch(text[owners[-1].end : rating.start]):
            return []  # "alongside Salford and Trafford, which are also rated good"
        partners_named = partners_named or owners[-1]
        before = before[: len(before) - len(owners)]
    if partners_named is not None:
        # "The council, which works with neighbouring Bolton, was rated good": the subject is
        # the pronoun's. "joins neighbouring X, which was rated good": X's, not reported here.
        gap = text[partners_named.end : rating.start].rsplit(",", 1)[-1]
        if _PARTNERS_OWN.fullmatch(text[partners_named.end : rating.start]):
            return []  # "work with Knowsley, rated outstanding, as ...": the partner's grade
        if _PRONOUN_SUBJECT.match(text) and not _RELATIVE_START.match(gap):
            return focus
        return []
    if _PRONOUN_SUBJECT.match(text) and focus:
        return focus  # "It is the third council to be rated inadequate, after X and Y"
    if (
        not mentions
        and not rating.explicit
        and _GENERAL.search(text[: rating.end])
        and not _ONE_COUNCIL.search(text[: rating.start])
        and not _OVERALL_OF_SERVICES.search(rating.context)
    ):
        return []  # "more councils are rated good", "the framework recast adequate as ..."
    if not mentions and (_GRADING_CHANGED.search(text) or _hypothetical(text[: rating.start])):
        # "The 'adequate' rating will no longer be used, replaced with a new 'requires
        # improvement' rating"; "If any of these areas are judged inadequate, ...": the grading
        # itself, or a condition, not a council's grade
        return []
    owners = _coordinated_run(text, after[:1] + _following_run(text, after)) if after else focus
    if owners and _is_partner(text, owners[0]):
        return []
    return [m for m in owners if not _is_partner(text, m)]


# "Of eight areas, five were good, with an overall rating of the services being adequate": the
# areas are counted, but the overall grade is the services' own
_OVERALL_OF_SERVICES = re.compile(
    r"(?i)\boverall\s+(?:rating|grade|judge?ment)\s+of\s+(?:the\s+|its\s+|their\s+)?"
    r"(?:services|council|authority)\b"
)
_ALONG_WITH = re.compile(r"(?i)\W*(?:along\s+with|as\s+well\s+as|besides|in\s+addition\s+to)\s+")
_THE_OTHERS = re.compile(r"(?i)\bthe\s+others?\b|\bother\s+(?:councils|authorities|areas)\b")
_GRADING_CHANGED = re.compile(
    r"(?i)\bno\s+longer\s+be\s+(?:used|given|awarded|applied)\b|\breplaced\s+(?:with|by)\s+"
    r"(?:an?\s+|the\s+)?new\b|\bwill\s+(?:be\s+)?(?:replaced|scrapped|abolished|dropped)\b"
)
_IF_START = re.compile(r"(?i)^\W*(?:if|unless|whenever|should)\b")
_IF_CLAUSE = re.compile(r"(?i)^\W*(?:if|unless|whenever|should)\b[^,;:]*$")
_WILL = re.compile(r"(?i)\b(?:will|would)\b")
# A grade a modal verb imagines: "would be rated good", "could have been judged inadequate";
# "an inadequate rating would trigger ...", "a good grade could mean ...".
_MODAL = r"(?:would|could|might)"
_IMAGINED_BEFORE = re.compile(
    rf"(?i)\b{_MODAL}\s+(?:\w+\s+)?(?:be|have\s+been)\s+(?:rated|judged|graded|found)\s+"
    r"(?:as\s+|to\s+be\s+)?['\"]?$"
)
# The one other council that did the same ("The only other council that has made the jump ...
# is Y", "Y is the only other authority rated outstanding"): named to compare, not news.
_ONLY_OTHER = re.compile(
    r"(?i)\b(?:the\s+only|one)\s+other\s+(?:local\s+)?(?:council|authority|borough|county)\b"
)
_IMAGINED_AFTER = re.compile(
    rf"(?i)['\"]?\s+(?:overall\s+)?(?:rating|grade|judge?ment|verdict)\s+{_MODAL}\b"
)


_RESPECTIVELY = re.compile(r"(?i)['\"]?\s*(?:,\s*)?respectively\b")


def _respectively(
    text: str, ratings: list[GradeMention], mentions: list[Mention], focus: list[Mention]
) -> dict[int, list[Mention]]:
    """ "Halton and Hull, which were previously rated good and adequate respectively": the
    n-th grade is the n-th listed council's."""
    if len(ratings) < 2 or not _RESPECTIVELY.match(text, ratings[-1].end):
        return {}
    owners = _owners(text, ratings[-1], mentions, focus)
    if len(owners) != len(ratings) or any(
        _owners(text, r, mentions, focus) != owners for r in ratings
    ):
        return {}
    return {id(r): [m] for r, m in zip(ratings, owners, strict=True)}


def _hypothetical(head: str) -> bool:
    """Whether a grade sits in a condition or its consequence: "If any area is judged
    inadequate", "If ..., the council will receive an overall rating of inadequate"."""
    if _IF_CLAUSE.search(head):
        return True
    return bool(_IF_START.match(head)) and ";" not in head and bool(_WILL.search(head))


# What separates two councils of one list: a comma, a semicolon, "and", or nothing but a space
# ("Derby Halton and Bury"); a place may follow a name ("Merton in London and Torbay").
# "A, in the north west, and B, in East Yorkshire, were ...": a place aside in a list.
_LIST_JOIN = re.compile(
    r"(?:'s)?(?:,?\s+in\s+(?:(?:north|south|east|west|central|inner|outer)\s+)?"
    r"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,2}(?:\s+\([^()]{0,40}\))?|"
    r",\s+in\s+the\s+(?:north|south|east|west|midlands)(?:[\s-](?:east|west))?(?=,))?"
    r"\s*(?:,|;|and|&|,\s*and|;\s*and|)\s*"
)
_PART_OF = re.compile(r"(?i)\b(?:a|one|another)\s+(?:\w+\s+)?(?:part|corner)\s+of\s+(?:the\s+)?$")
# "St Helens in Lancashire", "Cumberland, in Cumbria": the second name is where the first is.
_IN_PLACE = re.compile(r",?\s+in\s+(?:the\s+county\s+of\s+)?")


def _without_places(text: str, mentions: list[Mention]) -> list[Mention]:
    """The mentions less those that only say where the council before them is, or name a
    county as a region ("a part of Devon")."""
    kept: list[Mention] = []
    for mention in mentions:
        if kept and _IN_PLACE.fullmatch(text[kept[-1].end : mention.start]):
            continue
        if _PART_OF.search(text[max(0, mention.start - 40) : mention.start]):
            continue  # "children's services in a part of Devon": a place, not its council
        kept.append(mention)
    return kept


def _coordinated_run(text: str, mentions: list[Mention]) -> list[Mention]:
    """The last mention and those listed with it ("Stockport, Merton and Central Bedfordshire")."""
    run = [mentions[-1]]
    for earlier in reversed(mentions[:-1]):
        gap = text[earlier.end : run[0].start]
        if not _LIST_JOIN.fullmatch(gap):
            break
        run.insert(0, earlier)
    return run


def _following_run(text: str, after: list[Mention]) -> list[Mention]:
    run: list[Mention] = []
    for prev, nxt in itertools.pairwise(after):
        if not _LIST_JOIN.fullmatch(text[prev.end : nxt.start]):
            break
        run.append(nxt)
    return run


# "services shared with X, and with the London Borough of Y": Y is a partner as X is.
_WITH_AGAIN = re.compile(
    r"(?i)\s*(?:council\s*)?(?:,\s*)?(?:and\s+)?(?:also\s+)?with\s+(?:the\s+)?"
    r"(?:(?:london\s+)?borough\s+of\s+)?"
)


def _partner_runs(text: str, mentions: list[Mention]) -> list[Mention]:
    """The partners a sentence names, with the councils listed after each ("has joined
    Hampshire, Kensington and Chelsea and Westminster": all three are comparisons)."""
    partnered: list[Mention] = []
    for i, mention in enumerate(mentions):
        gap = text[mentions[i - 1].end : mention.start] if i > 0 else ""
        listed = (
            i > 0
            and any(mentions[i - 1] is p for p in partnered)
            and (_LIST_JOIN.fullmatch(gap) or _WITH_AGAIN.fullmatch(gap)) is not None
        )
        if listed or _is_partner(text, mention):
            partnered.append(mention)
    return partnered


def _is_partner(text: str, mention: Mention) -> bool:
    before = text[max(0, mention.start - 40) : mention.start]
    if _PARTNERSHIP_BETWEEN.search(text[max(0, mention.start - 120) : mention.start]):
        return True  # "the partnership between X and Y has brought stability": both partners
    if _JOINED_GROUP.search(text[max(0, mention.start - 160) : mention.start]):
        return True  # "X joined 19 other councils, including Y and Z": Y and Z are comparisons
    if _GROUP_MEMBER.search(before) or _OPENS_INCLUDING.fullmatch(text[: mention.start]):
        # "nine areas, including Haringey, have been rated poor"; "Including Halton, which was
        # rated good, 44 councils have now been inspected": a member
        return False
    if _PARTNER_BEFORE.search(before) or _PARTNER_AFTER.match(text[mention.end :]):
        return True
    return mention.ambiguous and bool(
        _AGENT_BEFORE.search(text[max(0, mention.start - 80) : mention.start])
    )


_ALL_AREAS_END = re.compile(
    r"(?i)\b(?:across|in|for)\s+(?:all|each\s+of)\s+(?:the\s+|its\s+)?(?:three|four|five|[345])\s+"
    r"(?:[\w-]+\s+){0,2}?(?:areas|categories|judge?ments)\b[^.;:,]{0,40}[:.]?\s*$"
)
_AREAS_HEADING = re.compile(r"(?i)\b(?:areas?|judge?ments?|categories|aspects)\b[^:]{0,160}:\s*$")


_THIS_AREA = re.compile(r"(?i)\W*(?:this|that|the)\s+(?:area|judge?ment|aspect)\b")
_THIS_AREA_BEFORE = re.compile(r"(?i)\b(?:this|that)\s+(?:area|aspect)\b")


def _this_area(
    text: str, ratings: list[GradeMention], label: Judgement | None
) -> list[GradeMention]:
    """ "The impact of leaders." then "This area requires improvement to be good.": the grade
    is the named judgement's."""
    if label is None:
        # "This area will require improvement to be good", "provision in this area was rated
        # good": one area's grade, never the overall one.
        return [
            r
            for r in ratings
            if r.explicit
            or r.judgements != (Judgement.OVERALL,)
            or not _THIS_AREA_BEFORE.search(text[: r.start])
        ]
    if not _THIS_AREA.match(text):
        return ratings
    return [
        r if r.explicit else dataclasses.replace(r, judgements=(label,), explicit=True)
        for r in ratings
    ]


def _heading_under(
    sentence: Sentence,
    ratings: list[GradeMention],
    mentions: list[Mention],
    heading: GradeMention | None,
    found: dict[str, _Found],
    focus: list[Mention],
) -> GradeMention | None:
    """A heading that grades the judgement rows listed under it ("The areas rated 'requires
    improvement' were:" then one line per judgement): each row takes the heading's grade for
    the council the story is about. Returns the heading still in force."""
    if ratings or mentions:
        if len(ratings) == 1 and not mentions and _AREAS_HEADING.search(sentence.text):
            return ratings[0]
        if len(ratings) == 1 and _ALL_AREAS_END.search(sentence.text):
            # "... should be rated 'Good' across all three key categories of their inspection"
            # over one row per category: the overall grade, and each row's
            return dataclasses.replace(ratings[0], judgements=())
        return None
    if heading is None or len(focus) != 1:
        return None
    judgements = [j for j in judgement_labels(sentence.text) if j is not Judgement.OVERALL]
    if not judgements:
        return None
    for judgement in judgements:
        claim = _Claim(judgement, heading.grade, heading.role, heading.year, sentence.text)
        _record(found, focus[0].councils, claim, set())
    return heading


_AMONG_GROUP = re.compile(
    r"(?i)\b(?:is|was)\s+(?:one\s+of|among)\s+(?:the\s+)?(?:two|three|four|five|six|seven|eight|"
    r"nine|ten|eleven|twelve|\d+)\s+(?:[\w-]+\s+)?(?:councils|local\s+authorities|authorities)\b"
)


def _note_group_grade(
    sentence: Sentence, ratings: list[GradeMention], mentions: list[Mention]
) -> Grade | None:
    """A grade given to "three councils" before they are named ("X is among nine councils
    rated poor" names one of them)."""
    if mentions and not (len(mentions) == 1 and _AMONG_GROUP.search(sentence.text)):
        return None
    for rating in ratings:
        if rating.role is Role.CURRENT and _GROUP_SUBJECT.search(rating.context):
            return rating.grade
    return None


def _lists_group(sentence: Sentence, mentions: list[Mention]) -> bool:
    return len(mentions) >= 2 and bool(_GROUP_REFERENCE.search(sentence.text))


def _record(
    found: dict[str, _Found],
    councils: tuple[Council, ...],
    claim: _Claim,
    history: set[str],
    heirs: dict[str, tuple[Council, ...]] | None = None,
) -> None:
    if claim.judgement is Judgement.OVERALL:
        # A predecessor's grade ("last assessed as part of the former Cumbria County Council,
        # when it was rated as requires improvement") is the grade before its successor's.
        for old in (c.la_code for c in councils if c.la_code in history):
            for heir in (heirs or {}).get(old, ()):
                if heir.la_code in found:
                    found[heir.la_code].add(dataclasses.replace(claim, role=Role.PREVIOUS))
    councils = tuple(c for c in councils if c.la_code not in history)
    for council in councils:
        entry = found.setdefault(council.la_code, _Found(council))
        entry.ambiguous = entry.ambiguous or len(councils) > 1
        entry.add(claim)
        if claim.sentence not in entry.said:
            entry.said.append(claim.sentence)


def _event(
    found: _Found,
    framework: Framework,
    published: date | None,
    start: date | None,
    end: date | None,
    context: list[str],
) -> RatingEvent | None:
    """The event for one council; ``context`` holds other sentences that may state its change
    in words ("Wigan's children's services upgraded")."""
    # The LSCB grade is not the council's; an adoption grade alone is the council's adoption
    # agency being inspected, not its children's services.
    if Judgement.OVERALL not in found.current and found.majority is not None:
        found.current[Judgement.OVERALL] = (found.majority.grade, found.majority.sentence)
    council_grades = set(found.current) - {Judgement.LSCB, Judgement.ADOPTION}
    if not council_grades or council_grades == {Judgement.LEADERS}:
        # "Leadership" alone, without an overall grade, is some other service's leadership (an
        # adoption agency's "outstanding leadership"), not a children's-services judgement.
        return None
    if len(council_grades) == 1 and Judgement.OVERALL not in council_grades:
        # One judgement alone stands only where an inspection graded it ("Inspectors judged
        # care leavers' experiences outstanding"), not an award ("recognised as outstanding").
        (only,) = council_grades
        # (a headline "X child protection service 'inadequate'" carries the grade; the lede
        # "after inspectors condemned the service as inadequate" says an inspection gave it)
        word = re.compile(rf"(?i)\b{re.escape(found.current[only][0].value)}\b")
        said = [found.current[only][1], *(s for s in found.said if word.search(s))]
        if not any(_GRADED_BY_INSPECTION.search(s) for s in said) or _AWARD.search(said[0]):
            return None
    if framework is Framework.PRE_2013 and Judgement.HELP_AND_PROTECTION in found.current:
        # Before 2013 no inspection graded "help and protection": a child-protection
        # inspection's grade ("child protection services in Bristol are good") is its overall
        # effectiveness.
        protection = found.current.pop(Judgement.HELP_AND_PROTECTION)
        found.current.setdefault(Judgement.OVERALL, protection)
    grades = Grades(**{j.value: g for j, (g, _) in found.current.items()})
    evidence = [Evidence("council", found.council_evidence)]
    evidence += [Evidence(j.value, s) for j, (_, s) in found.current.items()]
    previous = _previous(found, grades.overall)
    stated: tuple[Direction, str] | None = None
    if previous is not None:
        evidence.append(Evidence("previous", previous[1]))
    elif grades.overall is not None:
        stated = _stated_direction(found.said + context)
        if stated is not None and grades.overall is (
            Grade.INADEQUATE if stated[0] is Direction.UPGRADE else Grade.OUTSTANDING
        ):
            stated = None  # nothing is below inadequate or above outstanding
        if stated is not None:
            evidence.append(Evidence("change", stated[1]))
    if found.old_scale and (published is None or published < SIF_FROM):
        framework = Framework.PRE_2013  # "rated poor": the annual assessments' scale
    if framework is Framework.PRE_2013 and grades.overall is Grade.REQUIRES_IMPROVEMENT:
        framework = Framework.UNKNOWN
    return RatingEvent(
        council=found.council,
        framework=framework,
        grades=grades,
        previous=previous[0] if previous else None,
        inspection_start=start,
        inspection_end=end,
        published=published,
        evidence=tuple(evidence),
        needs_review=("council",) if found.ambiguous else (),
        stated_change=stated[0] if stated else None,
    )


# "... are adequate," the report said: a report's judgement, quoted
_GRADED_BY_INSPECTION = re.compile(
    r"(?i)\b(?:rated|judged|graded|inspect\w*|the\s+report\s+(?:said|says|found))\b"
)
_AWARD = re.compile(r"(?i)\bawards?\b|\bshortlisted\b|\bwinners?\b")
# A change stated without the grade before it (issue 9, cause 5).
_STATED_UP = re.compile(
    r"(?i)\b(?:upgraded|improved\s+(?:on\s+)?(?:its|their|the)\s+(?:\w+\s+)?"
    r"(?:rating|grade|result|judge?ment|score)|(?:raised|boosted|lifted|uplifted)\s+(?:its|their|the)\s+"
    r"(?:\w+\s+){0,3}?rating|uplifted\s+to\s+['\"]?(?:good|outstanding|requires)|moved\s+up|"
    r"no\s+longer\s+(?:rated\s+|judged\s+)?['\"]?inadequate|"
    r"(?:improved|rose|risen|jumped|climbed|leapt|moved\s+up)\s+(?:by\s+)?(?:one|a|two)\s+grades?|"
    r"up\s+a\s+grade|improv(?:es|ed|ing)\s+to\s+['\"]?(?:good|outstanding)|"
    # "an improvement on last year's ratings" (on "the previous inspection" may be on its
    # practice: the shared Stockport seed states no change)
    r"(?<!requires\s)(?<!require\s)improvement\s+on\s+(?:the|its|their|last\s+year's)\s+"
    r"(?:previous\s+|last\s+|earlier\s+)?(?:assessment|rating|grade|judge?ment|score)s?|"
    r"(?:good|outstanding)['\"]?\s+(?:\w+\s+){0,3}?for\s+the\s+first\s+time|"
    r"now\s+(?:rated|judged)\s+(?:as\s+)?['\"]?(?:good|outstanding)['\"]?(?!\s+again)|"
    r"(?:for\s+)?the\s+first\s+time\b[^.;]{0,80}?\b(?:rated|judged|graded)\s+(?:as\s+)?['\"]?"
    r"(?:good|outstanding)|"
    # "the upgrade was welcome"; "had been judged to be failing" (the verdict before this one)
    r"(?:the|this|its|their)\s+upgrade|had\s+been\s+(?:judged|rated|deemed|branded|found)\s+"
    r"(?:to\s+be\s+|as\s+)?failing)\b"
)
_STATED_DOWN = re.compile(
    r"(?i)\b(?:downgrad(?:ed|ing)|(?:dropped|fell|fallen|slipped|moved\s+down)\s+(?:by\s+)?(?:one|a|two)\s+"
    r"grades?|"
    r"lost\s+(?:its|their)\s+(?:['\"]?(?:good|outstanding)['\"]?\s+|top\s+)(?:rating|grade|status)|"
    r"down\s+a\s+grade|(?:drop|fall|decline)\s+in\s+(?:its|their|the)\s+(?:\w+\s+)?(?:rating|grade)|"
    # Ofsted's words for a lower grade, "the overall effectiveness of services ... has declined
    # since the last inspection" (a service's quality "deteriorated" may keep its grade)
    r"effectiveness\b[^.;]{0,80}?\b(?:has|have|had)\s+(?:declined|deteriorated|worsened)\s+since\s+"
    r"(?:the|its|their|it\s+was|they\s+were)\s+(?:last|previous|previously)\b|"
    # "the service has declined since the last inspection" (the whole service, not one area)
    r"\bservices?\s+(?:has|have|had)\s+declined\s+since\s+(?:the|its|their)\s+(?:last|previous)\b|"
    # "the downgrade was heart-breaking"
    r"(?:the|this|its|their)\s+downgrade)\b"
)


def _context(
    entry: _Found,
    found: dict[str, _Found],
    sentences: list[Sentence],
    mentions: list[list[Mention]],
) -> list[str]:
    """Where a change stated in words may be for this council: any sentence of an item about
    it alone; in a round-up, the title when it names no other council."""
    if len(found) == 1:
        return [s.text for s in sentences]
    if not sentences or not sentences[0].is_title:
        return []
    named = {c for m in mentions[0] for c in _codes(m)}
    return [sentences[0].text] if named <= {entry.council.la_code} else []


def _stated_direction(texts: list[str]) -> tuple[Direction, str] | None:
    """The one direction the sentences about a council state in words, with the sentence."""
    ups = [t for t in texts if _STATED_UP.search(t)]
    downs = [t for t in texts if _STATED_DOWN.search(t)]
    if ups and not downs:
        return Direction.UPGRADE, ups[0]
    if downs and not ups:
        return Direction.DOWNGRADE, downs[0]
    return None


# "leading the watchdog to upgrade the service to 'requires improvement' in 2017": a dated
# move to a grade, the last one before this inspection when no later grade is dated
_MOVED_THEN = re.compile(r"(?i)\b(?:upgrad|downgrad|rais|lift|improv|lower)\w*\b[^.;]{0,60}?\bto\b")


def _previous(found: _Found, overall: Grade | None) -> tuple[Grade, str] | None:
    """The overall grade before this inspection, as the item states it."""
    if found.retained and overall is not None:
        dated = [c for c in found.previous if c.year is not None]
        latest = max(dated, key=lambda c: c.year or 0, default=None)
        if (
            latest is not None
            and latest.grade is not overall
            and _AGAIN.search(found.retained)
            and all(
                c.year is not None and c.year < (latest.year or 0) for c in dated if c is not latest
            )
        ):
            # "rated inadequate once again", with "inadequate in 2016 but requires improvement
            # in 2019": again as in 2016; the grade this replaced is the latest one, 2019's
            return latest.grade, latest.sentence
        return overall, found.retained
    if found.replaced is not None:
        return found.replaced.grade, found.replaced.sentence
    if Judgement.OVERALL in found.standing and overall is not None:
        # "rated inadequate for years, and the latest report says they remain so"
        return overall, found.current[Judgement.OVERALL][1]
    if not found.previous:
        return None
    # An undated previous grade is stated against this inspection ("up from", "previously");
    # among dated ones, the latest is the one this inspection replaced.
    candidates = found.previous
    dated = [c for c in candidates if c.year is not None]
    if dated:
        latest = max(dated, key=lambda c: c.year or 0)
        if (
            latest.grade is overall
            and (_EARLIER_INSPECTION.search(latest.sentence) or _MOVED_THEN.search(latest.sentence))
            and all(
                c.year is not None and c.year < (latest.year or 0)
                for c in candidates
                if c is not latest
            )
        ):
            # "since the last inspection in 2015, which achieved 'good' - great strides from
            # 'adequate' in 2013": the latest dated earlier inspection's grade, kept
            return latest.grade, latest.sentence
    if any(c.grade is not overall for c in candidates):
        # A "previous" equal to the new grade, beside a different one, is rarely the grade
        # replaced ("three years after a scathing report ... good"): a kept grade is said so.
        candidates = [c for c in candidates if c.grade is not overall]
    near = [c for c in candidates if not (c.year is None and c.distant)]
    if len(near) < len(candidates) and any(c.year is not None for c in near):
        # "For over a decade ... rated inadequate" beside "since 2022, when services were rated
        # requires improvement": the grade given long ago is not the one this replaced
        candidates = near
    # An undated grade the item also dates elsewhere is that earlier one again ("inadequate in
    # 2014", later "moved on a long way from being rated inadequate"), not the one replaced.
    dated_grades = {c.grade for c in candidates if c.year is not None}
    undated = [c for c in candidates if c.year is None and c.grade not in dated_grades]
    chosen = undated[0] if undated else max(candidates, key=lambda c: c.year or 0)
    return chosen.grade, chosen.sentence


def _after_reform(sentences: list[Sentence], published: date | None, start: date | None) -> bool:
    """Whether the item reports an inspection under the post-April-2026 framework: on-site
    dates after the change, the wording of the reform, or a new framework in an item written
    after it."""
    if start is not None:
        return start >= OVERALL_REMOVED_ON
    whole = " ".join(s.text for s in sentences)
    if _OLD_RULES.search(whole):
        return False
    if _NO_OVERALL.search(whole):
        return True
    written = published.year if published else max(map(int, _YEAR.findall(whole)), default=0)
    return written >= OVERALL_REMOVED_ON.year and _NEW_FRAMEWORK.search(whole) is not None


def _drop_overall(found: _Found) -> None:
    """No overall grade exists under the reformed framework: an "overall" read from loose
    wording ("good across all four areas") goes, when the judgements themselves are stated."""
    judged = set(found.current) - {Judgement.OVERALL, Judgement.LSCB}
    if judged and Judgement.OVERALL in found.current:
        del found.current[Judgement.OVERALL]
        found.retained = None


def _codes(mention: Mention) -> set[str]:
    return {c.la_code for c in mention.councils}


def _heirs(mentions: list[list[Mention]], history: set[str]) -> dict[str, tuple[Council, ...]]:
    """The successors the item names of each predecessor it names."""
    named = {c.la_code: c for ms in mentions for m in ms if not m.ambiguous for c in m.councils}
    return {old: tuple(named[new] for new in _SUCCESSORS[old] if new in named) for old in history}


def _superseded(mentions: list[list[Mention]]) -> set[str]:
    """Predecessor authorities the item names alongside a successor: their grades are history."""
    named = {code for ms in mentions for m in ms if not m.ambiguous for code in _codes(m)}
    return {old for old, new in _SUCCESSORS.items() if old in named and named.intersection(new)}


_ABOUT_CHILDREN = re.compile(
    r"(?i)\bchildren(?:'s|,)?\s+(?:and|&)\s+(?:young\s+people|families)\b|"
    r"\bservices\b[^.;]{0,60}\bchildren\b|\bchildren\b[^.;]{0,60}\bservices\b|"
    # "Bury Council has apologised after a damning Ofsted report", "Inspectors visited Wigan"
    r"\bofsted\b|\binspect(?:ors?|ion|ed)\b"
)


def _first_subject(sentences: list[Sentence], mentions: list[list[Mention]]) -> list[Mention]:
    for sentence, sentence_mentions in zip(sentences, mentions, strict=True):
        if sentence_mentions:
            about_children = names_childrens_services(sentence.text) or bool(
                _ABOUT_CHILDREN.search(sentence.text)
            )
            if about_children and not about_other_subject(sentence.text):
                return sentence_mentions[:1]
            return []
    return []


# "A council has been rated inadequate", "helps London borough retain its rating": a headline
# or lede that does not name the council it is about.
_UNNAMED_COUNCIL = re.compile(
    r"(?i)(?:^\W*an?\s+|\b(?:rates?|rated|sees?|saw|helps?|helped|leaves?|left)\s+(?:an?\s+)?)"
    r"(?:(?:london|county|city|metropolitan|unitary)\s+)?(?:council|borough|local\s+authority)\b"
    r"(?!'s)(?:\s+(?:has|have|was|is|had|rated|retain\w*|keep\w*)\b|\s+['\"]|\s*$)"
)


_OUR_SERVICES = re.compile(
    r"(?i)\bour\s+(?:(?:latest|recent|new|annual)\s+)?(?:ofsted\s+(?:report|inspection|rating|grade)|"
    r"children'?s\s+services|services\s+for\s+children|inspection|rating|grades?|scores?)\b|"
    r"\bwe\s+(?:have\s+)?(?:been\s+|were\s+)?(?:scored|graded|rated|judged|achieved)\b"
)


def _sole_council(sentences: list[Sentence], mentions: list[list[Mention]]) -> list[Mention]:
    """The council an item names only after an opening that leaves it unnamed ("Ofsted rates
    council 'inadequate'" then, further down, "Gloucestershire County Council"), when it is
    the only council the item names."""
    named = [m for sentence_mentions in mentions for m in sentence_mentions]
    if not named or len({code for m in named for code in _codes(m)}) != 1:
        return []
    opening = [s for s in sentences[:4] if len(s.text.split()) >= 4][:2]
    if any(_UNNAMED_COUNCIL.search(s.text) for s in opening):
        return named[:1]
    if any(_OUR_SERVICES.search(s.text) for s in sentences[:8]):
        # a council's own bulletin or its lead member's blog: "our Ofsted report", "we have
        # scored": "we" is the one council the item names
        return named[:1]
    return []


def _successors_after_abolition(
    mentions: list[list[Mention]], published: date | None, councils: CouncilRegistry | None
) -> dict[int, tuple[Council, ...]]:
    """A predecessor named in an item published after it ceased: its successors (the ones the
    item also names, else all of them)."""
    if published is None:
        return {}
    registry = councils if councils is not None else load_councils()
    named = {c.la_code for ms in mentions for m in ms for c in m.councils}
    remapped: dict[int, tuple[Council, ...]] = {}
    for sentence_mentions in mentions:
        for mention in sentence_mentions:
            codes = _codes(mention)
            if len(codes) != 1 or (old := next(iter(codes))) not in _ABOLISHED:
                continue
            if published < _ABOLISHED[old]:
                continue
            successors = [c for code in _SUCCESSORS[old] if (c := registry.by_code(code))]
            narrowed = [c for c in successors if c.la_code in named]
            remapped[id(mention)] = tuple(narrowed or successors)
    return remapped


def _resolve_shared_names(mentions: list[list[Mention]]) -> dict[int, tuple[Council, ...]]:
    """A shared name (Achieving for Children) means the councils it covers that the item also
    names on their own; when it names none of them, all of them."""
    named = {c.la_code for ms in mentions for m in ms if not m.ambiguous for c in m.councils}
    resolved: dict[int, tuple[Council, ...]] = {}
    for sentence_mentions in mentions:
        for mention in sentence_mentions:
            if mention.ambiguous:
                narrowed = tuple(c for c in mention.councils if c.la_code in named)
                resolved[id(mention)] = narrowed or mention.councils
    return resolved


def _reference_year(sentences: list[Sentence], published: date | None) -> int | None:
    """The year the item is written in: its publication date, else the latest year it names."""
    if published is not None:
        return published.year
    years = [
        int(m.group(0))
        for s in sentences
        for m in _YEAR.finditer(s.text)
        if not _PLAN_YEAR.search(s.text[max(0, m.start() - 12) : m.end() + 3])
    ]
    return max(years) if years else None


def _framework(
    sentences: list[Sentence], published: date | None, found: dict[str, _Found]
) -> Framework:
    """The framework, from the item's wording first, then its dates."""
    whole = " ".join(s.text for s in sentences)
    if _SIF_WORDS.search(whole):  # "one of the last under the SIF, to be replaced by ILACS"
        whole = " ".join(s.text for s in sentences if not _ILACS_TO_COME.search(s.text))
    if _ILACS_WORDS.search(whole):
        return Framework.ILACS
    if (published is None or published < _OLD_INSPECTIONS_UNTIL) and any(
        (_PROTECTION_INSPECTION.search(s.text) or _OLD_ASSESSMENT.search(s.text))
        and not _EARLIER_INSPECTION.search(s.text)
        and not _HAD_SAID.search(s.text)  # "In 2013, Ofsted had said ...": the one before
        for s in sentences
    ):
        # the 2012-13 child-protection inspections or the older assessments, by their name
        return Framework.PRE_2013
    graded = {j for f in found.values() for j in f.current}
    years = [int(y) for y in _YEAR.findall(whole)]
    # Safeguarding boards and adoption grades predate the SIF: an item whose dates are all
    # before it is about an older inspection.
    # Years of earlier inspections ("the previous inspection, carried out in 2012") do not
    # date this one.
    # Nor do years looked back to ("investment since 2010 is now paying off").
    looked_back = {int(m.group(1)) for m in _SINCE_YEAR.finditer(whole)}
    own_years = [
        int(y)
        for s in sentences
        if not _EARLIER_INSPECTION.search(s.text)
        for y in _YEAR.findall(s.text)
        if int(y) not in looked_back
    ]
    before_sif = (published is not None and published < SIF_FROM) or (
        published is None
        and bool(own_years)
        and max(own_years) < SIF_FROM.year
        and not _only_history_year(max(own_years), found)
        # "deteriorated since they were inspected in 2012": this inspection came after
        and not _LAST_INSPECTION_YEAR.search(whole)
    )
    # The SIF's judgement names in a sentence about the inspection before ("The last time it
    # was inspected - in 2015 - it was ... good in leadership, management and governance") say
    # what that one was.
    sif_named = any(
        _SIF_WORDS.search(s.text)
        and not _ILACS_TO_COME.search(s.text)
        and not _LAST_INSPECTION_YEAR.search(s.text)
        and not _EARLIER_INSPECTION.search(s.text)
        for s in sentences
    )
    # "adequate" left the scale with the SIF: a grade given in it is older, even in an item
    # naming the safeguarding board (boards were inspected before the SIF too)
    if any(g is Grade.ADEQUATE for f in found.values() for g, _ in f.current.values()):
        return Framework.PRE_2013
    if sif_named or Judgement.ADOPTION in graded or Judgement.LSCB in graded:
        return Framework.PRE_2013 if before_sif else Framework.SIF
    # ("all areas for improvement from the previous inspection in 2014": that year is not
    # this item's)
    if _ILACS_HINT.search(whole) and not (
        (published is not None and published < ILACS_FROM)
        or (published is None and own_years and max(own_years) < ILACS_FROM.year - 1)
    ):
        return Framework.ILACS
    if _ADOPTION_GRADED.search(whole):
        return Framework.SIF
    previous = [
        p[0]
        for f in found.values()
        if (p := _previous(f, f.current.get(Judgement.OVERALL, (None, ""))[0])) is not None
    ]
    if (
        Grade.REQUIRES_IMPROVEMENT in previous
        and (published is None or published >= ILACS_FROM)
        and not _ADOPTION_NAMED.search(whole)  # only the SIF graded adoption
    ):
        # "requires improvement" came in with the SIF, which inspected each council once and
        # re-inspected only those it judged inadequate: the inspection after one is ILACS
        return Framework.ILACS
    reinspected = any(
        (p := _previous(f, f.current.get(Judgement.OVERALL, (None, ""))[0])) is not None
        and p[0] is Grade.INADEQUATE
        for f in found.values()
    )
    reinspected = reinspected or _REINSPECTION.search(whole) is not None
    if published is not None:
        if reinspected and published < _SIF_REINSPECTIONS_UNTIL:
            # Councils judged inadequate were re-inspected under the SIF into 2018.
            return Framework.SIF
        return Framework.for_date(published)
    last = [int(m.group(1) or m.group(2)) for m in _LAST_INSPECTION_YEAR.finditer(whole)]
    if last:
        # The SIF inspected each council once, from late 2013 to 2017, and re-inspected only
        # the councils it judged inadequate: after an SIF inspection the next one is ILACS,
        # unless it is such a re-inspection (about two years on).
        year = max(last)
        if reinspected:
            estimate = date(year + 2, 6, 30)
            if SIF_FROM <= estimate < _SIF_REINSPECTIONS_UNTIL:
                return Framework.SIF
            return Framework.for_date(estimate)
        if year > SIF_FROM.year:
            return Framework.ILACS
        return Framework.for_date(date(year + 3, 6, 30))
    # The latest year the item names is about when it was written; a year only ever given to
    # an earlier grade ("rated good at its previous inspection in 2017") means later than that.
    # "the first time since 2011": the item is from well after the year it looks back to.
    since = [int(m.group(1)) for m in _SINCE_YEAR.finditer(whole)]
    gap = 6 if _LONG_SINCE.search(whole) else 3
    years = [y for y in years if y not in since] or [y + gap for y in since]
    if not years:
        if _ADOPTION_NAMED.search(whole):
            # Only the SIF graded adoption: an item with no year that discusses it is about
            # one of its inspections.
            return Framework.SIF
        if _LOOKED_AFTER.search(whole) and not _IN_CARE_WORDS.search(whole):
            # "children looked after" is the SIF's name for the group ILACS calls "children
            # in care": an undated item that uses only the older name is about an SIF inspection
            return Framework.SIF
        return Framework.for_date(date.today())  # an undated item is read as current news
    latest = max(years)
    if _only_history_year(latest, found):
        # The next full inspection comes about three years after the one the item looks back
        # on ("since the previous inspection in 2014"), sooner after an inadequate one.
        if _LONG_SINCE.search(whole):
            return Framework.for_date(date(latest + 6, 6, 30))
        return Framework.for_date(
            date(latest + 2, 12, 31) if reinspected else date(latest + 3, 6, 30)
        )
    if latest == 2013:
        # "requires improvement" came in with the SIF in November 2013
        if any(
            f.current.get(Judgement.OVERALL, (None, ""))[0] is Grade.REQUIRES_IMPROVEMENT
            for f in found.values()
        ):
            return Framework.SIF
        return Framework.UNKNOWN
    return Framework.for_date(date(latest, 6, 30))


def _only_history_year(year: int, found: dict[str, _Found]) -> bool:
    """Whether ``year`` is named only in sentences that state an earlier grade."""
    history = {c.sentence for f in found.values() for c in f.previous}
    history |= {f.replaced.sentence for f in found.values() if f.replaced is not None}
    current = {s for f in found.values() for _, s in f.current.values()} - history
    named = re.compile(rf"\b{year}\b")
    return any(named.search(s) for s in history) and not any(named.search(s) for s in current)


def _inspection_dates(
    sentences: list[Sentence], published: date | None
) -> tuple[date | None, date | None]:
    """The on-site dates: "12 to 23 May 2025", or "28 March - 1 April" in an item whose
    publication date gives the year (the last such dates before it)."""
    for sentence in sentences:
        if not re.search(r"(?i)inspect|visit|on site|took place", sentence.text):
            continue
        match = _DATES.search(sentence.text)
        if match is None:
            continue
        m2 = month_number(match.group("m2"))
        m1 = month_number(match.group("m1") or match.group("m2"))
        if m1 is None or m2 is None:
            continue
        if match.group("y2"):
            y2 = int(match.group("y2"))
        elif published is not None:
            y2 = published.year if m2 <= published.month else published.year - 1
        else:
            continue
        y1 = int(match.group("y1") or (y2 if m1 <= m2 else y2 - 1))
        try:
            return date(y1, m1, int(match.group("d1"))), date(y2, m2, int(match.group("d2")))
        except ValueError:
            continue
    return None, None
