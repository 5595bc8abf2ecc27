"""Finding English councils in free text: the names people actually write.

One regex of every name and alias from the reference list (plus forms the press uses:
"Hull", "Kingston", "Richmond", "the London Borough of X"), longest first so the longest name
at a position wins ("North Somerset" over "Somerset", "Central Bedfordshire" over nothing,
"Kingston upon Hull" over "Kingston"). Lookalikes are matched too and then dropped: "New York",
"Newcastle-under-Lyme", "Durham University", "Derby County", a person called Kent, a newspaper
called the Stockport Express. A name shared by several councils (Achieving for Children,
Northamptonshire Children's Trust) yields one mention naming all of them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from monitor.councils import CouncilRegistry, load_councils
from monitor.models import Council

# Forms the reference list lacks but the press writes; each maps to one official name.
_EXTRA_NAMES: dict[str, tuple[str, ...]] = {
    "Kingston upon Thames": ("Kingston", "Royal Borough of Kingston"),
    "Richmond upon Thames": ("Richmond", "London Borough of Richmond"),
    "Kingston Upon Hull, City of": ("Kingston upon Hull",),
    "Bristol, City of": ("Bristol",),
    "St. Helens": ("St Helens",),
    "Stoke-on-Trent": ("Stoke on Trent", "Stoke"),
    "Stockton-on-Tees": ("Stockton",),
    "Southend-on-Sea": ("Southend", "Southend on Sea"),
    "Redcar and Cleveland": ("Redcar & Cleveland", "Redcar"),
    "Brighton and Hove": ("Brighton & Hove", "Brighton"),
    "Windsor and Maidenhead": ("Windsor & Maidenhead",),
    "Slough": ("Slough Children's Trust",),
    "Doncaster": ("Doncaster Children's Trust",),
    "Sunderland": ("Together for Children Sunderland",),
    "Telford and Wrekin": ("Telford & Wrekin",),
    "Herefordshire": ("Hereford",),
    "Durham": ("Durham County",),
    "Isle of Wight": ("IoW",),
    "East Riding of Yorkshire": ("East Yorkshire",),
    "North East Lincolnshire": ("North East Lincs", "NE Lincs"),
    "North Lincolnshire": ("North Lincs",),
}

# Longer phrases that begin with (or contain) a council name but are not that council.
_LOOKALIKES = (
    "New York",
    "Newcastle-under-Lyme",
    "Newcastle under Lyme",
    "Richmond, North Yorkshire",
    "Richmond in North Yorkshire",
    "Sutton Coldfield",
    "Bury St Edmunds",
    "Stoke Newington",
    "Stoke Mandeville",
    "Kingston University",
    "Brent Cross",
    "Derby County",
    "Stockport County",
    "Notts County",
    "Hull City",
    "Leicester City",
    "Bristol City",
    "Stoke City",
    "Manchester City",
    "Birmingham City",
    "Coventry City",
    "Bradford City",
    "York City",
    "Plymouth Argyle",
    "Nottingham Forest",
    "Reading FC",
    "Sheffield Wednesday",
    "Isle of Man",
    "Greater Manchester",
    "Greater London",
    "West Midlands",
    "West Yorkshire",
    "South Yorkshire",
)

# A council name followed by one of these words names something else (a police force, a
# university, a newspaper, a football club, a hospital, a school).
_ORGANISATION_WORDS = (
    "Police|Constabulary|University|College|Academy|School|Primary|Grammar|Hospital|Hospitals"
    "|Infirmary|NHS|Cathedral|Minster|Airport|Crown|Magistrates|FC|United|Town|Rovers|Wanderers"
    "|Athletic|Albion|Argyle|Wednesday|Forest|Evening|News|Post|Echo|Telegraph|Express|Live"
    "|Chronicle|Gazette|Mercury|Herald|Argus|Advertiser|Times|Standard|Star|Journal|Observer"
    "|Mail|Today|Press|Examiner|Courier|Citizen|Reporter|Festival|Station|Prison|Fire|Diocese"
    "|Youth|Magistrates'|Hospice|Zoo|Museum|Park|Road|Street"
)
_ORGANISATION_AFTER = re.compile(rf"\s+(?:{_ORGANISATION_WORDS})\b")
_ORGANISATION_BEFORE = re.compile(r"(?:University of|Bishop of|Archbishop of|Duke of|Earl of)\s+$")

# Capitalised words that may stand right before a one-word council name without making it a
# person's surname ("In Kent", "Neighbouring Bury"); any other capitalised word ("Jane Kent",
# "Mr Derby") marks a person.
_BEFORE_OK = re.compile(
    r"(?:"
    r"The|In|At|For|From|Of|And|By|On|To|With|Across|Both|But|While|Whereas|Meanwhile|"
    r"Neighbouring|Nearby|North|South|East|West|Central|Greater|Inner|Outer|Like|Unlike|Ofsted|"
    r"OFSTED|Inspectors|Why|How|What|When|Where|As|After|Before|Since|Under|Over|Including|"
    r"Only|Also|Today|Yesterday|Within|Around|Near|Than|About|All|So|Yet|Then|Now|Once|Leaving|"
    r"Rural|Council|Councils|Authority|Authorities|News|Exclusive|Update|Updated|Breaking|"
    r"Royal|Borough|City|County|Metropolitan|London|England|English|Children's|Services|Family|"
    r"A|An|Its|It|This|That|These|Those|Report|Rating|Ratings|Ofsted's|Watchdog|Inspection|"
    r"Care|Social|Good|Outstanding|Inadequate|Adequate|Requires|Improvement|Improved|Rated|"
    r"Judged|Downgraded|Upgraded|Praise|Concern|Concerns|Boost|Blow|Each|Every|Other|Others|"
    r"Among|Between|Against|Despite|Via|Per|Following|Elsewhere|Similarly|Likewise|Separately|"
    r"However|Overall|Earlier|Later|Last|Next|Manchester|Yorkshire|Tyneside|Merseyside|"
    r"Midlands|Wear|Tees|Rates|Praises|Praised|Slams|Criticises|Criticised|Names|Says|Tells|"
    r"Gives|Hails|Backs|Upgrades|Downgrades|Delight|Joy|Shock|Relief|Success|Celebrates"
    r")"
)
# Capitalised words that may follow a one-word council name ("Kent County Council", "Stockport
# Family", "Doncaster Children's Services Trust"); any other ("Brent Smith") marks a person or
# another organisation.
_AFTER_OK = re.compile(
    r"(?:"
    r"Council|Council's|Councils|County|City|Borough|Metropolitan|District|Unitary|Children's|"
    r"Childrens|Children|Family|Families|Safeguarding|Local|MBC|MDC|CC|BC|LSCB|SCB|Ofsted|"
    r"Ofsted's|Corporation|Cabinet|Labour|Conservative|Tory|Liberal|Lib|Green|Reform|"
    r"Independent|Good|Outstanding|Inadequate|Adequate|Requires"
    r")"
)
_WORD_BEFORE = re.compile(r"([A-Z][\w'’.]*)[ \t]+$")
_WORD_AFTER = re.compile(r"^(?:['’]s)?[ \t]+([A-Z][\w'’]*)")
_VERB_AFTER = re.compile(r"\s+(?:the|this|that|a|an|through|between|it|his|her|their|about)\b")
_TITLES = re.compile(
    r"(?:"
    r"Mr|Mrs|Ms|Miss|Dr|Prof|Professor|Sir|Dame|Lord|Lady|Cllr|Coun|Rev"
    r")"
)


@dataclass(frozen=True)
class Mention:
    """A council name found in text; ``councils`` holds several when the name is shared."""

    start: int
    end: int
    surface: str
    councils: tuple[Council, ...]

    @property
    def ambiguous(self) -> bool:
        return len(self.councils) > 1


class Gazetteer:
    """Every council's names, compiled once; ``find`` returns the council mentions in a text."""

    def __init__(self, councils: Iterable[Council]):
        names: dict[str, list[Council]] = {}
        written: set[str] = set(_LOOKALIKES)
        for council in councils:
            for name in _names_of(council):
                written.add(name)
                bucket = names.setdefault(_norm(name), [])
                if council not in bucket:
                    bucket.append(council)
        self._by_name: dict[str, tuple[Council, ...]] = {k: tuple(v) for k, v in names.items()}
        surfaces = {_surface(n) for n in written}
        pattern = "|".join(sorted(surfaces, key=len, reverse=True))
        self._regex = re.compile(rf"(?<![\w-])(?=[A-Z])(?:{pattern})(?![\w-]|['’]\w\w)")
        self._lookalikes = frozenset(_norm(n) for n in _LOOKALIKES)

    def find(self, text: str) -> list[Mention]:
        """Council mentions in ``text``, left to right, lookalikes and people removed."""
        found = []
        matches = [
            m
            for m in self._regex.finditer(text)
            if (key := _norm(m.group(0))) not in self._lookalikes and key in self._by_name
        ]
        # A list that lacks a comma ("Derby Halton and Bury"): a name next to another council's
        # name is not a person's first name or surname.
        starts = {m.start() for m in matches}
        ends = {m.end() for m in matches}
        for match in matches:
            if _is_something_else(text, match.start(), match.end(), match.group(0), starts, ends):
                continue
            key = _norm(match.group(0))
            found.append(Mention(match.start(), match.end(), match.group(0), self._by_name[key]))
        return found

    def councils_in(self, text: str) -> list[Council]:
        """The distinct councils named in ``text``, in order of first mention."""
        seen: list[Council] = []
        for mention in self.find(text):
            for council in mention.councils:
                if council not in seen:
                    seen.append(council)
        return seen


def _names_of(council: Council) -> list[str]:
    names = [council.name, *council.aliases, *_EXTRA_NAMES.get(council.name, ())]
    # "Bristol, City of" is a sort key, not a name anyone writes.
    return [n for n in names if not n.endswith(", City of") and len(n) > 2]


def _norm(name: str) -> str:
    name = name.replace("’", "'").replace("&", "and").replace("-", " ")
    return " ".join(name.lower().replace("st.", "st").split())


def _surface(name: str) -> str:
    """A regex matching the written forms of a name: any case of 'upon'/'and', '&' for 'and',
    hyphens or spaces, straight or curly apostrophes, capitals for a shouted headline."""
    parts = []
    for word in name.replace("&", " and ").replace("-", " ").replace(",", " ").split():
        low = word.lower()
        if low == "and":
            parts.append("(?:and|&)")
        elif low in {"upon", "on", "under", "of", "with", "for", "the", "in"}:
            parts.append(f"(?i:{low})")
        elif low in {"st", "st."}:
            parts.append(r"St\.?")
        else:
            parts.append(_word(word))
    return r",?[\s-]+".join(parts)


def _word(word: str) -> str:
    """A name word as written: as in the list (acronyms such as 'AfC' keep their case),
    capitalised, or in capitals; apostrophes either way."""

    def esc(text: str) -> str:
        return re.sub("['’]", "['’]", re.escape(text))

    if not word[0].isalpha() or word[1:].lower() != word[1:]:
        return esc(word)
    return f"(?:{esc(word[0].upper() + word[1:])}|{esc(word.upper())})"


def _is_something_else(
    text: str,
    start: int,
    end: int,
    surface: str,
    starts: frozenset[int] | set[int] = frozenset(),
    ends: frozenset[int] | set[int] = frozenset(),
) -> bool:
    """Whether a matched name is part of another organisation's name or a person's name
    (``starts``/``ends``: where other council names in the text begin and end)."""
    after = text[end : end + 40]
    if not re.match(r"\s+(?:City|Borough|County|Metropolitan)?\s*Council", after) and (
        _ORGANISATION_AFTER.match(after)
    ):
        return True
    if _ORGANISATION_BEFORE.search(text[max(0, start - 20) : start]):
        return True
    if " " in surface.strip() or "-" in surface:
        return False
    if _VERB_AFTER.match(after):  # "Reading the report, ..."
        return True
    # One-word names double as surnames and first names: "Jane Kent", "Brent Smith".
    window = max(0, start - 30)
    before = _WORD_BEFORE.search(text[window:start])
    if before and window + before.end(1) in ends:
        before = None  # "Derby Halton": the word before is another council
    if before and (
        _TITLES.fullmatch(before.group(1).rstrip(".")) or not _BEFORE_OK.fullmatch(before.group(1))
    ):
        return not before.group(1).isupper()
    follower = _WORD_AFTER.match(after)
    if follower and end + follower.start(1) in starts:
        follower = None  # "Derby Halton": the word after is another council
    if follower and not re.match(r"['’]s", after):
        return not _AFTER_OK.fullmatch(follower.group(1)) and not follower.group(1).isupper()
    return False


@functools.lru_cache(maxsize=8)
def _gazetteer_for(registry: CouncilRegistry) -> Gazetteer:
    return Gazetteer(registry.councils)


def gazetteer(councils: CouncilRegistry | None = None) -> Gazetteer:
    """The gazetteer of ``councils`` (default: the shipped reference list), built once."""
    return _gazetteer_for(councils if councils is not None else load_councils())


def publisher(url: str, councils: CouncilRegistry | None = None) -> Council | None:
    """The council whose own web site ``url`` is on (minutes, press releases), if any."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if not host:
        return None
    for council in (councils if councils is not None else load_councils()).councils:
        domain = council.domain.lower()
        if domain and not council.defunct and (host == domain or host.endswith("." + domain)):
            return council
    return None


def find_councils(text: str, councils: CouncilRegistry | None = None) -> list[Mention]:
    """Council mentions in ``text`` (see ``Gazetteer.find``)."""
    return gazetteer(councils).find(text)
